//! Interaction payloads as Discord sends them (slash commands and their
//! options, with the envelope every interaction shares), for the tests and
//! the interaction benchmark.

use serde_json::{Value, json};

use super::fake::json::user_json;
use super::fake::{BOT_ID, CHANNEL_ID, GUILD_ID};

pub const ANA: u64 = 100_000_000_000_000_001;
pub const BEN: u64 = 100_000_000_000_000_002;

pub fn member(user: u64, name: &str) -> Value {
    json!({
        "user": user_json(user, name, false),
        "nick": null,
        "avatar": null,
        "roles": [],
        "joined_at": "2026-01-01T00:00:00.000000+00:00",
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        // View Channels and Send Messages, not Manage Server.
        "permissions": "3072",
    })
}

/// The names the tests know people by; anyone else is "person".
pub fn name_of(user: u64) -> &'static str {
    match user {
        ANA => "ana",
        BEN => "ben",
        _ => "person",
    }
}

/// The envelope every interaction shares: where and who.
pub fn envelope(user: u64, in_channel: bool, channel: u64, kind: u64, data: Value) -> Value {
    let mut interaction = json!({
        "application_id": BOT_ID.to_string(),
        "type": kind,
        "data": data,
        "version": 1,
        "app_permissions": "2248473465835073",
        "locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD_ID.to_string()},
        "attachment_size_limit": 10_485_760,
    });
    if in_channel {
        interaction["guild_id"] = json!(GUILD_ID.to_string());
        interaction["guild_locale"] = json!("en-US");
        interaction["channel_id"] = json!(channel.to_string());
        interaction["channel"] = json!({"id": channel.to_string(), "type": 0, "guild_id": GUILD_ID.to_string(), "name": "us", "flags": 0, "position": 0});
        interaction["member"] = member(user, name_of(user));
        interaction["context"] = json!(0);
    } else {
        interaction["channel_id"] = json!(channel.to_string());
        interaction["channel"] = json!({"id": channel.to_string(), "type": 1, "flags": 0, "recipients": [user_json(user, name_of(user), false)]});
        interaction["user"] = user_json(user, name_of(user), false);
        interaction["context"] = json!(1);
    }
    interaction
}

/// A slash command interaction, e.g. `("pair invite", [{"name": "partner", …}])`.
pub fn command(user: u64, in_channel: bool, path: &str, options: Value) -> Value {
    let mut words = path.split(' ');
    let name = words.next().unwrap_or(path);
    let mut resolved = json!({});
    for option in options.as_array().into_iter().flatten() {
        if option["type"] == json!(6) {
            let id: u64 = option["value"].as_str().unwrap().parse().unwrap();
            resolved["users"][id.to_string()] = user_json(id, name_of(id), false);
            let mut partial = member(id, name_of(id));
            partial.as_object_mut().unwrap().remove("user");
            partial.as_object_mut().unwrap().remove("deaf");
            partial.as_object_mut().unwrap().remove("mute");
            resolved["members"][id.to_string()] = partial;
        }
    }
    let options = match words.next() {
        Some(sub) => json!([{"name": sub, "type": 1, "options": options}]),
        None => options,
    };
    let mut data = json!({"id": "1", "name": name, "type": 1, "options": options});
    if resolved.as_object().is_some_and(|r| !r.is_empty()) {
        data["resolved"] = resolved;
    }
    if in_channel {
        data["guild_id"] = json!(GUILD_ID.to_string());
    }
    envelope(
        user,
        in_channel,
        if in_channel { CHANNEL_ID } else { 1 },
        2,
        data,
    )
}

pub fn text_option(name: &str, value: &str) -> Value {
    json!({"name": name, "type": 3, "value": value})
}

pub fn int_option(name: &str, value: i64) -> Value {
    json!({"name": name, "type": 4, "value": value})
}
