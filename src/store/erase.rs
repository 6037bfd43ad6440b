//! `mydata delete`: erasing a person and every row that holds their words,
//! while what their partner wrote stays with the partner. SQLite's
//! `secure_delete` overwrites the freed space; the engine checkpoints the
//! write-ahead log after the request commits.

use anyhow::Context;
use chrono::{DateTime, Utc};

use super::Tx;
use super::outbox::{self, Carrying};
use crate::domain::UserRef;

/// What went with a person's data that their partner should hear of: the
/// shared goals, goal requests and agreements the person proposed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Removed {
    pub goals: Vec<i64>,
    pub agreements: Vec<i64>,
    /// Posts of theirs the delivery worker is to take down.
    pub posts: u64,
}

/// Deletes the person and every row that holds what they wrote: answers,
/// journal, notes, appreciations, goals and agreements they proposed (with
/// the logs under them), invites to and from them, and queued messages.
/// Posts that carry their words are handed to the delivery worker to take
/// down. What the partner wrote stays (the schema's SET NULL links).
pub async fn delete(
    tx: &mut Tx,
    user_id: i64,
    user: &UserRef,
    now: DateTime<Utc>,
) -> anyhow::Result<Removed> {
    let mut removed = Removed {
        posts: outbox::retract(tx, Carrying::Person { user_id, user }, now).await?,
        ..Removed::default()
    };
    // What is left of the couples' delivery log: keys and states only, but
    // they name the couple; posts still to come down stay until they are.
    execute(
        tx,
        "DELETE FROM outbox WHERE state <> 'retract'
           AND couple_id IN (SELECT couple_id FROM memberships WHERE user_id = $1)",
        user_id,
        "cannot delete the couple's delivery log",
    )
    .await?;
    removed.goals = ids(
        tx,
        "SELECT id FROM goals WHERE proposed_by = $1 ORDER BY id",
        user_id,
    )
    .await?;
    execute(
        tx,
        "DELETE FROM goals WHERE proposed_by = $1",
        user_id,
        "cannot delete goals",
    )
    .await?;
    removed.agreements = ids(
        tx,
        "SELECT id FROM agreements WHERE proposed_by = $1 ORDER BY id",
        user_id,
    )
    .await?;
    execute(
        tx,
        "DELETE FROM agreements WHERE proposed_by = $1",
        user_id,
        "cannot delete agreements",
    )
    .await?;
    sqlx::query("DELETE FROM invites WHERE target_platform = $1 AND target_external_id = $2")
        .bind(user.platform.as_str())
        .bind(&user.id)
        .execute(&mut **tx)
        .await
        .context("cannot delete invites to the person")?;
    execute(
        tx,
        "DELETE FROM users WHERE id = $1",
        user_id,
        "cannot delete the person",
    )
    .await?;
    Ok(removed)
}

async fn execute(
    tx: &mut Tx,
    sql: &'static str,
    user_id: i64,
    what: &'static str,
) -> anyhow::Result<()> {
    sqlx::query(sql)
        .bind(user_id)
        .execute(&mut **tx)
        .await
        .context(what)?;
    Ok(())
}

async fn ids(tx: &mut Tx, sql: &'static str, user_id: i64) -> anyhow::Result<Vec<i64>> {
    sqlx::query_scalar(sql)
        .bind(user_id)
        .fetch_all(&mut **tx)
        .await
        .context("cannot list what the person proposed")
}
