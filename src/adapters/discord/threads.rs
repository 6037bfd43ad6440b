//! The couple's private thread: opened under a server channel with both
//! partners added, no one else able to add people, and its members listed
//! through the REST API before each private post. Discord lets the
//! server's owner, its admins and those who may manage threads read any
//! private thread; rapport says so when the couple chooses one.

use serenity::all::{AutoArchiveDuration, Channel, ChannelId, ChannelType, CreateThread, UserId};

use super::port::{DiscordPort, parse_id};
use crate::delivery::{DeliveryError, Readers};
use crate::domain::{Platform, SpaceRef, UserRef};

impl DiscordPort {
    /// Opens a private thread named `name` under `parent` and adds `people`.
    pub(super) async fn open_thread(
        &self,
        people: &[UserRef],
        parent: Option<&SpaceRef>,
        name: &str,
    ) -> Result<SpaceRef, DeliveryError> {
        let parent = parent
            .and_then(|parent| parse_id(&parent.id))
            .map(ChannelId::new)
            .ok_or_else(|| {
                DeliveryError::Unreachable("a private thread opens under a channel".to_owned())
            })?;
        let members = people
            .iter()
            .map(|person| parse_id(&person.id).map(UserId::new))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| DeliveryError::Unreachable("not a Discord user id".to_owned()))?;
        let builder = CreateThread::new(name)
            .kind(ChannelType::PrivateThread)
            // Only moderators may add anyone: not even the partners.
            .invitable(false)
            .auto_archive_duration(AutoArchiveDuration::OneWeek);
        let thread = self
            .call(|| parent.create_thread(self.http(), builder.clone()))
            .await?;
        for member in members {
            self.call(|| thread.id.add_thread_member(self.http(), member))
                .await?;
        }
        Ok(SpaceRef::new(Platform::Discord, thread.id.to_string()))
    }

    /// A private thread's members but rapport (its owner); any other
    /// channel is read by whoever the server's roles let in.
    pub(super) async fn readers_of(&self, space: &SpaceRef) -> Result<Readers, DeliveryError> {
        let channel = parse_id(&space.id).map(ChannelId::new).ok_or_else(|| {
            DeliveryError::Unreachable(format!("not a Discord channel: {}", space.id))
        })?;
        let found = self.call(|| channel.to_channel(self.http())).await?;
        let Channel::Guild(thread) = found else {
            return Ok(Readers::Many);
        };
        if thread.kind != ChannelType::PrivateThread {
            return Ok(Readers::Many);
        }
        let members = self
            .call(|| channel.get_thread_members(self.http()))
            .await?;
        Ok(Readers::Only(
            members
                .iter()
                .filter(|member| Some(member.user_id) != thread.owner_id)
                .map(|member| UserRef::new(Platform::Discord, member.user_id.to_string()))
                .collect(),
        ))
    }
}
