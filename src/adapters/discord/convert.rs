//! Discord values as engine values: people, actors, places, and a slash
//! command's options as the engine's command.
//!
//! A command's options become the engine's typed grammar again
//! (`pair invite 1234`), so Discord, Matrix and the console run exactly the
//! same rules.

use poise::serenity_prelude as serenity;
use serenity::{ChannelId, GuildId, Member, ResolvedValue, User, UserId};

use super::table::{Action, Kind, Leaf, grammar_words};
use crate::domain::{Platform, SpaceRef, UserRef};
use crate::engine::command::{Command, RewordCommand};
use crate::engine::message::{Actor, Place};

/// A person on Discord, as the engine knows them.
pub fn user_ref(id: UserId) -> UserRef {
    UserRef::new(Platform::Discord, id.to_string())
}

/// The person acting, with the name their partner knows: the server
/// nickname, else the global display name, else the user name. Members who
/// may manage the server moderate its channels.
pub fn actor_of(user: &User, member: Option<&Member>) -> Actor {
    let name = shown_name(user, member.and_then(|m| m.nick.as_deref()));
    let moderator = member
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.manage_guild());
    Actor::new(user_ref(user.id), name)
        .with_moderator(moderator)
        .with_handle(format!("@{}", user.name))
}

/// The name Discord shows for a person: the server nickname, else the
/// global display name, else the user name.
pub fn shown_name(user: &User, nick: Option<&str>) -> String {
    nick.map(str::to_owned)
        .or_else(|| user.global_name.clone())
        .unwrap_or_else(|| user.name.clone())
}

/// A server channel is a shared space; a DM is private.
pub fn place_of(guild: Option<GuildId>, channel: ChannelId) -> Place {
    match guild {
        Some(_) => Place::Space(SpaceRef::new(Platform::Discord, channel.to_string())),
        None => Place::Direct,
    }
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
