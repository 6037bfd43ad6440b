//! The rooms rapport makes: a couple's room and a person's direct room,
//! both invite-only and encrypted, with power levels that leave inviting,
//! moderating and changing the room to rapport alone; and which room counts
//! as someone's direct room.

use matrix_sdk::ruma::api::client::room::create_room::RoomPowerLevelsContentOverride;
use matrix_sdk::ruma::api::client::room::create_room::v3::{Request as CreateRoom, RoomPreset};
use matrix_sdk::ruma::events::InitialStateEvent;
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::events::room::guest_access::{GuestAccess, RoomGuestAccessEventContent};
use matrix_sdk::ruma::events::room::history_visibility::{
    HistoryVisibility, RoomHistoryVisibilityEventContent,
};
use matrix_sdk::ruma::events::room::member::MembershipState;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{Int, OwnedUserId, UserId};
use matrix_sdk::{Client, Room, RoomMemberships, RoomState};

use crate::delivery::DeliveryError;

/// Matrix's highest customary power level: rapport's, in rooms it makes.
const ADMIN: i64 = 100;

/// Creates an invite-only, encrypted room with `people` invited, where
/// only rapport may invite, kick, ban, redact others' events or change the
/// room, and a newcomer reads nothing from before their invite.
pub(super) async fn create(
    client: &Client,
    people: &[OwnedUserId],
    name: Option<&str>,
    direct: bool,
) -> Result<Room, DeliveryError> {
    let mut request = CreateRoom::new();
    request.invite = people.to_vec();
    request.is_direct = direct;
    // Not the "trusted" preset: that gives every invitee full power.
    request.preset = Some(RoomPreset::PrivateChat);
    request.name = name.map(str::to_owned);
    request.initial_state = vec![
        InitialStateEvent::with_empty_state_key(
            RoomEncryptionEventContent::with_recommended_defaults(),
        )
        .to_raw_any(),
        InitialStateEvent::with_empty_state_key(RoomHistoryVisibilityEventContent::new(
            HistoryVisibility::Invited,
        ))
        .to_raw_any(),
        InitialStateEvent::with_empty_state_key(RoomGuestAccessEventContent::new(
            GuestAccess::Forbidden,
        ))
        .to_raw_any(),
    ];
    let levels = Raw::new(&power_levels()).map_err(|error| {
        DeliveryError::Unreachable(format!("cannot encode power levels: {error}"))
    })?;
    request.power_level_content_override = Some(levels);
    client
        .create_room(request)
        .await
        .map_err(super::wire::classify)
}

/// Everyone may talk; only rapport may do anything else. rapport, the
/// room's creator, is not listed: it has 100 by the preset in older room
/// versions and stands above every level from version 12, where listing a
/// creator is refused.
fn power_levels() -> RoomPowerLevelsContentOverride {
    let admin = Int::from(ADMIN as i32);
    let mut levels = RoomPowerLevelsContentOverride::new();
    levels.users_default = Some(Int::from(0));
    levels.events_default = Some(Int::from(0));
    levels.state_default = Some(admin);
    levels.invite = Some(admin);
    levels.kick = Some(admin);
    levels.ban = Some(admin);
    levels.redact = Some(admin);
    levels.notifications.room = admin;
    levels
}

/// Whether `room` is `user`'s direct room with rapport: joined, marked
/// direct (rapport made it so, or accepted it as such) and holding exactly
/// the two of them, counting people invited.
pub(super) async fn is_direct_with(room: &Room, user: &UserId) -> bool {
    if room.state() != RoomState::Joined || !room.is_direct().await.unwrap_or(false) {
        return false;
    }
    matches!(readers(room).await.as_deref(), Ok([only]) if only == user)
}

/// Whether `user` left (or turned down the invite to) a room rapport made.
pub(super) async fn left_ours(room: &Room, user: &UserId) -> bool {
    let me = room.client().user_id().map(ToOwned::to_owned);
    let ours = room
        .creators()
        .is_some_and(|creators| me.is_some_and(|me| creators.contains(&me)));
    let left = matches!(
        room.get_member_no_sync(user).await,
        Ok(Some(member)) if *member.membership() == MembershipState::Leave
    );
    ours && left
}

/// Everyone in `room` or invited to it, but rapport.
pub(super) async fn readers(room: &Room) -> matrix_sdk::Result<Vec<OwnedUserId>> {
    let members = room
        .members(RoomMemberships::JOIN | RoomMemberships::INVITE)
        .await?;
    let me = room.client().user_id().map(ToOwned::to_owned);
    Ok(members
        .iter()
        .map(|member| member.user_id().to_owned())
        .filter(|id| Some(id) != me.as_ref())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rapport_moderates_the_rooms_it_makes() {
        let json = serde_json::to_value(power_levels()).unwrap();
        assert_eq!(json["users_default"], 0);
        assert!(json.get("users").is_none(), "nobody is raised: {json}");
        for action in ["invite", "kick", "ban", "redact", "state_default"] {
            assert_eq!(json[action], 100, "{action}");
        }
        assert_eq!(json["events_default"], 0, "both partners may talk");
    }
}
