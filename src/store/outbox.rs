//! The `outbox` table: every message rapport sends on its own (check-in
//! questions, nudges, reveals at a deadline) is written here in the same
//! transaction as the change that caused it, then delivered by the worker.
//! Each row has an idempotency key, so nothing is queued twice, and adapters
//! pass the key on so a re-sent message is not shown twice.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use sqlx::FromRow;

use super::{Tx, from_db, skip_locked, to_db};
use crate::domain::{Destination, Platform, Reply, SpaceRef, UserRef};

/// A queued message, as claimed by the delivery worker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedMessage {
    pub id: i64,
    pub key: String,
    pub couple_id: Option<i64>,
    pub to: Destination,
    pub reply: Reply,
    /// Attempts so far, including the current one.
    pub attempts: i64,
}

#[derive(FromRow)]
struct OutboxRow {
    id: i64,
    idempotency_key: String,
    couple_id: Option<i64>,
    recipient_kind: String,
    platform: String,
    recipient_id: String,
    payload: String,
    attempts: i64,
}

impl TryFrom<OutboxRow> for QueuedMessage {
    type Error = anyhow::Error;

    fn try_from(row: OutboxRow) -> anyhow::Result<QueuedMessage> {
        let platform = Platform::parse(&row.platform)
            .with_context(|| format!("outbox {} has unknown platform {}", row.id, row.platform))?;
        let to = match row.recipient_kind.as_str() {
            "user" => Destination::User(UserRef::new(platform, row.recipient_id)),
            "space" => Destination::Space(SpaceRef::new(platform, row.recipient_id)),
            other => anyhow::bail!("outbox {} has unknown recipient kind {other}", row.id),
        };
        let reply = serde_json::from_str(&row.payload)
            .with_context(|| format!("outbox {} has a bad payload", row.id))?;
        Ok(QueuedMessage {
            id: row.id,
            key: row.idempotency_key,
            couple_id: row.couple_id,
            to,
            reply,
            attempts: row.attempts,
        })
    }
}

/// Queues a message unless one with the same key exists; `true` if queued.
pub async fn enqueue(
    tx: &mut Tx,
    key: &str,
    couple_id: Option<i64>,
    to: &Destination,
    reply: &Reply,
    not_before: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let (kind, platform, id) = match to {
        Destination::User(user) => ("user", user.platform, user.id.as_str()),
        Destination::Space(space) => ("space", space.platform, space.id.as_str()),
    };
    let payload = serde_json::to_string(reply).context("cannot encode message")?;
    let done = sqlx::query(
        "INSERT INTO outbox (idempotency_key, couple_id, recipient_kind, platform, recipient_id, payload, state,
                             next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7)
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(key)
    .bind(couple_id)
    .bind(kind)
    .bind(platform.as_str())
    .bind(id)
    .bind(payload)
    .bind(to_db(not_before))
    .execute(&mut **tx)
    .await
    .context("cannot queue message")?;
    Ok(done.rows_affected() == 1)
}

/// Claims up to `limit` due messages for the given platforms until
/// `lease_until`. A worker that dies after claiming simply lets the lease
/// run out; the message is then claimed again with the same key.
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
    let placeholders: Vec<String> = (0..platforms.len())
        .map(|i| format!("${}", i + 4))
        .collect();
    let sql = format!(
        "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1
         WHERE id IN (SELECT id FROM outbox
                      WHERE state = 'pending' AND next_attempt_at <= $2
                        AND (claimed_until IS NULL OR claimed_until <= $2)
                        AND platform IN ({})
                      ORDER BY next_attempt_at, id LIMIT $3{})
         RETURNING id, idempotency_key, couple_id, recipient_kind, platform, recipient_id, payload, attempts",
        placeholders.join(", "),
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

pub async fn mark_sent(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE outbox SET state = 'sent', finished_at = $1, claimed_until = NULL WHERE id = $2",
    )
    .bind(to_db(now))
    .bind(id)
    .execute(&mut **tx)
    .await
    .context("cannot mark message sent")?;
    Ok(())
}

pub async fn retry_at(tx: &mut Tx, id: i64, at: DateTime<Utc>, error: &str) -> anyhow::Result<()> {
    sqlx::query("UPDATE outbox SET next_attempt_at = $1, claimed_until = NULL, last_error = $2 WHERE id = $3")
        .bind(to_db(at))
        .bind(error)
        .bind(id)
        .execute(&mut **tx)
        .await
        .context("cannot reschedule message")?;
    Ok(())
}

pub async fn mark_failed(
    tx: &mut Tx,
    id: i64,
    now: DateTime<Utc>,
    error: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE outbox SET state = 'failed', finished_at = $1, claimed_until = NULL, last_error = $2 WHERE id = $3",
    )
    .bind(to_db(now))
    .bind(error)
    .bind(id)
    .execute(&mut **tx)
    .await
    .context("cannot mark message failed")?;
    Ok(())
}

/// Drops a couple's undelivered messages (they left: nothing more is sent).
pub async fn cancel_for_couple(
    tx: &mut Tx,
    couple_id: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE outbox SET state = 'failed', finished_at = $1, last_error = 'couple ended'
         WHERE couple_id = $2 AND state = 'pending'",
    )
    .bind(to_db(now))
    .bind(couple_id)
    .execute(&mut **tx)
    .await
    .context("cannot cancel the couple's messages")?;
    Ok(())
}

/// When the next pending message is due, for the scheduler's sleep.
pub async fn next_due_at(tx: &mut Tx) -> anyhow::Result<Option<DateTime<Utc>>> {
    let next: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(CASE WHEN claimed_until IS NOT NULL AND claimed_until > next_attempt_at
                         THEN claimed_until ELSE next_attempt_at END)
         FROM outbox WHERE state = 'pending'",
    )
    .fetch_one(&mut **tx)
    .await
    .context("cannot find the next due message")?;
    next.map(from_db).transpose()
}
