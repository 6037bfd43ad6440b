//! Work only one process may do at a time (the Matrix account: two clients
//! on one device would fight over its keys and answer everything twice).
//! The process holding the work's lease runs it and renews the lease; the
//! others wait as a standby, asking again, and one takes over once the
//! holder's lease has run out (it died), or at once when the holder let it
//! go (it stopped).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use crate::engine::Engine;
use crate::shutdown::{self, Shutdown};

/// How a held piece of work keeps its lease.
#[derive(Clone, Copy, Debug)]
pub struct LeaseTiming {
    /// How long a lease lasts unrenewed: a dead holder is replaced within
    /// about this long (measured on the engine's clock).
    pub hold: chrono::Duration,
    /// How often the holder renews and a standby asks again.
    pub every: StdDuration,
}

impl Default for LeaseTiming {
    /// A take-over within a minute of the holder's death: the lease runs
    /// out after 40 s and a standby asks every 10 s.
    fn default() -> Self {
        LeaseTiming {
            hold: chrono::Duration::seconds(40),
            every: StdDuration::from_secs(10),
        }
    }
}

/// Runs `work` while this process holds the lease `name`, standing by
/// until it does, and again if the lease is lost; returns at `shutdown`,
/// or with the work's error. `work` is given a shutdown that also fires
/// when the lease is lost, and starts its client only then: a standby
/// builds nothing.
pub async fn run_while_held<W, F>(
    engine: Arc<Engine>,
    name: &'static str,
    timing: LeaseTiming,
    shutdown: Shutdown,
    mut work: W,
) -> anyhow::Result<()>
where
    W: FnMut(Shutdown) -> F,
    F: Future<Output = anyhow::Result<()>>,
{
    loop {
        if !stand_by(&engine, name, timing, &shutdown).await {
            return Ok(());
        }
        let (lost, _) = shutdown::channel();
        let running = work(shutdown.or(&lost));
        tokio::pin!(running);
        let mut held_until = engine.clock().now() + timing.hold;
        loop {
            tokio::select! {
                ended = &mut running => return ended,
                () = tokio::time::sleep(timing.every) => {}
            }
            if !keep(&engine, name, timing, &mut held_until).await {
                lost.fire();
                (&mut running).await?;
                break;
            }
        }
    }
}

/// Renews a held lease; `false` once it is another's, or when the store
/// cannot be reached and the lease would run out before the next try (the
/// work must stop before a standby may take it).
async fn keep(
    engine: &Engine,
    name: &str,
    timing: LeaseTiming,
    held_until: &mut chrono::DateTime<chrono::Utc>,
) -> bool {
    let now = engine.clock().now();
    match engine.take_lease(name, timing.hold).await {
        Ok(true) => {
            *held_until = now + timing.hold;
            true
        }
        Ok(false) => {
            tracing::error!(
                lease = name,
                "another process took the lease; stopping this work"
            );
            false
        }
        Err(error) => {
            let next_try = chrono::Duration::from_std(timing.every).unwrap_or(timing.hold);
            let keeping = now + next_try < *held_until;
            tracing::warn!(lease = name, keeping, error.cause_chain = ?error, "cannot renew a lease");
            keeping
        }
    }
}

/// Waits until the lease is this process's (`true`) or `shutdown` came.
async fn stand_by(
    engine: &Engine,
    name: &'static str,
    timing: LeaseTiming,
    shutdown: &Shutdown,
) -> bool {
    // The lease is named after the platform it runs.
    let platform = name;
    let mut said = false;
    while !shutdown.is_set() {
        if renew(engine, name, timing).await {
            engine.metrics().set_standby(platform, false);
            return true;
        }
        if !said {
            tracing::info!(lease = name, "another process holds the lease; standing by");
            said = true;
        }
        engine.metrics().set_standby(platform, true);
        tokio::select! {
            () = shutdown.clone().wait() => {}
            () = tokio::time::sleep(timing.every) => {}
        }
    }
    false
}

/// Takes or renews the lease; a store error counts as not holding it.
async fn renew(engine: &Engine, name: &str, timing: LeaseTiming) -> bool {
    match engine.take_lease(name, timing.hold).await {
        Ok(held) => held,
        Err(error) => {
            tracing::warn!(lease = name, error.cause_chain = ?error, "cannot take or renew a lease");
            false
        }
    }
}
