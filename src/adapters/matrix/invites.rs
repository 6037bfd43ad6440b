//! Which invites the bot accepts, and joining them: those that arrived
//! while it was away, and new ones as they come, with retries.

use std::time::Duration;

use matrix_sdk::ruma::UserId;
use matrix_sdk::ruma::events::room::member::StrippedRoomMemberEvent;
use matrix_sdk::{Client, Room};

use super::MatrixSettings;

/// Whether invites from `who` are accepted.
pub(super) fn allowed(settings: &MatrixSettings, client: &Client, who: &UserId) -> bool {
    if settings.allowed.is_empty() {
        return client
            .user_id()
            .is_some_and(|me| me.server_name() == who.server_name());
    }
    settings
        .allowed
        .iter()
        .any(|entry| match entry.strip_prefix(':') {
            Some(server) => who.server_name().as_str() == server,
            None => who.as_str() == entry,
        })
}

/// Joins the invites from allowed people that arrived while the bot was
/// away.
pub(super) async fn join_pending(client: &Client, settings: &MatrixSettings) {
    for room in client.invited_rooms() {
        let inviter = room
            .invite_details()
            .await
            .ok()
            .and_then(|d| d.inviter)
            .map(|m| m.user_id().to_owned());
        if inviter.is_some_and(|who| allowed(settings, client, &who)) {
            join_with_retry(room).await;
        }
    }
}

/// A new invite: joined in the background if it is for the bot and from an
/// allowed person.
pub(super) async fn on_invite(
    event: StrippedRoomMemberEvent,
    room: Room,
    client: Client,
    settings: &MatrixSettings,
) {
    if client.user_id() == Some(event.state_key.as_ref())
        && allowed(settings, &client, &event.sender)
    {
        tokio::spawn(join_with_retry(room));
    }
}

/// Joins a room, retrying: an invite can arrive before the room is ready
/// on a busy homeserver.
async fn join_with_retry(room: Room) {
    let mut delay = Duration::from_millis(250);
    for attempt in 1..=6 {
        match room.join().await {
            Ok(()) => {
                tracing::info!(room = %room.room_id(), "joined");
                return;
            }
            Err(error) => {
                tracing::warn!(room = %room.room_id(), attempt, %error, "cannot join yet");
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
        }
    }
}
