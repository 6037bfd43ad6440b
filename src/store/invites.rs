//! The `invites` table: one-time, expiring pairing offers.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use sqlx::FromRow;

use super::{Tx, from_db, to_db};
use crate::domain::invite_code::InviteCode;
use crate::domain::{Platform, SpaceRef, UserRef};

/// Where an invite stands. Only `Pending` can still be answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InviteStatus {
    Pending,
    Accepted,
    Declined,
    Cancelled,
}

impl InviteStatus {
    fn as_str(self) -> &'static str {
        match self {
            InviteStatus::Pending => "pending",
            InviteStatus::Accepted => "accepted",
            InviteStatus::Declined => "declined",
            InviteStatus::Cancelled => "cancelled",
        }
    }

    fn parse(text: &str) -> Option<InviteStatus> {
        [
            InviteStatus::Pending,
            InviteStatus::Accepted,
            InviteStatus::Declined,
            InviteStatus::Cancelled,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }
}

/// A pairing offer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invite {
    pub id: i64,
    pub code: InviteCode,
    pub inviter_id: i64,
    /// The one person allowed to answer; `None` for a code anyone may use.
    pub target: Option<UserRef>,
    /// The space the invite was made in, which becomes the couple's space.
    pub space: Option<SpaceRef>,
    pub status: InviteStatus,
    pub expires_at: DateTime<Utc>,
}

/// What is needed to create an invite.
pub struct NewInvite<'a> {
    pub code: &'a InviteCode,
    pub inviter_id: i64,
    pub target: Option<&'a UserRef>,
    pub space: Option<&'a SpaceRef>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct InviteRow {
    id: i64,
    code: String,
    inviter_id: i64,
    target_platform: Option<String>,
    target_external_id: Option<String>,
    space_platform: Option<String>,
    space_id: Option<String>,
    status: String,
    expires_at: i64,
}

const COLUMNS: &str = "id, code, inviter_id, target_platform, target_external_id, space_platform, space_id, status, expires_at";

fn platform(id: i64, name: &str) -> anyhow::Result<Platform> {
    Platform::parse(name).with_context(|| format!("invite {id} has unknown platform {name}"))
}

impl TryFrom<InviteRow> for Invite {
    type Error = anyhow::Error;

    fn try_from(row: InviteRow) -> anyhow::Result<Invite> {
        let target = match (row.target_platform, row.target_external_id) {
            (Some(name), Some(external)) => Some(UserRef::new(platform(row.id, &name)?, external)),
            _ => None,
        };
        let space = match (row.space_platform, row.space_id) {
            (Some(name), Some(space)) => Some(SpaceRef::new(platform(row.id, &name)?, space)),
            _ => None,
        };
        Ok(Invite {
            id: row.id,
            code: InviteCode::parse(&row.code)
                .with_context(|| format!("invite {} has a bad code", row.id))?,
            inviter_id: row.inviter_id,
            target,
            space,
            status: InviteStatus::parse(&row.status)
                .with_context(|| format!("invite {} has unknown status {}", row.id, row.status))?,
            expires_at: from_db(row.expires_at)?,
        })
    }
}

pub async fn create(tx: &mut Tx, new: NewInvite<'_>) -> anyhow::Result<Invite> {
    let sql = format!(
        "INSERT INTO invites (code, inviter_id, target_platform, target_external_id, space_platform, space_id,
                              status, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8)
         RETURNING {COLUMNS}"
    );
    let row: InviteRow = sqlx::query_as(AssertSqlSafe(sql))
        .bind(new.code.as_str())
        .bind(new.inviter_id)
        .bind(new.target.map(|t| t.platform.as_str()))
        .bind(new.target.map(|t| t.id.as_str()))
        .bind(new.space.map(|s| s.platform.as_str()))
        .bind(new.space.map(|s| s.id.as_str()))
        .bind(to_db(new.created_at))
        .bind(to_db(new.expires_at))
        .fetch_one(&mut **tx)
        .await
        .context("cannot create invite")?;
    row.try_into()
}

/// Whether a code was ever issued (codes are never reused).
/// Named invites a person sent since `since` (the daily limit).
pub async fn named_since(
    tx: &mut Tx,
    inviter_id: i64,
    since: DateTime<Utc>,
) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM invites
         WHERE inviter_id = $1 AND target_external_id IS NOT NULL AND created_at >= $2",
    )
    .bind(inviter_id)
    .bind(to_db(since))
    .fetch_one(&mut **tx)
    .await
    .context("cannot count recent invites")
}

/// When `target` last declined an invite from this inviter, since `since`.
pub async fn declined_since(
    tx: &mut Tx,
    inviter_id: i64,
    target: &UserRef,
    since: DateTime<Utc>,
) -> anyhow::Result<Option<DateTime<Utc>>> {
    let at: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT MAX(answered_at) FROM invites
         WHERE inviter_id = $1 AND target_platform = $2 AND target_external_id = $3
           AND status = 'declined' AND answered_at >= $4",
    )
    .bind(inviter_id)
    .bind(target.platform.as_str())
    .bind(&target.id)
    .bind(to_db(since))
    .fetch_optional(&mut **tx)
    .await
    .context("cannot look up a declined invite")?;
    at.flatten().map(from_db).transpose()
}

pub async fn code_exists(tx: &mut Tx, code: &InviteCode) -> anyhow::Result<bool> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invites WHERE code = $1")
        .bind(code.as_str())
        .fetch_one(&mut **tx)
        .await
        .context("cannot check invite code")?;
    Ok(count > 0)
}

pub async fn find_by_code(tx: &mut Tx, code: &InviteCode) -> anyhow::Result<Option<Invite>> {
    let sql = format!("SELECT {COLUMNS} FROM invites WHERE code = $1");
    let row: Option<InviteRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(code.as_str())
        .fetch_optional(&mut **tx)
        .await
        .context("cannot find invite by code")?;
    row.map(Invite::try_from).transpose()
}

/// The newest pending invite addressed to this person (expired or not, so
/// the caller can say "it expired" rather than "there is none").
pub async fn latest_pending_for(tx: &mut Tx, target: &UserRef) -> anyhow::Result<Option<Invite>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM invites
         WHERE target_platform = $1 AND target_external_id = $2 AND status = 'pending'
         ORDER BY created_at DESC, id DESC LIMIT 1"
    );
    let row: Option<InviteRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(target.platform.as_str())
        .bind(&target.id)
        .fetch_optional(&mut **tx)
        .await
        .context("cannot find invites for a user")?;
    row.map(Invite::try_from).transpose()
}

/// This person's pending invites that have not expired.
pub async fn open_by_inviter(
    tx: &mut Tx,
    inviter_id: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Invite>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM invites WHERE inviter_id = $1 AND status = 'pending' AND expires_at > $2
         ORDER BY id"
    );
    let rows: Vec<InviteRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(inviter_id)
        .bind(to_db(now))
        .fetch_all(&mut **tx)
        .await
        .context("cannot list open invites")?;
    rows.into_iter().map(Invite::try_from).collect()
}

/// Records an answer if the invite is still pending; `false` when someone
/// answered first (a button pressed twice).
pub async fn answer(
    tx: &mut Tx,
    id: i64,
    status: InviteStatus,
    by_user: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE invites SET status = $1, answered_by = $2, answered_at = $3 WHERE id = $4 AND status = 'pending'",
    )
    .bind(status.as_str())
    .bind(by_user)
    .bind(to_db(now))
    .bind(id)
    .execute(&mut **tx)
    .await
    .context("cannot answer invite")?;
    Ok(done.rows_affected() == 1)
}

/// Withdraws every pending invite of a person; returns how many.
pub async fn cancel_open(tx: &mut Tx, inviter_id: i64, now: DateTime<Utc>) -> anyhow::Result<u64> {
    let done = sqlx::query(
        "UPDATE invites SET status = 'cancelled', answered_by = $1, answered_at = $2
         WHERE inviter_id = $1 AND status = 'pending'",
    )
    .bind(inviter_id)
    .bind(to_db(now))
    .execute(&mut **tx)
    .await
    .context("cannot cancel invites")?;
    Ok(done.rows_affected())
}
