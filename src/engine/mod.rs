//! The engine: every rule of rapport, and nothing of any chat protocol.
//!
//! [`Engine::handle_text`] and [`Engine::handle`] take a protocol-neutral
//! request ([`Engine::handle_edit`] an edited one's new text) and return the
//! messages to deliver. Each request runs in one database transaction: it
//! either takes effect whole or, on any error, changes nothing.
//! [`UserError`]s become friendly private replies; anything else is logged
//! with its cause chain and the person gets a short apology.

pub mod command;
pub mod message;

mod agreements;
mod appreciate;
pub mod checkin;
mod ctx;
mod dispatch;
mod edits;
mod goals;
mod help;
mod history;
pub(crate) mod jobs;
mod journal;
mod leases;
mod moments;
mod mydata;
pub mod offers;
mod pairing;
mod policy;
mod queue;
mod recap;
mod reword;
mod send_slots;
mod settings;
pub mod space;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use tokio::sync::Notify;

use crate::clock::Clock;
use crate::coach::Coach;
use crate::coach::llm::ModelRewriter;
use crate::domain::{Destination, Posted, Reply, UserRef};
use crate::error::{EngineError, EngineResult, UserError};
use crate::metrics::{Metrics, Outcome};
use crate::prompts::{Catalog, Key};
use crate::store::{Store, couples, outbox, users};
use command::{Command, RewordCommand};
pub(crate) use ctx::Ctx;
use dispatch::{changes_schedules, command_family, dispatch, erases_words};
pub use jobs::DueReport;
use message::{Actor, Place, Request, Source};
pub use policy::Policy;

/// The shared, protocol-agnostic core. Cheap to share behind an `Arc`.
pub struct Engine {
    store: Store,
    catalog: Arc<Catalog>,
    clock: Arc<dyn Clock>,
    rng: Mutex<StdRng>,
    policy: Policy,
    schedule_changed: Notify,
    coach: Coach,
    model: Option<ModelRewriter>,
    metrics: Arc<Metrics>,
    offers: Arc<offers::Offers>,
    /// This process among others on the same database, for leases.
    instance: String,
}

impl Engine {
    /// Builds an engine from its injected parts: tests pass a manual clock
    /// and a seeded RNG.
    pub fn new(
        store: Store,
        catalog: Arc<Catalog>,
        clock: Arc<dyn Clock>,
        mut rng: StdRng,
        policy: Policy,
    ) -> anyhow::Result<Engine> {
        let coach = Coach::from_catalog(&catalog)?;
        if catalog.list(recap::TIPS).is_none_or(<[String]>::is_empty) {
            anyhow::bail!("the prompts have no recap tips ({})", recap::TIPS);
        }
        let offers = offers::Offers::new(store.clone(), clock.clone(), catalog.clone());
        let instance = instance_id(&mut rng);
        Ok(Engine {
            instance,
            offers: Arc::new(offers),
            store,
            catalog,
            clock,
            rng: Mutex::new(rng),
            policy,
            schedule_changed: Notify::new(),
            coach,
            model: None,
            metrics: Arc::new(Metrics::new()),
        })
    }

    /// Shares the operators' metrics with the HTTP endpoint and adapters.
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Engine {
        self.metrics = metrics;
        self
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    pub fn shared_metrics(&self) -> Arc<Metrics> {
        self.metrics.clone()
    }

    /// Lets a local language model word reword suggestions.
    pub fn with_model(mut self, model: ModelRewriter) -> Engine {
        self.model = Some(model);
        self
    }

    pub fn coach(&self) -> &Coach {
        &self.coach
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The catalog, shared: for adapters that render outside a request.
    pub fn shared_catalog(&self) -> Arc<Catalog> {
        self.catalog.clone()
    }

    /// The choices offered, for adapters whose people pick by number.
    pub fn offers(&self) -> &offers::Offers {
        &self.offers
    }

    /// [`Engine::offers`], shared: for a port that records what it sent.
    pub fn shared_offers(&self) -> Arc<offers::Offers> {
        self.offers.clone()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Signalled after a command may have changed a schedule, so the
    /// scheduler re-reads the store instead of sleeping on.
    pub fn schedule_changed(&self) -> &Notify {
        &self.schedule_changed
    }

    /// Parses a typed line and handles it; a parse error is answered like
    /// any other user error.
    pub async fn handle_text(&self, actor: Actor, place: Place, text: &str) -> Vec<Reply> {
        self.handle_message(actor, place, text, Source::Unknown)
            .await
    }

    /// [`Engine::handle_text`] for a chat message people can edit later,
    /// by its `source`.
    pub async fn handle_message(
        &self,
        actor: Actor,
        place: Place,
        text: &str,
        source: Source,
    ) -> Vec<Reply> {
        match Command::parse(text) {
            Ok(command) => {
                self.handle(Request {
                    actor,
                    place,
                    command,
                    source,
                })
                .await
            }
            Err(error) => {
                // Not understood: no family to name, so "unparsed".
                self.metrics.command("unparsed", Outcome::Refused);
                vec![self.user_error_reply(&error)]
            }
        }
    }

    /// Handles one request in one transaction. Returns the answers for the
    /// requester, which the adapter shows where they asked (privately when
    /// a reply says so); everything else the request says, to anyone, is
    /// already in the outbox.
    #[tracing::instrument(skip_all, fields(actor = %request.actor.user, command = command_family(&request.command)))]
    pub async fn handle(&self, request: Request<Command>) -> Vec<Reply> {
        let family = command_family(&request.command);
        match self.run_in_transaction(&request).await {
            Ok(answers) => {
                self.metrics.command(family, Outcome::Ok);
                answers
            }
            Err(EngineError::User(error)) => {
                self.metrics.command(family, Outcome::Refused);
                // The prompt's name only: the error's fields hold what was typed.
                tracing::debug!(refusal = ?error.message().0, "refused");
                let mut reply = self.user_error_reply(&error);
                reply.take_down_request =
                    error.private_words_in_view() && self.moderates(&request.place).await;
                vec![reply]
            }
            Err(EngineError::Internal(error)) => {
                self.metrics.command(family, Outcome::Failed);
                tracing::error!(error.cause_chain = ?error, error.message = %error, "request failed");
                vec![Reply::private(self.catalog.text(Key::ErrorInternal))]
            }
        }
    }

    async fn run_in_transaction(&self, request: &Request<Command>) -> EngineResult<Vec<Reply>> {
        // A suggestion needs no store: nothing of the message is kept, and a
        // slow model must not hold a transaction open.
        if let Command::Reword(RewordCommand::Suggest { text, feeling }) = &request.command {
            if request.actor.words_seen_in(&request.place) {
                return Err(UserError::RewordPrivateOnly.into());
            }
            let outgoing = reword::suggest(self, text, feeling.as_deref()).await?;
            return Ok(outgoing.into_iter().map(|out| out.reply).collect());
        }
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let actor = &request.actor;
        let handle = actor.handle.as_deref();
        let me = users::upsert(&mut tx, &actor.user, &actor.display_name, handle, now).await?;
        let origin = queue::Origin {
            author: me.id,
            couple_before: couples::active_for_user(&mut tx, me.id)
                .await?
                .map(|c| c.id),
            now,
        };
        let mut ctx = Ctx {
            engine: self,
            tx: &mut tx,
            actor,
            me,
            place: &request.place,
            source: &request.source,
            now,
        };
        let outgoing = dispatch(&mut ctx, &request.command).await?;
        let (answers, queued) = queue::split_request(self, &mut tx, &origin, outgoing).await?;
        tx.commit()
            .await
            .map_err(|error| anyhow::Error::new(error).context("cannot commit"))?;
        if erases_words(request) {
            // Deleted or replaced words must not linger in the write-ahead
            // log either.
            self.store.checkpoint().await?;
        }
        if queued > 0 || changes_schedules(&request.command) {
            // Let the scheduler look again now, and deliver what was queued.
            self.schedule_changed.notify_one();
        }
        Ok(answers)
    }

    /// A message someone posted in a space. Returns a private nudge for its
    /// author when the couple opted in and the message reads as blaming;
    /// otherwise nothing. Never fails loudly: this is ordinary chat.
    ///
    /// The one message the engine does not queue: it quotes the person's
    /// own words, so the adapter sends it at once to them alone, and drops
    /// it if that fails. Only a count is stored.
    pub async fn observe(&self, actor: &Actor, place: &Place, text: &str) -> Option<Reply> {
        reword::observe(self, actor, place, text).await
    }

    /// Records where an adapter left an answer standing on the platform (a
    /// Matrix room keeps it), so deleting the words it repeats
    /// (`reply.quotes`) can take it down later. Nothing of its text is kept.
    pub async fn remember_answer(
        &self,
        to: &Destination,
        posted: &Posted,
        reply: &Reply,
    ) -> anyhow::Result<()> {
        if reply.quotes.is_empty() || posted.is_empty() {
            return Ok(());
        }
        let mut tx = self.store.begin().await?;
        outbox::record_posted(&mut tx, to, posted, &reply.quotes, self.clock.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The open goals of a person's couple as (number, title), for adapters
    /// that suggest goals while a command is typed. Read-only; empty when the
    /// person is unknown or not paired.
    pub async fn open_goals_of(&self, user: &UserRef) -> anyhow::Result<Vec<(i64, String)>> {
        goals::open_of(self, user).await
    }

    /// The friendly, private reply for a user error.
    pub fn user_error_reply(&self, error: &UserError) -> Reply {
        let (key, vars) = error.message();
        let mut vars: Vec<(&str, &str)> = vars
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        if let UserError::Usage { usage } = error {
            vars.push(("usage", self.catalog.text(*usage)));
        }
        if let UserError::UnknownCommand { word, near: None } = error
            && self.is_greeting(word)
        {
            return Reply::private(self.catalog.text(Key::GreetingReply).to_owned());
        }
        Reply::private(self.catalog.render(key, &vars))
    }

    /// Whether a first word is one people greet with ("hello?", "Hi!").
    fn is_greeting(&self, word: &str) -> bool {
        let word = word
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        self.catalog
            .list("greeting.words")
            .is_some_and(|words| words.contains(&word))
    }

    /// Whether `place` is a room rapport opened for a couple (and so
    /// moderates); a store failure counts as no.
    async fn moderates(&self, place: &Place) -> bool {
        let Place::Space(space) = place else {
            return false;
        };
        let opened = async {
            let mut tx = self.store.begin().await?;
            let couple = crate::store::couples::active_for_space(&mut tx, space).await?;
            tx.commit().await?;
            anyhow::Ok(couple.is_some_and(|couple| couple.space_opened))
        };
        match opened.await {
            Ok(opened) => opened,
            Err(error) => {
                tracing::warn!(error.cause_chain = ?error, "cannot tell whether rapport opened a room");
                false
            }
        }
    }

    /// A moment in a zone, in the locale's date format.
    pub fn format_time(&self, at: DateTime<Utc>, zone: Tz) -> String {
        at.with_timezone(&zone)
            .format(self.catalog.text(Key::FormatDateTime))
            .to_string()
    }

    fn with_rng<T>(&self, draw: impl FnOnce(&mut StdRng) -> T) -> T {
        let mut rng = self
            .rng
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        draw(&mut rng)
    }
}

/// A name for this engine among others on the same database: the process,
/// the engine's number in it, and a random number for other machines.
fn instance_id(rng: &mut StdRng) -> String {
    static ENGINES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let number = ENGINES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let random: u64 = rand::Rng::random(rng);
    format!("{}-{number}-{random:016x}", std::process::id())
}
