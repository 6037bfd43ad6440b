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
pub mod consent;
pub mod couples;
pub mod decks;
pub mod erase;
pub mod goal_logs;
pub mod goals;
pub mod history;
pub mod invites;
pub mod journal;
pub mod mydata;
pub mod nudges;
pub mod outbox;
pub mod recaps;
pub mod rounds;
pub mod schedules;
pub mod space_changes;
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
            Backend::Postgres => connect_postgres(url).await?,
        };
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&pool)
            .await
            .context("cannot run database migrations")?;
        let store = Store { pool, backend };
        store.run_maintenance().await?;
        Ok(store)
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

/// How long a PostgreSQL connection may take at start before rapport says so.
pub const POSTGRES_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why PostgreSQL could not be reached. It names the server as `host:port`
/// (or its socket), never the URL, so no password can show.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("the PostgreSQL URL cannot be read")]
    BadUrl,
    #[error("connection refused to {address}")]
    Refused { address: String },
    #[error("no answer from {address} within {seconds} s")]
    TimedOut { address: String, seconds: u64 },
    #[error("cannot reach {address}: {reason}")]
    Unreachable { address: String, reason: String },
    /// The server answered and said no (login, database, TLS).
    #[error("PostgreSQL at {address} refused rapport: {reason}")]
    Rejected { address: String, reason: String },
}

/// A first connection, tried on its own so an unreachable server fails at
/// once by name (a pool would retry in silence until its timeout), then
/// the pool.
async fn connect_postgres(url: &str) -> anyhow::Result<AnyPool> {
    probe_postgres(url, POSTGRES_CONNECT_TIMEOUT).await?;
    AnyPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(POSTGRES_CONNECT_TIMEOUT)
        .connect(url)
        .await
        .context("cannot connect to PostgreSQL")
}

/// Opens one PostgreSQL connection within `timeout` and closes it again:
/// whether the server is there and lets rapport in. Runs no migration.
pub async fn probe_postgres(url: &str, timeout: Duration) -> Result<String, ConnectError> {
    use sqlx::Connection;
    use sqlx::postgres::{PgConnectOptions, PgConnection};

    let options = PgConnectOptions::from_str(url).map_err(|_| ConnectError::BadUrl)?;
    let address = match options.get_socket() {
        Some(socket) => socket.display().to_string(),
        None => format!("{}:{}", options.get_host(), options.get_port()),
    };
    let connection = match tokio::time::timeout(timeout, PgConnection::connect_with(&options)).await
    {
        Err(_) => {
            let seconds = timeout.as_secs();
            return Err(ConnectError::TimedOut { address, seconds });
        }
        Ok(Err(error)) => return Err(connect_error(error, address)),
        Ok(Ok(connection)) => connection,
    };
    // Closing politely can only fail on a connection already gone.
    let _ = connection.close().await;
    Ok(address)
}

fn connect_error(error: sqlx::Error, address: String) -> ConnectError {
    match error {
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            ConnectError::Refused { address }
        }
        sqlx::Error::Io(io) => ConnectError::Unreachable {
            address,
            reason: io.to_string(),
        },
        sqlx::Error::Database(db) => ConnectError::Rejected {
            address,
            reason: db.message().to_owned(),
        },
        sqlx::Error::Tls(tls) => ConnectError::Rejected {
            address,
            reason: tls.to_string(),
        },
        other => ConnectError::Unreachable {
            address,
            reason: other.to_string(),
        },
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
                // Deleted content is overwritten with zeros, not just unlinked.
                conn.execute("PRAGMA secure_delete = ON").await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .context("cannot open the SQLite database")
}

/// The file of a SQLite URL (`sqlite://path?…`), or `None` for an
/// in-memory database or another kind of store.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite:")?.trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let memory = path.is_empty() || path == ":memory:" || query.contains("mode=memory");
    (!memory).then(|| std::path::PathBuf::from(path))
}

/// Adds `mode=rwc` (create if missing) and creates the file and its folder
/// owner-only (see [`private`]). A URL with its own `mode=` creates
/// nothing, but an existing file is still made owner-only.
fn sqlite_url_with_create(url: &str) -> anyhow::Result<String> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() {
        bail!("the SQLite URL has no file name");
    }
    if path == ":memory:" || query.contains("mode=memory") {
        return Ok(url.to_owned());
    }
    let create = !query.contains("mode=");
    private::prepare(Path::new(path), create)?;
    if !create {
        return Ok(url.to_owned());
    }
    let separator = if query.is_empty() { "?" } else { "&" };
    Ok(format!("{url}{separator}mode=rwc"))
}

/// Owner-only permissions for the SQLite file and its folder. sqlx and
/// SQLite would use the umask (typically 755 and 644); SQLite gives the
/// `-wal` and `-shm` files the database file's permissions, so they follow.
mod private {
    use std::path::Path;

    use anyhow::Context;

    /// The files SQLite keeps next to the database.
    const COMPANIONS: [&str; 3] = ["-wal", "-shm", "-journal"];

    /// Creates the folder (0700) and file (0600) if `create`, and tightens
    /// looser existing ones. An existing folder is tightened only when it
    /// holds nothing but the database's files: a shared folder (`/tmp`,
    /// `/var/lib`, the working folder) is never changed.
    pub(super) fn prepare(path: &Path, create: bool) -> anyhow::Result<()> {
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(folder) = folder {
            if folder.exists() {
                if holds_only_database(folder, path)? {
                    tighten(folder, 0o700)?;
                } else {
                    tracing::debug!(
                        folder = %folder.display(),
                        "the database folder holds other files; its permissions stay as they are"
                    );
                }
            } else if create {
                create_folder(folder)?;
            }
        }
        if path.exists() {
            tighten(path, 0o600)?;
        } else if create {
            create_file(path)?;
        }
        for suffix in COMPANIONS {
            let companion = companion(path, suffix);
            if companion.exists() {
                tighten(&companion, 0o600)?;
            }
        }
        Ok(())
    }

    fn companion(path: &Path, suffix: &str) -> std::path::PathBuf {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        name.into()
    }

    fn holds_only_database(folder: &Path, path: &Path) -> anyhow::Result<bool> {
        let Some(name) = path.file_name() else {
            return Ok(false);
        };
        let entries = std::fs::read_dir(folder)
            .with_context(|| format!("cannot read the database folder {}", folder.display()))?;
        for entry in entries {
            let entry = entry
                .with_context(|| format!("cannot read the database folder {}", folder.display()))?;
            let entry_name = entry.file_name();
            let ours = entry_name == name
                || COMPANIONS.iter().any(|suffix| {
                    let mut companion = name.to_owned();
                    companion.push(suffix);
                    entry_name == companion
                });
            if !ours {
                return Ok(false);
            }
        }
        Ok(true)
    }

    #[cfg(unix)]
    fn create_folder(folder: &Path) -> anyhow::Result<()> {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(folder)
            .with_context(|| format!("cannot create the database folder {}", folder.display()))
    }

    #[cfg(not(unix))]
    fn create_folder(folder: &Path) -> anyhow::Result<()> {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create the database folder {}", folder.display()))
    }

    fn create_file(path: &Path) -> anyhow::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options
            .open(path)
            .map(drop)
            .with_context(|| format!("cannot create the database file {}", path.display()))
    }

    /// Takes group and other permissions away from a looser `path`.
    #[cfg(unix)]
    fn tighten(path: &Path, mode: u32) -> anyhow::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let current = std::fs::metadata(path)
            .with_context(|| format!("cannot read the permissions of {}", path.display()))?
            .permissions()
            .mode();
        if current & 0o077 == 0 {
            return Ok(());
        }
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot make {} private", path.display()))?;
        tracing::info!(
            path = %path.display(),
            "made owner-only (was {:o}, now {mode:o})",
            current & 0o777
        );
        Ok(())
    }

    #[cfg(not(unix))]
    fn tighten(_path: &Path, _mode: u32) -> anyhow::Result<()> {
        Ok(())
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
