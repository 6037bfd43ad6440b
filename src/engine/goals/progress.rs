//! Progress on a goal: a partner logs a day, a promise's day waits for the
//! other partner to confirm it (a same-day misclick may be changed), and
//! milestones in kept days are celebrated.

use chrono::{NaiveDate, NaiveTime};

use crate::domain::Reply;
use crate::domain::local_time::{local_of, resolve};
use crate::engine::Ctx;
use crate::engine::message::Outgoing;
use crate::error::{EngineResult, UserError};
use crate::prompts::Key;
use crate::store::couples::{self, Couple};
use crate::store::goal_logs::{self, LogStatus};
use crate::store::goals::{Goal, GoalKind, GoalStatus};
use crate::store::users::User;

use super::{describe, my_goal, today, week_start};

/// Kept-day counts worth celebrating.
const MILESTONES: &[i64] = &[
    1, 3, 7, 14, 21, 30, 50, 75, 100, 150, 200, 300, 365, 500, 1000,
];

pub(super) async fn log(
    ctx: &mut Ctx<'_>,
    id: i64,
    note: Option<&str>,
) -> EngineResult<Vec<Outgoing>> {
    let (couple, goal) = my_goal(ctx, id).await?;
    if goal.status != GoalStatus::Active {
        return Err(UserError::GoalNotActive.into());
    }
    if goal.kind == GoalKind::Promise && goal.owner_id != Some(ctx.me.id) {
        return Err(UserError::NotYourPromise.into());
    }
    let day = today(ctx.zone_of(&ctx.me), ctx.now);
    let (before, _) = goal_logs::kept_days(ctx.tx, goal.id, day).await?;
    let status = match goal.kind {
        GoalKind::Shared => LogStatus::Kept,
        GoalKind::Promise => LogStatus::Waiting,
    };
    if !goal_logs::log(ctx.tx, goal.id, ctx.me.id, day, note, status, ctx.now).await? {
        return Err(UserError::AlreadyLogged.into());
    }
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let members = [ctx.me.clone(), partner.clone()];
    let described = describe(ctx.engine, &goal, &members);
    let me = ctx.actor.display_name.clone();
    let note_text = note
        .map(|note| ctx.say(Key::GoalNote, &[("note", note)]))
        .unwrap_or_default();
    if goal.kind == GoalKind::Promise {
        let to_me = ctx.say(
            Key::GoalLoggedWaiting,
            &[("partner", &partner.display_name), ("goal", &described)],
        );
        let to_partner = ctx.say(
            Key::GoalConfirmAsk,
            &[("partner", &me), ("goal", &described), ("note", &note_text)],
        );
        return Ok(ctx.ask_partner(
            to_me,
            partner.user,
            to_partner,
            &[
                // The button names the day it is about, so a late press
                // confirms that day and no other.
                (
                    Key::GoalChoiceKept,
                    format!("goal kept {} {day}", goal.number),
                ),
                (
                    Key::GoalChoiceMissed,
                    format!("goal missed {} {day}", goal.number),
                ),
            ],
        ));
    }
    let (total, this_week) = goal_logs::kept_days(ctx.tx, goal.id, week_start(day)).await?;
    let counts = [
        ("goal", described.as_str()),
        ("total", &total.to_string()),
        ("week", &this_week.to_string()),
    ];
    let to_me = ctx.say(Key::GoalLoggedShared, &counts);
    let mut vars = counts.to_vec();
    vars.push(("partner", &me));
    vars.push(("note", &note_text));
    let to_partner = ctx.say(Key::GoalPartnerLogged, &vars);
    let mut outgoing = vec![
        Outgoing::to_requester(Reply::private(to_me)),
        Outgoing::to_user(partner.user.clone(), Reply::private(to_partner)),
    ];
    outgoing.extend(milestone(ctx, &couple, &goal, &members, before, total));
    Ok(outgoing)
}

pub(super) async fn confirm(
    ctx: &mut Ctx<'_>,
    id: i64,
    kept: bool,
    asked_day: Option<NaiveDate>,
) -> EngineResult<Vec<Outgoing>> {
    let (couple, goal) = my_goal(ctx, id).await?;
    if goal.status != GoalStatus::Active {
        return Err(UserError::GoalNotActive.into());
    }
    if goal.kind != GoalKind::Promise {
        return Err(UserError::NothingToConfirm.into());
    }
    if goal.owner_id == Some(ctx.me.id) {
        return Err(UserError::OwnPromise.into());
    }
    let (before, _) = goal_logs::kept_days(ctx.tx, goal.id, ctx.now.date_naive()).await?;
    let confirmed =
        goal_logs::confirm_waiting(ctx.tx, goal.id, asked_day, ctx.me.id, kept, ctx.now);
    let confirmed = match confirmed.await? {
        Some(day) => Some(day),
        None => {
            // Their own answer from today may still change.
            let my_day = local_of(ctx.zone_of(&ctx.me), ctx.now).date();
            let since = resolve(ctx.zone_of(&ctx.me), my_day.and_time(NaiveTime::MIN));
            goal_logs::change_confirmed(ctx.tx, goal.id, asked_day, ctx.me.id, kept, since).await?
        }
    };
    let Some(day) = confirmed else {
        // A button pressed again, or after the day was answered.
        return Err(match asked_day {
            Some(_) => UserError::DayAlreadyConfirmed,
            None => UserError::NothingToConfirm,
        }
        .into());
    };
    let owner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let members = [ctx.me.clone(), owner.clone()];
    let described = describe(ctx.engine, &goal, &members);
    let today = today(ctx.zone_of(&owner), ctx.now);
    let (total, this_week) = goal_logs::kept_days(ctx.tx, goal.id, week_start(today)).await?;
    let date = day
        .format(ctx.engine.catalog().text(Key::FormatDate))
        .to_string();
    let vars = [
        ("goal", described.as_str()),
        ("date", &date),
        ("total", &total.to_string()),
        ("week", &this_week.to_string()),
        ("partner", &ctx.actor.display_name),
        ("owner", &owner.display_name),
        ("id", &goal.number.to_string()),
    ];
    let (to_me, to_owner) = if kept {
        (Key::GoalConfirmedKept, Key::GoalKeptByPartner)
    } else {
        (Key::GoalConfirmedNotKept, Key::GoalNotKeptByPartner)
    };
    let mut outgoing = vec![
        Outgoing::to_requester(Reply::private(ctx.say(to_me, &vars))),
        Outgoing::to_user(owner.user.clone(), Reply::private(ctx.say(to_owner, &vars))),
    ];
    if kept {
        outgoing.extend(milestone(ctx, &couple, &goal, &members, before, total));
    }
    Ok(outgoing)
}

/// A celebration in the space when the kept days just reached a milestone
/// (to both partners privately when there is no space).
fn milestone(
    ctx: &Ctx<'_>,
    couple: &Couple,
    goal: &Goal,
    members: &[User],
    before: i64,
    total: i64,
) -> Vec<Outgoing> {
    if total == before || !MILESTONES.contains(&total) {
        return Vec::new();
    }
    let described = describe(ctx.engine, goal, members);
    let text = ctx.say(
        Key::GoalMilestone,
        &[("goal", &described), ("total", &total.to_string())],
    );
    match &couple.space {
        Some(space) => vec![Outgoing::to_space(space.clone(), Reply::public(text)).couple_only()],
        None => members
            .iter()
            .map(|m| Outgoing::to_user(m.user.clone(), Reply::private(text.clone())))
            .collect(),
    }
}
