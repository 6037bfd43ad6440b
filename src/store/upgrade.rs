//! Applying migrations safely: before new ones touch an existing SQLite
//! file, rapport copies it beside itself and says so; a migration that
//! fails leaves the file as it was before that step (each runs in its own
//! transaction) and the error says how to go back to the copy. The copies
//! rapport made are removed once they have been kept long enough.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::AnyPool;
use sqlx::migrate::Migrator;

use super::Backend;
use super::backup::{self, Copied};

/// How rapport treats its own safety copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UpgradePolicy {
    /// How long a safety copy is kept after the upgrade it was made for.
    pub keep_copies: chrono::Duration,
    /// The moment of this start, for naming and pruning copies.
    pub now: DateTime<Utc>,
}

impl Default for UpgradePolicy {
    fn default() -> UpgradePolicy {
        UpgradePolicy {
            keep_copies: chrono::Duration::days(7),
            now: Utc::now(),
        }
    }
}

/// Runs the pending migrations; `database` is the SQLite file, if any.
pub(super) async fn migrate(
    pool: &AnyPool,
    backend: Backend,
    migrator: &Migrator,
    database: Option<&Path>,
    policy: UpgradePolicy,
) -> anyhow::Result<()> {
    let copy = match database {
        Some(database) => safety_copy(pool, backend, migrator, database, policy.now).await?,
        None => None,
    };
    if let Err(error) = migrator.run(pool).await {
        let advice = match (&copy, database) {
            (Some(copy), Some(database)) => format!(
                "a database migration failed, and the database is as it was before that step. \
                 To go back to how it was before this upgrade, stop rapport and put {} in place \
                 of {}",
                copy.path.display(),
                database.display()
            ),
            _ => "a database migration failed, and the database is as it was before that step"
                .to_owned(),
        };
        return Err(anyhow::Error::new(error).context(advice));
    }
    if let Some(database) = database {
        prune(database, policy.keep_copies, policy.now);
    }
    Ok(())
}

/// Copies an existing database that is about to gain migrations; `None`
/// when there is nothing to protect (a new file, or nothing pending).
async fn safety_copy(
    pool: &AnyPool,
    backend: Backend,
    migrator: &Migrator,
    database: &Path,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<Copied>> {
    let applied = backup::applied_versions(pool, backend).await?;
    let pending = migrator
        .iter()
        .filter(|migration| !applied.contains(&migration.version))
        .count();
    if applied.is_empty() || pending == 0 {
        return Ok(None);
    }
    let path: PathBuf = backup::safety_copy_path(database, now);
    let copied = backup::online_copy(pool, &path)
        .await
        .context("cannot make a safety copy before upgrading the database; nothing was changed")?;
    tracing::info!(
        copy = %copied.path.display(),
        pending,
        "made a safety copy of the database before applying new migrations"
    );
    Ok(Some(copied))
}

/// Removes rapport's own safety copies that have been kept long enough;
/// a failure is logged, never fatal.
pub(super) fn prune(database: &Path, keep: chrono::Duration, now: DateTime<Utc>) {
    match backup::prune_safety_copies(database, keep, now) {
        Ok(removed) => {
            for path in removed {
                tracing::info!(copy = %path.display(), "removed an old safety copy of the database");
            }
        }
        Err(error) => {
            tracing::warn!(error.cause_chain = ?error, "cannot remove old safety copies")
        }
    }
}
