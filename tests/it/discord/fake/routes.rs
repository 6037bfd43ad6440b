//! What each of the fake's REST routes does to its state: DM channels,
//! messages (with `enforce_nonce`, edits and deletes), command
//! registration, interaction callbacks and follow-ups.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::json::{message_json, number_components, user_json};
use super::{Answer, BOT_ID, CHANNEL_ID, FakeDiscord, Posted, State};

/// A status and the JSON body, if any, the fake answers with.
pub(super) type Reply = (u16, Option<Value>);

pub(super) fn error(status: u16, code: u32, message: &str) -> Reply {
    (status, Some(json!({"code": code, "message": message})))
}

/// Each route's behaviour, on the fake's state (the lock already held).
impl State {
    /// Counts this request against the global limit, if one is set; true
    /// when it is over.
    pub(super) fn over_rate_limit(&mut self) -> bool {
        let Some(limit) = self.limit_per_second else {
            return false;
        };
        let now = Instant::now();
        let window = self.rate_window.unwrap_or(Duration::from_secs(1));
        while self
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            self.recent.pop_front();
        }
        if self.recent.len() >= limit {
            return true;
        }
        self.recent.push_back(now);
        false
    }

    pub(super) fn gateway_bot(&self) -> Reply {
        (
            200,
            Some(json!({
                "url": self.gateway.url,
                "shards": self.shard_count.max(1),
                "session_start_limit": {
                    "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1,
                },
            })),
        )
    }

    pub(super) fn register_commands(&mut self, body: &Value) -> Reply {
        let mut registered = Vec::new();
        for command in body.as_array().into_iter().flatten() {
            // Discord leaves out what was sent as null.
            let mut command = without_nulls(command);
            if let Some(bits) = command["default_member_permissions"].as_u64() {
                command["default_member_permissions"] = json!(bits.to_string());
            }
            command["id"] = json!(FakeDiscord::next_id(self).to_string());
            command["application_id"] = json!(BOT_ID.to_string());
            command["version"] = json!("1");
            command["type"] = json!(command["type"].as_u64().unwrap_or(1));
            if command.get("default_member_permissions").is_none() {
                command["default_member_permissions"] = Value::Null;
            }
            registered.push(command);
        }
        self.commands = Value::Array(registered.clone());
        (200, Some(Value::Array(registered)))
    }

    pub(super) fn open_dm(&mut self, body: &Value) -> Reply {
        let Some(user) = body["recipient_id"]
            .as_str()
            .and_then(|id| id.parse::<u64>().ok())
        else {
            return error(400, 50035, "Invalid Form Body");
        };
        let channel = match self.dm_channels.get(&user) {
            Some(channel) => *channel,
            None => {
                let channel = FakeDiscord::next_id(self);
                self.dm_channels.insert(user, channel);
                channel
            }
        };
        let name = self
            .users
            .get(&user)
            .cloned()
            .unwrap_or_else(|| "someone".into());
        (
            200,
            Some(json!({
                "id": channel.to_string(),
                "type": 1,
                "flags": 0,
                "last_message_id": null,
                "recipients": [user_json(user, &name, false)],
            })),
        )
    }

    /// A new message, or the earlier one for a nonce already used with
    /// `enforce_nonce`, as Discord does for retried sends.
    pub(super) fn post_message(&mut self, channel: &str, body: &Value, files: &[String]) -> Reply {
        let Ok(channel) = channel.parse::<u64>() else {
            return error(404, 10003, "Unknown Channel");
        };
        let dm_of = self
            .dm_channels
            .iter()
            .find(|(_, c)| **c == channel)
            .map(|(u, _)| *u);
        if dm_of.is_some_and(|user| self.dm_closed.contains(&user)) {
            return error(403, 50007, "Cannot send messages to this user");
        }
        if dm_of.is_none() && channel != CHANNEL_ID && !self.threads.contains_key(&channel) {
            return error(404, 10003, "Unknown Channel");
        }
        if body["enforce_nonce"] == json!(true)
            && let Some(nonce) = body["nonce"].as_str()
            && let Some(id) = self.nonces.get(&(channel, nonce.to_owned()))
            && let Some(earlier) = self.messages.iter().find(|m| m.id() == *id)
        {
            return (200, Some(earlier.json.clone()));
        }
        let id = FakeDiscord::next_id(self);
        let json = message_json(id, channel, body, files);
        if let Some(nonce) = body["nonce"].as_str() {
            self.nonces.insert((channel, nonce.to_owned()), id);
        }
        self.messages.push(Posted {
            channel_id: channel,
            content: body["content"].as_str().unwrap_or("").to_owned(),
            components: body["components"].clone(),
            files: files.to_vec(),
            json: json.clone(),
        });
        (200, Some(json))
    }

    /// Only the bot's own messages, in the channel they are in.
    pub(super) fn edit_message(&mut self, channel: &str, message: &str, body: &Value) -> Reply {
        let (Ok(channel), Ok(message)) = (channel.parse::<u64>(), message.parse::<u64>()) else {
            return error(404, 10008, "Unknown Message");
        };
        let Some(posted) = self
            .messages
            .iter_mut()
            .find(|m| m.channel_id == channel && m.id() == message)
        else {
            return error(404, 10008, "Unknown Message");
        };
        if let Some(components) = body.get("components") {
            // As Discord does, every component gets its numeric id.
            let mut component_id = 0;
            posted.components = components.clone();
            posted.json["components"] = number_components(components, &mut component_id);
        }
        if let Some(content) = body["content"].as_str() {
            posted.content = content.to_owned();
            posted.json["content"] = json!(content);
        }
        (200, Some(posted.json.clone()))
    }

    /// Only in the channel it was posted in; the bot may delete its own
    /// messages anywhere, and every message here is its own.
    pub(super) fn delete_message(&mut self, channel: &str, message: &str) -> Reply {
        let known_channel = channel.parse::<u64>().ok().filter(|channel| {
            *channel == CHANNEL_ID
                || self.threads.contains_key(channel)
                || self.dm_channels.values().any(|c| c == channel)
        });
        let Some(channel) = known_channel else {
            return error(404, 10003, "Unknown Channel");
        };
        let found = message.parse::<u64>().ok().and_then(|id| {
            self.messages
                .iter()
                .position(|m| m.channel_id == channel && m.id() == id)
        });
        let Some(index) = found else {
            return error(404, 10008, "Unknown Message");
        };
        let gone = self.messages.remove(index);
        self.nonces.retain(|_, id| *id != gone.id());
        self.deleted.push(gone);
        (204, None)
    }

    /// An interaction's one callback; a second is refused with 40060.
    pub(super) fn acknowledge(
        &mut self,
        id: &str,
        token: &str,
        body: &Value,
        files: &[String],
    ) -> Reply {
        let known = self.tokens.get(token).copied();
        let (Some(known), Ok(id)) = (known, id.parse::<u64>()) else {
            return error(404, 10062, "Unknown interaction");
        };
        if known != id {
            return error(404, 10062, "Unknown interaction");
        }
        if self.answers.iter().any(|a| a.interaction_id == id) {
            return error(400, 40060, "Interaction has already been acknowledged.");
        }
        let now = Instant::now();
        self.acknowledged.entry(id).or_insert(now);
        // 5 and 6 defer; 9 shows a form, which is shown.
        if !matches!(body["type"].as_u64(), Some(5 | 6)) {
            self.shown.entry(id).or_insert(now);
        }
        self.answers.push(Answer {
            interaction_id: id,
            kind: body["type"].as_u64().unwrap_or(0),
            data: body["data"].clone(),
            files: files.to_vec(),
        });
        (204, None)
    }

    /// A follow-up (post) or an edit of the original answer (patch).
    pub(super) fn follow_up(
        &mut self,
        method: &str,
        token: &str,
        body: &Value,
        files: &[String],
    ) -> Reply {
        let Some(interaction) = self.tokens.get(token).copied() else {
            return error(404, 10015, "Unknown Webhook");
        };
        self.followups
            .push((method.to_owned(), token.to_owned(), body.clone()));
        self.shown.entry(interaction).or_insert_with(Instant::now);
        let id = FakeDiscord::next_id(self);
        (200, Some(message_json(id, CHANNEL_ID, body, files)))
    }
}

fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}
