//! Wall-clock time in an IANA zone, and rapport's DST policy.
//!
//! Schedules step through *local* occurrences (a wall-clock date and time)
//! and turn each into one UTC instant with [`resolve`]:
//! - a time that does not exist (the spring-forward gap) fires at the first
//!   valid minute after it, e.g. 02:30 on a New York spring-forward night
//!   fires at 03:00;
//! - a time that exists twice (the repeated autumn hour) fires once, at the
//!   earlier instant.

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// No zone has a gap longer than a day; this bounds the search.
const LONGEST_GAP_MINUTES: i64 = 24 * 60;

/// The one UTC instant at which a local occurrence fires.
pub fn resolve(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    if let Some(instant) = existing(zone, local) {
        return instant;
    }
    let start = local
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(local);
    (1..=LONGEST_GAP_MINUTES)
        .map(|minutes| start + Duration::minutes(minutes))
        .find_map(|candidate| existing(zone, candidate))
        // Unreachable with real zone data; UTC reading keeps firing sane.
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

/// The wall-clock time of an instant in a zone.
pub fn local_of(zone: Tz, at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&zone).naive_local()
}

/// The instant of a local time if it exists; the earlier one if it exists twice.
fn existing(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) => Some(at.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, second) => Some(first.min(second).with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use chrono_tz::{America, Australia};

    fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    #[test]
    fn gap_fires_at_the_first_valid_minute() {
        // New York sprang forward at 02:00 on 2026-03-08.
        let at = resolve(America::New_York, local(2026, 3, 8, 2, 30));
        assert_eq!(local_of(America::New_York, at), local(2026, 3, 8, 3, 0));
        // Lord Howe moves by half an hour: 02:00 -> 02:30 on 2026-10-04.
        let at = resolve(Australia::Lord_Howe, local(2026, 10, 4, 2, 10));
        assert_eq!(
            local_of(Australia::Lord_Howe, at),
            local(2026, 10, 4, 2, 30)
        );
    }

    #[test]
    fn repeated_hour_fires_at_the_earlier_instant() {
        // New York fell back at 02:00 on 2026-11-01: 01:30 happened twice.
        let at = resolve(America::New_York, local(2026, 11, 1, 1, 30));
        assert_eq!(
            at,
            Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap(),
            "01:30 EDT = 05:30 UTC"
        );
    }
}
