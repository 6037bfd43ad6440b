//! When a round's question may reach each partner: never inside their
//! quiet hours. A private question waits for the end of that person's
//! quiet hours; a question in the shared space waits for a moment outside
//! both partners'. The round then stays open as long after its last
//! question as it would have after an unheld one.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::CheckinKind;
use crate::store::couples::Couple;
use crate::store::users::User;

/// When each question of one round goes out.
pub(super) struct AskTimes {
    /// Per member id; in shared mode every member's answer note goes out
    /// with the shared question.
    members: Vec<(i64, DateTime<Utc>)>,
    /// The question in the shared space, when there is one.
    pub space: DateTime<Utc>,
}

impl AskTimes {
    pub(super) fn plan(
        couple: &Couple,
        kind: CheckinKind,
        members: &[User],
        now: DateTime<Utc>,
    ) -> AskTimes {
        let zone = |member: &User| member.time_zone.unwrap_or(couple.time_zone);
        if couple.space.is_some() && kind == CheckinKind::Shared {
            let space = outside_all(members, zone, now);
            return AskTimes {
                members: members.iter().map(|member| (member.id, space)).collect(),
                space,
            };
        }
        AskTimes {
            members: members
                .iter()
                .map(|member| {
                    (
                        member.id,
                        quiet_end(member, zone(member), now).unwrap_or(now),
                    )
                })
                .collect(),
            space: now,
        }
    }

    /// When the question may reach this member.
    pub(super) fn for_member(&self, id: i64) -> Option<DateTime<Utc>> {
        self.members
            .iter()
            .find_map(|(member, at)| (*member == id).then_some(*at))
    }

    /// When the last question goes out.
    pub(super) fn latest(&self) -> DateTime<Utc> {
        self.members
            .iter()
            .map(|(_, at)| *at)
            .fold(self.space, DateTime::max)
    }
}

/// The end of `member`'s quiet hours, if `at` falls inside them.
fn quiet_end(member: &User, zone: Tz, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    member
        .quiet_hours
        .and_then(|quiet| quiet.ends_after_if_inside(zone, at))
}

/// The first moment from `now` outside every member's quiet hours. Windows
/// that together cover the whole day have no such moment; then the
/// question goes when the last window it met ends.
fn outside_all(members: &[User], zone: impl Fn(&User) -> Tz, now: DateTime<Utc>) -> DateTime<Utc> {
    let mut at = now;
    for _ in 0..=members.len() * 2 {
        let later = members
            .iter()
            .filter_map(|member| quiet_end(member, zone(member), at))
            .max();
        match later {
            Some(end) => at = end,
            None => break,
        }
    }
    at
}
