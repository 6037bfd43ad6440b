//! The `space_settings` table: what moderators allow in one shared space.

use anyhow::Context;
use chrono::{DateTime, Utc};

use super::{Tx, to_db};
use crate::domain::SpaceRef;

/// Whether the coach may nudge about messages in this space (yes unless a
/// moderator said no).
pub async fn nudges_allowed(tx: &mut Tx, space: &SpaceRef) -> anyhow::Result<bool> {
    let allowed: Option<i64> = sqlx::query_scalar(
        "SELECT nudges_allowed FROM space_settings WHERE platform = $1 AND space_id = $2",
    )
    .bind(space.platform.as_str())
    .bind(&space.id)
    .fetch_optional(&mut **tx)
    .await
    .context("cannot read a space's settings")?;
    Ok(allowed.is_none_or(|allowed| allowed != 0))
}

pub async fn set_nudges_allowed(
    tx: &mut Tx,
    space: &SpaceRef,
    allowed: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO space_settings (platform, space_id, nudges_allowed, updated_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (platform, space_id)
         DO UPDATE SET nudges_allowed = excluded.nudges_allowed, updated_at = excluded.updated_at",
    )
    .bind(space.platform.as_str())
    .bind(&space.id)
    .bind(i64::from(allowed))
    .bind(to_db(now))
    .execute(&mut **tx)
    .await
    .context("cannot save a space's settings")?;
    Ok(())
}
