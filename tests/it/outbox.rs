//! The engine owns every message: what a request says to anyone but the
//! requester is in the outbox when the request commits, with its couple
//! and whose words it carries; leaving cancels it, delivering erases its
//! text, and deleting the words takes the posts down.

use rand::SeedableRng;
use rand::rngs::StdRng;
use sqlx::Row;
use std::sync::Arc;

use rapport::clock::ManualClock;
use rapport::engine::message::{Place, Recipient};
use rapport::engine::{Engine, Policy};
use rapport::prompts::Catalog;
use rapport::store::Store;

use crate::helpers::{TestEngine, dm, person, recording_ports, spawn_engine, start_time, texts_to};
use crate::pairing::pair_ana_and_ben;

/// Outbox rows as (key, state, payload is set, posted is set).
async fn rows(t: &TestEngine) -> Vec<(String, String, bool, bool)> {
    let mut tx = t.engine.store().begin().await.unwrap();
    sqlx::query("SELECT idempotency_key, state, payload, posted FROM outbox ORDER BY id")
        .fetch_all(&mut *tx)
        .await
        .unwrap()
        .iter()
        .map(|row| {
            (
                row.get("idempotency_key"),
                row.get("state"),
                row.get::<Option<String>, _>("payload").is_some(),
                row.get::<Option<String>, _>("posted").is_some(),
            )
        })
        .collect()
}

#[tokio::test]
async fn what_a_request_says_to_the_partner_is_queued_with_it_and_leaving_cancels_it() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    pair_ana_and_ben(&t).await;
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);
    let thanks = t
        .say_queued(&ana, &direct, "appreciate marker-thanks-ana")
        .await;
    assert_eq!(thanks.len(), 2, "an answer for ana and a queued message");
    let proposal = t
        .say_queued(&ana, &direct, "goal shared marker-goal-ana")
        .await;
    assert!(
        texts_to(&proposal, &Recipient::User(ben.user.clone()))
            .iter()
            .any(|text| text.contains("marker-goal-ana")),
        "{proposal:#?}"
    );
    let pending = rows(&t).await;
    assert!(pending.iter().filter(|r| r.1 == "pending").count() >= 2);

    t.say_queued(&ana, &direct, "pair leave confirm").await;
    t.tick(&ports).await;
    let shown = port.shown_to(&dm("ben"));
    assert!(
        !shown.iter().any(|text| text.contains("marker")),
        "nothing queued before the leave reaches ben: {shown:#?}"
    );
    assert!(!shown.is_empty(), "ben hears that ana left");
    for (key, state, payload, _) in rows(&t).await {
        assert!(!payload, "{key} ({state}) still holds its text");
    }
}

#[tokio::test]
async fn a_delivered_message_keeps_only_its_key_state_and_where_it_was_posted() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    pair_ana_and_ben(&t).await;
    t.say_queued(&person("ana"), &Place::Direct, "appreciate marker-kept")
        .await;
    let delivered = t.tick(&ports).await.1;
    assert!(delivered.sent >= 1);
    assert!(
        port.shown()
            .iter()
            .any(|d| d.reply.text.contains("marker-kept"))
    );
    let delivered_keys: Vec<String> = port.shown().into_iter().map(|d| d.key).collect();
    let all = rows(&t).await;
    let sent: Vec<_> = all
        .iter()
        .filter(|r| delivered_keys.contains(&r.0))
        .collect();
    assert!(!sent.is_empty(), "{all:#?}");
    for (key, state, payload, posted) in sent {
        assert_eq!(state, "sent");
        assert!(!payload, "{key} keeps its text after delivery");
        assert!(posted, "{key} forgot where it was posted");
    }
}

#[tokio::test]
async fn deleting_my_data_takes_down_the_posts_with_my_words_and_leaves_the_partners() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    pair_ana_and_ben(&t).await;
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);
    t.say_queued(&ana, &direct, "appreciate marker-ana-thanks")
        .await;
    t.say_queued(&ben, &direct, "appreciate marker-ben-thanks")
        .await;
    t.tick(&ports).await;
    let posted_by = |marker: &str| {
        port.shown()
            .into_iter()
            .find(|d| d.reply.text.contains(marker))
            .map(|d| d.key)
            .unwrap_or_else(|| panic!("{marker} was never shown"))
    };
    let (anas, bens) = (
        posted_by("marker-ana-thanks"),
        posted_by("marker-ben-thanks"),
    );

    t.say(&ana, &direct, "mydata delete confirm").await;
    let report = t.tick(&ports).await.1;
    assert!(report.retracted >= 1, "{report:?}");
    let retracted = port.retracted();
    assert!(retracted.contains(&anas), "{retracted:?}");
    assert!(!retracted.contains(&bens), "ben's own thanks stay up");
}

#[tokio::test]
async fn deleting_a_shared_journal_entry_takes_down_where_it_was_shown() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    pair_ana_and_ben(&t).await;
    let (ana, direct) = (person("ana"), Place::Direct);
    t.say(&ana, &direct, "journal write marker-journal-entry")
        .await;
    t.say(&ana, &direct, "journal share 1").await;
    t.say(&person("ben"), &direct, "checkin now").await;
    t.say_queued(&ana, &direct, "checkin now").await;
    t.tick(&ports).await;
    let shown = port
        .shown()
        .into_iter()
        .find(|d| d.reply.text.contains("marker-journal-entry"))
        .expect("the shared entry reached ben");

    t.say(&ana, &direct, "journal delete 1").await;
    t.tick(&ports).await;
    assert_eq!(port.retracted(), [shown.key]);
}

/// An engine on a SQLite file, as a fresh process would open it.
async fn engine_on(url: &str) -> Arc<Engine> {
    let store = Store::connect(url).await.expect("store opens");
    let catalog = Arc::new(Catalog::embedded().unwrap());
    let clock = Arc::new(ManualClock::new(start_time()));
    Arc::new(
        Engine::new(
            store,
            catalog,
            clock,
            StdRng::seed_from_u64(9),
            Policy::default(),
        )
        .unwrap(),
    )
}

#[test]
fn a_crash_after_the_request_commits_still_delivers_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("rapport.db").display());
    let runtime = || tokio::runtime::Runtime::new().unwrap();
    // The first process pairs them and commits a thank-you, then dies
    // before any delivery pass: the runtime is dropped, tasks and all.
    let first = runtime();
    first.block_on(async {
        let t = TestEngine {
            engine: engine_on(&url).await,
            clock: Arc::new(ManualClock::new(start_time())),
        };
        pair_ana_and_ben(&t).await;
        let answer = t
            .engine
            .handle_text(
                person("ana"),
                Place::Direct,
                "appreciate marker-after-crash",
            )
            .await;
        assert_eq!(answer.len(), 1, "ana is told it was sent");
    });
    drop(first);
    // The next process delivers it, once.
    runtime().block_on(async {
        let t = TestEngine {
            engine: engine_on(&url).await,
            clock: Arc::new(ManualClock::new(start_time())),
        };
        let (port, ports) = recording_ports();
        t.tick(&ports).await;
        t.tick(&ports).await;
        let shown: Vec<_> = port
            .shown()
            .into_iter()
            .filter(|d| d.reply.text.contains("marker-after-crash"))
            .collect();
        assert_eq!(shown.len(), 1, "{shown:#?}");
        assert_eq!(port.attempt_count(), port.shown().len(), "no second try");
    });
}
