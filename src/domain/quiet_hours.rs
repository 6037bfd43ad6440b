//! Quiet hours: a daily local-time window in which rapport sends a person no
//! nudges or reminders. The window may wrap past midnight (22:00-07:00).

use std::fmt;

use chrono::{DateTime, Duration, NaiveDateTime, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;

use super::local_time::{local_of, resolve};

use crate::error::UserError;

/// A daily window, stored as minutes after local midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuietHours {
    start_minute: u16,
    end_minute: u16,
}

impl QuietHours {
    /// Parses `22:00-07:00`, `10pm-6am`, `22-7` or `10pm to 6am`; start
    /// and end must differ.
    pub fn parse(text: &str) -> Result<QuietHours, UserError> {
        let bad = || UserError::BadQuietHours {
            given: text.to_owned(),
        };
        let compact: String = text
            .to_lowercase()
            .split_whitespace()
            .map(|word| if word == "to" { "-" } else { word })
            .collect::<Vec<_>>()
            .concat()
            .replace(['–', '—'], "-");
        let (start, end) = compact.split_once('-').ok_or_else(bad)?;
        let start = parse_minute(start).ok_or_else(bad)?;
        let end = parse_minute(end).ok_or_else(bad)?;
        QuietHours::from_minutes(start, end).ok_or_else(bad)
    }

    /// Builds the window from stored minutes; `None` if out of range or empty.
    pub fn from_minutes(start_minute: u16, end_minute: u16) -> Option<QuietHours> {
        let valid = start_minute < 1440 && end_minute < 1440 && start_minute != end_minute;
        valid.then_some(QuietHours {
            start_minute,
            end_minute,
        })
    }

    pub fn start_minute(self) -> u16 {
        self.start_minute
    }

    pub fn end_minute(self) -> u16 {
        self.end_minute
    }

    /// Whether a local wall-clock time falls inside the window (end excluded).
    pub fn contains(self, time: NaiveTime) -> bool {
        let minute = (time.hour() * 60 + time.minute()) as u16;
        if self.start_minute < self.end_minute {
            (self.start_minute..self.end_minute).contains(&minute)
        } else {
            minute >= self.start_minute || minute < self.end_minute
        }
    }

    /// If `now` falls inside the window on the wall clock of `zone`, the
    /// instant the window ends: when a postponed message may go out.
    pub fn ends_after_if_inside(self, zone: Tz, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = local_of(zone, now);
        self.contains(local.time())
            .then(|| resolve(zone, self.end_after(local)))
    }

    /// The first end of the window strictly after a local time: when a
    /// postponed nudge may go out.
    pub fn end_after(self, local: NaiveDateTime) -> NaiveDateTime {
        let end = NaiveTime::from_hms_opt(
            u32::from(self.end_minute / 60),
            u32::from(self.end_minute % 60),
            0,
        )
        .unwrap_or(NaiveTime::MIN);
        let today = local.date().and_time(end);
        if today > local {
            today
        } else {
            today + Duration::days(1)
        }
    }
}

impl fmt::Display for QuietHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (sh, sm) = (self.start_minute / 60, self.start_minute % 60);
        let (eh, em) = (self.end_minute / 60, self.end_minute % 60);
        write!(f, "{sh:02}:{sm:02}-{eh:02}:{em:02}")
    }
}

/// `22:00`, `22`, `10pm`, `10:30pm`, `6am`, `6 a.m.` as minutes after
/// midnight.
fn parse_minute(text: &str) -> Option<u16> {
    let text = text.trim().replace('.', "");
    let (clock, half) = match (text.strip_suffix("am"), text.strip_suffix("pm")) {
        (Some(clock), _) => (clock, Some(0)),
        (_, Some(clock)) => (clock, Some(12)),
        _ => (text.as_str(), None),
    };
    let (hour, minute) = clock.split_once(':').unwrap_or((clock, "0"));
    let (hour, minute): (u16, u16) = (hour.parse().ok()?, minute.parse().ok()?);
    let hour = match half {
        // 12am is midnight, 12pm is noon.
        Some(offset) if (1..=12).contains(&hour) => hour % 12 + offset,
        Some(_) => return None,
        None => hour,
    };
    (hour < 24 && minute < 60).then_some(hour * 60 + minute)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn window_wrapping_midnight() {
        let quiet = QuietHours::parse("22:00-07:30").unwrap();
        assert!(quiet.contains(at(23, 0)));
        assert!(quiet.contains(at(0, 0)));
        assert!(quiet.contains(at(7, 29)));
        assert!(!quiet.contains(at(7, 30)));
        assert!(!quiet.contains(at(12, 0)));
        assert_eq!(quiet.to_string(), "22:00-07:30");
    }

    #[test]
    fn twelve_hour_and_bare_hours_read_as_people_write_them() {
        let expected = QuietHours::parse("22:00-06:00").unwrap();
        for text in [
            "10pm-6am",
            "10 pm - 6 am",
            "10pm to 6am",
            "22-6",
            "10p.m.-6a.m.",
            "22:00–06:00",
        ] {
            assert_eq!(QuietHours::parse(text), Ok(expected), "{text}");
        }
        assert_eq!(
            QuietHours::parse("12am-7:30am").map(|q| (q.start_minute(), q.end_minute())),
            Ok((0, 450))
        );
        assert_eq!(
            QuietHours::parse("11pm-12pm").map(|q| (q.start_minute(), q.end_minute())),
            Ok((1380, 720))
        );
        for text in ["13pm-6am", "25-6", "10pm", "0am-6am"] {
            assert!(QuietHours::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn window_within_a_day() {
        let quiet = QuietHours::parse("13:00-14:00").unwrap();
        assert!(quiet.contains(at(13, 59)));
        assert!(!quiet.contains(at(14, 0)));
        assert!(!quiet.contains(at(12, 59)));
    }

    #[test]
    fn end_after_is_the_next_end_of_the_window() {
        let quiet = QuietHours::parse("22:00-07:00").unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(
            quiet.end_after(day.and_time(at(23, 0))),
            day.succ_opt().unwrap().and_time(at(7, 0))
        );
        assert_eq!(
            quiet.end_after(day.and_time(at(5, 0))),
            day.and_time(at(7, 0))
        );
    }

    #[test]
    fn malformed_windows_are_rejected() {
        for bad in [
            "",
            "22:00",
            "25:00-07:00",
            "22:00-22:00",
            "ten-seven",
            "22:00-07:00-08:00",
        ] {
            assert!(QuietHours::parse(bad).is_err(), "{bad}");
        }
    }
}
