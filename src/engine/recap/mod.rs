//! The weekly recap: on a schedule the couple chooses, a look back at the
//! last seven days — the check-in rating trend with its chart, progress on
//! goals, the appreciations shared — and a tip. Its texts encourage; a quiet
//! week is described as a quiet week, never as a failure.

use chrono::{DateTime, Utc};

use super::checkin::timing::{self, DueSchedule, Outcome};
use super::command::RecapCommand;
use super::message::{Outgoing, Queued};
use super::queue::queue_all;
use super::{Ctx, Engine, moments};
use crate::domain::recurrence::Recurrence;
use crate::domain::{Destination, Reply};
use crate::error::{EngineResult, UserError};
use crate::prompts::Key;
use crate::store::consent::{self, RecapProposal};
use crate::store::couples::{self, Couple};
use crate::store::recaps::{self, RecapSchedule};
use crate::store::schedules::format_local;
use crate::store::users::User;
use crate::store::{Tx, users};

/// The prompt list the recap's tip comes from.
pub const TIPS: &str = "recap.tips";
/// How far back a recap looks.
const WINDOW_DAYS: i64 = 7;

mod compose;
use compose::compose;

pub(super) async fn run(ctx: &mut Ctx<'_>, command: &RecapCommand) -> EngineResult<Vec<Outgoing>> {
    match command {
        RecapCommand::Status => status(ctx).await,
        RecapCommand::Set(recurrence) => propose(ctx, recurrence).await,
        RecapCommand::Accept => answer(ctx, true).await,
        RecapCommand::Decline => answer(ctx, false).await,
        RecapCommand::Off => off(ctx).await,
        RecapCommand::Now => {
            let couple = ctx.my_couple().await?;
            let mut reply = compose(ctx.engine, ctx.tx, &couple, ctx.now).await?;
            reply.private = true;
            // It quotes both partners, as the scheduled one does.
            let both = ctx.couple_members().await?;
            Ok(vec![Outgoing::to_requester(reply).by(both)])
        }
    }
}

async fn status(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let text = match recaps::for_couple(ctx.tx, couple.id).await? {
        Some(recap) => ctx.say(
            Key::RecapStatus,
            &[
                (
                    "when",
                    &moments::schedule_words(ctx.engine.catalog(), &recap.recurrence),
                ),
                ("zone", recap.time_zone.name()),
                (
                    "next",
                    &ctx.engine
                        .format_time(recap.next_fire_at, ctx.zone_of(&ctx.me)),
                ),
            ],
        ),
        None => ctx.say(Key::RecapStatusNone, &[]),
    };
    Ok(vec![Outgoing::to_requester(Reply::private(text))])
}

/// `recap <when>`: a proposal; the recap starts once the partner says yes.
async fn propose(ctx: &mut Ctx<'_>, recurrence: &Recurrence) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let zone = ctx.me.time_zone.unwrap_or(couple.time_zone);
    let Some((_, first)) = timing::first_after(recurrence, zone, ctx.now) else {
        return Err(UserError::BadSchedule {
            given: recurrence.canonical(),
        }
        .into());
    };
    let proposal = RecapProposal {
        recurrence: recurrence.clone(),
        time_zone: zone,
        proposed_by: ctx.me.id,
    };
    consent::propose_recap(ctx.tx, couple.id, &proposal, ctx.now).await?;
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let when = moments::schedule_words(ctx.engine.catalog(), recurrence);
    let vars = [
        ("partner", partner.display_name.as_str()),
        ("when", &when),
        ("zone", zone.name()),
        ("first", &moments::first_for(ctx, first, &ctx.me, &partner)),
    ];
    let to_me = ctx.say(Key::RecapProposed, &vars);
    let asking = [
        ("partner", ctx.actor.display_name.as_str()),
        ("when", &when),
        ("zone", zone.name()),
        ("first", &moments::first_for(ctx, first, &partner, &ctx.me)),
    ];
    let to_partner = ctx.say(Key::RecapProposedPartner, &asking);
    Ok(ctx.ask_partner(
        to_me,
        partner.user,
        to_partner,
        &[
            (Key::RecapChoiceAccept, "recap accept".to_owned()),
            (Key::RecapChoiceDecline, "recap decline".to_owned()),
        ],
    ))
}

/// The partner's answer to a proposed recap schedule.
async fn answer(ctx: &mut Ctx<'_>, accept: bool) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let proposal = consent::take_recap(ctx.tx, couple.id).await?;
    let Some(proposal) = proposal else {
        return Err(UserError::NoProposal.into());
    };
    if proposal.proposed_by == ctx.me.id {
        // Put it back: only the partner can answer it.
        consent::propose_recap(ctx.tx, couple.id, &proposal, ctx.now).await?;
        return Err(UserError::ProposalIsYours.into());
    }
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let me = ctx.actor.display_name.clone();
    if !accept {
        let to_partner = ctx.say(Key::RecapDeclinedPartner, &[("partner", &me)]);
        return Ok(vec![
            Outgoing::to_requester(Reply::private(ctx.say(Key::RecapDeclined, &[]))),
            Outgoing::to_user(partner.user, Reply::private(to_partner)),
        ]);
    }
    let zone = proposal.time_zone;
    let Some((next_local, next_fire_at)) = timing::first_after(&proposal.recurrence, zone, ctx.now)
    else {
        return Err(UserError::BadSchedule {
            given: proposal.recurrence.canonical(),
        }
        .into());
    };
    let schedule = RecapSchedule {
        couple_id: couple.id,
        recurrence: proposal.recurrence.clone(),
        time_zone: zone,
        next_local,
        next_fire_at,
    };
    recaps::set(ctx.tx, &schedule, proposal.proposed_by, ctx.now).await?;
    let when = moments::schedule_words(ctx.engine.catalog(), &proposal.recurrence);
    let started = |to: &User| {
        let next = ctx.engine.format_time(next_fire_at, ctx.zone_of(to));
        ctx.say(
            Key::RecapSet,
            &[("when", &when), ("zone", zone.name()), ("next", &next)],
        )
    };
    Ok(vec![
        Outgoing::to_requester(Reply::private(started(&ctx.me))),
        Outgoing::to_user(partner.user.clone(), Reply::private(started(&partner))),
    ])
}

async fn off(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    if !recaps::delete(ctx.tx, couple.id).await? {
        return Err(UserError::NoRecap.into());
    }
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let to_partner = ctx.say(
        Key::RecapOffPartner,
        &[("partner", &ctx.actor.display_name)],
    );
    Ok(vec![
        Outgoing::to_requester(Reply::private(ctx.say(Key::RecapOff, &[]))),
        Outgoing::to_user(partner.user, Reply::private(to_partner)),
    ])
}

/// Sends one couple's due recap, if this occurrence fires, and moves the
/// schedule on; true when a recap was queued.
pub(crate) async fn send_due(
    engine: &Engine,
    tx: &mut Tx,
    recap: &RecapSchedule,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let schedule = DueSchedule {
        recurrence: &recap.recurrence,
        zone: recap.time_zone,
        next_local: recap.next_local,
        paused_until: None,
        skip_next: false,
    };
    let Some(plan) = timing::plan_due(&schedule, now, engine.policy().catch_up_grace) else {
        recaps::delete(tx, recap.couple_id).await?;
        return Ok(false);
    };
    let fired = plan.outcome == Outcome::Fire;
    if fired {
        let couple = couples::get(tx, recap.couple_id).await?;
        let reply = compose(engine, tx, &couple, now).await?;
        let occurrence = format_local(plan.occurrence);
        let messages = recap_messages(tx, &couple, &occurrence, reply).await?;
        queue_all(tx, Some(couple.id), &messages, now).await?;
    }
    recaps::advance(tx, recap.couple_id, plan.next_local, plan.next_fire_at).await?;
    Ok(fired)
}

/// The recap goes to the space; without one, to each partner privately.
/// It quotes both partners (appreciations, goals).
async fn recap_messages(
    tx: &mut Tx,
    couple: &Couple,
    occurrence: &str,
    reply: Reply,
) -> anyhow::Result<Vec<Queued>> {
    let members = users::in_couple(tx, couple.id).await?;
    let authors: Vec<i64> = members.iter().map(|m| m.id).collect();
    if let Some(space) = &couple.space {
        let key = format!("recap:{}:{occurrence}", couple.id);
        return Ok(vec![
            Queued::new(key, Destination::Space(space.clone()), reply)
                .by(authors)
                .couple_only(),
        ]);
    }
    Ok(members
        .into_iter()
        .map(|member| {
            let key = format!("recap:{}:{occurrence}:{}", couple.id, member.id);
            let private = Reply {
                private: true,
                ..reply.clone()
            };
            Queued::new(key, Destination::User(member.user), private).by(authors.clone())
        })
        .collect())
}
