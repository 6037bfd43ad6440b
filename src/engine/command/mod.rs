//! The command grammar shared by every adapter: a typed [`Command`] and a pure
//! parser from the text a person types (`pair invite @ben`, `settings zone
//! Europe/Berlin`). Discord builds the same values from slash-command options.

use chrono::NaiveDate;

use crate::domain::recurrence::Recurrence;
use crate::domain::similar::edit_distance;

mod goals;
mod pairing;
mod together;
use crate::domain::CheckinKind;
use crate::error::UserError;
use crate::prompts::Key;
pub use goals::{GoalCommand, GoalFor, NewGoal};
pub use pairing::{PairCommand, SettingsCommand, SpaceCommand};
use pairing::{parse_pair, parse_settings};
pub use together::{AgreeCommand, AppreciateCommand, JournalCommand, MyDataCommand, RecapCommand};

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
    Appreciate(AppreciateCommand),
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
    /// Pause until the start of a local day; occurrences before it pass.
    Pause {
        until: PauseUntil,
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
        // "help?" and "checkin!" mean the command; "?" alone asks for help.
        let word = match first.trim_end_matches(['?', '!', '.', ',']) {
            "" => first,
            word => word,
        };
        match word.to_lowercase().as_str() {
            "help" | "?" => parse_help(&args),
            "pair" => parse_pair(&args).map(Command::Pair),
            "settings" => parse_settings(&args).map(Command::Settings),
            "checkin" | "check-in" => parse_checkin(text, &args).map(Command::Checkin),
            "reword" => parse_reword(text, &args).map(Command::Reword),
            "goal" | "goals" => goals::parse_goal(text, &args).map(Command::Goal),
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

/// The day a pause ends: a date, or a number of days from the schedule's
/// today, which only the engine knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PauseUntil {
    Date(NaiveDate),
    DaysFromToday(u32),
}

/// The longest pause a relative form may ask for; a date can go further.
const MAX_PAUSE_DAYS: u32 = 366;

/// `2026-12-20`, `until 2026-12-20`, `tomorrow`, `next week`, `3 days`,
/// `for 2 weeks`.
fn parse_pause_until(words: &[&str]) -> Result<PauseUntil, UserError> {
    let bad = || UserError::BadDate {
        given: words.join(" "),
    };
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    let words = match lower.as_slice() {
        ["until" | "for", rest @ ..] if !rest.is_empty() => rest,
        all => all,
    };
    let days = match words {
        [date] if date.contains('-') => {
            return NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map(PauseUntil::Date)
                .map_err(|_| bad());
        }
        ["tomorrow"] => 1,
        ["next", "week"] | ["a", "week"] => 7,
        [count, unit] => {
            let count: u32 = count.parse().map_err(|_| bad())?;
            match *unit {
                "day" | "days" => count,
                "week" | "weeks" => count.saturating_mul(7),
                _ => return Err(bad()),
            }
        }
        _ => return Err(bad()),
    };
    if days == 0 || days > MAX_PAUSE_DAYS {
        return Err(bad());
    }
    Ok(PauseUntil::DaysFromToday(days))
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
        ("pause", words) if !words.is_empty() => {
            parse_pause_until(words).map(|until| CheckinCommand::Pause { until })
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
mod tests;
