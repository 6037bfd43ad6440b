//! What `rapport check-config` tries beyond reading the configuration:
//! that the store answers. SQLite: that its file, or the folder it will be
//! created in, is writable (nothing is left behind). PostgreSQL: one
//! connection with a short timeout. Outcomes name the place, never the URL.

use std::path::{Path, PathBuf};
use std::time::Duration;

use secrecy::ExposeSecret;

use super::{Config, Problem};
use crate::prompts::Key;
use crate::store::{self, Backend, ConnectError};

/// How long `check-config` waits for PostgreSQL.
pub const STORE_CHECK_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether the store can be used: `Ok` says what was found, `Err` what is
/// wrong.
pub async fn store(config: &Config) -> Result<Problem, Problem> {
    let url = config.store.url.expose_secret();
    match Backend::from_url(url) {
        Some(Backend::Postgres) => match store::probe_postgres(url, STORE_CHECK_TIMEOUT).await {
            Ok(address) => Ok(Problem::new(
                Key::AdminStorePostgresReady,
                &[("address", &address)],
            )),
            Err(error) => Err(connect_problem(&error)),
        },
        Some(Backend::Sqlite) => sqlite(url),
        // `load` reports this already; only the scheme is shown.
        None => {
            let scheme = url.split(':').next().unwrap_or_default();
            Err(Problem::new(Key::ConfigBadStoreUrl, &[("scheme", scheme)]).about("store.url"))
        }
    }
}

/// A failed PostgreSQL connection in the admin's words.
pub fn connect_problem(error: &ConnectError) -> Problem {
    let problem = match error {
        ConnectError::BadUrl => Problem::new(Key::ConfigStoreBadPostgresUrl, &[]),
        ConnectError::Refused { address } => {
            Problem::new(Key::ConfigStoreRefused, &[("address", address)])
        }
        ConnectError::TimedOut { address, seconds } => Problem::new(
            Key::ConfigStoreTimedOut,
            &[("address", address), ("seconds", &seconds.to_string())],
        ),
        ConnectError::Unreachable { address, reason } => Problem::new(
            Key::ConfigStoreUnreachable,
            &[("address", address), ("reason", reason)],
        ),
        ConnectError::Rejected { address, reason } => Problem::new(
            Key::ConfigStoreRejected,
            &[("address", address), ("reason", reason)],
        ),
    };
    problem.about("store.url")
}

/// Whether the SQLite file can be written, or created where it is named.
fn sqlite(url: &str) -> Result<Problem, Problem> {
    let (path, query) = store::sqlite_url_parts(url);
    if store::is_in_memory((path, query)) {
        return Ok(Problem::new(Key::AdminStoreMemory, &[]));
    }
    let path = Path::new(path);
    let shown = path.display().to_string();
    let unwritable = |reason: String| {
        Problem::new(
            Key::ConfigStoreNotWritable,
            &[("path", &shown), ("reason", &reason)],
        )
        .about("store.url")
    };
    if path.as_os_str().is_empty() || path.is_dir() {
        return Err(
            Problem::new(Key::ConfigStoreNoFileName, &[("path", &shown)]).about("store.url"),
        );
    }
    if path.exists() {
        return std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map(|_| Problem::new(Key::AdminStoreSqliteReady, &[("path", &shown)]))
            .map_err(|error| unwritable(error.to_string()));
    }
    let folder = nearest_folder(path).map_err(unwritable)?;
    writable(&folder).map_err(|error| unwritable(error.to_string()))?;
    Ok(Problem::new(Key::AdminStoreSqliteNew, &[("path", &shown)]))
}

/// The closest existing ancestor of `path`, which must be a folder: the
/// one the database (and any missing folders) would be created in.
fn nearest_folder(path: &Path) -> Result<PathBuf, String> {
    let mut folder = path.parent();
    while let Some(candidate) = folder {
        let candidate = if candidate.as_os_str().is_empty() {
            Path::new(".")
        } else {
            candidate
        };
        if candidate.is_dir() {
            return Ok(candidate.to_path_buf());
        }
        if candidate.exists() {
            return Err(std::io::Error::from(std::io::ErrorKind::NotADirectory).to_string());
        }
        folder = candidate.parent();
    }
    Ok(PathBuf::from("."))
}

/// Creates and removes a file in `folder`: the only sure test of writing.
fn writable(folder: &Path) -> std::io::Result<()> {
    let probe = folder.join(format!(".rapport-check-{}", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)?;
    std::fs::remove_file(&probe)
}
