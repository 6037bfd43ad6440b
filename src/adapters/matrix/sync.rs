//! Syncing with the homeserver: the first sync, which marks everything it
//! brings as history, and our own long-poll loop with back-off.

use std::collections::HashSet;
use std::future::Future;
use std::time::Duration;

use anyhow::Context;
use matrix_sdk::Client;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::ruma::{EventId, MilliSecondsSinceUnixEpoch, OwnedEventId};

use crate::metrics::Metrics;

/// Longest wait of one long-poll sync.
const SYNC_TIMEOUT: Duration = Duration::from_secs(30);

/// What came before the bot started: history, never a request.
pub(super) struct History {
    /// Events older than the start are history, not requests, even if they
    /// reach a handler after it (a room key that arrives late lets an old
    /// message be decrypted later). Assumes the homeserver's clock and ours
    /// agree, as NTP keeps them.
    before: MilliSecondsSinceUnixEpoch,
    /// Events the first sync brought: history, even if a late room key
    /// lets one of them reach a handler after the start.
    events: HashSet<OwnedEventId>,
}

impl History {
    /// Whether the event at `ts` with `event_id` is history.
    pub(super) fn is_old(&self, ts: MilliSecondsSinceUnixEpoch, event_id: &EventId) -> bool {
        ts < self.before || self.events.contains(event_id)
    }
}

/// Syncs once, before any handler runs; returns the history it cut off and
/// the token to sync on from.
pub(super) async fn first_sync(client: &Client) -> anyhow::Result<(History, String)> {
    let response = client
        .sync_once(SyncSettings::default())
        .await
        .context("the first Matrix sync failed")?;
    tracing::info!(device = ?client.device_id(), "Matrix session ready");
    let events: HashSet<OwnedEventId> = response
        .rooms
        .joined
        .values()
        .flat_map(|room| room.timeline.events.iter())
        .filter_map(|event| event.event_id())
        .collect();
    let history = History {
        events,
        before: MilliSecondsSinceUnixEpoch::now(),
    };
    Ok((history, response.next_batch))
}

/// Long-polls until shutdown; failures back off from 200 ms to 30 s.
pub(super) async fn sync_loop(
    client: Client,
    mut token: String,
    metrics: &Metrics,
    shutdown: impl Future<Output = ()>,
) {
    metrics.set_connected("matrix", true);
    tokio::pin!(shutdown);
    let mut backoff = Duration::from_millis(200);
    loop {
        let settings = SyncSettings::default()
            .token(token.clone())
            .timeout(SYNC_TIMEOUT);
        tokio::select! {
            () = &mut shutdown => return,
            result = client.sync_once(settings) => match result {
                Ok(response) => {
                    token = response.next_batch;
                    backoff = Duration::from_millis(200);
                    metrics.set_connected("matrix", true);
                }
                Err(error) => {
                    tracing::warn!(%error, ?backoff, "Matrix sync failed; retrying");
                    metrics.matrix_sync_failed();
                    metrics.set_connected("matrix", false);
                    tokio::select! {
                        () = &mut shutdown => return,
                        () = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(30));
                }
            }
        }
    }
}
