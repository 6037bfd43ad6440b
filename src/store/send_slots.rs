//! The `send_slots` table: a request budget shared by every process on the
//! database. Each request takes the next free moment, at least `interval`
//! after the one before, whichever process took that; the caller waits
//! until its moment comes.

use anyhow::Context;

use super::Tx;

/// Takes the next moment of `budget` at or after `now` (both in
/// microseconds of the wall clock), moving the budget on by `interval`.
pub async fn take(tx: &mut Tx, budget: &str, now: i64, interval: i64) -> anyhow::Result<i64> {
    let next: i64 = sqlx::query_scalar(
        "INSERT INTO send_slots (budget, next_at) VALUES ($1, $2 + $3)
         ON CONFLICT (budget) DO UPDATE SET next_at =
             CASE WHEN send_slots.next_at > $2 THEN send_slots.next_at ELSE $2 END + $3
         RETURNING next_at",
    )
    .bind(budget)
    .bind(now)
    .bind(interval)
    .fetch_one(&mut **tx)
    .await
    .with_context(|| format!("cannot take a moment of the {budget} request budget"))?;
    Ok(next - interval)
}
