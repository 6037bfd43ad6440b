//! Private content only where only the couple can read it. A reveal, a
//! shared journal entry, a recap or a milestone addressed to the couple's
//! space is checked at the moment of sending: if anyone but the two
//! partners (and rapport) can read the space — a third person joined the
//! room, or it is a server channel whose readers cannot be limited — it goes
//! to each partner privately instead, and each is told why, once.

use chrono::{DateTime, Utc};

use super::{ChatPort, DeliveryError};
use crate::domain::{Reply, SpaceRef, UserRef};
use crate::engine::Engine;
use crate::prompts::Key;
use crate::store::outbox::{self, NewMessage, QueuedMessage};
use crate::store::{Tx, users};

/// Who besides rapport can read a space, as far as the platform tells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Readers {
    /// Exactly these people (members, and people invited in). Private
    /// content is posted only when they are exactly the two partners: a
    /// stranger reads along otherwise, or a partner who left would miss it.
    Only(Vec<UserRef>),
    /// The one person at the keyboard, who plays every partner (the
    /// console): nobody else reads.
    Operator,
    /// More than can be listed or limited: a server channel, a public room.
    Many,
}

/// What to do with a message for a space.
pub(super) enum Verdict {
    /// Post it: only the couple reads there (or it is not private content).
    Post,
    /// Send it to each partner privately instead.
    Reroute,
}

/// Asks the platform who reads the space, for private content only.
pub(super) async fn check(
    engine: &Engine,
    port: &dyn ChatPort,
    message: &QueuedMessage,
    space: &SpaceRef,
) -> Result<Verdict, DeliveryError> {
    let Some(couple_id) = message.couple_id.filter(|_| message.couple_only) else {
        return Ok(Verdict::Post);
    };
    let readers = port.space_readers(space).await?;
    let members = members_of(engine, couple_id)
        .await
        .map_err(|error| DeliveryError::Transient(format!("cannot read the couple: {error}")))?;
    Ok(match readers {
        Readers::Operator => Verdict::Post,
        Readers::Only(people)
            if people.len() == members.len() && people.iter().all(|p| members.contains(p)) =>
        {
            Verdict::Post
        }
        Readers::Only(_) | Readers::Many => Verdict::Reroute,
    })
}

async fn members_of(engine: &Engine, couple_id: i64) -> anyhow::Result<Vec<UserRef>> {
    let mut tx = engine.store().begin().await?;
    let members = users::in_couple(&mut tx, couple_id).await?;
    tx.commit().await?;
    Ok(members.into_iter().map(|member| member.user).collect())
}

/// Queues a private copy for each partner and a word of why (once per
/// partner and space), and cancels the post in the space.
pub(super) async fn reroute(
    engine: &Engine,
    tx: &mut Tx,
    message: &QueuedMessage,
    reply: &Reply,
    space: &SpaceRef,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let Some(couple_id) = message.couple_id else {
        return Ok(());
    };
    let private = Reply {
        private: true,
        ..reply.clone()
    };
    let why = Reply::private(engine.catalog().text(Key::DeliverySpaceNotPrivate));
    for member in users::in_couple(tx, couple_id).await? {
        let key = format!("{}:private:{}", message.key, member.id);
        outbox::copy_to_user(tx, message.id, &key, &member.user, &private, now).await?;
        let told = format!("space-not-private:{couple_id}:{space}:{}", member.id);
        let notice = NewMessage {
            key: &told,
            couple_id: Some(couple_id),
            to: &crate::domain::Destination::User(member.user.clone()),
            reply: &why,
            authors: &[],
            journal_entry: None,
            couple_only: false,
            not_before: now,
        };
        outbox::enqueue(tx, &notice).await?;
    }
    outbox::mark_cancelled(tx, message.id, now, "others can read the space").await
}
