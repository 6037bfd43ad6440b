//! The `journal_entries` table: private entries only their author reads,
//! unless the author shares one into the couple's next check-in round.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use sqlx::FromRow;

use super::{Tx, from_db, to_db};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub user_id: i64,
    /// What its author calls it: #1 is their first entry.
    pub number: i64,
    pub text: String,
    pub created_at: DateTime<Utc>,
    /// Waiting to be shared with this couple's next round.
    pub share_couple_id: Option<i64>,
    pub shared_round_id: Option<i64>,
}

#[derive(FromRow)]
struct EntryRow {
    id: i64,
    user_id: i64,
    number: i64,
    text: String,
    created_at: i64,
    share_couple_id: Option<i64>,
    shared_round_id: Option<i64>,
}

const COLUMNS: &str = "id, user_id, number, text, created_at, share_couple_id, shared_round_id";

impl TryFrom<EntryRow> for Entry {
    type Error = anyhow::Error;

    fn try_from(row: EntryRow) -> anyhow::Result<Entry> {
        Ok(Entry {
            id: row.id,
            user_id: row.user_id,
            number: row.number,
            text: row.text,
            created_at: from_db(row.created_at)?,
            share_couple_id: row.share_couple_id,
            shared_round_id: row.shared_round_id,
        })
    }
}

/// Writes a new entry; `written_by` is the platform's id of the chat
/// message that wrote it, when that message can be edited.
pub async fn write(
    tx: &mut Tx,
    user_id: i64,
    text: &str,
    written_by: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<Entry> {
    let sql = format!(
        "INSERT INTO journal_entries (user_id, number, text, written_by, created_at)
         SELECT $1, COALESCE(MAX(number), 0) + 1, $2, $3, $4 FROM journal_entries
         WHERE user_id = $1
         RETURNING {COLUMNS}"
    );
    let row: EntryRow = sqlx::query_as(AssertSqlSafe(sql))
        .bind(user_id)
        .bind(text)
        .bind(written_by)
        .bind(to_db(now))
        .fetch_one(&mut **tx)
        .await
        .context("cannot write journal entry")?;
    row.try_into()
}

/// The author's own entry with this number; `None` for anyone else's.
pub async fn get_own(tx: &mut Tx, user_id: i64, number: i64) -> anyhow::Result<Option<Entry>> {
    let sql = format!("SELECT {COLUMNS} FROM journal_entries WHERE number = $1 AND user_id = $2");
    let row: Option<EntryRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(number)
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await
        .context("cannot load journal entry")?;
    row.map(Entry::try_from).transpose()
}

/// The author's newest entries.
pub async fn recent(tx: &mut Tx, user_id: i64, limit: i64) -> anyhow::Result<Vec<Entry>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM journal_entries WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
    );
    let rows: Vec<EntryRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(user_id)
        .bind(limit)
        .fetch_all(&mut **tx)
        .await
        .context("cannot list journal entries")?;
    rows.into_iter().map(Entry::try_from).collect()
}

/// Marks an entry to be shared with the couple's next round (or unmarks it).
pub async fn set_share(tx: &mut Tx, id: i64, couple_id: Option<i64>) -> anyhow::Result<()> {
    sqlx::query("UPDATE journal_entries SET share_couple_id = $1 WHERE id = $2")
        .bind(couple_id)
        .bind(id)
        .execute(&mut **tx)
        .await
        .context("cannot share journal entry")?;
    Ok(())
}

/// Takes the entries waiting for this couple's next round, recording the
/// round they went to.
pub async fn take_shared(tx: &mut Tx, couple_id: i64, round_id: i64) -> anyhow::Result<Vec<Entry>> {
    let sql = format!(
        "UPDATE journal_entries SET share_couple_id = NULL, shared_round_id = $1
         WHERE share_couple_id = $2 RETURNING {COLUMNS}"
    );
    let rows: Vec<EntryRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(round_id)
        .bind(couple_id)
        .fetch_all(&mut **tx)
        .await
        .context("cannot take shared journal entries")?;
    let mut entries: Vec<Entry> = rows
        .into_iter()
        .map(Entry::try_from)
        .collect::<anyhow::Result<_>>()?;
    entries.sort_by_key(|entry| entry.id);
    Ok(entries)
}

/// The author's entry written by this chat message, if it still exists.
pub async fn written_by(tx: &mut Tx, user_id: i64, message: &str) -> anyhow::Result<Option<Entry>> {
    let sql =
        format!("SELECT {COLUMNS} FROM journal_entries WHERE user_id = $1 AND written_by = $2");
    let row: Option<EntryRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(user_id)
        .bind(message)
        .fetch_optional(&mut **tx)
        .await
        .context("cannot find the journal entry a message wrote")?;
    row.map(Entry::try_from).transpose()
}

/// Replaces an entry's words (its author edited them).
pub async fn set_text(tx: &mut Tx, id: i64, text: &str) -> anyhow::Result<()> {
    sqlx::query("UPDATE journal_entries SET text = $1 WHERE id = $2")
        .bind(text)
        .bind(id)
        .execute(&mut **tx)
        .await
        .context("cannot change a journal entry")?;
    Ok(())
}

/// Deletes the author's entry with this number; its id, for finding its
/// copies, or `None` when they have no such entry.
pub async fn delete_own(tx: &mut Tx, user_id: i64, number: i64) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar(
        "DELETE FROM journal_entries WHERE number = $1 AND user_id = $2 RETURNING id",
    )
    .bind(number)
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await
    .context("cannot delete journal entry")
}

/// A couple ended: entries waiting for its next round stay private.
pub async fn cancel_shares(tx: &mut Tx, couple_id: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE journal_entries SET share_couple_id = NULL WHERE share_couple_id = $1")
        .bind(couple_id)
        .execute(&mut **tx)
        .await
        .context("cannot withdraw journal shares")?;
    Ok(())
}
