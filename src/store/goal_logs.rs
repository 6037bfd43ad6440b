//! The `goal_logs` table: the days each goal was worked on, and for a
//! promise the partner's confirmation. Kept days are counted from the logs,
//! so the count can only grow: there is no streak to break.

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};

use super::goals::DATE_FORMAT;
use super::{Tx, to_db};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogStatus {
    Waiting,
    Kept,
    NotKept,
}

impl LogStatus {
    fn as_str(self) -> &'static str {
        match self {
            LogStatus::Waiting => "waiting",
            LogStatus::Kept => "kept",
            LogStatus::NotKept => "not_kept",
        }
    }
}

/// Records that `user_id` worked on the goal on `date`; `false` if that
/// day was already logged by them.
pub async fn log(
    tx: &mut Tx,
    goal_id: i64,
    user_id: i64,
    date: NaiveDate,
    note: Option<&str>,
    status: LogStatus,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO goal_logs (goal_id, user_id, local_date, note, status, logged_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (goal_id, user_id, local_date) DO NOTHING",
    )
    .bind(goal_id)
    .bind(user_id)
    .bind(date.format(DATE_FORMAT).to_string())
    .bind(note)
    .bind(status.as_str())
    .bind(to_db(now))
    .execute(&mut **tx)
    .await
    .context("cannot log goal progress")?;
    Ok(done.rows_affected() == 1)
}

/// Confirms (or not) the oldest log still waiting on the goal; returns its
/// date, or `None` when nothing waits.
pub async fn confirm_waiting(
    tx: &mut Tx,
    goal_id: i64,
    day: Option<NaiveDate>,
    confirmed_by: i64,
    kept: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<NaiveDate>> {
    // The day asked about (a button names it), else the oldest waiting.
    let waiting: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, local_date FROM goal_logs
         WHERE goal_id = $1 AND status = 'waiting' AND ($2 IS NULL OR local_date = $2)
         ORDER BY local_date, id LIMIT 1",
    )
    .bind(goal_id)
    .bind(day.map(|day| day.format(DATE_FORMAT).to_string()))
    .fetch_optional(&mut **tx)
    .await
    .context("cannot load the waiting log")?;
    let Some((id, date)) = waiting else {
        return Ok(None);
    };
    let status = if kept {
        LogStatus::Kept
    } else {
        LogStatus::NotKept
    };
    sqlx::query(
        "UPDATE goal_logs SET status = $1, confirmed_by = $2, confirmed_at = $3 WHERE id = $4",
    )
    .bind(status.as_str())
    .bind(confirmed_by)
    .bind(to_db(now))
    .bind(id)
    .execute(&mut **tx)
    .await
    .context("cannot confirm the log")?;
    let date = NaiveDate::parse_from_str(&date, DATE_FORMAT)
        .with_context(|| format!("goal log {id} has a bad date"))?;
    Ok(Some(date))
}

/// Changes an answer this person gave since `since` (the start of their
/// day) to `kept`, so a misclick can be undone the same day; returns the
/// log's date, or `None` when there is no such answer to change.
pub async fn change_confirmed(
    tx: &mut Tx,
    goal_id: i64,
    day: Option<NaiveDate>,
    confirmed_by: i64,
    kept: bool,
    since: DateTime<Utc>,
) -> anyhow::Result<Option<NaiveDate>> {
    let (from, to) = if kept {
        (LogStatus::NotKept, LogStatus::Kept)
    } else {
        (LogStatus::Kept, LogStatus::NotKept)
    };
    let changed: Option<String> = sqlx::query_scalar(
        "UPDATE goal_logs SET status = $1
         WHERE id = (SELECT id FROM goal_logs
                     WHERE goal_id = $2 AND status = $3 AND confirmed_by = $4
                       AND confirmed_at >= $5 AND ($6 IS NULL OR local_date = $6)
                     ORDER BY confirmed_at DESC, id DESC LIMIT 1)
         RETURNING local_date",
    )
    .bind(to.as_str())
    .bind(goal_id)
    .bind(from.as_str())
    .bind(confirmed_by)
    .bind(to_db(since))
    .bind(day.map(|day| day.format(DATE_FORMAT).to_string()))
    .fetch_optional(&mut **tx)
    .await
    .context("cannot change the answer")?;
    changed
        .map(|date| NaiveDate::parse_from_str(&date, DATE_FORMAT))
        .transpose()
        .context("a goal log has a bad date")
}

/// Distinct days the goal was kept, in all and since `from` (inclusive).
pub async fn kept_days(tx: &mut Tx, goal_id: i64, from: NaiveDate) -> anyhow::Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT COUNT(DISTINCT local_date),
                COUNT(DISTINCT CASE WHEN local_date >= $2 THEN local_date END)
         FROM goal_logs WHERE goal_id = $1 AND status = 'kept'",
    )
    .bind(goal_id)
    .bind(from.format(DATE_FORMAT).to_string())
    .fetch_one(&mut **tx)
    .await
    .context("cannot count kept days")
}

/// How many logs wait for confirmation.
pub async fn waiting_count(tx: &mut Tx, goal_id: i64) -> anyhow::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM goal_logs WHERE goal_id = $1 AND status = 'waiting'")
        .bind(goal_id)
        .fetch_one(&mut **tx)
        .await
        .context("cannot count waiting logs")
}
