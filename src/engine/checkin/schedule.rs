//! The check-in schedule as the couple manages it: propose, accept or
//! decline (nobody is scheduled without saying yes), pause, resume, skip,
//! stop, and the status overview.

use super::questions;
use super::timing::{self, DueSchedule};
use crate::domain::CheckinKind;
use crate::domain::Reply;
use crate::domain::local_time::{local_of, resolve};
use crate::domain::recurrence::Recurrence;
use crate::engine::command::PauseUntil;
use crate::engine::message::Outgoing;
use crate::engine::{Ctx, moments};
use crate::error::{EngineResult, UserError};
use crate::prompts::Key;
use crate::store::couples;
use crate::store::rounds;
use crate::store::schedules::{self, NewSchedule, Schedule, ScheduleStatus};

/// "every Sunday at 19:00 (Europe/Berlin), questions to each of you
/// privately, theme: fun"
fn describe(ctx: &Ctx<'_>, schedule: &Schedule) -> String {
    let kind = match schedule.kind {
        CheckinKind::Private => ctx.say(Key::CheckinKindPrivate, &[]),
        CheckinKind::Shared => ctx.say(Key::CheckinKindShared, &[]),
    };
    let theme = if schedule.deck == questions::ALL_THEMES {
        ctx.say(Key::CheckinThemeAll, &[])
    } else {
        schedule.deck.clone()
    };
    let when = moments::schedule_words(ctx.engine.catalog(), &schedule.recurrence);
    ctx.say(
        Key::CheckinDescribe,
        &[
            ("when", &when),
            ("zone", schedule.time_zone.name()),
            ("kind", &kind),
            ("theme", &theme),
        ],
    )
}

pub(super) async fn propose(
    ctx: &mut Ctx<'_>,
    recurrence: &Recurrence,
    kind: CheckinKind,
    theme: Option<&str>,
) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let deck = questions::check_theme(ctx.engine, theme)?;
    let current = schedules::for_couple(ctx.tx, couple.id, ScheduleStatus::Active).await?;
    let schedule = schedules::propose(
        ctx.tx,
        NewSchedule {
            couple_id: couple.id,
            recurrence,
            // The proposer's own zone if set: "sun 19:00" means their Sunday
            // evening. The zone is part of what the partner accepts.
            time_zone: ctx.me.time_zone.unwrap_or(couple.time_zone),

            kind,
            deck: &deck,
            proposed_by: ctx.me.id,
        },
        ctx.now,
    )
    .await?;
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let described = describe(ctx, &schedule);
    let first = timing::first_after(recurrence, schedule.time_zone, ctx.now)
        .ok_or_else(|| UserError::BadSchedule {
            given: recurrence.canonical(),
        })?
        .1;
    let replaces = current
        .map(|current| {
            ctx.say(
                Key::CheckinReplaces,
                &[("current", &describe(ctx, &current))],
            )
        })
        .unwrap_or_default();
    let to_me = ctx.say(
        Key::CheckinProposed,
        &[
            ("partner", &partner.display_name),
            ("schedule", &described),
            ("first", &moments::first_for(ctx, first, &ctx.me, &partner)),
            ("replaces", &replaces),
        ],
    );
    let to_partner = ctx.say(
        Key::CheckinProposal,
        &[
            ("partner", &ctx.actor.display_name),
            ("schedule", &described),
            ("first", &moments::first_for(ctx, first, &partner, &ctx.me)),
            ("replaces", &replaces),
        ],
    );
    Ok(ctx.ask_partner(
        to_me,
        partner.user,
        to_partner,
        &[
            (Key::CheckinChoiceAccept, "checkin accept".to_owned()),
            (Key::CheckinChoiceDecline, "checkin decline".to_owned()),
        ],
    ))
}

/// The proposal waiting for this person's answer.
async fn proposal_for_me(ctx: &mut Ctx<'_>, couple_id: i64) -> EngineResult<Schedule> {
    let proposal = schedules::for_couple(ctx.tx, couple_id, ScheduleStatus::Proposed)
        .await?
        .ok_or(UserError::NoProposal)?;
    if proposal.proposed_by == ctx.me.id {
        return Err(UserError::ProposalIsYours.into());
    }
    Ok(proposal)
}

pub(super) async fn accept(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let proposal = proposal_for_me(ctx, couple.id).await?;
    let Some((next_local, next_fire_at)) =
        timing::first_after(&proposal.recurrence, proposal.time_zone, ctx.now)
    else {
        return Err(UserError::BadSchedule {
            given: proposal.recurrence.canonical(),
        }
        .into());
    };
    schedules::activate(ctx.tx, &proposal, next_local, next_fire_at, ctx.now).await?;
    let proposer = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let described = describe(ctx, &proposal);
    let next_for = |zone| ctx.engine.format_time(next_fire_at, zone);
    let to_me = ctx.say(
        Key::CheckinActivated,
        &[
            ("schedule", &described),
            ("next", &next_for(ctx.zone_of(&ctx.me))),
        ],
    );
    let to_proposer = ctx.say(
        Key::CheckinAcceptedByPartner,
        &[
            ("partner", &ctx.actor.display_name),
            ("schedule", &described),
            ("next", &next_for(ctx.zone_of(&proposer))),
        ],
    );
    Ok(vec![
        Outgoing::to_requester(Reply::private(to_me)),
        Outgoing::to_user(proposer.user, Reply::private(to_proposer)),
    ])
}

pub(super) async fn decline(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let proposal = proposal_for_me(ctx, couple.id).await?;
    schedules::end(ctx.tx, proposal.id, ctx.now).await?;
    let proposer = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let to_proposer = ctx.say(
        Key::CheckinDeclinedByPartner,
        &[("partner", &ctx.actor.display_name)],
    );
    Ok(vec![
        Outgoing::to_requester(Reply::private(ctx.say(Key::CheckinDeclined, &[]))),
        Outgoing::to_user(proposer.user, Reply::private(to_proposer)),
    ])
}

/// The couple's active schedule, or a clear "there is none".
async fn active(ctx: &mut Ctx<'_>) -> EngineResult<Schedule> {
    let couple = ctx.my_couple().await?;
    schedules::for_couple(ctx.tx, couple.id, ScheduleStatus::Active)
        .await?
        .ok_or_else(|| UserError::NoSchedule.into())
}

/// Tells both partners what one of them did: `you` to the one who did it,
/// `partner` (naming them) to the other.
async fn tell_both(
    ctx: &mut Ctx<'_>,
    schedule: &Schedule,
    (you, partner_key): (Key, Key),
    vars: &[(&str, &str)],
) -> EngineResult<Vec<Outgoing>> {
    let partner = couples::partner_of(ctx.tx, schedule.couple_id, ctx.me.id).await?;
    let to_me = ctx.say(you, vars);
    let mut vars = vars.to_vec();
    vars.push(("partner", &ctx.actor.display_name));
    let to_partner = ctx.say(partner_key, &vars);
    Ok(vec![
        Outgoing::to_requester(Reply::private(to_me)),
        Outgoing::to_user(partner.user, Reply::private(to_partner)),
    ])
}

/// The schedule's next occurrences as the planner will meet them.
fn upcoming(schedule: &Schedule) -> Option<timing::Upcoming> {
    timing::upcoming(&DueSchedule {
        recurrence: &schedule.recurrence,
        zone: schedule.time_zone,
        next_local: schedule.next_local?,
        paused_until: schedule.paused_until,
        skip_next: schedule.skip_next,
    })
}

pub(super) async fn pause(ctx: &mut Ctx<'_>, until: PauseUntil) -> EngineResult<Vec<Outgoing>> {
    let schedule = active(ctx).await?;
    let until = match until {
        PauseUntil::Date(date) => date,
        PauseUntil::DaysFromToday(days) => {
            local_of(schedule.time_zone, ctx.now).date() + chrono::Days::new(u64::from(days))
        }
    };
    let until_at = resolve(schedule.time_zone, until.and_time(chrono::NaiveTime::MIN));
    if until_at <= ctx.now {
        return Err(UserError::DateHasPassed {
            given: until.to_string(),
        }
        .into());
    }
    schedules::set_pause(ctx.tx, schedule.id, Some(until_at)).await?;
    let until = until
        .format(ctx.engine.catalog().text(Key::FormatDate))
        .to_string();
    tell_both(
        ctx,
        &schedule,
        (Key::CheckinPausedYou, Key::CheckinPaused),
        &[("until", &until)],
    )
    .await
}

pub(super) async fn resume(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let schedule = active(ctx).await?;
    // Nothing to announce to the partner when nothing was paused.
    if schedule.paused_until.is_none_or(|until| until <= ctx.now) {
        return Err(UserError::NotPaused.into());
    }
    schedules::set_pause(ctx.tx, schedule.id, None).await?;
    tell_both(
        ctx,
        &schedule,
        (Key::CheckinResumedYou, Key::CheckinResumed),
        &[],
    )
    .await
}

pub(super) async fn skip(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let mut schedule = active(ctx).await?;
    if schedule.skip_next {
        return Err(UserError::AlreadySkipping.into());
    }
    schedule.skip_next = true;
    let skipped = upcoming(&schedule)
        .and_then(|upcoming| upcoming.skipped)
        .map(|at| ctx.engine.format_time(at, ctx.zone_of(&ctx.me)))
        .unwrap_or_default();
    schedules::set_skip(ctx.tx, schedule.id, true).await?;
    tell_both(
        ctx,
        &schedule,
        (Key::CheckinSkippedYou, Key::CheckinSkipped),
        &[("next", &skipped)],
    )
    .await
}

pub(super) async fn stop(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let schedule = active(ctx).await?;
    schedules::end(ctx.tx, schedule.id, ctx.now).await?;
    tell_both(
        ctx,
        &schedule,
        (Key::CheckinStoppedYou, Key::CheckinStopped),
        &[],
    )
    .await
}

/// "Check-ins: … Next: …", with the pause and skip that shape "next".
fn active_lines(ctx: &Ctx<'_>, schedule: &Schedule) -> Vec<String> {
    let zone = ctx.zone_of(&ctx.me);
    let upcoming = upcoming(schedule);
    let next = upcoming
        .map(|upcoming| ctx.engine.format_time(upcoming.fires_at, zone))
        .unwrap_or_default();
    let mut lines = vec![ctx.say(
        Key::CheckinStatusActive,
        &[("schedule", &describe(ctx, schedule)), ("next", &next)],
    )];
    if let Some(until) = schedule.paused_until.filter(|until| *until > ctx.now) {
        let until = ctx.engine.format_time(until, zone);
        lines.push(ctx.say(Key::CheckinStatusPaused, &[("until", &until)]));
    }
    if let Some(skipped) = upcoming.and_then(|upcoming| upcoming.skipped) {
        let skipped = ctx.engine.format_time(skipped, zone);
        lines.push(ctx.say(Key::CheckinStatusSkipping, &[("skipped", &skipped)]));
    }
    lines
}

pub(super) async fn status(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let mut lines = match schedules::for_couple(ctx.tx, couple.id, ScheduleStatus::Active).await? {
        Some(schedule) => active_lines(ctx, &schedule),
        None => vec![ctx.say(Key::CheckinStatusNone, &[])],
    };
    if let Some(proposal) =
        schedules::for_couple(ctx.tx, couple.id, ScheduleStatus::Proposed).await?
    {
        lines.push(ctx.say(
            Key::CheckinStatusProposal,
            &[("schedule", &describe(ctx, &proposal))],
        ));
    }
    if let Some(round) = rounds::open_for_couple(ctx.tx, couple.id).await? {
        let closes = ctx
            .engine
            .format_time(round.closes_at, ctx.zone_of(&ctx.me));
        lines.push(ctx.say(
            Key::CheckinStatusOpenRound,
            &[("question", &round.question), ("closes", &closes)],
        ));
    }
    Ok(vec![Outgoing::to_requester(Reply::private(
        lines.join("\n"),
    ))])
}
