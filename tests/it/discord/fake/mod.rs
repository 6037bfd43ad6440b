//! A fake Discord on 127.0.0.1 for the adapter's tests and benchmark: the
//! REST API (hyper) and the gateway (a WebSocket), with just enough
//! behaviour to be faithful for what rapport does.
//!
//! - Every request is recorded, and every request and response body is
//!   checked against Discord's OpenAPI document; problems are kept and the
//!   tests assert there are none.
//! - Every gateway event is first parsed with serenity's own types, so a
//!   payload serenity would silently drop fails the test instead.
//! - Behaviour: DM channels, private threads, messages with `enforce_nonce`, deleting a
//!   message (gone from the fake's state; 10008 when unknown), interaction
//!   callbacks and follow-ups, command registration, a 50007 for people
//!   whose DMs are closed, scripted failures, an optional global rate
//!   limit, and gateway sessions that can be dropped and resumed.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::{Notify, mpsc};
use tokio_tungstenite::tungstenite::Message as Frame;

mod gateway;
pub mod json;
pub mod openapi;
mod rest;
mod routes;
pub mod threads;

use openapi::OpenApi;

/// The bot's user id, which is also its application id.
pub const BOT_ID: u64 = 900_000_000_000_000_001;
pub const GUILD_ID: u64 = 500_000_000_000_000_001;
/// The couple's channel in the guild.
pub const CHANNEL_ID: u64 = 600_000_000_000_000_001;
/// The gateway closes with 4004 (authentication failed) for this token.
pub const REFUSED_TOKEN: &str = "refused-token";
const TIMESTAMP: &str = "2026-11-23T10:00:00.000000+00:00";

/// One REST request as the fake saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: Value,
    pub status: u16,
    /// Names of uploaded files.
    pub files: Vec<String>,
}

/// A message the bot posted in a channel (DMs included).
#[derive(Clone, Debug)]
pub struct Posted {
    pub channel_id: u64,
    pub content: String,
    pub components: Value,
    pub files: Vec<String>,
    pub json: Value,
}

impl Posted {
    /// The message's snowflake, as Discord gave it.
    pub fn id(&self) -> u64 {
        self.json["id"]
            .as_str()
            .and_then(|id| id.parse().ok())
            .unwrap_or(0)
    }
}

/// What the bot answered to one interaction.
#[derive(Clone, Debug)]
pub struct Answer {
    pub interaction_id: u64,
    /// Callback type: 4 message, 5 deferred, 6/7 component, 9 form.
    pub kind: u64,
    pub data: Value,
    pub files: Vec<String>,
}

#[derive(Default)]
struct State {
    requests: Vec<Recorded>,
    problems: Vec<String>,
    next_id: u64,
    users: HashMap<u64, String>,
    dm_channels: HashMap<u64, u64>,
    dm_closed: HashSet<u64>,
    messages: Vec<Posted>,
    /// Messages deleted through the API, in order.
    deleted: Vec<Posted>,
    /// The message each (channel, nonce) created, by id.
    nonces: HashMap<(u64, String), u64>,
    answers: Vec<Answer>,
    /// Follow-ups and edits, by interaction token.
    followups: Vec<(String, String, Value)>,
    tokens: HashMap<String, u64>,
    commands: Value,
    failures: VecDeque<(String, u16, Value)>,
    limit_per_second: Option<usize>,
    /// The limit's window: a second, unless a test shortens it.
    rate_window: Option<Duration>,
    recent: VecDeque<Instant>,
    /// The shards `GET /gateway/bot` recommends.
    shard_count: u32,
    rate_limited: usize,
    gateway: Gateway,
    threads: HashMap<u64, threads::Thread>,
    threads_forbidden: bool,
    /// When each interaction was first acknowledged (any callback), and
    /// when its real answer was shown (a message callback, or the edit or
    /// follow-up after a deferral): for the benchmark.
    acknowledged: HashMap<u64, Instant>,
    shown: HashMap<u64, Instant>,
}

#[derive(Default)]
struct Gateway {
    url: String,
    connection: Option<mpsc::UnboundedSender<Frame>>,
    session_id: String,
    seq: u64,
    /// Dispatches by sequence number, for resuming.
    sent: Vec<(u64, Value)>,
    /// Events waiting for a connection.
    pending: Vec<Value>,
    identifies: usize,
    resumes: usize,
    /// The intents of the last IDENTIFY.
    intents: u64,
    /// Shards other than 0, by id: connected, READY and left alone (shard
    /// 0 receives the DMs and the interactions tests send).
    others: HashMap<u32, mpsc::UnboundedSender<Frame>>,
    /// Every IDENTIFY's shard, as (id, count), in order.
    identified: Vec<(u32, u32)>,
}

/// The running fake; cheap to clone.
#[derive(Clone)]
pub struct FakeDiscord {
    state: Arc<Mutex<State>>,
    changed: Arc<Notify>,
    api: Arc<OpenApi>,
    pub api_base: String,
}

impl FakeDiscord {
    pub async fn start() -> FakeDiscord {
        let rest = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let gateway = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let fake = FakeDiscord {
            state: Arc::new(Mutex::new(State {
                next_id: 800_000_000_000_000_000,
                commands: json!([]),
                ..State::default()
            })),
            changed: Arc::new(Notify::new()),
            api: Arc::new(OpenApi::load()),
            api_base: format!("http://{}", rest.local_addr().unwrap()),
        };
        fake.lock().gateway.url = format!("ws://{}", gateway.local_addr().unwrap());
        tokio::spawn(fake.clone().serve_rest(rest));
        tokio::spawn(fake.clone().serve_gateway(gateway));
        fake
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn touch(&self) {
        self.changed.notify_waiters();
    }

    /// Messages shown and 429s answered so far, without copying the rest
    /// of what the fake keeps (for runs of thousands of requests).
    pub fn counts(&self) -> (usize, usize) {
        let state = self.lock();
        (state.messages.len(), state.rate_limited)
    }

    /// Waits (up to 20 s) until `ready` sees what it wants in the fake.
    pub async fn wait_for<T>(
        &self,
        what: &str,
        mut ready: impl FnMut(&FakeView) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(found) = ready(&self.view()) {
                return found;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let view = self.view();
                panic!(
                    "timed out waiting for {what}; requests: {:#?}",
                    view.requests
                        .iter()
                        .map(|r| format!("{} {} {}", r.method, r.path, r.status))
                        .collect::<Vec<_>>()
                );
            }
        }
    }

    /// A copy of what the fake knows now.
    pub fn view(&self) -> FakeView {
        let state = self.lock();
        FakeView {
            requests: state.requests.clone(),
            messages: state.messages.clone(),
            deleted: state.deleted.clone(),
            answers: state.answers.clone(),
            dm_channels: state.dm_channels.clone(),
            commands: state.commands.clone(),
            rate_limited: state.rate_limited,
            followups: state.followups.clone(),
            identifies: state.gateway.identifies,
            resumes: state.gateway.resumes,
            intents: state.gateway.intents,
            connected: state.gateway.connection.is_some(),
            shards_identified: state.gateway.identified.clone(),
            shards_connected: usize::from(state.gateway.connection.is_some())
                + state.gateway.others.len(),
        }
    }

    /// When an interaction was first acknowledged, and when its real
    /// answer was shown (see [`State::shown`]).
    pub fn timing(&self, interaction: u64) -> (Option<Instant>, Option<Instant>) {
        let state = self.lock();
        (
            state.acknowledged.get(&interaction).copied(),
            state.shown.get(&interaction).copied(),
        )
    }

    /// Everything that did not match Discord's document or serenity's types.
    pub fn problems(&self) -> Vec<String> {
        self.lock().problems.clone()
    }

    pub fn add_user(&self, id: u64, name: &str) {
        self.lock().users.insert(id, name.to_owned());
    }

    /// Discord's copy of a registered command gets another description, as
    /// if an older rapport had registered it.
    pub fn reword_command(&self, name: &str, description: &str) {
        let mut state = self.lock();
        for command in state.commands.as_array_mut().into_iter().flatten() {
            if command["name"] == name {
                command["description"] = Value::String(description.to_owned());
            }
        }
    }

    /// This person accepts no DMs from the bot (Discord's error 50007).
    pub fn close_dms(&self, user: u64) {
        self.lock().dm_closed.insert(user);
    }

    /// The next request whose path contains `path` fails with this status.
    pub fn fail_next(&self, path: &str, status: u16, body: Value) {
        self.lock()
            .failures
            .push_back((path.to_owned(), status, body));
    }

    /// Enforces a global limit, as Discord does (50 per second).
    /// Answers 429 past `limit` requests in any `window` (Discord's is a
    /// second; a shorter one lets a test send thousands quickly).
    pub fn limit_per(&self, limit: usize, window: Duration) {
        let mut state = self.lock();
        state.limit_per_second = Some(limit);
        state.rate_window = Some(window);
    }

    /// `GET /gateway/bot` recommends `count` shards.
    pub fn recommend_shards(&self, count: u32) {
        self.lock().shard_count = count;
    }

    pub fn limit_per_second(&self, limit: usize) {
        self.lock().limit_per_second = Some(limit);
    }

    fn next_id(state: &mut State) -> u64 {
        state.next_id += 1;
        state.next_id
    }
}

/// A snapshot of the fake's records.
pub struct FakeView {
    pub requests: Vec<Recorded>,
    /// Messages in channels now (deleted ones are gone).
    pub messages: Vec<Posted>,
    /// Messages deleted through the API, in order.
    pub deleted: Vec<Posted>,
    pub answers: Vec<Answer>,
    pub dm_channels: HashMap<u64, u64>,
    pub commands: Value,
    pub rate_limited: usize,
    /// Follow-ups (post), edits (patch) and removals (delete) of
    /// interaction answers: (method, interaction token, body).
    pub followups: Vec<(String, String, Value)>,
    pub identifies: usize,
    pub resumes: usize,
    pub intents: u64,
    pub connected: bool,
    /// Every IDENTIFY's shard, as (id, count), in order.
    pub shards_identified: Vec<(u32, u32)>,
    pub shards_connected: usize,
}

impl FakeView {
    /// Messages posted in a channel, oldest first.
    pub fn messages_in(&self, channel: u64) -> Vec<&Posted> {
        self.messages
            .iter()
            .filter(|m| m.channel_id == channel)
            .collect()
    }

    /// Messages in a person's DMs.
    pub fn dms_to(&self, user: u64) -> Vec<&Posted> {
        match self.dm_channels.get(&user) {
            Some(channel) => self.messages_in(*channel),
            None => Vec::new(),
        }
    }

    /// The message deletions the bot asked for, as (channel, message, status).
    pub fn deletions(&self) -> Vec<(u64, u64, u16)> {
        self.requests
            .iter()
            .filter(|r| r.method == "delete")
            .filter_map(
                |r| match r.path.trim_matches('/').split('/').collect::<Vec<_>>()[..] {
                    ["channels", channel, "messages", message] => {
                        Some((channel.parse().ok()?, message.parse().ok()?, r.status))
                    }
                    _ => None,
                },
            )
            .collect()
    }

    pub fn answer_to(&self, interaction: u64) -> Option<&Answer> {
        self.answers
            .iter()
            .find(|a| a.interaction_id == interaction)
    }
}
