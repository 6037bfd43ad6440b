//! Arbitrary and near-valid input never panics: the command grammar, the
//! coach, and the config loader (with its environment overrides).

use proptest::prelude::*;
use rapport::coach::Coach;
use rapport::engine::command::Command;
use rapport::prompts::Catalog;

/// Words the grammar knows, so generated lines come near to valid ones.
const WORDS: &[&str] = &[
    "pair",
    "invite",
    "accept",
    "decline",
    "space",
    "thread",
    "checkin",
    "schedule",
    "daily",
    "weekly",
    "sun",
    "19:00",
    "answer",
    "round:7",
    "pause",
    "tomorrow",
    "2",
    "weeks",
    "goal",
    "promise",
    "kept",
    "missed",
    "agree",
    "retire",
    "edit",
    "journal",
    "read",
    "#3",
    "reword",
    "--json",
    "appreciate",
    "--post",
    "recap",
    "mydata",
    "delete",
    "confirm",
    "settings",
    "zone",
    "quiet",
    "10pm-6am",
    "help",
    "cron",
    "0",
    "*",
    "-1",
    "99999999999999999999",
    "é",
    "🙂",
    ",",
    "by",
    "2026-13-45",
    "\u{202e}",
    "\n",
    "",
];

fn near_valid() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..9).prop_map(|words| words.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn the_grammar_never_panics_and_every_refusal_has_words(
        line in any::<String>(),
        near in near_valid(),
    ) {
        for typed in [line.as_str(), near.as_str()] {
            if let Err(error) = Command::parse(typed) {
                let (key, vars) = error.message();
                let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
                prop_assert!(!catalog().render(key, &vars).trim().is_empty());
            }
        }
    }

    #[test]
    fn the_coach_never_panics(text in "\\PC{0,300}", near in near_valid()) {
        let coach = coach();
        for message in [text.as_str(), near.as_str()] {
            let analysis = coach.analyze(message);
            let _ = coach.suggest(&analysis, None);
            let _ = rapport::coach::verdict(coach, message);
        }
    }

    #[test]
    fn the_config_loader_never_panics(
        file in "\\PC{0,400}",
        key in prop::sample::select(&["STORE__URL", "CHECKINS__ROUND_HOURS", "DISCORD__GUILD_ID",
            "LOG__FILTER", "HTTP__LISTEN", "BACKUPS__KEEP_DAYS", "NOPE__X"][..]),
        value in "\\PC{0,40}",
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rapport.toml");
        std::fs::write(&path, &file).unwrap();
        // A store URL may hold a password: whatever it is, no problem
        // report repeats it.
        let secret = format!("postgres://u:pw-{value}-secret@h/db");
        let environment = vec![
            (format!("RAPPORT_{key}"), value),
            ("RAPPORT_STORE__URL".to_owned(), secret.clone()),
        ];
        if let Err(problems) = rapport::config::load_from(Some(&path), environment) {
            prop_assert!(!problems.is_empty());
            for problem in problems {
                let said = problem.render(catalog());
                prop_assert!(!said.contains("-secret@"), "{said}");
            }
        }
    }
}

fn catalog() -> &'static Catalog {
    static CATALOG: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
    CATALOG.get_or_init(|| Catalog::embedded().unwrap())
}

fn coach() -> &'static Coach {
    static COACH: std::sync::OnceLock<Coach> = std::sync::OnceLock::new();
    COACH.get_or_init(|| Coach::from_catalog(catalog()).unwrap())
}
