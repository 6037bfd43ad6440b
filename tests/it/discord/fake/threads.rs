//! The fake Discord's private threads: created under the guild's channel
//! (or refused with 50013 when the bot lacks the permission), members
//! added through the API or, as a moderator would, by the test, and read
//! back as `GET /channels/{id}` and `GET /channels/{id}/thread-members`.

use serde_json::{Value, json};

use super::{BOT_ID, CHANNEL_ID, FakeDiscord, GUILD_ID, State, TIMESTAMP};

/// A private thread in the fake guild.
#[derive(Clone, Debug)]
pub struct Thread {
    pub name: String,
    pub invitable: bool,
    /// Member user ids, the bot first.
    pub members: Vec<u64>,
}

fn thread_json(id: u64, thread: &Thread) -> Value {
    json!({
        "id": id.to_string(),
        "type": 12,
        "flags": 0,
        "guild_id": GUILD_ID.to_string(),
        "parent_id": CHANNEL_ID.to_string(),
        "name": thread.name,
        "owner_id": BOT_ID.to_string(),
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "thread_metadata": {
            "archived": false,
            "archive_timestamp": TIMESTAMP,
            "auto_archive_duration": 10080,
            "locked": false,
            "invitable": thread.invitable,
            "create_timestamp": TIMESTAMP,
        },
        "message_count": 0,
        "member_count": thread.members.len(),
        "total_message_sent": 0,
    })
}

fn unknown_channel() -> (u16, Option<Value>) {
    (
        404,
        Some(json!({"code": 10003, "message": "Unknown Channel"})),
    )
}

/// The thread routes; `None` for any other path.
pub(super) fn route(
    state: &mut State,
    method: &str,
    parts: &[&str],
    body: &Value,
) -> Option<(u16, Option<Value>)> {
    let thread_id = |id: &str| id.parse::<u64>().ok();
    Some(match (method, parts) {
        ("post", ["channels", parent, "threads"]) => {
            if thread_id(parent) != Some(CHANNEL_ID) {
                return Some(unknown_channel());
            }
            if state.threads_forbidden {
                return Some((
                    403,
                    Some(json!({"code": 50013, "message": "Missing Permissions"})),
                ));
            }
            let id = FakeDiscord::next_id(state);
            let thread = Thread {
                name: body["name"].as_str().unwrap_or("").to_owned(),
                invitable: body["invitable"].as_bool().unwrap_or(true),
                members: vec![BOT_ID],
            };
            let json = thread_json(id, &thread);
            state.threads.insert(id, thread);
            (201, Some(json))
        }
        ("put", ["channels", id, "thread-members", user]) => {
            let (Some(thread), Some(user)) = (
                thread_id(id).and_then(|id| state.threads.get_mut(&id)),
                user.parse::<u64>().ok(),
            ) else {
                return Some(unknown_channel());
            };
            if !thread.members.contains(&user) {
                thread.members.push(user);
            }
            (204, None)
        }
        ("get", ["channels", id, "thread-members"]) => {
            let Some((id, thread)) =
                thread_id(id).and_then(|id| state.threads.get(&id).map(|t| (id, t)))
            else {
                return Some(unknown_channel());
            };
            let members: Vec<Value> = thread
                .members
                .iter()
                .map(|user| {
                    json!({
                        "id": id.to_string(),
                        "user_id": user.to_string(),
                        "join_timestamp": TIMESTAMP,
                        "flags": 0,
                    })
                })
                .collect();
            (200, Some(Value::Array(members)))
        }
        ("get", ["channels", id]) => match thread_id(id) {
            Some(id) if state.threads.contains_key(&id) => {
                (200, Some(thread_json(id, &state.threads[&id])))
            }
            Some(CHANNEL_ID) => (
                200,
                Some(json!({
                    "id": CHANNEL_ID.to_string(),
                    "type": 0,
                    "flags": 0,
                    "guild_id": GUILD_ID.to_string(),
                    "name": "general",
                    "position": 0,
                })),
            ),
            _ => unknown_channel(),
        },
        _ => return None,
    })
}

impl FakeDiscord {
    /// The bot may not create private threads (no Create Private Threads
    /// permission) from now on.
    pub fn forbid_threads(&self) {
        self.lock().threads_forbidden = true;
    }

    /// Someone is added to a thread as a moderator could add them.
    pub fn join_thread(&self, thread: u64, user: u64) {
        if let Some(thread) = self.lock().threads.get_mut(&thread) {
            thread.members.push(user);
        }
    }

    /// The private threads there are now, by id.
    pub fn threads(&self) -> Vec<(u64, Thread)> {
        let mut threads: Vec<(u64, Thread)> = self.lock().threads.clone().into_iter().collect();
        threads.sort_by_key(|(id, _)| *id);
        threads
    }
}
