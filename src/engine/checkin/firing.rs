//! The check-in side of the scheduler's jobs ([`crate::engine::jobs`]):
//! fire a due schedule, close a round past its deadline, nudge partners who
//! have not answered. Each runs inside its batch's transaction, which
//! writes the rounds and their outbox messages together.

use chrono::{DateTime, Utc};

use super::round::{self, RoundSpec};
use super::timing::{self, DueSchedule, Outcome};
use crate::domain::{Destination, Reply};
use crate::engine::Engine;
use crate::engine::message::Queued;
use crate::engine::queue::queue_all;
use crate::prompts::Key;
use crate::store::rounds::{self, NewRound, Round, RoundStatus};
use crate::store::schedules::{self, Schedule, format_local};
use crate::store::{Tx, couples, users};

/// What firing one schedule did, for the tick's report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Fired {
    /// A round was opened.
    pub fired: bool,
    /// Occurrences that passed without a round (downtime, too late).
    pub missed: usize,
    pub skipped: bool,
    pub paused: bool,
}

/// Fires one due schedule: opens its round, or records why not, and
/// moves the schedule to its next occurrence.
pub(crate) async fn fire(
    engine: &Engine,
    tx: &mut Tx,
    schedule: &Schedule,
    now: DateTime<Utc>,
) -> anyhow::Result<Fired> {
    let mut fired = Fired::default();
    let Some(next_local) = schedule.next_local else {
        schedules::end(tx, schedule.id, now).await?;
        return Ok(fired);
    };
    let due = DueSchedule {
        recurrence: &schedule.recurrence,
        zone: schedule.time_zone,
        next_local,
        paused_until: schedule.paused_until,
        skip_next: schedule.skip_next,
    };
    let Some(plan) = timing::plan_due(&due, now, engine.policy().catch_up_grace) else {
        tracing::info!(
            schedule = schedule.id,
            "schedule has no further occurrence; ending it"
        );
        schedules::end(tx, schedule.id, now).await?;
        return Ok(fired);
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
            if let Some((_, messages)) = round::open(engine, tx, &couple, spec, now).await? {
                queue_all(tx, Some(couple.id), &messages, now).await?;
                fired.fired = true;
            }
        }
        Outcome::Missed => {
            record_missed(tx, schedule, &occurrence, now).await?;
            fired.missed += 1;
        }
        Outcome::Skipped => fired.skipped = true,
        Outcome::Paused => fired.paused = true,
    }
    let missed = plan.passed_over + i64::from(plan.outcome == Outcome::Missed);
    fired.missed += plan.passed_over as usize;
    // A skip asked for during a pause waits for the first occurrence after it.
    let skip_waits = schedule.skip_next && plan.outcome == Outcome::Paused;
    schedules::advance(
        tx,
        schedule.id,
        plan.next_local,
        plan.next_fire_at,
        missed,
        skip_waits,
    )
    .await?;
    Ok(fired)
}

/// Closes one round past its deadline and queues what it reveals;
/// false when another process closed it first.
pub(crate) async fn close(
    engine: &Engine,
    tx: &mut Tx,
    round: &Round,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    if !rounds::finish(tx, round.id, RoundStatus::Closed, now).await? {
        return Ok(false);
    }
    let couple = couples::get(tx, round.couple_id).await?;
    let members = users::in_couple(tx, couple.id).await?;
    let answers = rounds::answers(tx, round.id).await?;
    let messages = round::reveal_messages(engine, &couple, round, &members, &answers, false);
    queue_all(tx, Some(couple.id), &messages, now).await?;
    Ok(true)
}

/// Nudges each partner who has not answered, once, outside their quiet
/// hours; returns how many were nudged now.
pub(crate) async fn nudge(
    engine: &Engine,
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
        let closes = engine.format_time(round.closes_at, zone);
        let text = engine.catalog().render(
            Key::CheckinNudge,
            &[("question", &round.question), ("closes", &closes)],
        );
        let message = Queued::new(
            format!("round:{}:nudge:{}", round.id, member.id),
            Destination::User(member.user.clone()),
            Reply::private(text).notifying(),
        );
        queue_all(tx, Some(couple.id), &[message], now).await?;
        nudged += 1;
    }
    rounds::set_nudge_at(tx, round.id, postponed).await?;
    Ok(nudged)
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
