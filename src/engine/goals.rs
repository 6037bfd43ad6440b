//! Goals and promises. A shared goal or a promise asked of the partner is a
//! proposal until the partner accepts; a promise of one's own is active at
//! once. Progress is counted in kept days that only ever grow — a promise's
//! day counts only once the partner confirms it — and milestones are
//! celebrated in the couple's space. A due date earns one reminder the day
//! before, outside quiet hours.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use super::command::{GoalCommand, GoalFor, NewGoal};
use super::message::{Outgoing, Queued, quoting};
use super::queue::queue_all;
use super::{Ctx, Engine};
use crate::domain::local_time::{local_of, resolve};
use crate::domain::{Destination, Reply, UserRef};
use crate::error::{EngineResult, UserError};
use crate::prompts::Key;
use crate::store::Tx;
use crate::store::couples::{self, Couple};
use crate::store::goals::{self, Goal, GoalKind, GoalStatus, LogStatus};
use crate::store::users::{self, User};

/// Kept-day counts worth celebrating.
const MILESTONES: &[i64] = &[
    1, 3, 7, 14, 21, 30, 50, 75, 100, 150, 200, 300, 365, 500, 1000,
];

/// The local time of the due-date reminder, on the day before.
const REMINDER_TIME: NaiveTime = match NaiveTime::from_hms_opt(9, 0, 0) {
    Some(time) => time,
    None => panic!("valid time"),
};

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
        GoalCommand::Log { id, note } => log(ctx, *id, note.as_deref()).await,
        GoalCommand::Confirm { id, kept, day } => confirm(ctx, *id, *kept, *day).await,
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
        details.push(texts.render(Key::GoalCadence, &[("count", &count.to_string())]));
    }
    if let Some(due) = goal.due_date {
        let date = due.format(texts.text(Key::FormatDate)).to_string();
        details.push(texts.render(Key::GoalDue, &[("date", &date)]));
    }
    texts.render(
        Key::GoalDescribe,
        &[
            ("id", &goal.id.to_string()),
            ("title", &goal.title),
            ("details", &details.join(", ")),
        ],
    )
}

/// Monday of the local week containing `date`.
pub(crate) fn week_start(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

fn today(zone: Tz, now: DateTime<Utc>) -> NaiveDate {
    local_of(zone, now).date()
}

/// The reminder instant for a due date: the day before at 09:00 local, if
/// that is still ahead.
fn reminder_at(zone: Tz, due: Option<NaiveDate>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
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
pub(super) async fn move_reminders(tx: &mut Tx, couple_id: i64, zone: Tz) -> anyhow::Result<()> {
    for goal in goals::awaiting_reminder(tx, couple_id).await? {
        goals::set_remind_at(tx, goal.id, day_before_reminder(zone, goal.due_date)).await?;
    }
    Ok(())
}

async fn my_goal(ctx: &mut Ctx<'_>, id: i64) -> EngineResult<(Couple, Goal)> {
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
            (Key::GoalChoiceAccept, format!("goal accept {}", goal.id)),
            (Key::GoalChoiceDecline, format!("goal decline {}", goal.id)),
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

async fn log(ctx: &mut Ctx<'_>, id: i64, note: Option<&str>) -> EngineResult<Vec<Outgoing>> {
    let (couple, goal) = my_goal(ctx, id).await?;
    if goal.status != GoalStatus::Active {
        return Err(UserError::GoalNotActive.into());
    }
    if goal.kind == GoalKind::Promise && goal.owner_id != Some(ctx.me.id) {
        return Err(UserError::NotYourPromise.into());
    }
    let day = today(ctx.zone_of(&ctx.me), ctx.now);
    let (before, _) = goals::kept_days(ctx.tx, goal.id, day).await?;
    let status = match goal.kind {
        GoalKind::Shared => LogStatus::Kept,
        GoalKind::Promise => LogStatus::Waiting,
    };
    if !goals::log(ctx.tx, goal.id, ctx.me.id, day, note, status, ctx.now).await? {
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
                (Key::GoalChoiceKept, format!("goal kept {} {day}", goal.id)),
                (
                    Key::GoalChoiceMissed,
                    format!("goal missed {} {day}", goal.id),
                ),
            ],
        ));
    }
    let (total, this_week) = goals::kept_days(ctx.tx, goal.id, week_start(day)).await?;
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

async fn confirm(
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
    let (before, _) = goals::kept_days(ctx.tx, goal.id, ctx.now.date_naive()).await?;
    let confirmed = goals::confirm_waiting(ctx.tx, goal.id, asked_day, ctx.me.id, kept, ctx.now);
    let Some(day) = confirmed.await? else {
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
    let (total, this_week) = goals::kept_days(ctx.tx, goal.id, week_start(today)).await?;
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
    let (total, _) = goals::kept_days(ctx.tx, goal.id, today(couple.time_zone, ctx.now)).await?;
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
        let (total, week) = goals::kept_days(ctx.tx, goal.id, monday).await?;
        let waiting = goals::waiting_count(ctx.tx, goal.id).await?;
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
    Ok(open.into_iter().map(|goal| (goal.id, goal.title)).collect())
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
        ));
        // The goal's title is its proposer's words (or the owner's).
        let authors = goal.proposed_by.into_iter().chain(goal.owner_id);
        let message = Queued::new(key, to, reply).by(authors);
        sent += queue_all(tx, Some(couple.id), &[message], now).await?;
    }
    goals::set_remind_at(tx, goal.id, postponed).await?;
    Ok(sent)
}
