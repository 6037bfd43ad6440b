//! The slash commands: one table that maps every engine command to a
//! Discord command with options, built into poise commands at start-up.
//!
//! Each command's action turns its options back into the engine's typed
//! grammar (`pair invite 1234`), so Discord, Matrix and the console run
//! exactly the same rules. Descriptions come from `discord.commands` in the
//! prompts, so they can be translated like every other text.

use std::borrow::Cow;

use poise::serenity_prelude as serenity;
use serenity::{AutocompleteChoice, CommandOptionType, CreateAutocompleteResponse, ResolvedValue};

use super::interact::{shown_name, user_ref};
use super::{AppContext, Data, Error};
use crate::domain::UserRef;
use crate::engine::checkin::questions::themes;
use crate::engine::command::{Command, HelpTopic, MAX_INPUT_CHARS, RewordCommand};
use crate::prompts::Catalog;

/// Discord's longest command or option description.
pub const MAX_DESCRIPTION: usize = 100;
/// Suggestions shown while typing an option.
const MAX_SUGGESTIONS: usize = 25;

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
    leaf("pair here", &[]),
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
    leaf("agree accept", &[req("number", Kind::Number)]),
    leaf("agree decline", &[req("number", Kind::Number)]),
    leaf("journal list", &[]),
    leaf("journal write", &[req("text", Kind::Text)]),
    leaf("journal share", &[req("number", Kind::Number)]),
    leaf("journal unshare", &[req("number", Kind::Number)]),
    leaf("journal delete", &[req("number", Kind::Number)]),
    leaf("appreciate", &[req("text", Kind::Text)]),
    leaf("recap status", &[]),
    leaf("recap schedule", &[req("when", Kind::Text)]),
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
fn grammar_words(path: &str) -> &str {
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

/// The poise commands, described from the catalog. Fails when a
/// description is missing, so a translation cannot ship half done.
pub fn build(catalog: &Catalog) -> anyhow::Result<Vec<poise::Command<Data, Error>>> {
    let describe = |path: &str, param: Option<&str>| -> anyhow::Result<String> {
        let key = description_key(path, param);
        catalog
            .lookup(&key)
            .map(str::to_owned)
            .ok_or_else(|| anyhow::anyhow!("the prompts have no text for {key}"))
    };
    let mut roots: Vec<poise::Command<Data, Error>> = Vec::new();
    for leaf in LEAVES {
        let mut command = poise::Command {
            slash_action: Some(slash_action),
            description: Some(describe(leaf.path, None)?.into()),
            parameters: leaf
                .params
                .iter()
                .map(|param| Ok(parameter(param, describe(leaf.path, Some(param.name))?)))
                .collect::<anyhow::Result<_>>()?,
            custom_data: Box::new(leaf),
            ..Default::default()
        };
        if leaf.moderators {
            for_moderators(&mut command);
        }
        match leaf.path.split_once(' ') {
            None => {
                set_names(&mut command, leaf.path, leaf.path);
                roots.push(command);
            }
            Some((group, name)) => {
                set_names(&mut command, name, leaf.path);
                if roots.last().is_none_or(|root| root.name != group) {
                    let mut root = poise::Command {
                        description: Some(describe(group, None)?.into()),
                        // Never run (a subcommand is required), but poise
                        // registers only commands that have an action.
                        slash_action: Some(slash_action),
                        subcommand_required: true,
                        ..Default::default()
                    };
                    set_names(&mut root, group, group);
                    if leaf.moderators {
                        for_moderators(&mut root);
                    }
                    roots.push(root);
                }
                if let Some(root) = roots.last_mut() {
                    root.subcommands.push(command);
                }
            }
        }
    }
    Ok(roots)
}

/// Hidden from members without Manage Server, checked again when run (a
/// server can change who sees a command), and never offered in DMs.
fn for_moderators(command: &mut poise::Command<Data, Error>) {
    command.default_member_permissions = serenity::Permissions::MANAGE_GUILD;
    command.required_permissions = serenity::Permissions::MANAGE_GUILD;
    command.guild_only = true;
}

fn set_names(command: &mut poise::Command<Data, Error>, name: &'static str, path: &'static str) {
    command.name = Cow::Borrowed(name);
    command.qualified_name = Cow::Borrowed(path);
    command.identifying_name = Cow::Borrowed(path);
    command.source_code_name = Cow::Borrowed(path);
}

fn parameter(param: &Param, description: String) -> poise::CommandParameter<Data, Error> {
    let (type_setter, autocomplete): (
        fn(serenity::CreateCommandOption) -> serenity::CreateCommandOption,
        Option<Autocomplete>,
    ) = match param.kind {
        Kind::Text => (
            |o| {
                o.kind(CommandOptionType::String)
                    .max_length(MAX_INPUT_CHARS as u16)
            },
            None,
        ),
        Kind::User => (|o| o.kind(CommandOptionType::User), None),
        Kind::Rating => (
            |o| {
                o.kind(CommandOptionType::Integer)
                    .min_int_value(1)
                    .max_int_value(10)
            },
            None,
        ),
        Kind::Number => (
            |o| o.kind(CommandOptionType::Integer).min_int_value(1),
            None,
        ),
        Kind::Word(_) => (|o| o.kind(CommandOptionType::Integer), None),
        Kind::Zone => (|o| o.kind(CommandOptionType::String), Some(suggest_zones)),
        Kind::Goal => (|o| o.kind(CommandOptionType::String), Some(suggest_goals)),
        Kind::Feeling => (
            |o| o.kind(CommandOptionType::String),
            Some(suggest_feelings),
        ),
        Kind::Theme => (|o| o.kind(CommandOptionType::String), Some(suggest_themes)),
    };
    let choices = match param.kind {
        Kind::Word(words) => words
            .iter()
            .map(|word| poise::CommandParameterChoice {
                name: Cow::Borrowed(*word),
                localizations: Cow::Borrowed(&[]),
                __non_exhaustive: (),
            })
            .collect(),
        _ => Vec::new(),
    };
    poise::CommandParameter {
        name: Cow::Borrowed(param.name),
        name_localizations: Cow::Borrowed(&[]),
        description: Some(description.into()),
        description_localizations: Cow::Borrowed(&[]),
        required: param.required,
        channel_types: None,
        choices: choices.into(),
        type_setter: Some(type_setter),
        autocomplete_callback: autocomplete,
        __non_exhaustive: (),
    }
}

type Autocomplete =
    for<'a> fn(AppContext<'a>, &'a str) -> poise::BoxFuture<'a, CreateAutocompleteResponse>;

fn slash_action(
    ctx: AppContext<'_>,
) -> poise::BoxFuture<'_, Result<(), poise::FrameworkError<'_, Data, Error>>> {
    Box::pin(async move {
        super::interact::on_slash(ctx)
            .await
            .map_err(|error| poise::FrameworkError::new_command(ctx.into(), error))
    })
}

/// The leaf a poise command was built from.
pub fn leaf_of(command: &poise::Command<Data, Error>) -> Option<&'static Leaf> {
    command.custom_data.downcast_ref::<&'static Leaf>().copied()
}

/// What the person asked for, as the engine's command.
pub enum Asked {
    Line(String),
    Command(Command),
}

/// Turns a command's options into the engine's grammar.
pub fn asked(leaf: &Leaf, options: &[serenity::ResolvedOption<'_>]) -> Asked {
    let value = |name: &str| options.iter().find(|o| o.name == name).map(|o| &o.value);
    let text = |name: &str| match value(name) {
        Some(ResolvedValue::String(text)) => Some((*text).to_owned()),
        _ => None,
    };
    if let Action::Reword = leaf.action {
        return Asked::Command(Command::Reword(RewordCommand::Suggest {
            text: text("message").unwrap_or_default(),
            feeling: text("feeling").filter(|f| !f.trim().is_empty()),
        }));
    }
    let mut line = grammar_words(leaf.path).to_owned();
    for param in leaf.params {
        let word = match (param.kind, value(param.name)) {
            (_, None) => continue,
            (Kind::Word(words), Some(ResolvedValue::Integer(index))) => usize::try_from(*index)
                .ok()
                .and_then(|i| words.get(i))
                .map(|w| (*w).to_owned()),
            (Kind::Theme, Some(ResolvedValue::String(theme))) => Some(format!("theme {theme}")),
            (_, Some(ResolvedValue::String(text))) => Some((*text).to_owned()),
            (_, Some(ResolvedValue::Integer(number))) => Some(number.to_string()),
            (_, Some(ResolvedValue::User(user, _))) => Some(user.id.to_string()),
            _ => None,
        };
        if let Some(word) = word {
            line.push(' ');
            line.push_str(&word);
        }
    }
    Asked::Line(line)
}

/// The people a command's user options name, with the names Discord
/// showed for them.
pub fn named_users(options: &[serenity::ResolvedOption<'_>]) -> Vec<(UserRef, String)> {
    options
        .iter()
        .filter_map(|option| match &option.value {
            ResolvedValue::User(user, member) => Some((
                user_ref(user.id),
                shown_name(user, member.and_then(|m| m.nick.as_deref())),
            )),
            _ => None,
        })
        .collect()
}

fn suggestions(values: impl Iterator<Item = (String, String)>) -> CreateAutocompleteResponse {
    CreateAutocompleteResponse::new().set_choices(
        values
            .take(MAX_SUGGESTIONS)
            .map(|(name, value)| AutocompleteChoice::new(super::render::cut(&name, 100), value))
            .collect(),
    )
}

fn matches(candidate: &str, typed: &str) -> bool {
    candidate
        .to_lowercase()
        .contains(&typed.trim().to_lowercase())
}

fn suggest_zones<'a>(
    _ctx: AppContext<'a>,
    typed: &'a str,
) -> poise::BoxFuture<'a, CreateAutocompleteResponse> {
    Box::pin(async move {
        suggestions(
            chrono_tz::TZ_VARIANTS
                .iter()
                .map(|zone| zone.name())
                .filter(|name| matches(name, typed))
                .map(|name| (name.to_owned(), name.to_owned())),
        )
    })
}

fn suggest_goals<'a>(
    ctx: AppContext<'a>,
    typed: &'a str,
) -> poise::BoxFuture<'a, CreateAutocompleteResponse> {
    Box::pin(async move {
        let user = super::interact::user_ref(ctx.interaction.user.id);
        let goals = match ctx.data().engine.open_goals_of(&user).await {
            Ok(goals) => goals,
            Err(error) => {
                tracing::warn!(error.cause_chain = ?error, "cannot list goals for suggestions");
                Vec::new()
            }
        };
        suggestions(
            goals
                .into_iter()
                .map(|(id, title)| (format!("#{id} {title}"), id.to_string()))
                .filter(|(name, _)| matches(name, typed)),
        )
    })
}

fn suggest_feelings<'a>(
    ctx: AppContext<'a>,
    typed: &'a str,
) -> poise::BoxFuture<'a, CreateAutocompleteResponse> {
    Box::pin(async move {
        let feelings = ctx.data().engine.coach().other_feelings("");
        suggestions(
            feelings
                .into_iter()
                .filter(|feeling| matches(feeling, typed))
                .map(|feeling| (feeling.to_owned(), feeling.to_owned())),
        )
    })
}

fn suggest_themes<'a>(
    ctx: AppContext<'a>,
    typed: &'a str,
) -> poise::BoxFuture<'a, CreateAutocompleteResponse> {
    Box::pin(async move {
        suggestions(
            themes(&ctx.data().engine)
                .into_iter()
                .filter(|name| matches(name, typed))
                .map(|name| (name.clone(), name)),
        )
    })
}
