//! Goals and promises. A shared goal or a promise asked of the partner is a
//! proposal until the partner accepts; a promise of one's own is active at
//! once. Progress is counted in kept days that only ever grow — a promise's
//! day counts only once the partner confirms it — and milestones are
//! celebrated in the couple's space. A due date earns one reminder the day
//! before, outside quiet hours.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::command::{GoalCommand, GoalFor, NewGoal};
use super::message::{Outgoing, quoting};
use super::{Ctx, Engine};
use crate::domain::local_time::local_of;
use crate::domain::{Reply, UserRef};
use crate::error::{EngineResult, UserError};
use crate::prompts::Key;
use crate::store::couples::{self, Couple};
use crate::store::goal_logs;
use crate::store::goals::{self, Goal, GoalKind, GoalStatus};
use crate::store::users::{self, User};

mod progress;
mod reminders;

pub(crate) use reminders::remind;
use reminders::reminder_at;
pub(in crate::engine) use reminders::{move_reminders, restore_reminders};

pub(super) async fn run(ctx: &mut Ctx<'_>, command: &GoalCommand) -> EngineResult<Vec<Outgoing>> {
    let about = match command {
        GoalCommand::Accept(id)
        | GoalCommand::Decline(id)
        | GoalCommand::Log { id, .. }
        | GoalCommand::Confirm { id, .. }
        | GoalCommand::Done(id)
        | GoalCommand::Drop(id) => Some(*id),
        GoalCommand::List | GoalCommand::Add(_) => None,
    };
    let outgoing = dispatch(ctx, command).await?;
    let Some(id) = about else {
        // The list shows every goal's title: both partners' words.
        if matches!(command, GoalCommand::List) {
            let both = ctx.couple_members().await?;
            return Ok(quoting(outgoing, &both));
        }
        return Ok(outgoing);
    };
    // Every message about a goal names it by its title: its proposer's
    // (or owner's) words, and the requester's note.
    let mut authors = vec![ctx.me.id];
    if let Some(couple) = couples::active_for_user(ctx.tx, ctx.me.id).await?
        && let Some(goal) = goals::get(ctx.tx, couple.id, id).await?
    {
        authors.extend(goal.proposed_by.into_iter().chain(goal.owner_id));
    }
    authors.sort_unstable();
    authors.dedup();
    Ok(quoting(outgoing, &authors))
}

async fn dispatch(ctx: &mut Ctx<'_>, command: &GoalCommand) -> EngineResult<Vec<Outgoing>> {
    match command {
        GoalCommand::List => list(ctx).await,
        GoalCommand::Add(new) => add(ctx, new).await,
        GoalCommand::Accept(id) => answer(ctx, *id, true).await,
        GoalCommand::Decline(id) => answer(ctx, *id, false).await,
        GoalCommand::Log { id, note } => progress::log(ctx, *id, note.as_deref()).await,
        GoalCommand::Confirm { id, kept, day } => progress::confirm(ctx, *id, *kept, *day).await,
        GoalCommand::Done(id) => finish(ctx, *id, GoalStatus::Done).await,
        GoalCommand::Drop(id) => finish(ctx, *id, GoalStatus::Dropped).await,
    }
}

/// `#3 “Text when I'm running late” (ana's promise, 3 times a week)`
pub(crate) fn describe(engine: &Engine, goal: &Goal, members: &[User]) -> String {
    let texts = engine.catalog();
    let mut details = vec![match goal.owner_id {
        Some(owner) => {
            let name = members
                .iter()
                .find(|m| m.id == owner)
                .map_or("–", |m| m.display_name.as_str());
            texts.render(Key::GoalWhosePromise, &[("name", name)])
        }
        None => texts.render(Key::GoalWhoseShared, &[]),
    }];
    if let Some(count) = goal.per_week {
        let key = match count {
            7 => Key::GoalCadenceDaily,
            1 => Key::GoalCadenceOnce,
            2 => Key::GoalCadenceTwice,
            _ => Key::GoalCadence,
        };
        details.push(texts.render(key, &[("count", &count.to_string())]));
    }
    if let Some(due) = goal.due_date {
        let date = due.format(texts.text(Key::FormatDate)).to_string();
        details.push(texts.render(Key::GoalDue, &[("date", &date)]));
    }
    texts.render(
        Key::GoalDescribe,
        &[
            ("id", &goal.number.to_string()),
            ("title", &goal.title),
            ("details", &details.join(", ")),
        ],
    )
}

/// Monday of the local week containing `date`.
pub(crate) fn week_start(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

pub(super) fn today(zone: Tz, now: DateTime<Utc>) -> NaiveDate {
    local_of(zone, now).date()
}

pub(super) async fn my_goal(ctx: &mut Ctx<'_>, id: i64) -> EngineResult<(Couple, Goal)> {
    let couple = ctx.my_couple().await?;
    let goal = goals::get(ctx.tx, couple.id, id)
        .await?
        .ok_or(UserError::GoalNotFound)?;
    Ok((couple, goal))
}

async fn add(ctx: &mut Ctx<'_>, new: &NewGoal) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    if new
        .due
        .is_some_and(|due| due < today(couple.time_zone, ctx.now))
    {
        return Err(UserError::DueDateInPast.into());
    }
    let (kind, owner_id, status) = match new.goal_for {
        GoalFor::Both => (GoalKind::Shared, None, GoalStatus::Proposed),
        GoalFor::Me => (GoalKind::Promise, Some(ctx.me.id), GoalStatus::Active),
        GoalFor::Partner => (GoalKind::Promise, Some(partner.id), GoalStatus::Proposed),
    };
    let goal = goals::create(
        ctx.tx,
        goals::NewGoal {
            couple_id: couple.id,
            kind,
            owner_id,
            proposed_by: ctx.me.id,
            title: &new.title,
            per_week: new.per_week,
            due_date: new.due,
            status,
        },
        ctx.now,
    )
    .await?;
    let members = [ctx.me.clone(), partner.clone()];
    let described = describe(ctx.engine, &goal, &members);
    let me = ctx.actor.display_name.as_str();
    if status == GoalStatus::Active {
        let remind = reminder_at(couple.time_zone, goal.due_date, ctx.now);
        goals::set_remind_at(ctx.tx, goal.id, remind).await?;
        let to_me = ctx.say(Key::GoalPromised, &[("goal", &described)]);
        let to_partner = ctx.say(
            Key::GoalPartnerPromised,
            &[("partner", me), ("goal", &described)],
        );
        return Ok(vec![
            Outgoing::to_requester(Reply::private(to_me)),
            Outgoing::to_user(partner.user, Reply::private(to_partner)),
        ]);
    }
    let proposal_key = match new.goal_for {
        GoalFor::Partner => Key::GoalProposalPromise,
        _ => Key::GoalProposalShared,
    };
    let to_me = ctx.say(
        Key::GoalProposed,
        &[("partner", &partner.display_name), ("goal", &described)],
    );
    let to_partner = ctx.say(proposal_key, &[("partner", me), ("goal", &described)]);
    Ok(ctx.ask_partner(
        to_me,
        partner.user,
        to_partner,
        &[
            (
                Key::GoalChoiceAccept,
                format!("goal accept {}", goal.number),
            ),
            (
                Key::GoalChoiceDecline,
                format!("goal decline {}", goal.number),
            ),
        ],
    ))
}

async fn answer(ctx: &mut Ctx<'_>, id: i64, accept: bool) -> EngineResult<Vec<Outgoing>> {
    let (couple, goal) = my_goal(ctx, id).await?;
    if goal.status != GoalStatus::Proposed {
        return Err(UserError::GoalNotProposed.into());
    }
    if goal.proposed_by == Some(ctx.me.id) {
        return Err(UserError::OwnProposal.into());
    }
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let members = [ctx.me.clone(), partner.clone()];
    let described = describe(ctx.engine, &goal, &members);
    let me = ctx.actor.display_name.clone();
    let (to_me, to_partner) = if accept {
        goals::set_status(ctx.tx, goal.id, GoalStatus::Active, ctx.now).await?;
        let remind = reminder_at(couple.time_zone, goal.due_date, ctx.now);
        goals::set_remind_at(ctx.tx, goal.id, remind).await?;
        (
            ctx.say(Key::GoalAcceptedYou, &[("goal", &described)]),
            ctx.say(
                Key::GoalAcceptedPartner,
                &[("partner", &me), ("goal", &described)],
            ),
        )
    } else {
        goals::set_status(ctx.tx, goal.id, GoalStatus::Declined, ctx.now).await?;
        (
            ctx.say(Key::GoalDeclinedYou, &[("goal", &described)]),
            ctx.say(
                Key::GoalDeclinedPartner,
                &[("partner", &me), ("goal", &described)],
            ),
        )
    };
    Ok(vec![
        Outgoing::to_requester(Reply::private(to_me)),
        Outgoing::to_user(partner.user, Reply::private(to_partner)),
    ])
}

async fn finish(ctx: &mut Ctx<'_>, id: i64, status: GoalStatus) -> EngineResult<Vec<Outgoing>> {
    let (couple, goal) = my_goal(ctx, id).await?;
    let open = match status {
        GoalStatus::Done => goal.status == GoalStatus::Active,
        _ => matches!(goal.status, GoalStatus::Active | GoalStatus::Proposed),
    };
    if !open {
        return Err(UserError::GoalNotActive.into());
    }
    goals::set_status(ctx.tx, goal.id, status, ctx.now).await?;
    goals::set_remind_at(ctx.tx, goal.id, None).await?;
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let members = [ctx.me.clone(), partner.clone()];
    let described = describe(ctx.engine, &goal, &members);
    let (total, _) =
        goal_logs::kept_days(ctx.tx, goal.id, today(couple.time_zone, ctx.now)).await?;
    let vars = [
        ("goal", described.as_str()),
        ("total", &total.to_string()),
        ("partner", &ctx.actor.display_name),
    ];
    let (to_me, to_partner) = match status {
        GoalStatus::Done => (Key::GoalDoneYou, Key::GoalDonePartner),
        _ => (Key::GoalDroppedYou, Key::GoalDroppedPartner),
    };
    Ok(vec![
        Outgoing::to_requester(Reply::private(ctx.say(to_me, &vars))),
        Outgoing::to_user(partner.user, Reply::private(ctx.say(to_partner, &vars))),
    ])
}

async fn list(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let members = users::in_couple(ctx.tx, couple.id).await?;
    let open = goals::open_for_couple(ctx.tx, couple.id).await?;
    if open.is_empty() {
        return Ok(vec![Outgoing::to_requester(Reply::private(
            ctx.say(Key::GoalListEmpty, &[]),
        ))]);
    }
    let monday = week_start(today(couple.time_zone, ctx.now));
    let mut lines = vec![ctx.say(Key::GoalListHeader, &[])];
    for goal in &open {
        let described = describe(ctx.engine, goal, &members);
        if goal.status == GoalStatus::Proposed {
            lines.push(ctx.say(Key::GoalListProposed, &[("goal", &described)]));
            continue;
        }
        let (total, week) = goal_logs::kept_days(ctx.tx, goal.id, monday).await?;
        let waiting = goal_logs::waiting_count(ctx.tx, goal.id).await?;
        let mut line = ctx.say(
            Key::GoalListLine,
            &[
                ("goal", &described),
                ("total", &total.to_string()),
                ("week", &week.to_string()),
            ],
        );
        if waiting > 0 {
            line.push_str(&ctx.say(Key::GoalListWaiting, &[("count", &waiting.to_string())]));
        }
        lines.push(line);
    }
    Ok(vec![Outgoing::to_requester(Reply::private(
        lines.join("\n"),
    ))])
}

/// The open goals of a person's couple as (number, title), for adapters
/// that suggest goals while a command is typed. Read-only; empty when the
/// person is unknown or not paired.
pub(super) async fn open_of(engine: &Engine, user: &UserRef) -> anyhow::Result<Vec<(i64, String)>> {
    let mut tx = engine.store().begin().await?;
    let Some(me) = users::find(&mut tx, user).await? else {
        return Ok(Vec::new());
    };
    let Some(couple) = couples::active_for_user(&mut tx, me.id).await? else {
        return Ok(Vec::new());
    };
    let open = goals::open_for_couple(&mut tx, couple.id).await?;
    Ok(open
        .into_iter()
        .map(|goal| (goal.number, goal.title))
        .collect())
}
