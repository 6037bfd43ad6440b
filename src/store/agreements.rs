//! The `agreements` table: boundaries and ground rules the couple wrote
//! together. Adding and editing are proposals the other partner accepts.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use sqlx::FromRow;

use super::{Tx, to_db};

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct Agreement {
    pub id: i64,
    pub couple_id: i64,
    pub text: String,
    /// `proposed`, `active`, `declined` or `replaced`.
    pub status: String,
    /// The agreement this proposal would replace (an edit).
    pub replaces_id: Option<i64>,
    pub proposed_by: Option<i64>,
}

const COLUMNS: &str = "id, couple_id, text, status, replaces_id, proposed_by";

pub async fn propose(
    tx: &mut Tx,
    couple_id: i64,
    text: &str,
    replaces_id: Option<i64>,
    proposed_by: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<Agreement> {
    let sql = format!(
        "INSERT INTO agreements (couple_id, text, status, replaces_id, proposed_by, created_at)
         VALUES ($1, $2, 'proposed', $3, $4, $5) RETURNING {COLUMNS}"
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(couple_id)
        .bind(text)
        .bind(replaces_id)
        .bind(proposed_by)
        .bind(to_db(now))
        .fetch_one(&mut **tx)
        .await
        .context("cannot propose agreement")
}

/// An agreement of this couple, or `None` (also for another couple's).
pub async fn get(tx: &mut Tx, couple_id: i64, id: i64) -> anyhow::Result<Option<Agreement>> {
    let sql = format!("SELECT {COLUMNS} FROM agreements WHERE id = $1 AND couple_id = $2");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .bind(couple_id)
        .fetch_optional(&mut **tx)
        .await
        .context("cannot load agreement")
}

/// Active agreements and open proposals, oldest first.
pub async fn current(tx: &mut Tx, couple_id: i64) -> anyhow::Result<Vec<Agreement>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM agreements WHERE couple_id = $1 AND status IN ('active', 'proposed') ORDER BY id"
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(couple_id)
        .fetch_all(&mut **tx)
        .await
        .context("cannot list agreements")
}

/// Sets a status; `true` if the row was still in `from`.
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    from: &str,
    to: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE agreements SET status = $1, decided_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(to)
    .bind(to_db(now))
    .bind(id)
    .bind(from)
    .execute(&mut **tx)
    .await
    .context("cannot update agreement")?;
    Ok(done.rows_affected() == 1)
}
