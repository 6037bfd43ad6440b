//! Checks of a parsed configuration. Every check runs, so `check-config`
//! lists all problems at once instead of one per attempt.

use std::path::Path;

use secrecy::{ExposeSecret, SecretString};

use super::{Config, Problem};
use crate::prompts::{Catalog, Key, PromptError};
use crate::store::Backend;

/// The secrets rapport knows, as (section, key).
const SECRETS: &[(&str, &str)] = &[
    ("discord", "token"),
    ("matrix", "password"),
    ("matrix", "access_token"),
    ("matrix", "store_passphrase"),
    ("reword_model", "api_key"),
];

/// The environment variable that sets `section.key`.
fn env_name(section: &str, key: &str) -> String {
    format!("RAPPORT_{}__{}", section.to_uppercase(), key.to_uppercase())
}

/// Warns about secrets written into the config file itself.
pub fn inline_secrets(table: &toml::Table) -> Vec<Problem> {
    SECRETS
        .iter()
        .filter(|(section, key)| table.get(*section).and_then(|s| s.get(*key)).is_some())
        .map(|(section, key)| {
            Problem::new(
                Key::ConfigSecretInFile,
                &[
                    ("key", &format!("{section}.{key}")),
                    ("env", &env_name(section, key)),
                ],
            )
        })
        .collect()
}

/// Reads `<key>_file` secrets where the secret itself is not set.
pub fn resolve_secret_files(config: &mut Config) -> Vec<Problem> {
    let mut problems = Vec::new();
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
        Err(error) => problems.push(Problem::new(
            Key::ConfigSecretFileUnreadable,
            &[
                ("key", key),
                ("path", &file.display().to_string()),
                ("reason", &error.to_string()),
            ],
        )),
    }
}

/// Every semantic problem of a parsed configuration.
pub fn problems(config: &Config) -> Vec<Problem> {
    let mut problems = Vec::new();
    let url = config.store.url.expose_secret();
    if Backend::from_url(url).is_none() {
        // Only the scheme is shown: the rest may hold a password.
        let scheme = url.split(':').next().unwrap_or_default();
        problems.push(Problem::new(Key::ConfigBadStoreUrl, &[("scheme", scheme)]));
    }
    if config.default_zone().is_none() {
        problems.push(Problem::new(
            Key::ConfigBadZone,
            &[("zone", &config.defaults.time_zone)],
        ));
    }
    if let Err(error) = Catalog::load(&config.defaults.locale, Some(&config.prompts.dir)) {
        let key = match error {
            PromptError::UnknownLocale { .. } => Key::ConfigBadLocale,
            _ => Key::ConfigPrompts,
        };
        problems.push(Problem::new(
            key,
            &[
                ("locale", &config.defaults.locale),
                ("reason", &error.to_string()),
            ],
        ));
    }
    let ttl = config.pairing.invite_ttl_hours;
    if !(1..=720).contains(&ttl) {
        problems.push(Problem::new(
            Key::ConfigBadInviteTtl,
            &[("value", &ttl.to_string())],
        ));
    }
    let per_day = config.pairing.invites_per_day;
    if !(1..=100).contains(&per_day) {
        problems.push(Problem::new(
            Key::ConfigBadInvitesPerDay,
            &[("value", &per_day.to_string())],
        ));
    }
    let checkins = &config.checkins;
    if !(1..=168).contains(&checkins.round_hours) {
        let value = checkins.round_hours.to_string();
        problems.push(Problem::new(Key::ConfigBadRoundHours, &[("value", &value)]));
    }
    if checkins.nudge_after_hours == 0 || checkins.nudge_after_hours >= checkins.round_hours {
        let value = checkins.nudge_after_hours.to_string();
        problems.push(Problem::new(Key::ConfigBadNudgeHours, &[("value", &value)]));
    }
    if checkins.catch_up_grace_hours > 24 {
        let value = checkins.catch_up_grace_hours.to_string();
        problems.push(Problem::new(Key::ConfigBadGraceHours, &[("value", &value)]));
    }
    let model = &config.reword_model;
    // Plain HTTP only: the model is meant to run on this machine or a
    // trusted network, so couples' words do not travel further.
    if model.enabled && !model.url.starts_with("http://") {
        problems.push(Problem::new(
            Key::ConfigBadModelUrl,
            &[("value", &model.url)],
        ));
    }
    if model.enabled
        && (model.model.trim().is_empty() || !(100..=60_000).contains(&model.timeout_ms))
    {
        let value = model.timeout_ms.to_string();
        problems.push(Problem::new(
            Key::ConfigBadModelSettings,
            &[("value", &value)],
        ));
    }
    // A named but unreadable secret file is already reported; don't repeat it.
    if let Some(discord) = &config.discord
        && discord.token.is_none()
        && discord.token_file.is_none()
    {
        problems.push(missing_secret("discord", "token"));
    }
    if let Some(discord) = &config.discord {
        if let Some(base) = discord
            .api_base
            .as_ref()
            .filter(|b| !(b.starts_with("http://") || b.starts_with("https://")))
        {
            problems.push(Problem::new(Key::ConfigBadDiscordApi, &[("value", base)]));
        }
        if !(1..=50).contains(&discord.requests_per_second) {
            let value = discord.requests_per_second.to_string();
            problems.push(Problem::new(
                Key::ConfigBadDiscordRate,
                &[("value", &value)],
            ));
        }
    }
    if let Some(matrix) = &config.matrix {
        if !(matrix.homeserver.starts_with("http://") || matrix.homeserver.starts_with("https://"))
        {
            problems.push(Problem::new(
                Key::ConfigBadHomeserver,
                &[("value", &matrix.homeserver)],
            ));
        }
        if !is_matrix_user_id(&matrix.user_id) {
            problems.push(Problem::new(
                Key::ConfigBadMatrixUser,
                &[("value", &matrix.user_id)],
            ));
        }
        let named_file = matrix.password_file.is_some() || matrix.access_token_file.is_some();
        if matrix.password.is_none() && matrix.access_token.is_none() && !named_file {
            problems.push(missing_secret("matrix", "password"));
        }
    }
    problems
}

fn missing_secret(section: &str, key: &str) -> Problem {
    Problem::new(
        Key::ConfigMissingSecret,
        &[
            ("key", &format!("{section}.{key}")),
            ("env", &env_name(section, key)),
        ],
    )
}

/// `@localpart:server`, both parts non-empty.
fn is_matrix_user_id(text: &str) -> bool {
    text.strip_prefix('@')
        .and_then(|rest| rest.split_once(':'))
        .is_some_and(|(local, server)| !local.is_empty() && !server.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_user_ids() {
        assert!(is_matrix_user_id("@rapport:example.org"));
        assert!(!is_matrix_user_id("rapport:example.org"));
        assert!(!is_matrix_user_id("@rapport"));
        assert!(!is_matrix_user_id("@:example.org"));
    }
}
