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
pub mod couples;
pub mod decks;
pub mod goals;
pub mod invites;
pub mod journal;
pub mod mydata;
pub mod nudges;
pub mod outbox;
pub mod recaps;
pub mod rounds;
pub mod schedules;
pub mod spaces;
pub mod users;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor};

/// A transaction owned by the caller; store functions borrow it.
pub type Tx = sqlx::Transaction<'static, Any>;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

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
}

impl Store {
    /// Connects, creating a SQLite file and its folder if needed, and runs
    /// the migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let backend =
            Backend::from_url(url).context("the store URL must start with sqlite: or postgres:")?;
        let pool = match backend {
            Backend::Sqlite => connect_sqlite(url).await?,
            Backend::Postgres => AnyPoolOptions::new()
                .max_connections(8)
                .connect(url)
                .await
                .context("cannot connect to PostgreSQL")?,
        };
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&pool)
            .await
            .context("cannot run database migrations")?;
        Ok(Store { pool, backend })
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

/// SQLite gets one connection: it has a single writer anyway, and one
/// connection rules out SQLITE_BUSY between our own transactions and keeps an
/// in-memory database alive for the pool's lifetime.
async fn connect_sqlite(url: &str) -> anyhow::Result<AnyPool> {
    let url = sqlite_url_with_create(url)?;
    let options = AnyConnectOptions::from_str(&url).context("bad SQLite URL")?;
    AnyPoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                conn.execute("PRAGMA busy_timeout = 5000").await?;
                conn.execute("PRAGMA synchronous = NORMAL").await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .context("cannot open the SQLite database")
}

/// Adds `mode=rwc` (create if missing) and creates the file's folder.
fn sqlite_url_with_create(url: &str) -> anyhow::Result<String> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() {
        bail!("the SQLite URL has no file name");
    }
    if path == ":memory:" || query.contains("mode=") {
        return Ok(url.to_owned());
    }
    if let Some(folder) = Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create the database folder {}", folder.display()))?;
    }
    let separator = if query.is_empty() { "?" } else { "&" };
    Ok(format!("{url}{separator}mode=rwc"))
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

    #[test]
    fn sqlite_url_gains_create_mode_and_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/rapport.db");
        let url = format!("sqlite://{}", path.display());
        assert_eq!(
            sqlite_url_with_create(&url).unwrap(),
            format!("{url}?mode=rwc")
        );
        assert!(path.parent().unwrap().is_dir());
        assert_eq!(
            sqlite_url_with_create("sqlite::memory:").unwrap(),
            "sqlite::memory:"
        );
        assert_eq!(
            sqlite_url_with_create("sqlite://x.db?mode=ro").unwrap(),
            "sqlite://x.db?mode=ro"
        );
    }
}
