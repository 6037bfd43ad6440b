//! The `users` table: one row per person per platform, with their settings.

use anyhow::Context;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::AssertSqlSafe;
use sqlx::FromRow;

use super::{Tx, to_db};
use crate::domain::quiet_hours::QuietHours;
use crate::domain::{Platform, UserRef};

/// A person known to rapport.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub user: UserRef,
    pub display_name: String,
    /// The platform's handle (Discord `@username`, a Matrix id), shown
    /// beside the display name anyone can choose.
    pub handle: Option<String>,
    /// `None` until the person sets one; the couple's or the admin's default applies.
    pub time_zone: Option<Tz>,
    pub quiet_hours: Option<QuietHours>,
}

#[derive(FromRow)]
struct UserRow {
    id: i64,
    platform: String,
    external_id: String,
    display_name: String,
    handle: Option<String>,
    time_zone: Option<String>,
    quiet_start: Option<i64>,
    quiet_end: Option<i64>,
}

const COLUMNS: &str =
    "id, platform, external_id, display_name, handle, time_zone, quiet_start, quiet_end";

impl TryFrom<UserRow> for User {
    type Error = anyhow::Error;

    fn try_from(row: UserRow) -> anyhow::Result<User> {
        let platform = Platform::parse(&row.platform)
            .with_context(|| format!("user {} has unknown platform {}", row.id, row.platform))?;
        let time_zone = row
            .time_zone
            .map(|zone| zone.parse::<Tz>())
            .transpose()
            .map_err(|error| anyhow::anyhow!("user {} has a bad stored zone: {error}", row.id))?;
        let quiet_hours = match (row.quiet_start, row.quiet_end) {
            (Some(start), Some(end)) => QuietHours::from_minutes(
                u16::try_from(start).unwrap_or(u16::MAX),
                u16::try_from(end).unwrap_or(u16::MAX),
            ),
            _ => None,
        };
        Ok(User {
            id: row.id,
            user: UserRef::new(platform, row.external_id),
            display_name: row.display_name,
            handle: row.handle,
            time_zone,
            quiet_hours,
        })
    }
}

/// Finds or creates the person, refreshing the display name and handle.
#[tracing::instrument(skip(tx, display_name, handle), fields(user = %user))]
pub async fn upsert(
    tx: &mut Tx,
    user: &UserRef,
    display_name: &str,
    handle: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<User> {
    let sql = format!(
        "INSERT INTO users (platform, external_id, display_name, created_at, handle)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (platform, external_id) DO UPDATE SET display_name = excluded.display_name,
                                                           handle = COALESCE(excluded.handle, users.handle)
         RETURNING {COLUMNS}"
    );
    let row: UserRow = sqlx::query_as(AssertSqlSafe(sql))
        .bind(user.platform.as_str())
        .bind(&user.id)
        .bind(display_name)
        .bind(to_db(now))
        .bind(handle)
        .fetch_one(&mut **tx)
        .await
        .context("cannot upsert user")?;
    row.try_into()
}

/// The person with this platform identity, if rapport has met them.
pub async fn find(tx: &mut Tx, user: &UserRef) -> anyhow::Result<Option<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE platform = $1 AND external_id = $2");
    let row: Option<UserRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(user.platform.as_str())
        .bind(&user.id)
        .fetch_optional(&mut **tx)
        .await
        .context("cannot find user")?;
    row.map(User::try_from).transpose()
}

/// The person with this row id.
pub async fn get(tx: &mut Tx, id: i64) -> anyhow::Result<User> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    let row: UserRow = sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(&mut **tx)
        .await
        .with_context(|| format!("cannot load user {id}"))?;
    row.try_into()
}

pub async fn set_time_zone(tx: &mut Tx, id: i64, zone: Tz) -> anyhow::Result<()> {
    sqlx::query("UPDATE users SET time_zone = $1 WHERE id = $2")
        .bind(zone.name())
        .bind(id)
        .execute(&mut **tx)
        .await
        .context("cannot set time zone")?;
    Ok(())
}

/// Clears the mark the renumbering migration left; `true` if it was set,
/// so the person is told once that the numbers changed.
pub async fn take_renumbered(tx: &mut Tx, id: i64) -> anyhow::Result<bool> {
    let done = sqlx::query("UPDATE users SET renumbered = 0 WHERE id = $1 AND renumbered = 1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .context("cannot clear the renumbered mark")?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_quiet_hours(
    tx: &mut Tx,
    id: i64,
    hours: Option<QuietHours>,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE users SET quiet_start = $1, quiet_end = $2 WHERE id = $3")
        .bind(hours.map(|h| i64::from(h.start_minute())))
        .bind(hours.map(|h| i64::from(h.end_minute())))
        .bind(id)
        .execute(&mut **tx)
        .await
        .context("cannot set quiet hours")?;
    Ok(())
}

/// The members of a couple, oldest membership first, in one query (the
/// scheduler asks this for every round it opens).
pub async fn in_couple(tx: &mut Tx, couple_id: i64) -> anyhow::Result<Vec<User>> {
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("u.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {columns} FROM users u JOIN memberships m ON m.user_id = u.id
         WHERE m.couple_id = $1 ORDER BY m.joined_at, u.id"
    );
    let rows: Vec<UserRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(couple_id)
        .fetch_all(&mut **tx)
        .await
        .context("cannot list couple members")?;
    rows.into_iter().map(User::try_from).collect()
}
