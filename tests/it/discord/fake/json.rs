//! Discord's objects as the fake returns them: users, the application,
//! the test server and messages.

use serde_json::{Value, json};

use super::{BOT_ID, CHANNEL_ID, GUILD_ID, TIMESTAMP};

pub fn user_json(id: u64, name: &str, bot: bool) -> Value {
    json!({
        "id": id.to_string(),
        "username": name,
        "discriminator": "0",
        "global_name": null,
        "avatar": null,
        "bot": bot,
        "public_flags": 0,
        "flags": 0,
        "primary_guild": null,
    })
}

pub(super) fn application_json() -> Value {
    json!({
        "id": BOT_ID.to_string(),
        "name": "rapport",
        "icon": null,
        "description": "",
        "type": null,
        "verify_key": "0".repeat(64),
        "flags": 0,
        "flags_new": "0",
        "redirect_uris": [],
        "interactions_endpoint_url": null,
        "role_connections_verification_url": null,
        "owner": user_json(100, "owner", false),
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
        "approximate_user_authorization_count": 0,
        "explicit_content_filter": 0,
        "team": null,
        "eligible_oauth2_scopes": [],
        "bot_public": true,
        "bot_require_code_grant": false,
    })
}

pub(super) fn guild_json() -> Value {
    json!({
        "id": GUILD_ID.to_string(),
        "name": "Home",
        "icon": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": "100",
        "afk_channel_id": null,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [{
            "id": GUILD_ID.to_string(),
            "name": "@everyone",
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
            "hoist": false,
            "icon": null,
            "unicode_emoji": null,
            "position": 0,
            "permissions": "2248473465835073",
            "managed": false,
            "mentionable": false,
            "flags": 0,
        }],
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "stickers": [],
        "joined_at": TIMESTAMP,
        "large": false,
        "unavailable": false,
        "member_count": 3,
        "members": [],
        "channels": [{
            "id": CHANNEL_ID.to_string(),
            "type": 0,
            "guild_id": GUILD_ID.to_string(),
            "name": "us",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": false,
            "topic": null,
            "last_message_id": null,
            "parent_id": null,
            "rate_limit_per_user": 0,
            "flags": 0,
        }],
        "threads": [],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "lazy": true,
    })
}

/// A message a person wrote in the couple's channel, as the gateway sends it.
pub fn message_from(id: u64, author: u64, name: &str, content: &str) -> Value {
    let mut message = message_json(id, CHANNEL_ID, &json!({"content": content}), &[]);
    message["author"] = user_json(author, name, false);
    message["guild_id"] = json!(GUILD_ID.to_string());
    message
}

/// A message as Discord returns it, built from what the bot sent.
pub(super) fn message_json(id: u64, channel: u64, body: &Value, files: &[String]) -> Value {
    let attachments: Vec<Value> = files
        .iter()
        .enumerate()
        .map(|(index, name)| {
            json!({
                "id": (id + 1 + index as u64).to_string(),
                "filename": name,
                "size": 1,
                "url": format!("https://cdn.example/{name}"),
                "proxy_url": format!("https://media.example/{name}"),
            })
        })
        .collect();
    let mut component_id = 0;
    let components = number_components(&body["components"], &mut component_id);
    let mut message = json!({
        "id": id.to_string(),
        "channel_id": channel.to_string(),
        "author": user_json(BOT_ID, "rapport", true),
        "content": body["content"].as_str().unwrap_or(""),
        "timestamp": TIMESTAMP,
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": attachments,
        "embeds": [],
        "pinned": false,
        "type": 0,
        "flags": body["flags"].as_u64().unwrap_or(0),
        "components": components,
    });
    if let Some(nonce) = body.get("nonce").filter(|n| !n.is_null()) {
        message["nonce"] = nonce.clone();
    }
    message
}

/// Discord numbers every component in what it returns.
pub(super) fn number_components(components: &Value, next: &mut u64) -> Value {
    match components {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| {
                    let mut item = item.clone();
                    *next += 1;
                    item["id"] = json!(*next);
                    if let Some(inner) = item.get("components").cloned() {
                        item["components"] = number_components(&inner, next);
                    }
                    if item["type"] == json!(3) {
                        item["min_values"] = item.get("min_values").cloned().unwrap_or(json!(1));
                        item["max_values"] = item.get("max_values").cloned().unwrap_or(json!(1));
                    }
                    item
                })
                .collect(),
        ),
        _ => json!([]),
    }
}
