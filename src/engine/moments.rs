//! How one proposed moment reads for each partner: the first occurrence in
//! the reader's own zone and in the other's, and a plain word when it falls
//! inside someone's quiet hours or in the middle of their night, so nobody
//! learns what they agreed to only after saying yes.

use chrono::{DateTime, NaiveTime, Timelike, Utc};

use super::Ctx;
use crate::domain::local_time::local_of;
use crate::prompts::Key;
use crate::store::users::User;

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
