//! Taking down what rapport posted with words someone deleted: which rows
//! carry the words ([`Carrying`]), forgetting their queued copies and
//! handing posted ones to the worker ([`retract`]), and remembering posts
//! made outside the outbox, such as an answer left standing in a room
//! ([`record_posted`]).

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;

use super::record_authors;
use crate::domain::{Destination, Posted, UserRef};
use crate::store::{Tx, to_db};

/// Records a post rapport made outside the outbox (an answer shown where
/// the person asked) as already sent: no text, only where it stands and
/// whose words it repeats, so a deletion can take it down.
pub async fn record_posted(
    tx: &mut Tx,
    to: &Destination,
    posted: &Posted,
    authors: &[i64],
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let Some(first) = posted.ids.first() else {
        return Ok(());
    };
    let (kind, platform, id) = match to {
        Destination::User(user) => ("user", user.platform, user.id.as_str()),
        Destination::Space(space) => ("space", space.platform, space.id.as_str()),
    };
    let key = format!("posted:{platform}:{}:{first}", posted.place);
    let place = serde_json::to_string(posted).context("cannot encode where a post stands")?;
    let recorded: Option<i64> = sqlx::query_scalar(
        "INSERT INTO outbox (idempotency_key, recipient_kind, platform, recipient_id, state,
                             next_attempt_at, created_at, finished_at, posted)
         VALUES ($1, $2, $3, $4, 'sent', $5, $5, $5, $6)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id",
    )
    .bind(&key)
    .bind(kind)
    .bind(platform.as_str())
    .bind(id)
    .bind(to_db(now))
    .bind(place)
    .fetch_optional(&mut **tx)
    .await
    .context("cannot record a post")?;
    if let Some(outbox_id) = recorded {
        record_authors(tx, outbox_id, authors).await?;
    }
    Ok(())
}

/// Which rows carry someone's deleted words.
#[derive(Clone, Copy, Debug)]
pub enum Carrying<'a> {
    /// Everything of one person: their words, and messages addressed to them.
    Person { user_id: i64, user: &'a UserRef },
    /// One journal entry, wherever it was shared.
    JournalEntry(i64),
}

impl Carrying<'_> {
    /// The rows' condition, on the placeholders [`Carrying::bind`] fills,
    /// and how many those are.
    fn condition(self) -> (&'static str, usize) {
        match self {
            Carrying::Person { .. } => (
                "(id IN (SELECT outbox_id FROM outbox_authors WHERE user_id = $1)
                  OR (recipient_kind = 'user' AND platform = $2 AND recipient_id = $3))",
                3,
            ),
            Carrying::JournalEntry(_) => ("journal_entry_id = $1", 1),
        }
    }

    fn bind<'q>(self, query: Query<'q>) -> Query<'q>
    where
        Self: 'q,
    {
        match self {
            Carrying::Person { user_id, user } => query
                .bind(user_id)
                .bind(user.platform.as_str())
                .bind(user.id.as_str()),
            Carrying::JournalEntry(entry) => query.bind(entry),
        }
    }
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Forgets every queued copy of the words, and asks the worker to take
/// down every posted one; returns how many posts are to come down.
pub async fn retract(tx: &mut Tx, words: Carrying<'_>, now: DateTime<Utc>) -> anyhow::Result<u64> {
    let (condition, used) = words.condition();
    let pending = format!("DELETE FROM outbox WHERE state = 'pending' AND {condition}");
    words
        .bind(sqlx::query(AssertSqlSafe(pending)))
        .execute(&mut **tx)
        .await
        .context("cannot drop queued copies of deleted words")?;
    let posted = format!(
        "UPDATE outbox SET state = 'retract', next_attempt_at = ${}, attempts = 0, claimed_until = NULL
         WHERE state = 'sent' AND posted IS NOT NULL AND {condition}",
        used + 1
    );
    let done = words
        .bind(sqlx::query(AssertSqlSafe(posted)))
        .bind(to_db(now))
        .execute(&mut **tx)
        .await
        .context("cannot ask for posts of deleted words to be taken down")?;
    Ok(done.rows_affected())
}
