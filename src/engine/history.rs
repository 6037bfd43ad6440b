//! What happens to a couple's history when it ends: kept for
//! [`Policy::history_kept`](super::Policy), then erased by the scheduler
//! (`jobs.rs`).
//! When the same two people pair again before that, both are asked whether
//! to bring it back; it comes back only once both say yes.

use chrono::{DateTime, Utc};

use super::message::Outgoing;
use super::{Ctx, goals};
use crate::domain::{Choice, Reply};
use crate::error::{EngineResult, UserError};
use crate::prompts::Key;
use crate::store::couples::{self, Couple};
use crate::store::history;
use crate::store::users::User;

/// The day an ended couple's history is erased, for `reader`.
fn erased_on(ctx: &Ctx<'_>, ended_at: DateTime<Utc>, reader: &User) -> String {
    ctx.day_for(ended_at + ctx.engine.policy.history_kept, reader)
}

/// Right after pairing: if these two were a couple lately and that history
/// is still kept, ask both whether to bring it back.
pub(super) async fn offer_after_pairing(
    ctx: &mut Ctx<'_>,
    couple: &Couple,
    inviter: &User,
) -> EngineResult<Vec<Outgoing>> {
    let since = ctx.now - ctx.engine.policy.history_kept;
    let pair = [inviter.id, ctx.me.id];
    let Some((old, ended_at)) = history::previous_couple(ctx.tx, pair, since).await? else {
        return Ok(Vec::new());
    };
    history::offer(ctx.tx, couple.id, old, ctx.now).await?;
    let ask = |ctx: &Ctx<'_>, reader: &User| {
        let text = ctx.say(
            Key::PairHistoryOffer,
            &[
                ("ended", &ctx.day_for(ended_at, reader)),
                ("erased", &erased_on(ctx, ended_at, reader)),
            ],
        );
        Reply::private(text).with_choices(choices(ctx))
    };
    Ok(vec![
        Outgoing::to_requester(ask(ctx, &ctx.me)),
        Outgoing::to_user(inviter.user.clone(), ask(ctx, inviter)),
    ])
}

fn choices(ctx: &Ctx<'_>) -> Vec<Choice> {
    vec![
        Choice::new(ctx.say(Key::PairHistoryChoiceYes, &[]), "pair restore yes"),
        Choice::new(ctx.say(Key::PairHistoryChoiceNo, &[]), "pair restore no"),
    ]
}

/// `pair restore yes|no`.
pub(super) async fn answer(ctx: &mut Ctx<'_>, yes: bool) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let offer = history::offer_for(ctx.tx, couple.id)
        .await?
        .ok_or(UserError::NoHistoryOffer)?;
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let me = ctx.actor.display_name.clone();
    if !yes {
        history::withdraw_offer(ctx.tx, couple.id).await?;
        let ended_at = offer.old_ended_at;
        let to_me = ctx.say(
            Key::PairHistoryDeclinedYou,
            &[("erased", &erased_on(ctx, ended_at, &ctx.me))],
        );
        let to_partner = ctx.say(
            Key::PairHistoryDeclinedPartner,
            &[
                ("partner", &me),
                ("erased", &erased_on(ctx, ended_at, &partner)),
            ],
        );
        return Ok(vec![
            Outgoing::to_requester(Reply::private(to_me)),
            Outgoing::to_user(partner.user, Reply::private(to_partner)),
        ]);
    }
    match offer.yes_by {
        Some(first) if first != ctx.me.id => {
            history::restore(ctx.tx, offer.old_couple_id, couple.id, ctx.now).await?;
            goals::restore_reminders(ctx.tx, couple.id, couple.time_zone, ctx.now).await?;
            let text = ctx.say(Key::PairHistoryRestored, &[]);
            Ok(vec![
                Outgoing::to_requester(Reply::private(text.clone())),
                Outgoing::to_user(partner.user, Reply::private(text)),
            ])
        }
        Some(_) => {
            let text = ctx.say(
                Key::PairHistoryWaiting,
                &[("partner", &partner.display_name)],
            );
            Ok(vec![Outgoing::to_requester(Reply::private(text))])
        }
        None => {
            history::say_yes(ctx.tx, couple.id, ctx.me.id).await?;
            let to_me = ctx.say(
                Key::PairHistoryWaiting,
                &[("partner", &partner.display_name)],
            );
            let to_partner = ctx.say(Key::PairHistoryPartnerYes, &[("partner", &me)]);
            Ok(vec![
                Outgoing::to_requester(Reply::private(to_me)),
                Outgoing::to_user(
                    partner.user,
                    Reply::private(to_partner).with_choices(choices(ctx)),
                ),
            ])
        }
    }
}
