//! Configuration: typed, loaded once at start, failing early and clearly.
//!
//! Layers, later wins: built-in defaults, the TOML file (`--config`,
//! `RAPPORT_CONFIG`, or `./rapport.toml` when present), then environment
//! variables `RAPPORT_<SECTION>__<KEY>` (e.g. `RAPPORT_DISCORD__TOKEN`).
//! Secrets may also come from a file named by `<key>_file`. Secrets are
//! [`SecretString`]s: their `Debug` prints `[REDACTED]` and nothing logs them.
//! Every problem is collected as a [`Problem`] whose words live in `prompts/`,
//! naming its setting and where it was written (line and column, or the
//! variable), never a value read as TOML or a secret.
//!
//! Files: `load` (file, TOML, environment, in order), `schema` (every
//! unknown section or key and every wrong type, from the types below),
//! `validate` (values), `secrets`, `problem`, `redact` (URLs without
//! userinfo) and `check` (what `check-config` tries: the store).

pub mod check;
mod env;
mod load;
mod problem;
pub mod redact;
mod schema;
mod secrets;
mod shards;
mod validate;

use std::path::PathBuf;

use chrono_tz::Tz;
use secrecy::SecretString;
use serde::Deserialize;

use env::{lenient, lenient_option};
pub use load::{DEFAULT_PATH, Loaded, chosen_file, load, load_from};
pub use problem::{Origin, Problem};
pub use shards::ShardRange;
pub use validate::readable_log_filter;

/// The whole configuration.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub store: StoreConfig,
    pub defaults: Defaults,
    pub pairing: PairingConfig,
    pub checkins: CheckinsConfig,
    pub crisis: CrisisConfig,
    pub reword_model: RewordModelConfig,
    pub prompts: PromptsConfig,
    pub log: LogConfig,
    pub backups: BackupsConfig,
    pub http: HttpConfig,
    /// Present when the admin wants rapport on Discord.
    pub discord: Option<DiscordConfig>,
    /// Present when the admin wants rapport on Matrix.
    pub matrix: Option<MatrixConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreConfig {
    /// `sqlite://path` or `postgres://…`; secret because it may hold a password.
    pub url: SecretString,
    /// A file holding the URL, read when `url` is set neither in the file
    /// nor in the environment.
    pub url_file: Option<PathBuf>,
    /// Seconds a process's claim on a message to send lasts: after a
    /// crash, another process on the database sends it once this ran out.
    #[serde(deserialize_with = "lenient")]
    pub claim_seconds: u32,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            url: SecretString::from("sqlite://data/rapport.db"),
            url_file: None,
            claim_seconds: 120,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Defaults {
    /// IANA zone for people and couples who have not chosen one.
    pub time_zone: String,
    /// Locale of the prompts.
    pub locale: String,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            time_zone: "UTC".to_owned(),
            locale: "en".to_owned(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PairingConfig {
    #[serde(deserialize_with = "lenient")]
    pub invite_ttl_hours: u32,
    /// Named invites one person may send in a day: each is a private
    /// message to someone who did not ask for it.
    #[serde(deserialize_with = "lenient")]
    pub invites_per_day: u32,
}

impl Default for PairingConfig {
    fn default() -> Self {
        PairingConfig {
            invite_ttl_hours: 48,
            invites_per_day: 5,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckinsConfig {
    /// How long a round stays open for answers.
    #[serde(deserialize_with = "lenient")]
    pub round_hours: u32,
    /// When a partner who has not answered gets one gentle reminder.
    #[serde(deserialize_with = "lenient")]
    pub nudge_after_hours: u32,
    /// How late a check-in missed during downtime may still go out (and only
    /// on the same local day).
    #[serde(deserialize_with = "lenient")]
    pub catch_up_grace_hours: u32,
}

impl Default for CheckinsConfig {
    fn default() -> Self {
        CheckinsConfig {
            round_hours: 24,
            nudge_after_hours: 6,
            catch_up_grace_hours: 24,
        }
    }
}

/// The operators' HTTP endpoint: health, readiness and metrics.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// Where to listen, such as `127.0.0.1:9184`; off when unset.
    pub listen: Option<String>,
}

/// The copies of the SQLite store rapport makes itself.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackupsConfig {
    /// Days a safety copy made before an upgrade is kept after that
    /// upgrade; they hold words people may have deleted since.
    pub keep_days: u32,
}

impl Default for BackupsConfig {
    fn default() -> Self {
        BackupsConfig { keep_days: 7 }
    }
}

/// Help shown instead of a rewrite when words suggest self-harm or violence.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CrisisConfig {
    /// One line each, for the admin's region (hotlines, services). Empty:
    /// the general advice from the prompts.
    pub resources: Vec<String>,
}

/// An optional OpenAI-compatible chat endpoint (a local Ollama or
/// llama.cpp server) for the wording of suggestions. Off by default; the
/// rule engine is always the fallback.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RewordModelConfig {
    #[serde(deserialize_with = "lenient")]
    pub enabled: bool,
    /// The chat-completions URL, e.g. `http://127.0.0.1:11434/v1/chat/completions`.
    pub url: String,
    pub model: String,
    #[serde(deserialize_with = "lenient")]
    pub timeout_ms: u64,
    pub api_key: Option<SecretString>,
    pub api_key_file: Option<PathBuf>,
}

impl Default for RewordModelConfig {
    fn default() -> Self {
        RewordModelConfig {
            enabled: false,
            url: "http://127.0.0.1:11434/v1/chat/completions".to_owned(),
            model: "llama3.2".to_owned(),
            timeout_ms: 4000,
            api_key: None,
            api_key_file: None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PromptsConfig {
    /// Folder with `<locale>/*.toml` files that replace or add texts.
    pub dir: PathBuf,
}

impl Default for PromptsConfig {
    fn default() -> Self {
        PromptsConfig {
            dir: PathBuf::from("prompts"),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Pretty,
    Json,
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// A tracing filter such as `info` or `rapport=debug,sqlx=warn`.
    pub filter: String,
    pub format: LogFormat,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            filter: "info".to_owned(),
            format: LogFormat::Pretty,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiscordConfig {
    pub token: Option<SecretString>,
    pub token_file: Option<PathBuf>,
    /// Register the slash commands in this server only (they appear at
    /// once; handy while trying rapport out). Unset: globally.
    #[serde(deserialize_with = "lenient_option")]
    pub guild_id: Option<u64>,
    /// Requests per second the bot allows itself; Discord allows 50.
    #[serde(deserialize_with = "lenient")]
    pub requests_per_second: u32,
    /// Read messages in couples' channels for the coach's opt-in nudges
    /// (needs the privileged Message Content intent).
    #[serde(deserialize_with = "lenient")]
    pub read_messages: bool,
    /// Another Discord API to talk to, e.g. a local fake for testing.
    /// Unset: discord.com.
    pub api_base: Option<String>,
    /// The gateway shards this process runs, as `"0-1/4"` (see
    /// [`ShardRange`]). Unset: all of them.
    pub shards: Option<String>,
    /// The length of Discord's rate window, for `requests_per_second`:
    /// always 1000 for discord.com; a test's fake Discord may keep a
    /// shorter one so a test need not wait minutes.
    #[serde(deserialize_with = "lenient")]
    pub rate_window_ms: u32,
}

impl DiscordConfig {
    /// The configured shards; `None` when unset (or invalid, which
    /// `check-config` and start-up report).
    pub fn shard_range(&self) -> Option<ShardRange> {
        self.shards.as_deref().and_then(|text| text.parse().ok())
    }
}

impl Default for DiscordConfig {
    fn default() -> Self {
        DiscordConfig {
            token: None,
            token_file: None,
            guild_id: None,
            // A little under Discord's 50, so timing jitter never trips it.
            requests_per_second: 48,
            read_messages: false,
            api_base: None,
            shards: None,
            rate_window_ms: 1000,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatrixConfig {
    /// e.g. `https://matrix.example.org`
    pub homeserver: String,
    /// e.g. `@rapport:example.org`
    pub user_id: String,
    pub password: Option<SecretString>,
    pub password_file: Option<PathBuf>,
    pub access_token: Option<SecretString>,
    pub access_token_file: Option<PathBuf>,
    /// Where the session and the end-to-end encryption keys are kept.
    pub store_dir: PathBuf,
    /// Encrypts a new Matrix store (`RAPPORT_MATRIX__STORE_PASSPHRASE`, or
    /// a file named by `store_passphrase_file`). Unset: not encrypted.
    pub store_passphrase: Option<SecretString>,
    pub store_passphrase_file: Option<PathBuf>,
    /// What starts a command in a shared room (direct rooms need none).
    pub command_prefix: String,
    /// Whose invites the bot accepts: user ids (`@ana:example.org`) or
    /// servers (`:example.org`). Empty: anyone on the bot's own server.
    pub allowed: Vec<String>,
    /// How old a command sent while rapport was down may be and still be
    /// answered after a restart; an older one gets a short note instead.
    pub catch_up_minutes: u32,
}

impl Default for MatrixConfig {
    fn default() -> Self {
        MatrixConfig {
            homeserver: String::new(),
            user_id: String::new(),
            password: None,
            password_file: None,
            access_token: None,
            access_token_file: None,
            store_dir: PathBuf::from("data/matrix"),
            store_passphrase: None,
            store_passphrase_file: None,
            command_prefix: "!rapport".to_owned(),
            allowed: Vec::new(),
            catch_up_minutes: 10,
        }
    }
}

impl Config {
    /// The default zone, if the configured one is valid.
    pub fn default_zone(&self) -> Option<Tz> {
        self.defaults.time_zone.parse().ok()
    }

    /// Whether a chat platform has credentials.
    pub fn has_discord(&self) -> bool {
        self.discord.as_ref().is_some_and(|d| d.token.is_some())
    }

    pub fn has_matrix(&self) -> bool {
        self.matrix
            .as_ref()
            .is_some_and(|m| m.password.is_some() || m.access_token.is_some())
    }
}
