//! Test harness: an engine on a fresh database with a manual clock, plus
//! short-hands for people, places and expected replies.

use sqlx::AssertSqlSafe;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use sqlx::Row;

use rapport::clock::ManualClock;
use rapport::delivery::{
    self, BoxFuture, ChatPort, Delivery, DeliveryError, DeliveryPolicy, DeliveryReport, Ports,
    Readers, Sent,
};
use rapport::domain::{Destination, Platform, Posted, Reply, SpaceRef, UserRef};
use rapport::engine::DueReport;
use rapport::engine::message::{Actor, Outgoing, Place, Recipient};
use rapport::engine::{Engine, Policy};
use rapport::error::UserError;
use rapport::prompts::{Catalog, Key};
use rapport::store::Store;

/// 2026-03-02 09:00 UTC, a Monday.
pub fn start_time() -> DateTime<Utc> {
    DateTime::from_timestamp(1_772_442_000, 0).expect("valid timestamp")
}

pub struct TestEngine {
    pub engine: Arc<Engine>,
    pub clock: Arc<ManualClock>,
}

/// An engine on a fresh in-memory SQLite database.
pub async fn spawn_engine() -> TestEngine {
    spawn_engine_on("sqlite::memory:").await
}

/// An engine on the given database URL (migrations run).
pub async fn spawn_engine_on(url: &str) -> TestEngine {
    spawn_engine_with(url, |_| {}).await
}

/// An engine on `url` whose test policy `adjust` may change first.
pub async fn spawn_engine_with(url: &str, adjust: impl FnOnce(&mut Policy)) -> TestEngine {
    let store = Store::connect(url).await.expect("test store connects");
    let clock = Arc::new(ManualClock::new(start_time()));
    let catalog = Arc::new(Catalog::embedded().expect("embedded prompts"));
    let mut policy = Policy::default();
    adjust(&mut policy);

    let engine = Engine::new(
        store,
        catalog,
        clock.clone(),
        StdRng::seed_from_u64(42),
        policy,
    )
    .expect("engine builds");
    TestEngine {
        engine: Arc::new(engine),
        clock,
    }
}

/// A console person, named as in the tests (`ana`, `ben`, `carl`).
pub fn person(name: &str) -> Actor {
    person_on(Platform::Console, name)
}

pub fn person_on(platform: Platform, id: &str) -> Actor {
    Actor::new(UserRef::new(platform, id), id)
}

pub fn space(name: &str) -> Place {
    Place::Space(SpaceRef::new(Platform::Console, name))
}

impl TestEngine {
    /// `who` types `text` in `place`: the answers to them, then what the
    /// request queued in the outbox for anyone else, read back from the
    /// store as the delivery worker finds it. Those are then marked sent, as
    /// if an adapter had delivered them at once, so a test's ticks see only
    /// what the scheduler adds; [`TestEngine::say_queued`] leaves them.
    pub async fn say(&self, who: &Actor, place: &Place, text: &str) -> Vec<Outgoing> {
        let before = self.outbox_keys().await;
        let answers = self
            .engine
            .handle_text(who.clone(), place.clone(), text)
            .await;
        let (keys, queued) = self.queued_except(&before).await;
        // A test may have closed the store to force a failure.
        if let Ok(mut tx) = self.engine.store().begin().await {
            for key in keys {
                sqlx::query(
                    "UPDATE outbox SET state = 'sent', payload = NULL WHERE idempotency_key = $1",
                )
                .bind(key)
                .execute(&mut *tx)
                .await
                .expect("outbox writable");
            }
            tx.commit().await.expect("commit");
        }
        answers
            .into_iter()
            .map(Outgoing::to_requester)
            .chain(queued)
            .collect()
    }

    /// Like [`TestEngine::say`], but what the request queued stays in the
    /// outbox for the delivery worker.
    pub async fn say_queued(&self, who: &Actor, place: &Place, text: &str) -> Vec<Outgoing> {
        let before = self.outbox_keys().await;
        let answers = self
            .engine
            .handle_text(who.clone(), place.clone(), text)
            .await;
        let (_, queued) = self.queued_except(&before).await;
        answers
            .into_iter()
            .map(Outgoing::to_requester)
            .chain(queued)
            .collect()
    }

    /// Every outbox key (SQLite reuses the ids of deleted rows, keys are
    /// unique for good).
    pub async fn outbox_keys(&self) -> std::collections::HashSet<String> {
        let Ok(mut tx) = self.engine.store().begin().await else {
            return Default::default(); // closed by the test
        };
        sqlx::query_scalar::<_, String>("SELECT idempotency_key FROM outbox")
            .fetch_all(&mut *tx)
            .await
            .expect("outbox readable")
            .into_iter()
            .collect()
    }

    /// Pending messages whose keys are not in `before`, in order, with
    /// their keys.
    pub async fn queued_except(
        &self,
        before: &std::collections::HashSet<String>,
    ) -> (Vec<String>, Vec<Outgoing>) {
        let Ok(mut tx) = self.engine.store().begin().await else {
            return Default::default(); // closed by the test
        };
        let rows = sqlx::query(
            "SELECT idempotency_key, recipient_kind, platform, recipient_id, payload FROM outbox
             WHERE state = 'pending' ORDER BY id",
        )
        .fetch_all(&mut *tx)
        .await
        .expect("outbox readable");
        rows.iter()
            .filter(|row| !before.contains(&row.get::<String, _>("idempotency_key")))
            .map(|row| {
                let platform = Platform::parse(&row.get::<String, _>("platform")).unwrap();
                let id: String = row.get("recipient_id");
                let reply: Reply = serde_json::from_str(&row.get::<String, _>("payload")).unwrap();
                let out = match row.get::<String, _>("recipient_kind").as_str() {
                    "user" => Outgoing::to_user(UserRef::new(platform, id), reply),
                    _ => Outgoing::to_space(SpaceRef::new(platform, id), reply),
                };
                (row.get::<String, _>("idempotency_key"), out)
            })
            .unzip()
    }

    /// The text of a prompt, for comparing replies.
    pub fn text(&self, key: Key, vars: &[(&str, &str)]) -> String {
        self.engine.catalog().render(key, vars)
    }

    /// Asserts the reply is exactly the friendly, private text of `error`.
    pub fn assert_refused(&self, outgoing: &[Outgoing], error: UserError) {
        let expected = self.engine.user_error_reply(&error);
        assert_eq!(outgoing.len(), 1, "expected one reply, got {outgoing:#?}");
        assert_eq!(outgoing[0].to, Recipient::Requester);
        assert!(outgoing[0].reply.private, "errors are private");
        assert_eq!(outgoing[0].reply.text, expected.text, "expected {error:?}");
    }

    /// Every stored row, as text, to prove a refused request changed nothing.
    pub async fn snapshot(&self) -> Vec<String> {
        let tables = [
            (
                "users",
                "id, platform, external_id, display_name, time_zone, quiet_start, quiet_end",
            ),
            (
                "couples",
                "id, space_platform, space_id, time_zone, created_at, ended_at",
            ),
            ("memberships", "couple_id, user_id, joined_at, left_at"),
            (
                "invites",
                "id, code, inviter_id, target_external_id, space_id, status, expires_at, answered_by, answered_at",
            ),
        ];
        let mut rows = Vec::new();
        let mut tx = self.engine.store().begin().await.expect("begin");
        for (table, columns) in tables {
            let cells: Vec<String> = columns
                .split(", ")
                .map(|c| format!("COALESCE(CAST({c} AS TEXT), '-')"))
                .collect();
            let sql = format!(
                "SELECT {} AS line FROM {table} ORDER BY 1",
                cells.join(" || '|' || ")
            );
            for row in sqlx::query(AssertSqlSafe(sql))
                .fetch_all(&mut *tx)
                .await
                .expect("snapshot query")
            {
                rows.push(format!("{table}: {}", row.get::<String, _>("line")));
            }
        }
        rows
    }
}

/// The reply texts addressed to one recipient.
pub fn texts_to(outgoing: &[Outgoing], to: &Recipient) -> Vec<String> {
    outgoing
        .iter()
        .filter(|out| out.to == *to)
        .map(|out| out.reply.text.clone())
        .collect()
}

/// Finds the invite code (ABCD-EFGH) in a text.
pub fn code_in(text: &str) -> String {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .find(|word| {
            word.len() == 9
                && word.as_bytes()[4] == b'-'
                && word
                    .chars()
                    .all(|c| c == '-' || c.is_ascii_uppercase() || c.is_ascii_digit())
        })
        .unwrap_or_else(|| panic!("no invite code in {text:?}"))
        .to_owned()
}

/// Whether we run under CI, where every peer (PostgreSQL, Synapse) must be up.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true" || value == "1")
}

/// A chat platform for tests: records every attempt, shows each idempotency
/// key at most once (as real adapters must), and fails on cue.
#[derive(Default)]
pub struct RecordingPort {
    outcomes: std::sync::Mutex<std::collections::VecDeque<Result<(), DeliveryError>>>,
    /// Every delivery attempt, in order.
    pub attempts: std::sync::Mutex<Vec<Delivery>>,
    /// What people actually saw: the first successful delivery per key.
    pub shown: std::sync::Mutex<Vec<Delivery>>,
    /// Posts taken down (by key), because the words in them were deleted.
    retracted: std::sync::Mutex<Vec<String>>,
    /// Who reads every space, besides rapport: nobody, unless a test says.
    readers: std::sync::Mutex<Option<Readers>>,
}

impl RecordingPort {
    /// The next attempts fail (or succeed) in this order; then all succeed.
    pub fn script(&self, outcomes: Vec<Result<(), DeliveryError>>) {
        self.outcomes.lock().unwrap().extend(outcomes);
    }

    pub fn shown(&self) -> Vec<Delivery> {
        self.shown.lock().unwrap().clone()
    }

    pub fn attempt_count(&self) -> usize {
        self.attempts.lock().unwrap().len()
    }

    /// Texts shown to one destination.
    pub fn shown_to(&self, to: &Destination) -> Vec<String> {
        self.shown()
            .into_iter()
            .filter(|d| d.to == *to)
            .map(|d| d.reply.text)
            .collect()
    }
}

impl ChatPort for RecordingPort {
    fn platform(&self) -> Platform {
        Platform::Console
    }

    fn send_to_user<'a>(&'a self, user: &'a UserRef, key: &'a str, reply: &'a Reply) -> Sent<'a> {
        Box::pin(async move { self.record(Destination::User(user.clone()), key, reply) })
    }

    fn send_to_space<'a>(
        &'a self,
        space: &'a SpaceRef,
        key: &'a str,
        reply: &'a Reply,
    ) -> Sent<'a> {
        Box::pin(async move { self.record(Destination::Space(space.clone()), key, reply) })
    }

    fn space_readers<'a>(
        &'a self,
        _space: &'a SpaceRef,
    ) -> BoxFuture<'a, Result<Readers, DeliveryError>> {
        let readers = self.readers.lock().unwrap().clone();
        Box::pin(async move { Ok(readers.unwrap_or(Readers::Operator)) })
    }

    fn retract<'a>(&'a self, posted: &'a Posted) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(async move {
            self.retracted
                .lock()
                .unwrap()
                .extend(posted.ids.iter().cloned());
            Ok(())
        })
    }
}

impl RecordingPort {
    /// Shows the message once per key; a post's id is its key.
    fn record(&self, to: Destination, key: &str, reply: &Reply) -> Result<Posted, DeliveryError> {
        let delivery = Delivery {
            key: key.to_owned(),
            to,
            reply: reply.clone(),
        };
        self.attempts.lock().unwrap().push(delivery.clone());
        let outcome = self.outcomes.lock().unwrap().pop_front().unwrap_or(Ok(()));
        let mut shown = self.shown.lock().unwrap();
        // A failure "after sending" (connection lost on the reply) is
        // modelled by scripting Transient for a message that was shown:
        // show first, then report. Idempotency keeps it shown once.
        if !shown.iter().any(|d| d.key == delivery.key)
            && !matches!(outcome, Err(DeliveryError::Unreachable(_)))
        {
            shown.push(delivery);
        }
        outcome.map(|()| Posted {
            place: "recording".to_owned(),
            ids: vec![key.to_owned()],
        })
    }

    /// From now on, these people read every space (a stranger joined).
    pub fn readers_are(&self, readers: Readers) {
        *self.readers.lock().unwrap() = Some(readers);
    }

    /// The keys of posts taken down, in order.
    pub fn retracted(&self) -> Vec<String> {
        self.retracted.lock().unwrap().clone()
    }
}

/// Ports with one recording port for the console platform.
pub fn recording_ports() -> (Arc<RecordingPort>, Ports) {
    let port = Arc::new(RecordingPort::default());
    let ports = Ports::default().with(port.clone());
    (port, ports)
}

impl TestEngine {
    /// One scheduler pass and one delivery pass, as the loop would do.
    pub async fn tick(&self, ports: &Ports) -> (DueReport, DeliveryReport) {
        let due = self.engine.run_due_once().await.expect("scheduler pass");
        let delivered = delivery::deliver_due_once(&self.engine, ports, &DeliveryPolicy::default())
            .await
            .expect("delivery pass");
        (due, delivered)
    }
}

pub fn dm(name: &str) -> Destination {
    Destination::User(UserRef::new(Platform::Console, name))
}

pub fn space_of(name: &str) -> Destination {
    Destination::Space(SpaceRef::new(Platform::Console, name))
}

pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    use chrono::TimeZone;
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// ana (zone `zone`) and ben are paired in #home and agreed on `when`.
pub async fn scheduled(t: &TestEngine, zone: &str, when: &str) {
    t.say(
        &person("ana"),
        &Place::Direct,
        &format!("settings zone {zone}"),
    )
    .await;
    crate::pairing::pair_ana_and_ben(t).await;
    let proposed = t
        .say(
            &person("ana"),
            &Place::Direct,
            &format!("checkin schedule {when}"),
        )
        .await;
    assert_eq!(proposed.len(), 2, "{proposed:#?}");
    let accepted = t
        .say(&person("ben"), &Place::Direct, "checkin accept")
        .await;
    assert!(
        accepted[0].reply.text.starts_with("Check-ins are on"),
        "{accepted:#?}"
    );
}

/// The binary as an admin runs it: `rapport run` in `dir`, configured from
/// `env` only (with a SQLite store there); stderr is piped for the test.
pub fn rapport_run_with<'a>(
    dir: &std::path::Path,
    env: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("run")
        .current_dir(dir)
        .env_clear()
        .env("RAPPORT_STORE__URL", "sqlite://rapport.db")
        .envs(env)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("rapport starts")
}
