//! The `recap_schedules` table: when each couple gets its weekly recap.

use anyhow::Context;
use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use sqlx::AssertSqlSafe;
use sqlx::FromRow;

use super::schedules::{format_local, parse_local};
use super::{Tx, from_db, skip_locked, to_db};
use crate::domain::recurrence::Recurrence;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecapSchedule {
    pub couple_id: i64,
    pub recurrence: Recurrence,
    pub time_zone: Tz,
    pub next_local: NaiveDateTime,
    pub next_fire_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct RecapRow {
    couple_id: i64,
    recurrence: String,
    time_zone: String,
    next_local: String,
    next_fire_at: i64,
}

const COLUMNS: &str = "couple_id, recurrence, time_zone, next_local, next_fire_at";

impl TryFrom<RecapRow> for RecapSchedule {
    type Error = anyhow::Error;

    fn try_from(row: RecapRow) -> anyhow::Result<RecapSchedule> {
        let id = row.couple_id;
        Ok(RecapSchedule {
            couple_id: id,
            recurrence: Recurrence::from_canonical(&row.recurrence)
                .map_err(|error| anyhow::anyhow!("recap {id} has a bad recurrence: {error}"))?,
            time_zone: row
                .time_zone
                .parse()
                .map_err(|error| anyhow::anyhow!("recap {id} has a bad zone: {error}"))?,
            next_local: parse_local(&row.next_local)?,
            next_fire_at: from_db(row.next_fire_at)?,
        })
    }
}

/// Sets (or replaces) the couple's recap schedule.
pub async fn set(
    tx: &mut Tx,
    schedule: &RecapSchedule,
    set_by: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO recap_schedules (couple_id, recurrence, time_zone, next_local, next_fire_at, set_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (couple_id) DO UPDATE SET recurrence = excluded.recurrence,
             time_zone = excluded.time_zone, next_local = excluded.next_local,
             next_fire_at = excluded.next_fire_at, set_by = excluded.set_by",
    )
    .bind(schedule.couple_id)
    .bind(schedule.recurrence.canonical())
    .bind(schedule.time_zone.name())
    .bind(format_local(schedule.next_local))
    .bind(to_db(schedule.next_fire_at))
    .bind(set_by)
    .bind(to_db(now))
    .execute(&mut **tx)
    .await
    .context("cannot set the recap schedule")?;
    Ok(())
}

pub async fn for_couple(tx: &mut Tx, couple_id: i64) -> anyhow::Result<Option<RecapSchedule>> {
    let sql = format!("SELECT {COLUMNS} FROM recap_schedules WHERE couple_id = $1");
    let row: Option<RecapRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(couple_id)
        .fetch_optional(&mut **tx)
        .await
        .context("cannot load the recap schedule")?;
    row.map(RecapSchedule::try_from).transpose()
}

/// Stops the couple's recaps; `true` if there were any.
pub async fn delete(tx: &mut Tx, couple_id: i64) -> anyhow::Result<bool> {
    let done = sqlx::query("DELETE FROM recap_schedules WHERE couple_id = $1")
        .bind(couple_id)
        .execute(&mut **tx)
        .await
        .context("cannot stop recaps")?;
    Ok(done.rows_affected() == 1)
}

/// Recaps due by `now`, locked against other scheduler processes.
pub async fn due(
    tx: &mut Tx,
    now: DateTime<Utc>,
    limit: i64,
) -> anyhow::Result<Vec<RecapSchedule>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM recap_schedules WHERE next_fire_at <= $1
         ORDER BY next_fire_at, couple_id LIMIT $2{}",
        skip_locked(tx)
    );
    let rows: Vec<RecapRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(to_db(now))
        .bind(limit)
        .fetch_all(&mut **tx)
        .await
        .context("cannot load due recaps")?;
    rows.into_iter().map(RecapSchedule::try_from).collect()
}

pub async fn advance(
    tx: &mut Tx,
    couple_id: i64,
    next_local: NaiveDateTime,
    next_fire_at: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE recap_schedules SET next_local = $1, next_fire_at = $2 WHERE couple_id = $3",
    )
    .bind(format_local(next_local))
    .bind(to_db(next_fire_at))
    .bind(couple_id)
    .execute(&mut **tx)
    .await
    .context("cannot advance the recap")?;
    Ok(())
}

pub async fn next_due_at(tx: &mut Tx) -> anyhow::Result<Option<DateTime<Utc>>> {
    let at: Option<i64> = sqlx::query_scalar("SELECT MIN(next_fire_at) FROM recap_schedules")
        .fetch_one(&mut **tx)
        .await
        .context("cannot read the next recap")?;
    at.map(from_db).transpose()
}
