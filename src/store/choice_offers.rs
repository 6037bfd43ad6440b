//! The `choice_offers` table: the choices rapport offered where people pick
//! one by number or reaction, by the message that offered them. A row holds
//! the command a choice runs, or none when that command repeats a person's
//! words (those stay in the engine's memory).

use anyhow::Context;
use chrono::{DateTime, Utc};

use super::{Tx, to_db};
use crate::domain::Platform;

/// What one offered choice runs, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredChoice {
    /// `None` for a choice whose command lived in memory only.
    pub command: Option<String>,
    pub note: Option<String>,
}

/// Where an offer was made: the platform's ids of its place and message.
#[derive(Clone, Copy, Debug)]
pub struct OfferedAt<'a> {
    pub platform: Platform,
    pub place: &'a str,
    pub message: &'a str,
}

/// Records one choice of an offer (`position` counts from 1). Offering the
/// same message again (a redelivery) changes nothing.
pub async fn record(
    tx: &mut Tx,
    at: OfferedAt<'_>,
    position: usize,
    choice: &StoredChoice,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO choice_offers (platform, place, message, position, command, note, offered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (platform, message, position) DO NOTHING",
    )
    .bind(at.platform.as_str())
    .bind(at.place)
    .bind(at.message)
    .bind(i64::try_from(position).context("a choice's position is too large")?)
    .bind(choice.command.as_deref())
    .bind(choice.note.as_deref())
    .bind(to_db(now))
    .execute(&mut **tx)
    .await
    .context("cannot record an offered choice")?;
    Ok(())
}

/// The choice at `position` of the offer made by `message`.
pub async fn on_message(
    tx: &mut Tx,
    platform: Platform,
    message: &str,
    position: usize,
) -> anyhow::Result<Option<StoredChoice>> {
    let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT command, note FROM choice_offers
         WHERE platform = $1 AND message = $2 AND position = $3",
    )
    .bind(platform.as_str())
    .bind(message)
    .bind(i64::try_from(position).context("a choice's position is too large")?)
    .fetch_optional(&mut **tx)
    .await
    .context("cannot read an offered choice")?;
    Ok(row.map(|(command, note)| StoredChoice { command, note }))
}

/// The message of the newest offer made in a place, if any.
pub async fn latest_in(
    tx: &mut Tx,
    platform: Platform,
    place: &str,
) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT message FROM choice_offers WHERE platform = $1 AND place = $2
         ORDER BY id DESC LIMIT 1",
    )
    .bind(platform.as_str())
    .bind(place)
    .fetch_optional(&mut **tx)
    .await
    .context("cannot read the latest offer in a place")
}

/// Forgets the offers made before `cutoff`; returns how many choices.
pub async fn forget_before(tx: &mut Tx, cutoff: DateTime<Utc>) -> anyhow::Result<u64> {
    let done = sqlx::query("DELETE FROM choice_offers WHERE offered_at < $1")
        .bind(to_db(cutoff))
        .execute(&mut **tx)
        .await
        .context("cannot forget old offered choices")?;
    Ok(done.rows_affected())
}
