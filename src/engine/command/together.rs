//! The grammar of the couple's shared life besides goals: agreements,
//! the journal, appreciations, the weekly recap, and `mydata`.

use super::text_after_words;
use crate::domain::recurrence::Recurrence;
use crate::error::UserError;
use crate::prompts::Key;

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
pub(super) const MAX_TITLE_CHARS: usize = 300;

pub(super) fn number(word: &str) -> Option<i64> {
    word.trim_start_matches('#').parse().ok().filter(|n| *n > 0)
}

pub(super) fn usage(key: Key) -> UserError {
    UserError::Usage { usage: key }
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
