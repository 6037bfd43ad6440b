//! The scheduler's jobs: everything that becomes due with time rather than
//! with a request — firing check-ins, closing and nudging rounds, goal
//! reminders, weekly recaps, erasing the histories of couples that ended
//! long enough ago, and forgetting old offered choices.
//!
//! Each job is drained in batches: one transaction claims up to [`BATCH`]
//! due rows, handles them and writes their outbox messages, then commits, so
//! a crash loses or doubles nothing and a command waits behind at most one
//! batch. Safe to run from several processes: claims skip locked rows.

use chrono::{DateTime, Utc};

use super::checkin::firing::Fired;
use super::space::{self, OpeningPlan};
use super::{Engine, checkin, goals, recap};
use crate::domain::{Platform, SpaceRef};
use crate::store::goals as store_goals;
use crate::store::space_changes::{self, Opening};
use crate::store::{history, recaps, rounds, schedules};

/// Rows handled per transaction: big enough to be fast, small enough that
/// a command never waits long behind the scheduler.
pub(crate) const BATCH: usize = 500;

/// What one tick did, for logs and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DueReport {
    pub fired: usize,
    pub missed: usize,
    pub skipped: usize,
    pub paused: usize,
    pub closed: usize,
    pub nudged: usize,
    /// Goal due-date reminders queued.
    pub reminded: usize,
    /// Weekly recaps queued.
    pub recaps: usize,
    /// Ended couples whose kept history was erased.
    pub erased: usize,
}

/// Runs one job until a batch comes back short: each batch claims its rows
/// and handles them in one transaction. A macro rather than a function
/// taking async closures, whose futures rustc cannot yet prove `Send` for
/// every borrow of the transaction.
macro_rules! drain {
    ($engine:expr, |$tx:ident| $claim:expr, |$row:ident| $handle:expr) => {
        loop {
            let mut batch = $engine.store().begin().await?;
            let $tx = &mut batch;
            let due = $claim.await?;
            for $row in &due {
                let $tx = &mut batch;
                $handle;
            }
            batch.commit().await?;
            if due.len() < BATCH {
                break;
            }
        }
    };
}

impl DueReport {
    fn count(&mut self, fired: Fired) {
        self.fired += usize::from(fired.fired);
        self.missed += fired.missed;
        self.skipped += usize::from(fired.skipped);
        self.paused += usize::from(fired.paused);
    }
}

impl Engine {
    /// Runs everything that is due now. Safe to call at any time and from
    /// several processes: claims are transactional and rounds unique.
    pub async fn run_due_once(&self) -> anyhow::Result<DueReport> {
        let now = self.clock().now();
        let limit = BATCH as i64;
        let mut report = DueReport::default();
        drain!(self, |tx| schedules::due(tx, now, limit), |schedule| {
            report.count(checkin::firing::fire(self, tx, schedule, now).await?)
        });
        drain!(self, |tx| rounds::closing_due(tx, now, limit), |round| {
            report.closed += usize::from(checkin::firing::close(self, tx, round, now).await?)
        });
        drain!(self, |tx| rounds::nudges_due(tx, now, limit), |round| {
            report.nudged += checkin::firing::nudge(self, tx, round, now).await?
        });
        drain!(
            self,
            |tx| store_goals::reminders_due(tx, now, limit),
            |goal| { report.reminded += goals::remind(self, tx, goal, now).await? }
        );
        drain!(self, |tx| recaps::due(tx, now, limit), |due| {
            report.recaps += usize::from(recap::send_due(self, tx, due, now).await?)
        });
        let kept_until = now - self.policy().history_kept;
        drain!(
            self,
            |tx| history::due_for_erasure(tx, kept_until, limit),
            |couple| {
                history::erase(tx, *couple, now).await?;
                report.erased += 1;
            }
        );
        let mut tx = self.store().begin().await?;
        super::offers::forget_old(&mut tx, now).await?;
        tx.commit().await?;
        if report.erased > 0 {
            // Erased words must not linger in the write-ahead log either.
            self.store().checkpoint().await?;
        }
        Ok(report)
    }

    /// The earliest moment a job becomes due: schedule, close, nudge,
    /// reminder or recap (the outbox's own times are the delivery
    /// worker's, which knows the platforms it serves).
    pub async fn next_wake_at(&self) -> anyhow::Result<Option<DateTime<Utc>>> {
        let mut tx = self.store().begin().await?;
        let candidates = [
            schedules::next_due_at(&mut tx).await?,
            rounds::next_event_at(&mut tx).await?,
            store_goals::next_reminder_at(&mut tx).await?,
            recaps::next_due_at(&mut tx).await?,
            history::next_erasure_at(&mut tx, self.policy().history_kept).await?,
        ];
        tx.commit().await?;
        Ok(candidates.into_iter().flatten().min())
    }

    /// The rooms and threads due to be opened on these platforms, each
    /// with who goes in and its name (for the delivery worker).
    pub async fn openings_due(&self, platforms: &[Platform]) -> anyhow::Result<Vec<OpeningPlan>> {
        let mut tx = self.store().begin().await?;
        let due = space_changes::due_openings(&mut tx, platforms, self.clock().now()).await?;
        let mut plans = Vec::with_capacity(due.len());
        for opening in due {
            plans.push(space::plan(&self.catalog, &mut tx, opening).await?);
        }
        tx.commit().await?;
        Ok(plans)
    }

    /// The worker opened a space: it becomes the couple's, with a welcome
    /// in it. `false` when the couple no longer wants it.
    pub async fn space_opened(&self, opening: &Opening, space: &SpaceRef) -> anyhow::Result<bool> {
        let mut tx = self.store().begin().await?;
        let taken =
            space::opened(&self.catalog, &mut tx, opening, space, self.clock().now()).await?;
        tx.commit().await?;
        Ok(taken)
    }

    /// The worker could not open a space: it tries again at `retry_at`, or,
    /// with none, gives up and the couple is told.
    pub async fn space_not_opened(
        &self,
        opening: &Opening,
        retry_at: Option<DateTime<Utc>>,
    ) -> anyhow::Result<()> {
        let mut tx = self.store().begin().await?;
        match retry_at {
            Some(at) => space_changes::retry_opening(&mut tx, opening.id, at).await?,
            None => space::not_opened(&self.catalog, &mut tx, opening, self.clock().now()).await?,
        }
        tx.commit().await?;
        Ok(())
    }
}
