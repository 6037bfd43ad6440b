//! The Matrix adapter (matrix-sdk 0.18, end-to-end encryption on).
//!
//! - Login with a password or an access token; the session and the crypto
//!   keys live in `store_dir` (SQLite), so a restart is the same device
//!   (`session.rs`).
//! - The handlers are in place before a first sync that does not wait: a
//!   command sent while rapport was starting, or down for at most
//!   `catch_up`, is answered; an older one gets a note, never a late effect
//!   (`sync.rs`). Invites that arrived while offline are joined after it,
//!   and new invites from allowed people as they come, with retries
//!   (`invites.rs`).
//! - Commands are `!rapport …` in shared rooms; in a direct room every line
//!   is for the bot (`handlers.rs`, `render.rs`). Choices are numbered:
//!   reply with the number or react with its keycap; the engine remembers
//!   what each offered, across restarts. What
//!   must be noticed (a question, an invite, a nudge, a reminder) is
//!   `m.text`, which notifies; the rest are `m.notice`. Each carries HTML
//!   beside its plain text, lists as lists (`html.rs`); an answer in the
//!   room of its command is a Matrix reply to it. Private replies go
//!   to the person's direct room; files carry their name and size
//!   (`port.rs`).
//! - Our own sync loop, so a quick run of syncs never waits matrix-sdk's
//!   fixed one-second back-off; errors back off from 200 ms (`sync.rs`).
//!
//! The adapter holds no rules: everything it hears becomes an engine
//! request, and everything but the direct answer goes through the outbox.

mod handlers;
mod html;
mod invites;
mod port;
pub mod render;
mod rooms;
mod session;
mod sync;
mod wire;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use matrix_sdk::deserialized_responses::EncryptionInfo;
use matrix_sdk::ruma::events::reaction::OriginalSyncReactionEvent;
use matrix_sdk::ruma::events::room::member::StrippedRoomMemberEvent;
use matrix_sdk::ruma::events::room::message::OriginalSyncRoomMessageEvent;
use matrix_sdk::{Client, Room};
use secrecy::SecretString;

use crate::engine::Engine;
use matrix_sdk::ruma::MilliSecondsSinceUnixEpoch;
pub use port::MatrixPort;
use sync::{Arrival, Freshness};

/// How the bot logs in and behaves; built from `[matrix]`.
#[derive(Clone)]
pub struct MatrixSettings {
    pub homeserver: String,
    pub user_id: String,
    pub password: Option<SecretString>,
    pub access_token: Option<SecretString>,
    pub store_dir: PathBuf,
    /// Encrypts the SDK store in `store_dir` (one made with it needs it
    /// ever after; one made without it cannot take it later).
    pub store_passphrase: Option<SecretString>,
    pub command_prefix: String,
    pub allowed: Vec<String>,
    /// How old a command sent while rapport was down may be and still be
    /// answered; older ones get a note instead.
    pub catch_up: std::time::Duration,
}

/// A logged-in bot, ready to run.
pub struct MatrixBot {
    client: Client,
    /// When it started, for telling fresh commands from stale ones.
    arrival: Arrival,
    settings: Arc<MatrixSettings>,
}

impl MatrixBot {
    /// Logs in, or restores the stored session.
    pub async fn connect(settings: MatrixSettings) -> anyhow::Result<MatrixBot> {
        let client = session::build_client(&settings).await?;
        let resumed = session::log_in(&client, &settings).await?;
        let arrival = Arrival {
            started: MilliSecondsSinceUnixEpoch::now(),
            catch_up: settings.catch_up,
            resumed,
        };
        Ok(MatrixBot {
            client,
            arrival,
            settings: Arc::new(settings),
        })
    }

    /// This login's device; the same across restarts on the same store.
    pub fn device_id(&self) -> Option<String> {
        self.client.device_id().map(|id| id.to_string())
    }

    /// The port the delivery worker sends Matrix messages through.
    pub fn port(&self, engine: &Engine) -> MatrixPort {
        MatrixPort::new(
            self.client.clone(),
            self.settings.clone(),
            engine.shared_offers(),
            engine.shared_catalog(),
        )
    }

    /// Handles events until `shutdown` resolves. The handlers are in place
    /// before the first sync, so what was sent while rapport was starting
    /// or down is answered (or, when too old, noted) rather than lost.
    pub async fn run(self, engine: Arc<Engine>, shutdown: impl Future<Output = ()>) {
        let port = Arc::new(self.port(&engine));
        self.handle_messages(&engine, &port);
        self.handle_reactions(&engine, &port);
        self.handle_invites();
        let token = match sync::first_sync(&self.client).await {
            Ok(token) => {
                invites::join_pending(&self.client, &self.settings).await;
                Some(token)
            }
            Err(error) => {
                tracing::warn!(error.cause_chain = ?error, "the first Matrix sync failed; retrying");
                None
            }
        };
        sync::sync_loop(self.client, token, engine.metrics(), shutdown).await;
        engine.metrics().set_connected("matrix", false);
    }

    /// Text messages that are not history go to the handler.
    fn handle_messages(&self, engine: &Arc<Engine>, port: &Arc<MatrixPort>) {
        let (engine, settings, port) = (engine.clone(), self.settings.clone(), port.clone());
        let arrival = self.arrival;
        self.client.add_event_handler(
            move |event: OriginalSyncRoomMessageEvent,
                  room: Room,
                  encryption: Option<EncryptionInfo>| {
                let (engine, settings, port) = (engine.clone(), settings.clone(), port.clone());
                let freshness = arrival.freshness(event.origin_server_ts);
                async move {
                    if freshness == Freshness::History
                        || !handlers::sealed_as_its_room(&room, encryption.as_ref())
                    {
                        return;
                    }
                    let handling = handlers::Handling {
                        engine: &engine,
                        settings: &settings,
                        port: &port,
                    };
                    handlers::on_message(event, room, handling, freshness).await;
                }
            },
        );
    }

    /// Reactions that are not history go to the handler.
    fn handle_reactions(&self, engine: &Arc<Engine>, port: &Arc<MatrixPort>) {
        let (engine, port) = (engine.clone(), port.clone());
        let arrival = self.arrival;
        self.client
            .add_event_handler(move |event: OriginalSyncReactionEvent, room: Room| {
                let (engine, port) = (engine.clone(), port.clone());
                // A stale keycap is dropped: the choice it picked is gone.
                let fresh = arrival.freshness(event.origin_server_ts) == Freshness::Fresh;
                async move {
                    // Reactions are sent in the clear even in encrypted
                    // rooms (clients do not encrypt them); a keycap names
                    // only one of rapport's own choices.
                    if fresh {
                        handlers::on_reaction(event, room, &engine, &port).await;
                    }
                }
            });
    }

    /// New invites go to the invite policy.
    fn handle_invites(&self) {
        let settings = self.settings.clone();
        self.client.add_event_handler(
            move |event: StrippedRoomMemberEvent, room: Room, client: Client| {
                let settings = settings.clone();
                async move { invites::on_invite(event, room, client, &settings).await }
            },
        );
    }
}
