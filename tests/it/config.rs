//! Configuration: defaults, file, environment, secrets and problems.

use std::fs;

use secrecy::ExposeSecret;

use rapport::config::{self, Origin, Problem, check};
use rapport::prompts::{Catalog, Key};
use rapport::store::{ConnectError, Store};

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
    assert_eq!(keys(&problems), [Key::ConfigUnknownKeyNear]);
    assert!(
        problems[0]
            .render(&Catalog::embedded().unwrap())
            .contains("urll")
    );

    fs::write(&file, "[store\n").unwrap();
    let problems = config::load_from(Some(&file), env(&[])).unwrap_err();
    assert_eq!(keys(&problems), [Key::ConfigTomlHeader]);

    let missing = dir.path().join("missing.toml");
    let problems = config::load_from(Some(&missing), env(&[])).unwrap_err();
    assert_eq!(keys(&problems), [Key::ConfigUnreadable]);

    fs::write(&file, "").unwrap();
    let problems =
        config::load_from(Some(&file), env(&[("RAPPORT_STORE__NOPE", "1")])).unwrap_err();
    assert_eq!(keys(&problems), [Key::ConfigUnknownKey]);
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

#[test]
fn shards_the_rate_window_and_the_claim_time_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.toml");
    let token = env(&[("RAPPORT_DISCORD__TOKEN", "t")]);
    fs::write(
        &file,
        "[store]\nclaim_seconds = 2\n[discord]\nshards = \"1-0/4\"\nrate_window_ms = 100\n",
    )
    .unwrap();
    let problems = config::load_from(Some(&file), token.clone()).unwrap_err();
    assert_eq!(
        keys(&problems),
        [
            Key::ConfigBadDiscordShards,
            Key::ConfigBadDiscordWindow,
            Key::ConfigBadClaimSeconds
        ],
        "a shorter window only for a fake Discord"
    );
    let shown = rendered(&problems);
    assert!(shown[0].contains("“1-0/4”"), "{shown:?}");

    fs::write(
        &file,
        "[discord]\nshards = \"2-3/4\"\napi_base = \"http://127.0.0.1:8787\"\nrate_window_ms = 100\n",
    )
    .unwrap();
    let loaded = config::load_from(Some(&file), token).unwrap();
    let discord = loaded.config.discord.unwrap();
    let range = discord.shard_range().expect("valid shards");
    assert_eq!((range.first, range.last, range.count), (2, 3, 4));
    assert_eq!(discord.rate_window_ms, 100);
    assert_eq!(
        loaded.config.store.claim_seconds, 120,
        "two minutes by default"
    );
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

/// Looks like a secret; must never appear in anything rapport says.
const MARKER: &str = "sk-live-7f3a9c2e1b";

fn rendered(problems: &[Problem]) -> Vec<String> {
    let catalog = Catalog::embedded().unwrap();
    problems.iter().map(|p| p.render(&catalog)).collect()
}

fn file_origin(line: usize, column: usize) -> Option<Origin> {
    Some(Origin::File { line, column })
}

#[test]
fn a_broken_toml_line_is_placed_by_line_and_column_and_never_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.toml");
    // The quotes forgotten around a token.
    fs::write(&file, format!("[discord]\ntoken = {MARKER}\n")).unwrap();
    let problems = config::load_from(Some(&file), env(&[])).unwrap_err();
    assert_eq!(keys(&problems), [Key::ConfigTomlQuotes]);
    assert_eq!(problems[0].origin, file_origin(2, 9));
    let text = &rendered(&problems)[0];
    assert!(text.starts_with("line 2, column 9: "), "{text}");
    assert!(
        !text.contains(MARKER) && !text.contains("token ="),
        "{text}"
    );

    fs::write(
        &file,
        format!("[discord]\ntoken = \"{MARKER}\"\ntoken = \"{MARKER}\"\n"),
    )
    .unwrap();
    let problems = config::load_from(Some(&file), env(&[])).unwrap_err();
    assert_eq!(keys(&problems), [Key::ConfigTomlDuplicate]);
    assert_eq!(problems[0].origin, file_origin(3, 1));
    assert!(!rendered(&problems)[0].contains(MARKER));
}

#[test]
fn a_secret_of_the_wrong_type_is_named_by_its_key_never_its_value() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.toml");
    fs::write(&file, "[discord]\ntoken = 987654321\n").unwrap();
    let problems = config::load_from(Some(&file), env(&[])).unwrap_err();
    // Only the type: not also "discord.token is not set".
    assert_eq!(keys(&problems), [Key::ConfigNotText]);
    assert_eq!(problems[0].setting.as_deref(), Some("discord.token"));
    let text = &rendered(&problems)[0];
    assert!(text.contains("discord.token"), "{text}");
    assert!(
        !text.contains("987654321") && !text.contains("integer"),
        "{text}"
    );
}

#[test]
fn every_structural_problem_is_listed_with_its_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.toml");
    fs::write(
        &file,
        r#"[checkins]
round_hour = 5
[log]
format = "xml"
[discord]
token_file = "/run/secrets/token"
guild_id = "abc"
[checkin]
[defaults]
time_zone = "Mars/Olympus"
"#,
    )
    .unwrap();
    let problems = config::load_from(Some(&file), env(&[])).unwrap_err();
    assert_eq!(
        keys(&problems),
        [
            Key::ConfigUnknownKeyNear,
            Key::ConfigNotOneOf,
            Key::ConfigNotANumber,
            Key::ConfigUnknownSectionNear,
            // The values are still checked, past the shape's problems.
            Key::ConfigSecretFileUnreadable,
            Key::ConfigBadZone,
        ]
    );
    let lines: Vec<_> = problems.iter().map(|p| p.origin.clone()).collect();
    assert_eq!(
        lines,
        [
            file_origin(2, 1),
            file_origin(4, 1),
            file_origin(7, 1),
            file_origin(8, 2),
            file_origin(6, 1),
            file_origin(10, 1),
        ]
    );
    let texts = rendered(&problems);
    assert!(
        texts[0].contains("did you mean checkins.round_hours?"),
        "{}",
        texts[0]
    );
    assert!(
        texts[1].contains("log.format must be one of: pretty, json"),
        "{}",
        texts[1]
    );
    assert!(!texts[1].contains("xml"), "{}", texts[1]);
    assert!(texts[2].contains("discord.guild_id"), "{}", texts[2]);
    assert!(texts[3].contains("[checkins]"), "{}", texts[3]);
    for text in &texts {
        assert!(!text.contains("invalid digit"), "{text}");
        assert!(!text.contains('{'), "unfilled placeholder: {text}");
    }
}

#[test]
fn an_unknown_section_far_from_any_lists_the_sections() {
    let problems =
        config::load_from(None, env(&[("RAPPORT_WEBHOOKS__URL", "http://x")])).unwrap_err();
    assert_eq!(keys(&problems), [Key::ConfigUnknownSection]);
    let text = &rendered(&problems)[0];
    assert!(
        text.starts_with("RAPPORT_WEBHOOKS__URL: [webhooks]"),
        "{text}"
    );
    assert!(
        text.contains("store, defaults, pairing, checkins"),
        "{text}"
    );
}

#[test]
fn problems_from_the_environment_name_the_variable() {
    let problems = config::load_from(
        None,
        env(&[
            ("RAPPORT_CHECKINS__ROUND_HOURS", "abc"),
            ("RAPPORT_DISCORD__TOKEN", MARKER),
            ("RAPPORT_DISCORD__GUILD_ID", "abc"),
            ("RAPPORT_LOG__FORMAT", "xml"),
        ]),
    )
    .unwrap_err();
    assert_eq!(
        keys(&problems),
        [
            Key::ConfigNotANumber,
            Key::ConfigNotANumber,
            Key::ConfigNotOneOf
        ]
    );
    let variables: Vec<_> = problems.iter().map(|p| p.origin.clone()).collect();
    assert_eq!(
        variables,
        [
            Some(Origin::Env("RAPPORT_CHECKINS__ROUND_HOURS".into())),
            Some(Origin::Env("RAPPORT_DISCORD__GUILD_ID".into())),
            Some(Origin::Env("RAPPORT_LOG__FORMAT".into())),
        ]
    );
    let texts = rendered(&problems);
    assert_eq!(
        texts[0],
        "RAPPORT_CHECKINS__ROUND_HOURS: checkins.round_hours must be a whole number (0 or more)"
    );
    assert!(texts[1].contains("discord.guild_id"), "{}", texts[1]);
    for text in &texts {
        assert!(
            !text.contains("invalid digit") && !text.contains(MARKER),
            "{text}"
        );
    }
}

#[test]
fn log_filters_tracing_cannot_read_are_problems() {
    // Text beyond ASCII once panicked tracing's parser (the soak's fuzzer).
    for (filter, part) in [
        ("info,,==", "=="),
        ("rapport=loud", "rapport=loud"),
        ("info,\tLꨅ=VKC", "Lꨅ=VKC"),
    ] {
        let problems =
            config::load_from(None, env(&[("RAPPORT_LOG__FILTER", filter)])).unwrap_err();
        assert_eq!(keys(&problems), [Key::ConfigBadLogFilter], "{filter}");
        let text = &rendered(&problems)[0];
        assert!(
            text.starts_with("RAPPORT_LOG__FILTER: log.filter"),
            "{text}"
        );
        assert!(text.contains(&format!("“{part}”")), "{text}");
    }
    for good in [
        "info",
        "rapport=debug,sqlx=warn",
        "warn,rapport::engine=trace",
    ] {
        assert!(
            config::load_from(None, env(&[("RAPPORT_LOG__FILTER", good)])).is_ok(),
            "{good}"
        );
    }
}

#[test]
fn urls_are_shown_without_their_userinfo() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.toml");
    fs::write(
        &file,
        format!(
            "[reword_model]\nenabled = true\nurl = \"https://ana:{MARKER}@model.example/v1\"\n\
             [discord]\ntoken_file = \"/dev/null\"\napi_base = \"ana:{MARKER}@discord.example\"\n\
             [matrix]\nhomeserver = \"ftp://ana:{MARKER}@matrix.example.org\"\n\
             user_id = \"@rapport:example.org\"\npassword_file = \"/dev/null\"\n"
        ),
    )
    .unwrap();
    let problems = config::load_from(Some(&file), env(&[])).unwrap_err();
    assert_eq!(
        keys(&problems),
        [
            Key::ConfigBadModelUrl,
            Key::ConfigBadDiscordApi,
            Key::ConfigBadHomeserver
        ]
    );
    let texts = rendered(&problems);
    assert!(
        texts[0].contains("“https://model.example/v1”"),
        "{}",
        texts[0]
    );
    assert!(
        texts[2].contains("“ftp://matrix.example.org”"),
        "{}",
        texts[2]
    );
    for text in &texts {
        assert!(!text.contains(MARKER) && !text.contains("ana"), "{text}");
    }
}

#[test]
fn a_password_in_the_store_url_warns_and_the_url_may_come_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.toml");
    let url = format!("postgres://rapport:{MARKER}@db.example/rapport");
    fs::write(&file, format!("\n[store]\nurl = \"{url}\"\n")).unwrap();
    let loaded = config::load_from(Some(&file), env(&[])).expect("valid");
    assert_eq!(keys(&loaded.warnings), [Key::ConfigStorePasswordInFile]);
    assert_eq!(loaded.warnings[0].origin, file_origin(3, 1));
    let text = &rendered(&loaded.warnings)[0];
    assert!(
        text.contains("RAPPORT_STORE__URL") && text.contains("store.url_file"),
        "{text}"
    );
    assert!(!text.contains(MARKER), "{text}");
    assert_eq!(loaded.file.as_deref(), Some(file.as_path()));

    // In the environment, or without a password, nothing to warn about.
    let loaded = config::load_from(None, env(&[("RAPPORT_STORE__URL", &url)])).unwrap();
    assert!(loaded.warnings.is_empty() && loaded.file.is_none());
    fs::write(&file, "[store]\nurl = \"postgres://rapport@db/rapport\"\n").unwrap();
    assert!(
        config::load_from(Some(&file), env(&[]))
            .unwrap()
            .warnings
            .is_empty()
    );

    // From a file named by store.url_file; the environment still wins.
    let secret = dir.path().join("store-url");
    fs::write(&secret, format!("{url}\n")).unwrap();
    fs::write(
        &file,
        format!("[store]\nurl_file = {:?}\n", secret.display().to_string()),
    )
    .unwrap();
    let loaded = config::load_from(Some(&file), env(&[])).unwrap();
    assert_eq!(loaded.config.store.url.expose_secret(), url);
    assert!(loaded.warnings.is_empty());
    let other = ("RAPPORT_STORE__URL", "sqlite://other.db");
    let loaded = config::load_from(Some(&file), env(&[other])).unwrap();
    assert_eq!(loaded.config.store.url.expose_secret(), "sqlite://other.db");
}

#[tokio::test]
async fn the_store_check_tries_the_sqlite_folder_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::embedded().unwrap();
    let with_url = |url: String| {
        config::load_from(None, env(&[("RAPPORT_STORE__URL", &url)]))
            .unwrap()
            .config
    };
    let fresh = dir.path().join("data/rapport.db");
    let found = check::store(&with_url(format!("sqlite://{}", fresh.display())))
        .await
        .expect("the folder can be made");
    assert_eq!(found.key, Key::AdminStoreSqliteNew);
    assert!(!dir.path().join("data").exists(), "nothing is created");
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing is left"
    );

    let existing = dir.path().join("rapport.db");
    fs::write(&existing, "").unwrap();
    let found = check::store(&with_url(format!("sqlite://{}", existing.display())))
        .await
        .unwrap();
    assert_eq!(found.key, Key::AdminStoreSqliteReady);

    // A file where a folder should be: not even root can write there.
    let blocked = dir.path().join("rapport.db/inner/x.db");
    let problem = check::store(&with_url(format!("sqlite://{}", blocked.display())))
        .await
        .unwrap_err();
    assert_eq!(problem.key, Key::ConfigStoreNotWritable);
    assert!(problem.render(&catalog).contains("x.db"));

    let found = check::store(&with_url("sqlite::memory:".into()))
        .await
        .unwrap();
    assert_eq!(found.key, Key::AdminStoreMemory);
}

#[tokio::test]
async fn an_unreachable_postgres_is_named_by_address_at_once() {
    let url = format!("postgres://rapport:{MARKER}@127.0.0.1:1/rapport");
    let config = config::load_from(None, env(&[("RAPPORT_STORE__URL", &url)]))
        .unwrap()
        .config;
    let started = std::time::Instant::now();
    let problem = check::store(&config).await.unwrap_err();
    assert_eq!(problem.key, Key::ConfigStoreRefused);
    let text = problem.render(&Catalog::embedded().unwrap());
    assert!(text.contains("connection refused to 127.0.0.1:1"), "{text}");
    assert!(
        !text.contains(MARKER) && !text.contains("rapport:"),
        "{text}"
    );

    // Starting for real fails as fast, with the same plain error.
    let error = Store::connect(&url).await.unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let connect = error
        .chain()
        .find_map(|cause| cause.downcast_ref::<ConnectError>())
        .expect("a connect error");
    assert!(
        matches!(connect, ConnectError::Refused { address } if address == "127.0.0.1:1"),
        "{connect:?}"
    );
    assert!(!format!("{error:#} {error:?}").contains(MARKER));
}

#[tokio::test]
async fn a_reachable_postgres_passes_the_store_check() {
    let url = std::env::var("RAPPORT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let config = config::load_from(None, env(&[("RAPPORT_STORE__URL", &url)]))
        .unwrap()
        .config;
    match check::store(&config).await {
        Ok(found) => assert_eq!(found.key, Key::AdminStorePostgresReady),
        Err(problem) if !crate::helpers::in_ci() => {
            eprintln!("SKIPPED: PostgreSQL is not reachable ({problem:?})");
        }
        Err(problem) => panic!("PostgreSQL is required under CI: {problem:?}"),
    }
}
