//! Two `rapport run` processes on one PostgreSQL database with the fake
//! Discord, four gateway shards between them: 2,000 due check-ins fire
//! once each, every question reaches its person once, and the bot as a
//! whole never meets a 429 (the request budget is shared through the
//! store). One process is killed with SIGKILL mid-run; the other sends
//! what it left, claimed and unclaimed.
//!
//! The fake's rate window is 100 ms instead of Discord's second (the bot's
//! `rate_window_ms` follows it), so the test sends 8,000 requests in
//! seconds rather than minutes.

use std::collections::HashMap;
use std::time::Duration;

use sqlx::{Connection, Row};

use super::fake::FakeDiscord;
use crate::postgres::fresh_database;

const COUPLES: usize = 2_000;
/// People 900… are the couples' partners.
const FIRST_PERSON: u64 = 900_000_000_000_000_000;

/// Fills the database: `COUPLES` Discord couples, each with a private
/// daily check-in that came due a minute ago.
async fn seed(url: &str) {
    let mut db = sqlx::AnyConnection::connect(url).await.unwrap();
    let now = chrono::Utc::now() - chrono::Duration::minutes(1);
    let due = now.timestamp();
    let local = now.format("%Y-%m-%dT%H:%M").to_string();
    let recurrence = format!("daily {}", now.format("%H:%M"));
    let mut tx = sqlx::Connection::begin(&mut db).await.unwrap();
    for couple in 0..COUPLES as u64 {
        let mut people = Vec::new();
        for person in [2 * couple, 2 * couple + 1] {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (platform, external_id, display_name, created_at)
                 VALUES ('discord', $1, $2, $3) RETURNING id",
            )
            .bind((FIRST_PERSON + person).to_string())
            .bind(format!("person {person}"))
            .bind(due)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            people.push(id);
        }
        let couple_id: i64 = sqlx::query_scalar(
            "INSERT INTO couples (time_zone, created_at) VALUES ('UTC', $1) RETURNING id",
        )
        .bind(due)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        for person in &people {
            sqlx::query(
                "INSERT INTO memberships (couple_id, user_id, joined_at) VALUES ($1, $2, $3)",
            )
            .bind(couple_id)
            .bind(*person)
            .bind(due)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        sqlx::query(
            "INSERT INTO checkin_schedules (couple_id, status, recurrence, time_zone, kind, deck,
                                            proposed_by, next_local, next_fire_at, created_at)
             VALUES ($1, 'active', $2, 'UTC', 'private', 'mixed', $3, $4, $5, $5)",
        )
        .bind(couple_id)
        .bind(&recurrence)
        .bind(people[0])
        .bind(&local)
        .bind(due)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// A `rapport run` on the database, running `shards` of four.
fn process(
    dir: &std::path::Path,
    fake: &FakeDiscord,
    url: &str,
    shards: &str,
) -> tokio::process::Child {
    super::rapport_run(
        dir,
        &fake.api_base,
        &[
            ("RAPPORT_STORE__URL", url.to_owned()),
            ("RAPPORT_STORE__CLAIM_SECONDS", "10".to_owned()),
            ("RAPPORT_DISCORD__SHARDS", shards.to_owned()),
            ("RAPPORT_DISCORD__RATE_WINDOW_MS", "100".to_owned()),
            ("RAPPORT_DISCORD__REQUESTS_PER_SECOND", "45".to_owned()),
            // stderr is a pipe nobody reads while the test runs.
            ("RAPPORT_LOG__FILTER", "error".to_owned()),
        ],
    )
}

/// Waits (up to `limit`) until the fake has shown `count` messages.
async fn until_shown(fake: &FakeDiscord, count: usize, limit: Duration) {
    let deadline = tokio::time::Instant::now() + limit;
    while fake.counts().0 < count {
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {} of {count} messages shown",
            fake.counts().0
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn two_processes_fire_every_round_once_within_the_bots_limit_and_survive_a_kill() {
    let Some(pg) = fresh_database("two_processes").await else {
        return;
    };
    let url = pg.url();
    seed(&url).await;
    let fake = FakeDiscord::start().await;
    fake.limit_per(50, Duration::from_millis(100));
    let (first_dir, second_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut first = process(first_dir.path(), &fake, &url, "0-1/4");
    let mut second = process(second_dir.path(), &fake, &url, "2-3/4");

    until_shown(&fake, COUPLES, Duration::from_secs(300)).await;
    let (first_pid, second_pid) = (first.id().unwrap(), second.id().unwrap());
    first.start_kill().unwrap();
    let killed = first.wait().await.unwrap();
    assert!(!killed.success(), "killed: {killed:?}");
    until_shown(&fake, 2 * COUPLES, Duration::from_secs(300)).await;

    let view = fake.view();
    let mut shards = view.shards_identified.clone();
    shards.sort_unstable();
    assert_eq!(
        shards,
        vec![(0, 4), (1, 4), (2, 4), (3, 4)],
        "each shard once, in one process"
    );
    assert_eq!(view.rate_limited, 0, "no 429 for the bot as a whole");
    let mut per_channel: HashMap<u64, usize> = HashMap::new();
    for message in &view.messages {
        *per_channel.entry(message.channel_id).or_default() += 1;
    }
    assert_eq!(
        per_channel.len(),
        2 * COUPLES,
        "a question in every partner's DM"
    );
    assert!(
        per_channel.values().all(|shown| *shown == 1),
        "each shown once"
    );

    let mut db = sqlx::AnyConnection::connect(&url).await.unwrap();
    let rounds = sqlx::query(
        "SELECT COUNT(*) AS rounds, COUNT(DISTINCT schedule_id) AS schedules FROM checkin_rounds",
    )
    .fetch_one(&mut db)
    .await
    .unwrap();
    assert_eq!(
        (
            rounds.get::<i64, _>("rounds"),
            rounds.get::<i64, _>("schedules")
        ),
        (COUPLES as i64, COUPLES as i64),
        "every round fired once"
    );
    let unsent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state <> 'sent'")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(unsent, 0);

    super::signal(&second, "TERM");
    let stopped = tokio::time::timeout(Duration::from_secs(20), second.wait())
        .await
        .expect("the survivor stops on SIGTERM")
        .unwrap();
    assert!(stopped.success());
    // A lease's holder begins with its process id.
    let holders: Vec<String> = sqlx::query_scalar("SELECT holder FROM leases")
        .fetch_all(&mut db)
        .await
        .unwrap();
    assert!(
        holders
            .iter()
            .all(|h| h.starts_with(&format!("{first_pid}-"))),
        "the survivor ({second_pid}) let its leases go; only the killed one's stay: {holders:?}"
    );
    db.close().await.unwrap();
    pg.finish().await;
}

#[tokio::test]
async fn with_no_shards_configured_a_process_runs_as_many_as_discord_recommends() {
    let fake = FakeDiscord::start().await;
    fake.recommend_shards(2);
    let t = crate::helpers::spawn_engine().await;
    let bot = rapport::adapters::discord::DiscordBot::connect(
        super::settings(&fake.api_base),
        t.engine.clone(),
    )
    .await
    .unwrap();
    let (stop, stopped) = rapport::shutdown::channel();
    let running = tokio::spawn(bot.run(stopped.wait()));
    // serenity waits five seconds between two shards' IDENTIFYs.
    fake.wait_for("both shards", |v| (v.shards_connected == 2).then_some(()))
        .await;
    assert_eq!(fake.view().shards_identified, vec![(0, 2), (1, 2)]);
    for _ in 0..100 {
        if t.engine.metrics().is_connected("discord") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        t.engine.metrics().is_connected("discord"),
        "connected once both are"
    );
    stop.fire();
    running.await.unwrap().unwrap();
}
