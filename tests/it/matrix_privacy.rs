//! Privacy through a real Synapse: what a couple's leaving cancels never
//! reaches the partner, and a person's deleted words are gone from
//! rapport's database, the bot's Matrix store and the homeserver's copies
//! of what rapport posted.
//!
//! The bot's scheduler and delivery run only when a test ticks them
//! (`Bot::tick`), so commands here queue without anything being sent.

use std::path::{Path, PathBuf};

use matrix_sdk::deserialized_responses::TimelineEventKind;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, UInt};
use serde_json::Value;

use crate::helpers::{TestEngine, spawn_engine_on};
use crate::matrix::{Account, Bot, Partner, paired, paired_couple, synapse};

/// ana's and ben's direct rooms with the bot, as pairing made them.
pub(crate) async fn direct_rooms(
    bot: &Bot,
    ana: &Partner,
    ben: &Partner,
) -> (OwnedRoomId, OwnedRoomId) {
    let ana_dm = ana.expect(&bot.user, "private invite").await.room;
    let ben_dm = ben
        .expect(&bot.user, "would like to pair with you")
        .await
        .room;
    (ana_dm, ben_dm)
}

/// `who` types `line` in `room` and waits for the bot's answer holding
/// `answer`; returns that answer's text.
pub(crate) async fn ask(
    bot: &Bot,
    who: &Partner,
    room: &OwnedRoomId,
    line: &str,
    answer: &str,
) -> String {
    let before = who.seen.lock().unwrap().len();
    who.say(room, line).await;
    for _ in 0..600 {
        let seen = who.seen.lock().unwrap()[before..]
            .iter()
            .find(|s| s.sender == bot.user && s.body.contains(answer))
            .map(|s| s.body.clone());
        if let Some(body) = seen {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "{} typed {line:?} and never heard {answer:?}; saw {:#?}",
        who.user,
        who.seen.lock().unwrap()[before..].to_vec()
    );
}

/// Outbox rows in `state` whose payload holds `marker`.
async fn outbox_with(t: &TestEngine, state: &str, marker: &str) -> i64 {
    let mut tx = t.engine.store().begin().await.unwrap();
    let count =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state = $1 AND payload LIKE $2")
            .bind(state)
            .bind(format!("%{marker}%"))
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    count
}

/// Outbox rows still waiting for the delivery worker (to send or to take
/// down).
async fn outstanding(t: &TestEngine) -> i64 {
    let mut tx = t.engine.store().begin().await.unwrap();
    let count =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'retract')")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    count
}

/// Delivery passes, a minute apart, until nothing waits any more.
async fn deliver_all(bot: &Bot) {
    for _ in 0..20 {
        bot.tick().await;
        if outstanding(&bot.t).await == 0 {
            return;
        }
        bot.t.clock.advance(chrono::Duration::minutes(1));
    }
    panic!("the outbox never emptied");
}

/// One event of a room as a partner's client reads it back from the
/// homeserver (`/messages`, decrypted where it can be).
pub(crate) struct Read {
    pub(crate) room: OwnedRoomId,
    sender: Option<OwnedUserId>,
    /// The whole event as JSON, decrypted content included.
    pub(crate) json: String,
    undecryptable: bool,
}

/// Every event in every room `partner` is in, read back from the
/// homeserver.
pub(crate) async fn timelines(partner: &Partner) -> Vec<Read> {
    let mut read = Vec::new();
    for room in partner.client.joined_rooms() {
        let mut from: Option<String> = None;
        loop {
            let mut options = MessagesOptions::backward().from(from.as_deref());
            options.limit = UInt::from(100u32);
            let page = room.messages(options).await.unwrap();
            for event in &page.chunk {
                read.push(Read {
                    room: room.room_id().to_owned(),
                    sender: event.raw().get_field("sender").ok().flatten(),
                    json: event.raw().json().get().to_owned(),
                    undecryptable: matches!(event.kind, TimelineEventKind::UnableToDecrypt { .. }),
                });
            }
            match page.end {
                Some(end) if !page.chunk.is_empty() => from = Some(end),
                _ => break,
            }
        }
    }
    read
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_before_delivery_reaches_nobody() {
    let Some(url) = synapse("matrix leaving before delivery").await else {
        return;
    };
    let (_account, bot, ana, ben, _room) = paired_couple(&url).await;
    let (ana_dm, ben_dm) = direct_rooms(&bot, &ana, &ben).await;

    // Everything from ana's direct room, so the only way a marker could
    // reach ben is through what rapport sends him. No tick in between: the
    // worker sends nothing until the leave.
    let thanks = "leave-marker-thanks";
    let goal = "leave-marker-goal";
    let answer = "leave-marker-answer";
    ask(
        &bot,
        &ana,
        &ana_dm,
        &format!("appreciate {thanks}"),
        "Thank you for noticing",
    )
    .await;
    ask(
        &bot,
        &ana,
        &ana_dm,
        &format!("goal shared {goal}"),
        "once they say yes",
    )
    .await;
    // A check-in outside a schedule starts once both asked for it; ben
    // asks without having been sent ana's request (it waits in the outbox).
    ask(&bot, &ana, &ana_dm, "checkin now", "when they say yes").await;
    ask(&bot, &ben, &ben_dm, "checkin now", "A check-in has started").await;
    ask(
        &bot,
        &ana,
        &ana_dm,
        &format!("checkin answer 7 {answer}"),
        "your answer is saved",
    )
    .await;
    // ben answers too (the question to him waits in the outbox, but he
    // knows the grammar), so the reveal with ana's answer waits as well.
    ask(
        &bot,
        &ben,
        &ben_dm,
        "checkin answer 8 his own answer",
        "You've both answered",
    )
    .await;
    for marker in [thanks, goal, answer] {
        assert!(
            outbox_with(&bot.t, "pending", marker).await >= 1,
            "{marker} should be waiting in the outbox before the leave"
        );
    }

    ask(
        &bot,
        &ana,
        &ana_dm,
        "pair leave",
        "Do you really want to end the pairing",
    )
    .await;
    ask(
        &bot,
        &ana,
        &ana_dm,
        "pair leave confirm",
        "has ended and every schedule has stopped",
    )
    .await;
    deliver_all(&bot).await;
    let told = ben.expect(&bot.user, "has ended the pairing").await;

    // Read back from the homeserver, not just what ben's client happened
    // to be handed by its sync.
    let read = timelines(&ben).await;
    assert!(
        read.iter()
            .any(|r| r.room == told.room && r.json.contains("has ended the pairing")),
        "ben's timelines hold the notice he was sent"
    );
    let undecryptable: Vec<_> = read
        .iter()
        .filter(|r| r.undecryptable && r.sender.as_ref() == Some(&bot.user))
        .map(|r| &r.json)
        .collect();
    assert!(
        undecryptable.is_empty(),
        "ben can read everything the bot sent him, so the check below is not blind: {undecryptable:#?}"
    );
    let leaked: Vec<_> = read
        .iter()
        .filter(|r| r.json.contains("leave-marker-"))
        .map(|r| (&r.room, &r.sender, &r.json))
        .collect();
    assert!(
        leaked.is_empty(),
        "nothing queued before the leave reached ben: {leaked:#?}"
    );
    assert!(
        ben.seen
            .lock()
            .unwrap()
            .iter()
            .all(|s| !s.body.contains("leave-marker-")),
        "nor did his client see any of it"
    );
    for marker in [thanks, goal, answer] {
        assert_eq!(
            outbox_with(&bot.t, "pending", marker).await,
            0,
            "{marker} is no longer queued"
        );
    }
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The files under `dir` whose bytes hold `needle`.
pub(crate) fn holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|path| {
            // A file can vanish between listing and reading (a `-wal`
            // removed when its last connection closes): then it holds
            // nothing.
            std::fs::read(path)
                .is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
        })
        .collect()
}

/// The event as the homeserver gives it to `token`'s owner.
async fn fetch_event(url: &str, token: &str, room: &OwnedRoomId, event: &OwnedEventId) -> Value {
    let mut endpoint = reqwest::Url::parse(url).unwrap();
    endpoint.path_segments_mut().unwrap().extend([
        "_matrix",
        "client",
        "v3",
        "rooms",
        room.as_str(),
        "event",
        event.as_str(),
    ]);
    let response = reqwest::Client::new()
        .get(endpoint)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.unwrap()
}

fn is_redacted(event: &Value) -> bool {
    event["content"].as_object().is_some_and(|c| c.is_empty())
        && event["unsigned"]["redacted_because"].is_object()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_my_data_leaves_no_byte_behind() {
    let Some(url) = synapse("matrix deleting my data").await else {
        return;
    };
    // rapport's database in a file, as in production: its bytes are what
    // the test reads.
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("rapport.db");
    let t = spawn_engine_on(&format!("sqlite://{}", db.display())).await;
    let account = Account::new(&url).await;
    let bot = Bot::start_on(&url, &account, t).await;
    let (ana, ben) = (
        Partner::new(&url, "ana").await,
        Partner::new(&url, "ben").await,
    );
    let room = paired(&bot, &ana, &ben).await;
    let (ana_dm, ben_dm) = direct_rooms(&bot, &ana, &ben).await;

    let kinds = ["journal", "answer", "thanks", "goal", "agree"];
    let marker = |who: &str, kind: &str| format!("{who}-marker-{kind}");
    let both = [("ana", &ana, &ana_dm), ("ben", &ben, &ben_dm)];
    for (name, who, dm) in both {
        let m = |kind| marker(name, kind);
        let saved = ask(
            &bot,
            who,
            dm,
            &format!("journal write {}", m("journal")),
            "Saved privately as entry #",
        )
        .await;
        let entry: String = saved
            .split('#')
            .nth(1)
            .unwrap()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        for (line, answer) in [
            (
                format!("journal share {entry}"),
                "when your next check-in opens",
            ),
            (
                format!("appreciate {}", m("thanks")),
                "Thank you for noticing",
            ),
            (format!("goal shared {}", m("goal")), "once they say yes"),
            (format!("agree add {}", m("agree")), "to agree to"),
        ] {
            ask(&bot, who, dm, &line, answer).await;
        }
    }
    // The round opens with both journal entries shared into it; ana's
    // answer waits for ben's, then both are revealed in the room.
    ask(&bot, &ana, &ana_dm, "checkin now", "when they say yes").await;
    ask(&bot, &ben, &ben_dm, "checkin now", "A check-in has started").await;
    for ((name, who, dm), (rating, answered)) in both
        .into_iter()
        .zip([(7, "your answer is saved"), (8, "You've both answered")])
    {
        let line = format!("checkin answer {rating} {}", marker(name, "answer"));
        ask(&bot, who, dm, &line, answered).await;
    }
    deliver_all(&bot).await;
    for kind in kinds {
        let to_ben = ben.expect(&bot.user, &marker("ana", kind)).await;
        let to_ana = ana.expect(&bot.user, &marker("ben", kind)).await;
        if ["journal", "answer", "thanks"].contains(&kind) {
            assert_eq!(to_ben.room, room, "{kind} is shown in the shared room");
            assert_eq!(to_ana.room, room);
        }
    }
    // What rapport posted with ana's words, as ben's client got it.
    let anas_posts: Vec<(OwnedRoomId, OwnedEventId)> = ben
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|s| s.sender == bot.user && s.body.contains("ana-marker-"))
        .map(|s| (s.room.clone(), s.event.clone()))
        .collect();
    assert!(
        anas_posts.len() >= kinds.len(),
        "each kind of ana's words reached ben in a post: {anas_posts:#?}"
    );
    let bens_thanks = ben.expect(&bot.user, &marker("ben", "thanks")).await.event;
    assert!(
        !anas_posts.iter().any(|(_, e)| *e == bens_thanks),
        "ben's thanks carry none of ana's words"
    );

    // Control: before the delete, ana's words are in the database's bytes
    // (so the check after it is not blind).
    for kind in kinds {
        assert!(
            !holding(data.path(), &marker("ana", kind)).is_empty(),
            "{} should be in the database before the delete",
            marker("ana", kind)
        );
    }
    // The bot's Matrix store (no store passphrase here) is plain bytes a
    // search can read: it holds the shared room's id.
    assert!(
        !holding(account.store.path(), room.as_str()).is_empty(),
        "the scan of the bot's Matrix store reads nothing"
    );

    ask(&bot, &ana, &ana_dm, "mydata delete", "Are you sure?").await;
    ask(
        &bot,
        &ana,
        &ana_dm,
        "mydata delete confirm",
        "Your data is erased",
    )
    .await;
    deliver_all(&bot).await;
    ben.expect(&bot.user, "erased their data from rapport")
        .await;
    // Let the bot's sync bring the redactions back, as it would in use.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;

    // (a) No byte of ana's words in rapport's database (file, -wal, -shm)
    // nor anywhere in the bot's Matrix store; ben's words stay his. (The
    // SDK keeps no message text today: rapport never subscribes its event
    // cache, so `events` stays empty and each room's latest event is
    // `None`; this catches a change that starts caching plaintext.)
    for kind in kinds {
        let ana_marker = marker("ana", kind);
        let left = holding(data.path(), &ana_marker);
        assert!(left.is_empty(), "{ana_marker} is still in {left:?}");
        let left = holding(account.store.path(), &ana_marker);
        assert!(
            left.is_empty(),
            "{ana_marker} is still in the bot's Matrix store: {left:?}"
        );
        let ben_marker = marker("ben", kind);
        assert!(
            !holding(data.path(), &ben_marker).is_empty(),
            "{ben_marker} is ben's and stays in the database"
        );
    }

    // (b) On the homeserver, what rapport posted with ana's words is
    // redacted; ben's own thanks are not.
    let token = ben.client.access_token().expect("ben is logged in");
    for (room, event) in &anas_posts {
        let fetched = fetch_event(&url, &token, room, event).await;
        assert!(
            is_redacted(&fetched),
            "{event} (carrying ana's words) is not redacted: {fetched:#}"
        );
    }
    let kept = fetch_event(&url, &token, &room, &bens_thanks).await;
    assert!(!is_redacted(&kept), "ben's thanks stay up: {kept:#}");
    assert!(
        kept["content"]
            .as_object()
            .is_some_and(|content| !content.is_empty()),
        "{kept:#}"
    );
}

/// The direct answers that repeat ana's words, to her and to ben (his own
/// goal and agreement lists, his recap quoting her thanks), stand in
/// their rooms like any post: deleting her data redacts them too.
///
/// Ignored while it fails: ana's own answers are redacted, but `goal`,
/// `agree` and `recap now` answer the requester with the partner's titles
/// and thanks while `reply.quotes` names only the requester (goals.rs and
/// agreements.rs skip `List`, recap.rs `Now` marks no authors), so ben's
/// copies stay up after ana's `mydata delete`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_that_quoted_deleted_words_are_taken_down_too() {
    let Some(url) = synapse("matrix answers quoting deleted words").await else {
        return;
    };
    let (_account, bot, ana, ben, _room) = paired_couple(&url).await;
    let (ana_dm, ben_dm) = direct_rooms(&bot, &ana, &ben).await;
    for (line, answer) in [
        ("goal shared quoted-marker-goal", "once they say yes"),
        ("agree add quoted-marker-agree", "to agree to"),
        ("appreciate quoted-marker-thanks", "Thank you for noticing"),
    ] {
        ask(&bot, &ana, &ana_dm, line, answer).await;
    }
    for (line, answer) in [
        ("goal", "quoted-marker-goal"),
        ("agree", "quoted-marker-agree"),
        ("recap now", "quoted-marker-thanks"),
    ] {
        ask(&bot, &ben, &ben_dm, line, answer).await;
    }
    deliver_all(&bot).await;
    ask(
        &bot,
        &ana,
        &ana_dm,
        "mydata delete confirm",
        "Your data is erased",
    )
    .await;
    deliver_all(&bot).await;
    let mut still_up = Vec::new();
    for partner in [&ana, &ben] {
        let token = partner.client.access_token().unwrap();
        let quoting: Vec<_> = partner
            .seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.sender == bot.user && s.body.contains("quoted-marker-"))
            .cloned()
            .collect();
        assert!(!quoting.is_empty(), "{} saw her words", partner.user);
        for seen in quoting {
            let fetched = fetch_event(&url, &token, &seen.room, &seen.event).await;
            if !is_redacted(&fetched) {
                still_up.push((partner.user.clone(), seen.body));
            }
        }
    }
    assert!(still_up.is_empty(), "still up: {still_up:#?}");
}
