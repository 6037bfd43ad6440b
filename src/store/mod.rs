//! The store: the only code that writes SQL.
//!
//! One [`Store`] wraps an sqlx `Any` pool, so SQLite (the embedded default)
//! and PostgreSQL share the same parameterised statements (`$1` placeholders
//! work in both). Schema differences live in `migrations/sqlite` and
//! `migrations/postgres`, embedded at compile time and run at start.
//! Functions are per table, take the caller's transaction, and store times as
//! UTC Unix seconds.

pub mod agreements;
pub mod appreciations;
pub mod backup;
pub mod choice_offers;
pub mod consent;
pub mod couples;
pub mod decks;
pub mod erase;
pub mod goal_logs;
pub mod goals;
pub mod history;
pub mod invites;
pub mod journal;
pub mod leases;
pub mod mydata;
pub mod nudges;
pub mod outbox;
mod postgres;
pub mod recaps;
pub mod rounds;
pub mod schedules;
pub mod send_slots;
pub mod space_changes;
pub mod spaces;
mod sqlite;
mod upgrade;
pub mod users;

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor};

pub use backup::{Copied, MigrationState};
use postgres::connect_postgres;
pub use postgres::{ConnectError, probe_postgres};
use sqlite::connect_sqlite;
pub use sqlite::{is_in_memory, sqlite_file, sqlite_url_parts};
pub use upgrade::UpgradePolicy;

/// A transaction owned by the caller; store functions borrow it.
pub type Tx = sqlx::Transaction<'static, Any>;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

fn migrator(backend: Backend) -> &'static Migrator {
    match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    }
}

/// Which database sits behind the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Tells the backend from a database URL; `None` for any other scheme.
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// A cheap-to-clone handle on the database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The SQLite file, when there is one (not in memory, not PostgreSQL).
    file: Option<PathBuf>,
    /// How long rapport keeps its own safety copies of `file`.
    keep_copies: chrono::Duration,
}

/// Why `rapport backup` made no copy.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("the store is PostgreSQL")]
    Postgres,
    #[error("the store is in memory")]
    InMemory,
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl Store {
    /// Connects, creating a SQLite file and its folder if needed, and runs
    /// the migrations (with a safety copy of an existing SQLite file).
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        Store::open(url, UpgradePolicy::default()).await
    }

    /// [`Store::connect`] with the admin's retention and the start's clock.
    pub async fn open(url: &str, upgrade: UpgradePolicy) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let backend =
            Backend::from_url(url).context("the store URL must start with sqlite: or postgres:")?;
        let file = match backend {
            Backend::Sqlite => sqlite_file(url),
            Backend::Postgres => None,
        };
        let pool = match backend {
            Backend::Sqlite => connect_sqlite(url).await?,
            Backend::Postgres => connect_postgres(url).await?,
        };
        upgrade::migrate(&pool, backend, migrator(backend), file.as_deref(), upgrade)
            .await
            .context("cannot run database migrations")?;
        let store = Store {
            pool,
            backend,
            file,
            keep_copies: upgrade.keep_copies,
        };
        store.run_maintenance().await?;
        Ok(store)
    }

    /// Every migration this build knows and whether the store at `url` has
    /// it, without applying any (nor creating a missing SQLite file).
    pub async fn migration_status(url: &str) -> anyhow::Result<Vec<MigrationState>> {
        sqlx::any::install_default_drivers();
        let backend =
            Backend::from_url(url).context("the store URL must start with sqlite: or postgres:")?;
        let pool = match (backend, sqlite_file(url)) {
            (Backend::Sqlite, Some(file)) if !file.exists() => {
                return Ok(backup::states(migrator(backend), &[]));
            }
            (Backend::Sqlite, _) => connect_sqlite(url).await?,
            (Backend::Postgres, _) => connect_postgres(url).await?,
        };
        let applied = backup::applied_versions(&pool, backend).await?;
        pool.close().await;
        Ok(backup::states(migrator(backend), &applied))
    }

    /// An online, consistent copy at `to` of the SQLite store at `url`
    /// (which may be in use by a running rapport), checked by opening it.
    /// Applies no migration.
    pub async fn backup(url: &str, to: &Path) -> Result<Copied, BackupError> {
        sqlx::any::install_default_drivers();
        if Backend::from_url(url) == Some(Backend::Postgres) {
            return Err(BackupError::Postgres);
        }
        let Some(file) = sqlite_file(url) else {
            return Err(BackupError::InMemory);
        };
        if !file.exists() {
            return Err(BackupError::Failed(anyhow::anyhow!(
                "there is no database at {} yet",
                file.display()
            )));
        }
        let pool = connect_sqlite(url).await?;
        let copied = backup::online_copy(&pool, to).await;
        pool.close().await;
        Ok(copied?)
    }

    /// Removes rapport's own safety copies kept long enough by `now`.
    pub fn prune_safety_copies(&self, now: DateTime<Utc>) {
        if let Some(file) = &self.file {
            upgrade::prune(file, self.keep_copies, now);
        }
    }

    /// One-off work a migration left for this start (the `maintenance`
    /// table). `vacuum`: on SQLite, rewrite the file once so pages freed
    /// before `secure_delete` was on hold no old words; on PostgreSQL,
    /// VACUUM is the admin's, so the task is only cleared.
    async fn run_maintenance(&self) -> anyhow::Result<()> {
        let pending: Option<String> =
            sqlx::query_scalar("SELECT task FROM maintenance WHERE task = 'vacuum'")
                .fetch_optional(&self.pool)
                .await
                .context("cannot read the maintenance tasks")?;
        if pending.is_none() {
            return Ok(());
        }
        if self.backend == Backend::Sqlite {
            // VACUUM cannot run inside a transaction: straight on the pool.
            self.pool
                .execute("VACUUM")
                .await
                .context("cannot vacuum the SQLite database")?;
            self.checkpoint().await?;
        }
        sqlx::query("DELETE FROM maintenance WHERE task = 'vacuum'")
            .execute(&self.pool)
            .await
            .context("cannot clear the vacuum task")?;
        if self.backend == Backend::Sqlite {
            tracing::info!(
                "space freed before secure deletion was turned on has been scrubbed once (VACUUM)"
            );
        }
        Ok(())
    }

    /// Moves everything in SQLite's write-ahead log into the database file
    /// and empties the log, so deleted words leave the `-wal` file too
    /// (`secure_delete` has already zeroed them in the pages). PostgreSQL:
    /// nothing to do.
    pub async fn checkpoint(&self) -> anyhow::Result<()> {
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        let busy: i64 = sqlx::query_scalar("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&self.pool)
            .await
            .context("cannot checkpoint the SQLite log")?;
        if busy != 0 {
            bail!("the SQLite log could not be checkpointed: the database is busy");
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a transaction; commit it to keep its writes.
    pub async fn begin(&self) -> anyhow::Result<Tx> {
        self.pool
            .begin()
            .await
            .context("cannot start a database transaction")
    }

    /// Closes every connection, waiting for work in flight.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// UTC time to the stored Unix seconds.
pub fn to_db(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

/// Stored Unix seconds back to UTC time.
pub fn from_db(seconds: i64) -> anyhow::Result<DateTime<Utc>> {
    DateTime::from_timestamp(seconds, 0)
        .with_context(|| format!("stored time {seconds} is out of range"))
}

/// Row locking for claim queries: PostgreSQL lets several rapport processes
/// claim work without waiting on each other; SQLite has one writer anyway.
pub fn skip_locked(tx: &mut Tx) -> &'static str {
    let connection: &mut sqlx::AnyConnection = tx;
    if connection.backend_name() == "PostgreSQL" {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    }
}

/// Whether an error is a unique-constraint violation (a lost race).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_from_url() {
        assert_eq!(
            Backend::from_url("sqlite://data/x.db"),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::from_url("postgresql://u@h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::from_url("mysql://u@h/db"), None);
    }
}
