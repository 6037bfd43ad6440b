//! The Matrix adapter against a real Synapse on 127.0.0.1, with real
//! matrix-sdk clients as the two partners, in an end-to-end encrypted room.
//!
//! Synapse comes from `tests/synapse/synapse.sh start` (CI starts it). When
//! it is not running, these tests say SKIPPED outside CI and fail under CI.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hmac::{Hmac, Mac};
use matrix_sdk::config::{RequestConfig, SyncSettings};
use matrix_sdk::ruma::api::client::room::create_room::v3::Request as CreateRoom;
use matrix_sdk::ruma::events::InitialStateEvent;
use matrix_sdk::ruma::events::reaction::ReactionEventContent;
use matrix_sdk::ruma::events::relation::Annotation;
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::events::room::member::StrippedRoomMemberEvent;
use matrix_sdk::ruma::events::room::message::{
    MessageFormat, MessageType, OriginalSyncRoomMessageEvent, Relation, RoomMessageEventContent,
};
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedUserId};
use matrix_sdk::{Client, Room};
use sha1::Sha1;

use rapport::adapters::matrix::{MatrixBot, MatrixSettings};
use rapport::delivery::Ports;

use crate::helpers::{TestEngine, in_ci, spawn_engine, utc};

/// The homeserver the tests use.
fn synapse_url() -> String {
    std::env::var("RAPPORT_TEST_SYNAPSE").unwrap_or_else(|_| "http://127.0.0.1:8008".into())
}

fn shared_secret() -> String {
    std::env::var("RAPPORT_TEST_SYNAPSE_SECRET")
        .unwrap_or_else(|_| "rapport-test-shared-secret".into())
}

/// `Some(url)` when Synapse answers; otherwise a note (or a failure in CI).
pub(crate) async fn synapse(test: &str) -> Option<String> {
    let url = synapse_url();
    let up = reqwest::get(format!("{url}/_matrix/client/versions"))
        .await
        .is_ok_and(|r| r.status().is_success());
    if up {
        return Some(url);
    }
    assert!(
        !in_ci(),
        "Synapse is required under CI but not reachable at {url}; start it with tests/synapse/synapse.sh start"
    );
    eprintln!("SKIPPED {test}: no Synapse at {url} (start it with tests/synapse/synapse.sh start)");
    None
}

/// Registers a fresh account through the shared-secret admin API.
async fn register(url: &str, name: &str) -> (OwnedUserId, String) {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let unique = format!(
        "{name}{}x{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let password = format!("{unique}-password");
    let http = reqwest::Client::new();
    let endpoint = format!("{url}/_synapse/admin/v1/register");
    let nonce: serde_json::Value = http
        .get(&endpoint)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let nonce = nonce["nonce"].as_str().unwrap().to_owned();
    let mut mac = Hmac::<Sha1>::new_from_slice(shared_secret().as_bytes()).unwrap();
    mac.update(format!("{nonce}\0{unique}\0{password}\0notadmin").as_bytes());
    let body = serde_json::json!({
        "nonce": nonce, "username": unique, "password": password, "admin": false,
        "mac": hex::encode(mac.finalize().into_bytes()),
    });
    let response = http.post(&endpoint).json(&body).send().await.unwrap();
    assert!(
        response.status().is_success(),
        "register {unique}: {}",
        response.text().await.unwrap()
    );
    (format!("@{unique}:localhost").parse().unwrap(), password)
}

/// A message a partner's client received: room, event, sender, text.
#[derive(Clone, Debug)]
pub(crate) struct Seen {
    pub(crate) room: OwnedRoomId,
    pub(crate) event: OwnedEventId,
    pub(crate) sender: OwnedUserId,
    pub(crate) body: String,
    /// `m.text`, `m.notice`, `m.image` or `m.file`.
    pub(crate) msgtype: String,
    /// The HTML `formatted_body` of a text or notice, if it has one.
    pub(crate) html: Option<String>,
    /// The event it is a Matrix reply to, if any.
    pub(crate) reply_to: Option<OwnedEventId>,
}

/// A partner: a real matrix-sdk client that joins every invite and keeps
/// every text it can read (encrypted ones after decryption).
pub(crate) struct Partner {
    pub(crate) client: Client,
    pub(crate) user: OwnedUserId,
    pub(crate) seen: Arc<Mutex<Vec<Seen>>>,
}

impl Partner {
    pub(crate) async fn new(url: &str, name: &str) -> Partner {
        let (user, password) = register(url, name).await;
        // Our loop below retries; the SDK's own back-off would wait long.
        let client = Client::builder()
            .homeserver_url(url)
            .request_config(RequestConfig::new().disable_retry())
            .build()
            .await
            .unwrap();

        client
            .matrix_auth()
            .login_username(user.as_str(), &password)
            .await
            .unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let store = seen.clone();
        client.add_event_handler(move |event: OriginalSyncRoomMessageEvent, room: Room| {
            let store = store.clone();
            async move {
                let msgtype = event.content.msgtype();
                let html = match &event.content.msgtype {
                    MessageType::Notice(notice) => notice.formatted.as_ref(),
                    MessageType::Text(text) => text.formatted.as_ref(),
                    _ => None,
                }
                .filter(|f| f.format == MessageFormat::Html)
                .map(|f| f.body.clone());
                let reply_to = match &event.content.relates_to {
                    Some(Relation::Reply(reply)) => Some(reply.in_reply_to.event_id.clone()),
                    _ => None,
                };
                let body = match &event.content.msgtype {
                    MessageType::Notice(notice) => notice.body.clone(),
                    MessageType::Text(text) => text.body.clone(),
                    MessageType::Image(image) => format!("[image] {}", image.body),
                    MessageType::File(file) => format!(
                        "[file] {} filename={:?} size={:?}",
                        file.body,
                        file.filename,
                        file.info.as_ref().and_then(|info| info.size)
                    ),
                    _ => return,
                };
                store.lock().unwrap().push(Seen {
                    room: room.room_id().to_owned(),
                    event: event.event_id.clone(),
                    sender: event.sender.clone(),
                    body,
                    msgtype: msgtype.to_owned(),
                    html,
                    reply_to,
                });
            }
        });
        client.add_event_handler(
            |event: StrippedRoomMemberEvent, room: Room, client: Client| async move {
                if client.user_id() == Some(event.state_key.as_ref()) {
                    tokio::spawn(async move {
                        for _ in 0..20 {
                            if room.join().await.is_ok() {
                                return;
                            }
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                    });
                }
            },
        );
        // Our own loop: `sync()` ends at the first error, and a partner must
        // keep listening through a homeserver restart.
        let syncing = client.clone();
        tokio::spawn(async move {
            let mut settings = SyncSettings::default().timeout(Duration::from_secs(1));
            loop {
                match syncing.sync_once(settings.clone()).await {
                    Ok(response) => settings = settings.token(response.next_batch),
                    Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                }
            }
        });

        Partner { client, user, seen }
    }

    /// Waits (on the real homeserver, up to 30 s) for a text from `from`
    /// containing `needle`.
    pub(crate) async fn expect(&self, from: &OwnedUserId, needle: &str) -> Seen {
        for _ in 0..600 {
            if let Some(found) = self
                .seen
                .lock()
                .unwrap()
                .iter()
                .find(|s| &s.sender == from && s.body.contains(needle))
            {
                return found.clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "{} never saw {needle:?}; saw {:#?}",
            self.user,
            self.seen.lock().unwrap()
        );
    }

    pub(crate) async fn say(&self, room: &OwnedRoomId, text: &str) -> OwnedEventId {
        let room = self.client.get_room(room).expect("in the room");
        room.send(RoomMessageEventContent::text_plain(text))
            .await
            .unwrap()
            .response
            .event_id
    }

    /// Edits an earlier message of ours, as clients do (`m.replace`).
    pub(crate) async fn edit(&self, room: &OwnedRoomId, original: &OwnedEventId, text: &str) {
        let room = self.client.get_room(room).expect("in the room");
        let content = serde_json::json!({
            "msgtype": "m.text",
            "body": format!("* {text}"),
            "m.new_content": {"msgtype": "m.text", "body": text},
            "m.relates_to": {"rel_type": "m.replace", "event_id": original},
        });
        room.send_raw("m.room.message", content).await.unwrap();
    }

    /// An encrypted room with the others invited.
    pub(crate) async fn create_encrypted_room(&self, invite: &[&OwnedUserId]) -> OwnedRoomId {
        let mut request = CreateRoom::new();
        request.invite = invite.iter().map(|u| (*u).clone()).collect();
        request.initial_state = vec![
            InitialStateEvent::with_empty_state_key(
                RoomEncryptionEventContent::with_recommended_defaults(),
            )
            .to_raw_any(),
        ];
        self.client
            .create_room(request)
            .await
            .unwrap()
            .room_id()
            .to_owned()
    }
}

/// The bot's account and store, kept across restarts of the bot.
pub(crate) struct Account {
    pub(crate) user: OwnedUserId,
    pub(crate) password: String,
    pub(crate) store: tempfile::TempDir,
}

impl Account {
    /// How the bot logs in to `url` as this account.
    pub(crate) fn settings(&self, url: &str, catch_up: Duration) -> MatrixSettings {
        MatrixSettings {
            homeserver: url.to_owned(),
            user_id: self.user.to_string(),
            password: Some(self.password.clone().into()),
            access_token: None,
            store_dir: self.store.path().to_owned(),
            command_prefix: "!rapport".into(),
            allowed: Vec::new(),
            store_passphrase: None,
            catch_up,
        }
    }

    pub(crate) async fn new(url: &str) -> Account {
        let (user, password) = register(url, "rapport").await;
        Account {
            user,
            password,
            store: tempfile::tempdir().unwrap(),
        }
    }
}

/// The bot: an engine on a manual clock behind the Matrix adapter.
pub(crate) struct Bot {
    pub(crate) t: TestEngine,
    pub(crate) user: OwnedUserId,
    device: Option<String>,
    pub(crate) ports: Ports,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    running: Option<tokio::task::JoinHandle<()>>,
}

impl Bot {
    pub(crate) async fn start(url: &str, account: &Account) -> Bot {
        Bot::start_on(url, account, spawn_engine().await).await
    }

    pub(crate) async fn start_on(url: &str, account: &Account, t: TestEngine) -> Bot {
        Bot::start_catching_up(url, account, t, Duration::from_secs(600)).await
    }

    /// A bot that answers commands sent while it was down up to `catch_up`
    /// old.
    pub(crate) async fn start_catching_up(
        url: &str,
        account: &Account,
        t: TestEngine,
        catch_up: Duration,
    ) -> Bot {
        let bot = MatrixBot::connect(account.settings(url, catch_up))
            .await
            .expect("the bot connects");
        let device = bot.device_id();
        let ports = Ports::default().with(Arc::new(bot.port(&t.engine)));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(bot.run(t.engine.clone(), async move {
            let _ = stopped.await;
        }));
        Bot {
            t,
            user: account.user.clone(),
            device,
            ports,
            stop: Some(stop),
            running: Some(running),
        }
    }

    /// One scheduler and delivery pass.
    pub(crate) async fn tick(&self) {
        self.t.tick(&self.ports).await;
    }

    /// Stops the bot and waits until it has; returns its engine, whose
    /// database outlives the bot like a real one would.
    pub(crate) async fn shut_down(mut self) -> TestEngine {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(running) = self.running.take() {
            running.await.unwrap();
        }
        TestEngine {
            engine: self.t.engine.clone(),
            clock: self.t.clock.clone(),
        }
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// ana and ben in an encrypted room with the bot, paired through it.
/// Returns the room.
/// An encrypted room `owner` makes, with the bot and `others` invited,
/// once all have joined.
pub(crate) async fn group_room(bot: &Bot, owner: &Partner, others: &[&Partner]) -> OwnedRoomId {
    let mut invite = vec![&bot.user];
    invite.extend(others.iter().map(|p| &p.user));
    let room = owner.create_encrypted_room(&invite).await;
    // The bot joins on its own (same server, so allowed); wait until it has.
    until_joined(owner, &room, invite.len() as u64 + 1).await;
    room
}

/// Waits (up to 30 s) until `partner` sees at least `count` people joined
/// in `room`.
pub(crate) async fn until_joined(partner: &Partner, room: &OwnedRoomId, count: u64) {
    for _ in 0..600 {
        if partner
            .client
            .get_room(room)
            .is_some_and(|r| r.joined_members_count() >= count)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) async fn paired(bot: &Bot, ana: &Partner, ben: &Partner) -> OwnedRoomId {
    let room = group_room(bot, ana, &[ben]).await;
    ana.say(&room, &format!("!rapport pair invite {}", ben.user))
        .await;
    // ana's confirmation is private: it comes in her direct room.
    let sent = ana.expect(&bot.user, "private invite").await;
    assert_ne!(sent.room, room, "private things go to the direct room");
    bot.tick().await; // the invite to ben goes through the outbox
    let invite = ben.expect(&bot.user, "would like to pair with you").await;
    assert!(invite.body.contains("1️⃣ Accept"), "{}", invite.body);
    assert_eq!(invite.msgtype, "m.text", "an invite notifies");
    let html = invite.html.as_deref().unwrap_or_default();
    assert!(
        html.contains("<ul><li>1️⃣ Accept") && !html.contains('\n'),
        "choices are an HTML list beside the plain text: {html}"
    );
    assert!(
        invite.body.contains("— pair accept") && !invite.body.contains("!rapport"),
        "in a direct room the commands shown need no prefix: {}",
        invite.body
    );
    assert_eq!(sent.msgtype, "m.notice", "a confirmation need not");
    let picked = ben.say(&invite.room, "1").await;
    let paired = ben.expect(&bot.user, "now paired").await;
    assert_eq!(
        paired.reply_to.as_ref(),
        Some(&picked),
        "the answer is a Matrix reply to the line it answers"
    );
    assert!(
        sent.reply_to.is_none(),
        "an answer moved to the direct room replies to nothing there"
    );
    bot.tick().await;
    ana.expect(&bot.user, "accepted your invite").await;
    // Their space is not ana's room, which she could open to anyone, but
    // one rapport opens for the two of them.
    let welcome = ana
        .expect(&bot.user, "just for the two of you and rapport")
        .await;
    assert_ne!(welcome.room, room);
    let seen_by_ben = ben
        .expect(&bot.user, "just for the two of you and rapport")
        .await;
    assert_eq!(seen_by_ben.room, welcome.room);
    welcome.room
}

/// A bot, ana and ben on `url`, paired in an encrypted room (the account
/// holds the bot's store, so it must live as long as the bot).
pub(crate) async fn paired_couple(url: &str) -> (Account, Bot, Partner, Partner, OwnedRoomId) {
    let account = Account::new(url).await;
    let bot = Bot::start(url, &account).await;
    let (ana, ben) = (
        Partner::new(url, "ana").await,
        Partner::new(url, "ben").await,
    );
    let room = paired(&bot, &ana, &ben).await;
    (account, bot, ana, ben, room)
}

/// ana proposes daily check-ins at 20:00 in `room`; ben accepts by
/// choosing 1; ana hears of it.
pub(crate) async fn daily_check_ins(bot: &Bot, ana: &Partner, ben: &Partner, room: &OwnedRoomId) {
    ana.say(room, "!rapport checkin schedule daily 20:00").await;
    // Each answer to the requester comes after the engine handled the
    // command, so the outbox holds the partner's message by then.
    ana.expect(&bot.user, "Nothing starts until they say yes")
        .await;
    bot.tick().await;
    let proposal = ben.expect(&bot.user, "would like regular check-ins").await;
    ben.say(&proposal.room, "1").await;
    ben.expect(&bot.user, "Check-ins are on").await;
    bot.tick().await;
    ana.expect(&bot.user, "said yes to check-ins").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partners_pair_and_reword_in_an_encrypted_room() {
    let Some(url) = synapse("matrix pairing").await else {
        return;
    };
    let (account, bot, ana, ben, room) = paired_couple(&url).await;
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(account.store.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o700,
            "the Matrix store is the service's alone"
        );
    }
    let encrypted = ana
        .client
        .get_room(&room)
        .unwrap()
        .latest_encryption_state()
        .await
        .unwrap();
    assert!(encrypted.is_encrypted(), "the couple's room is encrypted");

    // Rewording is private: asked in the shared room, it is refused with a
    // pointer to the direct room, where it works; and as rapport made the
    // room, it takes the typed line down.
    ana.say(&room, "!rapport reword You never listen to me")
        .await;
    let refused = ana.expect(&bot.user, "in a direct message").await;
    assert_ne!(refused.room, room, "the refusal is private too");
    let mut redacted = false;
    for _ in 0..200 {
        let read = crate::matrix_privacy::timelines(&ben).await;
        if read
            .iter()
            .filter(|r| r.room == room)
            .all(|r| !r.json.contains("You never listen to me"))
        {
            redacted = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(redacted, "the partner can no longer read the typed line");
    ana.say(&refused.room, "reword You never listen to me")
        .await;
    let suggestion = ana.expect(&bot.user, "I feel").await;
    assert_eq!(suggestion.room, refused.room, "a reword answer is private");
    assert!(
        ben.seen
            .lock()
            .unwrap()
            .iter()
            .all(|s| !s.body.contains("I feel")),
        "ben sees nothing of it"
    );
    // Ordinary talk in the space is left alone.
    ana.say(&room, "Dinner at 7?").await;
    ana.say(&room, "!rapport help").await;
    ana.expect(&bot.user, "rapport helps the two of you").await;

    // A promise, told to the partner privately.
    let direct = suggestion.room.clone();
    ana.say(&direct, "goal promise Call when I'm running late")
        .await;
    ana.expect(&bot.user, "Your promise is on").await;
    bot.tick().await;
    let told = ben.expect(&bot.user, "made you a promise").await;
    assert_ne!(told.room, room);
    assert_eq!(
        ben.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.body.contains("made you a promise"))
            .count(),
        1
    );

    // An edited command is declined kindly, never read as "*".
    let typed = ana.say(&direct, "settings").await;
    ana.expect(&bot.user, "Your settings").await;
    ana.edit(&direct, &typed, "settings zone Asia/Tokyo").await;
    ana.expect(&bot.user, "I only act on an edit of a check-in answer")
        .await;
    assert!(
        ana.seen
            .lock()
            .unwrap()
            .iter()
            .all(|seen| !seen.body.contains("I don't know the command")),
        "an edit is never answered as an unknown command"
    );

    // The export is a file a client can show with its name and size.
    ana.say(&direct, "mydata export").await;
    let file = ana.expect(&bot.user, "[file] rapport-mydata.json").await;
    assert_eq!(file.room, direct);
    assert!(
        file.body.contains("filename=Some(\"rapport-mydata.json\")")
            && file.body.contains("size=Some("),
        "{}",
        file.body
    );

    // In the couple's room only rapport moderates: neither partner can
    // invite anyone in.
    let levels = ana
        .client
        .get_room(&room)
        .unwrap()
        .power_levels()
        .await
        .unwrap();
    assert!(levels.user_can_invite(&bot.user), "{levels:?}");
    for partner in [&ana.user, &ben.user] {
        assert!(!levels.user_can_invite(partner), "{levels:?}");
        assert!(!levels.user_can_kick(partner), "{levels:?}");
    }
    let carl = Partner::new(&url, "carl").await;
    let invited = ana
        .client
        .get_room(&room)
        .unwrap()
        .invite_user_by_id(&carl.user)
        .await;
    assert!(
        invited.is_err(),
        "the homeserver refuses ana's invite of carl"
    );

    // In a room of ana's own (she made it: power level 100), its
    // moderators decide whether the coach may look at messages; ben (0)
    // may not.
    let town = group_room(&bot, &ana, &[&ben]).await;
    // A command sent in the clear into this encrypted room (as a server,
    // or anyone holding a member's token, could) is ignored; the same one
    // encrypted is answered.
    let before = ana.seen.lock().unwrap().len();
    let token = ana.client.access_token().unwrap();
    let plain = reqwest::Client::new()
        .put(format!(
            "{url}/_matrix/client/v3/rooms/{town}/send/m.room.message/plain-pair"
        ))
        .bearer_auth(token)
        .json(&serde_json::json!({"msgtype": "m.text", "body": "!rapport pair"}))
        .send()
        .await
        .unwrap();
    assert!(plain.status().is_success(), "{plain:?}");
    crate::matrix_privacy::ask(&bot, &ana, &town, "!rapport settings", "Your settings").await;
    let answered_plain = ana.seen.lock().unwrap()[before..]
        .iter()
        .filter(|seen| seen.sender == bot.user && seen.body.contains("You're paired with"))
        .count();
    assert_eq!(
        answered_plain, 0,
        "the unencrypted command was not answered"
    );
    ben.say(&town, "!rapport settings space nudges off").await;
    ben.expect(&bot.user, "Only the people who moderate").await;
    ana.say(&town, "!rapport settings space nudges off").await;
    let turned_off = ana.expect(&bot.user, "A moderator turned off").await;
    assert_eq!(turned_off.room, town, "said where everyone sees it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_in_asks_privately_takes_a_reaction_and_reveals_in_the_room() {
    let Some(url) = synapse("matrix check-in").await else {
        return;
    };
    let (_account, bot, ana, ben, room) = paired_couple(&url).await;
    daily_check_ins(&bot, &ana, &ben, &room).await;

    bot.t.clock.set(utc(2026, 3, 2, 20, 0));
    bot.tick().await;
    let asked_ana = ana.expect(&bot.user, "Check-in time").await;
    let asked_ben = ben.expect(&bot.user, "Check-in time").await;
    assert_eq!(
        (asked_ana.msgtype.as_str(), asked_ben.msgtype.as_str()),
        ("m.text", "m.text"),
        "a check-in question notifies"
    );
    assert_ne!(asked_ana.room, room, "questions come privately");
    let first = ana
        .say(&asked_ana.room, "checkin answer 6 a first thought")
        .await;
    ana.expect(&bot.user, "your answer is saved").await;
    // She edits it before ben answers: the edit is her answer now.
    ana.edit(
        &asked_ana.room,
        &first,
        "checkin answer 7 a good day together <b>&</b> more",
    )
    .await;
    let saved = |ana: &Partner| {
        ana.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.body.contains("your answer is saved"))
            .count()
    };
    for _ in 0..600 {
        if saved(&ana) == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(saved(&ana), 2, "the edit is answered as the answer again");
    // ben answers with a keycap reaction on the question.
    let reaction = ReactionEventContent::new(Annotation::new(asked_ben.event.clone(), "8️⃣".into()));
    ben.client
        .get_room(&asked_ben.room)
        .unwrap()
        .send(reaction)
        .await
        .unwrap();
    ben.expect(&bot.user, "You've both answered").await;

    bot.tick().await;
    let reveal = ben.expect(&bot.user, "a good day together").await;
    assert_eq!(reveal.room, room, "the reveal lands in the shared room");
    let html = reveal.html.as_deref().unwrap_or_default();
    assert!(
        html.contains("a good day together &lt;b&gt;&amp;&lt;/b&gt; more") && !html.contains("<b>"),
        "what ana wrote is shown, never read as markup: {html}"
    );
    assert!(
        !reveal.body.contains("a first thought"),
        "the edit replaced the answer before the reveal: {}",
        reveal.body
    );

    // The history comes with its chart as an image.
    ana.say(&asked_ana.room, "checkin history").await;
    let chart = ana.expect(&bot.user, "[image] checkin-trend.png").await;
    assert_eq!(chart.room, asked_ana.room);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_bot_keeps_its_device_catches_up_and_joins_waiting_invites() {
    let Some(url) = synapse("matrix restart").await else {
        return;
    };
    let account = Account::new(&url).await;
    let bot = Bot::start(&url, &account).await;
    let first_device = bot.device.clone();
    assert!(first_device.is_some());
    let ana = Partner::new(&url, "ana").await;
    let known = ana.create_encrypted_room(&[&bot.user]).await;
    ana.say(&known, "!rapport help").await;
    ana.expect(&bot.user, "rapport helps the two of you").await;

    let t = bot.shut_down().await;
    // While the bot is away: a command in a room it knows, and an invite.
    ana.say(&known, "!rapport reword You never call me back")
        .await;
    let waiting = ana.create_encrypted_room(&[&account.user]).await;

    let bot = Bot::start_on(&url, &account, t).await;
    assert_eq!(
        bot.device, first_device,
        "the session was restored, not a new login"
    );
    until_joined(&ana, &waiting, 2).await;
    // Answered (privately: a room ana made is not her direct room with
    // rapport, even with only the two of them), so the invite from while
    // it was away was joined.
    ana.say(&waiting, "!rapport settings").await;
    let answered = ana.expect(&bot.user, "Your settings").await;
    assert_ne!(
        answered.room, waiting,
        "a private answer goes to a direct room"
    );
    // The command sent while it was away, minutes ago at most, is
    // answered too (privately, as a reword always is).
    let caught_up = ana.expect(&bot.user, "I feel").await;
    assert_ne!(caught_up.room, known);

    // One sent longer ago than the catch-up allows gets a note, not an
    // effect: here the allowance is nothing at all.
    let t = bot.shut_down().await;
    ana.say(&known, "!rapport settings zone Asia/Tokyo").await;
    let bot = Bot::start_catching_up(&url, &account, t, Duration::ZERO).await;
    let noted = ana
        .expect(&bot.user, "I was offline when you sent this")
        .await;
    assert_ne!(noted.room, known, "the note is private");
    let zones: Vec<Option<String>> = {
        let mut tx = bot.t.engine.store().begin().await.unwrap();
        sqlx::query_scalar("SELECT time_zone FROM users")
            .fetch_all(&mut *tx)
            .await
            .unwrap()
    };
    assert!(
        zones
            .iter()
            .all(|zone| zone.as_deref() != Some("Asia/Tokyo")),
        "no stale effect: {zones:?}"
    );
    let answers = |needle: &str| {
        ana.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|seen| seen.sender == bot.user && seen.body.contains(needle))
            .count()
    };
    assert_eq!(answers("Your settings"), 1, "nothing is answered twice");
    assert_eq!(answers("rapport helps the two of you"), 1);
}

/// A Synapse of the test's own (another port and folder), so restarting it
/// disturbs no other test. Stopped when dropped.
struct OwnSynapse {
    env: Vec<(String, String)>,
    url: String,
}

impl OwnSynapse {
    async fn start(port: u16) -> OwnSynapse {
        let target = concat!(env!("CARGO_MANIFEST_DIR"), "/target");
        let env = vec![
            ("SYNAPSE_PORT".to_owned(), port.to_string()),
            (
                "SYNAPSE_DIR".to_owned(),
                format!("{target}/synapse-{port}-{}", std::process::id()),
            ),
            ("SYNAPSE_VENV".to_owned(), format!("{target}/synapse/venv")),
        ];
        let synapse = OwnSynapse {
            env,
            url: format!("http://127.0.0.1:{port}"),
        };
        synapse.run("start").await;
        synapse
    }

    async fn run(&self, action: &'static str) {
        let env = self.env.clone();
        let status = tokio::task::spawn_blocking(move || {
            std::process::Command::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/synapse/synapse.sh"
            ))
            .arg(action)
            .envs(env)
            .status()
        })
        .await
        .unwrap()
        .expect("run tests/synapse/synapse.sh");
        assert!(status.success(), "synapse.sh {action} failed");
    }
}

impl Drop for OwnSynapse {
    fn drop(&mut self) {
        let _ = std::process::Command::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/synapse/synapse.sh"
        ))
        .arg("stop")
        .envs(self.env.clone())
        .status();
        if let Some((_, dir)) = self.env.iter().find(|(name, _)| name == "SYNAPSE_DIR") {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_homeserver_restart_between_firing_and_delivery_loses_nothing() {
    if synapse("matrix homeserver restart").await.is_none() {
        return;
    }
    let synapse = OwnSynapse::start(8009).await;
    let url = synapse.url.clone();
    let (_account, bot, ana, ben, room) = paired_couple(&url).await;
    daily_check_ins(&bot, &ana, &ben, &room).await;

    // The homeserver goes down; the check-in fires and cannot be sent.

    synapse.run("stop").await;
    bot.t.clock.set(utc(2026, 3, 2, 20, 0));
    let (due, delivered) = bot.t.tick(&bot.ports).await;
    assert_eq!(due.fired, 1);
    assert_eq!((delivered.sent, delivered.retried), (0, 2), "{delivered:?}");

    // Back up: the retry delivers both questions, once each.
    synapse.run("start").await;
    bot.t.clock.advance(chrono::Duration::minutes(1));
    let (_, delivered) = bot.t.tick(&bot.ports).await;
    assert_eq!(delivered.sent, 2, "{delivered:?}");
    ana.expect(&bot.user, "Check-in time").await;
    ben.expect(&bot.user, "Check-in time").await;
    bot.t.clock.advance(chrono::Duration::minutes(5));
    bot.tick().await;
    for partner in [&ana, &ben] {
        let asked = partner
            .seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.body.contains("Check-in time"))
            .count();
        assert_eq!(asked, 1, "{} was asked once", partner.user);
    }
}
