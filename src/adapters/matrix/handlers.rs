//! Messages and reactions become engine requests; the direct answer goes
//! out now, everything else through the outbox.

use matrix_sdk::deserialized_responses::EncryptionInfo;
use matrix_sdk::ruma::events::reaction::OriginalSyncReactionEvent;
use matrix_sdk::ruma::events::room::message::{
    MessageType, OriginalSyncRoomMessageEvent, Relation,
};
use matrix_sdk::ruma::events::room::power_levels::UserPowerLevel;
use matrix_sdk::ruma::{EventId, UserId};
use matrix_sdk::{Room, RoomState};

use super::MatrixSettings;
use super::port::MatrixPort;
use super::render::{self, Incoming};
use super::rooms;
use super::sync::Freshness;
use crate::delivery::ChatPort;
use crate::domain::{Destination, Platform, Posted, Reply, SpaceRef, UserRef};
use crate::engine::Engine;
use crate::engine::message::{Actor, Place, Source};
use crate::engine::offers::Picked;
use crate::prompts::Key;

/// Matrix's customary power level for moderators.
const MODERATOR_POWER_LEVEL: i64 = 50;

/// Where a message in `room` from `sender` comes from: their direct room
/// with rapport, or a shared space. When in doubt it is a space: private
/// replies then go to a direct room, never the other way round.
async fn place_of(room: &Room, sender: &UserId) -> Place {
    if rooms::is_direct_with(room, sender).await {
        Place::Direct
    } else {
        Place::Space(SpaceRef::new(Platform::Matrix, room.room_id().as_str()))
    }
}

/// Whether an event came as its room requires: in an encrypted room, only
/// an event that was encrypted counts (a plain one could have been sent by
/// anyone holding a member's access token, or by a server, unsigned by any
/// device).
pub(super) fn sealed_as_its_room(room: &Room, encryption: Option<&EncryptionInfo>) -> bool {
    encryption.is_some() || !room.encryption_state().is_encrypted()
}

/// The person, with their room display name; power level 50 or more
/// (Matrix's "moderator") moderates the room.
async fn actor_of(room: &Room, sender: &UserId) -> Actor {
    let member = room.get_member_no_sync(sender).await.ok().flatten();
    let name = member
        .as_ref()
        .and_then(|m| m.display_name().map(str::to_owned))
        .unwrap_or_else(|| sender.localpart().to_owned());
    let moderator = member.is_some_and(|m| match m.power_level() {
        UserPowerLevel::Int(level) => i64::from(level) >= MODERATOR_POWER_LEVEL,
        // A room creator (room version 12) is above every level.
        UserPowerLevel::Infinite => true,
        _ => false,
    });
    // The Matrix id is the handle: a display name anyone in the room can copy.
    Actor::new(UserRef::new(Platform::Matrix, sender.as_str()), name)
        .with_moderator(moderator)
        .with_handle(sender.as_str())
}

/// What a handler works with.
pub(super) struct Handling<'a> {
    pub(super) engine: &'a Engine,
    pub(super) settings: &'a MatrixSettings,
    pub(super) port: &'a MatrixPort,
}

pub(super) async fn on_message(
    event: OriginalSyncRoomMessageEvent,
    room: Room,
    Handling {
        engine,
        settings,
        port,
    }: Handling<'_>,
    freshness: Freshness,
) {
    if room.state() != RoomState::Joined || Some(event.sender.as_ref()) == room.client().user_id() {
        return;
    }
    let MessageType::Text(text) = &event.content.msgtype else {
        return;
    };
    let heard = Heard::new(engine, port, &room, &event.sender, &event.event_id).await;
    let prefix = &settings.command_prefix;
    if let Some(Relation::Replacement(replacement)) = &event.content.relates_to {
        let original = replacement.event_id.as_str();
        heard
            .edited(original, &replacement.new_content.msgtype, prefix)
            .await;
        return;
    }
    let line = match render::classify(&text.body, prefix, heard.is_direct()) {
        Incoming::Command(line) => line,
        Incoming::Choice(number) => match heard.choice(number).await {
            Some(line) => line,
            None => return,
        },
        Incoming::Chat(_) if freshness != Freshness::Fresh => return,
        Incoming::Chat(body) => return heard.nudge(&body).await,
    };
    if freshness == Freshness::Stale {
        // Sent while rapport was down, too long ago to act on now.
        return heard.tell_offline().await;
    }
    heard.run(Line::New(&line)).await;
}

/// A command line as it came: new, or the new text of an edit of the
/// message `original`.
#[derive(Clone, Copy)]
enum Line<'a> {
    New(&'a str),
    Edited { original: &'a str, text: &'a str },
}

/// One event heard in a room: who sent it, from where, and what answers
/// it is keyed by.
struct Heard<'a> {
    engine: &'a Engine,
    port: &'a MatrixPort,
    room: &'a Room,
    place: Place,
    actor: Actor,
    event_id: &'a EventId,
}

impl<'a> Heard<'a> {
    async fn new(
        engine: &'a Engine,
        port: &'a MatrixPort,
        room: &'a Room,
        sender: &UserId,
        event_id: &'a EventId,
    ) -> Heard<'a> {
        Heard {
            engine,
            port,
            room,
            place: place_of(room, sender).await,
            actor: actor_of(room, sender).await,
            event_id,
        }
    }

    fn is_direct(&self) -> bool {
        self.place == Place::Direct
    }

    /// An edit is not a new command: the engine decides what its new text
    /// may change; an edited chat line is left alone.
    async fn edited(&self, original: &str, new_content: &MessageType, prefix: &str) {
        let MessageType::Text(new) = new_content else {
            return;
        };
        if let Incoming::Command(text) = render::classify(&new.body, prefix, self.is_direct()) {
            self.run(Line::Edited {
                original,
                text: &text,
            })
            .await;
        }
    }

    /// A bare number picks from the last choices offered in this room:
    /// the command to run, or `None` when the pick was answered already.
    /// With nothing offered, the number is a line like any other.
    async fn choice(&self, number: usize) -> Option<String> {
        let room_id = self.room.room_id().as_str();
        let offers = self.engine.offers();
        match offers.picked(Platform::Matrix, room_id, None, number).await {
            Picked::Run(command) => Some(command),
            Picked::Nothing => Some(number.to_string()),
            Picked::Answer(reply) => {
                self.answer(vec![reply]).await;
                None
            }
        }
    }

    /// A nudge quotes the person's own message: sent at once, to them
    /// alone, never written down; a failure drops it.
    async fn nudge(&self, body: &str) {
        let Some(nudge) = self.engine.observe(&self.actor, &self.place, body).await else {
            return;
        };
        let key = format!("matrix:nudge:{}", self.event_id);
        if let Err(error) = self.port.send_to_user(&self.actor.user, &key, &nudge).await {
            tracing::warn!(%error, "cannot send a nudge; dropped");
        }
    }

    async fn tell_offline(&self) {
        let note = Reply::private(self.engine.catalog().text(Key::MatrixOfflineNote));
        let key = format!("matrix:{}:offline", self.event_id);
        if let Err(error) = self.port.send_to_user(&self.actor.user, &key, &note).await {
            tracing::warn!(%error, "cannot tell someone their command came while offline");
        }
    }

    /// Runs one command line and delivers what it answers.
    async fn run(&self, line: Line<'_>) {
        let (actor, place) = (self.actor.clone(), self.place.clone());
        let answers = match line {
            Line::New(text) => {
                let source = Source::New(self.event_id.to_string());
                self.engine.handle_message(actor, place, text, source).await
            }
            Line::Edited { original, text } => {
                self.engine.handle_edit(actor, place, original, text).await
            }
        };
        if answers.iter().any(|answer| answer.take_down_request) {
            // Private words typed in the couple's room: redacted before the
            // partner's client shows them for longer than a moment.
            let mut typed = Posted::new(self.room.room_id().as_str());
            typed.ids.push(self.event_id.to_string());
            if let Err(error) = self.port.retract(&typed).await {
                tracing::warn!(%error, "cannot take down a private line typed in the couple's room");
            }
        }
        self.answer(answers).await;
    }

    /// The answers go out now, keyed by the triggering event so a
    /// redelivered event is answered once; private ones asked in a shared
    /// room go to the person's direct room. Everything else the request
    /// says the engine has already queued in the outbox.
    async fn answer(&self, answers: Vec<Reply>) {
        let (port, actor, event_id) = (self.port, &self.actor, self.event_id);
        for (index, reply) in answers.iter().enumerate() {
            let key = format!("matrix:{event_id}:{index}");
            let (to, result) = if reply.private && matches!(self.place, Place::Space(_)) {
                let to = Destination::User(actor.user.clone());
                (to, port.send_to_user(&actor.user, &key, reply).await)
            } else {
                let room_id = self.room.room_id().as_str();
                let to = Destination::Space(SpaceRef::new(Platform::Matrix, room_id));
                let direct = self.is_direct();
                let sent = port.send_to_room(self.room, &key, reply, direct, Some(event_id));
                (to, sent.await)
            };
            // A room keeps the answer: remember where, so deleting the
            // words it repeats can redact it.
            let remembered = match result {
                Ok(posted) => self.engine.remember_answer(&to, &posted, reply).await,
                Err(error) => {
                    tracing::error!(%error, "cannot answer on Matrix");
                    continue;
                }
            };
            if let Err(error) = remembered {
                tracing::warn!(error.cause_chain = ?error, "cannot record where an answer stands");
            }
        }
    }
}

pub(super) async fn on_reaction(
    event: OriginalSyncReactionEvent,
    room: Room,
    engine: &Engine,
    port: &MatrixPort,
) {
    if Some(event.sender.as_ref()) == room.client().user_id() {
        return;
    }
    let relation = &event.content.relates_to;
    let Some(number) = render::choice_of_reaction(&relation.key) else {
        return;
    };
    let (room_id, offer) = (room.room_id().as_str(), Some(relation.event_id.as_str()));
    let picked = engine
        .offers()
        .picked(Platform::Matrix, room_id, offer, number)
        .await;
    let heard = Heard::new(engine, port, &room, &event.sender, &event.event_id).await;
    match picked {
        Picked::Run(command) => heard.run(Line::New(&command)).await,
        Picked::Answer(reply) => heard.answer(vec![reply]).await,
        // A keycap on a message that offered nothing is only a reaction.
        Picked::Nothing => {}
    }
}
