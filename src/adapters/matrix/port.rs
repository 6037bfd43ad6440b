//! Sending to Matrix: rooms by id, people through their direct room
//! (created, encrypted, on first need). The idempotency key becomes the
//! transaction id, so the homeserver shows a retried message once.

use std::collections::HashMap;
use std::sync::Arc;

use matrix_sdk::attachment::{AttachmentConfig, AttachmentInfo, BaseFileInfo, BaseImageInfo};
use matrix_sdk::ruma::events::Mentions;
use matrix_sdk::ruma::events::relation::{InReplyTo, Reply as ReplyTo};
use matrix_sdk::ruma::events::room::message::{
    Relation, RoomMessageEventContent, TextMessageEventContent,
};
use matrix_sdk::ruma::{EventId, OwnedRoomId, OwnedUserId, RoomId, TransactionId, UInt, UserId};
use matrix_sdk::{Client, Room, RoomState};
use tokio::sync::Mutex as AsyncMutex;

use super::wire::{classify, txn_id};
use super::{MatrixSettings, html, render, rooms};
use crate::delivery::{BoxFuture, ChatPort, DeliveryError, Readers, Sent};
use crate::domain::{Attachment, Platform, Posted, Reply, SpaceRef, UserRef};
use crate::engine::offers::{OfferedAt, Offers};
use crate::prompts::{Catalog, Key};

/// The Matrix side of the delivery worker, and of direct answers.
pub struct MatrixPort {
    client: Client,
    settings: Arc<MatrixSettings>,
    offers: Arc<Offers>,
    catalog: Arc<Catalog>,
    /// The direct rooms this process created: the homeserver's list of
    /// direct rooms reaches us only with a later sync, and one room per
    /// person must hold even when two messages race to create it.
    created: AsyncMutex<HashMap<OwnedUserId, OwnedRoomId>>,
}

impl MatrixPort {
    pub(super) fn new(
        client: Client,
        settings: Arc<MatrixSettings>,
        offers: Arc<Offers>,
        catalog: Arc<Catalog>,
    ) -> MatrixPort {
        MatrixPort {
            client,
            settings,
            offers,
            catalog,
            created: AsyncMutex::new(HashMap::new()),
        }
    }

    /// Sends a reply into a room, its attachment after it: as `m.text` when
    /// it must be noticed (it notifies by Synapse's default push rules),
    /// otherwise as an `m.notice` (which does not). The direct answer to a
    /// command is a Matrix reply to it (`answers`), so clients show which
    /// line it answers.
    pub async fn send_to_room(
        &self,
        room: &Room,
        key: &str,
        reply: &Reply,
        direct: bool,
        answers: Option<&EventId>,
    ) -> Result<Posted, DeliveryError> {
        if room.state() != RoomState::Joined {
            return Err(DeliveryError::Unreachable(format!(
                "not in room {}",
                room.room_id()
            )));
        }
        // In a direct room every line is for rapport: no prefix to type.
        let prefix = if direct {
            ""
        } else {
            self.settings.command_prefix.as_str()
        };
        let text = render::text_with_choices(reply, prefix, &self.catalog);
        // An empty mention list: rapport's messages ping nobody by name.
        let html = html::formatted(&text);
        let mut content = if reply.notify {
            RoomMessageEventContent::text_html(text, html)
        } else {
            RoomMessageEventContent::notice_html(text, html)
        }
        .add_mentions(Mentions::new());
        if let Some(command) = answers {
            content.relates_to = Some(Relation::Reply(ReplyTo::new(InReplyTo::new(
                command.to_owned(),
            ))));
        }
        let txn = txn_id(key);
        let sent = room
            .send(content)
            .with_transaction_id(<&TransactionId>::from(txn.as_str()).to_owned())
            .await
            .map_err(classify)?;
        let mut posted = Posted::new(room.room_id().as_str());
        posted.ids.push(sent.response.event_id.to_string());
        let offered_at = OfferedAt {
            platform: Platform::Matrix,
            place: room.room_id().as_str(),
            message: sent.response.event_id.as_str(),
        };
        self.offers.offered(offered_at, &reply.choices).await;
        if let Some(file) = &reply.attachment {
            let mime: mime::Mime = file
                .mime_type
                .parse()
                .unwrap_or(mime::APPLICATION_OCTET_STREAM);
            let file_txn = txn_id(&format!("{key}:file"));
            let config = AttachmentConfig::new()
                .txn_id(<&TransactionId>::from(file_txn.as_str()).to_owned())
                .info(attachment_info(file))
                // With a caption, the content carries `filename` too.
                .caption(Some(TextMessageEventContent::plain(file.filename.clone())));
            let sent = room
                .send_attachment(file.filename.clone(), &mime, file.bytes.clone(), config)
                .await
                .map_err(classify)?;
            posted.ids.push(sent.event_id.to_string());
        }
        Ok(posted)
    }

    /// The room a space or a post names, if rapport is in it.
    fn joined_room(&self, id: &str) -> Result<Room, DeliveryError> {
        let room_id = <&RoomId>::try_from(id).map_err(|error| {
            DeliveryError::Unreachable(format!("not a Matrix room id: {error}"))
        })?;
        self.client
            .get_room(room_id)
            .ok_or_else(|| DeliveryError::Unreachable(format!("not in room {room_id}")))
    }

    /// Everyone who is in the room or invited to it, but the bot; a room
    /// anyone may join is read by anyone.
    async fn readers(&self, space: &SpaceRef) -> Result<Readers, DeliveryError> {
        let room = self.joined_room(&space.id)?;
        if room.is_public().unwrap_or(true) {
            return Ok(Readers::Many);
        }
        let readers = rooms::readers(&room).await.map_err(classify)?;
        Ok(Readers::Only(
            readers
                .iter()
                .map(|id| UserRef::new(Platform::Matrix, id.as_str()))
                .collect(),
        ))
    }

    /// Redacts the events of one delivery, so the homeserver drops their
    /// content; an event already gone is fine.
    async fn redact_posted(&self, posted: &Posted) -> Result<(), DeliveryError> {
        let room_id = <&RoomId>::try_from(posted.place.as_str()).map_err(|error| {
            DeliveryError::Unreachable(format!("not a Matrix room id: {error}"))
        })?;
        let Some(room) = self.client.get_room(room_id) else {
            return Ok(()); // we left the room; nothing we can still take down
        };
        for id in &posted.ids {
            let Ok(event) = <&EventId>::try_from(id.as_str()) else {
                continue;
            };
            let txn = txn_id(&format!("redact:{id}"));
            let txn = <&TransactionId>::from(txn.as_str()).to_owned();
            let redacted = room.redact(event, None, Some(txn)).await;
            match redacted.map_err(|error| classify(error.into())) {
                Ok(_) | Err(DeliveryError::Unreachable(_)) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }

    /// Sends to a person's direct room, creating it if there is none.
    async fn send_direct(
        &self,
        user: &UserRef,
        key: &str,
        reply: &Reply,
    ) -> Result<Posted, DeliveryError> {
        let user_id = UserId::parse(user.id.as_str()).map_err(|error| {
            DeliveryError::Unreachable(format!("not a Matrix user id: {error}"))
        })?;
        let room = self.direct_room(&user_id).await?;
        self.send_to_room(&room, key, reply, true, None).await
    }

    /// The person's direct room: one rapport made or accepted as direct
    /// that still holds exactly the two of them; else a new one, where the
    /// person is told why when an old one no longer qualifies.
    async fn direct_room(&self, user_id: &UserId) -> Result<Room, DeliveryError> {
        let mut created = self.created.lock().await;
        let remembered = created
            .get(user_id)
            .and_then(|room_id| self.client.get_room(room_id));
        let mut outgrown = false;
        let mut turned_down = 0;
        for room in remembered
            .into_iter()
            .chain(self.client.get_dm_rooms(user_id))
        {
            if rooms::is_direct_with(&room, user_id).await {
                return Ok(room);
            }
            outgrown = true;
            turned_down += usize::from(rooms::left_ours(&room, user_id).await);
        }
        // Someone who left two private rooms rapport opened for them does
        // not want a third invite: they are unreachable, as on Discord when
        // direct messages are closed, and the couple is told.
        if turned_down >= 2 {
            return Err(DeliveryError::Unreachable(format!(
                "{user_id} left the direct rooms rapport opened for them"
            )));
        }
        let room = rooms::create(&self.client, &[user_id.to_owned()], None, true).await?;
        created.insert(user_id.to_owned(), room.room_id().to_owned());
        if outgrown {
            let why = Reply::private(self.catalog.text(Key::MatrixNewDirectRoom));
            let key = format!("direct-room:{}", room.room_id());
            self.send_to_room(&room, &key, &why, true, None).await?;
        }
        Ok(room)
    }

    /// A room for a couple, with both invited and rapport its only moderator.
    async fn open_room(&self, people: &[UserRef], name: &str) -> Result<SpaceRef, DeliveryError> {
        let invite = people
            .iter()
            .map(|person| UserId::parse(person.id.as_str()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| {
                DeliveryError::Unreachable(format!("not a Matrix user id: {error}"))
            })?;
        let room = rooms::create(&self.client, &invite, Some(name), false).await?;
        Ok(SpaceRef::new(Platform::Matrix, room.room_id().as_str()))
    }
}

impl ChatPort for MatrixPort {
    fn platform(&self) -> Platform {
        Platform::Matrix
    }

    fn send_to_user<'a>(&'a self, user: &'a UserRef, key: &'a str, reply: &'a Reply) -> Sent<'a> {
        Box::pin(self.send_direct(user, key, reply))
    }

    fn send_to_space<'a>(
        &'a self,
        space: &'a SpaceRef,
        key: &'a str,
        reply: &'a Reply,
    ) -> Sent<'a> {
        Box::pin(async move {
            let room = self.joined_room(&space.id)?;
            self.send_to_room(&room, key, reply, false, None).await
        })
    }

    fn space_readers<'a>(
        &'a self,
        space: &'a SpaceRef,
    ) -> BoxFuture<'a, Result<Readers, DeliveryError>> {
        Box::pin(self.readers(space))
    }

    fn retract<'a>(&'a self, posted: &'a Posted) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(self.redact_posted(posted))
    }

    fn open_space<'a>(
        &'a self,
        people: &'a [UserRef],
        _parent: Option<&'a SpaceRef>,
        name: &'a str,
    ) -> BoxFuture<'a, Result<SpaceRef, DeliveryError>> {
        Box::pin(self.open_room(people, name))
    }
}

/// The size of an attachment, so clients can say how big it is before
/// downloading it.
fn attachment_info(file: &Attachment) -> AttachmentInfo {
    let size = UInt::new(file.bytes.len() as u64);
    if file.mime_type.starts_with("image/") {
        AttachmentInfo::Image(BaseImageInfo {
            size,
            ..BaseImageInfo::default()
        })
    } else {
        AttachmentInfo::File(BaseFileInfo { size })
    }
}
