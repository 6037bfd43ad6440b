//! Syncing with the homeserver: a first sync that does not wait (so what
//! was sent while rapport started or was down is handled at once), our own
//! long-poll loop with back-off, and how old an event may be to be acted on.

use std::future::Future;
use std::time::Duration;

use anyhow::Context;
use matrix_sdk::Client;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::ruma::MilliSecondsSinceUnixEpoch;

use crate::metrics::Metrics;

/// Longest wait of one long-poll sync.
const SYNC_TIMEOUT: Duration = Duration::from_secs(30);

/// What an event's age means for rapport.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Freshness {
    /// Sent while rapport ran, or while it was down but recently: answered.
    Fresh,
    /// Sent while rapport was down, too long ago: the sender is told it was
    /// not acted on, never given a stale effect.
    Stale,
    /// From before this login's first sync (a new login's backlog):
    /// nobody expects an answer to it.
    History,
}

/// When rapport started and how far back a command still counts.
#[derive(Clone, Copy, Debug)]
pub(super) struct Arrival {
    pub(super) started: MilliSecondsSinceUnixEpoch,
    pub(super) catch_up: Duration,
    /// Whether this start resumed a stored session (so what came since the
    /// last sync was sent while rapport was down).
    pub(super) resumed: bool,
}

impl Arrival {
    /// Assumes the homeserver's clock and ours agree, as NTP keeps them.
    pub(super) fn freshness(&self, sent: MilliSecondsSinceUnixEpoch) -> Freshness {
        let cutoff = u64::from(self.started.0)
            .saturating_sub(self.catch_up.as_millis().try_into().unwrap_or(u64::MAX));
        match (u64::from(sent.0) >= cutoff, self.resumed) {
            (true, _) => Freshness::Fresh,
            (false, true) => Freshness::Stale,
            (false, false) => Freshness::History,
        }
    }
}

/// The first sync: it returns at once with what came since the last one,
/// which the handlers, already in place, receive. Returns the next token.
pub(super) async fn first_sync(client: &Client) -> anyhow::Result<String> {
    let response = client
        .sync_once(SyncSettings::default().timeout(Duration::ZERO))
        .await
        .context("the first Matrix sync failed")?;
    tracing::info!(device = ?client.device_id(), "Matrix session ready");
    Ok(response.next_batch)
}

/// Long-polls until shutdown; failures back off from 200 ms to 30 s.
pub(super) async fn sync_loop(
    client: Client,
    mut token: Option<String>,
    metrics: &Metrics,
    shutdown: impl Future<Output = ()>,
) {
    metrics.set_connected("matrix", true);
    tokio::pin!(shutdown);
    let mut backoff = Duration::from_millis(200);
    loop {
        // Without a token the SDK goes on from the one it stored.
        let settings = match &token {
            Some(token) => SyncSettings::default().token(token.clone()),
            None => SyncSettings::default(),
        }
        .timeout(SYNC_TIMEOUT);
        tokio::select! {
            () = &mut shutdown => return,
            result = client.sync_once(settings) => match result {
                Ok(response) => {
                    token = Some(response.next_batch);
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
