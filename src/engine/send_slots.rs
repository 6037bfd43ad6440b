//! A request budget the processes on one database share (Discord's global
//! limit counts the bot, not a process): each request takes the next free
//! moment, and the adapter waits until it.

use chrono::{DateTime, Utc};

use super::Engine;
use crate::store::send_slots;

impl Engine {
    /// Takes the next moment of `budget` at or after `now`, at most one per
    /// `interval` across every process. `now` is the wall clock, not the
    /// engine's: the processes share no other, and the wait is real.
    pub async fn take_send_slot(
        &self,
        budget: &str,
        now: DateTime<Utc>,
        interval: std::time::Duration,
    ) -> anyhow::Result<DateTime<Utc>> {
        let interval = i64::try_from(interval.as_micros()).unwrap_or(i64::MAX);
        let mut tx = self.store.begin().await?;
        let slot = send_slots::take(&mut tx, budget, now.timestamp_micros(), interval).await?;
        tx.commit().await?;
        Ok(DateTime::from_timestamp_micros(slot).unwrap_or(now))
    }
}
