//! The `rapport` binary as an admin meets it: check-config, run without any
//! platform, and the console on a SQLite file.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use rapport::prompts::{Catalog, Key};

fn rapport(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rapport starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().expect("rapport ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_config_lists_every_problem_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rapport.toml"),
        "[defaults]\ntime_zone = \"Nowhere\"\n[pairing]\ninvite_ttl_hours = 9999\n",
    )
    .unwrap();
    let out = rapport(
        dir.path(),
        &["check-config"],
        &[("RAPPORT_DISCORD__TOKEN_FILE", "/no/such/file")],
        "",
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Nowhere"), "{stderr}");
    assert!(stderr.contains("9999"), "{stderr}");
    assert!(stderr.contains("/no/such/file"), "{stderr}");
    let texts = Catalog::embedded().unwrap();
    let count = texts.render(Key::AdminConfigProblemCount, &[("count", "3")]);
    assert!(stderr.contains(&count), "{stderr}");
}

#[test]
fn check_config_passes_a_good_config_without_echoing_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let out = rapport(
        dir.path(),
        &["check-config"],
        &[("RAPPORT_DISCORD__TOKEN", "very-secret-token")],
        "",
    );
    let texts = Catalog::embedded().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(texts.text(Key::AdminConfigOk)));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!all.contains("very-secret-token"), "{all}");
}

#[test]
fn run_without_any_platform_explains_what_to_configure() {
    let dir = tempfile::tempdir().unwrap();
    let out = rapport(dir.path(), &["run"], &[], "");
    let texts = Catalog::embedded().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains(texts.text(Key::AdminNoPlatform)));
    assert!(
        !dir.path().join("data").exists(),
        "nothing is created when nothing runs"
    );
}

#[test]
fn console_keeps_its_state_in_a_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = rapport(dir.path(), &["console"], &[], "settings zone Asia/Tokyo\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let db = dir.path().join("data/rapport.db");
    assert!(db.is_file(), "the default SQLite file is created");
    // A second session remembers the first.
    let out = rapport(dir.path(), &["console"], &[], "settings\n");
    assert!(
        text(&out.stdout).contains("Asia/Tokyo"),
        "{}",
        text(&out.stdout)
    );
    // WAL mode leaves its journal beside the database while open; after a
    // clean exit the -wal file may be gone, so check the header instead:
    // SQLite stores "WAL" as file format version 2 at bytes 18 and 19.
    let header = std::fs::read(&db).unwrap();
    assert_eq!(&header[18..20], &[2, 2], "the database is in WAL mode");
}

/// Every file rapport keeps beside the console's database, as bytes.
fn data_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir.join("data")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            bytes.extend(std::fs::read(path).unwrap());
        }
    }
    bytes
}

fn holds(bytes: &[u8], marker: &str) -> bool {
    bytes.windows(marker.len()).any(|w| w == marker.as_bytes())
}

#[test]
fn mydata_delete_in_the_console_leaves_no_byte_of_her_words_in_the_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    // ana and ben pair in #home and each write into everything; ben's
    // markers must survive ana's deletion, ana's must not.
    let life = "pair invite ben\nas ben\n1\n\
        as ana\ndm\njournal write ana-marker-journal\njournal share 1\n\
        appreciate ana-marker-thanks\ngoal promise ana-marker-promise\n\
        agree add ana-marker-agreement\ncheckin now\nas ben\ncheckin now\nas ana\n\
        checkin answer 7 ana-marker-answer\n\
        as ben\njournal write ben-marker-journal\nappreciate ben-marker-thanks\n\
        checkin answer 8 ben-marker-answer\ngoal log 1 ben-marker-note\n";
    let out = rapport(dir.path(), &["console"], &[], life);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let before = data_bytes(dir.path());
    for marker in [
        "ana-marker-journal",
        "ana-marker-answer",
        "ana-marker-thanks",
    ] {
        assert!(
            holds(&before, marker),
            "{marker} was stored to begin with: {}",
            text(&out.stdout)
        );
    }

    let out = rapport(dir.path(), &["console"], &[], "dm\nmydata delete confirm\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let after = data_bytes(dir.path());
    for marker in [
        "ana-marker-journal",
        "ana-marker-thanks",
        "ana-marker-promise",
        "ana-marker-agreement",
        "ana-marker-answer",
    ] {
        assert!(!holds(&after, marker), "{marker} is still in data/");
    }
    for marker in [
        "ben-marker-journal",
        "ben-marker-thanks",
        "ben-marker-answer",
    ] {
        assert!(holds(&after, marker), "ben's {marker} went too");
    }
    let mode = |path: &str| {
        std::fs::metadata(dir.path().join(path))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(
        mode("data"),
        0o700,
        "the data folder is the service's alone"
    );
    assert_eq!(mode("data/rapport.db"), 0o600);
}

/// Looks like a secret; must never appear in anything rapport prints.
const MARKER: &str = "sk-live-7f3a9c2e1b";

fn all_output(out: &Output) -> String {
    format!("{}{}", text(&out.stdout), text(&out.stderr))
}

#[test]
fn check_config_never_echoes_a_mistyped_secret_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("rapport.toml");
    for (written, hint) in [
        (format!("[discord]\ntoken = {MARKER}\n"), "line 2, column 9"),
        ("[discord]\ntoken = 123456789\n".to_owned(), "discord.token"),
    ] {
        std::fs::write(&config, &written).unwrap();
        let out = rapport(dir.path(), &["check-config"], &[], "");
        let all = all_output(&out);
        assert_eq!(out.status.code(), Some(1), "{all}");
        assert!(text(&out.stderr).contains(hint), "{all}");
        for leaked in [MARKER, "123456789", "token ="] {
            assert!(!all.contains(leaked), "{leaked} was shown: {all}");
        }
    }
}

#[test]
fn check_config_lists_every_structural_problem_by_key_line_and_variable() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rapport.toml"),
        "[checkins]\nround_hour = 5\n[log]\nformat = \"xml\"\n[discord]\nguild_id = \"abc\"\n[checkin]\n",
    )
    .unwrap();
    let out = rapport(
        dir.path(),
        &["check-config"],
        &[
            ("RAPPORT_CHECKINS__ROUND_HOURS", "abc"),
            ("RAPPORT_DISCORD__TOKEN", MARKER),
        ],
        "",
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for expected in [
        "line 2, column 1: checkins.round_hour is not a setting rapport knows",
        "line 4, column 1: log.format must be one of: pretty, json",
        "line 6, column 1: discord.guild_id must be a whole number",
        "line 7, column 2: [checkin] is not a section rapport knows",
        "RAPPORT_CHECKINS__ROUND_HOURS: checkins.round_hours must be a whole number",
    ] {
        assert!(stderr.contains(expected), "{expected} missing: {stderr}");
    }
    let texts = Catalog::embedded().unwrap();
    let count = texts.render(Key::AdminConfigProblemCount, &[("count", "5")]);
    assert!(stderr.contains(&count), "{stderr}");
    assert!(!stderr.contains("invalid digit"), "{stderr}");
    assert!(!all_output(&out).contains(MARKER));
}

#[test]
fn check_config_reports_log_filters_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    for filter in ["info,,==", "rapport=loud"] {
        let out = rapport(
            dir.path(),
            &["check-config"],
            &[("RAPPORT_LOG__FILTER", filter)],
            "",
        );
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("RAPPORT_LOG__FILTER: log.filter"),
            "{stderr}"
        );
    }
}

#[test]
fn check_config_says_which_file_it_read_and_that_no_platform_is_set_up() {
    let dir = tempfile::tempdir().unwrap();
    let texts = Catalog::embedded().unwrap();
    let out = rapport(dir.path(), &["check-config"], &[], "");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let none = texts.render(Key::AdminConfigNoFile, &[("path", "rapport.toml")]);
    assert!(stdout.contains(&none), "{stdout}");
    assert!(
        stdout.contains(texts.text(Key::AdminConfigNoPlatform)),
        "{stdout}"
    );
    let store = texts.render(Key::AdminStoreSqliteNew, &[("path", "data/rapport.db")]);
    assert!(stdout.contains(&store), "{stdout}");
    assert!(
        !dir.path().join("data").exists(),
        "check-config creates nothing"
    );

    let file = dir.path().join("elsewhere.toml");
    std::fs::write(&file, "[defaults]\ntime_zone = \"Europe/Berlin\"\n").unwrap();
    let shown = file.display().to_string();
    let out = rapport(
        dir.path(),
        &["check-config"],
        &[
            ("RAPPORT_CONFIG", &shown),
            ("RAPPORT_DISCORD__TOKEN", MARKER),
        ],
        "",
    );
    let stdout = text(&out.stdout);
    let read = texts.render(Key::AdminConfigFile, &[("path", &shown)]);
    assert!(stdout.contains(&read), "{stdout}");
    assert!(
        !stdout.contains(texts.text(Key::AdminConfigNoPlatform)),
        "Discord is configured: {stdout}"
    );
    assert!(!all_output(&out).contains(MARKER));
}

#[test]
fn check_config_finds_a_sqlite_folder_it_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("blocker"), "").unwrap();
    let out = rapport(
        dir.path(),
        &["check-config"],
        &[("RAPPORT_STORE__URL", "sqlite://blocker/rapport.db")],
        "",
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("blocker/rapport.db"), "{stderr}");
}

#[test]
fn an_unreachable_postgres_is_reported_at_once_without_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("postgres://rapport:{MARKER}@127.0.0.1:1/rapport");
    // In the file: a warning about the password, then the refusal.
    std::fs::write(
        dir.path().join("rapport.toml"),
        format!("[store]\nurl = \"{url}\"\n"),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let out = rapport(dir.path(), &["check-config"], &[], "");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("store.url in the config file holds a password"),
        "{stderr}"
    );
    assert!(
        stderr.contains("connection refused to 127.0.0.1:1"),
        "{stderr}"
    );
    assert!(!all_output(&out).contains(MARKER), "{stderr}");

    // Starting the console fails as fast, with the same plain words.
    let out = rapport(dir.path(), &["console"], &[], "");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("connection refused to 127.0.0.1:1"),
        "{stderr}"
    );
    assert!(!all_output(&out).contains(MARKER), "{stderr}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn the_console_saves_an_export_beside_its_database_for_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = rapport(
        dir.path(),
        &["console"],
        &[],
        "dm\njournal write console-export-marker\nmydata export\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let folder = dir.path().join("data/attachments");
    let saved: Vec<_> = std::fs::read_dir(&folder)
        .expect("the attachments folder exists")
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let relative = saved[0].strip_prefix(dir.path()).unwrap();
    assert!(
        stdout.contains(&format!("saved as {}", relative.display())),
        "the console says where: {stdout}"
    );
    assert!(holds(
        &std::fs::read(&saved[0]).unwrap(),
        "console-export-marker"
    ));
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(&saved[0]), 0o600);
}

#[test]
fn migrate_status_lists_without_applying_and_backup_copies_the_console_store() {
    let dir = tempfile::tempdir().unwrap();
    let out = rapport(dir.path(), &["migrate", "--status"], &[], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = text(&out.stdout);
    assert!(
        listed.contains("pending  20261122000001  foundation"),
        "{listed}"
    );
    assert!(listed.contains("0 applied"), "{listed}");
    assert!(!dir.path().join("data").exists(), "listing creates nothing");

    let out = rapport(
        dir.path(),
        &["console"],
        &[],
        "dm\njournal write cli-backup-marker\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = rapport(dir.path(), &["backup", "kept.db"], &[], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("checked by opening it"),
        "{}",
        text(&out.stdout)
    );
    assert!(holds(
        &std::fs::read(dir.path().join("kept.db")).unwrap(),
        "cli-backup-marker"
    ));
    let out = rapport(dir.path(), &["backup", "kept.db"], &[], "");
    assert!(!out.status.success(), "an existing file is refused");
    let out = rapport(
        dir.path(),
        &["backup", "pg.dump"],
        &[("RAPPORT_STORE__URL", "postgres://rapport@127.0.0.1/rapport")],
        "",
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("pg_dump"),
        "{}",
        text(&out.stderr)
    );
}
