//! The command grammar shared by every adapter: a typed [`Command`] and a pure
//! parser from the text a person types (`pair invite @ben`, `settings zone
//! Europe/Berlin`). Discord builds the same values from slash-command options.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::domain::quiet_hours::QuietHours;
use crate::domain::recurrence::Recurrence;
use crate::domain::zone::parse_zone;

mod together;
use crate::domain::CheckinKind;
use crate::error::UserError;
use crate::prompts::Key;
pub use together::{
    AgreeCommand, GoalCommand, GoalFor, JournalCommand, MyDataCommand, NewGoal, RecapCommand,
};

/// Longest text accepted from a person, in characters. Above every platform's
/// own message limit that matters here, and keeps the store small.
pub const MAX_INPUT_CHARS: usize = 4000;

/// Everything a person can ask of rapport.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Help(Option<HelpTopic>),
    Pair(PairCommand),
    Settings(SettingsCommand),
    Checkin(CheckinCommand),
    Reword(RewordCommand),
    Goal(GoalCommand),
    Agree(AgreeCommand),
    Journal(JournalCommand),
    /// A thank-you to the partner, posted in the shared space.
    Appreciate(String),
    Recap(RecapCommand),
    MyData(MyDataCommand),
}

/// The I-statement coach.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RewordCommand {
    /// A private suggestion for `text`, optionally with a chosen feeling.
    Suggest {
        text: String,
        feeling: Option<String>,
    },
    /// Opt in to (`Some(true)`) or out of gentle nudges in the couple's
    /// space, or see where things stand (`None`).
    Nudges(Option<bool>),
}

/// Declares the help topics once: the enum, the word that names each
/// topic (in the grammar and in Discord's option), and its page.
macro_rules! help_topics {
    ($($topic:ident => $word:literal, $page:ident;)*) => {
        /// Topics with their own help page.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum HelpTopic {
            $($topic,)*
        }

        impl HelpTopic {
            /// The words that name a topic, in the order of the overview.
            pub const WORDS: &[&str] = &[$($word,)*];
            const ALL: &[HelpTopic] = &[$(HelpTopic::$topic,)*];

            /// The prompt that explains this topic.
            pub fn page(self) -> Key {
                match self {
                    $(HelpTopic::$topic => Key::$page,)*
                }
            }
        }
    };
}

help_topics! {
    Pair => "pair", HelpPair;
    Settings => "settings", HelpSettings;
    Checkin => "checkin", HelpCheckin;
    Reword => "reword", HelpReword;
    Goal => "goal", HelpGoal;
    Agree => "agree", HelpAgree;
    Journal => "journal", HelpJournal;
    Appreciate => "appreciate", HelpAppreciate;
    Recap => "recap", HelpRecap;
    Mydata => "mydata", HelpMydata;
}

impl HelpTopic {
    /// The topic a word names; `goals` is accepted for `goal`.
    pub fn parse(word: &str) -> Option<HelpTopic> {
        let word = word.to_lowercase();
        let word = if word == "goals" {
            "goal"
        } else {
            word.as_str()
        };
        let index = HelpTopic::WORDS.iter().position(|known| *known == word)?;
        HelpTopic::ALL.get(index).copied()
    }
}

/// Pairing: invite, answer, leave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PairCommand {
    /// Who I am paired with, and my open invites.
    Status,
    /// Invite a named partner on my platform, or create a code for anyone.
    Invite {
        partner: Option<String>,
    },
    /// Accept by code, or the invite addressed to me when no code is given.
    Accept {
        code: Option<String>,
    },
    Decline {
        code: Option<String>,
    },
    /// Withdraw my open invites.
    Cancel,
    /// End the couple; asks first unless `confirmed`.
    Leave {
        confirmed: bool,
    },
    /// Propose the current space as our shared space.
    Here,
    /// Where our shared space is, or a change of it.
    Space(SpaceCommand),
}

/// `pair space …`: where what is meant for both goes. Every change is a
/// proposal the partner answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpaceCommand {
    /// Where the shared space is and who can read it.
    Status,
    /// A room (Matrix) or private thread (Discord) rapport opens for us.
    Open,
    /// No shared space: each of us privately.
    Private,
    Accept,
    Decline,
}

/// Check-ins: the schedule, rounds and answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckinCommand {
    /// The schedule, the next check-in and any open round.
    Status,
    /// Propose a schedule; the partner accepts before it runs.
    Schedule {
        recurrence: Recurrence,
        kind: CheckinKind,
        /// A question theme from the decks, or `None` for all of them.
        theme: Option<String>,
    },
    Accept,
    Decline,
    /// Pause until the start of this local date; occurrences before it pass.
    Pause {
        until: NaiveDate,
    },
    Resume,
    Skip,
    Now,
    Stop,
    Answer {
        /// The round a button asked about; typed answers go to the open one.
        round: Option<i64>,
        rating: u8,
        text: Option<String>,
    },
    History,
}

/// Personal settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingsCommand {
    Show,
    Zone(Tz),
    Quiet(Option<QuietHours>),
    /// The current shared space's settings, for its moderators: whether the
    /// coach may nudge about messages there (`None` shows them).
    Space {
        nudges: Option<bool>,
    },
}

impl Command {
    /// Parses one line of text. Leading `/` and letter case of command words
    /// are ignored; arguments keep their case.
    pub fn parse(text: &str) -> Result<Command, UserError> {
        if text.chars().count() > MAX_INPUT_CHARS {
            return Err(UserError::InputTooLong {
                limit: MAX_INPUT_CHARS,
            });
        }
        // Overrides and control characters never reach the store or a
        // partner's screen.
        let cleaned = crate::domain::text::clean(text);
        let text = cleaned.as_str();
        let mut words = text.trim().trim_start_matches('/').split_whitespace();
        let Some(first) = words.next() else {
            return Ok(Command::Help(None));
        };
        let args: Vec<&str> = words.collect();
        match first.to_lowercase().as_str() {
            "help" | "?" => parse_help(&args),
            "pair" => parse_pair(&args).map(Command::Pair),
            "settings" => parse_settings(&args).map(Command::Settings),
            "checkin" | "check-in" => parse_checkin(text, &args).map(Command::Checkin),
            "reword" => parse_reword(text, &args).map(Command::Reword),
            "goal" | "goals" => together::parse_goal(text, &args).map(Command::Goal),
            "agree" | "agreements" => together::parse_agree(text, &args).map(Command::Agree),
            "journal" => together::parse_journal(text, &args).map(Command::Journal),
            "appreciate" => together::parse_appreciate(text, &args).map(Command::Appreciate),
            "recap" => together::parse_recap(&args).map(Command::Recap),
            "mydata" => together::parse_mydata(&args).map(Command::MyData),
            _ => Err(UserError::UnknownCommand {
                word: first.to_owned(),
                near: nearest_command(first),
            }),
        }
    }
}

/// The first words of the grammar, for "did you mean".
const COMMANDS: &[&str] = &[
    "help",
    "pair",
    "settings",
    "checkin",
    "reword",
    "goal",
    "agree",
    "journal",
    "appreciate",
    "recap",
    "mydata",
];

/// The command a mistyped first word most likely meant: at most two
/// letters off, and fewer than a third of the word.
fn nearest_command(word: &str) -> Option<&'static str> {
    let word = word.to_lowercase();
    COMMANDS
        .iter()
        .map(|command| (edit_distance(&word, command), *command))
        .filter(|(distance, _)| *distance <= 2 && *distance * 3 < word.chars().count().max(3))
        .min()
        .map(|(_, command)| command)
}

/// Letters inserted, removed, changed or swapped with a neighbour.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let change = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + change);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

fn parse_help(args: &[&str]) -> Result<Command, UserError> {
    match args {
        [] => Ok(Command::Help(None)),
        [word] => HelpTopic::parse(word)
            .map(|topic| Command::Help(Some(topic)))
            .ok_or(UserError::Usage {
                usage: Key::UsageHelp,
            }),
        _ => Err(UserError::Usage {
            usage: Key::UsageHelp,
        }),
    }
}

fn parse_pair(args: &[&str]) -> Result<PairCommand, UserError> {
    let usage = || UserError::Usage {
        usage: Key::UsagePair,
    };
    let Some((sub, rest)) = args.split_first() else {
        return Ok(PairCommand::Status);
    };
    let code = |rest: &[&str]| (!rest.is_empty()).then(|| rest.join(""));
    match (sub.to_lowercase().as_str(), rest) {
        ("status", []) => Ok(PairCommand::Status),
        ("invite", []) => Ok(PairCommand::Invite { partner: None }),
        ("invite", [partner]) => Ok(PairCommand::Invite {
            partner: Some(partner.to_string()),
        }),
        ("accept", rest) if rest.len() <= 2 => Ok(PairCommand::Accept { code: code(rest) }),
        ("decline", rest) if rest.len() <= 2 => Ok(PairCommand::Decline { code: code(rest) }),
        ("cancel", []) => Ok(PairCommand::Cancel),
        ("leave", []) => Ok(PairCommand::Leave { confirmed: false }),
        ("leave", [word]) if word.eq_ignore_ascii_case("confirm") => {
            Ok(PairCommand::Leave { confirmed: true })
        }
        ("here", []) => Ok(PairCommand::Here),
        ("space", []) => Ok(PairCommand::Space(SpaceCommand::Status)),
        ("space", [word]) => {
            let space = match word.to_lowercase().as_str() {
                "thread" | "room" => SpaceCommand::Open,
                "private" => SpaceCommand::Private,
                "accept" => SpaceCommand::Accept,
                "decline" => SpaceCommand::Decline,
                _ => return Err(usage()),
            };
            Ok(PairCommand::Space(space))
        }
        _ => Err(usage()),
    }
}

fn parse_settings(args: &[&str]) -> Result<SettingsCommand, UserError> {
    let usage = || UserError::Usage {
        usage: Key::UsageSettings,
    };
    let Some((sub, rest)) = args.split_first() else {
        return Ok(SettingsCommand::Show);
    };
    match (sub.to_lowercase().as_str(), rest) {
        ("show", []) => Ok(SettingsCommand::Show),
        ("space", []) => Ok(SettingsCommand::Space { nudges: None }),
        ("space", ["nudges", state]) => match state.to_lowercase().as_str() {
            "on" => Ok(SettingsCommand::Space { nudges: Some(true) }),
            "off" => Ok(SettingsCommand::Space {
                nudges: Some(false),
            }),
            _ => Err(usage()),
        },
        ("zone", [zone]) => parse_zone(zone).map(SettingsCommand::Zone),
        ("quiet", [off]) if off.eq_ignore_ascii_case("off") => Ok(SettingsCommand::Quiet(None)),
        // Accept both `22:00-07:00` and `22:00 - 07:00`.
        ("quiet", window) if !window.is_empty() => {
            QuietHours::parse(&window.join("")).map(|hours| SettingsCommand::Quiet(Some(hours)))
        }
        _ => Err(usage()),
    }
}

fn parse_checkin(text: &str, args: &[&str]) -> Result<CheckinCommand, UserError> {
    let usage = || UserError::Usage {
        usage: Key::UsageCheckin,
    };
    let Some((sub, rest)) = args.split_first() else {
        return Ok(CheckinCommand::Status);
    };
    match (sub.to_lowercase().as_str(), rest) {
        ("status", []) => Ok(CheckinCommand::Status),
        ("schedule", words) if !words.is_empty() => parse_schedule(words),
        ("accept", []) => Ok(CheckinCommand::Accept),
        ("decline", []) => Ok(CheckinCommand::Decline),
        ("pause", [date]) | ("pause", ["until", date]) => {
            NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map(|until| CheckinCommand::Pause { until })
                .map_err(|_| UserError::BadDate {
                    given: date.to_string(),
                })
        }
        ("resume", []) => Ok(CheckinCommand::Resume),
        ("skip", []) => Ok(CheckinCommand::Skip),
        ("now", []) => Ok(CheckinCommand::Now),
        ("stop", []) => Ok(CheckinCommand::Stop),
        ("history", []) => Ok(CheckinCommand::History),
        ("answer", [first, more @ ..]) => {
            // A rating button names its round: `answer round:12 7`.
            let round = first
                .strip_prefix("round:")
                .map(|id| id.parse::<i64>().map_err(|_| usage()));
            let (round, rating, skip) = match (round, more.first()) {
                (Some(round), Some(rating)) => (Some(round?), rating, 4),
                (Some(_), None) => return Err(usage()),
                (None, _) => (None, first, 3),
            };
            let rating = rating
                .parse::<u8>()
                .ok()
                .filter(|r| (1..=10).contains(r))
                .ok_or_else(|| UserError::BadRating {
                    given: rating.to_string(),
                })?;
            // Keep the answer exactly as written, line breaks included.
            let answer = text_after_words(text, skip)
                .filter(|a| !a.is_empty())
                .map(str::to_owned);
            Ok(CheckinCommand::Answer {
                round,
                rating,
                text: answer,
            })
        }
        _ => Err(usage()),
    }
}

/// `reword [feeling:<word>] <text>` or `reword nudges [on|off]`.
fn parse_reword(text: &str, args: &[&str]) -> Result<RewordCommand, UserError> {
    let usage = || UserError::Usage {
        usage: Key::UsageReword,
    };
    match args {
        [] => Err(usage()),
        [nudges] if nudges.eq_ignore_ascii_case("nudges") => Ok(RewordCommand::Nudges(None)),
        [nudges, on] if nudges.eq_ignore_ascii_case("nudges") && on.eq_ignore_ascii_case("on") => {
            Ok(RewordCommand::Nudges(Some(true)))
        }
        [nudges, off]
            if nudges.eq_ignore_ascii_case("nudges") && off.eq_ignore_ascii_case("off") =>
        {
            Ok(RewordCommand::Nudges(Some(false)))
        }
        [first, ..] => {
            let chosen = first
                .to_lowercase()
                .strip_prefix("feeling:")
                .map(|f| f.replace('_', " "));
            let skip = if chosen.is_some() { 2 } else { 1 };
            let message = text_after_words(text, skip).unwrap_or_default();
            if message.is_empty() {
                return Err(usage());
            }
            Ok(RewordCommand::Suggest {
                text: message.to_owned(),
                feeling: chosen,
            })
        }
    }
}

/// `<when…> [private|shared] [theme <name>]`
fn parse_schedule(words: &[&str]) -> Result<CheckinCommand, UserError> {
    let mut words = words.to_vec();
    let mut theme = None;
    if let [.., keyword, name] = words.as_slice()
        && keyword.eq_ignore_ascii_case("theme")
    {
        theme = Some(name.to_lowercase());
        words.truncate(words.len() - 2);
    }
    let mut kind = CheckinKind::Private;
    if let Some(last) = words.last()
        && let Some(parsed) = CheckinKind::parse(&last.to_lowercase())
    {
        kind = parsed;
        words.pop();
    }
    let recurrence = Recurrence::parse(&words)?;
    Ok(CheckinCommand::Schedule {
        recurrence,
        kind,
        theme,
    })
}

/// The raw text after the first `count` words (the command words).
/// The free text after the command's first `count` words; text that shows
/// nothing (only zero-width characters, say) counts as none.
pub(crate) fn text_after_words(text: &str, count: usize) -> Option<&str> {
    let mut rest = text.trim().trim_start_matches('/');
    for _ in 0..count {
        rest = rest.trim_start();
        let end = rest.find(char::is_whitespace)?;
        rest = &rest[end..];
    }
    let rest = rest.trim();
    Some(if crate::domain::text::is_visible(rest) {
        rest
    } else {
        ""
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
                Command::Appreciate("You made my day".into()),
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
                until: NaiveDate::from_ymd_opt(2026, 12, 24).unwrap()
            }))
        );
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
            parse("checkin pause tomorrow"),
            Err(UserError::BadDate {
                given: "tomorrow".into()
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
            parse("settings quiet 9-5"),
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
}
