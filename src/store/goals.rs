//! The `goals` table: shared goals and one partner's promises (the days
//! each was kept are in [`super::goal_logs`]).

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::AssertSqlSafe;
use sqlx::FromRow;

use super::{Tx, from_db, skip_locked, to_db};

/// Format of local dates in the database.
pub const DATE_FORMAT: &str = "%Y-%m-%d";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoalKind {
    /// Both partners work on it; a logged day counts at once.
    Shared,
    /// One partner's promise; a day counts once the other confirms it.
    Promise,
}

impl GoalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GoalKind::Shared => "shared",
            GoalKind::Promise => "promise",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoalStatus {
    Proposed,
    Active,
    Declined,
    Done,
    Dropped,
}

impl GoalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            GoalStatus::Proposed => "proposed",
            GoalStatus::Active => "active",
            GoalStatus::Declined => "declined",
            GoalStatus::Done => "done",
            GoalStatus::Dropped => "dropped",
        }
    }

    fn parse(text: &str) -> Option<GoalStatus> {
        [
            GoalStatus::Proposed,
            GoalStatus::Active,
            GoalStatus::Declined,
            GoalStatus::Done,
            GoalStatus::Dropped,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Goal {
    pub id: i64,
    pub couple_id: i64,
    /// What the couple calls it: #1 is their first goal.
    pub number: i64,
    pub kind: GoalKind,
    /// Who promised (promises only).
    pub owner_id: Option<i64>,
    /// Who proposed it; `None` once that person deleted their data.
    pub proposed_by: Option<i64>,
    pub title: String,
    pub per_week: Option<i64>,
    pub due_date: Option<NaiveDate>,
    pub status: GoalStatus,
}

#[derive(FromRow)]
struct GoalRow {
    id: i64,
    couple_id: i64,
    number: i64,
    kind: String,
    owner_id: Option<i64>,
    proposed_by: Option<i64>,
    title: String,
    per_week: Option<i64>,
    due_date: Option<String>,
    status: String,
}

const COLUMNS: &str =
    "id, couple_id, number, kind, owner_id, proposed_by, title, per_week, due_date, status";

impl TryFrom<GoalRow> for Goal {
    type Error = anyhow::Error;

    fn try_from(row: GoalRow) -> anyhow::Result<Goal> {
        let kind = match row.kind.as_str() {
            "shared" => GoalKind::Shared,
            "promise" => GoalKind::Promise,
            other => anyhow::bail!("goal {} has a bad kind {other}", row.id),
        };
        let due_date = row
            .due_date
            .map(|date| NaiveDate::parse_from_str(&date, DATE_FORMAT))
            .transpose()
            .with_context(|| format!("goal {} has a bad due date", row.id))?;
        Ok(Goal {
            id: row.id,
            couple_id: row.couple_id,
            number: row.number,
            kind,
            owner_id: row.owner_id,
            proposed_by: row.proposed_by,
            title: row.title,
            per_week: row.per_week,
            due_date,
            status: GoalStatus::parse(&row.status)
                .with_context(|| format!("goal {} has a bad status", row.id))?,
        })
    }
}

/// A goal to record.
pub struct NewGoal<'a> {
    pub couple_id: i64,
    pub kind: GoalKind,
    pub owner_id: Option<i64>,
    pub proposed_by: i64,
    pub title: &'a str,
    pub per_week: Option<i64>,
    pub due_date: Option<NaiveDate>,
    pub status: GoalStatus,
}

pub async fn create(tx: &mut Tx, new: NewGoal<'_>, now: DateTime<Utc>) -> anyhow::Result<Goal> {
    let sql = format!(
        "INSERT INTO goals (couple_id, number, kind, owner_id, proposed_by, title, per_week, due_date,
                            status, created_at)
         SELECT $1, COALESCE(MAX(number), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9
         FROM goals WHERE couple_id = $1
         RETURNING {COLUMNS}"
    );
    let row: GoalRow = sqlx::query_as(AssertSqlSafe(sql))
        .bind(new.couple_id)
        .bind(new.kind.as_str())
        .bind(new.owner_id)
        .bind(new.proposed_by)
        .bind(new.title)
        .bind(new.per_week)
        .bind(new.due_date.map(|d| d.format(DATE_FORMAT).to_string()))
        .bind(new.status.as_str())
        .bind(to_db(now))
        .fetch_one(&mut **tx)
        .await
        .context("cannot create goal")?;
    row.try_into()
}

/// The couple's goal with this number, or `None` (also for another
/// couple's).
pub async fn get(tx: &mut Tx, couple_id: i64, number: i64) -> anyhow::Result<Option<Goal>> {
    let sql = format!("SELECT {COLUMNS} FROM goals WHERE number = $1 AND couple_id = $2");
    let row: Option<GoalRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(number)
        .bind(couple_id)
        .fetch_optional(&mut **tx)
        .await
        .context("cannot load goal")?;
    row.map(Goal::try_from).transpose()
}

/// The couple's proposed and active goals, oldest first.
pub async fn open_for_couple(tx: &mut Tx, couple_id: i64) -> anyhow::Result<Vec<Goal>> {
    of_couple_where(tx, couple_id, "status IN ('proposed', 'active')").await
}

/// The couple's active goals whose due-date reminder has not gone out yet.
pub async fn awaiting_reminder(tx: &mut Tx, couple_id: i64) -> anyhow::Result<Vec<Goal>> {
    of_couple_where(tx, couple_id, "status = 'active' AND remind_at IS NOT NULL").await
}

/// Running goals with a due date and no reminder waiting (those a couple's
/// restored history brought back).
pub async fn due_without_reminder(tx: &mut Tx, couple_id: i64) -> anyhow::Result<Vec<Goal>> {
    of_couple_where(
        tx,
        couple_id,
        "status = 'active' AND remind_at IS NULL AND due_date IS NOT NULL",
    )
    .await
}

/// The couple's goals that meet `condition` (fixed SQL), oldest first.
async fn of_couple_where(
    tx: &mut Tx,
    couple_id: i64,
    condition: &'static str,
) -> anyhow::Result<Vec<Goal>> {
    let sql =
        format!("SELECT {COLUMNS} FROM goals WHERE couple_id = $1 AND {condition} ORDER BY id");
    let rows: Vec<GoalRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(couple_id)
        .fetch_all(&mut **tx)
        .await
        .with_context(|| format!("cannot list the couple's goals where {condition}"))?;
    rows.into_iter().map(Goal::try_from).collect()
}

pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    status: GoalStatus,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE goals SET status = $1, decided_at = $2 WHERE id = $3")
        .bind(status.as_str())
        .bind(to_db(now))
        .bind(id)
        .execute(&mut **tx)
        .await
        .context("cannot update goal")?;
    Ok(())
}

/// When to remind about the due date next; `None` when done.
pub async fn set_remind_at(tx: &mut Tx, id: i64, at: Option<DateTime<Utc>>) -> anyhow::Result<()> {
    sqlx::query("UPDATE goals SET remind_at = $1 WHERE id = $2")
        .bind(at.map(to_db))
        .bind(id)
        .execute(&mut **tx)
        .await
        .context("cannot set goal reminder")?;
    Ok(())
}

/// Active goals whose reminder is due, locked for this scheduler pass.
pub async fn reminders_due(
    tx: &mut Tx,
    now: DateTime<Utc>,
    limit: i64,
) -> anyhow::Result<Vec<Goal>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM goals WHERE status = 'active' AND remind_at <= $1
         ORDER BY remind_at LIMIT $2{}",
        skip_locked(tx)
    );
    let rows: Vec<GoalRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(to_db(now))
        .bind(limit)
        .fetch_all(&mut **tx)
        .await
        .context("cannot load due goal reminders")?;
    rows.into_iter().map(Goal::try_from).collect()
}

pub async fn next_reminder_at(tx: &mut Tx) -> anyhow::Result<Option<DateTime<Utc>>> {
    let at: Option<i64> =
        sqlx::query_scalar("SELECT MIN(remind_at) FROM goals WHERE status = 'active'")
            .fetch_one(&mut **tx)
            .await
            .context("cannot read the next goal reminder")?;
    at.map(from_db).transpose()
}

/// A couple ended: its goals stop, and so do their reminders.
pub async fn end_all_for_couple(
    tx: &mut Tx,
    couple_id: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    // A proposal nobody accepted ends as declined, a running goal as
    // dropped: only those may run again if the two bring their history back.
    sqlx::query(
        "UPDATE goals SET status = CASE WHEN status = 'active' THEN 'dropped' ELSE 'declined' END,
                decided_at = $1, remind_at = NULL
         WHERE couple_id = $2 AND status IN ('proposed', 'active')",
    )
    .bind(to_db(now))
    .bind(couple_id)
    .execute(&mut **tx)
    .await
    .context("cannot end the couple's goals")?;
    Ok(())
}
