//! Sending to Discord: channels by id, people through their DM channel
//! (opened once and remembered). Every request waits its turn in a
//! [`Pacer`] so the bot stays under Discord's global limit of 50 requests
//! a second; a 429 that still comes is retried after a pause. The
//! idempotency key becomes the message nonce with `enforce_nonce`, so
//! Discord shows a retried message once.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serenity::all::{
    ChannelId, CreateAllowedMentions, CreateAttachment, CreateMessage, Http, MessageId, Nonce,
    UserId,
};
use tokio::sync::Mutex as AsyncMutex;

use super::pacer::Pacer;
use super::render::{self, ChoiceMemory};
use crate::delivery::{BoxFuture, ChatPort, DeliveryError, Readers, Sent};
use crate::domain::{Platform, Posted, Reply, SpaceRef, UserRef};
use crate::metrics::Metrics;
use crate::prompts::Catalog;

/// Discord's JSON error codes that retrying cannot fix.
const PERMANENT_CODES: &[isize] = &[
    10003, // unknown channel
    10013, // unknown user
    50001, // missing access
    50007, // cannot send messages to this user (DMs closed)
    50013, // missing permissions
];

/// Attempts per request when Discord answers 429.
const RATE_LIMIT_ATTEMPTS: u32 = 5;

/// The Discord side of the delivery worker.
pub struct DiscordPort {
    http: Arc<Http>,
    pacer: Pacer,
    rate_limit_pause: Duration,
    choices: Arc<ChoiceMemory>,
    catalog: Arc<Catalog>,
    metrics: Arc<Metrics>,
    /// DM channels by person: opening one is a request of its own.
    dm_channels: AsyncMutex<HashMap<UserId, ChannelId>>,
}

impl DiscordPort {
    pub(super) fn new(
        http: Arc<Http>,
        pacer: Pacer,
        rate_limit_pause: Duration,
        choices: Arc<ChoiceMemory>,
        catalog: Arc<Catalog>,
        metrics: Arc<Metrics>,
    ) -> DiscordPort {
        DiscordPort {
            http,
            pacer,
            rate_limit_pause,
            choices,
            catalog,
            metrics,
            dm_channels: AsyncMutex::new(HashMap::new()),
        }
    }

    /// Posts a reply in a channel: one message per 2000 characters, the
    /// controls and the attachment on the last. Mentions ping nobody.
    pub async fn send_to_channel(
        &self,
        channel: ChannelId,
        key: &str,
        reply: &Reply,
    ) -> Result<Posted, DeliveryError> {
        let mut posted = Posted::new(channel.to_string());
        let parts = render::split_content(&reply.text);
        let last = parts.len() - 1;
        for (index, part) in parts.into_iter().enumerate() {
            let mut message = CreateMessage::new()
                .content(part)
                .nonce(Nonce::String(nonce(key, index)))
                .enforce_nonce(true)
                .allowed_mentions(CreateAllowedMentions::new());
            if index == last {
                message =
                    message.components(render::components(reply, &self.choices, &self.catalog));
                if let Some(file) = &reply.attachment {
                    message = message
                        .add_file(CreateAttachment::bytes(file.bytes.clone(), &file.filename));
                }
            }
            let sent = self
                .call(|| channel.send_message(&self.http, message.clone()))
                .await?;
            posted.ids.push(sent.id.to_string());
        }
        Ok(posted)
    }

    /// Deletes the messages of one delivery; already deleted is fine.
    async fn delete_posted(&self, posted: &Posted) -> Result<(), DeliveryError> {
        let channel = parse_id(&posted.place).map(ChannelId::new).ok_or_else(|| {
            DeliveryError::Unreachable(format!("not a Discord channel: {}", posted.place))
        })?;
        for id in &posted.ids {
            let Some(message) = parse_id(id).map(MessageId::new) else {
                continue;
            };
            match self
                .call(|| channel.delete_message(&self.http, message))
                .await
            {
                Ok(()) | Err(DeliveryError::Unreachable(_)) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }

    /// Sends to a person's DM channel.
    async fn send_direct(
        &self,
        user: &UserRef,
        key: &str,
        reply: &Reply,
    ) -> Result<Posted, DeliveryError> {
        let user_id = parse_id(&user.id).map(UserId::new).ok_or_else(|| {
            DeliveryError::Unreachable(format!("not a Discord user id: {}", user.id))
        })?;
        let channel = self.dm_channel(user_id).await?;
        self.send_to_channel(channel, key, reply).await
    }

    async fn dm_channel(&self, user: UserId) -> Result<ChannelId, DeliveryError> {
        let mut known = self.dm_channels.lock().await;
        if let Some(channel) = known.get(&user) {
            return Ok(*channel);
        }
        let channel = self.call(|| user.create_dm_channel(&self.http)).await?.id;
        known.insert(user, channel);
        Ok(channel)
    }

    pub(super) fn http(&self) -> &Http {
        &self.http
    }

    /// One request, paced, retried while Discord says 429.
    pub(super) async fn call<T, F, Fut>(&self, request: F) -> Result<T, DeliveryError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = serenity::Result<T>>,
    {
        let mut pause = self.rate_limit_pause;
        for attempt in 1..=RATE_LIMIT_ATTEMPTS {
            self.pacer.wait().await;
            match request().await {
                Ok(value) => return Ok(value),
                Err(error) if status_of(&error) == Some(429) => {
                    tracing::warn!(attempt, ?pause, "Discord rate limit hit; waiting");
                    self.metrics.discord_rate_limited();
                    if attempt < RATE_LIMIT_ATTEMPTS {
                        self.metrics.discord_retried();
                    }
                    tokio::time::sleep(pause).await;
                    pause *= 2;
                }
                Err(error) => return Err(classify(&error)),
            }
        }
        Err(DeliveryError::Transient(
            "still rate limited by Discord".into(),
        ))
    }
}

/// Discord nonces are at most 25 characters: a stable hash of the key and
/// the part number, so a resent part matches its first try.
fn nonce(key: &str, part: usize) -> String {
    // FNV-1a: stable across builds and platforms, unlike the std hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes().chain(part.to_le_bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// A snowflake, if the text is one.
pub(super) fn parse_id(text: &str) -> Option<u64> {
    text.parse().ok().filter(|id| *id != 0)
}

fn status_of(error: &serenity::Error) -> Option<u16> {
    match error {
        serenity::Error::Http(http) => http.status_code().map(|status| status.as_u16()),
        _ => None,
    }
}

/// Refusals that retrying cannot fix are permanent; the rest are transient.
fn classify(error: &serenity::Error) -> DeliveryError {
    if let serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(response)) = error {
        let status = response.status_code.as_u16();
        if PERMANENT_CODES.contains(&response.error.code) || matches!(status, 403 | 404) {
            return DeliveryError::Unreachable(format!(
                "Discord refused ({status}, code {}): {}",
                response.error.code, response.error.message
            ));
        }
    }
    DeliveryError::Transient(error.to_string())
}

impl ChatPort for DiscordPort {
    fn platform(&self) -> Platform {
        Platform::Discord
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
            let channel = parse_id(&space.id).map(ChannelId::new).ok_or_else(|| {
                DeliveryError::Unreachable(format!("not a Discord channel: {}", space.id))
            })?;
            self.send_to_channel(channel, key, reply).await
        })
    }

    /// A server channel is read by whoever the server's roles let in (its
    /// owner and admins at least): rapport cannot limit that, so private
    /// content goes to each partner's DMs. A private thread the couple
    /// chose is read by its members (and the server's admins, which the
    /// couple was told).
    fn space_readers<'a>(
        &'a self,
        space: &'a SpaceRef,
    ) -> BoxFuture<'a, Result<Readers, DeliveryError>> {
        Box::pin(self.readers_of(space))
    }

    fn retract<'a>(&'a self, posted: &'a Posted) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(self.delete_posted(posted))
    }

    fn open_space<'a>(
        &'a self,
        people: &'a [UserRef],
        parent: Option<&'a SpaceRef>,
        name: &'a str,
    ) -> BoxFuture<'a, Result<SpaceRef, DeliveryError>> {
        Box::pin(self.open_thread(people, parent, name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_short_stable_and_distinct() {
        let a = nonce("round:12:ask:3", 0);
        assert_eq!(a.len(), 16);
        assert_eq!(a, nonce("round:12:ask:3", 0));
        assert_ne!(a, nonce("round:12:ask:3", 1));
        assert_ne!(a, nonce("round:12:ask:4", 0));
    }
}
