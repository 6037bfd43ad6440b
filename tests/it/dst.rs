//! Property tests of the DST policy over ten years of dates in four zones
//! with different rules: New York and Berlin (1-hour shifts at 02:00 and
//! 02:00/03:00), Cairo (shifts at midnight, DST only since 2023) and
//! Lord Howe (half-hour shifts).
//!
//! Policy: a wall-clock time in the spring-forward gap fires at the first
//! valid minute after it; a repeated time fires once, at the earlier instant.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;

use rapport::domain::local_time::{local_of, resolve};
use rapport::domain::recurrence::Recurrence;
use rapport::engine::checkin::timing::{self, DueSchedule, Outcome};

const ZONES: [Tz; 4] = [
    chrono_tz::America::New_York,
    chrono_tz::Europe::Berlin,
    chrono_tz::Africa::Cairo,
    chrono_tz::Australia::Lord_Howe,
];
const YEARS: i64 = 10;

fn start_date(day_offset: i64) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        + Duration::days(day_offset)
}

/// Checks one occurrence against the policy.
fn assert_policy(zone: Tz, local: NaiveDateTime, at: DateTime<Utc>) {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(expected) => {
            assert_eq!(at, expected.with_timezone(&Utc), "{zone} {local}")
        }
        LocalResult::Ambiguous(a, b) => {
            assert_eq!(
                at,
                a.min(b).with_timezone(&Utc),
                "{zone} {local}: earlier of a repeated time"
            )
        }
        LocalResult::None => {
            let fired = local_of(zone, at);
            assert!(
                fired > local,
                "{zone} {local}: fires after the gap time, got {fired}"
            );
            assert_eq!(fired.second(), 0);
            // The minute before is either before the gap time or inside the gap.
            let before = fired - Duration::minutes(1);
            assert!(
                before < local || matches!(zone.from_local_datetime(&before), LocalResult::None),
                "{zone} {local}: {fired} is not the first valid minute"
            );
        }
    }
}

/// Walks a schedule for ten years as the scheduler would (firing on time)
/// and checks every firing; returns how many fired.
fn walk(recurrence: &Recurrence, zone: Tz, start: NaiveDateTime) -> usize {
    let now = resolve(zone, start);
    let (mut next_local, mut next_at) =
        timing::first_after(recurrence, zone, now).expect("an occurrence");
    let end = start + Duration::days(365 * YEARS);
    let mut previous: Option<DateTime<Utc>> = None;
    let mut fired = 0;
    while next_local < end {
        assert_policy(zone, next_local, next_at);
        if let Some(previous) = previous {
            assert!(
                next_at > previous,
                "{zone}: {next_local} fires after the one before"
            );
        }
        let due = DueSchedule {
            recurrence,
            zone,
            next_local,
            paused_until: None,
            skip_next: false,
        };
        let plan = timing::plan_due(&due, next_at, Duration::hours(24)).expect("a plan");
        assert_eq!(
            (plan.outcome, plan.passed_over),
            (Outcome::Fire, 0),
            "{zone} {next_local}"
        );
        assert_eq!(plan.occurrence, next_local);
        fired += 1;
        previous = Some(next_at);
        (next_local, next_at) = (plan.next_local, plan.next_fire_at);
    }
    fired
}

fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn daily_fires_once_per_local_day_by_the_policy(
        zone in prop::sample::select(ZONES.to_vec()),
        hour in 0u32..24,
        minute in prop::sample::select(vec![0u32, 15, 30, 45, 59]),
        day_offset in 0i64..366,
    ) {
        let recurrence = Recurrence::parse(&words(&format!("daily {hour:02}:{minute:02}"))).unwrap();
        let start = start_date(day_offset);
        let fired = walk(&recurrence, zone, start);
        let days = (365 * YEARS) as usize;
        prop_assert!((days - 1..=days + 1).contains(&fired), "{fired} firings in {days} days");
    }

    #[test]
    fn every_n_weeks_keeps_its_rhythm(
        zone in prop::sample::select(ZONES.to_vec()),
        weeks in 1u32..=3,
        day in prop::sample::select(vec!["mon", "thu", "fri", "sat", "sun"]),
        hour in 0u32..24,
        day_offset in 0i64..366,
    ) {
        let text = format!("every {weeks} weeks {day} {hour:02}:30");
        let recurrence = Recurrence::parse(&words(&text)).unwrap();
        let fired = walk(&recurrence, zone, start_date(day_offset));
        let expected = (365 * YEARS / (7 * i64::from(weeks))) as usize;
        prop_assert!(fired.abs_diff(expected) <= 1, "{text}: {fired} vs {expected}");
    }
}

/// Each zone's transition times, including a gap or repeat at the scheduled time.
#[test]
fn scheduled_times_on_transition_nights_follow_the_policy() {
    for (zone, time) in [
        (chrono_tz::America::New_York, "02:30"), // gap in March, none in Nov
        (chrono_tz::America::New_York, "01:30"), // repeated in November
        (chrono_tz::Europe::Berlin, "02:30"),    // gap in March, repeated in October
        (chrono_tz::Africa::Cairo, "00:30"),     // gap at midnight in April
        (chrono_tz::Africa::Cairo, "23:30"),     // repeated before midnight in October
        (chrono_tz::Australia::Lord_Howe, "02:15"), // half-hour gap in October
        (chrono_tz::Australia::Lord_Howe, "01:45"), // half-hour repeat in April
    ] {
        let recurrence = Recurrence::parse(&words(&format!("daily {time}"))).unwrap();
        let fired = walk(&recurrence, zone, start_date(0));
        assert!(fired >= 3649, "{zone} {time}: {fired}");
    }
}

#[test]
fn known_transitions_resolve_as_documented() {
    let at = |zone: Tz, y, mo, d, h, mi| {
        local_of(
            zone,
            resolve(
                zone,
                NaiveDate::from_ymd_opt(y, mo, d)
                    .unwrap()
                    .and_hms_opt(h, mi, 0)
                    .unwrap(),
            ),
        )
    };
    let local = |y, mo, d, h, mi| {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    };
    // Berlin springs forward 2026-03-29 02:00 -> 03:00.
    assert_eq!(
        at(chrono_tz::Europe::Berlin, 2026, 3, 29, 2, 30),
        local(2026, 3, 29, 3, 0)
    );
    // Cairo springs forward at midnight on the last Friday of April 2026 (the 24th).
    assert_eq!(
        at(chrono_tz::Africa::Cairo, 2026, 4, 24, 0, 30),
        local(2026, 4, 24, 1, 0)
    );
    // Lord Howe: 02:00 -> 02:30 on 2026-10-04.
    assert_eq!(
        at(chrono_tz::Australia::Lord_Howe, 2026, 10, 4, 2, 15),
        local(2026, 10, 4, 2, 30)
    );
    // New York's repeated 01:30 on 2026-11-01 fires at the first one (EDT, UTC-4).
    let first = resolve(chrono_tz::America::New_York, local(2026, 11, 1, 1, 30));
    assert_eq!(first, Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap());
}
