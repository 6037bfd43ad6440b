//! Several processes on one PostgreSQL database: due check-ins fired and
//! their questions delivered per second by one worker process and by two
//! at once, side by side as a ratio.
//!
//! - Through a port that sends nothing, so Discord's cap does not hide
//!   the store: what a second process adds to firing and claiming.
//! - Through the tests' fake Discord (50 requests a second, 429 above),
//!   with the request budget shared through the store: two processes
//!   together keep to the bot's cap, so they are no faster, and meet no
//!   429.
//!
//! Each worker is this benchmark's own binary started again with
//! `--worker`: a real process with its own engine and connection pool.
//! Run with `cargo bench --bench processes`; `RAPPORT_BENCH_ROUNDS` (default
//! 10,000) and `RAPPORT_BENCH_DISCORD_ROUNDS` (default 400) set the sizes.

#![recursion_limit = "256"]

// The tests' fake Discord; the benchmark uses only part of it.
#[path = "common/discord_settings.rs"]
mod discord_settings;
#[allow(dead_code)]
#[path = "../tests/it/discord/fake/mod.rs"]
mod fake;
#[path = "common/null_port.rs"]
mod null_port;
#[path = "common/postgres.rs"]
mod postgres;
#[path = "common/sizes.rs"]
mod sizes;
use sizes::size;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, TimeZone, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use sqlx::Connection;

use rapport::adapters::discord::DiscordBot;
use rapport::clock::ManualClock;
use rapport::delivery::{self, DeliveryPolicy, Ports};
use rapport::engine::{Engine, Policy};
use rapport::prompts::Catalog;
use rapport::store::Store;

/// The partners' Discord ids start here.
const FIRST_PERSON: i64 = 900_000_000_000_000_000;

fn due_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 20, 0, 0).unwrap()
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|arg| arg == "--worker") {
        let url = args.get(at + 1).context("--worker URL [API_BASE]")?;
        return runtime.block_on(work(url, args.get(at + 2).map(String::as_str)));
    }
    runtime.block_on(compare())
}

async fn compare() -> anyhow::Result<()> {
    sqlx::any::install_default_drivers();
    let rounds = size("RAPPORT_BENCH_ROUNDS", 10_000);
    println!(
        "Several processes on one PostgreSQL database, {rounds} due check-ins (2 questions each)"
    );
    println!("  through a port that sends nothing:");
    let one = timed_run(rounds, "console", 1, None).await?;
    let two = timed_run(rounds, "console", 2, None).await?;
    report(rounds, one, two);

    let discord_rounds = size("RAPPORT_BENCH_DISCORD_ROUNDS", 400);
    let fake = fake::FakeDiscord::start().await;
    fake.limit_per_second(50);
    println!("  through the fake Discord (50 requests/s, 429 above), {discord_rounds} check-ins:");
    let mut rates = Vec::new();
    for workers in [1, 2] {
        let before = fake.view().requests.len();
        let elapsed = timed_run(discord_rounds, "discord", workers, Some(&fake.api_base)).await?;
        let requests = fake.view().requests.len() - before;
        let rate = requests as f64 / elapsed.as_secs_f64();
        println!(
            "    {workers} process{}: {requests} requests in {:.1} s, {rate:.1} requests/s",
            if workers == 1 { "" } else { "es" },
            elapsed.as_secs_f64()
        );
        rates.push(rate);
    }
    println!(
        "    two against one: {:.2}× (the bot's cap is shared, so about 1); 429 responses: {} (target 0)",
        rates[1] / rates[0],
        fake.view().rate_limited
    );
    println!(
        "    traffic outside Discord's OpenAPI document: {}",
        fake.problems().len()
    );
    Ok(())
}

fn report(rounds: usize, one: Duration, two: Duration) {
    let per_second = |elapsed: Duration| rounds as f64 / elapsed.as_secs_f64();
    println!(
        "    1 process: {:.2} s, {:.0} check-ins fired and delivered a second",
        one.as_secs_f64(),
        per_second(one)
    );
    println!(
        "    2 processes: {:.2} s, {:.0} a second",
        two.as_secs_f64(),
        per_second(two)
    );
    println!(
        "    two against one: {:.2}×",
        per_second(two) / per_second(one)
    );
}

/// Seeds a fresh database, runs `workers` processes on it until every
/// question is delivered, checks that each round fired once, and returns
/// the time from their start to the last one's end.
async fn timed_run(
    rounds: usize,
    platform: &str,
    workers: usize,
    api_base: Option<&str>,
) -> anyhow::Result<Duration> {
    let (url, name) = postgres::fresh_database("processes").await?;
    Store::connect(&url).await?.close().await;
    seed(&url, rounds, platform).await?;
    let started = Instant::now();
    let mut children = Vec::new();
    for _ in 0..workers {
        let mut command = tokio::process::Command::new(std::env::current_exe()?);
        command.arg("--worker").arg(&url).args(api_base);
        children.push(command.spawn().context("cannot start a worker")?);
    }
    for mut child in children {
        anyhow::ensure!(child.wait().await?.success(), "a worker failed");
    }
    let elapsed = started.elapsed();
    check_once(&url, rounds).await?;
    postgres::drop_database(&name).await?;
    Ok(elapsed)
}

/// One worker process: fires and delivers until nothing is left to send.
async fn work(url: &str, api_base: Option<&str>) -> anyhow::Result<()> {
    let engine = Arc::new(Engine::new(
        Store::connect(url).await?,
        Arc::new(Catalog::embedded()?),
        Arc::new(ManualClock::new(due_time())),
        StdRng::from_os_rng(),
        Policy::default(),
    )?);
    let ports = match api_base {
        None => Ports::default().with(Arc::new(null_port::NullPort)),
        Some(base) => {
            let bot =
                DiscordBot::connect(discord_settings::against_fake(base, true), engine.clone())
                    .await?;
            Ports::default().with(bot.port())
        }
    };
    let policy = DeliveryPolicy::default();
    loop {
        let fired = engine.run_due_once().await?.fired;
        let sent = delivery::deliver_due_once(&engine, &ports, &policy)
            .await?
            .sent;
        if fired == 0 && sent == 0 {
            if pending(&engine).await? == 0 {
                return Ok(());
            }
            // The other process holds the rest; it may yet give some back.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

async fn pending(engine: &Engine) -> anyhow::Result<i64> {
    let mut tx = engine.store().begin().await?;
    let count = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(count)
}

/// `rounds` couples, each with a private daily check-in due now; set-based,
/// so seeding does not dominate the run.
async fn seed(url: &str, rounds: usize, platform: &str) -> anyhow::Result<()> {
    let mut db = sqlx::AnyConnection::connect(url).await?;
    let now = due_time().timestamp();
    let count = rounds as i64;
    sqlx::query(
        "INSERT INTO users (platform, external_id, display_name, created_at)
         SELECT $1, ($2 + g)::text, 'person ' || g, $3 FROM generate_series(1, 2 * $4) AS g",
    )
    .bind(platform)
    .bind(FIRST_PERSON)
    .bind(now)
    .bind(count)
    .execute(&mut db)
    .await?;
    sqlx::query(
        "INSERT INTO couples (time_zone, created_at) SELECT 'UTC', $1 FROM generate_series(1, $2)",
    )
    .bind(now)
    .bind(count)
    .execute(&mut db)
    .await?;
    sqlx::query(
        "INSERT INTO memberships (couple_id, user_id, joined_at)
         SELECT c, 2 * c - p, $1 FROM generate_series(1, $2) AS c, (VALUES (0), (1)) AS m(p)",
    )
    .bind(now)
    .bind(count)
    .execute(&mut db)
    .await?;
    sqlx::query(
        "INSERT INTO checkin_schedules (couple_id, status, recurrence, time_zone, kind, deck,
                                        proposed_by, next_local, next_fire_at, created_at)
         SELECT c, 'active', 'daily 20:00', 'UTC', 'private', 'mixed', 2 * c - 1,
                '2026-03-02T20:00', $1, $1
         FROM generate_series(1, $2) AS c",
    )
    .bind(now)
    .bind(count)
    .execute(&mut db)
    .await?;
    db.close().await?;
    Ok(())
}

/// Every round fired once and every question was sent.
async fn check_once(url: &str, rounds: usize) -> anyhow::Result<()> {
    let mut db = sqlx::AnyConnection::connect(url).await?;
    let fired: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT schedule_id) FROM checkin_rounds")
        .fetch_one(&mut db)
        .await?;
    let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM checkin_rounds")
        .fetch_one(&mut db)
        .await?;
    let sent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state = 'sent'")
        .fetch_one(&mut db)
        .await?;
    anyhow::ensure!(
        (fired, all, sent) == (rounds as i64, rounds as i64, 2 * rounds as i64),
        "rounds {all} for {fired} schedules, {sent} sent, for {rounds} check-ins"
    );
    db.close().await?;
    Ok(())
}
