//! How a schedule and one proposed moment read to people: the schedule in
//! words ("every Sunday at 19:00"), the first occurrence in the reader's
//! own zone and in the other's, and a plain word when it falls inside
//! someone's quiet hours or in the middle of their night, so nobody learns
//! what they agreed to only after saying yes.

use chrono::{DateTime, NaiveTime, Timelike, Utc};

use super::Ctx;
use crate::domain::local_time::local_of;
use crate::domain::recurrence::Recurrence;
use crate::prompts::{Catalog, Key};
use crate::store::users::User;

/// "every day at 21:30", "every Sunday at 19:00", "every 2 weeks on Friday
/// at 20:00"; a cron schedule is shown as it was typed.
pub(super) fn schedule_words(catalog: &Catalog, recurrence: &Recurrence) -> String {
    let day = |weekday: chrono::Weekday| {
        catalog
            .list("schedule.weekdays")
            .and_then(|days| days.get(weekday.num_days_from_monday() as usize))
            .cloned()
            .unwrap_or_else(|| weekday.to_string())
    };
    match recurrence {
        Recurrence::Daily { at } => catalog.render(
            Key::ScheduleDaily,
            &[("time", &at.format("%H:%M").to_string())],
        ),
        Recurrence::Weekly { weeks, weekday, at } => {
            let key = if *weeks == 1 {
                Key::ScheduleWeekly
            } else {
                Key::ScheduleEveryWeeks
            };
            let vars = [
                ("day", day(*weekday)),
                ("time", at.format("%H:%M").to_string()),
                ("weeks", weeks.to_string()),
            ];
            let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
            catalog.render(key, &vars)
        }
        Recurrence::Cron { .. } => catalog.render(
            Key::ScheduleCron,
            &[("expression", &recurrence.canonical())],
        ),
    }
}

/// The night, for the warning: from 23:00 until 06:00 local time.
fn is_night(time: NaiveTime) -> bool {
    time.hour() >= 23 || time.hour() < 6
}

/// "The first would be Sun 6 Dec, 19:00 (CET) for you and Sun 6 Dec,
/// 13:00 (EST) for ben. That's inside ben's quiet hours."
pub(super) fn first_for(ctx: &Ctx<'_>, at: DateTime<Utc>, reader: &User, other: &User) -> String {
    let (reader_zone, other_zone) = (ctx.zone_of(reader), ctx.zone_of(other));
    let mine = ctx.engine.format_time(at, reader_zone);
    let mut text = if reader_zone == other_zone {
        ctx.say(Key::MomentsFirst, &[("mine", &mine)])
    } else {
        let theirs = ctx.engine.format_time(at, other_zone);
        ctx.say(
            Key::MomentsFirstBoth,
            &[
                ("mine", &mine),
                ("theirs", &theirs),
                ("name", &other.display_name),
            ],
        )
    };
    for (person, keys) in [
        (reader, (Key::MomentsQuietYou, Key::MomentsNightYou)),
        (other, (Key::MomentsQuietOther, Key::MomentsNightOther)),
    ] {
        let local = local_of(ctx.zone_of(person), at).time();
        let key = if person
            .quiet_hours
            .is_some_and(|quiet| quiet.contains(local))
        {
            keys.0
        } else if is_night(local) {
            keys.1
        } else {
            continue;
        };
        text.push(' ');
        text.push_str(&ctx.say(key, &[("name", &person.display_name)]));
    }
    text
}
