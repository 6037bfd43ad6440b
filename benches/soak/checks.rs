//! What must hold after every restart and at the end of the month: every
//! due round fired once, every outbox message shown once (none lost, none
//! twice), and no request half-applied.

use std::collections::HashSet;
use std::path::Path;

use rapport::engine::Engine;

use crate::progress::Progress;
use crate::shown;

/// What was found, and every problem.
#[derive(Debug, Default)]
pub struct Checked {
    pub rounds: i64,
    pub shown: usize,
    pub repeats: usize,
    pub lost: i64,
    pub problems: Vec<String>,
}

/// The invariants; `finished`: the month is over, so nothing due may
/// still wait.
pub async fn invariants(
    engine: &Engine,
    dir: &Path,
    progress: &Progress,
    finished: bool,
) -> anyhow::Result<Checked> {
    let mut checked = Checked::default();
    rounds(engine, progress, &mut checked).await?;
    outbox(engine, dir, finished, &mut checked).await?;
    whole_requests(engine, &mut checked).await?;
    Ok(checked)
}

async fn scalar(engine: &Engine, sql: &'static str) -> anyhow::Result<i64> {
    let mut tx = engine.store().begin().await?;
    let value = sqlx::query_scalar(sql).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok(value)
}

/// No round twice; every active schedule fired once each evening so far
/// (one more if the run died after an evening fired but before it was
/// written down).
async fn rounds(engine: &Engine, progress: &Progress, checked: &mut Checked) -> anyhow::Result<()> {
    checked.rounds = scalar(engine, "SELECT COUNT(*) FROM checkin_rounds").await?;
    let twice = scalar(
        engine,
        "SELECT COUNT(*) FROM (SELECT schedule_id, occurrence FROM checkin_rounds
          WHERE schedule_id IS NOT NULL GROUP BY schedule_id, occurrence HAVING COUNT(*) > 1) AS t",
    )
    .await?;
    if twice > 0 {
        checked
            .problems
            .push(format!("{twice} occurrences fired twice"));
    }
    let evenings = i64::from(progress.last().map_or(0, |last| last.evenings_through()));
    let mut tx = engine.store().begin().await?;
    let counts: Vec<i64> = sqlx::query_scalar(
        "SELECT COUNT(r.id) FROM checkin_schedules s LEFT JOIN checkin_rounds r ON r.schedule_id = s.id
         WHERE s.status = 'active' GROUP BY s.id",
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let off = counts
        .iter()
        .filter(|count| !(evenings..=evenings + 1).contains(*count))
        .count();
    if off > 0 {
        checked.problems.push(format!(
            "{off} active schedules did not fire once each of {evenings} evenings"
        ));
    }
    Ok(())
}

/// Every key shown once; every sent row shown; at the end, nothing due
/// still waiting and nothing failed.
async fn outbox(
    engine: &Engine,
    dir: &Path,
    finished: bool,
    checked: &mut Checked,
) -> anyhow::Result<()> {
    let (keys, repeats) = shown::read(dir);
    let distinct: HashSet<&String> = keys.iter().collect();
    checked.shown = distinct.len();
    checked.repeats = repeats;
    if distinct.len() != keys.len() {
        checked.problems.push(format!(
            "{} messages shown twice",
            keys.len() - distinct.len()
        ));
    }
    let mut tx = engine.store().begin().await?;
    let sent: Vec<String> =
        sqlx::query_scalar("SELECT idempotency_key FROM outbox WHERE state = 'sent'")
            .fetch_all(&mut *tx)
            .await?;
    let now = engine.clock().now().timestamp();
    let waiting: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE (state = 'pending' AND next_attempt_at <= $1) OR state = 'failed'",
    )
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    let unseen = sent.iter().filter(|key| !distinct.contains(key)).count();
    if unseen > 0 {
        checked
            .problems
            .push(format!("{unseen} messages marked sent were never shown"));
    }
    if finished {
        checked.lost = waiting;
        if waiting > 0 {
            checked
                .problems
                .push(format!("{waiting} messages due were not delivered"));
        }
    }
    Ok(())
}

/// Each request's changes are all there or none: a couple has two people
/// or has ended; a waiting message still holds its text.
async fn whole_requests(engine: &Engine, checked: &mut Checked) -> anyhow::Result<()> {
    let lopsided = scalar(
        engine,
        "SELECT COUNT(*) FROM couples c WHERE c.ended_at IS NULL AND
           (SELECT COUNT(*) FROM memberships m WHERE m.couple_id = c.id AND m.left_at IS NULL) <> 2",
    )
    .await?;
    if lopsided > 0 {
        checked
            .problems
            .push(format!("{lopsided} open couples without two partners"));
    }
    let empty = scalar(
        engine,
        "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND payload IS NULL",
    )
    .await?;
    if empty > 0 {
        checked
            .problems
            .push(format!("{empty} waiting messages without their text"));
    }
    Ok(())
}
