//! A delivery worker after the stop: it sends what it already claimed for
//! a while, measured on the engine's clock (tests move it), and gives the
//! rest back so another process sends it without waiting for the claims
//! to run out.

use std::future::Future;

use chrono::{DateTime, Duration, Utc};

use crate::engine::Engine;
use crate::shutdown::Shutdown;
use crate::store::outbox::{self, QueuedMessage};

/// How long sending may go on after the stop.
pub(super) struct Drain<'a> {
    shutdown: &'a Shutdown,
    limit: Duration,
    until: Option<DateTime<Utc>>,
}

impl<'a> Drain<'a> {
    pub(super) fn new(shutdown: &'a Shutdown, limit: Duration) -> Drain<'a> {
        Drain {
            shutdown,
            limit,
            until: None,
        }
    }

    /// Runs one send to its end, unless the stop has come and the drain
    /// time runs out first: then `false`, and the send is dropped. Its
    /// message goes back with the rest; its key keeps a repeat from
    /// showing twice.
    pub(super) async fn within(
        &mut self,
        engine: &Engine,
        sending: impl Future<Output = anyhow::Result<()>>,
    ) -> anyhow::Result<bool> {
        tokio::pin!(sending);
        if !self.shutdown.is_set() {
            tokio::select! {
                sent = &mut sending => return sent.map(|()| true),
                () = self.shutdown.clone().wait() => {}
            }
        }
        let now = engine.clock().now();
        let until = *self.until.get_or_insert(now + self.limit);
        let left = (until - now).to_std().unwrap_or_default();
        if left.is_zero() {
            return Ok(false);
        }
        match tokio::time::timeout(left, &mut sending).await {
            Ok(sent) => sent.map(|()| true),
            Err(_) => Ok(false),
        }
    }
}

/// Gives claimed messages back unsent.
pub(super) async fn give_back(engine: &Engine, messages: &[QueuedMessage]) -> anyhow::Result<()> {
    let ids: Vec<i64> = messages.iter().map(|message| message.id).collect();
    let mut tx = engine.store().begin().await?;
    outbox::release(&mut tx, &ids).await?;
    tx.commit().await?;
    tracing::info!(
        given_back = ids.len(),
        "stopping: gave back the claimed messages not yet sent"
    );
    Ok(())
}
