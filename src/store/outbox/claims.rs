//! Claiming outbox rows for a delivery worker, and giving back the ones it
//! will not send (it is shutting down), so another worker need not wait
//! for the claim to run out.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;

use super::{OutboxRow, QueuedMessage};
use crate::domain::Platform;
use crate::store::{Tx, skip_locked, to_db};

/// Claims up to `limit` due rows (to send or to retract) for the given
/// platforms until `lease_until`. A worker that dies after claiming lets
/// the lease run out; the row is then claimed again with the same key.
pub async fn claim_due(
    tx: &mut Tx,
    platforms: &[Platform],
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
) -> anyhow::Result<Vec<QueuedMessage>> {
    if platforms.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1
         WHERE id IN (SELECT id FROM outbox
                      WHERE state IN ('pending', 'retract') AND next_attempt_at <= $2
                        AND (claimed_until IS NULL OR claimed_until <= $2)
                        AND platform IN ({})
                      ORDER BY next_attempt_at, id LIMIT $3{})
         RETURNING id, idempotency_key, couple_id, recipient_kind, platform, recipient_id,
                   state, payload, posted, attempts, couple_only, next_attempt_at",
        placeholders(platforms, 4),
        skip_locked(tx)
    );
    let mut query = sqlx::query_as::<_, OutboxRow>(AssertSqlSafe(sql))
        .bind(to_db(lease_until))
        .bind(to_db(now))
        .bind(limit);
    for platform in platforms {
        query = query.bind(platform.as_str());
    }
    let mut rows = query
        .fetch_all(&mut **tx)
        .await
        .context("cannot claim outbox messages")?;
    rows.sort_by_key(|row| row.id);
    rows.into_iter().map(QueuedMessage::try_from).collect()
}

/// `$first, $first+1, …` for a list of platforms.
pub(super) fn placeholders(platforms: &[Platform], first: usize) -> String {
    (0..platforms.len())
        .map(|i| format!("${}", i + first))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Gives back claimed rows unsent: free to claim at once, and the attempt
/// they were claimed for does not count.
pub async fn release(tx: &mut Tx, ids: &[i64]) -> anyhow::Result<()> {
    for id in ids {
        sqlx::query(
            "UPDATE outbox SET claimed_until = NULL, attempts = attempts - 1
             WHERE id = $1 AND claimed_until IS NOT NULL",
        )
        .bind(*id)
        .execute(&mut **tx)
        .await
        .context("cannot give back a claimed outbox message")?;
    }
    Ok(())
}
