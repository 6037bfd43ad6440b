//! The grammar of the couple's shared life: goals and promises, agreements,
//! the journal, appreciations, the weekly recap, and `mydata`.

use chrono::NaiveDate;

use super::text_after_words;
use crate::domain::recurrence::Recurrence;
use crate::error::UserError;
use crate::prompts::Key;

/// Goals and promises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GoalCommand {
    List,
    Add(NewGoal),
    Accept(i64),
    Decline(i64),
    /// Record progress for today, with an optional note.
    Log {
        id: i64,
        note: Option<String>,
    },
    /// The partner confirms (or not) a day waiting on a promise: the one a
    /// button names, else the oldest.
    Confirm {
        id: i64,
        kept: bool,
        day: Option<NaiveDate>,
    },
    Done(i64),
    Drop(i64),
}

/// Who a new goal is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoalFor {
    /// Both of us; the partner accepts it first.
    Both,
    /// A promise I make; active at once.
    Me,
    /// A promise I ask of my partner; active once they accept.
    Partner,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewGoal {
    pub goal_for: GoalFor,
    pub title: String,
    /// "3 times a week".
    pub per_week: Option<i64>,
    /// "by 2026-12-24", a local date.
    pub due: Option<NaiveDate>,
}

/// Agreements: boundaries and ground rules written together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AgreeCommand {
    List,
    Add(String),
    Edit {
        id: i64,
        text: String,
    },
    /// Propose to end an agreement; it ends once the partner accepts.
    Retire(i64),
    Accept(i64),
    Decline(i64),
}

/// The private journal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JournalCommand {
    List,
    /// One entry in full.
    Read(i64),
    Write(String),
    /// Share one entry into the next check-in round.
    Share(i64),
    Unshare(i64),
    Delete(i64),
}

/// The weekly recap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecapCommand {
    Status,
    /// Proposes a schedule; it starts once the partner accepts.
    Set(Recurrence),
    Accept,
    Decline,
    Off,
    /// This week's recap now, privately.
    Now,
}

/// The person's own data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MyDataCommand {
    Export,
    Delete { confirmed: bool },
}

/// Longest goal title or agreement, in characters.
const MAX_TITLE_CHARS: usize = 300;

fn number(word: &str) -> Option<i64> {
    word.trim_start_matches('#').parse().ok().filter(|n| *n > 0)
}

fn usage(key: Key) -> UserError {
    UserError::Usage { usage: key }
}

/// `goal [list] | goal shared|promise|ask <title>[, 3 times a week][, by YYYY-MM-DD]
/// | goal accept|decline|log|kept|missed|done|drop <n> [note]`
pub fn parse_goal(text: &str, args: &[&str]) -> Result<GoalCommand, UserError> {
    let Some((sub, rest)) = args.split_first() else {
        return Ok(GoalCommand::List);
    };
    let sub = sub.to_lowercase();
    let id = || rest.first().and_then(|word| number(word));
    let goal_for = match sub.as_str() {
        "shared" | "together" => Some(GoalFor::Both),
        "promise" => Some(GoalFor::Me),
        "ask" => Some(GoalFor::Partner),
        _ => None,
    };
    if let Some(goal_for) = goal_for {
        let title = text_after_words(text, 2).unwrap_or_default();
        return parse_new_goal(goal_for, title).map(GoalCommand::Add);
    }
    let one = |make: fn(i64) -> GoalCommand| match (id(), rest.len()) {
        (Some(id), 1) => Ok(make(id)),
        _ => Err(usage(Key::UsageGoal)),
    };
    match sub.as_str() {
        "list" if rest.is_empty() => Ok(GoalCommand::List),
        "accept" => one(GoalCommand::Accept),
        "decline" => one(GoalCommand::Decline),
        "done" => one(GoalCommand::Done),
        "drop" => one(GoalCommand::Drop),
        "kept" | "missed" => {
            let kept = sub == "kept";
            let day = match rest {
                [_] => None,
                [_, day] => Some(
                    NaiveDate::parse_from_str(day, "%Y-%m-%d")
                        .map_err(|_| usage(Key::UsageGoal))?,
                ),
                _ => return Err(usage(Key::UsageGoal)),
            };
            let id = id().ok_or_else(|| usage(Key::UsageGoal))?;
            Ok(GoalCommand::Confirm { id, kept, day })
        }
        "log" => {
            let id = id().ok_or_else(|| usage(Key::UsageGoal))?;
            let note = text_after_words(text, 3)
                .filter(|note| !note.is_empty())
                .map(str::to_owned);
            Ok(GoalCommand::Log { id, note })
        }
        _ => Err(usage(Key::UsageGoal)),
    }
}

/// The title, with "3 times a week" and "by 2026-12-24" taken off its end.
fn parse_new_goal(goal_for: GoalFor, title: &str) -> Result<NewGoal, UserError> {
    let mut words: Vec<&str> = title.split_whitespace().collect();
    let mut per_week = None;
    let mut due = None;
    loop {
        let lower: Vec<String> = words
            .iter()
            .map(|w| w.trim_matches([',', ';']).to_lowercase())
            .collect();
        let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
        match lower.as_slice() {
            [.., "by", date] if due.is_none() => {
                due = Some(NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| {
                    UserError::BadDate {
                        given: date.to_string(),
                    }
                })?);
                words.truncate(words.len() - 2);
            }
            // "twice weekly", "3x weekly"
            [.., count, "weekly"]
                if per_week.is_none() && (count.ends_with('x') || count.ends_with("ce")) =>
            {
                per_week = Some(times(count)?);
                words.truncate(words.len() - 2);
            }
            [.., one @ ("daily" | "weekly")] if per_week.is_none() => {
                per_week = Some(if *one == "daily" { 7 } else { 1 });
                words.pop();
            }
            [.., "every" | "each", unit @ ("day" | "week")] if per_week.is_none() => {
                per_week = Some(if *unit == "day" { 7 } else { 1 });
                words.truncate(words.len() - 2);
            }
            // Three or four days a week; the lower count is the kinder target.
            [.., "every", "other", "day"] if per_week.is_none() => {
                per_week = Some(3);
                words.truncate(words.len() - 3);
            }
            [.., "once", "a", "day"] if per_week.is_none() => {
                per_week = Some(7);
                words.truncate(words.len() - 3);
            }
            // "twice a week", "3x a week"; not "plan a week".
            [.., count, "a" | "per", "week"]
                if per_week.is_none() && (count.ends_with('x') || count.ends_with("ce")) =>
            {
                per_week = Some(times(count)?);
                words.truncate(words.len() - 3);
            }

            [.., count, "times" | "x", "a" | "per", "week"] if per_week.is_none() => {
                per_week = Some(times(count)?);
                words.truncate(words.len() - 4);
            }
            _ => break,
        }
    }
    let title = words.join(" ");
    let title = title.trim_end_matches([',', ';', ' ']).to_owned();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        return Err(usage(Key::UsageGoal));
    }
    Ok(NewGoal {
        goal_for,
        title,
        per_week,
        due,
    })
}

/// "once", "twice", "3", "3x" → a count from 1 to 7.
fn times(word: &str) -> Result<i64, UserError> {
    let count = match word {
        "once" => Some(1),
        "twice" => Some(2),
        other => other.trim_end_matches('x').parse::<i64>().ok(),
    };
    count
        .filter(|n| (1..=7).contains(n))
        .ok_or_else(|| UserError::BadCadence {
            given: word.to_owned(),
        })
}

/// `agree [list] | agree add <text> | agree edit <n> <text> | agree accept|decline <n>`
pub fn parse_agree(text: &str, args: &[&str]) -> Result<AgreeCommand, UserError> {
    let Some((sub, rest)) = args.split_first() else {
        return Ok(AgreeCommand::List);
    };
    let bad = || usage(Key::UsageAgree);
    let checked = |text: &str| {
        (!text.is_empty() && text.chars().count() <= MAX_TITLE_CHARS)
            .then(|| text.to_owned())
            .ok_or_else(bad)
    };
    match (sub.to_lowercase().as_str(), rest) {
        ("list", []) => Ok(AgreeCommand::List),
        ("add", [_, ..]) => {
            checked(text_after_words(text, 2).unwrap_or_default()).map(AgreeCommand::Add)
        }
        ("edit", [id, _, ..]) => {
            let id = number(id).ok_or_else(bad)?;
            let text = checked(text_after_words(text, 3).unwrap_or_default())?;
            Ok(AgreeCommand::Edit { id, text })
        }
        ("retire", [id]) => number(id).map(AgreeCommand::Retire).ok_or_else(bad),
        ("accept", [id]) => number(id).map(AgreeCommand::Accept).ok_or_else(bad),
        ("decline", [id]) => number(id).map(AgreeCommand::Decline).ok_or_else(bad),
        _ => Err(bad()),
    }
}

/// `journal [list] | journal write <text> | journal share|unshare|delete <n>`
pub fn parse_journal(text: &str, args: &[&str]) -> Result<JournalCommand, UserError> {
    let Some((sub, rest)) = args.split_first() else {
        return Ok(JournalCommand::List);
    };
    let bad = || usage(Key::UsageJournal);
    match (sub.to_lowercase().as_str(), rest) {
        ("list", []) => Ok(JournalCommand::List),
        ("read", [id]) => number(id).map(JournalCommand::Read).ok_or_else(bad),
        (id, []) if number(id).is_some() => number(id).map(JournalCommand::Read).ok_or_else(bad),
        ("write", [_, ..]) => match text_after_words(text, 2).unwrap_or_default() {
            "" => Err(bad()),
            entry => Ok(JournalCommand::Write(entry.to_owned())),
        },
        ("share", [id]) => number(id).map(JournalCommand::Share).ok_or_else(bad),
        ("unshare", [id]) => number(id).map(JournalCommand::Unshare).ok_or_else(bad),
        ("delete", [id]) => number(id).map(JournalCommand::Delete).ok_or_else(bad),
        _ => Err(bad()),
    }
}

/// A thank-you, and what to do with one the coach held back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppreciateCommand {
    Send(String),
    /// Post the held one as it is.
    PostHeld,
    /// Drop the held one.
    DiscardHeld,
}

/// `appreciate <text> | appreciate --post | appreciate --discard`
pub fn parse_appreciate(text: &str, args: &[&str]) -> Result<AppreciateCommand, UserError> {
    match args {
        ["--post"] => return Ok(AppreciateCommand::PostHeld),
        ["--discard"] => return Ok(AppreciateCommand::DiscardHeld),
        _ => {}
    }
    let said = text_after_words(text, 1).unwrap_or_default();
    if args.is_empty() || said.is_empty() || said.chars().count() > MAX_TITLE_CHARS {
        return Err(usage(Key::UsageAppreciate));
    }
    Ok(AppreciateCommand::Send(said.to_owned()))
}

/// `recap | recap <when> | recap off | recap now`
pub fn parse_recap(args: &[&str]) -> Result<RecapCommand, UserError> {
    match args {
        [] => Ok(RecapCommand::Status),
        [word] if word.eq_ignore_ascii_case("status") => Ok(RecapCommand::Status),
        [word] if word.eq_ignore_ascii_case("off") => Ok(RecapCommand::Off),
        [word] if word.eq_ignore_ascii_case("now") => Ok(RecapCommand::Now),
        [word] if word.eq_ignore_ascii_case("accept") => Ok(RecapCommand::Accept),
        [word] if word.eq_ignore_ascii_case("decline") => Ok(RecapCommand::Decline),
        when => Recurrence::parse(when).map(RecapCommand::Set),
    }
}

/// `mydata export | mydata delete [confirm]`
pub fn parse_mydata(args: &[&str]) -> Result<MyDataCommand, UserError> {
    let lower: Vec<String> = args.iter().map(|w| w.to_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    match lower.as_slice() {
        ["export"] => Ok(MyDataCommand::Export),
        ["delete"] => Ok(MyDataCommand::Delete { confirmed: false }),
        ["delete", "confirm"] => Ok(MyDataCommand::Delete { confirmed: true }),
        _ => Err(usage(Key::UsageMydata)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_goal(text: &str) -> NewGoal {
        match parse_goal(text, &text.split_whitespace().skip(1).collect::<Vec<_>>()) {
            Ok(GoalCommand::Add(goal)) => goal,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn cadences_in_everyday_words() {
        for (text, title, per_week) in [
            (
                "goal promise call you when I land, weekly",
                "call you when I land",
                1,
            ),
            (
                "goal promise call you when I land every week",
                "call you when I land",
                1,
            ),
            ("goal shared walk every day", "walk", 7),
            ("goal shared walk, every other day", "walk", 3),
            ("goal shared walk twice weekly", "walk", 2),
            ("goal shared walk 3x weekly", "walk", 3),
            ("goal shared a hug once a day", "a hug", 7),
            ("goal shared plan a week away", "plan a week away", 0),
        ] {
            let goal = new_goal(text);
            assert_eq!(goal.title, title, "{text}");
            assert_eq!(goal.per_week, Some(per_week).filter(|n| *n > 0), "{text}");
        }
    }

    #[test]
    fn goal_options_come_off_the_end_of_the_title() {
        let goal = new_goal("goal promise Text when I'm running late, 3 times a week");
        assert_eq!(goal.title, "Text when I'm running late");
        assert_eq!(goal.per_week, Some(3));
        assert_eq!(goal.goal_for, GoalFor::Me);
        let goal = new_goal("goal shared Walk together twice a week by 2026-12-24");
        assert_eq!(goal.title, "Walk together");
        assert_eq!(goal.per_week, Some(2));
        assert_eq!(goal.due, NaiveDate::from_ymd_opt(2026, 12, 24));
        let goal = new_goal("goal ask Put the phone away at dinner daily");
        assert_eq!((goal.per_week, goal.goal_for), (Some(7), GoalFor::Partner));
        // A title that merely mentions a week keeps its words.
        assert_eq!(
            new_goal("goal shared Plan a week away").title,
            "Plan a week away"
        );
    }

    #[test]
    fn bad_goal_input_is_refused() {
        let parse =
            |text: &str| parse_goal(text, &text.split_whitespace().skip(1).collect::<Vec<_>>());
        assert!(matches!(
            parse("goal shared Walk 9 times a week"),
            Err(UserError::BadCadence { .. })
        ));
        assert!(matches!(
            parse("goal shared Walk by 24.12."),
            Err(UserError::BadDate { .. })
        ));
        assert!(matches!(parse("goal shared"), Err(UserError::Usage { .. })));
        assert!(matches!(parse("goal log"), Err(UserError::Usage { .. })));
        assert!(matches!(parse("goal kept x"), Err(UserError::Usage { .. })));
        assert_eq!(
            parse("goal log #2 walked to the park"),
            Ok(GoalCommand::Log {
                id: 2,
                note: Some("walked to the park".into())
            })
        );
    }

    #[test]
    fn agreements_journal_recap_and_mydata_parse() {
        let agree =
            |text: &str| parse_agree(text, &text.split_whitespace().skip(1).collect::<Vec<_>>());
        assert_eq!(
            agree("agree edit 3 No phones at dinner"),
            Ok(AgreeCommand::Edit {
                id: 3,
                text: "No phones at dinner".into()
            })
        );
        assert!(agree("agree add").is_err());
        let journal =
            |text: &str| parse_journal(text, &text.split_whitespace().skip(1).collect::<Vec<_>>());
        assert_eq!(
            journal("journal write Today was hard"),
            Ok(JournalCommand::Write("Today was hard".into()))
        );
        assert_eq!(journal("journal share #4"), Ok(JournalCommand::Share(4)));
        assert_eq!(journal("journal read 2"), Ok(JournalCommand::Read(2)));
        assert_eq!(journal("journal #2"), Ok(JournalCommand::Read(2)));
        assert!(journal("journal read").is_err());
        assert_eq!(parse_recap(&["off"]), Ok(RecapCommand::Off));
        assert!(matches!(
            parse_recap(&["weekly", "sun", "18:00"]),
            Ok(RecapCommand::Set(_))
        ));
        assert!(parse_recap(&["sometimes"]).is_err());
        assert_eq!(
            parse_mydata(&["delete", "CONFIRM"]),
            Ok(MyDataCommand::Delete { confirmed: true })
        );
        assert!(parse_mydata(&[]).is_err());
    }
}
