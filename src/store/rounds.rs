//! The `checkin_rounds`, `checkin_answers` and `checkin_nudges` tables: one
//! firing of a check-in, each partner's private answer, and who was nudged.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use sqlx::FromRow;

use super::{Tx, from_db, skip_locked, to_db};
use crate::domain::CheckinKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundStatus {
    /// Waiting for answers.
    Open,
    /// Both answered and the answers were shown together.
    Revealed,
    /// Closed at its deadline; whatever existed was shown.
    Closed,
    /// Never opened: the bot was down too long.
    Missed,
}

impl RoundStatus {
    fn as_str(self) -> &'static str {
        match self {
            RoundStatus::Open => "open",
            RoundStatus::Revealed => "revealed",
            RoundStatus::Closed => "closed",
            RoundStatus::Missed => "missed",
        }
    }

    fn parse(text: &str) -> Option<RoundStatus> {
        [
            RoundStatus::Open,
            RoundStatus::Revealed,
            RoundStatus::Closed,
            RoundStatus::Missed,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Round {
    pub id: i64,
    pub couple_id: i64,
    pub schedule_id: Option<i64>,
    /// The wall-clock occurrence it stands for (or `now:<unix>` for an
    /// unscheduled round).
    pub occurrence: String,
    pub status: RoundStatus,
    pub kind: CheckinKind,
    pub deck: String,
    pub question: String,
    pub opened_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub nudge_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub user_id: i64,
    pub rating: i64,
    pub answer: Option<String>,
    pub answered_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct RoundRow {
    id: i64,
    couple_id: i64,
    schedule_id: Option<i64>,
    occurrence: String,
    status: String,
    kind: String,
    deck: String,
    question: String,
    opened_at: i64,
    closes_at: i64,
    nudge_at: Option<i64>,
}

#[derive(FromRow)]
struct AnswerRow {
    user_id: i64,
    rating: i64,
    answer: Option<String>,
    answered_at: i64,
}

const COLUMNS: &str = "id, couple_id, schedule_id, occurrence, status, kind, deck, question, opened_at, closes_at, nudge_at";

impl TryFrom<RoundRow> for Round {
    type Error = anyhow::Error;

    fn try_from(row: RoundRow) -> anyhow::Result<Round> {
        Ok(Round {
            id: row.id,
            couple_id: row.couple_id,
            schedule_id: row.schedule_id,
            occurrence: row.occurrence,
            status: RoundStatus::parse(&row.status)
                .with_context(|| format!("round {} has a bad status", row.id))?,
            kind: CheckinKind::parse(&row.kind)
                .with_context(|| format!("round {} has a bad kind", row.id))?,
            deck: row.deck,
            question: row.question,
            opened_at: from_db(row.opened_at)?,
            closes_at: from_db(row.closes_at)?,
            nudge_at: row.nudge_at.map(from_db).transpose()?,
        })
    }
}

/// A round to open.
pub struct NewRound<'a> {
    pub couple_id: i64,
    pub schedule_id: Option<i64>,
    pub occurrence: &'a str,
    pub status: RoundStatus,
    pub kind: CheckinKind,
    pub deck: &'a str,
    pub question: &'a str,
    pub opened_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub nudge_at: Option<DateTime<Utc>>,
}

/// Creates the round, or returns `None` if this schedule already has a round
/// for this occurrence (so a round is never created twice).
pub async fn create(tx: &mut Tx, new: NewRound<'_>) -> anyhow::Result<Option<Round>> {
    let sql = format!(
        "INSERT INTO checkin_rounds (couple_id, schedule_id, occurrence, status, kind, deck, question,
                                     opened_at, closes_at, nudge_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (schedule_id, occurrence) DO NOTHING
         RETURNING {COLUMNS}"
    );
    let row: Option<RoundRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(new.couple_id)
        .bind(new.schedule_id)
        .bind(new.occurrence)
        .bind(new.status.as_str())
        .bind(new.kind.as_str())
        .bind(new.deck)
        .bind(new.question)
        .bind(to_db(new.opened_at))
        .bind(to_db(new.closes_at))
        .bind(new.nudge_at.map(to_db))
        .fetch_optional(&mut **tx)
        .await
        .context("cannot create round")?;
    row.map(Round::try_from).transpose()
}

/// The couple's open round, newest first.
pub async fn open_for_couple(tx: &mut Tx, couple_id: i64) -> anyhow::Result<Option<Round>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM checkin_rounds WHERE couple_id = $1 AND status = 'open'
         ORDER BY opened_at DESC, id DESC LIMIT 1"
    );
    let row: Option<RoundRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(couple_id)
        .fetch_optional(&mut **tx)
        .await
        .context("cannot load the open round")?;
    row.map(Round::try_from).transpose()
}

pub async fn answers(tx: &mut Tx, round_id: i64) -> anyhow::Result<Vec<Answer>> {
    let rows: Vec<AnswerRow> = sqlx::query_as(
        "SELECT user_id, rating, answer, answered_at FROM checkin_answers WHERE round_id = $1
         ORDER BY answered_at, user_id",
    )
    .bind(round_id)
    .fetch_all(&mut **tx)
    .await
    .context("cannot load answers")?;
    rows.into_iter()
        .map(|row| {
            Ok(Answer {
                user_id: row.user_id,
                rating: row.rating,
                answer: row.answer,
                answered_at: from_db(row.answered_at)?,
            })
        })
        .collect()
}

/// Saves or replaces a partner's answer (answers may change until the reveal).
pub async fn save_answer(
    tx: &mut Tx,
    round_id: i64,
    user_id: i64,
    rating: u8,
    answer: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO checkin_answers (round_id, user_id, rating, answer, answered_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (round_id, user_id) DO UPDATE SET rating = excluded.rating, answer = excluded.answer,
                                                       answered_at = excluded.answered_at",
    )
    .bind(round_id)
    .bind(user_id)
    .bind(i64::from(rating))
    .bind(answer)
    .bind(to_db(now))
    .execute(&mut **tx)
    .await
    .context("cannot save answer")?;
    Ok(())
}

/// Ends an open round; `false` if it was no longer open.
pub async fn finish(
    tx: &mut Tx,
    round_id: i64,
    status: RoundStatus,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE checkin_rounds SET status = $1, finished_at = $2, nudge_at = NULL WHERE id = $3 AND status = 'open'",
    )
    .bind(status.as_str())
    .bind(to_db(now))
    .bind(round_id)
    .execute(&mut **tx)
    .await
    .context("cannot finish round")?;
    Ok(done.rows_affected() == 1)
}

/// Closes a couple's open rounds without revealing anything (they left).
pub async fn close_all_for_couple(
    tx: &mut Tx,
    couple_id: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE checkin_rounds SET status = 'closed', finished_at = $1, nudge_at = NULL
         WHERE couple_id = $2 AND status = 'open'",
    )
    .bind(to_db(now))
    .bind(couple_id)
    .execute(&mut **tx)
    .await
    .context("cannot close the couple's rounds")?;
    Ok(())
}

/// Open rounds whose deadline has passed.
pub async fn closing_due(
    tx: &mut Tx,
    now: DateTime<Utc>,
    limit: i64,
) -> anyhow::Result<Vec<Round>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM checkin_rounds WHERE status = 'open' AND closes_at <= $1
         ORDER BY closes_at, id LIMIT $2{}",
        skip_locked(tx)
    );
    fetch_rounds(tx, &sql, now, limit).await
}

/// Open rounds whose nudge time has come.
pub async fn nudges_due(tx: &mut Tx, now: DateTime<Utc>, limit: i64) -> anyhow::Result<Vec<Round>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM checkin_rounds WHERE status = 'open' AND nudge_at <= $1
         ORDER BY nudge_at, id LIMIT $2{}",
        skip_locked(tx)
    );
    fetch_rounds(tx, &sql, now, limit).await
}

async fn fetch_rounds(
    tx: &mut Tx,
    sql: &str,
    now: DateTime<Utc>,
    limit: i64,
) -> anyhow::Result<Vec<Round>> {
    let rows: Vec<RoundRow> = sqlx::query_as(AssertSqlSafe(sql.to_owned()))
        .bind(to_db(now))
        .bind(limit)
        .fetch_all(&mut **tx)
        .await
        .context("cannot load due rounds")?;
    rows.into_iter().map(Round::try_from).collect()
}

pub async fn set_nudge_at(
    tx: &mut Tx,
    round_id: i64,
    at: Option<DateTime<Utc>>,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE checkin_rounds SET nudge_at = $1 WHERE id = $2")
        .bind(at.map(to_db))
        .bind(round_id)
        .execute(&mut **tx)
        .await
        .context("cannot reschedule nudge")?;
    Ok(())
}

/// Notes a nudge; `false` if this partner was already nudged for the round.
pub async fn record_nudge(
    tx: &mut Tx,
    round_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO checkin_nudges (round_id, user_id, sent_at) VALUES ($1, $2, $3)
         ON CONFLICT (round_id, user_id) DO NOTHING",
    )
    .bind(round_id)
    .bind(user_id)
    .bind(to_db(now))
    .execute(&mut **tx)
    .await
    .context("cannot record nudge")?;
    Ok(done.rows_affected() == 1)
}

/// The couple's most recent finished rounds, newest first.
pub async fn recent(tx: &mut Tx, couple_id: i64, limit: i64) -> anyhow::Result<Vec<Round>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM checkin_rounds WHERE couple_id = $1 AND status <> 'open'
         ORDER BY opened_at DESC, id DESC LIMIT $2"
    );
    let rows: Vec<RoundRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(couple_id)
        .bind(limit)
        .fetch_all(&mut **tx)
        .await
        .context("cannot load recent rounds")?;
    rows.into_iter().map(Round::try_from).collect()
}

/// The earliest pending close or nudge, for the scheduler's sleep.
pub async fn next_event_at(tx: &mut Tx) -> anyhow::Result<Option<DateTime<Utc>>> {
    let (closes, nudges): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT MIN(closes_at), MIN(nudge_at) FROM checkin_rounds WHERE status = 'open'",
    )
    .fetch_one(&mut **tx)
    .await
    .context("cannot find the next round event")?;
    let next = match (closes, nudges) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    next.map(from_db).transpose()
}
