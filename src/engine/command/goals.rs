//! The grammar of goals and promises: shared goals, promises made or asked
//! for, their cadence in everyday words ("twice a week", "every other
//! day") and due dates, and what partners do with them.

use chrono::NaiveDate;

use super::text_after_words;
use super::together::{MAX_TITLE_CHARS, number, usage};
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
}
