//! Writing what the engine says into the outbox, inside the transaction of
//! the change that caused it: a crash then neither loses nor doubles a
//! message, leaving cancels it, and deleting someone's words finds it.
//!
//! Every message has a key the engine chooses: the natural one where there
//! is one (a round's reveal, a goal's reminder), otherwise one made from the
//! request, so adapters never invent keys of their own.

use chrono::{DateTime, Utc};

use super::Engine;
use super::message::{Outgoing, Queued, Recipient};
use crate::domain::{Destination, Reply};
use crate::store::outbox::{self, NewMessage};
use crate::store::{Tx, couples};

/// Queues messages for the delivery worker, each once per key; returns
/// how many were new.
pub(crate) async fn queue_all(
    tx: &mut Tx,
    couple_id: Option<i64>,
    messages: &[Queued],
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let mut queued = 0;
    for message in messages {
        let new = NewMessage {
            key: &message.key,
            couple_id,
            to: &message.to,
            reply: &message.reply,
            authors: &message.authors,
            journal_entry: message.journal_entry,
            couple_only: message.couple_only,
            not_before: message.not_before.map_or(now, |at| at.max(now)),
        };
        queued += usize::from(outbox::enqueue(tx, &new).await?);
    }
    Ok(queued)
}

/// Who a request's queued messages belong to: the requester (their words
/// unless a message says otherwise) and their couple (the one they are in
/// after the request, else the one they were in: a message about leaving
/// still belongs to the couple that ended).
pub(super) struct Origin {
    pub author: i64,
    pub couple_before: Option<i64>,
    pub now: DateTime<Utc>,
}

/// Splits a request's messages: the answers to the requester are returned
/// for the adapter to show; everything else is queued under `request_key`.
/// Returns the answers and how many messages were queued.
pub(super) async fn split_request(
    engine: &Engine,
    tx: &mut Tx,
    origin: &Origin,
    outgoing: Vec<Outgoing>,
) -> anyhow::Result<(Vec<Reply>, usize)> {
    let couple_after = couples::active_for_user(tx, origin.author)
        .await?
        .map(|couple| couple.id);
    let couple_id = couple_after.or(origin.couple_before);
    let request_key = engine.with_rng(|rng| {
        format!(
            "req:{}:{:016x}",
            origin.now.timestamp(),
            rand::Rng::random::<u64>(rng)
        )
    });
    let mut answers = Vec::new();
    let mut queued = Vec::new();
    for (index, out) in outgoing.into_iter().enumerate() {
        let to = match out.to {
            Recipient::Requester => {
                let mut answer = out.reply;
                answer.quotes = out.authors.unwrap_or_else(|| vec![origin.author]);
                answers.push(answer);
                continue;
            }
            Recipient::User(user) => Destination::User(user),
            Recipient::Space(space) => Destination::Space(space),
        };
        queued.push(Queued {
            key: out.key.unwrap_or_else(|| format!("{request_key}:{index}")),
            to,
            reply: out.reply,
            authors: out.authors.unwrap_or_else(|| vec![origin.author]),
            journal_entry: out.journal_entry,
            couple_only: out.couple_only,
            not_before: out.not_before,
        });
    }
    let count = queue_all(tx, couple_id, &queued, origin.now).await?;
    Ok((answers, count))
}
