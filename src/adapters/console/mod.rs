//! The console adapter: a REPL where one person plays several users, to try
//! rapport or demo it without any chat platform.
//!
//! Lines starting with a console word (`as`, `at`, `dm`, a choice number,
//! `quit`, `console help`) steer the console; every other line goes to the
//! engine as a command from the current person in the current place.
//! Replies, direct messages to others and space messages are printed with a
//! label saying who would see them.

pub mod files;

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use crate::delivery::{
    self, BoxFuture, ChatPort, Delivery, DeliveryError, DeliveryPolicy, Ports, Readers, Sent,
};
use crate::domain::{Choice, Destination, Platform, Posted, Reply, SpaceRef, UserRef};
use crate::engine::Engine;
use crate::engine::command::{Command, PairCommand};
use crate::engine::message::{Actor, Place, Recipient, Request, Source};
use crate::prompts::Key;

/// Who the console plays first, and where.
const FIRST_USER: &str = "ana";
const FIRST_SPACE: &str = "living-room";

/// Delivers scheduled messages into the console. Keys already delivered
/// are dropped, which makes delivery idempotent as [`ChatPort`] requires.
pub struct ConsolePort {
    sender: mpsc::UnboundedSender<Delivery>,
    delivered: std::sync::Mutex<HashSet<String>>,
}

impl ConsolePort {
    /// The port and the stream of deliveries the console prints.
    pub fn new() -> (ConsolePort, mpsc::UnboundedReceiver<Delivery>) {
        let (sender, receiver) = mpsc::unbounded_channel();
        let port = ConsolePort {
            sender,
            delivered: std::sync::Mutex::new(HashSet::new()),
        };
        (port, receiver)
    }
}

impl ChatPort for ConsolePort {
    fn platform(&self) -> Platform {
        Platform::Console
    }

    fn send_to_user<'a>(&'a self, user: &'a UserRef, key: &'a str, reply: &'a Reply) -> Sent<'a> {
        Box::pin(async move { self.show(Destination::User(user.clone()), key, reply) })
    }

    fn send_to_space<'a>(
        &'a self,
        space: &'a SpaceRef,
        key: &'a str,
        reply: &'a Reply,
    ) -> Sent<'a> {
        Box::pin(async move { self.show(Destination::Space(space.clone()), key, reply) })
    }

    /// The console's spaces are read by the one person at the keyboard,
    /// who plays every partner: nobody else.
    fn space_readers<'a>(
        &'a self,
        _space: &'a SpaceRef,
    ) -> BoxFuture<'a, Result<Readers, DeliveryError>> {
        Box::pin(async { Ok(Readers::Operator) })
    }

    /// A terminal cannot take back what it printed; nothing is kept to
    /// take down.
    fn retract<'a>(&'a self, _posted: &'a Posted) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(async { Ok(()) })
    }
}

impl ConsolePort {
    /// Hands a message to the console once per key.
    fn show(&self, to: Destination, key: &str, reply: &Reply) -> Result<Posted, DeliveryError> {
        let first_time = self
            .delivered
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(key.to_owned());
        if first_time {
            let delivery = Delivery {
                key: key.to_owned(),
                to,
                reply: reply.clone(),
            };
            self.sender
                .send(delivery)
                .map_err(|_| DeliveryError::Transient("the console has closed".to_owned()))?;
        }
        Ok(Posted::default())
    }
}

/// How often the console looks for queued messages between lines.
const DELIVERY_TICK: std::time::Duration = std::time::Duration::from_secs(1);

/// The console's own state: the current person and place, and the choices
/// last offered to each person (so `1` picks the first).
pub struct Console {
    engine: Arc<Engine>,
    /// The console's own port: it delivers the outbox itself after every
    /// line, so what a command queued shows before the next prompt.
    ports: Ports,
    deliveries: mpsc::UnboundedReceiver<Delivery>,
    user: String,
    place: Place,
    /// Per person, where the last choices were shown and what they were:
    /// picking one acts there, as a button would.
    choices: HashMap<String, (Place, Vec<Choice>)>,
    /// Where attachments are saved, so a newcomer can open an export or a
    /// chart; `None` shows only what came.
    files: Option<PathBuf>,
}

impl Console {
    pub fn new(
        engine: Arc<Engine>,
        ports: Ports,
        deliveries: mpsc::UnboundedReceiver<Delivery>,
    ) -> Console {
        Console {
            engine,
            ports,
            deliveries,
            user: FIRST_USER.to_owned(),
            place: Place::Space(SpaceRef::new(Platform::Console, FIRST_SPACE)),
            choices: HashMap::new(),
            files: None,
        }
    }

    /// Saves attachments into `folder` (created owner-only) and prints
    /// their paths.
    pub fn saving_files_in(mut self, folder: PathBuf) -> Console {
        self.files = Some(folder);
        self
    }

    /// Reads lines until end of input, `quit`, or `shutdown`.
    pub async fn run<R, W>(
        mut self,
        input: R,
        mut output: W,
        shutdown: impl Future<Output = ()>,
    ) -> anyhow::Result<()>
    where
        R: AsyncBufRead + Unpin,
        W: AsyncWrite + Unpin,
    {
        let welcome = self.say(
            Key::ConsoleWelcome,
            &[("user", &self.user), ("place", &self.place_name())],
        );
        write(&mut output, &format!("{welcome}\n")).await?;
        let mut lines = input.lines();
        let mut due = tokio::time::interval(DELIVERY_TICK);
        due.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tokio::pin!(shutdown);
        loop {
            write(
                &mut output,
                &format!("{} @ {}> ", self.user, self.place_name()),
            )
            .await?;
            let line = loop {
                tokio::select! {
                    line = lines.next_line() => break line.context("cannot read console input")?,
                    () = &mut shutdown => break None,
                    Some(delivery) = self.deliveries.recv() => {
                        let text = self.render_delivery(&delivery);
                        write(&mut output, &format!("\n{text}{} @ {}> ", self.user, self.place_name())).await?;
                    }
                    // What the scheduler queued (a check-in coming due).
                    _ = due.tick() => {
                        let text = self.deliver().await;
                        if !text.is_empty() {
                            write(&mut output, &format!("\n{text}{} @ {}> ", self.user, self.place_name())).await?;
                        }
                    }
                }
            };
            let Some(line) = line else { break };
            match self.step(line.trim()).await {
                Some(text) => write(&mut output, &text).await?,
                None => break,
            }
        }
        write(
            &mut output,
            &format!("\n{}\n", self.say(Key::ConsoleBye, &[])),
        )
        .await
    }

    /// A queued message, shown as it would arrive.
    pub fn render_delivery(&mut self, delivery: &Delivery) -> String {
        self.render(&delivery.to.clone().into(), &delivery.reply)
    }

    /// Delivers what is due through the console's port, then shows it.
    async fn deliver(&mut self) -> String {
        let policy = DeliveryPolicy::default();
        if let Err(error) = delivery::deliver_due_once(&self.engine, &self.ports, &policy).await {
            tracing::error!(error.cause_chain = ?error, "console delivery failed");
        }
        self.drain_deliveries()
    }

    /// Scheduled messages that have arrived, rendered; for callers that
    /// drive the console line by line.
    pub fn drain_deliveries(&mut self) -> String {
        let mut text = String::new();
        while let Ok(delivery) = self.deliveries.try_recv() {
            text.push_str(&self.render_delivery(&delivery));
        }
        text
    }

    /// Handles one line; `None` means quit.
    pub async fn step(&mut self, line: &str) -> Option<String> {
        let mut words = line.split_whitespace();
        let first = words.next().unwrap_or_default().to_lowercase();
        let rest: Vec<&str> = words.collect();
        let text = match (first.as_str(), rest.as_slice()) {
            ("quit" | "exit", []) => return None,
            ("", []) => String::new(),
            ("console", ["help"]) => self.say(Key::ConsoleHelp, &[]),
            ("as", [name]) => {
                self.user = name.trim_start_matches('@').to_lowercase();
                self.say(Key::ConsoleActingAs, &[("user", &self.user)])
            }
            ("as", _) => self.say(Key::ConsoleUsageAs, &[]),
            ("at", [space]) => {
                self.place = Place::Space(SpaceRef::new(
                    Platform::Console,
                    space.trim_start_matches('#'),
                ));
                self.say(Key::ConsoleNowIn, &[("place", &self.place_name())])
            }
            ("at", _) => self.say(Key::ConsoleUsageAt, &[]),
            ("dm", []) => {
                self.place = Place::Direct;
                self.say(Key::ConsoleNowDirect, &[])
            }
            ("say", []) => self.say(Key::ConsoleUsageSay, &[]),
            ("say", _) => self.post(line.trim_start()[3..].trim()).await,
            (number, []) if number.parse::<usize>().is_ok() => self.pick(number).await,
            _ => self.send(line).await,
        };
        Some(if text.is_empty() {
            text
        } else {
            format!("{text}\n")
        })
    }

    async fn pick(&mut self, number: &str) -> String {
        let index = number.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
        let chosen = index.and_then(|i| {
            let (place, choices) = self.choices.get(&self.user)?;
            Some((place.clone(), choices.get(i)?.command.clone()))
        });
        let Some((place, command)) = chosen else {
            return self.say(Key::ConsoleNoSuchChoice, &[("number", number)]);
        };
        let here = std::mem::replace(&mut self.place, place);
        let answered = self.send(&command).await;
        self.place = here;
        answered
    }

    /// An ordinary chat message in the current place: rapport only answers
    /// (privately) if the couple opted in to reword nudges.
    async fn post(&mut self, message: &str) -> String {
        let actor = Actor::new(UserRef::new(Platform::Console, &self.user), &self.user);
        let to_author = Recipient::User(actor.user.clone());
        match self.engine.observe(&actor, &self.place, message).await {
            Some(nudge) => self.render(&to_author, &nudge),
            None => String::new(),
        }
    }

    async fn send(&mut self, line: &str) -> String {
        let actor = Actor::new(UserRef::new(Platform::Console, &self.user), &self.user);
        let answers = match Command::parse(line) {
            Ok(command) => {
                let request = Request {
                    actor,
                    place: self.place.clone(),
                    command: normalize_mentions(command),
                    source: Source::Unknown,
                };
                self.engine.handle(request).await
            }
            Err(error) => vec![self.engine.user_error_reply(&error)],
        };
        let mut shown: Vec<String> = answers
            .iter()
            .map(|reply| self.render(&Recipient::Requester, reply))
            .collect();
        let delivered = self.deliver().await;
        if !delivered.is_empty() {
            shown.push(delivered.trim_end().to_owned());
        }
        shown.join("\n")
    }

    /// Prints one message with a label saying who would see it.
    fn render(&mut self, to: &Recipient, reply: &Reply) -> String {
        let (label, reader) = match to {
            Recipient::Requester if reply.private => {
                (self.say(Key::ConsoleLabelPrivate, &[]), self.user.clone())
            }
            Recipient::Requester => (self.say(Key::ConsoleLabelPublic, &[]), self.user.clone()),
            Recipient::User(user) => (
                self.say(Key::ConsoleLabelDirect, &[("user", &user.id)]),
                user.id.clone(),
            ),
            Recipient::Space(space) => (
                self.say(
                    Key::ConsoleLabelSpace,
                    &[("place", &format!("#{}", space.id))],
                ),
                self.user.clone(),
            ),
        };
        let mut text = format!("rapport ({label}):\n");
        for line in reply.text.lines() {
            text.push_str(&format!("  {line}\n"));
        }
        // A terminal cannot show a picture; say what came with the message.
        if let Some(attachment) = &reply.attachment {
            let line = files::show(
                self.engine.catalog(),
                self.files.as_deref(),
                &reader,
                attachment,
            );
            text.push_str(&format!("  {line}\n"));
        }

        for (i, choice) in reply.choices.iter().enumerate() {
            let number = (i + 1).to_string();
            let line = self.say(
                Key::ConsoleChoice,
                &[("number", &number), ("label", &choice.label)],
            );
            text.push_str(&format!("  {line}\n"));
        }
        if !reply.choices.is_empty() {
            let shown_in = match to {
                Recipient::Requester => self.place.clone(),
                Recipient::User(_) => Place::Direct,
                Recipient::Space(space) => Place::Space(space.clone()),
            };
            self.choices
                .insert(reader, (shown_in, reply.choices.clone()));
        }
        text
    }

    fn place_name(&self) -> String {
        match &self.place {
            Place::Space(space) => format!("#{}", space.id),
            Place::Direct => "dm".to_owned(),
        }
    }

    fn say(&self, key: Key, vars: &[(&str, &str)]) -> String {
        self.engine.catalog().render(key, vars)
    }
}

/// Console people are plain names; `@ben` and `ben` mean the same person.
fn normalize_mentions(command: Command) -> Command {
    match command {
        Command::Pair(PairCommand::Invite {
            partner: Some(name),
        }) => Command::Pair(PairCommand::Invite {
            partner: Some(name.trim_start_matches('@').to_lowercase()),
        }),
        other => other,
    }
}

async fn write<W: AsyncWrite + Unpin>(output: &mut W, text: &str) -> anyhow::Result<()> {
    output
        .write_all(text.as_bytes())
        .await
        .context("cannot write console output")?;
    output.flush().await.context("cannot flush console output")
}
