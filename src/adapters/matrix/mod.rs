//! The Matrix adapter (matrix-sdk 0.18, end-to-end encryption on).
//!
//! - Login with a password or an access token; the session and the crypto
//!   keys live in `store_dir` (SQLite), so a restart is the same device.
//! - An initial sync runs before any handler, so old messages are never
//!   answered; invites that arrived while offline are joined after it, and
//!   new invites from allowed people as they come, with retries.
//! - Commands are `!rapport …` in shared rooms; in a direct room every line
//!   is for the bot. Choices are numbered: reply with the number or react
//!   with its keycap. Replies are `m.notice`; private ones go to the
//!   person's direct room.
//! - Our own sync loop, so a quick run of syncs never waits matrix-sdk's
//!   fixed one-second back-off; errors back off from 200 ms.
//!
//! The adapter holds no rules: everything it hears becomes an engine
//! request, and everything but the direct answer goes through the outbox.

mod port;
pub mod render;

use std::collections::{HashMap, HashSet, VecDeque};
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::config::{RequestConfig, SyncSettings};
use matrix_sdk::ruma::events::reaction::OriginalSyncReactionEvent;
use matrix_sdk::ruma::events::room::member::StrippedRoomMemberEvent;
use matrix_sdk::ruma::events::room::message::{MessageType, OriginalSyncRoomMessageEvent};
use matrix_sdk::ruma::events::room::power_levels::UserPowerLevel;
use matrix_sdk::ruma::{MilliSecondsSinceUnixEpoch, OwnedEventId, OwnedRoomId, UserId};
use matrix_sdk::store::RoomLoadSettings;
use matrix_sdk::{Client, Room, RoomMemberships, RoomState, SessionMeta, SessionTokens};

use secrecy::{ExposeSecret, SecretString};

use crate::domain::{Choice, Platform, SpaceRef, UserRef};
use crate::engine::Engine;
use crate::engine::message::{Actor, Outgoing, Place, Recipient};
pub use port::MatrixPort;
use render::Incoming;

/// How the bot logs in and behaves; built from `[matrix]`.
pub struct MatrixSettings {
    pub homeserver: String,
    pub user_id: String,
    pub password: Option<SecretString>,
    pub access_token: Option<SecretString>,
    pub store_dir: PathBuf,
    pub command_prefix: String,
    pub allowed: Vec<String>,
}

/// Matrix's customary power level for moderators.
const MODERATOR_POWER_LEVEL: i64 = 50;
/// Longest wait of one long-poll sync.
const SYNC_TIMEOUT: Duration = Duration::from_secs(30);
/// Choices remembered per message, for reactions (oldest dropped first).
const REMEMBERED_CHOICES: usize = 2000;

/// A logged-in bot, synced once, ready to run.
pub struct MatrixBot {
    client: Client,
    /// Events older than the start are history, not requests, even if they
    /// reach a handler after it (a room key that arrives late lets an old
    /// message be decrypted later). Assumes the homeserver's clock and ours
    /// agree, as NTP keeps them.
    history_before: MilliSecondsSinceUnixEpoch,
    /// Events the first sync brought: history, even if a late room key
    /// lets one of them reach a handler after the start.
    history: Arc<HashSet<OwnedEventId>>,
    settings: Arc<MatrixSettings>,
    next_batch: String,
    choices: Arc<ChoiceMemory>,
}

/// Choices by the event that offered them, with the events in order so
/// the oldest can be forgotten.
type ChoicesByEvent = (HashMap<OwnedEventId, Vec<Choice>>, VecDeque<OwnedEventId>);

/// The choices offered, by room (for a typed number) and by event (for a
/// reaction). Memory only: after a restart the typed command still works.
#[derive(Default)]
pub(crate) struct ChoiceMemory {
    by_room: Mutex<HashMap<OwnedRoomId, Vec<Choice>>>,
    by_event: Mutex<ChoicesByEvent>,
}

impl ChoiceMemory {
    pub(crate) fn offered(
        &self,
        room: &OwnedRoomId,
        event: Option<OwnedEventId>,
        choices: &[Choice],
    ) {
        if choices.is_empty() {
            return;
        }
        lock(&self.by_room).insert(room.clone(), choices.to_vec());
        if let Some(event) = event {
            let mut guard = lock(&self.by_event);
            let (map, order) = &mut *guard;
            map.insert(event.clone(), choices.to_vec());
            order.push_back(event);
            if order.len() > REMEMBERED_CHOICES
                && let Some(oldest) = order.pop_front()
            {
                map.remove(&oldest);
            }
        }
    }

    fn in_room(&self, room: &OwnedRoomId, number: usize) -> Option<Choice> {
        lock(&self.by_room).get(room)?.get(number - 1).cloned()
    }

    fn on_event(&self, event: &OwnedEventId, number: usize) -> Option<Choice> {
        lock(&self.by_event).0.get(event)?.get(number - 1).cloned()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl MatrixBot {
    /// Logs in (or restores the stored session), syncs once and joins the
    /// invites from allowed people that arrived while the bot was away.
    pub async fn connect(settings: MatrixSettings) -> anyhow::Result<MatrixBot> {
        std::fs::create_dir_all(&settings.store_dir).with_context(|| {
            format!(
                "cannot create the Matrix store folder {}",
                settings.store_dir.display()
            )
        })?;
        // A few retries, not the default quarter of an hour: the outbox
        // retries a failed delivery on its own schedule.
        let requests = RequestConfig::new().retry_limit(3);
        let client = Client::builder()
            .homeserver_url(&settings.homeserver)
            .sqlite_store(settings.store_dir.join("sdk"), None)
            .request_config(requests)
            .build()
            .await
            .context("cannot set up the Matrix client")?;
        let session_file = settings.store_dir.join("session.json");
        match read_session(&session_file)? {
            Some(session) => client
                .matrix_auth()
                .restore_session(session, RoomLoadSettings::default())
                .await
                .context("cannot restore the Matrix session")?,
            None => {
                let session = new_session(&client, &settings).await?;
                write_session(&session_file, &session)?;
            }
        }
        let response = client
            .sync_once(SyncSettings::default())
            .await
            .context("the first Matrix sync failed")?;
        tracing::info!(device = ?client.device_id(), "Matrix session ready");
        let history: HashSet<OwnedEventId> = response
            .rooms
            .joined
            .values()
            .flat_map(|room| room.timeline.events.iter())
            .filter_map(|event| event.event_id())
            .collect();
        let bot = MatrixBot {
            history: Arc::new(history),
            history_before: MilliSecondsSinceUnixEpoch::now(),
            client,
            settings: Arc::new(settings),
            next_batch: response.next_batch,
            choices: Arc::new(ChoiceMemory::default()),
        };
        for room in bot.client.invited_rooms() {
            let inviter = room
                .invite_details()
                .await
                .ok()
                .and_then(|d| d.inviter)
                .map(|m| m.user_id().to_owned());
            if inviter.is_some_and(|who| allowed(&bot.settings, &bot.client, &who)) {
                join_with_retry(room).await;
            }
        }
        Ok(bot)
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
            self.choices.clone(),
            engine.shared_catalog(),
        )
    }

    /// Handles events until `shutdown` resolves.
    pub async fn run(self, engine: Arc<Engine>, shutdown: impl Future<Output = ()>) {
        let client = self.client.clone();
        let settings = self.settings.clone();
        let port = Arc::new(self.port(&engine));
        {
            let (engine, settings, port, choices) = (
                engine.clone(),
                settings.clone(),
                port.clone(),
                self.choices.clone(),
            );
            let (started, history) = (self.history_before, self.history.clone());
            client.add_event_handler(move |event: OriginalSyncRoomMessageEvent, room: Room| {
                let (engine, settings, port, choices) = (
                    engine.clone(),
                    settings.clone(),
                    port.clone(),
                    choices.clone(),
                );
                let old = event.origin_server_ts < started || history.contains(&event.event_id);
                async move {
                    if !old {
                        on_message(event, room, &engine, &settings, &port, &choices).await;
                    }
                }
            });
        }
        {
            let (engine, port, choices) = (engine.clone(), port.clone(), self.choices.clone());
            let (started, history) = (self.history_before, self.history.clone());
            client.add_event_handler(move |event: OriginalSyncReactionEvent, room: Room| {
                let (engine, port, choices) = (engine.clone(), port.clone(), choices.clone());
                let old = event.origin_server_ts < started || history.contains(&event.event_id);
                async move {
                    if !old {
                        on_reaction(event, room, &engine, &port, &choices).await;
                    }
                }
            });
        }
        {
            let settings = settings.clone();
            client.add_event_handler(
                move |event: StrippedRoomMemberEvent, room: Room, client: Client| {
                    let settings = settings.clone();
                    async move {
                        if client.user_id() == Some(event.state_key.as_ref())
                            && allowed(&settings, &client, &event.sender)
                        {
                            tokio::spawn(join_with_retry(room));
                        }
                    }
                },
            );
        }
        sync_loop(client, self.next_batch, shutdown).await;
    }
}

/// Long-polls until shutdown; failures back off from 200 ms to 30 s.
async fn sync_loop(client: Client, mut token: String, shutdown: impl Future<Output = ()>) {
    tokio::pin!(shutdown);
    let mut backoff = Duration::from_millis(200);
    loop {
        let settings = SyncSettings::default()
            .token(token.clone())
            .timeout(SYNC_TIMEOUT);
        tokio::select! {
            () = &mut shutdown => return,
            result = client.sync_once(settings) => match result {
                Ok(response) => {
                    token = response.next_batch;
                    backoff = Duration::from_millis(200);
                }
                Err(error) => {
                    tracing::warn!(%error, ?backoff, "Matrix sync failed; retrying");
                    tokio::select! {
                        () = &mut shutdown => return,
                        () = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(30));
                }
            }
        }
    }
}

/// Whether invites from `who` are accepted.
fn allowed(settings: &MatrixSettings, client: &Client, who: &UserId) -> bool {
    if settings.allowed.is_empty() {
        return client
            .user_id()
            .is_some_and(|me| me.server_name() == who.server_name());
    }
    settings
        .allowed
        .iter()
        .any(|entry| match entry.strip_prefix(':') {
            Some(server) => who.server_name().as_str() == server,
            None => who.as_str() == entry,
        })
}

/// Joins a room, retrying: an invite can arrive before the room is ready
/// on a busy homeserver.
async fn join_with_retry(room: Room) {
    let mut delay = Duration::from_millis(250);
    for attempt in 1..=6 {
        match room.join().await {
            Ok(()) => {
                tracing::info!(room = %room.room_id(), "joined");
                return;
            }
            Err(error) => {
                tracing::warn!(room = %room.room_id(), attempt, %error, "cannot join yet");
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
        }
    }
}

async fn new_session(client: &Client, settings: &MatrixSettings) -> anyhow::Result<MatrixSession> {
    if let Some(password) = &settings.password {
        client
            .matrix_auth()
            .login_username(&settings.user_id, password.expose_secret())
            .initial_device_display_name("rapport")
            .await
            .context("Matrix login failed")?;
        return client
            .matrix_auth()
            .session()
            .context("the Matrix login returned no session");
    }
    let token = settings
        .access_token
        .as_ref()
        .context("neither a password nor an access token is configured")?;
    let whoami = whoami(&settings.homeserver, token).await?;
    let session = MatrixSession {
        meta: SessionMeta {
            user_id: whoami
                .0
                .parse()
                .context("the homeserver sent a bad user id")?,
            device_id: whoami.1.into(),
        },
        tokens: SessionTokens {
            access_token: token.expose_secret().to_owned(),
            refresh_token: None,
        },
    };
    client
        .matrix_auth()
        .restore_session(session.clone(), RoomLoadSettings::default())
        .await
        .context("cannot use the Matrix access token")?;
    Ok(session)
}

/// (user id, device id) of an access token.
async fn whoami(homeserver: &str, token: &SecretString) -> anyhow::Result<(String, String)> {
    #[derive(serde::Deserialize)]
    struct WhoAmI {
        user_id: String,
        device_id: Option<String>,
    }
    let url = format!(
        "{}/_matrix/client/v3/account/whoami",
        homeserver.trim_end_matches('/')
    );
    let response: WhoAmI = reqwest::Client::new()
        .get(url)
        .bearer_auth(token.expose_secret())
        .send()
        .await
        .context("cannot reach the homeserver")?
        .error_for_status()
        .context("the homeserver refused the access token")?
        .json()
        .await
        .context("the homeserver's whoami answer is unreadable")?;
    let device = response
        .device_id
        .context("the access token belongs to no device; log in with a password once")?;
    Ok((response.user_id, device))
}

fn read_session(path: &std::path::Path) -> anyhow::Result<Option<MatrixSession>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .with_context(|| format!("the Matrix session file {} is damaged", path.display())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Saves the session (it holds the access token: owner-only permissions).
fn write_session(path: &std::path::Path, session: &MatrixSession) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    let bytes = serde_json::to_vec(session).context("cannot encode the Matrix session")?;
    file.write_all(&bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Where a message in `room` comes from: a direct room or a shared space.
/// When in doubt it is a space: private replies then go to a direct room,
/// never the other way round.
async fn place_of(room: &Room) -> Place {
    // The member list, fetched once per room if the sync has not told us
    // yet: the summary's counts lag behind a fresh join.
    let active = room
        .members(RoomMemberships::ACTIVE)
        .await
        .map(|members| members.len());
    let direct = room.is_direct().await.unwrap_or(false) || matches!(active, Ok(2));

    if direct {
        Place::Direct
    } else {
        Place::Space(SpaceRef::new(Platform::Matrix, room.room_id().as_str()))
    }
}

/// The person, with their room display name; power level 50 or more
/// (Matrix's "moderator") moderates the room.
async fn actor_of(room: &Room, sender: &UserId) -> Actor {
    let member = room.get_member_no_sync(sender).await.ok().flatten();
    let name = member
        .as_ref()
        .and_then(|m| m.display_name().map(str::to_owned))
        .unwrap_or_else(|| sender.localpart().to_owned());
    let moderator = member.is_some_and(|m| match m.power_level() {
        UserPowerLevel::Int(level) => i64::from(level) >= MODERATOR_POWER_LEVEL,
        // A room creator (room version 12) is above every level.
        UserPowerLevel::Infinite => true,
        _ => false,
    });
    Actor::new(UserRef::new(Platform::Matrix, sender.as_str()), name).with_moderator(moderator)
}

async fn on_message(
    event: OriginalSyncRoomMessageEvent,
    room: Room,
    engine: &Engine,
    settings: &MatrixSettings,
    port: &MatrixPort,
    choices: &ChoiceMemory,
) {
    if room.state() != RoomState::Joined || Some(event.sender.as_ref()) == room.client().user_id() {
        return;
    }
    let MessageType::Text(text) = &event.content.msgtype else {
        return;
    };
    let place = place_of(&room).await;
    let actor = actor_of(&room, &event.sender).await;
    let room_id = room.room_id().to_owned();
    let line = match render::classify(&text.body, &settings.command_prefix, place == Place::Direct)
    {
        Incoming::Command(line) => line,
        Incoming::Choice(number) => match choices.in_room(&room_id, number) {
            Some(choice) => choice.command,
            None => number.to_string(),
        },
        Incoming::Chat(body) => {
            let outgoing = engine.observe(&actor, &place, &body).await;
            deliver_all(
                engine,
                port,
                &room,
                &place,
                &actor,
                event.event_id.as_str(),
                outgoing,
            )
            .await;
            return;
        }
    };
    let event_id = event.event_id.as_str();
    handle_line(engine, port, &room, &place, &actor, event_id, &line).await;
}

/// Runs one command line and delivers what it answers.
async fn handle_line(
    engine: &Engine,
    port: &MatrixPort,
    room: &Room,
    place: &Place,
    actor: &Actor,
    event_id: &str,
    line: &str,
) {
    let outgoing = engine.handle_text(actor.clone(), place.clone(), line).await;
    deliver_all(engine, port, room, place, actor, event_id, outgoing).await;
}

async fn on_reaction(
    event: OriginalSyncReactionEvent,
    room: Room,
    engine: &Engine,
    port: &MatrixPort,
    choices: &ChoiceMemory,
) {
    if Some(event.sender.as_ref()) == room.client().user_id() {
        return;
    }
    let relation = &event.content.relates_to;
    let Some(number) = render::choice_of_reaction(&relation.key) else {
        return;
    };
    let Some(choice) = choices.on_event(&relation.event_id, number) else {
        return;
    };
    let place = place_of(&room).await;
    let actor = actor_of(&room, &event.sender).await;
    let event_id = event.event_id.as_str();
    handle_line(
        engine,
        port,
        &room,
        &place,
        &actor,
        event_id,
        &choice.command,
    )
    .await;
}

/// The answer to the requester goes out now; everything else through the
/// outbox, keyed by the triggering event so a redelivered event is
/// answered once.
async fn deliver_all(
    engine: &Engine,
    port: &MatrixPort,
    room: &Room,
    place: &Place,
    actor: &Actor,
    event_id: &str,
    outgoing: Vec<Outgoing>,
) {
    for (index, out) in outgoing.into_iter().enumerate() {
        let key = format!("matrix:{event_id}:{index}");
        if out.to == Recipient::Requester {
            let private_elsewhere = out.reply.private && matches!(place, Place::Space(_));
            let result = if private_elsewhere {
                crate::delivery::ChatPort::send_to_user(port, &actor.user, &key, &out.reply).await
            } else {
                port.send_to_room(room, &key, &out.reply).await
            };
            if let Err(error) = result {
                tracing::error!(%error, "cannot answer on Matrix");
            }
        } else if let Err(error) = engine.defer(&key, &out).await {
            tracing::error!(error.cause_chain = ?error, "cannot queue a Matrix message");
        }
    }
}
