//! Checks of a parsed configuration's values. Every check runs, so
//! `check-config` lists all problems at once instead of one per attempt; each
//! names its setting, and URLs are shown without their userinfo.

use secrecy::ExposeSecret;
use tracing_subscriber::EnvFilter;

use super::secrets::env_name;
use super::{Config, Problem, redact};
use crate::prompts::{Catalog, Key, PromptError};
use crate::store::Backend;

/// Every semantic problem of a parsed configuration, each about its setting.
pub fn problems(config: &Config) -> Vec<Problem> {
    let mut problems = Vec::new();
    basics(config, &mut problems);
    checkins(config, &mut problems);
    reword_model(config, &mut problems);
    discord(config, &mut problems);
    matrix(config, &mut problems);
    log_filter(config, &mut problems);
    http(config, &mut problems);
    claims(config, &mut problems);
    problems
}

/// A claim must outlast a batch sent at Discord's pace, and not keep a
/// crashed process's messages waiting for hours.
fn claims(config: &Config, problems: &mut Vec<Problem>) {
    let seconds = config.store.claim_seconds;
    if !(5..=3600).contains(&seconds) {
        problems.push(
            Problem::new(
                Key::ConfigBadClaimSeconds,
                &[("value", &seconds.to_string())],
            )
            .about("store.claim_seconds"),
        );
    }
}

/// `http.listen` must be an address and port to bind, such as 127.0.0.1:9184.
fn http(config: &Config, problems: &mut Vec<Problem>) {
    let Some(listen) = &config.http.listen else {
        return;
    };
    if listen.parse::<std::net::SocketAddr>().is_err() {
        problems
            .push(Problem::new(Key::ConfigBadListen, &[("value", listen)]).about("http.listen"));
    }
}

/// The store, the defaults and pairing.
fn basics(config: &Config, problems: &mut Vec<Problem>) {
    let url = config.store.url.expose_secret();
    if Backend::from_url(url).is_none() {
        // Only the scheme is shown: the rest may hold a password.
        let scheme = url.split(':').next().unwrap_or_default();
        problems
            .push(Problem::new(Key::ConfigBadStoreUrl, &[("scheme", scheme)]).about("store.url"));
    }
    if config.default_zone().is_none() {
        problems.push(
            Problem::new(Key::ConfigBadZone, &[("zone", &config.defaults.time_zone)])
                .about("defaults.time_zone"),
        );
    }
    if let Err(error) = Catalog::load(&config.defaults.locale, Some(&config.prompts.dir)) {
        let (key, setting) = match error {
            PromptError::UnknownLocale { .. } => (Key::ConfigBadLocale, "defaults.locale"),
            _ => (Key::ConfigPrompts, "prompts.dir"),
        };
        problems.push(
            Problem::new(
                key,
                &[
                    ("locale", &config.defaults.locale),
                    ("reason", &error.to_string()),
                ],
            )
            .about(setting),
        );
    }
    let ttl = config.pairing.invite_ttl_hours;
    if !(1..=720).contains(&ttl) {
        problems.push(
            Problem::new(Key::ConfigBadInviteTtl, &[("value", &ttl.to_string())])
                .about("pairing.invite_ttl_hours"),
        );
    }
    let per_day = config.pairing.invites_per_day;
    if !(1..=100).contains(&per_day) {
        problems.push(
            Problem::new(
                Key::ConfigBadInvitesPerDay,
                &[("value", &per_day.to_string())],
            )
            .about("pairing.invites_per_day"),
        );
    }
}

fn checkins(config: &Config, problems: &mut Vec<Problem>) {
    let checkins = &config.checkins;
    if !(1..=168).contains(&checkins.round_hours) {
        let value = checkins.round_hours.to_string();
        problems.push(
            Problem::new(Key::ConfigBadRoundHours, &[("value", &value)])
                .about("checkins.round_hours"),
        );
    }
    if checkins.nudge_after_hours == 0 || checkins.nudge_after_hours >= checkins.round_hours {
        let value = checkins.nudge_after_hours.to_string();
        problems.push(
            Problem::new(Key::ConfigBadNudgeHours, &[("value", &value)])
                .about("checkins.nudge_after_hours"),
        );
    }
    if checkins.catch_up_grace_hours > 24 {
        let value = checkins.catch_up_grace_hours.to_string();
        problems.push(
            Problem::new(Key::ConfigBadGraceHours, &[("value", &value)])
                .about("checkins.catch_up_grace_hours"),
        );
    }
}

fn reword_model(config: &Config, problems: &mut Vec<Problem>) {
    let model = &config.reword_model;
    // Plain HTTP only: the model is meant to run on this machine or a
    // trusted network, so couples' words do not travel further.
    if model.enabled && !model.url.starts_with("http://") {
        problems.push(
            Problem::new(
                Key::ConfigBadModelUrl,
                &[("value", &redact::strip_userinfo(&model.url))],
            )
            .about("reword_model.url"),
        );
    }
    if model.enabled
        && (model.model.trim().is_empty() || !(100..=60_000).contains(&model.timeout_ms))
    {
        let value = model.timeout_ms.to_string();
        let setting = if model.model.trim().is_empty() {
            "reword_model.model"
        } else {
            "reword_model.timeout_ms"
        };
        problems
            .push(Problem::new(Key::ConfigBadModelSettings, &[("value", &value)]).about(setting));
    }
}

fn discord(config: &Config, problems: &mut Vec<Problem>) {
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
            let shown = redact::strip_userinfo(base);
            problems.push(
                Problem::new(Key::ConfigBadDiscordApi, &[("value", &shown)])
                    .about("discord.api_base"),
            );
        }
        if !(1..=50).contains(&discord.requests_per_second) {
            let value = discord.requests_per_second.to_string();
            problems.push(
                Problem::new(Key::ConfigBadDiscordRate, &[("value", &value)])
                    .about("discord.requests_per_second"),
            );
        }
        discord_shards_and_window(discord, problems);
    }
}

fn discord_shards_and_window(discord: &crate::config::DiscordConfig, problems: &mut Vec<Problem>) {
    if let Some(shards) = &discord.shards
        && discord.shard_range().is_none()
    {
        problems.push(
            Problem::new(Key::ConfigBadDiscordShards, &[("value", shards)]).about("discord.shards"),
        );
    }
    let window = discord.rate_window_ms;
    let shortened = window != 1000 && discord.api_base.is_none();
    if !(10..=1000).contains(&window) || shortened {
        problems.push(
            Problem::new(
                Key::ConfigBadDiscordWindow,
                &[("value", &window.to_string())],
            )
            .about("discord.rate_window_ms"),
        );
    }
}

fn matrix(config: &Config, problems: &mut Vec<Problem>) {
    if let Some(matrix) = &config.matrix {
        if !(matrix.homeserver.starts_with("http://") || matrix.homeserver.starts_with("https://"))
        {
            problems.push(
                Problem::new(
                    Key::ConfigBadHomeserver,
                    &[("value", &redact::strip_userinfo(&matrix.homeserver))],
                )
                .about("matrix.homeserver"),
            );
        }
        if !is_matrix_user_id(&matrix.user_id) {
            problems.push(
                Problem::new(Key::ConfigBadMatrixUser, &[("value", &matrix.user_id)])
                    .about("matrix.user_id"),
            );
        }
        let named_file = matrix.password_file.is_some() || matrix.access_token_file.is_some();
        if matrix.password.is_none() && matrix.access_token.is_none() && !named_file {
            problems.push(missing_secret("matrix", "password"));
        }
    }
}

/// A log filter tracing cannot read, reported by its first unreadable part
/// (at start, rapport would quietly fall back to `info`).
fn log_filter(config: &Config, problems: &mut Vec<Problem>) {
    let filter = &config.log.filter;
    if readable_log_filter(filter) {
        return;
    }
    let part = filter
        .split(',')
        .map(str::trim)
        .find(|part| !part.is_empty() && !readable_log_filter(part))
        .unwrap_or(filter);
    problems.push(Problem::new(Key::ConfigBadLogFilter, &[("part", part)]).about("log.filter"));
}

/// Whether tracing can read `text` as a filter. Its parser slices by byte
/// and panics inside a character that is not ASCII (found by the soak's
/// fuzzer), and no target or level needs one, so such text is refused
/// before it is parsed.
pub fn readable_log_filter(text: &str) -> bool {
    text.is_ascii() && EnvFilter::builder().parse(text).is_ok()
}

fn missing_secret(section: &str, key: &str) -> Problem {
    Problem::new(
        Key::ConfigMissingSecret,
        &[
            ("key", &format!("{section}.{key}")),
            ("env", &env_name(section, key)),
        ],
    )
    .about(format!("{section}.{key}"))
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
