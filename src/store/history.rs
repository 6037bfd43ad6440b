//! An ended couple's history: kept for a while so the same two people, if
//! they pair again, may both choose to bring it back (`history_restores`),
//! then erased. What moves or goes: goals with their logs, agreements,
//! check-in rounds with their answers, and thank-yous.

use anyhow::Context;
use chrono::{DateTime, Utc};

use super::{Tx, from_db, to_db};

/// The latest ended couple of exactly these two people whose history is
/// still kept, if it ended at or after `since` and holds anything: its id
/// and when it ended.
pub async fn previous_couple(
    tx: &mut Tx,
    [a, b]: [i64; 2],
    since: DateTime<Utc>,
) -> anyhow::Result<Option<(i64, DateTime<Utc>)>> {
    let found: Option<(i64, i64)> = sqlx::query_as(
        "SELECT c.id, c.ended_at FROM couples c
         WHERE c.ended_at IS NOT NULL AND c.ended_at >= $3 AND c.history_erased_at IS NULL
           AND EXISTS (SELECT 1 FROM memberships m WHERE m.couple_id = c.id AND m.user_id = $1)
           AND EXISTS (SELECT 1 FROM memberships m WHERE m.couple_id = c.id AND m.user_id = $2)
           AND (EXISTS (SELECT 1 FROM goals g WHERE g.couple_id = c.id)
                OR EXISTS (SELECT 1 FROM agreements a WHERE a.couple_id = c.id)
                OR EXISTS (SELECT 1 FROM checkin_rounds r WHERE r.couple_id = c.id)
                OR EXISTS (SELECT 1 FROM appreciations p WHERE p.couple_id = c.id))
         ORDER BY c.ended_at DESC, c.id DESC LIMIT 1",
    )
    .bind(a)
    .bind(b)
    .bind(to_db(since))
    .fetch_optional(&mut **tx)
    .await
    .context("cannot look for an earlier couple")?;
    found
        .map(|(id, ended)| Ok((id, from_db(ended)?)))
        .transpose()
}

/// An open offer to bring an earlier couple's history back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Offer {
    pub old_couple_id: i64,
    pub old_ended_at: DateTime<Utc>,
    /// Who said yes so far.
    pub yes_by: Option<i64>,
}

pub async fn offer(
    tx: &mut Tx,
    couple_id: i64,
    old: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO history_restores (couple_id, old_couple_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (couple_id) DO NOTHING",
    )
    .bind(couple_id)
    .bind(old)
    .bind(to_db(now))
    .execute(&mut **tx)
    .await
    .context("cannot offer the earlier history")?;
    Ok(())
}

pub async fn offer_for(tx: &mut Tx, couple_id: i64) -> anyhow::Result<Option<Offer>> {
    let row: Option<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT h.old_couple_id, c.ended_at, h.yes_by FROM history_restores h
         JOIN couples c ON c.id = h.old_couple_id
         WHERE h.couple_id = $1 AND c.history_erased_at IS NULL",
    )
    .bind(couple_id)
    .fetch_optional(&mut **tx)
    .await
    .context("cannot load the history offer")?;
    row.map(|(old_couple_id, ended, yes_by)| {
        Ok(Offer {
            old_couple_id,
            old_ended_at: from_db(ended)?,
            yes_by,
        })
    })
    .transpose()
}

pub async fn say_yes(tx: &mut Tx, couple_id: i64, user_id: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE history_restores SET yes_by = $1 WHERE couple_id = $2 AND yes_by IS NULL")
        .bind(user_id)
        .bind(couple_id)
        .execute(&mut **tx)
        .await
        .context("cannot record the yes")?;
    Ok(())
}

pub async fn withdraw_offer(tx: &mut Tx, couple_id: i64) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM history_restores WHERE couple_id = $1")
        .bind(couple_id)
        .execute(&mut **tx)
        .await
        .context("cannot withdraw the history offer")?;
    Ok(())
}

/// Moves the old couple's history into the new one. Numbers the new couple
/// already gave out move up past the old ones, so the old numbers people
/// remember stay. Goals that were running when the couple ended run again.
pub async fn restore(tx: &mut Tx, old: i64, new: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
    for table in [Numbered::Goals, Numbered::Agreements] {
        // Through negative numbers first: a unique index is checked row by
        // row, and #1 moving to #2 would meet the #2 not yet moved.
        sqlx::query(table.negate())
            .bind(new)
            .execute(&mut **tx)
            .await
            .context("cannot renumber the new couple's entries")?;
        sqlx::query(table.shift())
            .bind(new)
            .bind(old)
            .execute(&mut **tx)
            .await
            .context("cannot renumber the new couple's entries")?;
    }
    sqlx::query(
        "UPDATE goals SET status = 'active'
         WHERE couple_id = $1 AND status = 'dropped'
           AND decided_at = (SELECT ended_at FROM couples WHERE id = $1)",
    )
    .bind(old)
    .execute(&mut **tx)
    .await
    .context("cannot revive the goals")?;
    for statement in [
        "UPDATE goals SET couple_id = $1 WHERE couple_id = $2",
        "UPDATE agreements SET couple_id = $1 WHERE couple_id = $2",
        "UPDATE checkin_rounds SET couple_id = $1 WHERE couple_id = $2",
        "UPDATE appreciations SET couple_id = $1 WHERE couple_id = $2",
    ] {
        sqlx::query(statement)
            .bind(new)
            .bind(old)
            .execute(&mut **tx)
            .await
            .context("cannot move the history")?;
    }
    withdraw_offer(tx, new).await?;
    mark_erased(tx, old, now).await
}

/// The two numbered tables, whose numbers are unique per couple.
#[derive(Clone, Copy)]
enum Numbered {
    Goals,
    Agreements,
}

impl Numbered {
    /// Makes the new couple's ($1) numbers negative.
    fn negate(self) -> &'static str {
        match self {
            Numbered::Goals => "UPDATE goals SET number = -number WHERE couple_id = $1",
            Numbered::Agreements => "UPDATE agreements SET number = -number WHERE couple_id = $1",
        }
    }

    /// Moves the new couple's ($1, negated) numbers past the old couple's
    /// ($2).
    fn shift(self) -> &'static str {
        match self {
            Numbered::Goals => {
                "UPDATE goals SET number = -number +
                   (SELECT COALESCE(MAX(number), 0) FROM goals WHERE couple_id = $2)
                 WHERE couple_id = $1"
            }
            Numbered::Agreements => {
                "UPDATE agreements SET number = -number +
                   (SELECT COALESCE(MAX(number), 0) FROM agreements WHERE couple_id = $2)
                 WHERE couple_id = $1"
            }
        }
    }
}

/// Ended couples whose history is due for erasure (ended before `before`).
pub async fn due_for_erasure(
    tx: &mut Tx,
    before: DateTime<Utc>,
    limit: i64,
) -> anyhow::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM couples WHERE ended_at IS NOT NULL AND ended_at < $1
           AND history_erased_at IS NULL ORDER BY ended_at, id LIMIT $2",
    )
    .bind(to_db(before))
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
    .context("cannot list histories to erase")
}

/// When the next kept history falls due for erasure, `keep` after its end.
pub async fn next_erasure_at(
    tx: &mut Tx,
    keep: chrono::Duration,
) -> anyhow::Result<Option<DateTime<Utc>>> {
    let ended: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(ended_at) FROM couples WHERE ended_at IS NOT NULL AND history_erased_at IS NULL",
    )
    .fetch_one(&mut **tx)
    .await
    .context("cannot find the next history to erase")?;
    Ok(ended.map(from_db).transpose()?.map(|ended| ended + keep))
}

/// Erases an ended couple's history for good.
pub async fn erase(tx: &mut Tx, couple_id: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
    for statement in [
        "DELETE FROM goals WHERE couple_id = $1",
        "DELETE FROM agreements WHERE couple_id = $1",
        "DELETE FROM checkin_rounds WHERE couple_id = $1",
        "DELETE FROM appreciations WHERE couple_id = $1",
        "DELETE FROM checkin_schedules WHERE couple_id = $1",
        "DELETE FROM deck_usage WHERE couple_id = $1",
        "DELETE FROM history_restores WHERE old_couple_id = $1",
    ] {
        sqlx::query(statement)
            .bind(couple_id)
            .execute(&mut **tx)
            .await
            .context("cannot erase an ended couple's history")?;
    }
    mark_erased(tx, couple_id, now).await
}

async fn mark_erased(tx: &mut Tx, couple_id: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
    sqlx::query("UPDATE couples SET history_erased_at = $1 WHERE id = $2")
        .bind(to_db(now))
        .bind(couple_id)
        .execute(&mut **tx)
        .await
        .context("cannot record the erasure")?;
    Ok(())
}
