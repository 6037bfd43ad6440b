//! The grammar's tests: every command form, and every way to get one wrong.

use super::*;
use crate::domain::quiet_hours::QuietHours;

fn parse(text: &str) -> Result<Command, UserError> {
    Command::parse(text)
}

#[test]
fn commands_parse_from_plain_text() {
    let cases = [
        ("", Command::Help(None)),
        ("HELP pair", Command::Help(Some(HelpTopic::Pair))),
        ("help goals", Command::Help(Some(HelpTopic::Goal))),
        ("help mydata", Command::Help(Some(HelpTopic::Mydata))),
        ("goal", Command::Goal(GoalCommand::List)),
        (
            "appreciate You made my day",
            Command::Appreciate(AppreciateCommand::Send("You made my day".into())),
        ),
        ("recap now", Command::Recap(RecapCommand::Now)),
        ("journal", Command::Journal(JournalCommand::List)),
        ("agree", Command::Agree(AgreeCommand::List)),
        ("pair", Command::Pair(PairCommand::Status)),
        (
            "/pair invite",
            Command::Pair(PairCommand::Invite { partner: None }),
        ),
        (
            "pair invite @ben:example.org",
            Command::Pair(PairCommand::Invite {
                partner: Some("@ben:example.org".into()),
            }),
        ),
        (
            "pair accept abcd efgh",
            Command::Pair(PairCommand::Accept {
                code: Some("abcdefgh".into()),
            }),
        ),
        (
            "pair accept",
            Command::Pair(PairCommand::Accept { code: None }),
        ),
        (
            "pair leave",
            Command::Pair(PairCommand::Leave { confirmed: false }),
        ),
        (
            "pair leave CONFIRM",
            Command::Pair(PairCommand::Leave { confirmed: true }),
        ),
        ("pair here", Command::Pair(PairCommand::Here)),
        (
            "pair space",
            Command::Pair(PairCommand::Space(SpaceCommand::Status)),
        ),
        (
            "pair space Thread",
            Command::Pair(PairCommand::Space(SpaceCommand::Open)),
        ),
        (
            "pair space room",
            Command::Pair(PairCommand::Space(SpaceCommand::Open)),
        ),
        (
            "pair space private",
            Command::Pair(PairCommand::Space(SpaceCommand::Private)),
        ),
        (
            "pair space accept",
            Command::Pair(PairCommand::Space(SpaceCommand::Accept)),
        ),
        ("settings", Command::Settings(SettingsCommand::Show)),
        (
            "settings space nudges OFF",
            Command::Settings(SettingsCommand::Space {
                nudges: Some(false),
            }),
        ),
        (
            "settings space",
            Command::Settings(SettingsCommand::Space { nudges: None }),
        ),
        (
            "settings zone europe/berlin",
            Command::Settings(SettingsCommand::Zone(chrono_tz::Europe::Berlin)),
        ),
        (
            "settings quiet off",
            Command::Settings(SettingsCommand::Quiet(None)),
        ),
        (
            "settings quiet 22:00 - 07:00",
            Command::Settings(SettingsCommand::Quiet(QuietHours::from_minutes(1320, 420))),
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(parse(text), Ok(expected), "{text}");
    }
}

#[test]
fn reword_commands_parse() {
    assert_eq!(
        parse("reword You NEVER text me back!"),
        Ok(Command::Reword(RewordCommand::Suggest {
            text: "You NEVER text me back!".into(),
            feeling: None
        }))
    );
    assert_eq!(
        parse("reword feeling:left_out you never invite me"),
        Ok(Command::Reword(RewordCommand::Suggest {
            text: "you never invite me".into(),
            feeling: Some("left out".into())
        }))
    );
    assert_eq!(
        parse("reword nudges on"),
        Ok(Command::Reword(RewordCommand::Nudges(Some(true))))
    );
    assert_eq!(
        parse("reword nudges"),
        Ok(Command::Reword(RewordCommand::Nudges(None)))
    );
    assert_eq!(
        parse("reword"),
        Err(UserError::Usage {
            usage: Key::UsageReword
        })
    );
    assert_eq!(
        parse("reword feeling:sad"),
        Err(UserError::Usage {
            usage: Key::UsageReword
        })
    );
}

#[test]
fn checkin_commands_parse() {
    let Ok(Command::Checkin(CheckinCommand::Schedule {
        recurrence,
        kind,
        theme,
    })) = parse("checkin schedule weekly sun 19:00 shared theme fun")
    else {
        panic!("schedule should parse");
    };
    assert_eq!(recurrence.canonical(), "weekly sun 19:00");
    assert_eq!((kind, theme.as_deref()), (CheckinKind::Shared, Some("fun")));
    let Ok(Command::Checkin(CheckinCommand::Schedule { kind, theme, .. })) =
        parse("checkin schedule daily 21:30")
    else {
        panic!("schedule should parse");
    };
    assert_eq!((kind, theme), (CheckinKind::Private, None));
    assert_eq!(
        parse("checkin answer 7  I felt  heard\nmostly"),
        Ok(Command::Checkin(CheckinCommand::Answer {
            round: None,
            rating: 7,
            text: Some("I felt  heard\nmostly".into())
        }))
    );
    assert_eq!(
        parse("checkin answer 10"),
        Ok(Command::Checkin(CheckinCommand::Answer {
            round: None,
            rating: 10,
            text: None
        }))
    );
    assert_eq!(
        parse("checkin answer round:12 7 from the button"),
        Ok(Command::Checkin(CheckinCommand::Answer {
            round: Some(12),
            rating: 7,
            text: Some("from the button".into())
        }))
    );
    assert!(parse("checkin answer round:x 7").is_err());
    assert_eq!(
        parse("checkin pause until 2026-12-24"),
        Ok(Command::Checkin(CheckinCommand::Pause {
            until: PauseUntil::Date(NaiveDate::from_ymd_opt(2026, 12, 24).unwrap())
        }))
    );
    for (words, days) in [
        ("tomorrow", 1),
        ("next week", 7),
        ("for 2 weeks", 14),
        ("until tomorrow", 1),
        ("3 days", 3),
    ] {
        assert_eq!(
            parse(&format!("checkin pause {words}")),
            Ok(Command::Checkin(CheckinCommand::Pause {
                until: PauseUntil::DaysFromToday(days)
            })),
            "{words}"
        );
    }
    for words in ["0 days", "400 days", "soon", "2 fortnights", "2026-13-01"] {
        assert!(
            matches!(
                parse(&format!("checkin pause {words}")),
                Err(UserError::BadDate { .. })
            ),
            "{words}"
        );
    }
    assert_eq!(
        parse("checkin"),
        Ok(Command::Checkin(CheckinCommand::Status))
    );
    assert_eq!(
        parse("checkin answer 11 hi"),
        Err(UserError::BadRating { given: "11".into() })
    );
    assert_eq!(
        parse("checkin answer 0"),
        Err(UserError::BadRating { given: "0".into() })
    );
    assert_eq!(
        parse("checkin pause someday"),
        Err(UserError::BadDate {
            given: "someday".into()
        })
    );
    assert!(matches!(
        parse("checkin schedule hourly"),
        Err(UserError::BadSchedule { .. })
    ));
    assert_eq!(
        parse("checkin dance"),
        Err(UserError::Usage {
            usage: Key::UsageCheckin
        })
    );
}

#[test]
fn bad_input_names_what_is_wrong() {
    assert_eq!(
        parse("dance"),
        Err(UserError::UnknownCommand {
            word: "dance".into(),
            near: None,
        })
    );
    assert_eq!(
        parse("chekin now"),
        Err(UserError::UnknownCommand {
            word: "chekin".into(),
            near: Some("checkin"),
        })
    );
    assert_eq!(
        parse("apreciate thanks"),
        Err(UserError::UnknownCommand {
            word: "apreciate".into(),
            near: Some("appreciate"),
        })
    );
    assert!(matches!(
        parse("hello?"),
        Err(UserError::UnknownCommand { near: None, .. })
    ));
    assert_eq!(parse("help?"), Ok(Command::Help(None)));
    assert_eq!(parse("?"), Ok(Command::Help(None)));
    assert_eq!(
        parse("pair marry"),
        Err(UserError::Usage {
            usage: Key::UsagePair
        })
    );
    assert_eq!(
        parse("pair invite a b"),
        Err(UserError::Usage {
            usage: Key::UsagePair
        })
    );
    assert_eq!(
        parse("settings zone"),
        Err(UserError::Usage {
            usage: Key::UsageSettings
        })
    );
    assert!(matches!(
        parse("settings zone Mars/Base"),
        Err(UserError::UnknownZone { .. })
    ));
    assert!(matches!(
        parse("settings quiet 9-25"),
        Err(UserError::BadQuietHours { .. })
    ));
    assert_eq!(
        parse("help me now"),
        Err(UserError::Usage {
            usage: Key::UsageHelp
        })
    );
}

#[test]
fn overlong_input_is_refused_before_parsing() {
    let text = format!("pair invite {}", "x".repeat(MAX_INPUT_CHARS));
    assert_eq!(
        parse(&text),
        Err(UserError::InputTooLong {
            limit: MAX_INPUT_CHARS
        })
    );
}
