//! Changing where the couple's shared messages go: a proposal waiting for
//! the partner's yes (`space_proposals`, one per couple, a new one replaces
//! the old) and a room or thread rapport opens for the couple itself
//! (`space_openings`, done by the delivery worker).

use anyhow::Context;
use chrono::{DateTime, Utc};

use super::{Tx, from_db, to_db};
use crate::domain::{Platform, SpaceRef};

/// Where a proposal would put the couple's shared messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpaceTarget {
    /// A room or channel that exists already.
    Here(SpaceRef),
    /// A room (or a private thread under `parent`) rapport opens for them.
    Open {
        platform: Platform,
        parent: Option<SpaceRef>,
    },
    /// No shared space: each partner privately.
    Private,
}

/// A change one partner proposed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpaceProposal {
    pub proposed_by: i64,
    pub target: SpaceTarget,
}

impl SpaceTarget {
    /// (target, platform, space id) as stored.
    fn columns(&self) -> (&'static str, Option<Platform>, Option<&str>) {
        match self {
            SpaceTarget::Here(space) => ("here", Some(space.platform), Some(&space.id)),
            SpaceTarget::Open { platform, parent } => (
                "open",
                Some(*platform),
                parent.as_ref().map(|p| p.id.as_str()),
            ),
            SpaceTarget::Private => ("private", None, None),
        }
    }

    fn from_columns(
        target: &str,
        platform: Option<String>,
        id: Option<String>,
    ) -> anyhow::Result<SpaceTarget> {
        let platform = platform
            .map(|name| {
                Platform::parse(&name)
                    .with_context(|| format!("a space proposal has platform {name}"))
            })
            .transpose()?;
        match (target, platform, id) {
            ("here", Some(platform), Some(id)) => {
                Ok(SpaceTarget::Here(SpaceRef::new(platform, id)))
            }
            ("open", Some(platform), parent) => Ok(SpaceTarget::Open {
                platform,
                parent: parent.map(|id| SpaceRef::new(platform, id)),
            }),
            ("private", None, None) => Ok(SpaceTarget::Private),
            (other, _, _) => anyhow::bail!("a space proposal has a bad target {other}"),
        }
    }
}

pub async fn propose(
    tx: &mut Tx,
    couple_id: i64,
    proposal: &SpaceProposal,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let (target, platform, space_id) = proposal.target.columns();
    sqlx::query(
        "INSERT INTO space_proposals (couple_id, proposed_by, target, platform, space_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (couple_id) DO UPDATE SET proposed_by = $2, target = $3, platform = $4,
                                               space_id = $5, created_at = $6",
    )
    .bind(couple_id)
    .bind(proposal.proposed_by)
    .bind(target)
    .bind(platform.map(Platform::as_str))
    .bind(space_id)
    .bind(to_db(now))
    .execute(&mut **tx)
    .await
    .context("cannot save the space proposal")?;
    Ok(())
}

/// The couple's waiting proposal, if any.
pub async fn proposal(tx: &mut Tx, couple_id: i64) -> anyhow::Result<Option<SpaceProposal>> {
    let row: Option<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT proposed_by, target, platform, space_id FROM space_proposals WHERE couple_id = $1",
    )
    .bind(couple_id)
    .fetch_optional(&mut **tx)
    .await
    .context("cannot read the space proposal")?;
    row.map(|(proposed_by, target, platform, id)| {
        Ok(SpaceProposal {
            proposed_by,
            target: SpaceTarget::from_columns(&target, platform, id)?,
        })
    })
    .transpose()
}

pub async fn clear_proposal(tx: &mut Tx, couple_id: i64) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM space_proposals WHERE couple_id = $1")
        .bind(couple_id)
        .execute(&mut **tx)
        .await
        .context("cannot clear the space proposal")?;
    Ok(())
}

/// A room or thread to open for a couple.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opening {
    pub id: i64,
    pub couple_id: i64,
    pub platform: Platform,
    /// The channel a thread opens under; none for a room of its own.
    pub parent: Option<SpaceRef>,
    pub attempts: i64,
}

/// Asks for a room or thread; an older request of the couple's is dropped.
pub async fn request_opening(
    tx: &mut Tx,
    couple_id: i64,
    platform: Platform,
    parent: Option<&SpaceRef>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE space_openings SET state = 'failed' WHERE couple_id = $1 AND state = 'pending'",
    )
    .bind(couple_id)
    .execute(&mut **tx)
    .await
    .context("cannot drop an older space opening")?;
    sqlx::query(
        "INSERT INTO space_openings (couple_id, platform, parent_id, state, next_attempt_at, created_at)
         VALUES ($1, $2, $3, 'pending', $4, $4)",
    )
    .bind(couple_id)
    .bind(platform.as_str())
    .bind(parent.map(|p| p.id.as_str()))
    .bind(to_db(now))
    .execute(&mut **tx)
    .await
    .context("cannot ask for a space opening")?;
    Ok(())
}

/// The openings due now on these platforms, oldest first.
pub async fn due_openings(
    tx: &mut Tx,
    platforms: &[Platform],
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Opening>> {
    let rows: Vec<(i64, i64, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT id, couple_id, platform, parent_id, attempts FROM space_openings
         WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY id",
    )
    .bind(to_db(now))
    .fetch_all(&mut **tx)
    .await
    .context("cannot read the space openings")?;
    let mut due = Vec::new();
    for (id, couple_id, platform, parent, attempts) in rows {
        let platform = Platform::parse(&platform)
            .with_context(|| format!("space opening {id} has platform {platform}"))?;
        if platforms.contains(&platform) {
            due.push(Opening {
                id,
                couple_id,
                platform,
                parent: parent.map(|p| SpaceRef::new(platform, p)),
                attempts,
            });
        }
    }
    Ok(due)
}

/// When the next pending opening on these platforms is due, for the
/// scheduler's sleep.
pub async fn next_opening_at(
    tx: &mut Tx,
    platforms: &[Platform],
) -> anyhow::Result<Option<DateTime<Utc>>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT platform, MIN(next_attempt_at) FROM space_openings WHERE state = 'pending'
         GROUP BY platform",
    )
    .fetch_all(&mut **tx)
    .await
    .context("cannot read the next space opening")?;
    let mut next = None;
    for (platform, at) in rows {
        if Platform::parse(&platform).is_some_and(|p| platforms.contains(&p)) {
            let at = from_db(at)?;
            next = Some(next.map_or(at, |n: DateTime<Utc>| n.min(at)));
        }
    }
    Ok(next)
}

/// Ends an opening: `done` when it is open, else `failed`. `false` if it
/// was no longer pending (a newer request replaced it).
pub async fn finish_opening(tx: &mut Tx, id: i64, done: bool) -> anyhow::Result<bool> {
    let finished =
        sqlx::query("UPDATE space_openings SET state = $1 WHERE id = $2 AND state = 'pending'")
            .bind(if done { "done" } else { "failed" })
            .bind(id)
            .execute(&mut **tx)
            .await
            .context("cannot finish a space opening")?;
    Ok(finished.rows_affected() == 1)
}

pub async fn retry_opening(tx: &mut Tx, id: i64, at: DateTime<Utc>) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE space_openings SET attempts = attempts + 1, next_attempt_at = $1 WHERE id = $2",
    )
    .bind(to_db(at))
    .bind(id)
    .execute(&mut **tx)
    .await
    .context("cannot put off a space opening")?;
    Ok(())
}
