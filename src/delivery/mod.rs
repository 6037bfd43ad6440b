//! The delivery worker: sends outbox messages through the chat adapters.
//!
//! A message is claimed with a lease, sent, then marked sent. A transient
//! failure is retried with exponential backoff; a permanent one (the person
//! does not accept direct messages, the room is gone) is recorded, and the
//! couple's space is told once. A worker that dies mid-way leaves the lease
//! to expire and the message is sent again with the same idempotency key,
//! which adapters must honour so that nobody sees it twice.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Duration, Utc};

use crate::domain::{Destination, Platform, Posted, Reply, SpaceRef, UserRef};
use crate::engine::Engine;
use crate::prompts::Key;
use crate::shutdown::Shutdown;
use crate::store::outbox::{self, NewMessage, QueuedMessage, Work};
use crate::store::{couples, space_changes, users};

/// A boxed future, so [`ChatPort`] can be used as a trait object.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One message to deliver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// Unique per message; a repeated key must not be shown twice.
    pub key: String,
    pub to: Destination,
    pub reply: Reply,
}

/// Why a delivery failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// Worth retrying: network trouble, rate limits, a server hiccup.
    #[error("transient: {0}")]
    Transient(String),
    /// Retrying will not help: the person does not accept direct messages,
    /// or the recipient no longer exists.
    #[error("cannot reach the recipient: {0}")]
    Unreachable(String),
}

/// What a port's send returns: where the platform shows the message.
pub type Sent<'a> = BoxFuture<'a, Result<Posted, DeliveryError>>;

/// What an adapter offers the worker: sending to one platform. Every send
/// must be idempotent per `key`: the same key is never shown twice.
pub trait ChatPort: Send + Sync {
    fn platform(&self) -> Platform;
    /// A private message to one person.
    fn send_to_user<'a>(&'a self, user: &'a UserRef, key: &'a str, reply: &'a Reply) -> Sent<'a>;
    /// A message in a shared space.
    fn send_to_space<'a>(&'a self, space: &'a SpaceRef, key: &'a str, reply: &'a Reply)
    -> Sent<'a>;
    /// Who besides rapport can read a space: asked before private content
    /// is posted there.
    fn space_readers<'a>(
        &'a self,
        space: &'a SpaceRef,
    ) -> BoxFuture<'a, Result<Readers, DeliveryError>>;
    /// Takes down what an earlier send posted (the words in it were
    /// deleted), as far as the platform allows; gone already is fine.
    fn retract<'a>(&'a self, posted: &'a Posted) -> BoxFuture<'a, Result<(), DeliveryError>>;
    /// Opens a room (or, under `parent`, a private thread) named `name`
    /// that holds only these people and rapport, moderated by rapport
    /// alone; a platform without such places says it cannot.
    fn open_space<'a>(
        &'a self,
        people: &'a [UserRef],
        parent: Option<&'a SpaceRef>,
        name: &'a str,
    ) -> BoxFuture<'a, Result<SpaceRef, DeliveryError>> {
        let _ = (people, parent, name);
        Box::pin(async {
            Err(DeliveryError::Unreachable(
                "this platform has no rooms to open".to_owned(),
            ))
        })
    }
    /// Sends one outbox message to where it is addressed.
    fn deliver<'a>(&'a self, delivery: &'a Delivery) -> Sent<'a> {
        match &delivery.to {
            Destination::User(user) => self.send_to_user(user, &delivery.key, &delivery.reply),
            Destination::Space(space) => self.send_to_space(space, &delivery.key, &delivery.reply),
        }
    }
}

mod couple_only;
mod draining;
mod openings;
mod ports;

pub use couple_only::Readers;
pub use ports::Ports;

/// Retry rules.
#[derive(Clone, Debug)]
pub struct DeliveryPolicy {
    /// How long a claim lasts before another worker may take the message.
    pub lease: Duration,
    pub first_retry: Duration,
    pub max_retry: Duration,
    /// After this many attempts a transient failure counts as permanent.
    pub max_attempts: i64,
    /// Messages claimed per round trip.
    pub batch: i64,
    /// After a stop, how long the worker goes on sending what it already
    /// claimed before giving the rest back.
    pub drain: Duration,
}

impl Default for DeliveryPolicy {
    fn default() -> Self {
        DeliveryPolicy {
            lease: Duration::minutes(2),
            first_retry: Duration::seconds(30),
            max_retry: Duration::hours(1),
            max_attempts: 12,
            batch: 100,
            drain: Duration::seconds(10),
        }
    }
}

impl DeliveryPolicy {
    /// 30 s, 1 min, 2 min, … capped at `max_retry`.
    pub fn backoff(&self, attempts: i64) -> Duration {
        let doublings = u32::try_from(attempts.saturating_sub(1))
            .unwrap_or(u32::MAX)
            .min(20);
        (self.first_retry * 2i32.pow(doublings)).min(self.max_retry)
    }
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Rooms or threads opened for a couple.
    pub opened: usize,
    pub sent: usize,
    /// Posts taken down because the words in them were deleted.
    pub retracted: usize,
    /// Private content sent to each partner instead of a space others read.
    pub rerouted: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Claims due messages; the first half of a delivery pass, public so tests
/// can stop a worker between claim and send.
pub async fn claim(
    engine: &Engine,
    ports: &Ports,
    policy: &DeliveryPolicy,
) -> anyhow::Result<Vec<QueuedMessage>> {
    let now = engine.clock().now();
    let mut tx = engine.store().begin().await?;
    let claimed = outbox::claim_due(
        &mut tx,
        &ports.platforms(),
        now,
        now + policy.lease,
        policy.batch,
    )
    .await?;
    tx.commit().await?;
    Ok(claimed)
}

/// Delivers everything due now, batch after batch.
pub async fn deliver_due_once(
    engine: &Engine,
    ports: &Ports,
    policy: &DeliveryPolicy,
) -> anyhow::Result<DeliveryReport> {
    deliver_due(engine, ports, policy, &Shutdown::never()).await
}

/// Delivers everything due now until `shutdown`: after it, no more is
/// claimed, and what was claimed is sent for [`DeliveryPolicy::drain`]
/// then given back for another process to send.
pub async fn deliver_due(
    engine: &Engine,
    ports: &Ports,
    policy: &DeliveryPolicy,
    shutdown: &Shutdown,
) -> anyhow::Result<DeliveryReport> {
    let mut report = DeliveryReport::default();
    // First the rooms, so what a new couple is told can go into theirs.
    openings::open_due(engine, ports, policy, &mut report).await?;
    let mut draining = draining::Drain::new(shutdown, policy.drain);
    while !shutdown.is_set() {
        let claimed = claim(engine, ports, policy).await?;
        for (index, message) in claimed.iter().enumerate() {
            let sending = send(engine, ports, policy, message, &mut report);
            if !draining.within(engine, sending).await? {
                draining::give_back(engine, &claimed[index..]).await?;
                return Ok(report);
            }
        }
        if (claimed.len() as i64) < policy.batch {
            break;
        }
    }
    Ok(report)
}

async fn send(
    engine: &Engine,
    ports: &Ports,
    policy: &DeliveryPolicy,
    message: &QueuedMessage,
    report: &mut DeliveryReport,
) -> anyhow::Result<()> {
    let Some(port) = ports.get(message.to.platform()) else {
        // Its adapter stopped after the claim (it lost its lease).
        return draining::give_back(engine, std::slice::from_ref(message)).await;
    };
    let result = match &message.work {
        Work::Send(reply) => match post_or_reroute(engine, port.as_ref(), message, reply).await? {
            None => {
                report.rerouted += 1;
                return Ok(());
            }
            Some(sent) => sent.map(Some),
        },
        Work::Retract(posted) => port.retract(posted).await.map(|()| None),
    };
    let now = engine.clock().now();
    let mut tx = engine.store().begin().await?;
    match result {
        Ok(Some(posted)) => {
            outbox::mark_sent(&mut tx, message.id, now, &posted).await?;
            let waited = (now - message.due_at).num_milliseconds() as f64 / 1000.0;
            engine.metrics().delivered_after(waited);
            report.sent += 1;
        }
        Ok(None) => {
            outbox::mark_retracted(&mut tx, message.id, now).await?;
            report.retracted += 1;
        }
        Err(DeliveryError::Transient(error)) if message.attempts < policy.max_attempts => {
            tracing::warn!(message = message.id, attempts = message.attempts, %error, "delivery failed; will retry");
            let at = now + policy.backoff(message.attempts);
            outbox::retry_at(&mut tx, message.id, at, &error).await?;
            report.retried += 1;
        }
        Err(error) => {
            tracing::warn!(message = message.id, %error, "delivery failed for good");
            outbox::mark_failed(&mut tx, message.id, now, &error.to_string()).await?;
            let unreachable = matches!(message.work, Work::Send(_));
            if let (true, Destination::User(user), Some(couple_id)) =
                (unreachable, &message.to, message.couple_id)
            {
                tell_space_unreachable(engine, &mut tx, couple_id, user, now).await?;
            }
            report.failed += 1;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Posts the message where it is addressed, or, when that is a space
/// others can read and the message is the couple's alone, queues it for
/// each partner privately instead (`None`).
async fn post_or_reroute(
    engine: &Engine,
    port: &dyn ChatPort,
    message: &QueuedMessage,
    reply: &Reply,
) -> anyhow::Result<Option<Result<Posted, DeliveryError>>> {
    let space = match private_space(engine, port, message).await {
        Ok(space) => space,
        Err(error) => return Ok(Some(Err(error))),
    };
    if let Some(space) = space {
        let now = engine.clock().now();
        let mut tx = engine.store().begin().await?;
        couple_only::reroute(engine, &mut tx, message, reply, &space, now).await?;
        tx.commit().await?;
        return Ok(None);
    }
    let delivery = Delivery {
        key: message.key.clone(),
        to: message.to.clone(),
        reply: reply.clone(),
    };
    Ok(Some(port.deliver(&delivery).await))
}

/// The space a message must not be posted in (others read it), if any.
async fn private_space(
    engine: &Engine,
    port: &dyn ChatPort,
    message: &QueuedMessage,
) -> Result<Option<SpaceRef>, DeliveryError> {
    let Destination::Space(space) = &message.to else {
        return Ok(None);
    };
    Ok(
        match couple_only::check(engine, port, message, space).await? {
            couple_only::Verdict::Post => None,
            couple_only::Verdict::Reroute => Some(space.clone()),
        },
    )
}

/// When the next outbox row for these ports is due, for the scheduler.
pub async fn next_due_at(engine: &Engine, ports: &Ports) -> anyhow::Result<Option<DateTime<Utc>>> {
    let mut tx = engine.store().begin().await?;
    let platforms = ports.platforms();
    let message = outbox::next_due_at(&mut tx, &platforms).await?;
    let opening = space_changes::next_opening_at(&mut tx, &platforms).await?;
    tx.commit().await?;
    Ok(message.into_iter().chain(opening).min())
}

/// Tells the couple's space, once per person, that rapport cannot write to
/// them privately (so the partner is not left wondering); with no space,
/// the partner privately.
async fn tell_space_unreachable(
    engine: &Engine,
    tx: &mut crate::store::Tx,
    couple_id: i64,
    user: &UserRef,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let couple = couples::get(tx, couple_id).await?;
    let unreachable = users::find(tx, user).await?;
    let name = unreachable
        .as_ref()
        .map_or_else(|| user.id.clone(), |u| u.display_name.clone());
    let (to, key) = match couple.space {
        Some(space) => (Destination::Space(space), Key::DeliveryUnreachable),
        None => {
            let members = users::in_couple(tx, couple_id).await?;
            let Some(partner) = members.into_iter().find(|m| m.user != *user) else {
                return Ok(());
            };
            (
                Destination::User(partner.user),
                Key::DeliveryUnreachablePartner,
            )
        }
    };
    let text = engine.catalog().render(key, &[("name", &name)]);
    let reply = match to {
        Destination::Space(_) => Reply::public(text),
        Destination::User(_) => Reply::private(text),
    };
    let key = format!("unreachable:{couple_id}:{user}");
    let about: Vec<i64> = unreachable.map(|u| u.id).into_iter().collect();
    let message = NewMessage {
        key: &key,
        couple_id: Some(couple_id),
        to: &to,
        reply: &reply,
        // It names the person: their deletion takes it down too.
        authors: &about,
        journal_entry: None,
        couple_only: false,
        not_before: now,
    };
    outbox::enqueue(tx, &message).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = DeliveryPolicy::default();
        assert_eq!(policy.backoff(1), Duration::seconds(30));
        assert_eq!(policy.backoff(2), Duration::seconds(60));
        assert_eq!(policy.backoff(4), Duration::seconds(240));
        assert_eq!(policy.backoff(50), Duration::hours(1));
    }
}
