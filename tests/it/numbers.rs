//! Numbers people see are their own: goals and agreements count from 1 in
//! each couple, journal entries from 1 for each author, and an upgraded
//! store renumbers what it holds and says so once.

use std::path::Path;

use rapport::engine::message::{Place, Recipient};
use rapport::prompts::Key;
use sqlx::sqlite::SqlitePoolOptions;

use crate::helpers::{TestEngine, person, spawn_engine, spawn_engine_on, texts_to};
use crate::pairing::pair_ana_and_ben;
use crate::together::pair_carl_and_dana;

fn first_reply(outgoing: &[rapport::engine::message::Outgoing]) -> String {
    texts_to(outgoing, &Recipient::Requester).join("\n")
}

#[tokio::test]
async fn every_couple_and_every_author_counts_from_one() {
    let t = spawn_engine().await;
    pair_ana_and_ben(&t).await;
    pair_carl_and_dana(&t).await;
    let direct = Place::Direct;
    let (ana, ben, dana) = (person("ana"), person("ben"), person("dana"));
    for n in 1..=4 {
        t.say(
            &ana,
            &direct,
            &format!("goal promise call home {n}, weekly"),
        )
        .await;
        t.say(&ana, &direct, &format!("agree add rule {n}")).await;
        t.say(&ana, &direct, &format!("journal write entry {n}"))
            .await;
    }
    let goal = first_reply(&t.say(&dana, &direct, "goal promise Text me, daily").await);
    assert!(goal.contains("#1 “Text me”"), "{goal}");
    let agreement = t.say(&dana, &direct, "agree add Kind words").await;
    assert!(first_reply(&agreement).contains("#1 “Kind words”"));
    let written = first_reply(&t.say(&dana, &direct, "journal write mine").await);
    assert_eq!(written, t.text(Key::JournalWritten, &[("id", "1")]));
    // ben's first entry does not tell him ana wrote four.
    let bens = first_reply(&t.say(&ben, &direct, "journal write his").await);
    assert_eq!(bens, t.text(Key::JournalWritten, &[("id", "1")]));
    let read = first_reply(&t.say(&ben, &direct, "journal read 1").await);
    assert!(read.contains("“his”"), "his own #1, not ana's: {read}");
}

/// The SQLite migrations up to and including `last`, on the file at `path`.
pub(crate) async fn migrate_up_to(path: &Path, last: i64) {
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let pool = SqlitePoolOptions::new().connect(&url).await.unwrap();
    let mut migrator = sqlx::migrate::Migrator::new(Path::new("migrations/sqlite"))
        .await
        .unwrap();
    let older: Vec<_> = migrator
        .migrations
        .iter()
        .filter(|migration| migration.version <= last)
        .cloned()
        .collect();
    migrator.migrations = older.into();
    migrator.run(&pool).await.unwrap();
    // What an older rapport wrote: two couples interleaved, an agreement
    // edited once, and journal entries of two authors.
    for statement in [
        "INSERT INTO users (id, platform, external_id, display_name, created_at) VALUES
           (1, 'console', 'ana', 'ana', 0), (2, 'console', 'ben', 'ben', 0),
           (3, 'console', 'carl', 'carl', 0), (4, 'console', 'dana', 'dana', 0),
           (5, 'console', 'eve', 'eve', 0)",
        "INSERT INTO couples (id, time_zone, created_at) VALUES (1, 'UTC', 0), (2, 'UTC', 0)",
        "INSERT INTO memberships (couple_id, user_id, joined_at) VALUES (1, 1, 0), (1, 2, 0),
           (2, 3, 0), (2, 4, 0)",
        "INSERT INTO goals (id, couple_id, kind, proposed_by, title, status, created_at) VALUES
           (1, 1, 'shared', 1, 'walk', 'active', 0), (2, 2, 'shared', 3, 'cook', 'active', 0),
           (3, 1, 'shared', 2, 'read', 'active', 0)",
        "INSERT INTO agreements (id, couple_id, text, status, replaces_id, proposed_by, created_at)
           VALUES (1, 2, 'no phones', 'active', NULL, 3, 0),
                  (2, 1, 'breaks first', 'replaced', NULL, 1, 0),
                  (3, 1, 'breaks of twenty minutes', 'active', 2, 2, 0),
                  (4, 1, 'kind words', 'active', NULL, 1, 0)",
        "INSERT INTO journal_entries (id, user_id, text, created_at) VALUES
           (1, 1, 'ana one', 0), (2, 4, 'dana one', 0), (3, 1, 'ana two', 0)",
    ] {
        sqlx::query(statement).execute(&pool).await.unwrap();
    }
    pool.close().await;
}

async fn reply(t: &TestEngine, name: &str, text: &str) -> String {
    first_reply(&t.say(&person(name), &Place::Direct, text).await)
}

#[tokio::test]
async fn an_upgrade_renumbers_what_exists_and_says_so_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    migrate_up_to(&path, 20261201000010).await;
    let t = spawn_engine_on(&format!("sqlite://{}", path.display())).await;
    let notice = t.text(Key::NumbersChanged, &[]);

    let goals = reply(&t, "ana", "goal").await;
    assert!(
        goals.starts_with(&notice),
        "the first answer says so: {goals}"
    );
    assert!(
        goals.contains("#1 “walk”") && goals.contains("#2 “read”"),
        "{goals}"
    );
    let again = reply(&t, "ana", "goal").await;
    assert!(!again.contains(&notice), "only once: {again}");

    let agreements = reply(&t, "ben", "agree").await;
    assert!(agreements.starts_with(&notice), "{agreements}");
    assert!(
        agreements.contains("#1 “breaks of twenty minutes”")
            && agreements.contains("#2 “kind words”"),
        "an edit keeps the number of what it edits: {agreements}"
    );
    let theirs = reply(&t, "carl", "agree").await;
    assert!(theirs.contains("#1 “no phones”"), "{theirs}");
    let cooking = reply(&t, "dana", "goal").await;
    assert!(cooking.contains("#1 “cook”"), "{cooking}");

    let journal = reply(&t, "ana", "journal").await;
    assert!(
        journal.contains("#1 ") && journal.contains("#2 ") && !journal.contains("#3"),
        "{journal}"
    );
    assert!(!journal.contains(&notice), "ana was told already");
    let hers = reply(&t, "dana", "journal read 1").await;
    assert!(hers.contains("dana one"), "{hers}");
    // Someone with nothing numbered before hears nothing about it.
    let eve = reply(&t, "eve", "journal").await;
    assert!(!eve.contains(&notice), "{eve}");
    // New things go on from the numbers there are.
    let next = reply(&t, "ana", "journal write three").await;
    assert_eq!(next, t.text(Key::JournalWritten, &[("id", "3")]));
}
