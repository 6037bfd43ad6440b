//! Scheduler benchmark: 1,000,000 check-in schedules in SQLite, 10,000 of
//! them due. Times firing and delivering them all end to end through the
//! engine, scheduler and outbox, and beside it the raw SQL cost of the same
//! inserts and updates in the same transactions, as a ratio (target ≤ 3×).
//!
//! Run with `cargo bench --bench scheduler`; sizes can be lowered with
//! `RAPPORT_BENCH_SCHEDULES` and `RAPPORT_BENCH_DUE` for a quick look.

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use sqlx::{Any, AnyPool, Transaction};

use rapport::clock::ManualClock;
use rapport::delivery::{self, DeliveryPolicy, Ports};
use rapport::engine::{Engine, Policy};
use rapport::prompts::Catalog;
use rapport::store::Store;

#[path = "common/null_port.rs"]
mod null_port;
#[path = "common/sizes.rs"]
mod sizes;
use null_port::NullPort;
use sizes::size;

/// Rows written per transaction when seeding.
const SEED_BATCH: usize = 20_000;
/// The engine's firing batch and the worker's claim batch, mirrored by the
/// raw SQL run so both do the same transactions.
const FIRE_BATCH: usize = 500;
const CLAIM_BATCH: usize = 100;

fn due_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 20, 0, 0).unwrap()
}

/// Fills a fresh database: one couple (two users) per due schedule, each
/// with its share of the schedules; only the first of each couple is due.
async fn seed(pool: &AnyPool, schedules: usize, due: usize) -> anyhow::Result<()> {
    let now = due_time().timestamp();
    let mut tx = pool.begin().await?;
    for couple in 1..=due as i64 {
        for user in [2 * couple - 1, 2 * couple] {
            sqlx::query("INSERT INTO users (id, platform, external_id, display_name, created_at) VALUES ($1, 'console', $2, $2, $3)")
                .bind(user)
                .bind(format!("user{user}"))
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("INSERT INTO couples (id, space_platform, space_id, time_zone, created_at) VALUES ($1, 'console', $2, 'UTC', $3)")
            .bind(couple)
            .bind(format!("space{couple}"))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        for user in [2 * couple - 1, 2 * couple] {
            sqlx::query(
                "INSERT INTO memberships (couple_id, user_id, joined_at) VALUES ($1, $2, $3)",
            )
            .bind(couple)
            .bind(user)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    for start in (0..schedules).step_by(SEED_BATCH) {
        let mut tx = pool.begin().await?;
        for index in start..(start + SEED_BATCH).min(schedules) {
            let couple = (index % due) as i64 + 1;
            // The first `due` schedules are due now; the rest in a week.
            let (local, at) = if index < due {
                ("2026-03-02T20:00", now)
            } else {
                ("2026-03-09T20:00", now + 7 * 86_400)
            };
            sqlx::query(
                "INSERT INTO checkin_schedules (couple_id, status, recurrence, time_zone, kind, deck, proposed_by,
                                                next_local, next_fire_at, created_at)
                 VALUES ($1, 'active', 'daily 20:00', 'UTC', 'private', 'mixed', $2, $3, $4, $5)",
            )
            .bind(couple)
            .bind(2 * couple - 1)
            .bind(local)
            .bind(at)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

async fn fresh_store(
    dir: &std::path::Path,
    name: &str,
    schedules: usize,
    due: usize,
) -> anyhow::Result<Store> {
    let url = format!("sqlite://{}", dir.join(name).display());
    let store = Store::connect(&url).await?;
    let pool = AnyPool::connect(&format!("{url}?mode=rw")).await?;
    seed(&pool, schedules, due).await?;
    pool.close().await;
    Ok(store)
}

/// The engine, scheduler pass and delivery worker, end to end.
async fn run_engine(
    store: Store,
    due: usize,
) -> anyhow::Result<(std::time::Duration, usize, usize)> {
    let clock = Arc::new(ManualClock::new(due_time()));
    let policy = Policy::default();
    let engine = Engine::new(
        store,
        Arc::new(Catalog::embedded()?),
        clock,
        StdRng::seed_from_u64(1),
        policy,
    )?;
    let ports = Ports::default().with(Arc::new(NullPort));
    let started = Instant::now();
    let fired = engine.run_due_once().await?.fired;
    let delivery_policy = DeliveryPolicy {
        batch: CLAIM_BATCH as i64,
        ..DeliveryPolicy::default()
    };
    let sent = delivery::deliver_due_once(&engine, &ports, &delivery_policy)
        .await?
        .sent;
    let elapsed = started.elapsed();
    anyhow::ensure!(fired == due, "fired {fired} of {due}");
    Ok((elapsed, fired, sent))
}

/// The same inserts and updates as the engine run, with every value known
/// in advance and nothing read: the floor the engine is measured against.
async fn run_raw_sql(store: &Store, due: usize) -> anyhow::Result<std::time::Duration> {
    let now = due_time().timestamp();
    let payload = r#"{"text":"Check-in time.","private":true,"choices":[],"attachment":null}"#;
    let started = Instant::now();
    for start in (0..due).step_by(FIRE_BATCH) {
        let mut tx: Transaction<'static, Any> = store.begin().await?;
        for index in start..(start + FIRE_BATCH).min(due) {
            let schedule = index as i64 + 1;
            let couple = schedule;
            sqlx::query(
                "INSERT INTO deck_usage (couple_id, deck, question_index) VALUES ($1, 'mixed', 0)",
            )
            .bind(couple)
            .execute(&mut *tx)
            .await?;
            let round: i64 = sqlx::query_scalar(
                "INSERT INTO checkin_rounds (couple_id, schedule_id, occurrence, status, kind, deck, question,
                                             opened_at, closes_at, nudge_at)
                 VALUES ($1, $2, '2026-03-02T20:00', 'open', 'private', 'mixed', 'q', $3, $4, $5) RETURNING id",
            )
            .bind(couple)
            .bind(schedule)
            .bind(now)
            .bind(now + 86_400)
            .bind(now + 21_600)
            .fetch_one(&mut *tx)
            .await?;
            for user in [2 * couple - 1, 2 * couple] {
                sqlx::query(
                    "INSERT INTO outbox (idempotency_key, couple_id, recipient_kind, platform, recipient_id, payload,
                                         state, next_attempt_at, created_at, journal_entry_id)
                     VALUES ($1, $2, 'user', 'console', $3, $4, 'pending', $5, $5, NULL)",
                )
                .bind(format!("round:{round}:ask:{user}"))
                .bind(couple)
                .bind(format!("user{user}"))
                .bind(payload)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "UPDATE checkin_schedules SET next_local = '2026-03-03T20:00', next_fire_at = $1, skip_next = 0,
                        missed_count = missed_count + 0 WHERE id = $2",
            )
            .bind(now + 86_400)
            .bind(schedule)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    let messages = 2 * due as i64;
    for start in (1..=messages).step_by(CLAIM_BATCH) {
        let end = (start + CLAIM_BATCH as i64 - 1).min(messages);
        let mut tx = store.begin().await?;
        sqlx::query("UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 WHERE id BETWEEN $2 AND $3")
            .bind(now + 120)
            .bind(start)
            .bind(end)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        for id in start..=end {
            let mut tx = store.begin().await?;
            // Delivered: the text is erased, where it was posted is kept.
            sqlx::query(
                "UPDATE outbox SET state = 'sent', finished_at = $1, claimed_until = NULL, payload = NULL,
                                   posted = $2
                 WHERE id = $3",
            )
            .bind(now)
            .bind(Option::<String>::None)
            .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
    }
    Ok(started.elapsed())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let schedules = size("RAPPORT_BENCH_SCHEDULES", 1_000_000);
    let due = size("RAPPORT_BENCH_DUE", 10_000);
    let dir = tempfile::tempdir()?;
    println!(
        "scheduler benchmark: {schedules} schedules in SQLite, {due} due, {} couples",
        due
    );

    let seeding = Instant::now();
    let engine_store = fresh_store(dir.path(), "engine.db", schedules, due).await?;
    let raw_store = fresh_store(dir.path(), "raw.db", schedules, due).await?;
    println!("  seeded two databases in {:.1?}", seeding.elapsed());

    let (engine_time, fired, sent) = run_engine(engine_store, due).await?;
    let raw_time = run_raw_sql(&raw_store, due).await?;
    let ratio = engine_time.as_secs_f64() / raw_time.as_secs_f64();
    println!(
        "  engine end to end: fired {fired} rounds, delivered {sent} messages in {engine_time:.2?} ({:.0} rounds/s)",
        fired as f64 / engine_time.as_secs_f64()
    );
    println!("  raw SQL, same inserts/updates: {raw_time:.2?}");
    println!(
        "  ratio engine / raw SQL: {ratio:.2}x (target <= 1.5x): {}",
        if ratio <= 1.5 { "met" } else { "NOT met" }
    );
    Ok(())
}
