//! Due-date reminders: one the day before at nine, per person, postponed
//! past their quiet hours, and moved when the couple's zone changes.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use crate::domain::local_time::resolve;
use crate::domain::{Destination, Reply};
use crate::engine::Engine;
use crate::engine::message::Queued;
use crate::engine::queue::queue_all;
use crate::prompts::Key;
use crate::store::Tx;
use crate::store::couples::{self};
use crate::store::goals::{self, Goal};
use crate::store::users::{self};

use super::describe;

/// The local time of the due-date reminder, on the day before.
const REMINDER_TIME: NaiveTime = match NaiveTime::from_hms_opt(9, 0, 0) {
    Some(time) => time,
    None => panic!("valid time"),
};

/// The reminder instant for a due date: the day before at 09:00 local, if
/// that is still ahead.
pub(super) fn reminder_at(
    zone: Tz,
    due: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    day_before_reminder(zone, due).filter(|at| *at > now)
}

/// The day before a due date at [`REMINDER_TIME`] in `zone`.
fn day_before_reminder(zone: Tz, due: Option<NaiveDate>) -> Option<DateTime<Utc>> {
    let day_before = due?.pred_opt()?;
    Some(resolve(zone, day_before.and_time(REMINDER_TIME)))
}

/// The couple's dates now go by `zone`: a reminder that has not gone out
/// yet moves to the day before in it (one whose new time has passed goes
/// out at the scheduler's next pass).
pub(in crate::engine) async fn move_reminders(
    tx: &mut Tx,
    couple_id: i64,
    zone: Tz,
) -> anyhow::Result<()> {
    for goal in goals::awaiting_reminder(tx, couple_id).await? {
        goals::set_remind_at(tx, goal.id, day_before_reminder(zone, goal.due_date)).await?;
    }
    Ok(())
}

/// Goals brought back with a couple's history get their due-date reminder
/// again, when the day before is still ahead.
pub(in crate::engine) async fn restore_reminders(
    tx: &mut Tx,
    couple_id: i64,
    zone: Tz,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    for goal in goals::due_without_reminder(tx, couple_id).await? {
        if let Some(at) = reminder_at(zone, goal.due_date, now) {
            goals::set_remind_at(tx, goal.id, Some(at)).await?;
        }
    }
    Ok(())
}

/// Queues one goal's due-date reminder, once per person, postponed past
/// a person's quiet hours; returns how many were queued.
pub(crate) async fn remind(
    engine: &Engine,
    tx: &mut Tx,
    goal: &Goal,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let couple = couples::get(tx, goal.couple_id).await?;
    let members = users::in_couple(tx, couple.id).await?;
    let described = describe(engine, goal, &members);
    let mut postponed: Option<DateTime<Utc>> = None;
    let mut sent = 0;
    let due = goal
        .due_date
        .map(|d| d.format(engine.catalog().text(Key::FormatDate)).to_string())
        .unwrap_or_default();
    for member in members
        .iter()
        .filter(|m| goal.owner_id.is_none_or(|owner| owner == m.id))
    {
        let zone = member.time_zone.unwrap_or(couple.time_zone);
        if let Some(quiet_end) = member
            .quiet_hours
            .and_then(|quiet| quiet.ends_after_if_inside(zone, now))
        {
            postponed = Some(postponed.map_or(quiet_end, |p| p.min(quiet_end)));
            continue;
        }
        let key = format!("goal:{}:due:{}", goal.id, member.id);
        let to = Destination::User(member.user.clone());
        let reply = Reply::private(engine.catalog().render(
            Key::GoalDueReminder,
            &[("goal", &described), ("date", &due)],
        ))
        .notifying();
        // The goal's title is its proposer's words (or the owner's).
        let authors = goal.proposed_by.into_iter().chain(goal.owner_id);
        let message = Queued::new(key, to, reply).by(authors);
        sent += queue_all(tx, Some(couple.id), &[message], now).await?;
    }
    goals::set_remind_at(tx, goal.id, postponed).await?;
    Ok(sent)
}
