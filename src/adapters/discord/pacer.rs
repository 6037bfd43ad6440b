//! Pacing requests under Discord's global limit (50 a second for the bot
//! as a whole): evenly spaced, in arrival order. Alone, a process paces
//! itself; processes sharing a PostgreSQL database take their moments from
//! one budget in the store, so together they still keep under the limit.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::Mutex as AsyncMutex;
use tokio::time::Instant;

use crate::engine::Engine;

/// The shared budget's name in the store.
const BUDGET: &str = "discord";

/// At most one request per `interval`.
pub struct Pacer {
    interval: Duration,
    next: AsyncMutex<Instant>,
    shared: Option<Arc<Engine>>,
}

impl Pacer {
    /// `requests` per `window` (Discord's is a second; a test's fake may
    /// keep a shorter one), for this process alone.
    pub fn new(requests: u32, window: Duration) -> Pacer {
        Pacer {
            interval: window / requests.max(1),
            next: AsyncMutex::new(Instant::now()),
            shared: None,
        }
    }

    pub fn per_second(requests: u32) -> Pacer {
        Pacer::new(requests, Duration::from_secs(1))
    }

    /// The same pace, kept by every process on the engine's database.
    pub fn shared_through(mut self, engine: Arc<Engine>) -> Pacer {
        self.shared = Some(engine);
        self
    }

    /// Waits until the next request may go.
    pub async fn wait(&self) {
        if let Some(engine) = &self.shared {
            match engine
                .take_send_slot(BUDGET, Utc::now(), self.interval)
                .await
            {
                Ok(slot) => {
                    if let Ok(wait) = (slot - Utc::now()).to_std() {
                        tokio::time::sleep(wait).await;
                    }
                    return;
                }
                Err(error) => tracing::warn!(
                    error.cause_chain = ?error,
                    "cannot reach the shared request budget; pacing this process alone"
                ),
            }
        }
        self.wait_here().await;
    }

    async fn wait_here(&self) {
        let mut next = self.next.lock().await;
        let now = Instant::now();
        if *next > now {
            tokio::time::sleep_until(*next).await;
        }
        *next = (*next).max(now) + self.interval;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_pacer_spaces_requests_evenly() {
        let pacer = Pacer::per_second(50);
        let start = Instant::now();
        for _ in 0..101 {
            pacer.wait().await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn a_shorter_window_keeps_the_same_count_per_window() {
        let pacer = Pacer::new(50, Duration::from_millis(100));
        let start = Instant::now();
        for _ in 0..101 {
            pacer.wait().await;
        }
        assert_eq!(start.elapsed(), Duration::from_millis(200));
    }
}
