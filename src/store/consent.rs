//! Waiting for the partner's yes: a proposed weekly recap schedule
//! (`recap_proposals`) and a check-in asked for outside the agreed schedule
//! (`checkin_now_requests`). One of each per couple; a new one replaces the
//! old.

use anyhow::Context;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{Tx, from_db, to_db};
use crate::domain::recurrence::Recurrence;

/// A recap schedule one partner proposed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecapProposal {
    pub recurrence: Recurrence,
    pub time_zone: Tz,
    pub proposed_by: i64,
}

pub async fn propose_recap(
    tx: &mut Tx,
    couple_id: i64,
    proposal: &RecapProposal,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO recap_proposals (couple_id, recurrence, time_zone, proposed_by, created_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (couple_id) DO UPDATE SET recurrence = $2, time_zone = $3, proposed_by = $4,
                                               created_at = $5",
    )
    .bind(couple_id)
    .bind(proposal.recurrence.canonical())
    .bind(proposal.time_zone.name())
    .bind(proposal.proposed_by)
    .bind(to_db(now))
    .execute(&mut **tx)
    .await
    .context("cannot save the recap proposal")?;
    Ok(())
}

/// Takes the couple's recap proposal out (to accept or decline it).
pub async fn take_recap(tx: &mut Tx, couple_id: i64) -> anyhow::Result<Option<RecapProposal>> {
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "DELETE FROM recap_proposals WHERE couple_id = $1
         RETURNING recurrence, time_zone, proposed_by",
    )
    .bind(couple_id)
    .fetch_optional(&mut **tx)
    .await
    .context("cannot take the recap proposal")?;
    let Some((recurrence, zone, proposed_by)) = row else {
        return Ok(None);
    };
    Ok(Some(RecapProposal {
        recurrence: Recurrence::from_canonical(&recurrence)
            .map_err(|error| anyhow::anyhow!("a proposed recap has a bad recurrence: {error}"))?,
        time_zone: zone
            .parse()
            .map_err(|error| anyhow::anyhow!("a proposed recap has a bad zone: {error}"))?,
        proposed_by,
    }))
}

/// Who asked for a check-in now, and when, if anyone did.
pub async fn now_request(
    tx: &mut Tx,
    couple_id: i64,
) -> anyhow::Result<Option<(i64, DateTime<Utc>)>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT requested_by, requested_at FROM checkin_now_requests WHERE couple_id = $1",
    )
    .bind(couple_id)
    .fetch_optional(&mut **tx)
    .await
    .context("cannot read the check-in request")?;
    row.map(|(by, at)| Ok((by, from_db(at)?))).transpose()
}

pub async fn request_now(
    tx: &mut Tx,
    couple_id: i64,
    requested_by: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO checkin_now_requests (couple_id, requested_by, requested_at) VALUES ($1, $2, $3)
         ON CONFLICT (couple_id) DO UPDATE SET requested_by = $2, requested_at = $3",
    )
    .bind(couple_id)
    .bind(requested_by)
    .bind(to_db(now))
    .execute(&mut **tx)
    .await
    .context("cannot save the check-in request")?;
    Ok(())
}

pub async fn clear_now_request(tx: &mut Tx, couple_id: i64) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM checkin_now_requests WHERE couple_id = $1")
        .bind(couple_id)
        .execute(&mut **tx)
        .await
        .context("cannot clear the check-in request")?;
    Ok(())
}
