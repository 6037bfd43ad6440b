//! Copies of a SQLite store: `rapport backup` (online and consistent while
//! rapport runs, then opened to check it), the safety copy rapport makes
//! before it applies new migrations, and the removal of its own safety
//! copies once they have been kept long enough, since they hold words
//! people may have deleted since. Also which migrations a store has.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use sqlx::AnyPool;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;

use super::Backend;

/// What a copy holds, as checked by opening it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copied {
    pub path: PathBuf,
    pub bytes: u64,
    /// Migrations recorded in the copy: its schema version.
    pub migrations: i64,
}

/// Writes a consistent copy of the live database to `to` (SQLite's
/// `VACUUM INTO`, which reads one snapshot while others keep writing),
/// owner-only, and opens it to check it. Refuses to overwrite a file.
pub async fn online_copy(pool: &AnyPool, to: &Path) -> anyhow::Result<Copied> {
    if to.exists() {
        bail!("{} exists already; name a new file", to.display());
    }
    let target = to.to_str().context("the backup path is not valid UTF-8")?;
    reserve_private(to)?;
    let copied = sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(pool)
        .await;
    if let Err(error) = copied {
        // An empty file of ours must not pass for a backup.
        let _ = std::fs::remove_file(to);
        return Err(error).context("cannot copy the database");
    }
    verify(to).await
}

/// Creates `to` empty with mode 0600, so the copy is never readable by
/// others, not even for a moment (`VACUUM INTO` writes into an empty file).
fn reserve_private(to: &Path) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(to)
        .with_context(|| format!("cannot create {}", to.display()))?;
    Ok(())
}

/// Opens a copy read-only: SQLite's integrity check must pass and the
/// migrations table must be there.
pub async fn verify(path: &Path) -> anyhow::Result<Copied> {
    let url = format!("sqlite://{}?mode=ro", path.display());
    let options = AnyConnectOptions::from_str(&url).context("bad path for the copy")?;
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open the copy {}", path.display()))?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .context("cannot check the copy")?;
    let migrations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&pool)
        .await
        .context("the copy has no migrations table: it is not a rapport database")?;
    pool.close().await;
    if check != "ok" {
        bail!(
            "the copy {} failed SQLite's integrity check: {check}",
            path.display()
        );
    }
    let bytes = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    Ok(Copied {
        path: path.to_owned(),
        bytes,
        migrations,
    })
}

/// One migration and whether the store has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationState {
    pub version: i64,
    pub description: String,
    pub applied: bool,
}

/// Every migration this build knows, and whether it is among `applied`.
pub fn states(migrator: &Migrator, applied: &[i64]) -> Vec<MigrationState> {
    migrator
        .iter()
        .map(|migration| MigrationState {
            version: migration.version,
            description: migration.description.to_string(),
            applied: applied.contains(&migration.version),
        })
        .collect()
}

/// The versions recorded as applied; none when the store is new.
pub async fn applied_versions(pool: &AnyPool, backend: Backend) -> anyhow::Result<Vec<i64>> {
    // A new store has no migrations table yet; reading it would fail.
    let exists = match backend {
        Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE name = '_sqlx_migrations'",
        Backend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '_sqlx_migrations'"
        }
    };
    let tables: i64 = sqlx::query_scalar(exists)
        .fetch_one(pool)
        .await
        .context("cannot look for the migrations table")?;
    if tables == 0 {
        return Ok(Vec::new());
    }
    sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
        .fetch_all(pool)
        .await
        .context("cannot read the applied migrations")
}

/// What safety copies are called: `rapport.db.before-upgrade-<unix time>`.
const SAFETY_MARK: &str = ".before-upgrade-";

/// Where the safety copy of `database` made at `now` goes: beside it.
pub fn safety_copy_path(database: &Path, now: DateTime<Utc>) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(format!("{SAFETY_MARK}{}", now.timestamp()));
    PathBuf::from(name)
}

/// Removes the safety copies of `database` made more than `keep` before
/// `now`; returns those removed. Copies an admin made are never touched:
/// only files named as rapport names its own.
pub fn prune_safety_copies(
    database: &Path,
    keep: chrono::Duration,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<PathBuf>> {
    let Some(name) = database.file_name().and_then(|name| name.to_str()) else {
        return Ok(Vec::new());
    };
    let folder = match database.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let prefix = format!("{name}{SAFETY_MARK}");
    let mut removed = Vec::new();
    let entries =
        std::fs::read_dir(folder).with_context(|| format!("cannot list {}", folder.display()))?;
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(made) = file
            .to_str()
            .and_then(|file| file.strip_prefix(&prefix))
            .and_then(|stamp| stamp.parse::<i64>().ok())
            .and_then(|stamp| DateTime::from_timestamp(stamp, 0))
        else {
            continue;
        };
        if made + keep <= now {
            let path = entry.path();
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove {}", path.display()))?;
            removed.push(path);
        }
    }
    Ok(removed)
}
