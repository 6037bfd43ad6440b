//! Connecting to SQLite: one connection with the pragmas rapport relies on
//! (WAL, foreign keys, secure deletion), and a file and folder only their
//! owner can open.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, bail};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

/// SQLite gets one connection: it has a single writer anyway, and one
/// connection rules out SQLITE_BUSY between our own transactions and keeps an
/// in-memory database alive for the pool's lifetime.
pub(super) async fn connect_sqlite(url: &str) -> anyhow::Result<AnyPool> {
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

/// The parts of a SQLite URL (`sqlite://path?query`): the path as written
/// (empty when there is none) and the query.
pub fn sqlite_url_parts(url: &str) -> (&str, &str) {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split_once('?').unwrap_or((rest, ""))
}

/// Whether a SQLite URL's parts name an in-memory database.
pub fn is_in_memory((path, query): (&str, &str)) -> bool {
    path == ":memory:" || query.contains("mode=memory")
}

/// The file of a SQLite URL (`sqlite://path?…`), or `None` for an
/// in-memory database or another kind of store.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    url.strip_prefix("sqlite:")?;
    let parts = sqlite_url_parts(url);
    let memory = parts.0.is_empty() || is_in_memory(parts);
    (!memory).then(|| std::path::PathBuf::from(parts.0))
}

/// Adds `mode=rwc` (create if missing) and creates the file and its folder
/// owner-only (see [`private`]). A URL with its own `mode=` creates
/// nothing, but an existing file is still made owner-only.
fn sqlite_url_with_create(url: &str) -> anyhow::Result<String> {
    let (path, query) = sqlite_url_parts(url);
    if path.is_empty() {
        bail!("the SQLite URL has no file name");
    }
    if is_in_memory((path, query)) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
