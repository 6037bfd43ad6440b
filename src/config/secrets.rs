//! Secrets: warnings when one is written into the config file, and
//! `<key>_file` settings read into the secret they name. Problems name the
//! setting and the file, never what either holds.

use std::path::Path;

use secrecy::SecretString;

use super::{Config, Problem, redact};
use crate::prompts::Key;

/// The secrets rapport knows, as (section, key).
const SECRETS: &[(&str, &str)] = &[
    ("discord", "token"),
    ("matrix", "password"),
    ("matrix", "access_token"),
    ("matrix", "store_passphrase"),
    ("reword_model", "api_key"),
];

/// The environment variable that sets `section.key`.
pub(super) fn env_name(section: &str, key: &str) -> String {
    format!("RAPPORT_{}__{}", section.to_uppercase(), key.to_uppercase())
}

/// Warns about secrets written into the config file itself, the store URL's
/// password among them.
pub(super) fn inline_secrets(table: &toml::Table) -> Vec<Problem> {
    let mut warnings: Vec<Problem> = SECRETS
        .iter()
        .filter(|(section, key)| table.get(*section).and_then(|s| s.get(*key)).is_some())
        .map(|(section, key)| {
            let setting = format!("{section}.{key}");
            Problem::new(
                Key::ConfigSecretInFile,
                &[("key", &setting), ("env", &env_name(section, key))],
            )
            .about(setting)
        })
        .collect();
    let store_url = table
        .get("store")
        .and_then(|store| store.get("url"))
        .and_then(toml::Value::as_str);
    if store_url.is_some_and(redact::has_password) {
        warnings.push(
            Problem::new(
                Key::ConfigStorePasswordInFile,
                &[("env", &env_name("store", "url"))],
            )
            .about("store.url"),
        );
    }
    warnings
}

/// Reads `<key>_file` secrets where the secret itself is not set.
/// `store_url_given`: whether the file or the environment set `store.url`
/// (it has a default, so the parsed value cannot tell).
pub(super) fn resolve_secret_files(config: &mut Config, store_url_given: bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    if !store_url_given && let Some(file) = config.store.url_file.as_deref() {
        let mut url = None;
        fill_from_file(&mut url, Some(file), "store.url", &mut problems);
        if let Some(url) = url {
            config.store.url = url;
        }
    }
    if let Some(discord) = &mut config.discord {
        fill_from_file(
            &mut discord.token,
            discord.token_file.as_deref(),
            "discord.token",
            &mut problems,
        );
    }
    if let Some(matrix) = &mut config.matrix {
        fill_from_file(
            &mut matrix.password,
            matrix.password_file.as_deref(),
            "matrix.password",
            &mut problems,
        );
        fill_from_file(
            &mut matrix.access_token,
            matrix.access_token_file.as_deref(),
            "matrix.access_token",
            &mut problems,
        );
        // A passphrase keeps inner and leading spaces: only the line end goes.
        fill_from_file_trimmed(
            &mut matrix.store_passphrase,
            matrix.store_passphrase_file.as_deref(),
            "matrix.store_passphrase",
            &mut problems,
            |text| text.trim_end_matches(['\n', '\r']),
        );
    }
    let model = &mut config.reword_model;
    fill_from_file(
        &mut model.api_key,
        model.api_key_file.as_deref(),
        "reword_model.api_key",
        &mut problems,
    );
    problems
}

fn fill_from_file(
    secret: &mut Option<SecretString>,
    file: Option<&Path>,
    key: &str,
    problems: &mut Vec<Problem>,
) {
    fill_from_file_trimmed(secret, file, key, problems, str::trim);
}

/// [`fill_from_file`] with its own idea of what surrounds the secret.
/// The problem names the key and the file, never what the file holds.
fn fill_from_file_trimmed(
    secret: &mut Option<SecretString>,
    file: Option<&Path>,
    key: &str,
    problems: &mut Vec<Problem>,
    trim: fn(&str) -> &str,
) {
    let (None, Some(file)) = (secret.as_ref(), file) else {
        return;
    };
    match std::fs::read_to_string(file) {
        Ok(text) => *secret = Some(SecretString::from(trim(&text).to_owned())),
        Err(error) => problems.push(
            Problem::new(
                Key::ConfigSecretFileUnreadable,
                &[
                    ("key", key),
                    ("path", &file.display().to_string()),
                    ("reason", &error.to_string()),
                ],
            )
            .about(format!("{key}_file")),
        ),
    }
}
