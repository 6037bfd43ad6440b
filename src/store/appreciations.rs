//! The `appreciations` table: thank-yous one partner posted to the other.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{Tx, to_db};

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct Appreciation {
    pub id: i64,
    pub from_user: i64,
    pub to_user: Option<i64>,
    pub text: String,
}

/// Saves an appreciation; `held` keeps it back for its author to decide
/// (a held one replaces any other the author had waiting).
pub async fn add(
    tx: &mut Tx,
    new: NewAppreciation<'_>,
    held: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    if held {
        discard_held(tx, new.from_user).await?;
    }
    sqlx::query(
        "INSERT INTO appreciations (couple_id, from_user, to_user, text, created_at, held)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new.couple_id)
    .bind(new.from_user)
    .bind(new.to_user)
    .bind(new.text)
    .bind(to_db(now))
    .bind(i64::from(held))
    .execute(&mut **tx)
    .await
    .context("cannot save appreciation")?;
    Ok(())
}

/// An appreciation to record.
pub struct NewAppreciation<'a> {
    pub couple_id: i64,
    pub from_user: i64,
    pub to_user: i64,
    pub text: &'a str,
}

/// Releases the author's held appreciation, dated now; its text, or `None`
/// when nothing waits.
pub async fn release_held(
    tx: &mut Tx,
    couple_id: i64,
    from_user: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar(
        "UPDATE appreciations SET held = 0, created_at = $1
         WHERE from_user = $2 AND couple_id = $3 AND held = 1 RETURNING text",
    )
    .bind(to_db(now))
    .bind(from_user)
    .bind(couple_id)
    .fetch_optional(&mut **tx)
    .await
    .context("cannot post the held appreciation")
}

/// Deletes the author's held appreciation; `true` if there was one.
pub async fn discard_held(tx: &mut Tx, from_user: i64) -> anyhow::Result<bool> {
    let done = sqlx::query("DELETE FROM appreciations WHERE from_user = $1 AND held = 1")
        .bind(from_user)
        .execute(&mut **tx)
        .await
        .context("cannot drop the held appreciation")?;
    Ok(done.rows_affected() > 0)
}

/// The couple's appreciations since `from`, oldest first.
pub async fn since(
    tx: &mut Tx,
    couple_id: i64,
    from: DateTime<Utc>,
) -> anyhow::Result<Vec<Appreciation>> {
    sqlx::query_as(
        "SELECT id, from_user, to_user, text FROM appreciations
         WHERE couple_id = $1 AND created_at >= $2 AND held = 0 ORDER BY created_at, id",
    )
    .bind(couple_id)
    .bind(to_db(from))
    .fetch_all(&mut **tx)
    .await
    .context("cannot list appreciations")
}
