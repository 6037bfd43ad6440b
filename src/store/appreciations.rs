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

pub async fn add(
    tx: &mut Tx,
    couple_id: i64,
    from_user: i64,
    to_user: i64,
    text: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO appreciations (couple_id, from_user, to_user, text, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(couple_id)
    .bind(from_user)
    .bind(to_user)
    .bind(text)
    .bind(to_db(now))
    .execute(&mut **tx)
    .await
    .context("cannot save appreciation")?;
    Ok(())
}

/// The couple's appreciations since `from`, oldest first.
pub async fn since(
    tx: &mut Tx,
    couple_id: i64,
    from: DateTime<Utc>,
) -> anyhow::Result<Vec<Appreciation>> {
    sqlx::query_as(
        "SELECT id, from_user, to_user, text FROM appreciations
         WHERE couple_id = $1 AND created_at >= $2 ORDER BY created_at, id",
    )
    .bind(couple_id)
    .bind(to_db(from))
    .fetch_all(&mut **tx)
    .await
    .context("cannot list appreciations")
}
