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
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::{Notify, mpsc};
use tokio_tungstenite::tungstenite::Message as Frame;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

#[path = "openapi.rs"]
pub mod openapi;
#[path = "fake_threads.rs"]
pub mod threads;
use openapi::{Body, OpenApi};

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

    // ----- gateway -------------------------------------------------------

    /// Sends a dispatch event now, or when the bot has (re)connected.
    pub fn dispatch(&self, event: &str, data: Value) {
        check_event(event, &data, &mut self.lock().problems);
        let mut state = self.lock();
        let payload = json!({"op": 0, "t": event, "d": data});
        if state.gateway.connection.is_some() {
            send_dispatch(&mut state.gateway, payload);
        } else {
            state.gateway.pending.push(payload);
        }
    }

    /// Drops the bot's connection as a network failure would (no close
    /// handshake); the session stays resumable.
    pub fn drop_connection(&self) {
        let mut state = self.lock();
        if let Some(connection) = state.gateway.connection.take() {
            let _ = connection.send(Frame::Close(Some(CloseFrame {
                code: CloseCode::Library(4000),
                reason: "test drop".into(),
            })));
        }
        drop(state);
        self.touch();
    }

    /// Sends an interaction and returns its id.
    pub fn interact(&self, mut interaction: Value) -> u64 {
        let id = {
            let mut state = self.lock();
            let id = Self::next_id(&mut state);
            let token = format!("token-{id}");
            state.tokens.insert(token.clone(), id);
            interaction["id"] = json!(id.to_string());
            interaction["token"] = json!(token);
            id
        };
        self.dispatch("INTERACTION_CREATE", interaction);
        id
    }

    async fn serve_gateway(self, listener: TcpListener) {
        while let Ok((stream, _)) = listener.accept().await {
            let fake = self.clone();
            tokio::spawn(async move {
                if let Ok(socket) = tokio_tungstenite::accept_async(stream).await {
                    fake.gateway_session(socket).await;
                }
            });
        }
    }

    async fn gateway_session(
        self,
        socket: tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>,
    ) {
        let (mut sink, mut stream) = socket.split();
        let (tx, mut rx) = mpsc::unbounded_channel::<Frame>();
        let hello = json!({"op": 10, "d": {"heartbeat_interval": 41250}});
        if sink.send(Frame::text(hello.to_string())).await.is_err() {
            return;
        }
        let mut mine = false;
        let mut other_shard = None;
        loop {
            tokio::select! {
                frame = rx.recv() => match frame {
                    Some(frame @ Frame::Close(_)) => {
                        let _ = sink.send(frame).await;
                        return;
                    }
                    Some(frame) => if sink.send(frame).await.is_err() { break },
                    None => break,
                },
                incoming = stream.next() => {
                    let Some(Ok(Frame::Text(text))) = incoming else {
                        match incoming {
                            Some(Ok(Frame::Ping(_) | Frame::Pong(_) | Frame::Binary(_))) => continue,
                            _ => break,
                        }
                    };
                    let Ok(payload) = serde_json::from_str::<Value>(&text) else { continue };
                    match payload["op"].as_u64() {
                        Some(1) => { let _ = tx.send(Frame::text(json!({"op": 11}).to_string())); }
                        Some(2) => match shard_of(&payload) {
                            (0, _) => { mine = true; self.identify(&tx, &payload); }
                            (id, count) => { other_shard = Some(id); self.identify_other(&tx, id, count); }
                        },
                        Some(6) => { mine = true; self.resume(&tx, &payload); }
                        _ => {}
                    }
                }
            }
        }
        if let Some(id) = other_shard {
            let mut state = self.lock();
            if state
                .gateway
                .others
                .get(&id)
                .is_some_and(|c| c.same_channel(&tx))
            {
                state.gateway.others.remove(&id);
            }
        }
        if mine {
            let mut state = self.lock();
            if state
                .gateway
                .connection
                .as_ref()
                .is_some_and(|c| c.same_channel(&tx))
            {
                state.gateway.connection = None;
            }
        }
        self.touch();
    }

    fn identify(&self, tx: &mpsc::UnboundedSender<Frame>, payload: &Value) {
        let token = payload["d"]["token"].as_str().unwrap_or("");
        if token.trim_start_matches("Bot ") == REFUSED_TOKEN {
            let _ = tx.send(Frame::Close(Some(CloseFrame {
                code: CloseCode::Library(4004),
                reason: "Authentication failed.".into(),
            })));
            return;
        }
        let mut state = self.lock();
        if payload["d"]["token"].as_str().is_none() {
            state.problems.push("IDENTIFY without a token".into());
        }
        let session = format!("session-{}", Self::next_id(&mut state));
        let url = state.gateway.url.clone();
        let (_, count) = shard_of(payload);
        let gateway = &mut state.gateway;
        gateway.identified.push((0, count));
        gateway.identifies += 1;
        gateway.intents = payload["d"]["intents"].as_u64().unwrap_or(0);
        gateway.session_id = session.clone();
        gateway.seq = 0;
        gateway.sent.clear();
        gateway.connection = Some(tx.clone());
        let ready = json!({
            "v": 10,
            "user": user_json(BOT_ID, "rapport", true),
            "guilds": [{"id": GUILD_ID.to_string(), "unavailable": true}],
            "session_id": session,
            "resume_gateway_url": url,
            "shard": [0, count],
            "application": {"id": BOT_ID.to_string(), "flags": 0},
            "private_channels": [],
            "presences": [],
            "relationships": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "_trace": ["fake-discord"],
        });
        let guild = guild_json();
        let mut problems = Vec::new();
        check_event("READY", &ready, &mut problems);
        check_event("GUILD_CREATE", &guild, &mut problems);
        state.problems.extend(problems);
        let gateway = &mut state.gateway;
        send_dispatch(gateway, json!({"op": 0, "t": "READY", "d": ready}));
        if guild_shard(count) == 0 {
            send_dispatch(gateway, json!({"op": 0, "t": "GUILD_CREATE", "d": guild}));
        }
        for pending in std::mem::take(&mut gateway.pending) {
            send_dispatch(gateway, pending);
        }
        drop(state);
        self.touch();
    }

    /// A shard other than 0: READY, and the server when it is this
    /// shard's, with sequence numbers of its own.
    fn identify_other(&self, tx: &mpsc::UnboundedSender<Frame>, id: u32, count: u32) {
        let mut state = self.lock();
        let session = format!("session-{}", Self::next_id(&mut state));
        let ready = json!({
            "v": 10,
            "user": user_json(BOT_ID, "rapport", true),
            "guilds": [],
            "session_id": session,
            "resume_gateway_url": state.gateway.url,
            "shard": [id, count],
            "application": {"id": BOT_ID.to_string(), "flags": 0},
        });
        let mut problems = Vec::new();
        check_event("READY", &ready, &mut problems);
        state.problems.extend(problems);
        let mut events = vec![json!({"op": 0, "t": "READY", "d": ready})];
        if guild_shard(count) == id {
            events.push(json!({"op": 0, "t": "GUILD_CREATE", "d": guild_json()}));
        }
        for (seq, mut event) in events.into_iter().enumerate() {
            event["s"] = json!(seq + 1);
            let _ = tx.send(Frame::text(event.to_string()));
        }
        state.gateway.identified.push((id, count));
        state.gateway.others.insert(id, tx.clone());
        drop(state);
        self.touch();
    }

    fn resume(&self, tx: &mpsc::UnboundedSender<Frame>, payload: &Value) {
        let mut state = self.lock();
        let gateway = &mut state.gateway;
        if payload["d"]["session_id"].as_str() != Some(gateway.session_id.as_str()) {
            // op 9, not resumable: the bot must identify again.
            let _ = tx.send(Frame::text(json!({"op": 9, "d": false}).to_string()));
            return;
        }
        gateway.resumes += 1;
        gateway.connection = Some(tx.clone());
        let after = payload["d"]["seq"].as_u64().unwrap_or(0);
        for (seq, event) in gateway.sent.iter().filter(|(seq, _)| *seq > after) {
            let _ = seq;
            let _ = tx.send(Frame::text(event.to_string()));
        }
        let resumed = json!({"op": 0, "t": "RESUMED", "d": {"_trace": ["fake-discord"]}});
        send_dispatch(gateway, resumed);
        for pending in std::mem::take(&mut gateway.pending) {
            send_dispatch(gateway, pending);
        }
        drop(state);
        self.touch();
    }

    // ----- REST ----------------------------------------------------------

    async fn serve_rest(self, listener: TcpListener) {
        while let Ok((stream, _)) = listener.accept().await {
            let fake = self.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let fake = fake.clone();
                    async move { Ok::<_, Infallible>(fake.handle(request).await) }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    }

    async fn handle(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let method = request.method().as_str().to_lowercase();
        let path = request.uri().path().to_owned();
        let content_type = request
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let authorized = request
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("Bot "));
        let bytes = request
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        let (mut body, files) = parse_body(&content_type, &bytes);
        accept_documented_variants(&mut body);
        let api_path = path.strip_prefix("/api/v10").unwrap_or(&path).to_owned();
        let (status, response) = self.route(&method, &api_path, &body, &files, authorized);
        {
            let mut state = self.lock();
            if !path.starts_with("/api/v10/") {
                state
                    .problems
                    .push(format!("{method} {path}: not under /api/v10"));
            }
            if !content_type.is_empty() || !body.is_null() {
                let problems = self.api.check(
                    &method,
                    &api_path,
                    Body::Request {
                        content_type: content_type.split(';').next().unwrap_or(""),
                    },
                    Some(&body),
                );
                state.problems.extend(problems);
            }
            // The document describes neither 5xx nor the limiter's 429.
            if status != 429 && status < 500 {
                let problems = self.api.check(
                    &method,
                    &api_path,
                    Body::Response { status },
                    response.as_ref(),
                );
                state.problems.extend(problems);
            }
            state.requests.push(Recorded {
                method: method.clone(),
                path: api_path,
                body,
                status,
                files,
            });
        }
        self.touch();
        let mut builder = Response::builder()
            .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
        if status == 429 {
            builder = builder
                .header("retry-after", "1")
                .header("x-ratelimit-global", "true")
                .header("x-ratelimit-scope", "global");
        }
        match response {
            Some(json) => builder
                .header("content-type", "application/json")
                .body(Full::new(Bytes::from(json.to_string()))),
            None => builder.body(Full::new(Bytes::new())),
        }
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
    }

    fn route(
        &self,
        method: &str,
        path: &str,
        body: &Value,
        files: &[String],
        authorized: bool,
    ) -> (u16, Option<Value>) {
        let mut state = self.lock();
        if !authorized {
            return (
                401,
                Some(json!({"code": 0, "message": "401: Unauthorized"})),
            );
        }
        if let Some(limit) = state.limit_per_second {
            let now = Instant::now();
            let window = state.rate_window.unwrap_or(Duration::from_secs(1));
            while state
                .recent
                .front()
                .is_some_and(|t| now.duration_since(*t) >= window)
            {
                state.recent.pop_front();
            }
            if state.recent.len() >= limit {
                state.rate_limited += 1;
                return (
                    429,
                    Some(
                        json!({"message": "You are being rate limited.", "retry_after": 1.0, "global": true, "code": 0}),
                    ),
                );
            }
            state.recent.push_back(now);
        }
        if let Some(index) = state
            .failures
            .iter()
            .position(|(p, _, _)| path.contains(p.as_str()))
        {
            let (_, status, body) = state.failures.remove(index).unwrap_or_default();
            return (status, Some(body));
        }
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        match (method, parts.as_slice()) {
            ("get", ["gateway"]) => (200, Some(json!({"url": state.gateway.url}))),
            ("get", ["gateway", "bot"]) => (
                200,
                Some(json!({
                    "url": state.gateway.url,
                    "shards": state.shard_count.max(1),
                    "session_start_limit": {
                        "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1,
                    },
                })),
            ),
            ("get", ["oauth2", "applications", "@me"]) => (200, Some(application_json())),
            (
                "get",
                ["applications", _, "commands"] | ["applications", _, "guilds", _, "commands"],
            ) => (200, Some(state.commands.clone())),
            (
                "put",
                ["applications", _, "commands"] | ["applications", _, "guilds", _, "commands"],
            ) => {
                let mut registered = Vec::new();
                for command in body.as_array().into_iter().flatten() {
                    // Discord leaves out what was sent as null.
                    let mut command = without_nulls(command);
                    if let Some(bits) = command["default_member_permissions"].as_u64() {
                        command["default_member_permissions"] = json!(bits.to_string());
                    }
                    command["id"] = json!(Self::next_id(&mut state).to_string());
                    command["application_id"] = json!(BOT_ID.to_string());
                    command["version"] = json!("1");
                    command["type"] = json!(command["type"].as_u64().unwrap_or(1));
                    if command.get("default_member_permissions").is_none() {
                        command["default_member_permissions"] = Value::Null;
                    }
                    registered.push(command);
                }
                state.commands = Value::Array(registered.clone());
                (200, Some(Value::Array(registered)))
            }
            ("post", ["users", "@me", "channels"]) => {
                let Some(user) = body["recipient_id"]
                    .as_str()
                    .and_then(|id| id.parse::<u64>().ok())
                else {
                    return (
                        400,
                        Some(json!({"code": 50035, "message": "Invalid Form Body"})),
                    );
                };
                let channel = match state.dm_channels.get(&user) {
                    Some(channel) => *channel,
                    None => {
                        let channel = Self::next_id(&mut state);
                        state.dm_channels.insert(user, channel);
                        channel
                    }
                };
                let name = state
                    .users
                    .get(&user)
                    .cloned()
                    .unwrap_or_else(|| "someone".into());
                (
                    200,
                    Some(json!({
                        "id": channel.to_string(),
                        "type": 1,
                        "flags": 0,
                        "last_message_id": null,
                        "recipients": [user_json(user, &name, false)],
                    })),
                )
            }
            ("post", ["channels", channel, "messages"]) => {
                let Ok(channel) = channel.parse::<u64>() else {
                    return (
                        404,
                        Some(json!({"code": 10003, "message": "Unknown Channel"})),
                    );
                };
                let dm_of = state
                    .dm_channels
                    .iter()
                    .find(|(_, c)| **c == channel)
                    .map(|(u, _)| *u);
                if dm_of.is_some_and(|user| state.dm_closed.contains(&user)) {
                    return (
                        403,
                        Some(
                            json!({"code": 50007, "message": "Cannot send messages to this user"}),
                        ),
                    );
                }
                if dm_of.is_none() && channel != CHANNEL_ID && !state.threads.contains_key(&channel)
                {
                    return (
                        404,
                        Some(json!({"code": 10003, "message": "Unknown Channel"})),
                    );
                }
                if body["enforce_nonce"] == json!(true)
                    && let Some(nonce) = body["nonce"].as_str()
                    && let Some(id) = state.nonces.get(&(channel, nonce.to_owned()))
                    && let Some(earlier) = state.messages.iter().find(|m| m.id() == *id)
                {
                    return (200, Some(earlier.json.clone()));
                }
                let id = Self::next_id(&mut state);
                let json = message_json(id, channel, body, files);
                if let Some(nonce) = body["nonce"].as_str() {
                    state.nonces.insert((channel, nonce.to_owned()), id);
                }
                state.messages.push(Posted {
                    channel_id: channel,
                    content: body["content"].as_str().unwrap_or("").to_owned(),
                    components: body["components"].clone(),
                    files: files.to_vec(),
                    json: json.clone(),
                });
                (200, Some(json))
            }
            ("patch", ["channels", channel, "messages", message]) => {
                let (Ok(channel), Ok(message)) = (channel.parse::<u64>(), message.parse::<u64>())
                else {
                    return (
                        404,
                        Some(json!({"code": 10008, "message": "Unknown Message"})),
                    );
                };
                // Only the bot's own messages, in the channel they are in.
                let Some(posted) = state
                    .messages
                    .iter_mut()
                    .find(|m| m.channel_id == channel && m.id() == message)
                else {
                    return (
                        404,
                        Some(json!({"code": 10008, "message": "Unknown Message"})),
                    );
                };
                if let Some(components) = body.get("components") {
                    // As Discord does, every component gets its numeric id.
                    let mut component_id = 0;
                    posted.components = components.clone();
                    posted.json["components"] = number_components(components, &mut component_id);
                }
                if let Some(content) = body["content"].as_str() {
                    posted.content = content.to_owned();
                    posted.json["content"] = json!(content);
                }
                (200, Some(posted.json.clone()))
            }
            ("delete", ["channels", channel, "messages", message]) => {
                let known_channel = channel.parse::<u64>().ok().filter(|channel| {
                    *channel == CHANNEL_ID
                        || state.threads.contains_key(channel)
                        || state.dm_channels.values().any(|c| c == channel)
                });
                let Some(channel) = known_channel else {
                    return (
                        404,
                        Some(json!({"code": 10003, "message": "Unknown Channel"})),
                    );
                };
                // Only in the channel it was posted in; the bot may delete
                // its own messages anywhere, and every message here is its own.
                let found = message.parse::<u64>().ok().and_then(|id| {
                    state
                        .messages
                        .iter()
                        .position(|m| m.channel_id == channel && m.id() == id)
                });
                let Some(index) = found else {
                    return (
                        404,
                        Some(json!({"code": 10008, "message": "Unknown Message"})),
                    );
                };
                let gone = state.messages.remove(index);
                state.nonces.retain(|_, id| *id != gone.id());
                state.deleted.push(gone);
                (204, None)
            }
            ("post", ["interactions", id, token, "callback"]) => {
                let known = state.tokens.get(*token).copied();
                match (known, id.parse::<u64>()) {
                    (Some(known), Ok(id)) if known == id => {
                        if state.answers.iter().any(|a| a.interaction_id == id) {
                            return (
                                400,
                                Some(
                                    json!({"code": 40060, "message": "Interaction has already been acknowledged."}),
                                ),
                            );
                        }
                        let now = Instant::now();
                        state.acknowledged.entry(id).or_insert(now);
                        // 5 and 6 defer; 9 shows a form, which is shown.
                        if !matches!(body["type"].as_u64(), Some(5 | 6)) {
                            state.shown.entry(id).or_insert(now);
                        }
                        state.answers.push(Answer {
                            interaction_id: id,
                            kind: body["type"].as_u64().unwrap_or(0),
                            data: body["data"].clone(),
                            files: files.to_vec(),
                        });
                        (204, None)
                    }
                    _ => (
                        404,
                        Some(json!({"code": 10062, "message": "Unknown interaction"})),
                    ),
                }
            }
            ("post", ["webhooks", _, token])
            | ("patch", ["webhooks", _, token, "messages", "@original"]) => {
                let Some(interaction) = state.tokens.get(*token).copied() else {
                    return (
                        404,
                        Some(json!({"code": 10015, "message": "Unknown Webhook"})),
                    );
                };
                state
                    .followups
                    .push((method.to_owned(), (*token).to_owned(), body.clone()));
                state.shown.entry(interaction).or_insert_with(Instant::now);
                let id = Self::next_id(&mut state);
                (200, Some(message_json(id, CHANNEL_ID, body, files)))
            }
            ("delete", ["webhooks", _, token, "messages", "@original"]) => {
                state
                    .followups
                    .push((method.to_owned(), (*token).to_owned(), Value::Null));
                (204, None)
            }
            _ => threads::route(&mut state, method, &parts, body)
                .unwrap_or_else(|| (404, Some(json!({"code": 0, "message": "404: Not Found"})))),
        }
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

/// Rewrites the two places where serenity follows Discord's reference
/// documentation and the (preview) OpenAPI document disagrees with it, so
/// the document can check everything else:
/// - a new upload's id is its index as a number (`"id": 0`, as in Discord's
///   documented examples); the document types attachment ids as strings;
/// - a command's `default_member_permissions` is a string of digits, as
///   the reference says (and as the document's own response type has it);
///   the document's request type says integer.
fn accept_documented_variants(body: &mut Value) {
    for attachment in body
        .get_mut("attachments")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(index) = attachment.get("id").and_then(Value::as_u64) {
            attachment["id"] = json!(index.to_string());
        }
    }
    if let Some(data) = body.get_mut("data") {
        accept_documented_variants(data);
    }
    for command in body.as_array_mut().into_iter().flatten() {
        if let Some(bits) = command
            .get("default_member_permissions")
            .and_then(Value::as_str)
            .and_then(|bits| bits.parse::<u64>().ok())
        {
            command["default_member_permissions"] = json!(bits);
        }
    }
}

fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// The shard an IDENTIFY is for, as (id, count); (0, 1) without one.
fn shard_of(payload: &Value) -> (u32, u32) {
    let number = |index: usize| {
        payload["d"]["shard"][index]
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
    };
    (number(0).unwrap_or(0), number(1).unwrap_or(1).max(1))
}

/// The shard that carries the test server's events, as Discord computes it.
fn guild_shard(count: u32) -> u32 {
    u32::try_from((GUILD_ID >> 22) % u64::from(count.max(1))).unwrap_or(0)
}

fn send_dispatch(gateway: &mut Gateway, mut payload: Value) {
    gateway.seq += 1;
    payload["s"] = json!(gateway.seq);
    gateway.sent.push((gateway.seq, payload.clone()));
    if let Some(connection) = &gateway.connection {
        let _ = connection.send(Frame::text(payload.to_string()));
    }
}

/// Parses an event with serenity's types: what serenity cannot read, it
/// drops without a word, so the fake must never send it.
fn check_event(event: &str, data: &Value, problems: &mut Vec<String>) {
    use poise::serenity_prelude as serenity;
    let parsed = match event {
        "READY" => serde_json::from_value::<serenity::Ready>(data.clone()).map(drop),
        "GUILD_CREATE" => serde_json::from_value::<serenity::Guild>(data.clone()).map(drop),
        "INTERACTION_CREATE" => {
            serde_json::from_value::<serenity::Interaction>(data.clone()).map(drop)
        }
        "MESSAGE_CREATE" => serde_json::from_value::<serenity::Message>(data.clone()).map(drop),
        "MESSAGE_UPDATE" => {
            serde_json::from_value::<serenity::MessageUpdateEvent>(data.clone()).map(drop)
        }
        other => {
            problems.push(format!("the fake does not know the event {other}"));
            return;
        }
    };
    if let Err(error) = parsed {
        problems.push(format!("serenity cannot read {event}: {error}"));
    }
}

/// Splits a request body into its JSON and the names of uploaded files.
fn parse_body(content_type: &str, bytes: &[u8]) -> (Value, Vec<String>) {
    if let Some(boundary) = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
    {
        let boundary = boundary.trim_matches('"');
        let mut json = Value::Null;
        let mut files = Vec::new();
        let text = String::from_utf8_lossy(bytes);
        for part in text.split(&format!("--{boundary}")) {
            let Some((headers, content)) = part.split_once("\r\n\r\n") else {
                continue;
            };
            if headers.contains("name=\"payload_json\"") {
                json =
                    serde_json::from_str(content.trim_end_matches("\r\n")).unwrap_or(Value::Null);
            } else if let Some(name) = headers
                .split("filename=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
            {
                files.push(name.to_owned());
            }
        }
        return (json, files);
    }
    (
        serde_json::from_slice(bytes).unwrap_or(Value::Null),
        Vec::new(),
    )
}

pub fn user_json(id: u64, name: &str, bot: bool) -> Value {
    json!({
        "id": id.to_string(),
        "username": name,
        "discriminator": "0",
        "global_name": null,
        "avatar": null,
        "bot": bot,
        "public_flags": 0,
        "flags": 0,
        "primary_guild": null,
    })
}

fn application_json() -> Value {
    json!({
        "id": BOT_ID.to_string(),
        "name": "rapport",
        "icon": null,
        "description": "",
        "type": null,
        "verify_key": "0".repeat(64),
        "flags": 0,
        "flags_new": "0",
        "redirect_uris": [],
        "interactions_endpoint_url": null,
        "role_connections_verification_url": null,
        "owner": user_json(100, "owner", false),
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
        "approximate_user_authorization_count": 0,
        "explicit_content_filter": 0,
        "team": null,
        "eligible_oauth2_scopes": [],
        "bot_public": true,
        "bot_require_code_grant": false,
    })
}

fn guild_json() -> Value {
    json!({
        "id": GUILD_ID.to_string(),
        "name": "Home",
        "icon": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": "100",
        "afk_channel_id": null,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [{
            "id": GUILD_ID.to_string(),
            "name": "@everyone",
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
            "hoist": false,
            "icon": null,
            "unicode_emoji": null,
            "position": 0,
            "permissions": "2248473465835073",
            "managed": false,
            "mentionable": false,
            "flags": 0,
        }],
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "stickers": [],
        "joined_at": TIMESTAMP,
        "large": false,
        "unavailable": false,
        "member_count": 3,
        "members": [],
        "channels": [{
            "id": CHANNEL_ID.to_string(),
            "type": 0,
            "guild_id": GUILD_ID.to_string(),
            "name": "us",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": false,
            "topic": null,
            "last_message_id": null,
            "parent_id": null,
            "rate_limit_per_user": 0,
            "flags": 0,
        }],
        "threads": [],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "lazy": true,
    })
}

/// A message a person wrote in the couple's channel, as the gateway sends it.
pub fn message_from(id: u64, author: u64, name: &str, content: &str) -> Value {
    let mut message = message_json(id, CHANNEL_ID, &json!({"content": content}), &[]);
    message["author"] = user_json(author, name, false);
    message["guild_id"] = json!(GUILD_ID.to_string());
    message
}

/// A message as Discord returns it, built from what the bot sent.
fn message_json(id: u64, channel: u64, body: &Value, files: &[String]) -> Value {
    let attachments: Vec<Value> = files
        .iter()
        .enumerate()
        .map(|(index, name)| {
            json!({
                "id": (id + 1 + index as u64).to_string(),
                "filename": name,
                "size": 1,
                "url": format!("https://cdn.example/{name}"),
                "proxy_url": format!("https://media.example/{name}"),
            })
        })
        .collect();
    let mut component_id = 0;
    let components = number_components(&body["components"], &mut component_id);
    let mut message = json!({
        "id": id.to_string(),
        "channel_id": channel.to_string(),
        "author": user_json(BOT_ID, "rapport", true),
        "content": body["content"].as_str().unwrap_or(""),
        "timestamp": TIMESTAMP,
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": attachments,
        "embeds": [],
        "pinned": false,
        "type": 0,
        "flags": body["flags"].as_u64().unwrap_or(0),
        "components": components,
    });
    if let Some(nonce) = body.get("nonce").filter(|n| !n.is_null()) {
        message["nonce"] = nonce.clone();
    }
    message
}

/// Discord numbers every component in what it returns.
fn number_components(components: &Value, next: &mut u64) -> Value {
    match components {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| {
                    let mut item = item.clone();
                    *next += 1;
                    item["id"] = json!(*next);
                    if let Some(inner) = item.get("components").cloned() {
                        item["components"] = number_components(&inner, next);
                    }
                    if item["type"] == json!(3) {
                        item["min_values"] = item.get("min_values").cloned().unwrap_or(json!(1));
                        item["max_values"] = item.get("max_values").cloned().unwrap_or(json!(1));
                    }
                    item
                })
                .collect(),
        ),
        _ => json!([]),
    }
}
