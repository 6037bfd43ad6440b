//! The `checkin_schedules` table: a couple's recurring check-in, proposed by
//! one partner and active once the other accepts.

use anyhow::Context;
use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use sqlx::AssertSqlSafe;
use sqlx::FromRow;

use super::{Tx, from_db, skip_locked, to_db};
use crate::domain::CheckinKind;
use crate::domain::recurrence::Recurrence;

/// Format of wall-clock occurrences in the database.
pub const LOCAL_FORMAT: &str = "%Y-%m-%dT%H:%M";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleStatus {
    Proposed,
    Active,
    Ended,
}

/// A check-in schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub id: i64,
    pub couple_id: i64,
    pub status: ScheduleStatus,
    pub recurrence: Recurrence,
    pub time_zone: Tz,
    pub kind: CheckinKind,
    pub deck: String,
    pub proposed_by: i64,
    /// The next wall-clock occurrence and the instant it fires (active only).
    pub next_local: Option<NaiveDateTime>,
    pub next_fire_at: Option<DateTime<Utc>>,
    pub paused_until: Option<DateTime<Utc>>,
    pub skip_next: bool,
    pub missed_count: i64,
}

#[derive(FromRow)]
struct ScheduleRow {
    id: i64,
    couple_id: i64,
    status: String,
    recurrence: String,
    time_zone: String,
    kind: String,
    deck: String,
    proposed_by: i64,
    next_local: Option<String>,
    next_fire_at: Option<i64>,
    paused_until: Option<i64>,
    skip_next: i64,
    missed_count: i64,
}

const COLUMNS: &str = "id, couple_id, status, recurrence, time_zone, kind, deck, proposed_by, next_local, \
                       next_fire_at, paused_until, skip_next, missed_count";

pub fn parse_local(text: &str) -> anyhow::Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, LOCAL_FORMAT)
        .with_context(|| format!("bad stored local time {text}"))
}

pub fn format_local(local: NaiveDateTime) -> String {
    local.format(LOCAL_FORMAT).to_string()
}

impl TryFrom<ScheduleRow> for Schedule {
    type Error = anyhow::Error;

    fn try_from(row: ScheduleRow) -> anyhow::Result<Schedule> {
        let id = row.id;
        let status = match row.status.as_str() {
            "proposed" => ScheduleStatus::Proposed,
            "active" => ScheduleStatus::Active,
            "ended" => ScheduleStatus::Ended,
            other => anyhow::bail!("schedule {id} has unknown status {other}"),
        };
        Ok(Schedule {
            id,
            couple_id: row.couple_id,
            status,
            recurrence: Recurrence::from_canonical(&row.recurrence)
                .map_err(|error| anyhow::anyhow!("schedule {id} has a bad recurrence: {error}"))?,
            time_zone: row
                .time_zone
                .parse()
                .map_err(|error| anyhow::anyhow!("schedule {id} has a bad zone: {error}"))?,
            kind: CheckinKind::parse(&row.kind)
                .with_context(|| format!("schedule {id} has a bad kind"))?,
            deck: row.deck,
            proposed_by: row.proposed_by,
            next_local: row.next_local.as_deref().map(parse_local).transpose()?,
            next_fire_at: row.next_fire_at.map(from_db).transpose()?,
            paused_until: row.paused_until.map(from_db).transpose()?,
            skip_next: row.skip_next != 0,
            missed_count: row.missed_count,
        })
    }
}

/// A schedule to propose.
pub struct NewSchedule<'a> {
    pub couple_id: i64,
    pub recurrence: &'a Recurrence,
    pub time_zone: Tz,
    pub kind: CheckinKind,
    pub deck: &'a str,
    pub proposed_by: i64,
}

/// Records a proposal, replacing any earlier unanswered one of the couple.
pub async fn propose(
    tx: &mut Tx,
    new: NewSchedule<'_>,
    now: DateTime<Utc>,
) -> anyhow::Result<Schedule> {
    sqlx::query("UPDATE checkin_schedules SET status = 'ended', ended_at = $1 WHERE couple_id = $2 AND status = 'proposed'")
        .bind(to_db(now))
        .bind(new.couple_id)
        .execute(&mut **tx)
        .await
        .context("cannot withdraw older proposals")?;
    let sql = format!(
        "INSERT INTO checkin_schedules (couple_id, status, recurrence, time_zone, kind, deck, proposed_by, created_at)
         VALUES ($1, 'proposed', $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
    );
    let row: ScheduleRow = sqlx::query_as(AssertSqlSafe(sql))
        .bind(new.couple_id)
        .bind(new.recurrence.canonical())
        .bind(new.time_zone.name())
        .bind(new.kind.as_str())
        .bind(new.deck)
        .bind(new.proposed_by)
        .bind(to_db(now))
        .fetch_one(&mut **tx)
        .await
        .context("cannot propose schedule")?;
    row.try_into()
}

/// The couple's schedule in a given status, newest first.
pub async fn for_couple(
    tx: &mut Tx,
    couple_id: i64,
    status: ScheduleStatus,
) -> anyhow::Result<Option<Schedule>> {
    let status = match status {
        ScheduleStatus::Proposed => "proposed",
        ScheduleStatus::Active => "active",
        ScheduleStatus::Ended => "ended",
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM checkin_schedules WHERE couple_id = $1 AND status = $2 ORDER BY id DESC LIMIT 1"
    );
    let row: Option<ScheduleRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(couple_id)
        .bind(status)
        .fetch_optional(&mut **tx)
        .await
        .context("cannot load the couple's schedule")?;
    row.map(Schedule::try_from).transpose()
}

/// Makes a proposal the couple's one active schedule, ending any other.
pub async fn activate(
    tx: &mut Tx,
    schedule: &Schedule,
    next_local: NaiveDateTime,
    next_fire_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE checkin_schedules SET status = 'ended', ended_at = $1 WHERE couple_id = $2 AND status = 'active'")
        .bind(to_db(now))
        .bind(schedule.couple_id)
        .execute(&mut **tx)
        .await
        .context("cannot end the previous schedule")?;
    sqlx::query("UPDATE checkin_schedules SET status = 'active', next_local = $1, next_fire_at = $2 WHERE id = $3")
        .bind(format_local(next_local))
        .bind(to_db(next_fire_at))
        .bind(schedule.id)
        .execute(&mut **tx)
        .await
        .context("cannot activate schedule")?;
    Ok(())
}

/// Ends one schedule (declined proposal, or stopped).
pub async fn end(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
    sqlx::query("UPDATE checkin_schedules SET status = 'ended', ended_at = $1 WHERE id = $2 AND status <> 'ended'")
        .bind(to_db(now))
        .bind(id)
        .execute(&mut **tx)
        .await
        .context("cannot end schedule")?;
    Ok(())
}

/// Ends every schedule of a couple at once (a partner left).
pub async fn end_all_for_couple(
    tx: &mut Tx,
    couple_id: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<u64> {
    let done =
        sqlx::query("UPDATE checkin_schedules SET status = 'ended', ended_at = $1 WHERE couple_id = $2 AND status <> 'ended'")
            .bind(to_db(now))
            .bind(couple_id)
            .execute(&mut **tx)
            .await
            .context("cannot end the couple's schedules")?;
    Ok(done.rows_affected())
}

pub async fn set_pause(tx: &mut Tx, id: i64, until: Option<DateTime<Utc>>) -> anyhow::Result<()> {
    sqlx::query("UPDATE checkin_schedules SET paused_until = $1 WHERE id = $2")
        .bind(until.map(to_db))
        .bind(id)
        .execute(&mut **tx)
        .await
        .context("cannot pause schedule")?;
    Ok(())
}

pub async fn set_skip(tx: &mut Tx, id: i64, skip: bool) -> anyhow::Result<()> {
    sqlx::query("UPDATE checkin_schedules SET skip_next = $1 WHERE id = $2")
        .bind(i64::from(skip))
        .bind(id)
        .execute(&mut **tx)
        .await
        .context("cannot set skip")?;
    Ok(())
}

/// Active schedules due by `now`, oldest first, locked against other
/// scheduler processes on PostgreSQL.
pub async fn due(tx: &mut Tx, now: DateTime<Utc>, limit: i64) -> anyhow::Result<Vec<Schedule>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM checkin_schedules WHERE status = 'active' AND next_fire_at <= $1
         ORDER BY next_fire_at, id LIMIT $2{}",
        skip_locked(tx)
    );
    let rows: Vec<ScheduleRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(to_db(now))
        .bind(limit)
        .fetch_all(&mut **tx)
        .await
        .context("cannot load due schedules")?;
    rows.into_iter().map(Schedule::try_from).collect()
}

/// Moves a schedule to its next occurrence after a firing; `skip_next`
/// says whether a skip is still waiting for an occurrence outside a pause.
pub async fn advance(
    tx: &mut Tx,
    id: i64,
    next_local: NaiveDateTime,
    next_fire_at: DateTime<Utc>,
    missed: i64,
    skip_next: bool,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE checkin_schedules SET next_local = $1, next_fire_at = $2, skip_next = $5,
                missed_count = missed_count + $3 WHERE id = $4",
    )
    .bind(format_local(next_local))
    .bind(to_db(next_fire_at))
    .bind(missed)
    .bind(id)
    .bind(i64::from(skip_next))
    .execute(&mut **tx)
    .await
    .context("cannot advance schedule")?;
    Ok(())
}

/// How long the oldest active schedule due by `now` has waited to fire, in
/// seconds (0 when none is overdue): the scheduler's lag.
pub async fn lag_seconds(tx: &mut Tx, now: DateTime<Utc>) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "SELECT COALESCE($1 - MIN(next_fire_at), 0) FROM checkin_schedules
         WHERE status = 'active' AND next_fire_at <= $1",
    )
    .bind(to_db(now))
    .fetch_one(&mut **tx)
    .await
    .context("cannot measure the scheduler's lag")
}

/// When the next active schedule is due, for the scheduler's sleep.
pub async fn next_due_at(tx: &mut Tx) -> anyhow::Result<Option<DateTime<Utc>>> {
    let next: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(next_fire_at) FROM checkin_schedules WHERE status = 'active'",
    )
    .fetch_one(&mut **tx)
    .await
    .context("cannot find the next due schedule")?;
    next.map(from_db).transpose()
}
