//! One-at-a-time work among several rapport processes on one database
//! (registering Discord's slash commands, running the Matrix account): a
//! process takes a named lease before doing it, and one that cannot leaves
//! it to the holder.

use super::Engine;
use crate::store::leases;

impl Engine {
    /// Takes (or renews) the lease `name` for this process for `hold`;
    /// `false` while another process holds it.
    pub async fn take_lease(&self, name: &str, hold: chrono::Duration) -> anyhow::Result<bool> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let taken = leases::take(&mut tx, name, &self.instance, now, now + hold).await?;
        tx.commit().await?;
        Ok(taken)
    }

    /// Lets go of this process's leases, as it stops.
    pub async fn release_leases(&self) -> anyhow::Result<u64> {
        let mut tx = self.store.begin().await?;
        let released = leases::release_all(&mut tx, &self.instance).await?;
        tx.commit().await?;
        Ok(released)
    }
}
