//! What operators watch of the outbox, for the metrics endpoint.

use anyhow::Context;
use chrono::{DateTime, Utc};

use crate::store::{Tx, to_db};

/// What operators watch of the outbox at `now`: messages waiting, messages
/// given up on, and how long the oldest waiting one has been due (a message
/// held for someone's quiet hours is not due yet, so it does not count).
pub async fn figures(tx: &mut Tx, now: DateTime<Utc>) -> anyhow::Result<(i64, i64, i64)> {
    sqlx::query_as(
        "SELECT COUNT(CASE WHEN state = 'pending' THEN 1 END),
                COUNT(CASE WHEN state = 'failed' THEN 1 END),
                COALESCE($1 - MIN(CASE WHEN state = 'pending' AND next_attempt_at <= $1
                                       THEN next_attempt_at END), 0)
         FROM outbox",
    )
    .bind(to_db(now))
    .fetch_one(&mut **tx)
    .await
    .context("cannot count the outbox")
}
