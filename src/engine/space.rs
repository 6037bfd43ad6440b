//! Where what is meant for both partners goes: the couple's shared space.
//!
//! It never changes on one partner's word: `pair here`, `pair space thread`
//! (or `room`) and `pair space private` are proposals the partner answers.
//! On a platform where rapport can open a room holding only the couple
//! (Matrix), it asks for one at pairing; where the only private place is a
//! thread the server's admins can read too (Discord), the couple chooses
//! between that and private messages, and until they do everything comes
//! to each privately. The opening itself is done by the delivery worker,
//! which reports back here ([`opened`], [`not_opened`]).

use chrono::{DateTime, Utc};

use super::Ctx;
use super::command::SpaceCommand;
use super::message::{Outgoing, Place, Queued};
use super::queue::queue_all;
use crate::domain::address::OpenedSpace;
use crate::domain::{Destination, Reply, SpaceRef, UserRef};
use crate::error::{EngineResult, UserError};
use crate::prompts::{Catalog, Key};
use crate::store::Tx;
use crate::store::couples::{self, Couple};
use crate::store::space_changes::{self, Opening, SpaceProposal, SpaceTarget};
use crate::store::users::{self, User};

pub(super) async fn run(ctx: &mut Ctx<'_>, command: &SpaceCommand) -> EngineResult<Vec<Outgoing>> {
    match command {
        SpaceCommand::Status => status(ctx).await,
        SpaceCommand::Open => open(ctx).await,
        SpaceCommand::Private => propose(ctx, SpaceTarget::Private).await,
        SpaceCommand::Accept => answer(ctx, true).await,
        SpaceCommand::Decline => answer(ctx, false).await,
    }
}

/// `pair here`: proposes the room or channel it was typed in.
pub(super) async fn here(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let Place::Space(space) = ctx.place else {
        return Err(UserError::NeedsSpace.into());
    };
    let space = space.clone();
    propose(ctx, SpaceTarget::Here(space)).await
}

async fn status(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let text = describe_current(ctx, &couple).await?;
    Ok(vec![Outgoing::to_requester(Reply::private(text))])
}

/// Where the couple's space is and who can read it, with any change
/// waiting for an answer.
pub(super) async fn describe_current(ctx: &mut Ctx<'_>, couple: &Couple) -> EngineResult<String> {
    let key = match (&couple.space, couple.space_opened) {
        (None, _) => Key::PairSpaceStatusNone,
        (Some(space), true) => match space.platform.opened_space() {
            OpenedSpace::Thread => Key::PairSpaceStatusThread,
            OpenedSpace::Room | OpenedSpace::Nothing => Key::PairSpaceStatusRoom,
        },
        (Some(_), false) => Key::PairSpaceStatusChosen,
    };
    let mut text = ctx.say(key, &[]);
    if let Some(proposal) = space_changes::proposal(ctx.tx, couple.id).await? {
        let proposer = users::get(ctx.tx, proposal.proposed_by).await?;
        let target = target_words(ctx, &proposal.target, &proposer.display_name);
        let waiting = ctx.say(Key::PairSpaceStatusProposal, &[("target", &target)]);
        text = format!("{text}\n{waiting}");
    }
    Ok(text)
}

/// `pair space thread` / `room`: a space rapport opens for the couple.
async fn open(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let platform = ctx.me.user.platform;
    let parent = match (platform.opened_space(), ctx.place) {
        (OpenedSpace::Nothing, _) => return Err(UserError::NoSpacesHere.into()),
        (OpenedSpace::Room, _) => None,
        (OpenedSpace::Thread, Place::Space(channel)) => Some(channel.clone()),
        (OpenedSpace::Thread, Place::Direct) => return Err(UserError::ThreadNeedsChannel.into()),
    };
    propose(ctx, SpaceTarget::Open { platform, parent }).await
}

async fn propose(ctx: &mut Ctx<'_>, target: SpaceTarget) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    check_proposable(ctx, &couple, &partner, &target).await?;
    let proposal = SpaceProposal {
        proposed_by: ctx.me.id,
        target,
    };
    space_changes::propose(ctx.tx, couple.id, &proposal, ctx.now).await?;
    let me = ctx.actor.display_name.clone();
    let target = target_words(ctx, &proposal.target, &me);
    let to_me = ctx.say(
        Key::PairSpaceProposed,
        &[("partner", &partner.display_name), ("target", &target)],
    );
    let to_partner = ctx.say(
        Key::PairSpaceProposal,
        &[("partner", &ctx.me_named()), ("target", &target)],
    );
    Ok(ctx.ask_partner(
        to_me,
        partner.user,
        to_partner,
        &[
            (Key::PairChoiceSpaceAccept, "pair space accept".to_owned()),
            (Key::PairChoiceSpaceDecline, "pair space decline".to_owned()),
        ],
    ))
}

/// Refuses a change that could not happen or changes nothing.
async fn check_proposable(
    ctx: &mut Ctx<'_>,
    couple: &Couple,
    partner: &User,
    target: &SpaceTarget,
) -> EngineResult<()> {
    match target {
        SpaceTarget::Private if couple.space.is_none() => {
            Err(UserError::SpaceAlreadyPrivate.into())
        }
        SpaceTarget::Private => Ok(()),
        SpaceTarget::Here(space)
        | SpaceTarget::Open {
            parent: Some(space),
            ..
        } if partner.user.platform != space.platform => Err(UserError::SpaceAcrossPlatforms.into()),
        SpaceTarget::Open { platform, .. } if partner.user.platform != *platform => {
            Err(UserError::SpaceAcrossPlatforms.into())
        }
        SpaceTarget::Here(space) if couple.space.as_ref() == Some(space) => {
            Err(UserError::AlreadyTheSpace.into())
        }
        SpaceTarget::Here(space) => match couples::active_for_space(ctx.tx, space).await? {
            Some(_) => Err(UserError::SpaceTaken.into()),
            None => Ok(()),
        },
        SpaceTarget::Open { .. } => Ok(()),
    }
}

/// The partner's answer to a proposed change.
async fn answer(ctx: &mut Ctx<'_>, accept: bool) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let Some(proposal) = space_changes::proposal(ctx.tx, couple.id).await? else {
        return Err(UserError::NoSpaceProposal.into());
    };
    if proposal.proposed_by == ctx.me.id {
        return Err(UserError::ProposalIsYours.into());
    }
    space_changes::clear_proposal(ctx.tx, couple.id).await?;
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    if !accept {
        let to_partner = ctx.say(
            Key::PairSpaceDeclinedPartner,
            &[("partner", &ctx.actor.display_name)],
        );
        return Ok(vec![
            Outgoing::to_requester(Reply::private(ctx.say(Key::PairSpaceDeclined, &[]))),
            Outgoing::to_user(partner.user, Reply::private(to_partner)),
        ]);
    }
    let mut outgoing = apply(ctx, &couple, &partner, &proposal.target).await?;
    let target = target_words(ctx, &proposal.target, &partner.display_name);
    let done = ctx.say(Key::PairSpaceAccepted, &[("target", &target)]);
    outgoing.push(Outgoing::to_requester(Reply::private(done.clone())));
    outgoing.push(Outgoing::to_user(partner.user, Reply::private(done)));
    Ok(outgoing)
}

/// Makes an accepted change; a room or thread is asked of the delivery
/// worker, which opens it.
async fn apply(
    ctx: &mut Ctx<'_>,
    couple: &Couple,
    proposer: &User,
    target: &SpaceTarget,
) -> EngineResult<Vec<Outgoing>> {
    match target {
        SpaceTarget::Here(space) => {
            if !couples::set_space(ctx.tx, couple.id, space, false).await? {
                return Err(UserError::SpaceTaken.into());
            }
            let text = ctx.say(
                Key::PairHereSet,
                &[
                    ("me", &proposer.display_name),
                    ("partner", &ctx.actor.display_name),
                ],
            );
            Ok(vec![Outgoing::to_space(space.clone(), Reply::public(text))])
        }
        SpaceTarget::Open { platform, parent } => {
            space_changes::request_opening(ctx.tx, couple.id, *platform, parent.as_ref(), ctx.now)
                .await?;
            Ok(Vec::new())
        }
        SpaceTarget::Private => {
            couples::clear_space(ctx.tx, couple.id).await?;
            Ok(Vec::new())
        }
    }
}

/// A proposal's target in words; `proposer` names whoever typed `pair here`.
fn target_words(ctx: &Ctx<'_>, target: &SpaceTarget, proposer: &str) -> String {
    let key = match target {
        SpaceTarget::Here(_) => Key::PairSpaceTargetHere,
        SpaceTarget::Open { platform, .. } => match platform.opened_space() {
            OpenedSpace::Thread => Key::PairSpaceTargetThread,
            OpenedSpace::Room | OpenedSpace::Nothing => Key::PairSpaceTargetRoom,
        },
        SpaceTarget::Private => Key::PairSpaceTargetPrivate,
    };
    ctx.say(key, &[("proposer", proposer)])
}

/// What follows a new pairing: a room rapport opens at once where it can
/// hold only the two of them; else the choice of a private thread or
/// private messages, which stay the way until the couple chooses.
pub(super) async fn after_pairing(
    ctx: &mut Ctx<'_>,
    couple: &Couple,
    inviter: &User,
) -> EngineResult<Vec<Outgoing>> {
    let platform = ctx.me.user.platform;
    if inviter.user.platform != platform {
        let text = ctx.say(Key::PairSpaceAcross, &[]);
        return Ok(to_both(&inviter.user, text));
    }
    match platform.opened_space() {
        OpenedSpace::Room => {
            space_changes::request_opening(ctx.tx, couple.id, platform, None, ctx.now).await?;
            Ok(to_both(
                &inviter.user,
                ctx.say(Key::PairSpaceRoomComing, &[]),
            ))
        }
        OpenedSpace::Thread => {
            let choose = ctx.say(Key::PairSpaceChoose, &[]);
            let mut to_me = Reply::private(choose.clone());
            if matches!(ctx.place, Place::Space(_)) {
                to_me = to_me.with_choices(vec![
                    crate::domain::Choice::new(
                        ctx.say(Key::PairChoiceSpaceThread, &[]),
                        "pair space thread",
                    ),
                    crate::domain::Choice::new(
                        ctx.say(Key::PairChoiceSpacePrivate, &[]),
                        "pair space private",
                    ),
                ]);
            }
            Ok(vec![
                Outgoing::to_requester(to_me),
                Outgoing::to_user(inviter.user.clone(), Reply::private(choose)),
            ])
        }
        OpenedSpace::Nothing => Ok(Vec::new()),
    }
}

fn to_both(inviter: &UserRef, text: String) -> Vec<Outgoing> {
    vec![
        Outgoing::to_requester(Reply::private(text.clone())),
        Outgoing::to_user(inviter.clone(), Reply::private(text)),
    ]
}

/// What the delivery worker needs to open a space: who goes in and its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpeningPlan {
    pub opening: Opening,
    pub partners: Vec<UserRef>,
    pub name: String,
}

pub(super) async fn plan(
    catalog: &Catalog,
    tx: &mut Tx,
    opening: Opening,
) -> anyhow::Result<OpeningPlan> {
    let members = users::in_couple(tx, opening.couple_id).await?;
    let names: Vec<&str> = members.iter().map(|m| m.display_name.as_str()).collect();
    let name = catalog.render(
        Key::PairSpaceName,
        &[
            ("a", names.first().copied().unwrap_or_default()),
            ("b", names.get(1).copied().unwrap_or_default()),
        ],
    );
    Ok(OpeningPlan {
        partners: members.into_iter().map(|m| m.user).collect(),
        opening,
        name,
    })
}

/// The worker opened the space: it becomes the couple's, with a welcome.
/// `false` when the couple no longer wants it (ended, or a newer request).
pub(super) async fn opened(
    catalog: &Catalog,
    tx: &mut Tx,
    opening: &Opening,
    space: &SpaceRef,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    if !space_changes::finish_opening(tx, opening.id, true).await? {
        return Ok(false);
    }
    let couple_id = opening.couple_id;
    if !couples::is_active(tx, couple_id).await?
        || couples::active_for_space(tx, space).await?.is_some()
        || !couples::set_space(tx, couple_id, space, true).await?
    {
        return Ok(false);
    }
    let members = users::in_couple(tx, couple_id).await?;
    let [a, b] = members.as_slice() else {
        return Ok(false);
    };
    let welcome = match space.platform.opened_space() {
        OpenedSpace::Thread => Key::PairSpaceWelcomeThread,
        OpenedSpace::Room | OpenedSpace::Nothing => Key::PairSpaceWelcomeRoom,
    };
    let text = catalog.render(welcome, &[("a", &a.display_name), ("b", &b.display_name)]);
    let key = format!("space:{}:welcome", opening.id);
    let message = Queued::new(key, Destination::Space(space.clone()), Reply::public(text));
    queue_all(tx, Some(couple_id), &[message], now).await?;
    Ok(true)
}

/// The worker could not open the space and will not try again: each
/// partner is told that everything comes privately.
pub(super) async fn not_opened(
    catalog: &Catalog,
    tx: &mut Tx,
    opening: &Opening,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    if !space_changes::finish_opening(tx, opening.id, false).await? {
        return Ok(());
    }
    let text = catalog.text(Key::PairSpaceOpenFailed);
    let messages: Vec<Queued> = users::in_couple(tx, opening.couple_id)
        .await?
        .into_iter()
        .map(|member| {
            let key = format!("space:{}:failed:{}", opening.id, member.id);
            Queued::new(key, Destination::User(member.user), Reply::private(text))
        })
        .collect();
    queue_all(tx, Some(opening.couple_id), &messages, now).await?;
    Ok(())
}
