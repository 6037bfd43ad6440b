//! The `deck_usage` table: which questions of a deck a couple has had, so no
//! question repeats until the deck is used up.

use anyhow::Context;

use super::Tx;

/// Indexes of the questions already asked from this deck.
pub async fn used(tx: &mut Tx, couple_id: i64, deck: &str) -> anyhow::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT question_index FROM deck_usage WHERE couple_id = $1 AND deck = $2")
        .bind(couple_id)
        .bind(deck)
        .fetch_all(&mut **tx)
        .await
        .context("cannot load deck usage")
}

pub async fn mark_used(tx: &mut Tx, couple_id: i64, deck: &str, index: i64) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO deck_usage (couple_id, deck, question_index) VALUES ($1, $2, $3)
         ON CONFLICT (couple_id, deck, question_index) DO NOTHING",
    )
    .bind(couple_id)
    .bind(deck)
    .bind(index)
    .execute(&mut **tx)
    .await
    .context("cannot mark a question used")?;
    Ok(())
}

/// Starts the deck over once every question was asked.
pub async fn reset(tx: &mut Tx, couple_id: i64, deck: &str) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM deck_usage WHERE couple_id = $1 AND deck = $2")
        .bind(couple_id)
        .bind(deck)
        .execute(&mut **tx)
        .await
        .context("cannot reset deck usage")?;
    Ok(())
}
