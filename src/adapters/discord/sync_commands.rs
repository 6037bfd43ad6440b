//! Slash commands are registered only when they changed: Discord is asked
//! for the ones it has, and they are compared with what this build would
//! register (names, options, descriptions and their localizations,
//! permissions and contexts). A restart with the same commands sends
//! nothing, so it neither spends the registration rate limit nor makes
//! clients reload the command list. With several processes on one
//! database, the one holding the registrar's lease registers.

use anyhow::Context;
use poise::serenity_prelude as serenity;
use serde_json::{Map, Value};
use serenity::{Command, CreateCommand, GuildId, Http};

use crate::engine::Engine;

/// Keys of a command that change what people see or may use.
const COMMAND_KEYS: &[&str] = &[
    "name",
    "name_localizations",
    "description",
    "description_localizations",
    "options",
    "default_member_permissions",
    "contexts",
    "type",
];

/// Keys of an option (or a subcommand, or a choice) that matter.
const OPTION_KEYS: &[&str] = &[
    "type",
    "name",
    "name_localizations",
    "description",
    "description_localizations",
    "required",
    "choices",
    "options",
    "autocomplete",
    "min_value",
    "max_value",
    "min_length",
    "max_length",
    "channel_types",
    "value",
];

/// The lease one process takes to register when several share a database.
const REGISTRAR: &str = "discord-commands";
/// How long it holds: processes started together leave it to the first,
/// and a restart a minute later registers again if the commands changed.
const REGISTRAR_HOLD: chrono::Duration = chrono::Duration::minutes(1);

/// Registers the commands if this process holds the registrar's lease
/// (with several processes on one database, only one asks Discord).
pub async fn register(
    engine: &Engine,
    http: &Http,
    wanted: Vec<CreateCommand>,
    guild: Option<GuildId>,
) -> anyhow::Result<()> {
    let ours = engine
        .take_lease(REGISTRAR, REGISTRAR_HOLD)
        .await
        .unwrap_or_else(|error| {
            // Alone on a failing store, registering anyway is the safe side.
            tracing::warn!(error.cause_chain = ?error, "cannot take the registrar's lease; registering");
            true
        });
    if !ours {
        tracing::info!("another rapport process registers the slash commands");
        return Ok(());
    }
    let registered = sync(http, wanted, guild)
        .await
        .context("cannot register the slash commands")?;
    if registered {
        tracing::info!("registered the slash commands, which had changed");
    } else {
        tracing::info!("the slash commands are unchanged; not registered again");
    }
    Ok(())
}

/// Registers `wanted` in the server (or globally) unless Discord already
/// has exactly these; whether it registered.
pub async fn sync(
    http: &Http,
    wanted: Vec<CreateCommand>,
    guild: Option<GuildId>,
) -> serenity::Result<bool> {
    let existing = match guild {
        Some(guild) => guild.get_commands(http).await?,
        None => Command::get_global_commands(http).await?,
    };
    if same(&wanted, &existing) {
        return Ok(false);
    }
    match guild {
        Some(guild) => guild.set_commands(http, wanted).await.map(drop)?,
        None => Command::set_global_commands(http, wanted).await.map(drop)?,
    }
    Ok(true)
}

/// Whether Discord's commands are the ones this build would register.
fn same(wanted: &[CreateCommand], existing: &[Command]) -> bool {
    let (Ok(wanted), Ok(existing)) = (serde_json::to_value(wanted), serde_json::to_value(existing))
    else {
        return false; // when in doubt, register
    };
    sorted(comparable(&wanted, COMMAND_KEYS)) == sorted(comparable(&existing, COMMAND_KEYS))
}

/// The list sorted by name, as Discord may return it in any order.
fn sorted(value: Value) -> Value {
    let Value::Array(mut items) = value else {
        return value;
    };
    items.sort_by_key(|item| item["name"].as_str().unwrap_or_default().to_owned());
    Value::Array(items)
}

/// `value` reduced to `keys` (options to [`OPTION_KEYS`], recursively),
/// with what Discord treats as absent dropped: nulls, `false`, empty lists
/// and maps, and a command type of 1 (the default, a slash command).
fn comparable(value: &Value, keys: &[&str]) -> Value {
    match value {
        Value::Array(items) => {
            Value::Array(items.iter().map(|item| comparable(item, keys)).collect())
        }
        Value::Object(map) => {
            let mut kept = Map::new();
            for key in keys {
                let Some(field) = map.get(*key) else {
                    continue;
                };
                let field = match *key {
                    "options" | "choices" => comparable(field, OPTION_KEYS),
                    _ => field.clone(),
                };
                let absent = match &field {
                    Value::Null | Value::Bool(false) => true,
                    Value::Array(items) => items.is_empty(),
                    Value::Object(map) => map.is_empty(),
                    _ => false,
                };
                let default_type = keys == COMMAND_KEYS && *key == "type" && field == 1;
                if !absent && !default_type {
                    kept.insert((*key).to_owned(), field);
                }
            }
            Value::Object(kept)
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn what_discord_adds_or_leaves_out_is_not_a_change() {
        let sent = json!([{"name": "pair", "description": "Pairing", "options": [
            {"type": 1, "name": "invite", "description": "Invite", "options": [],
             "required": false}], "type": 1, "name_localizations": null}]);
        let stored = json!([{"id": "9", "application_id": "1", "version": "3", "name": "pair",
            "description": "Pairing", "default_member_permissions": null, "options": [
            {"type": 1, "name": "invite", "description": "Invite"}]}]);
        assert_eq!(
            comparable(&sent, COMMAND_KEYS),
            comparable(&stored, COMMAND_KEYS)
        );
        let reworded = json!([{"name": "pair", "description": "Pair up", "options": [
            {"type": 1, "name": "invite", "description": "Invite"}]}]);
        assert_ne!(
            comparable(&reworded, COMMAND_KEYS),
            comparable(&stored, COMMAND_KEYS)
        );
    }
}
