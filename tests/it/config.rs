//! Configuration: defaults, file, environment, secrets and problems.

use std::fs;

use secrecy::ExposeSecret;

use rapport::config::{self, Problem};
use rapport::prompts::{Catalog, Key};

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn keys(problems: &[Problem]) -> Vec<Key> {
    problems.iter().map(|p| p.key).collect()
}

#[test]
fn no_file_means_embedded_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("empty.toml");
    fs::write(&file, "").unwrap();
    let loaded = config::load_from(Some(&file), env(&[])).expect("defaults are valid");
    assert_eq!(
        loaded.config.store.url.expose_secret(),
        "sqlite://data/rapport.db"
    );
    assert_eq!(loaded.config.defaults.time_zone, "UTC");
    assert_eq!(loaded.config.pairing.invite_ttl_hours, 48);
    assert!(!loaded.config.has_discord() && !loaded.config.has_matrix());
    assert!(loaded.warnings.is_empty());
}

#[test]
fn environment_overrides_the_file_and_numbers_may_be_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.toml");
    fs::write(
        &file,
        "[defaults]\ntime_zone = \"Europe/Berlin\"\n[pairing]\ninvite_ttl_hours = 12\n",
    )
    .unwrap();
    let loaded = config::load_from(
        Some(&file),
        env(&[
            ("RAPPORT_DEFAULTS__TIME_ZONE", "America/New_York"),
            ("RAPPORT_PAIRING__INVITE_TTL_HOURS", "24"),
            ("RAPPORT_DISCORD__TOKEN", "0123456789"),
        ]),
    )
    .expect("valid");
    assert_eq!(loaded.config.defaults.time_zone, "America/New_York");
    assert_eq!(loaded.config.pairing.invite_ttl_hours, 24);
    let discord = loaded.config.discord.as_ref().unwrap();
    assert_eq!(
        discord.token.as_ref().unwrap().expose_secret(),
        "0123456789"
    );
    assert!(loaded.config.has_discord());
}

#[test]
fn secrets_never_print_and_can_come_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("token");
    fs::write(&secret_file, "file-token-value\n").unwrap();
    let file = dir.path().join("rapport.toml");
    fs::write(
        &file,
        format!(
            "[discord]\ntoken_file = {:?}\n",
            secret_file.display().to_string()
        ),
    )
    .unwrap();
    let loaded = config::load_from(Some(&file), env(&[])).expect("valid");
    let token = loaded
        .config
        .discord
        .as_ref()
        .unwrap()
        .token
        .as_ref()
        .unwrap();
    assert_eq!(token.expose_secret(), "file-token-value");
    let debug = format!("{:?}", loaded.config);
    assert!(!debug.contains("file-token-value"), "{debug}");
    assert!(
        !debug.contains("rapport.db"),
        "the store URL may hold a password: {debug}"
    );
}

#[test]
fn a_secret_written_in_the_file_works_but_warns() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.toml");
    fs::write(&file, "[discord]\ntoken = \"inline\"\n").unwrap();
    let loaded = config::load_from(Some(&file), env(&[])).expect("valid");
    assert_eq!(keys(&loaded.warnings), [Key::ConfigSecretInFile]);
    let text = loaded.warnings[0].render(&Catalog::embedded().unwrap());
    assert!(
        text.contains("RAPPORT_DISCORD__TOKEN") && !text.contains("inline"),
        "{text}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.toml");
    fs::write(
        &file,
        r#"
[store]
url = "mysql://user:hunter2@db/rapport"
[defaults]
time_zone = "Mars/Olympus"
locale = "tlh"
[pairing]
invite_ttl_hours = 0
[discord]
token_file = "/nonexistent/token"
[matrix]
homeserver = "matrix.example.org"
user_id = "rapport"
"#,
    )
    .unwrap();
    let problems = config::load_from(Some(&file), env(&[])).unwrap_err();
    assert_eq!(
        keys(&problems),
        [
            Key::ConfigSecretFileUnreadable,
            Key::ConfigBadStoreUrl,
            Key::ConfigBadZone,
            Key::ConfigBadLocale,
            Key::ConfigBadInviteTtl,
            Key::ConfigBadHomeserver,
            Key::ConfigBadMatrixUser,
            Key::ConfigMissingSecret,
        ]
    );
    let catalog = Catalog::embedded().unwrap();
    for problem in &problems {
        let text = problem.render(&catalog);
        assert!(!text.contains('{'), "unfilled placeholder: {text}");
        assert!(!text.contains("hunter2"), "password leaked: {text}");
    }
}

#[test]
fn check_in_hours_and_the_model_endpoint_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.toml");
    fs::write(
        &file,
        r#"
[checkins]
round_hours = 200
nudge_after_hours = 0
catch_up_grace_hours = 30
[reword_model]
enabled = true
url = "https://model.example.com/v1/chat/completions"
model = ""
timeout_ms = 5
"#,
    )
    .unwrap();
    let problems = config::load_from(Some(&file), env(&[])).unwrap_err();
    assert_eq!(
        keys(&problems),
        [
            Key::ConfigBadRoundHours,
            Key::ConfigBadNudgeHours,
            Key::ConfigBadGraceHours,
            Key::ConfigBadModelUrl,
            Key::ConfigBadModelSettings,
        ]
    );
    // A nudge no earlier than the round's end is refused too.
    let late_nudge = env(&[
        ("RAPPORT_CHECKINS__ROUND_HOURS", "12"),
        ("RAPPORT_CHECKINS__NUDGE_AFTER_HOURS", "12"),
    ]);
    let problems = config::load_from(None, late_nudge).unwrap_err();
    assert_eq!(keys(&problems), [Key::ConfigBadNudgeHours]);
    // A disabled model is not checked at all.
    let off = env(&[("RAPPORT_REWORD_MODEL__URL", "ftp://nowhere")]);
    assert!(config::load_from(None, off).is_ok());
}

#[test]
fn unknown_keys_and_broken_toml_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.toml");
    fs::write(&file, "[store]\nurll = \"sqlite://x.db\"\n").unwrap();
    let problems = config::load_from(Some(&file), env(&[])).unwrap_err();
    assert_eq!(keys(&problems), [Key::ConfigSyntax]);
    assert!(
        problems[0]
            .render(&Catalog::embedded().unwrap())
            .contains("urll")
    );

    fs::write(&file, "[store\n").unwrap();
    let problems = config::load_from(Some(&file), env(&[])).unwrap_err();
    assert_eq!(keys(&problems), [Key::ConfigSyntax]);

    let missing = dir.path().join("missing.toml");
    let problems = config::load_from(Some(&missing), env(&[])).unwrap_err();
    assert_eq!(keys(&problems), [Key::ConfigUnreadable]);

    fs::write(&file, "").unwrap();
    let problems =
        config::load_from(Some(&file), env(&[("RAPPORT_STORE__NOPE", "1")])).unwrap_err();
    assert_eq!(keys(&problems), [Key::ConfigSyntax]);
    assert!(
        problems[0]
            .render(&Catalog::embedded().unwrap())
            .contains("nope")
    );
}

#[test]
fn the_example_config_is_valid_as_shipped() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let loaded = config::load_from(Some(&example), env(&[])).expect("config.example.toml is valid");
    assert!(loaded.warnings.is_empty());
    assert!(!loaded.config.has_discord() && !loaded.config.has_matrix());
}

#[test]
fn the_discord_api_base_and_request_rate_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.toml");
    fs::write(
        &file,
        "[discord]\napi_base = \"127.0.0.1:8787\"\nrequests_per_second = 60\n",
    )
    .unwrap();
    let problems =
        config::load_from(Some(&file), env(&[("RAPPORT_DISCORD__TOKEN", "t")])).unwrap_err();
    assert_eq!(
        keys(&problems),
        [Key::ConfigBadDiscordApi, Key::ConfigBadDiscordRate]
    );

    fs::write(&file, "[discord]\napi_base = \"http://127.0.0.1:8787\"\n").unwrap();
    let loaded = config::load_from(Some(&file), env(&[("RAPPORT_DISCORD__TOKEN", "t")])).unwrap();
    let discord = loaded.config.discord.unwrap();
    assert_eq!(discord.api_base.as_deref(), Some("http://127.0.0.1:8787"));
    assert_eq!(
        discord.requests_per_second, 48,
        "under Discord's 50 by default"
    );
    assert!(!discord.read_messages, "messages are not read unless asked");
}

/// A `[matrix]` section that is valid apart from what a test adds.
const MATRIX: &str =
    "[matrix]\nhomeserver = \"https://matrix.example.org\"\nuser_id = \"@rapport:example.org\"\n";

#[test]
fn the_matrix_store_passphrase_comes_from_a_file_or_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("passphrase");
    // Only the line end goes: spaces inside (and around) are the passphrase's.
    fs::write(&secret_file, " correct horse battery \n").unwrap();
    let file = dir.path().join("rapport.toml");
    fs::write(
        &file,
        format!(
            "{MATRIX}store_passphrase_file = {:?}\n",
            secret_file.display().to_string()
        ),
    )
    .unwrap();
    let password = ("RAPPORT_MATRIX__PASSWORD", "pw");
    let loaded = config::load_from(Some(&file), env(&[password])).expect("valid");
    let matrix = loaded.config.matrix.as_ref().unwrap();
    assert_eq!(
        matrix.store_passphrase.as_ref().unwrap().expose_secret(),
        " correct horse battery "
    );
    let debug = format!("{:?}", loaded.config);
    assert!(!debug.contains("horse"), "{debug}");
    assert!(loaded.warnings.is_empty());

    // The environment wins over the file, as for every secret.
    let loaded = config::load_from(
        Some(&file),
        env(&[
            password,
            ("RAPPORT_MATRIX__STORE_PASSPHRASE", "from-the-env"),
        ]),
    )
    .expect("valid");
    let matrix = loaded.config.matrix.as_ref().unwrap();
    assert_eq!(
        matrix.store_passphrase.as_ref().unwrap().expose_secret(),
        "from-the-env"
    );

    // Unset: the store is not encrypted.
    fs::write(&file, MATRIX).unwrap();
    let loaded = config::load_from(Some(&file), env(&[password])).expect("valid");
    assert!(loaded.config.matrix.unwrap().store_passphrase.is_none());

    // Written into the config file: works, but warns by key.
    fs::write(
        &file,
        format!("{MATRIX}store_passphrase = \"inline-pass\"\n"),
    )
    .unwrap();
    let loaded = config::load_from(Some(&file), env(&[password])).expect("valid");
    assert_eq!(keys(&loaded.warnings), [Key::ConfigSecretInFile]);
    let text = loaded.warnings[0].render(&Catalog::embedded().unwrap());
    assert!(
        text.contains("RAPPORT_MATRIX__STORE_PASSPHRASE") && !text.contains("inline-pass"),
        "{text}"
    );
}

#[test]
fn check_config_names_an_unreadable_passphrase_file_without_its_contents() {
    let dir = tempfile::tempdir().unwrap();
    // Unreadable as text even to root: not UTF-8, around words that must not leak.
    let secret_file = dir.path().join("passphrase");
    fs::write(&secret_file, b"leaky-passphrase-words\xff\xfe\n").unwrap();
    let config_text = format!(
        "{MATRIX}store_passphrase_file = {:?}\n",
        secret_file.display().to_string()
    );
    let file = dir.path().join("rapport.toml");
    fs::write(&file, &config_text).unwrap();
    let password = ("RAPPORT_MATRIX__PASSWORD", "pw");
    let problems = config::load_from(Some(&file), env(&[password])).unwrap_err();
    assert_eq!(keys(&problems), [Key::ConfigSecretFileUnreadable]);
    let text = problems[0].render(&Catalog::embedded().unwrap());
    assert!(text.contains("matrix.store_passphrase"), "{text}");
    assert!(!text.contains("leaky"), "{text}");

    // The same through the binary, as the admin runs it.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("check-config")
        .current_dir(dir.path())
        .env_clear()
        .env(password.0, password.1)
        .output()
        .expect("rapport runs");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("matrix.store_passphrase_file"), "{all}");
    assert!(!all.contains("leaky"), "the contents leaked: {all}");
}
