//! Logging setup: one tracing subscriber writing to stderr, pretty or JSON.
//! Logs never carry what people wrote or any secret; the engine logs command
//! families and ids only.
//!
//! The chat libraries log whole events and gateway payloads (people's
//! messages) at their debug and trace levels, so however verbose the
//! admin's filter, those crates are held at `info`.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::{Directive, LevelFilter};

use crate::config::LogFormat;

/// Crates whose debug and trace output can quote a message.
const CHATTY: &[&str] = &[
    "matrix_sdk",
    "matrix_sdk_base",
    "matrix_sdk_crypto",
    "matrix_sdk_sqlite",
    "matrix_sdk_common",
    "ruma",
    "ruma_common",
    "ruma_events",
    "serenity",
    "poise",
    "tungstenite",
    "tokio_tungstenite",
    "hyper",
    "hyper_util",
    "reqwest",
    "h2",
];

/// Lines matrix-sdk writes on healthy runs, held back unless the admin's
/// filter names the target itself: a warning for each batch of room keys
/// when no key backup is set up (rapport sets none up), an error for each
/// 404 of optional account data it asks for, and, on a first start, that
/// our own device "might have been deleted" when a key query answers before
/// its keys are uploaded. rapport logs its own failures with their context,
/// so a real problem still shows.
const HARMLESS: &[(&str, LevelFilter)] = &[
    ("matrix_sdk_crypto::backups", LevelFilter::ERROR),
    ("matrix_sdk_crypto::identities::manager", LevelFilter::ERROR),
    ("matrix_sdk::http_client", LevelFilter::OFF),
];

/// Installs the global subscriber. A bad filter falls back to `info` rather
/// than leaving the admin without logs.
pub fn init(filter: &str, format: LogFormat) {
    let builder = tracing_subscriber::fmt()
        .with_env_filter(private_filter(filter))
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    // A second init (tests, embedding) keeps the first subscriber.
    let _ = match format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// The admin's filter with the chat libraries capped at `info` and their
/// known-harmless lines held back.
pub fn private_filter(admins: &str) -> EnvFilter {
    let mut filter = match crate::config::readable_log_filter(admins) {
        true => EnvFilter::try_new(admins).unwrap_or_else(|_| EnvFilter::new("info")),
        false => EnvFilter::new("info"),
    };
    let caps = CHATTY.iter().map(|name| (*name, LevelFilter::INFO));
    let quiet = HARMLESS
        .iter()
        .copied()
        .filter(|(target, _)| !admins.contains(target));
    for (target, level) in caps.chain(quiet) {
        if let Ok(directive) = format!("{target}={level}").parse::<Directive>() {
            filter = filter.add_directive(directive);
        }
    }
    filter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_beyond_ascii_falls_back_to_info_without_a_panic() {
        let filter = private_filter("\tLꨅ=VKC");
        assert_eq!(filter.max_level_hint(), Some(LevelFilter::INFO));
    }

    #[test]
    fn chat_libraries_stay_at_info_however_verbose_the_filter() {
        let shown = private_filter("trace").to_string();
        for name in CHATTY {
            assert!(shown.contains(&format!("{name}=info")), "{shown}");
        }
        assert!(
            shown.contains("trace"),
            "our own crate keeps the admin's level"
        );
    }

    #[test]
    fn known_harmless_library_lines_are_held_back_unless_asked_for() {
        let shown = private_filter("info").to_string();
        assert!(
            shown.contains("matrix_sdk_crypto::backups=error"),
            "{shown}"
        );
        assert!(shown.contains("matrix_sdk::http_client=off"), "{shown}");
        let asked = private_filter("info,matrix_sdk::http_client=warn").to_string();
        assert!(asked.contains("matrix_sdk::http_client=warn"), "{asked}");
        assert!(!asked.contains("matrix_sdk::http_client=off"), "{asked}");
    }
}
