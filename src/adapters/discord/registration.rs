//! Registration: the command table built into poise commands at start-up,
//! described from the catalog, with each option's Discord type and
//! suggestions.

use std::borrow::Cow;

use poise::serenity_prelude as serenity;
use serenity::{CommandOptionType, CreateAutocompleteResponse};

use super::suggest;
use super::table::{Kind, LEAVES, Leaf, Param, description_key};
use super::{AppContext, Data, Error};
use crate::engine::command::MAX_INPUT_CHARS;
use crate::prompts::Catalog;

/// What runs a slash command; supplied by the caller, so the commands'
/// shape does not depend on how they are answered.
pub type SlashAction =
    for<'a> fn(
        AppContext<'a>,
    ) -> poise::BoxFuture<'a, Result<(), poise::FrameworkError<'a, Data, Error>>>;

type Autocomplete =
    for<'a> fn(AppContext<'a>, &'a str) -> poise::BoxFuture<'a, CreateAutocompleteResponse>;

type TypeSetter = fn(serenity::CreateCommandOption) -> serenity::CreateCommandOption;

/// The poise commands, described from the catalog, each run by
/// `slash_action`. Fails when a description is missing, so a translation
/// cannot ship half done.
pub fn build(
    catalog: &Catalog,
    slash_action: SlashAction,
) -> anyhow::Result<Vec<poise::Command<Data, Error>>> {
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
                    let description = describe(group, None)?;
                    roots.push(group_root(
                        group,
                        description,
                        slash_action,
                        leaf.moderators,
                    ));
                }
                if let Some(root) = roots.last_mut() {
                    root.subcommands.push(command);
                }
            }
        }
    }
    Ok(roots)
}

/// The command that holds a group's subcommands (`pair` for `pair invite`).
fn group_root(
    group: &'static str,
    description: String,
    slash_action: SlashAction,
    moderators: bool,
) -> poise::Command<Data, Error> {
    let mut root = poise::Command {
        description: Some(description.into()),
        // Never run (a subcommand is required), but poise registers only
        // commands that have an action.
        slash_action: Some(slash_action),
        subcommand_required: true,
        ..Default::default()
    };
    set_names(&mut root, group, group);
    if moderators {
        for_moderators(&mut root);
    }
    root
}

/// The leaf a poise command was built from.
pub fn leaf_of(command: &poise::Command<Data, Error>) -> Option<&'static Leaf> {
    command.custom_data.downcast_ref::<&'static Leaf>().copied()
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
    let (type_setter, autocomplete) = option_type(param.kind);
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

/// An option's Discord type and limits, and what suggests its values.
fn option_type(kind: Kind) -> (TypeSetter, Option<Autocomplete>) {
    match kind {
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
        Kind::Zone => (|o| o.kind(CommandOptionType::String), Some(suggest::zones)),
        Kind::Goal => (|o| o.kind(CommandOptionType::String), Some(suggest::goals)),
        Kind::Feeling => (
            |o| o.kind(CommandOptionType::String),
            Some(suggest::feelings),
        ),
        Kind::Theme => (|o| o.kind(CommandOptionType::String), Some(suggest::themes)),
    }
}
