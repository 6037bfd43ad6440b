//! The `outbox` table: every message rapport sends that is not the direct
//! answer to a request (a partner's invite, a reveal, a check-in question)
//! is written here in the same transaction as the change that caused it,
//! then delivered by the worker. Each row has an idempotency key, so nothing
//! is queued twice, and adapters pass the key on so a re-sent message is not
//! shown twice.
//!
//! A row keeps its text only while it waits. At its final state the payload
//! is erased; the key, state, times and where the platform shows it stay,
//! so a later deletion can take the post down ([`taking_down`]).

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use sqlx::FromRow;

mod claims;
mod figures;
mod taking_down;

pub use claims::{claim_due, release};
pub use figures::figures;
pub use taking_down::{Carrying, record_posted, retract};

use super::{Tx, from_db, to_db};
use crate::domain::{Destination, Platform, Posted, Reply, SpaceRef, UserRef};

/// A message to queue.
#[derive(Clone, Debug)]
pub struct NewMessage<'a> {
    pub key: &'a str,
    pub couple_id: Option<i64>,
    pub to: &'a Destination,
    pub reply: &'a Reply,
    /// The users whose words it carries.
    pub authors: &'a [i64],
    /// The journal entry it quotes.
    pub journal_entry: Option<i64>,
    /// Private content: posted to a space only while the couple alone can
    /// read it there.
    pub couple_only: bool,
    pub not_before: DateTime<Utc>,
}

/// What the worker is to do with a claimed row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Work {
    /// Deliver this message.
    Send(Reply),
    /// Take down what was posted: the words in it were deleted.
    Retract(Posted),
}

/// A claimed row, as the delivery worker sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedMessage {
    pub id: i64,
    pub key: String,
    pub couple_id: Option<i64>,
    pub to: Destination,
    pub work: Work,
    /// Attempts so far, including the current one.
    pub attempts: i64,
    /// See [`NewMessage::couple_only`].
    pub couple_only: bool,
    /// When this attempt became due: for delivery latency.
    pub due_at: DateTime<Utc>,
}

#[derive(FromRow)]
pub(super) struct OutboxRow {
    id: i64,
    idempotency_key: String,
    couple_id: Option<i64>,
    recipient_kind: String,
    platform: String,
    recipient_id: String,
    state: String,
    payload: Option<String>,
    posted: Option<String>,
    attempts: i64,
    couple_only: i64,
    next_attempt_at: i64,
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
        let (json, what) = match row.state.as_str() {
            "retract" => (row.posted, "posted place"),
            _ => (row.payload, "payload"),
        };
        let json = json.with_context(|| format!("outbox {} has no {what}", row.id))?;
        let work = if row.state == "retract" {
            Work::Retract(serde_json::from_str(&json).context("a bad posted place")?)
        } else {
            Work::Send(serde_json::from_str(&json).context("a bad payload")?)
        };
        Ok(QueuedMessage {
            id: row.id,
            key: row.idempotency_key,
            couple_id: row.couple_id,
            to,
            work,
            attempts: row.attempts,
            couple_only: row.couple_only != 0,
            due_at: from_db(row.next_attempt_at)?,
        })
    }
}

/// Queues a message unless one with the same key exists; `true` if queued.
pub async fn enqueue(tx: &mut Tx, message: &NewMessage<'_>) -> anyhow::Result<bool> {
    let (kind, platform, id) = match message.to {
        Destination::User(user) => ("user", user.platform, user.id.as_str()),
        Destination::Space(space) => ("space", space.platform, space.id.as_str()),
    };
    let payload = serde_json::to_string(message.reply).context("cannot encode message")?;
    let queued: Option<i64> = sqlx::query_scalar(
        "INSERT INTO outbox (idempotency_key, couple_id, recipient_kind, platform, recipient_id, payload, state,
                             next_attempt_at, created_at, journal_entry_id, couple_only)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7, $8, $9)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id",
    )
    .bind(message.key)
    .bind(message.couple_id)
    .bind(kind)
    .bind(platform.as_str())
    .bind(id)
    .bind(payload)
    .bind(to_db(message.not_before))
    .bind(message.journal_entry)
    .bind(i64::from(message.couple_only))
    .fetch_optional(&mut **tx)
    .await
    .context("cannot queue message")?;
    let Some(outbox_id) = queued else {
        return Ok(false);
    };
    record_authors(tx, outbox_id, message.authors).await?;
    Ok(true)
}

pub(super) async fn record_authors(
    tx: &mut Tx,
    outbox_id: i64,
    authors: &[i64],
) -> anyhow::Result<()> {
    for author in authors {
        // An author deleted in this very request has no row to point at.
        sqlx::query(
            "INSERT INTO outbox_authors (outbox_id, user_id)
             SELECT $1, id FROM users WHERE id = $2
             ON CONFLICT DO NOTHING",
        )
        .bind(outbox_id)
        .bind(*author)
        .execute(&mut **tx)
        .await
        .context("cannot record whose words a message carries")?;
    }
    Ok(())
}

/// Queues a private copy of a message for one person, carrying the same
/// words (authors, journal entry) as the original; `true` if queued.
pub async fn copy_to_user(
    tx: &mut Tx,
    original: i64,
    key: &str,
    to: &UserRef,
    reply: &Reply,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let payload = serde_json::to_string(reply).context("cannot encode message")?;
    let copied: Option<i64> = sqlx::query_scalar(
        "INSERT INTO outbox (idempotency_key, couple_id, recipient_kind, platform, recipient_id, payload, state,
                             next_attempt_at, created_at, journal_entry_id)
         SELECT $1, couple_id, 'user', $2, $3, $4, 'pending', $5, $5, journal_entry_id
         FROM outbox WHERE id = $6
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id",
    )
    .bind(key)
    .bind(to.platform.as_str())
    .bind(&to.id)
    .bind(payload)
    .bind(to_db(now))
    .bind(original)
    .fetch_optional(&mut **tx)
    .await
    .context("cannot queue a private copy")?;
    let Some(copy) = copied else {
        return Ok(false);
    };
    sqlx::query(
        "INSERT INTO outbox_authors (outbox_id, user_id)
         SELECT $1, user_id FROM outbox_authors WHERE outbox_id = $2",
    )
    .bind(copy)
    .bind(original)
    .execute(&mut **tx)
    .await
    .context("cannot copy whose words a message carries")?;
    Ok(true)
}

/// Not posted where it was addressed, and never will be: its text goes.
pub async fn mark_cancelled(
    tx: &mut Tx,
    id: i64,
    now: DateTime<Utc>,
    why: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE outbox SET state = 'cancelled', finished_at = $1, claimed_until = NULL, payload = NULL,
                           last_error = $2
         WHERE id = $3",
    )
    .bind(to_db(now))
    .bind(why)
    .bind(id)
    .execute(&mut **tx)
    .await
    .context("cannot cancel a message")?;
    Ok(())
}

/// Sent: the text goes, where it was posted stays (for a later retraction).
pub async fn mark_sent(
    tx: &mut Tx,
    id: i64,
    now: DateTime<Utc>,
    posted: &Posted,
) -> anyhow::Result<()> {
    let posted = (!posted.is_empty())
        .then(|| serde_json::to_string(posted))
        .transpose()
        .context("cannot encode where a message was posted")?;
    sqlx::query(
        "UPDATE outbox SET state = 'sent', finished_at = $1, claimed_until = NULL, payload = NULL,
                           posted = $2
         WHERE id = $3",
    )
    .bind(to_db(now))
    .bind(posted)
    .bind(id)
    .execute(&mut **tx)
    .await
    .context("cannot mark message sent")?;
    Ok(())
}

/// Taken down: nothing of the post is left to point at.
pub async fn mark_retracted(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE outbox SET state = 'retracted', finished_at = $1, claimed_until = NULL, posted = NULL
         WHERE id = $2",
    )
    .bind(to_db(now))
    .bind(id)
    .execute(&mut **tx)
    .await
    .context("cannot mark a post taken down")?;
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

/// Failed for good: the text goes, and so does any claim on a post.
pub async fn mark_failed(
    tx: &mut Tx,
    id: i64,
    now: DateTime<Utc>,
    error: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE outbox SET state = 'failed', finished_at = $1, claimed_until = NULL, last_error = $2,
                           payload = NULL, posted = NULL
         WHERE id = $3",
    )
    .bind(to_db(now))
    .bind(error)
    .bind(id)
    .execute(&mut **tx)
    .await
    .context("cannot mark message failed")?;
    Ok(())
}

/// Drops a couple's undelivered messages and erases their text (they left:
/// nothing more is sent).
pub async fn cancel_for_couple(
    tx: &mut Tx,
    couple_id: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE outbox SET state = 'cancelled', finished_at = $1, payload = NULL, claimed_until = NULL
         WHERE couple_id = $2 AND state = 'pending'",
    )
    .bind(to_db(now))
    .bind(couple_id)
    .execute(&mut **tx)
    .await
    .context("cannot cancel the couple's messages")?;
    Ok(())
}

/// When the next row for these platforms is due, for the scheduler's sleep.
pub async fn next_due_at(
    tx: &mut Tx,
    platforms: &[Platform],
) -> anyhow::Result<Option<DateTime<Utc>>> {
    if platforms.is_empty() {
        return Ok(None);
    }
    let sql = format!(
        "SELECT MIN(CASE WHEN claimed_until IS NOT NULL AND claimed_until > next_attempt_at
                         THEN claimed_until ELSE next_attempt_at END)
         FROM outbox WHERE state IN ('pending', 'retract') AND platform IN ({})",
        claims::placeholders(platforms, 1)
    );
    let mut query = sqlx::query_scalar::<_, Option<i64>>(AssertSqlSafe(sql));
    for platform in platforms {
        query = query.bind(platform.as_str());
    }
    let next = query
        .fetch_one(&mut **tx)
        .await
        .context("cannot find the next due message")?;
    next.map(from_db).transpose()
}
