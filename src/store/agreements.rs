//! The `agreements` table: boundaries and ground rules the couple wrote
//! together. Adding, editing and retiring are proposals the other partner
//! accepts; an edit keeps the number of the agreement it rewords.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use sqlx::FromRow;

use super::{Tx, to_db};

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct Agreement {
    pub id: i64,
    pub couple_id: i64,
    /// What the couple calls it; an edit shares the number it rewords.
    pub number: i64,
    /// Empty for a proposal to retire (the words are the agreement's).
    pub text: String,
    /// `proposed`, `active`, `declined`, `replaced` or `retired`.
    pub status: String,
    /// The agreement this proposal would reword or retire.
    pub replaces_id: Option<i64>,
    /// 1 when the proposal retires `replaces_id` instead of rewording it.
    pub retires: i64,
    pub proposed_by: Option<i64>,
}

const COLUMNS: &str = "id, couple_id, number, text, status, replaces_id, retires, proposed_by";

/// What a proposal is.
pub enum Proposal<'a> {
    New(&'a str),
    Reword(&'a Agreement, &'a str),
    Retire(&'a Agreement),
}

pub async fn propose(
    tx: &mut Tx,
    couple_id: i64,
    proposal: Proposal<'_>,
    proposed_by: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<Agreement> {
    let (about, text, retires) = match proposal {
        Proposal::New(text) => (None, text, 0),
        Proposal::Reword(old, text) => (Some(old), text, 0),
        Proposal::Retire(old) => (Some(old), "", 1),
    };
    let sql = format!(
        "INSERT INTO agreements (couple_id, number, text, status, replaces_id, retires, proposed_by,
                                 created_at)
         SELECT $1, COALESCE($2, COALESCE(MAX(number), 0) + 1), $3, 'proposed', $4, $5, $6, $7
         FROM agreements WHERE couple_id = $1
         RETURNING {COLUMNS}"
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(couple_id)
        .bind(about.map(|old| old.number))
        .bind(text)
        .bind(about.map(|old| old.id))
        .bind(retires)
        .bind(proposed_by)
        .bind(to_db(now))
        .fetch_one(&mut **tx)
        .await
        .context("cannot propose agreement")
}

/// The couple's agreement with this number in this status (`active` to
/// edit or retire it, `proposed` to answer), or `None`.
pub async fn numbered(
    tx: &mut Tx,
    couple_id: i64,
    number: i64,
    status: &str,
) -> anyhow::Result<Option<Agreement>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM agreements WHERE couple_id = $1 AND number = $2 AND status = $3
         ORDER BY id DESC LIMIT 1"
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(couple_id)
        .bind(number)
        .bind(status)
        .fetch_optional(&mut **tx)
        .await
        .context("cannot load agreement")
}

/// An agreement row of this couple by its id, or `None`.
pub async fn by_id(tx: &mut Tx, couple_id: i64, id: i64) -> anyhow::Result<Option<Agreement>> {
    let sql = format!("SELECT {COLUMNS} FROM agreements WHERE id = $1 AND couple_id = $2");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .bind(couple_id)
        .fetch_optional(&mut **tx)
        .await
        .context("cannot load agreement")
}

/// Every row with this number, newest first: the agreement, its edits and
/// proposals about it.
pub async fn history(tx: &mut Tx, couple_id: i64, number: i64) -> anyhow::Result<Vec<Agreement>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM agreements WHERE couple_id = $1 AND number = $2 ORDER BY id DESC"
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(couple_id)
        .bind(number)
        .fetch_all(&mut **tx)
        .await
        .context("cannot load agreement history")
}

/// Active agreements and open proposals, by number.
pub async fn current(tx: &mut Tx, couple_id: i64) -> anyhow::Result<Vec<Agreement>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM agreements WHERE couple_id = $1 AND status IN ('active', 'proposed')
         ORDER BY number, id"
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
