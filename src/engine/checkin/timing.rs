//! When a schedule fires, as pure functions of the schedule and "now": the
//! first occurrence after a moment, and what to do with occurrences that came
//! due (fire, skip, pause, or record as missed after downtime).
//!
//! Downtime policy: of all occurrences that passed while rapport was down,
//! only the latest may still fire, and only within the catch-up grace and on
//! the same local day. Earlier ones are counted as missed. So a restart
//! never sends a burst, and never more than one catch-up per schedule.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use chrono_tz::Tz;

use crate::domain::local_time::{local_of, resolve};
use crate::domain::recurrence::Recurrence;

/// Upper bound on occurrences walked in one step (a minute-level schedule
/// down for a year stays well under it); beyond it the schedule is reset
/// from "now" rather than looping.
const MAX_STEPS: usize = 600_000;

/// The first occurrence that fires strictly after `now`.
pub fn first_after(
    recurrence: &Recurrence,
    zone: Tz,
    now: DateTime<Utc>,
) -> Option<(NaiveDateTime, DateTime<Utc>)> {
    let mut local = recurrence.first_after(local_of(zone, now))?;
    for _ in 0..MAX_STEPS {
        let at = resolve(zone, local);
        if at > now {
            return Some((local, at));
        }
        local = recurrence.next(local)?;
    }
    None
}

/// What happens to the latest due occurrence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Fire,
    /// A partner asked to skip it.
    Skipped,
    /// The schedule is paused past it.
    Paused,
    /// Too late to send: recorded, not sent.
    Missed,
}

/// The plan for a due schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuePlan {
    /// The latest occurrence that came due, and what to do with it.
    pub occurrence: NaiveDateTime,
    pub outcome: Outcome,
    /// Occurrences before it that passed unseen (downtime).
    pub passed_over: i64,
    /// Where the schedule goes next (fires strictly after `now`).
    pub next_local: NaiveDateTime,
    pub next_fire_at: DateTime<Utc>,
}

/// The state of a schedule that matters for planning.
pub struct DueSchedule<'a> {
    pub recurrence: &'a Recurrence,
    pub zone: Tz,
    pub next_local: NaiveDateTime,
    pub paused_until: Option<DateTime<Utc>>,
    pub skip_next: bool,
}

/// Plans a schedule whose `next_local` has come due; `None` if the
/// recurrence has no future occurrence (the schedule should end).
pub fn plan_due(
    schedule: &DueSchedule<'_>,
    now: DateTime<Utc>,
    grace: Duration,
) -> Option<DuePlan> {
    let zone = schedule.zone;
    let mut latest = schedule.next_local;
    let mut passed_over = 0;
    let mut next = schedule.recurrence.next(latest)?;
    let mut steps = 0;
    while resolve(zone, next) <= now {
        steps += 1;
        if steps > MAX_STEPS {
            let (next_local, next_fire_at) = first_after(schedule.recurrence, zone, now)?;
            return Some(DuePlan {
                occurrence: latest,
                outcome: Outcome::Missed,
                passed_over,
                next_local,
                next_fire_at,
            });
        }
        passed_over += 1;
        latest = next;
        next = schedule.recurrence.next(latest)?;
    }
    let fires_at = resolve(zone, latest);
    let outcome = if schedule.paused_until.is_some_and(|until| fires_at < until) {
        Outcome::Paused
    } else if schedule.skip_next {
        Outcome::Skipped
    } else if now - fires_at <= grace && local_of(zone, now).date() == latest.date() {
        Outcome::Fire
    } else {
        Outcome::Missed
    };
    Some(DuePlan {
        occurrence: latest,
        outcome,
        passed_over,
        next_local: next,
        next_fire_at: resolve(zone, next),
    })
}

/// What the couple will actually meet next, pause and skip applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Upcoming {
    /// The first occurrence that will really fire.
    pub fires_at: DateTime<Utc>,
    /// The occurrence a partner asked to skip, if one is pending.
    pub skipped: Option<DateTime<Utc>>,
}

/// Walks from the schedule's next occurrence past the pause and the skip,
/// the way [`plan_due`] will treat them when they come due.
pub fn upcoming(schedule: &DueSchedule<'_>) -> Option<Upcoming> {
    let zone = schedule.zone;
    let mut local = schedule.next_local;
    let mut skipped = None;
    let mut skip_pending = schedule.skip_next;
    for _ in 0..MAX_STEPS {
        let at = resolve(zone, local);
        let paused = schedule.paused_until.is_some_and(|until| at < until);
        if !paused && skip_pending {
            skip_pending = false;
            skipped = Some(at);
        } else if !paused {
            return Some(Upcoming {
                fires_at: at,
                skipped,
            });
        }
        local = schedule.recurrence.next(local)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};
    use chrono_tz::Europe::Berlin;

    fn local(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 6, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    fn utc_of(d: u32, h: u32) -> DateTime<Utc> {
        Berlin
            .from_local_datetime(&local(d, h))
            .unwrap()
            .with_timezone(&Utc)
    }

    fn daily() -> Recurrence {
        Recurrence::parse(&["daily", "21:00"]).unwrap()
    }

    fn due(recurrence: &Recurrence, next: NaiveDateTime) -> DueSchedule<'_> {
        DueSchedule {
            recurrence,
            zone: Berlin,
            next_local: next,
            paused_until: None,
            skip_next: false,
        }
    }

    #[test]
    fn on_time_fires_and_moves_a_day_on() {
        let daily = daily();
        let plan = plan_due(
            &due(&daily, local(1, 21)),
            utc_of(1, 21) + Duration::seconds(5),
            Duration::hours(24),
        )
        .unwrap();
        assert_eq!(plan.outcome, Outcome::Fire);
        assert_eq!((plan.passed_over, plan.next_local), (0, local(2, 21)));
    }

    #[test]
    fn late_on_the_same_day_still_fires_once() {
        let daily = daily();
        let plan = plan_due(
            &due(&daily, local(1, 21)),
            utc_of(1, 23),
            Duration::hours(24),
        )
        .unwrap();
        assert_eq!(plan.outcome, Outcome::Fire);
        // A shorter grace turns the same lateness into a miss.
        let plan = plan_due(
            &due(&daily, local(1, 21)),
            utc_of(1, 23),
            Duration::hours(1),
        )
        .unwrap();
        assert_eq!(plan.outcome, Outcome::Missed);
    }

    #[test]
    fn after_long_downtime_only_the_latest_may_fire() {
        let daily = daily();
        // Down from the 1st to the 5th at 22:00: four occurrences passed over,
        // the 5th's fires late (same day), next is the 6th.
        let plan = plan_due(
            &due(&daily, local(1, 21)),
            utc_of(5, 22),
            Duration::hours(24),
        )
        .unwrap();
        assert_eq!(plan.occurrence, local(5, 21));
        assert_eq!((plan.outcome, plan.passed_over), (Outcome::Fire, 4));
        assert_eq!(plan.next_local, local(6, 21));
        // Back the next morning: yesterday's is missed, not sent.
        let plan = plan_due(
            &due(&daily, local(1, 21)),
            utc_of(6, 8),
            Duration::hours(24),
        )
        .unwrap();
        assert_eq!(
            (plan.occurrence, plan.outcome),
            (local(5, 21), Outcome::Missed)
        );
    }

    #[test]
    fn skip_and_pause_advance_without_firing() {
        let daily = daily();
        let mut schedule = due(&daily, local(1, 21));
        schedule.skip_next = true;
        let plan = plan_due(&schedule, utc_of(1, 21), Duration::hours(24)).unwrap();
        assert_eq!(
            (plan.outcome, plan.next_local),
            (Outcome::Skipped, local(2, 21))
        );
        let mut schedule = due(&daily, local(1, 21));
        schedule.paused_until = Some(utc_of(3, 0));
        let plan = plan_due(&schedule, utc_of(1, 21), Duration::hours(24)).unwrap();
        assert_eq!(
            (plan.outcome, plan.next_local),
            (Outcome::Paused, local(2, 21))
        );
    }
}
