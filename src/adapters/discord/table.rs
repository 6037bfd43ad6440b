//! The command table: every engine command as a Discord command path with
//! its options, and the words the engine's grammar uses for each.
//!
//! Descriptions come from `discord.commands` in the prompts
//! ([`description_key`]), so they can be translated like every other text.

use crate::engine::command::HelpTopic;

/// Discord's longest command or option description.
pub const MAX_DESCRIPTION: usize = 100;

/// One runnable command: its path (`pair invite`), how it reaches the
/// engine, and its options.
pub struct Leaf {
    pub path: &'static str,
    pub action: Action,
    pub params: &'static [Param],
    /// Shown to and run by people with Manage Server only.
    pub moderators: bool,
}

pub enum Action {
    /// The path's words followed by the options, parsed by the engine.
    Line,
    /// `/reword`: built as a command value, because its free text may start
    /// with a word the line grammar would read as a subcommand.
    Reword,
}

pub struct Param {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

#[derive(Clone, Copy)]
pub enum Kind {
    Text,
    User,
    /// 1–10.
    Rating,
    /// A list number such as an agreement's.
    Number,
    /// An IANA zone, suggested while typing.
    Zone,
    /// One of the couple's open goals, suggested while typing.
    Goal,
    /// A feeling from the coach's list, suggested while typing.
    Feeling,
    /// A question theme from the decks, suggested while typing.
    Theme,
    /// One of a few fixed words of the grammar.
    Word(&'static [&'static str]),
}

const fn opt(name: &'static str, kind: Kind) -> Param {
    Param {
        name,
        kind,
        required: false,
    }
}

const fn req(name: &'static str, kind: Kind) -> Param {
    Param {
        name,
        kind,
        required: true,
    }
}

const fn leaf(path: &'static str, params: &'static [Param]) -> Leaf {
    Leaf {
        path,
        action: Action::Line,
        params,
        moderators: false,
    }
}

const fn moderated(path: &'static str, params: &'static [Param]) -> Leaf {
    Leaf {
        moderators: true,
        ..leaf(path, params)
    }
}

/// Every command, grouped by their first word in this order.
pub const LEAVES: &[Leaf] = &[
    leaf("help", &[opt("topic", Kind::Word(HelpTopic::WORDS))]),
    leaf("pair status", &[]),
    leaf("pair invite", &[opt("partner", Kind::User)]),
    leaf("pair accept", &[opt("code", Kind::Text)]),
    leaf("pair decline", &[opt("code", Kind::Text)]),
    leaf("pair cancel", &[]),
    leaf("pair leave", &[]),
    leaf("pair restore", &[req("answer", Kind::Word(&["yes", "no"]))]),
    leaf("pair here", &[]),
    leaf(
        "pair space",
        &[opt(
            "choice",
            Kind::Word(&["thread", "private", "accept", "decline"]),
        )],
    ),
    leaf("settings show", &[]),
    leaf("settings zone", &[req("zone", Kind::Zone)]),
    leaf("settings quiet", &[req("hours", Kind::Text)]),
    leaf("checkin status", &[]),
    leaf(
        "checkin schedule",
        &[
            req("when", Kind::Text),
            opt("kind", Kind::Word(&["private", "shared"])),
            opt("theme", Kind::Theme),
        ],
    ),
    leaf("checkin accept", &[]),
    leaf("checkin decline", &[]),
    leaf("checkin pause", &[req("until", Kind::Text)]),
    leaf("checkin resume", &[]),
    leaf("checkin skip", &[]),
    leaf("checkin now", &[]),
    leaf("checkin stop", &[]),
    leaf(
        "checkin answer",
        &[req("rating", Kind::Rating), opt("answer", Kind::Text)],
    ),
    leaf("checkin history", &[]),
    Leaf {
        path: "reword",
        action: Action::Reword,
        params: &[req("message", Kind::Text), opt("feeling", Kind::Feeling)],
        moderators: false,
    },
    leaf("nudges", &[opt("state", Kind::Word(&["on", "off"]))]),
    leaf("goal list", &[]),
    leaf(
        "goal new",
        &[
            req("for", Kind::Word(&["shared", "promise", "ask"])),
            req("title", Kind::Text),
        ],
    ),
    leaf("goal accept", &[req("goal", Kind::Goal)]),
    leaf("goal decline", &[req("goal", Kind::Goal)]),
    leaf(
        "goal log",
        &[req("goal", Kind::Goal), opt("note", Kind::Text)],
    ),
    leaf("goal kept", &[req("goal", Kind::Goal)]),
    leaf("goal missed", &[req("goal", Kind::Goal)]),
    leaf("goal done", &[req("goal", Kind::Goal)]),
    leaf("goal drop", &[req("goal", Kind::Goal)]),
    leaf("agree list", &[]),
    leaf("agree add", &[req("text", Kind::Text)]),
    leaf(
        "agree edit",
        &[req("number", Kind::Number), req("text", Kind::Text)],
    ),
    leaf("agree retire", &[req("number", Kind::Number)]),
    leaf("agree accept", &[req("number", Kind::Number)]),
    leaf("agree decline", &[req("number", Kind::Number)]),
    leaf("journal list", &[]),
    leaf("journal read", &[req("number", Kind::Number)]),
    leaf("journal write", &[req("text", Kind::Text)]),
    leaf("journal share", &[req("number", Kind::Number)]),
    leaf("journal unshare", &[req("number", Kind::Number)]),
    leaf("journal delete", &[req("number", Kind::Number)]),
    leaf("appreciate", &[req("text", Kind::Text)]),
    leaf("recap status", &[]),
    leaf("recap schedule", &[req("when", Kind::Text)]),
    leaf("recap accept", &[]),
    leaf("recap decline", &[]),
    leaf("recap off", &[]),
    leaf("recap now", &[]),
    leaf("mydata export", &[]),
    leaf("mydata delete", &[]),
    moderated("server status", &[]),
    moderated("server nudges", &[req("state", Kind::Word(&["on", "off"]))]),
];

/// What each command's words mean to the engine, where they differ from
/// the Discord names (Discord needs a subcommand where the grammar has
/// none).
pub(super) fn grammar_words(path: &str) -> &str {
    match path {
        "nudges" => "reword nudges",
        "server status" => "settings space",
        "server nudges" => "settings space nudges",
        "goal new" | "recap schedule" => path.split(' ').next().unwrap_or(path),
        _ => path,
    }
}

/// The prompt key of a command's or an option's description.
pub fn description_key(path: &str, param: Option<&str>) -> String {
    let mut key = format!("discord.commands.{}", path.replace(' ', "_"));
    if let Some(param) = param {
        key.push('_');
        key.push_str(param);
    }
    key
}
