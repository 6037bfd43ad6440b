//! Reword-nudge consent per member, and the couple's nudge count. The
//! messages that earn a nudge are never stored.

use anyhow::Context;

use super::Tx;

/// Records one member's consent (or its withdrawal).
pub async fn set_consent(
    tx: &mut Tx,
    couple_id: i64,
    user_id: i64,
    on: bool,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE memberships SET reword_nudges = $1 WHERE couple_id = $2 AND user_id = $3")
        .bind(i64::from(on))
        .bind(couple_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await
        .context("cannot record nudge consent")?;
    Ok(())
}

/// (members who consented, members in all) of a couple.
pub async fn consent(tx: &mut Tx, couple_id: i64) -> anyhow::Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT COALESCE(SUM(reword_nudges), 0), COUNT(*) FROM memberships WHERE couple_id = $1",
    )
    .bind(couple_id)
    .fetch_one(&mut **tx)
    .await
    .context("cannot read nudge consent")
}

/// Whether this member has consented.
pub async fn has_consented(tx: &mut Tx, couple_id: i64, user_id: i64) -> anyhow::Result<bool> {
    let on: i64 = sqlx::query_scalar(
        "SELECT reword_nudges FROM memberships WHERE couple_id = $1 AND user_id = $2",
    )
    .bind(couple_id)
    .bind(user_id)
    .fetch_one(&mut **tx)
    .await
    .context("cannot read nudge consent")?;
    Ok(on != 0)
}

/// Counts one nudge; returns the couple's total.
pub async fn count(tx: &mut Tx, couple_id: i64) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "UPDATE couples SET reword_nudge_count = reword_nudge_count + 1 WHERE id = $1 RETURNING reword_nudge_count",
    )
    .bind(couple_id)
    .fetch_one(&mut **tx)
    .await
    .context("cannot count a nudge")
}

/// How many nudges the couple has received.
pub async fn total(tx: &mut Tx, couple_id: i64) -> anyhow::Result<i64> {
    sqlx::query_scalar("SELECT reword_nudge_count FROM couples WHERE id = $1")
        .bind(couple_id)
        .fetch_one(&mut **tx)
        .await
        .context("cannot read the nudge count")
}
