//! When a check-in repeats: friendly forms (`daily 21:30`, `weekly sun 19:00`,
//! `every 2 weeks fri 20:00`) or standard five-field cron (`cron 0 19 * * sun`),
//! evaluated on the couple's wall clock. Turning a wall-clock occurrence into
//! an instant is [`super::local_time::resolve`]'s job.

use std::str::FromStr;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};

use crate::error::UserError;

/// Check-ins closer together than this are refused: a ritual, not a pager.
pub const MIN_INTERVAL: Duration = Duration::hours(1);
/// How many upcoming occurrences are inspected for [`MIN_INTERVAL`].
const INTERVAL_SAMPLES: usize = 48;
/// At most this many weeks between check-ins.
const MAX_WEEKS: u32 = 8;

/// A repeating wall-clock time.
#[derive(Clone, Debug)]
pub enum Recurrence {
    Daily {
        at: NaiveTime,
    },
    /// Every `weeks` weeks (1 = weekly) on `weekday`, counted from the first occurrence.
    Weekly {
        weeks: u32,
        weekday: Weekday,
        at: NaiveTime,
    },
    /// Standard cron, kept as typed (normalised) for display.
    Cron {
        expression: String,
        schedule: Box<cron::Schedule>,
    },
}

impl PartialEq for Recurrence {
    fn eq(&self, other: &Recurrence) -> bool {
        self.canonical() == other.canonical()
    }
}

impl Eq for Recurrence {}

impl Recurrence {
    /// Parses the words after `checkin schedule`.
    pub fn parse(words: &[&str]) -> Result<Recurrence, UserError> {
        let bad = || UserError::BadSchedule {
            given: words.join(" "),
        };
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
        let recurrence = match lower.as_slice() {
            ["daily", at] | ["every", "day", at] => Recurrence::Daily {
                at: parse_time(at).ok_or_else(bad)?,
            },
            ["weekly", day, at] | ["every", "week", day, at] => {
                weekly(1, day, at).ok_or_else(bad)?
            }
            ["every", n, "weeks", day, at] => {
                let weeks = n
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=MAX_WEEKS).contains(n))
                    .ok_or_else(bad)?;
                weekly(weeks, day, at).ok_or_else(bad)?
            }
            ["cron", fields @ ..] if fields.len() == 5 => cron(&words[1..]).ok_or_else(bad)?,
            _ => return Err(bad()),
        };
        recurrence.check_interval()?;
        Ok(recurrence)
    }

    /// The stored and displayed form; parsing it gives the same recurrence.
    pub fn canonical(&self) -> String {
        match self {
            Recurrence::Daily { at } => format!("daily {}", at.format("%H:%M")),
            Recurrence::Weekly {
                weeks: 1,
                weekday,
                at,
            } => {
                format!("weekly {} {}", day_name(*weekday), at.format("%H:%M"))
            }
            Recurrence::Weekly { weeks, weekday, at } => {
                format!(
                    "every {weeks} weeks {} {}",
                    day_name(*weekday),
                    at.format("%H:%M")
                )
            }
            Recurrence::Cron { expression, .. } => format!("cron {expression}"),
        }
    }

    /// Reads a stored canonical form back.
    pub fn from_canonical(text: &str) -> Result<Recurrence, UserError> {
        let words: Vec<&str> = text.split_whitespace().collect();
        Recurrence::parse(&words)
    }

    /// The first occurrence strictly after a wall-clock time.
    pub fn first_after(&self, after: NaiveDateTime) -> Option<NaiveDateTime> {
        match self {
            Recurrence::Daily { at } => {
                let today = after.date().and_time(*at);
                Some(if today > after {
                    today
                } else {
                    today + Duration::days(1)
                })
            }
            Recurrence::Weekly { weekday, at, .. } => {
                let ahead = (7 + weekday.num_days_from_monday()
                    - after.weekday().num_days_from_monday())
                    % 7;
                let candidate = (after.date() + Duration::days(i64::from(ahead))).and_time(*at);
                Some(if candidate > after {
                    candidate
                } else {
                    candidate + Duration::days(7)
                })
            }
            // Cron matches wall-clock fields, so it runs on a UTC timeline
            // that stands in for the local one.
            Recurrence::Cron { schedule, .. } => schedule
                .after(&Utc.from_utc_datetime(&after))
                .next()
                .map(|at| at.naive_utc()),
        }
    }

    /// The occurrence after `previous`, keeping the every-N-weeks rhythm.
    pub fn next(&self, previous: NaiveDateTime) -> Option<NaiveDateTime> {
        match self {
            Recurrence::Daily { .. } => Some(previous + Duration::days(1)),
            Recurrence::Weekly { weeks, .. } => Some(previous + Duration::weeks(i64::from(*weeks))),
            Recurrence::Cron { .. } => self.first_after(previous),
        }
    }

    fn check_interval(&self) -> Result<(), UserError> {
        let Recurrence::Cron { .. } = self else {
            return Ok(());
        };
        let start = NaiveDate::from_ymd_opt(2000, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0));
        let mut previous =
            start
                .and_then(|s| self.first_after(s))
                .ok_or(UserError::BadSchedule {
                    given: self.canonical(),
                })?;
        for _ in 0..INTERVAL_SAMPLES {
            let Some(next) = self.next(previous) else {
                break;
            };
            if next - previous < MIN_INTERVAL {
                return Err(UserError::ScheduleTooFrequent);
            }
            previous = next;
        }
        Ok(())
    }
}

fn weekly(weeks: u32, day: &str, at: &str) -> Option<Recurrence> {
    Some(Recurrence::Weekly {
        weeks,
        weekday: parse_weekday(day)?,
        at: parse_time(at)?,
    })
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text, "%H:%M").ok()
}

fn parse_weekday(text: &str) -> Option<Weekday> {
    let text = text.to_lowercase();
    let prefix = text.get(..3)?;
    let day = Weekday::from_str(prefix).ok()?;
    // Accept "sun", "sunday", but not "sundae".
    let full = day_full_name(day);
    (text.len() == 3 || full == text).then_some(day)
}

fn day_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

fn day_full_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

/// Standard cron (minute hour day-of-month month day-of-week, Sunday = 0 or
/// 7) into the `cron` crate's form (seconds first, Sunday = 1).
fn cron(fields: &[&str]) -> Option<Recurrence> {
    let [minute, hour, dom, month, dow] = fields else {
        return None;
    };
    let dow = dow
        .split(',')
        .map(convert_dow_part)
        .collect::<Option<Vec<_>>>()?
        .join(",");
    let crate_form = format!(
        "0 {minute} {hour} {dom} {} {}",
        month.to_uppercase(),
        dow.to_uppercase()
    );
    let schedule = cron::Schedule::from_str(&crate_form).ok()?;
    let expression = format!(
        "{minute} {hour} {dom} {} {}",
        month.to_lowercase(),
        fields[4].to_lowercase()
    );
    Some(Recurrence::Cron {
        expression,
        schedule: Box::new(schedule),
    })
}

/// Renumbers one day-of-week list item (`1-5`, `0`, `*/2`, `sun`,
/// `sat-sun`) for the `cron` crate. A range is spelled out day by day, so
/// one that ends on Sunday (`5-7`, `fri-sun`) or wraps past it (`fri-mon`)
/// works: the crate numbers Sunday first and refuses such ranges.
fn convert_dow_part(part: &str) -> Option<String> {
    let (range, step) = match part.split_once('/') {
        Some((range, step)) => (range, Some(step.parse::<u32>().ok().filter(|s| *s > 0)?)),
        None => (part, None),
    };
    // "?" is the same as "*", as the cron crate has always read it.
    let (first, last) = if range == "*" || range == "?" {
        (0, 6)
    } else if let Some((first, last)) = range.split_once('-') {
        (standard_day(first)?, standard_day(last)?)
    } else {
        let day = standard_day(range)?;
        // "1/2" counts from the day to the end of the week, as cron does.
        (day, if step.is_some() { 6 } else { day })
    };
    // Sunday is both 0 and 7, so a range that ends before it starts has
    // gone past Sunday into the next week.
    let last = if last < first { last + 7 } else { last };
    let days: Vec<String> = (first..=last)
        .step_by(usize::try_from(step.unwrap_or(1)).ok()?)
        .map(|day| (day % 7 + 1).to_string())
        .collect();
    Some(days.join(","))
}

/// A day of the week in standard cron (0 or 7 Sunday, 1 Monday) as 0-6;
/// a number or an English name (`sun`, `sunday`).
fn standard_day(text: &str) -> Option<u32> {
    match text.parse::<u32>() {
        Ok(day) if day <= 7 => Some(day % 7),
        Ok(_) => None,
        Err(_) => parse_weekday(text).map(|day| day.num_days_from_sunday()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    fn parse(text: &str) -> Result<Recurrence, UserError> {
        Recurrence::parse(&text.split_whitespace().collect::<Vec<_>>())
    }

    #[test]
    fn friendly_forms_parse_and_round_trip() {
        for (text, canonical) in [
            ("daily 21:30", "daily 21:30"),
            ("every day 07:05", "daily 07:05"),
            ("weekly Sun 19:00", "weekly sun 19:00"),
            ("weekly sunday 19:00", "weekly sun 19:00"),
            ("every week fri 20:00", "weekly fri 20:00"),
            ("every 2 weeks fri 20:00", "every 2 weeks fri 20:00"),
            ("cron 0 19 * * SUN", "cron 0 19 * * sun"),
            ("cron 30 8 * * 1-5", "cron 30 8 * * 1-5"),
        ] {
            let recurrence = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(recurrence.canonical(), canonical);
            assert_eq!(Recurrence::from_canonical(canonical).unwrap(), recurrence);
        }
    }

    #[test]
    fn bad_schedules_are_refused() {
        for text in [
            "",
            "daily",
            "daily 25:00",
            "weekly sundae 19:00",
            "every 0 weeks fri 20:00",
            "every 9 weeks fri 20:00",
            "cron 0 19 * *",
            "cron 61 19 * * *",
            "cron 0 10 * * 8",
            "cron 0 10 * * mon-xyz",
            "cron 0 10 * * sundae",
            "cron 0 10 * * 1-5/0",
            "cron 0 10 * * 1-",
            "hourly",
        ] {
            assert!(
                matches!(parse(text), Err(UserError::BadSchedule { .. })),
                "{text}"
            );
        }
        assert_eq!(
            parse("cron */5 * * * *").unwrap_err(),
            UserError::ScheduleTooFrequent
        );
        assert_eq!(
            parse("cron 0,30 * * * *").unwrap_err(),
            UserError::ScheduleTooFrequent
        );
    }

    #[test]
    fn weekly_occurrences_fall_on_the_day() {
        let weekly = parse("weekly sun 19:00").unwrap();
        // 2026-03-02 is a Monday.
        assert_eq!(
            weekly.first_after(at(2026, 3, 2, 9, 0)),
            Some(at(2026, 3, 8, 19, 0))
        );
        assert_eq!(
            weekly.first_after(at(2026, 3, 8, 19, 0)),
            Some(at(2026, 3, 15, 19, 0))
        );
        assert_eq!(
            weekly.first_after(at(2026, 3, 8, 18, 59)),
            Some(at(2026, 3, 8, 19, 0))
        );
        let fortnightly = parse("every 2 weeks fri 20:00").unwrap();
        let first = fortnightly.first_after(at(2026, 3, 2, 9, 0)).unwrap();
        assert_eq!(first, at(2026, 3, 6, 20, 0));
        assert_eq!(fortnightly.next(first), Some(at(2026, 3, 20, 20, 0)));
    }

    #[test]
    fn cron_uses_standard_day_numbers() {
        // Standard cron: 0 and 7 are Sunday, 1-5 Monday to Friday.
        let sunday = parse("cron 0 19 * * 0").unwrap();
        assert_eq!(
            sunday.first_after(at(2026, 3, 2, 9, 0)),
            Some(at(2026, 3, 8, 19, 0))
        );
        let seven = parse("cron 0 19 * * 7").unwrap();
        assert_eq!(
            seven.first_after(at(2026, 3, 2, 9, 0)),
            Some(at(2026, 3, 8, 19, 0))
        );
        let weekdays = parse("cron 30 8 * * 1-5").unwrap();
        assert_eq!(
            weekdays.first_after(at(2026, 3, 6, 9, 0)),
            Some(at(2026, 3, 9, 8, 30))
        );
    }

    /// The weekdays a recurrence fires on in the week from Monday 2026-03-02.
    fn days_in_a_week(text: &str) -> Vec<Weekday> {
        let recurrence = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let mut days = Vec::new();
        let mut after = at(2026, 3, 1, 23, 59);
        while let Some(next) = recurrence
            .first_after(after)
            .filter(|n| *n < at(2026, 3, 9, 0, 0))
        {
            days.push(next.weekday());
            after = next;
        }
        days
    }

    #[test]
    fn cron_day_ranges_may_end_on_or_wrap_past_sunday() {
        use Weekday::*;
        for (text, days) in [
            ("cron 0 10 * * 5-7", vec![Fri, Sat, Sun]),
            ("cron 0 10 * * sat-sun", vec![Sat, Sun]),
            ("cron 0 10 * * SAT-SUN", vec![Sat, Sun]),
            ("cron 0 10 * * fri-mon", vec![Mon, Fri, Sat, Sun]),
            ("cron 0 10 * * 6-1", vec![Mon, Sat, Sun]),
            ("cron 0 10 * * 1-7", vec![Mon, Tue, Wed, Thu, Fri, Sat, Sun]),
            ("cron 0 10 * * mon-fri", vec![Mon, Tue, Wed, Thu, Fri]),
            ("cron 0 10 * * 0-6/2", vec![Tue, Thu, Sat, Sun]),
            ("cron 0 10 * * */2", vec![Tue, Thu, Sat, Sun]),
            ("cron 0 10 * * 1/2", vec![Mon, Wed, Fri]),
            ("cron 0 10 * * mon,thu,7", vec![Mon, Thu, Sun]),
            ("cron 0 10 * * tuesday", vec![Tue]),
            ("cron 0 10 * * ?", vec![Mon, Tue, Wed, Thu, Fri, Sat, Sun]),
        ] {
            assert_eq!(days_in_a_week(text), days, "{text}");
        }
    }
}
