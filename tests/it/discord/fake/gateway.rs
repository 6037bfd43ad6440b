//! The fake's gateway: HELLO, IDENTIFY per shard with READY and the
//! server on the shard that owns it, heartbeats, dropped connections and
//! RESUME with the events the bot missed.

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message as Frame;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use super::json::{guild_json, user_json};
use super::{BOT_ID, FakeDiscord, GUILD_ID, Gateway, REFUSED_TOKEN, State};

impl FakeDiscord {
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

    pub(super) async fn serve_gateway(self, listener: TcpListener) {
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
        let mut shard = None;
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
                incoming = stream.next() => match incoming {
                    Some(Ok(Frame::Text(text))) => {
                        if let Ok(payload) = serde_json::from_str::<Value>(&text) {
                            shard = self.receive(&tx, &payload).or(shard);
                        }
                    }
                    Some(Ok(Frame::Ping(_) | Frame::Pong(_) | Frame::Binary(_))) => {}
                    _ => break,
                },
            }
        }
        self.forget(&tx, shard);
    }

    /// Answers one payload from the bot; returns the shard it identified
    /// or resumed as, if it did.
    fn receive(&self, tx: &mpsc::UnboundedSender<Frame>, payload: &Value) -> Option<u32> {
        match payload["op"].as_u64() {
            Some(1) => {
                let _ = tx.send(Frame::text(json!({"op": 11}).to_string()));
                None
            }
            Some(2) => match shard_of(payload) {
                (0, _) => {
                    self.identify(tx, payload);
                    Some(0)
                }
                (id, count) => {
                    self.identify_other(tx, id, count);
                    Some(id)
                }
            },
            Some(6) => {
                self.resume(tx, payload);
                Some(0)
            }
            _ => None,
        }
    }

    /// A closed connection is no longer the shard's, unless the shard has
    /// already connected again.
    fn forget(&self, tx: &mpsc::UnboundedSender<Frame>, shard: Option<u32>) {
        let mut state = self.lock();
        let gateway = &mut state.gateway;
        match shard {
            Some(0)
                if gateway
                    .connection
                    .as_ref()
                    .is_some_and(|c| c.same_channel(tx)) =>
            {
                gateway.connection = None;
            }
            Some(id) if gateway.others.get(&id).is_some_and(|c| c.same_channel(tx)) => {
                gateway.others.remove(&id);
            }
            _ => {}
        }
        drop(state);
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
        let (_, count) = shard_of(payload);
        let (session, greeting) = greeting(&mut state, 0, count);
        let gateway = &mut state.gateway;
        gateway.identified.push((0, count));
        gateway.identifies += 1;
        gateway.intents = payload["d"]["intents"].as_u64().unwrap_or(0);
        gateway.session_id = session;
        gateway.seq = 0;
        gateway.sent.clear();
        gateway.connection = Some(tx.clone());
        for event in greeting
            .into_iter()
            .chain(std::mem::take(&mut gateway.pending))
        {
            send_dispatch(gateway, event);
        }
        drop(state);
        self.touch();
    }

    /// A shard other than 0: the same greeting, with sequence numbers of
    /// its own; nothing else is sent to it.
    fn identify_other(&self, tx: &mpsc::UnboundedSender<Frame>, id: u32, count: u32) {
        let mut state = self.lock();
        let (_, greeting) = greeting(&mut state, id, count);
        for (seq, mut event) in greeting.into_iter().enumerate() {
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

/// A new session for one shard: its id, READY, and the test server's
/// GUILD_CREATE when this shard carries it (the server is listed in
/// READY, unavailable, only there), each checked with serenity's types.
fn greeting(state: &mut State, id: u32, count: u32) -> (String, Vec<Value>) {
    let session = format!("session-{}", FakeDiscord::next_id(state));
    let owns_server = guild_shard(count) == id;
    let guilds = if owns_server {
        json!([{"id": GUILD_ID.to_string(), "unavailable": true}])
    } else {
        json!([])
    };
    let ready = json!({
        "v": 10,
        "user": user_json(BOT_ID, "rapport", true),
        "guilds": guilds,
        "session_id": session,
        "resume_gateway_url": state.gateway.url,
        "shard": [id, count],
        "application": {"id": BOT_ID.to_string(), "flags": 0},
        "private_channels": [],
        "presences": [],
        "relationships": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": [],
        "user_settings": {},
        "_trace": ["fake-discord"],
    });
    check_event("READY", &ready, &mut state.problems);
    let mut events = vec![json!({"op": 0, "t": "READY", "d": ready})];
    if owns_server {
        let guild = guild_json();
        check_event("GUILD_CREATE", &guild, &mut state.problems);
        events.push(json!({"op": 0, "t": "GUILD_CREATE", "d": guild}));
    }
    (session, events)
}
