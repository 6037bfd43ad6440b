//! The admin's commands beside `run`: `rapport backup <file>` and
//! `rapport migrate [--status]`. Each returns the lines to print, or the
//! reason it failed, in the words of `prompts/<locale>/admin.toml`; no
//! line shows a secret (a store URL is shown without its userinfo).

use std::path::Path;

use secrecy::ExposeSecret;

use crate::config::Config;
use crate::config::redact::strip_userinfo;
use crate::prompts::{Catalog, Key};
use crate::store::{BackupError, MigrationState, Store};

/// `rapport backup <file>`.
pub async fn backup(texts: &Catalog, config: &Config, to: &Path) -> Result<String, String> {
    match Store::backup(config.store.url.expose_secret(), to).await {
        Ok(copied) => Ok(texts.render(
            Key::AdminBackupDone,
            &[
                ("path", &copied.path.display().to_string()),
                ("bytes", &copied.bytes.to_string()),
                ("migrations", &copied.migrations.to_string()),
            ],
        )),
        Err(BackupError::Postgres) => Err(texts.text(Key::AdminBackupPostgres).to_owned()),
        Err(BackupError::InMemory) => Err(texts.text(Key::AdminBackupMemory).to_owned()),
        Err(BackupError::Failed(error)) => {
            Err(texts.render(Key::AdminBackupFailed, &[("reason", &format!("{error:#}"))]))
        }
    }
}

/// `rapport migrate --status`: every migration, applied or pending; none
/// is applied.
pub async fn migration_status(texts: &Catalog, config: &Config) -> Result<String, String> {
    let url = config.store.url.expose_secret();
    let states = Store::migration_status(url).await.map_err(|error| {
        texts.render(Key::AdminStartFailed, &[("reason", &format!("{error:#}"))])
    })?;
    Ok(describe(texts, &strip_userinfo(url), &states))
}

/// `rapport migrate`: applies what is pending (with the safety copy) and
/// says where the store stands.
pub async fn migrate(texts: &Catalog, config: &Config) -> Result<String, String> {
    let url = config.store.url.expose_secret();
    let failed = |error: anyhow::Error| {
        texts.render(Key::AdminStartFailed, &[("reason", &format!("{error:#}"))])
    };
    let store = Store::connect(url).await.map_err(failed)?;
    store.close().await;
    let states = Store::migration_status(url).await.map_err(failed)?;
    Ok(describe(texts, &strip_userinfo(url), &states))
}

fn describe(texts: &Catalog, store: &str, states: &[MigrationState]) -> String {
    let mut lines = vec![texts.render(Key::AdminMigrationsHeader, &[("store", store)])];
    for state in states {
        let key = if state.applied {
            Key::AdminMigrationApplied
        } else {
            Key::AdminMigrationPending
        };
        lines.push(texts.render(
            key,
            &[
                ("version", &state.version.to_string()),
                ("description", &state.description),
            ],
        ));
    }
    let applied = states.iter().filter(|state| state.applied).count();
    lines.push(texts.render(
        Key::AdminMigrationsSummary,
        &[
            ("applied", &applied.to_string()),
            ("pending", &(states.len() - applied).to_string()),
        ],
    ));
    lines.join("\n")
}
