//! What the scheduler asks of the engine on every tick: fire due schedules,
//! close rounds past their deadline, and nudge partners who have not
//! answered. Each batch is one transaction that writes its rounds and its
//! outbox messages together, so a crash loses or doubles nothing.

use chrono::{DateTime, Utc};

use super::round::{self, Message, RoundSpec};
use super::timing::{self, DueSchedule, Outcome};
use crate::domain::{Destination, Reply};
use crate::engine::Engine;
use crate::prompts::Key;
use crate::store::rounds::{self, NewRound, Round, RoundStatus};
use crate::store::schedules::{self, Schedule, format_local};
use crate::store::{Tx, couples, goals, outbox, recaps, users};

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
}

impl Engine {
    /// Runs everything that is due now. Safe to call at any time and from
    /// several processes: claims are transactional and rounds unique.
    pub async fn run_due_once(&self) -> anyhow::Result<DueReport> {
        let now = self.clock().now();
        let mut report = DueReport::default();
        while self.fire_batch(now, &mut report).await? == BATCH {}
        while self.close_batch(now, &mut report).await? == BATCH {}
        while self.nudge_batch(now, &mut report).await? == BATCH {}
        while self.remind_goals_batch(now, BATCH, &mut report).await? == BATCH {}
        while self.recap_batch(now, BATCH, &mut report).await? == BATCH {}
        Ok(report)
    }

    /// The earliest moment anything becomes due: schedule, close, nudge or
    /// outbox message.
    pub async fn next_wake_at(&self) -> anyhow::Result<Option<DateTime<Utc>>> {
        let mut tx = self.store().begin().await?;
        let candidates = [
            schedules::next_due_at(&mut tx).await?,
            rounds::next_event_at(&mut tx).await?,
            outbox::next_due_at(&mut tx).await?,
            goals::next_reminder_at(&mut tx).await?,
            recaps::next_due_at(&mut tx).await?,
        ];
        tx.commit().await?;
        Ok(candidates.into_iter().flatten().min())
    }

    async fn fire_batch(
        &self,
        now: DateTime<Utc>,
        report: &mut DueReport,
    ) -> anyhow::Result<usize> {
        let mut tx = self.store().begin().await?;
        let due = schedules::due(&mut tx, now, BATCH as i64).await?;
        for schedule in &due {
            self.fire_one(&mut tx, schedule, now, report).await?;
        }
        tx.commit().await?;
        Ok(due.len())
    }

    async fn fire_one(
        &self,
        tx: &mut Tx,
        schedule: &Schedule,
        now: DateTime<Utc>,
        report: &mut DueReport,
    ) -> anyhow::Result<()> {
        let Some(next_local) = schedule.next_local else {
            return schedules::end(tx, schedule.id, now).await;
        };
        let due = DueSchedule {
            recurrence: &schedule.recurrence,
            zone: schedule.time_zone,
            next_local,
            paused_until: schedule.paused_until,
            skip_next: schedule.skip_next,
        };
        let Some(plan) = timing::plan_due(&due, now, self.policy().catch_up_grace) else {
            tracing::info!(
                schedule = schedule.id,
                "schedule has no further occurrence; ending it"
            );
            return schedules::end(tx, schedule.id, now).await;
        };
        let occurrence = format_local(plan.occurrence);
        match plan.outcome {
            Outcome::Fire => {
                let couple = couples::get(tx, schedule.couple_id).await?;
                let spec = RoundSpec {
                    schedule_id: Some(schedule.id),
                    occurrence: &occurrence,
                    kind: schedule.kind,
                    deck: &schedule.deck,
                };
                if let Some((_, messages)) = round::open(self, tx, &couple, spec, now).await? {
                    enqueue_all(tx, couple.id, &messages, now).await?;
                    report.fired += 1;
                }
            }
            Outcome::Missed => {
                record_missed(tx, schedule, &occurrence, now).await?;
                report.missed += 1;
            }
            Outcome::Skipped => report.skipped += 1,
            Outcome::Paused => report.paused += 1,
        }
        let missed = plan.passed_over + i64::from(plan.outcome == Outcome::Missed);
        report.missed += plan.passed_over as usize;
        schedules::advance(tx, schedule.id, plan.next_local, plan.next_fire_at, missed).await
    }

    async fn close_batch(
        &self,
        now: DateTime<Utc>,
        report: &mut DueReport,
    ) -> anyhow::Result<usize> {
        let mut tx = self.store().begin().await?;
        let due = rounds::closing_due(&mut tx, now, BATCH as i64).await?;
        for round in &due {
            if !rounds::finish(&mut tx, round.id, RoundStatus::Closed, now).await? {
                continue;
            }
            let couple = couples::get(&mut tx, round.couple_id).await?;
            let members = users::in_couple(&mut tx, couple.id).await?;
            let answers = rounds::answers(&mut tx, round.id).await?;
            let messages = round::reveal_messages(self, &couple, round, &members, &answers, false);
            enqueue_all(&mut tx, couple.id, &messages, now).await?;
            report.closed += 1;
        }
        tx.commit().await?;
        Ok(due.len())
    }

    async fn nudge_batch(
        &self,
        now: DateTime<Utc>,
        report: &mut DueReport,
    ) -> anyhow::Result<usize> {
        let mut tx = self.store().begin().await?;
        let due = rounds::nudges_due(&mut tx, now, BATCH as i64).await?;
        for round in &due {
            report.nudged += self.nudge_round(&mut tx, round, now).await?;
        }
        tx.commit().await?;
        Ok(due.len())
    }

    /// Nudges each partner who has not answered, once, outside their quiet
    /// hours; returns how many were nudged now.
    async fn nudge_round(
        &self,
        tx: &mut Tx,
        round: &Round,
        now: DateTime<Utc>,
    ) -> anyhow::Result<usize> {
        let couple = couples::get(tx, round.couple_id).await?;
        let members = users::in_couple(tx, couple.id).await?;
        let answers = rounds::answers(tx, round.id).await?;
        let mut postponed: Option<DateTime<Utc>> = None;
        let mut nudged = 0;
        for member in members
            .iter()
            .filter(|m| !answers.iter().any(|a| a.user_id == m.id))
        {
            let zone = member.time_zone.unwrap_or(couple.time_zone);
            if let Some(quiet_end) = member
                .quiet_hours
                .and_then(|quiet| quiet.ends_after_if_inside(zone, now))
            {
                if quiet_end < round.closes_at {
                    postponed = Some(postponed.map_or(quiet_end, |p| p.min(quiet_end)));
                }
                continue;
            }
            if !rounds::record_nudge(tx, round.id, member.id, now).await? {
                continue;
            }
            let closes = self.format_time(round.closes_at, zone);
            let text = self.catalog().render(
                Key::CheckinNudge,
                &[("question", &round.question), ("closes", &closes)],
            );
            let message = Message {
                key: format!("round:{}:nudge:{}", round.id, member.id),
                to: Destination::User(member.user.clone()),
                reply: Reply::private(text),
            };
            enqueue_all(tx, couple.id, &[message], now).await?;
            nudged += 1;
        }
        rounds::set_nudge_at(tx, round.id, postponed).await?;
        Ok(nudged)
    }
}

/// Queues messages for the delivery worker, each once per key.
pub(crate) async fn enqueue_all(
    tx: &mut Tx,
    couple_id: i64,
    messages: &[Message],
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    for message in messages {
        outbox::enqueue(
            tx,
            &message.key,
            Some(couple_id),
            &message.to,
            &message.reply,
            now,
        )
        .await?;
    }
    Ok(())
}

/// Keeps a trace of a check-in that could not be sent in time, for history.
async fn record_missed(
    tx: &mut Tx,
    schedule: &Schedule,
    occurrence: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    rounds::create(
        tx,
        NewRound {
            couple_id: schedule.couple_id,
            schedule_id: Some(schedule.id),
            occurrence,
            status: RoundStatus::Missed,
            kind: schedule.kind,
            deck: &schedule.deck,
            question: "",
            opened_at: now,
            closes_at: now,
            nudge_at: None,
        },
    )
    .await?;
    Ok(())
}
