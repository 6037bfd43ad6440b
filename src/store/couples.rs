//! The `couples` and `memberships` tables: who is paired with whom, where
//! their shared space is, and when the pairing ended.

use anyhow::Context;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::AssertSqlSafe;
use sqlx::FromRow;

use super::users::{self, User};
use super::{Tx, from_db, is_unique_violation, to_db};
use crate::domain::{Platform, SpaceRef};

/// An active or ended pairing of two people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Couple {
    pub id: i64,
    /// Where shared messages go; `None` until the couple picks one.
    pub space: Option<SpaceRef>,
    /// Whether rapport opened that space itself (and so moderates it).
    pub space_opened: bool,
    pub time_zone: Tz,
    pub created_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct CoupleRow {
    id: i64,
    space_platform: Option<String>,
    space_id: Option<String>,
    space_opened: i64,
    time_zone: String,
    created_at: i64,
}

const COLUMNS: &str =
    "c.id, c.space_platform, c.space_id, c.space_opened, c.time_zone, c.created_at";

impl TryFrom<CoupleRow> for Couple {
    type Error = anyhow::Error;

    fn try_from(row: CoupleRow) -> anyhow::Result<Couple> {
        let space = match (row.space_platform, row.space_id) {
            (Some(platform), Some(id)) => {
                let platform = Platform::parse(&platform).with_context(|| {
                    format!("couple {} has unknown platform {platform}", row.id)
                })?;
                Some(SpaceRef::new(platform, id))
            }
            _ => None,
        };
        let time_zone = row
            .time_zone
            .parse::<Tz>()
            .map_err(|error| anyhow::anyhow!("couple {} has a bad stored zone: {error}", row.id))?;
        Ok(Couple {
            id: row.id,
            space,
            space_opened: row.space_opened != 0,
            time_zone,
            created_at: from_db(row.created_at)?,
        })
    }
}

/// Why a couple could not be created.
#[derive(Debug, PartialEq, Eq)]
pub enum CreateRefused {
    /// One of the two joined another couple in the meantime.
    MemberTaken,
    /// The space serves another couple.
    SpaceTaken,
}

/// The couple a person is in now, if any.
pub async fn active_for_user(tx: &mut Tx, user_id: i64) -> anyhow::Result<Option<Couple>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM couples c JOIN memberships m ON m.couple_id = c.id
         WHERE m.user_id = $1 AND m.left_at IS NULL AND c.ended_at IS NULL"
    );
    let row: Option<CoupleRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await
        .context("cannot load the couple of a user")?;
    row.map(Couple::try_from).transpose()
}

/// The active couple whose shared space this is, if any.
pub async fn active_for_space(tx: &mut Tx, space: &SpaceRef) -> anyhow::Result<Option<Couple>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM couples c
         WHERE c.space_platform = $1 AND c.space_id = $2 AND c.ended_at IS NULL"
    );
    let row: Option<CoupleRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(space.platform.as_str())
        .bind(&space.id)
        .fetch_optional(&mut **tx)
        .await
        .context("cannot load the couple of a space")?;
    row.map(Couple::try_from).transpose()
}

/// Pairs two people. A lost race (either already paired, or the space taken)
/// comes back as [`CreateRefused`] instead of an error.
pub async fn create(
    tx: &mut Tx,
    members: [i64; 2],
    space: Option<&SpaceRef>,
    time_zone: Tz,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<Couple, CreateRefused>> {
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO couples (space_platform, space_id, time_zone, created_at) VALUES ($1, $2, $3, $4)
         RETURNING id",
    )
    .bind(space.map(|s| s.platform.as_str()))
    .bind(space.map(|s| s.id.as_str()))
    .bind(time_zone.name())
    .bind(to_db(now))
    .fetch_one(&mut **tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(error) if is_unique_violation(&error) => return Ok(Err(CreateRefused::SpaceTaken)),
        Err(error) => return Err(error).context("cannot create couple"),
    };
    for user_id in members {
        let joined = sqlx::query(
            "INSERT INTO memberships (couple_id, user_id, joined_at) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(user_id)
        .bind(to_db(now))
        .execute(&mut **tx)
        .await;
        match joined {
            Ok(_) => {}
            Err(error) if is_unique_violation(&error) => {
                return Ok(Err(CreateRefused::MemberTaken));
            }
            Err(error) => return Err(error).context("cannot add couple member"),
        }
    }
    Ok(Ok(Couple {
        id,
        space: space.cloned(),
        space_opened: false,
        time_zone,
        created_at: now,
    }))
}

/// Both people of a couple, oldest membership first.
pub async fn members(tx: &mut Tx, couple_id: i64) -> anyhow::Result<Vec<User>> {
    users::in_couple(tx, couple_id).await
}

/// The other person of the couple.
pub async fn partner_of(tx: &mut Tx, couple_id: i64, user_id: i64) -> anyhow::Result<User> {
    members(tx, couple_id)
        .await?
        .into_iter()
        .find(|member| member.id != user_id)
        .with_context(|| format!("couple {couple_id} has no partner for user {user_id}"))
}

/// Moves the couple's shared space (`opened`: rapport opened it for them);
/// `false` if another couple holds it.
pub async fn set_space(
    tx: &mut Tx,
    couple_id: i64,
    space: &SpaceRef,
    opened: bool,
) -> anyhow::Result<bool> {
    let updated = sqlx::query(
        "UPDATE couples SET space_platform = $1, space_id = $2, space_opened = $3 WHERE id = $4",
    )
    .bind(space.platform.as_str())
    .bind(&space.id)
    .bind(i64::from(opened))
    .bind(couple_id)
    .execute(&mut **tx)
    .await;
    match updated {
        Ok(_) => Ok(true),
        Err(error) if is_unique_violation(&error) => Ok(false),
        Err(error) => Err(error).context("cannot set the couple's space"),
    }
}

/// The couple has no shared space any more: each partner privately.
pub async fn clear_space(tx: &mut Tx, couple_id: i64) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE couples SET space_platform = NULL, space_id = NULL, space_opened = 0 WHERE id = $1",
    )
    .bind(couple_id)
    .execute(&mut **tx)
    .await
    .context("cannot clear the couple's space")?;
    Ok(())
}

/// The zone the couple's shared dates (goal due days, recaps) follow.
pub async fn set_time_zone(tx: &mut Tx, couple_id: i64, zone: Tz) -> anyhow::Result<()> {
    sqlx::query("UPDATE couples SET time_zone = $1 WHERE id = $2")
        .bind(zone.name())
        .bind(couple_id)
        .execute(&mut **tx)
        .await
        .context("cannot set the couple's time zone")?;
    Ok(())
}

/// Ends the couple and both memberships at `now`.
pub async fn end(tx: &mut Tx, couple_id: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
    sqlx::query("UPDATE couples SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL")
        .bind(to_db(now))
        .bind(couple_id)
        .execute(&mut **tx)
        .await
        .context("cannot end couple")?;
    sqlx::query("UPDATE memberships SET left_at = $1 WHERE couple_id = $2 AND left_at IS NULL")
        .bind(to_db(now))
        .bind(couple_id)
        .execute(&mut **tx)
        .await
        .context("cannot end memberships")?;
    Ok(())
}

/// Whether the couple has not ended.
pub async fn is_active(tx: &mut Tx, couple_id: i64) -> anyhow::Result<bool> {
    let active: Option<i64> =
        sqlx::query_scalar("SELECT id FROM couples WHERE id = $1 AND ended_at IS NULL")
            .bind(couple_id)
            .fetch_optional(&mut **tx)
            .await
            .context("cannot check whether a couple is active")?;
    Ok(active.is_some())
}

/// The couple with this id, active or ended.
pub async fn get(tx: &mut Tx, couple_id: i64) -> anyhow::Result<Couple> {
    let sql = format!("SELECT {COLUMNS} FROM couples c WHERE c.id = $1");
    let row: CoupleRow = sqlx::query_as(AssertSqlSafe(sql))
        .bind(couple_id)
        .fetch_one(&mut **tx)
        .await
        .with_context(|| format!("cannot load couple {couple_id}"))?;
    row.try_into()
}
