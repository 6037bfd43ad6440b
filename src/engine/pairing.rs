//! Pairing with consent: invite (by name on the same platform, or by a
//! one-time code usable from any platform), accept, decline, cancel, leave,
//! and choosing the couple's shared space.
//!
//! Nobody is paired without answering an invite themselves; a person is in
//! at most one active couple (also enforced by a unique index); leaving ends
//! the couple at once for both.

use chrono::{DateTime, Utc};

use super::command::PairCommand;
use super::message::{Outgoing, Place};
use super::{Ctx, history, space};
use crate::domain::invite_code::InviteCode;
use crate::domain::{Choice, Reply, UserRef};
use crate::error::{EngineResult, UserError};
use crate::prompts::Key;
use crate::store::couples::{self, CreateRefused};
use crate::store::invites::{self, Invite, InviteStatus, NewInvite};
use crate::store::users::{self, User};

/// Attempts to draw an unused code before giving up (each clash has odds of
/// about one in 10^11, so more than one retry means something is wrong).
const CODE_ATTEMPTS: usize = 5;

pub(super) async fn run(ctx: &mut Ctx<'_>, command: &PairCommand) -> EngineResult<Vec<Outgoing>> {
    match command {
        PairCommand::Status => status(ctx).await,
        PairCommand::Invite { partner } => invite(ctx, partner.as_deref()).await,
        PairCommand::Accept { code } => accept(ctx, code.as_deref()).await,
        PairCommand::Decline { code } => decline(ctx, code.as_deref()).await,
        PairCommand::Cancel => cancel(ctx).await,
        PairCommand::Leave { confirmed } => leave(ctx, *confirmed).await,
        PairCommand::Here => space::here(ctx).await,
        PairCommand::Restore(yes) => history::answer(ctx, *yes).await,
        PairCommand::Space(command) => space::run(ctx, command).await,
    }
}

async fn status(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    ctx.refuse_foreign_space().await?;
    let text = if let Some(couple) = couples::active_for_user(ctx.tx, ctx.me.id).await? {
        let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
        let since = ctx
            .engine
            .format_time(couple.created_at, ctx.zone_of(&ctx.me));
        let text = ctx.say(
            Key::PairStatusPaired,
            &[("partner", &ctx.named(&partner)), ("since", &since)],
        );
        let space = space::describe_current(ctx, &couple).await?;
        format!("{text}\n{space}")
    } else {
        let open = invites::open_by_inviter(ctx.tx, ctx.me.id, ctx.now).await?;
        match open.last() {
            Some(invite) => {
                let expires = ctx
                    .engine
                    .format_time(invite.expires_at, ctx.zone_of(&ctx.me));
                ctx.say(
                    Key::PairStatusPending,
                    &[("code", &invite.code.to_string()), ("expires", &expires)],
                )
            }
            None => ctx.say(Key::PairStatusUnpaired, &[]),
        }
    };
    Ok(vec![Outgoing::to_requester(Reply::private(text))])
}

async fn invite(ctx: &mut Ctx<'_>, partner: Option<&str>) -> EngineResult<Vec<Outgoing>> {
    ctx.refuse_foreign_space().await?;
    if couples::active_for_user(ctx.tx, ctx.me.id).await?.is_some() {
        return Err(UserError::AlreadyPaired.into());
    }
    let target = partner.map(|id| UserRef::new(ctx.me.user.platform, id.trim()));
    let known = match &target {
        Some(target) => refuse_target(ctx, target).await?,
        None => None,
    };
    // A new invite replaces any older one, so only one code is ever live.
    let withdrawn = withdraw_open(ctx, target.as_ref()).await?;
    let code = fresh_code(ctx).await?;
    let space = match ctx.place {
        Place::Space(space) => Some(space),
        Place::Direct => None,
    };
    let invite = invites::create(
        ctx.tx,
        NewInvite {
            code: &code,
            inviter_id: ctx.me.id,
            target: target.as_ref(),
            space,
            created_at: ctx.now,
            expires_at: ctx.now + ctx.engine.policy.invite_ttl,
        },
    )
    .await?;
    let code = invite.code.to_string();
    let expires_for_me = ctx
        .engine
        .format_time(invite.expires_at, ctx.zone_of(&ctx.me));
    let Some(target) = target else {
        let text = ctx.say(
            Key::PairInviteCode,
            &[("code", &code), ("expires", &expires_for_me)],
        );
        return Ok(vec![Outgoing::to_requester(Reply::private(text))]);
    };
    let mut outgoing = offer_to_named(
        ctx,
        target,
        known,
        &code,
        invite.expires_at,
        &expires_for_me,
    )
    .await?;
    outgoing.extend(withdrawn);
    Ok(outgoing)
}

/// Refuses an invite to oneself, to someone already paired (vaguely), or
/// to someone who asked not to be invited; returns the person named, if
/// they have used rapport before.
async fn refuse_target(ctx: &mut Ctx<'_>, target: &UserRef) -> EngineResult<Option<User>> {
    if *target == ctx.me.user {
        let own_invite = !invites::open_by_inviter(ctx.tx, ctx.me.id, ctx.now)
            .await?
            .is_empty();
        return Err(UserError::PairWithSelf { own_invite }.into());
    }
    let known = users::find(ctx.tx, target).await?;
    if let Some(known) = &known {
        // Deliberately vague: whether someone is paired is their business.
        if couples::active_for_user(ctx.tx, known.id).await?.is_some() {
            return Err(UserError::PartnerUnavailable.into());
        }
    }
    refuse_unwanted_invite(ctx, target).await?;
    Ok(known)
}

/// An invite to someone named: the inviter is told, and the person named
/// is asked, each with the expiry in their own time zone.
async fn offer_to_named(
    ctx: &mut Ctx<'_>,
    target: UserRef,
    known: Option<User>,
    code: &str,
    expires_at: DateTime<Utc>,
    expires_for_me: &str,
) -> EngineResult<Vec<Outgoing>> {
    let target_zone = known
        .as_ref()
        .map_or(ctx.engine.policy.default_zone, |user| ctx.zone_of(user));
    // Their name if they have used rapport before, else the one the
    // platform showed with the request, else the platform's id.
    let target_name = known
        .as_ref()
        .map(|user| user.display_name.as_str())
        .or_else(|| ctx.actor.name_shown_for(&target))
        .unwrap_or(target.id.as_str());
    let expires_for_them = ctx.engine.format_time(expires_at, target_zone);
    let to_me = ctx.say(
        Key::PairInviteSent,
        &[
            ("partner", target_name),
            ("code", code),
            ("expires", expires_for_me),
        ],
    );
    let to_them = ctx.say(
        Key::PairInviteReceived,
        &[
            ("inviter", &ctx.me_named()),
            ("code", code),
            ("expires", &expires_for_them),
        ],
    );
    Ok(ctx.ask_partner(
        to_me,
        target,
        to_them,
        &[
            (Key::PairChoiceAccept, format!("pair accept {code}")),
            (Key::PairChoiceDecline, format!("pair decline {code}")),
        ],
    ))
}

/// Cancels this person's open invites and tells each one invited by name
/// (other than `next`, who gets a new invite) that theirs no longer works,
/// so an old "Accept" is not left looking valid.
async fn withdraw_open(ctx: &mut Ctx<'_>, next: Option<&UserRef>) -> EngineResult<Vec<Outgoing>> {
    let open = invites::open_by_inviter(ctx.tx, ctx.me.id, ctx.now).await?;
    invites::cancel_open(ctx.tx, ctx.me.id, ctx.now).await?;
    let inviter = ctx.me_named();
    Ok(open
        .into_iter()
        .filter_map(|invite| invite.target)
        .filter(|target| Some(target) != next)
        .map(|target| {
            let text = ctx.say(Key::PairInviteWithdrawn, &[("inviter", &inviter)]);
            Outgoing::to_user(target, Reply::private(text))
        })
        .collect())
}

async fn fresh_code(ctx: &mut Ctx<'_>) -> EngineResult<InviteCode> {
    for _ in 0..CODE_ATTEMPTS {
        let code = ctx.engine.with_rng(InviteCode::generate);
        if !invites::code_exists(ctx.tx, &code).await? {
            return Ok(code);
        }
    }
    Err(anyhow::anyhow!("no unused invite code after {CODE_ATTEMPTS} draws").into())
}

/// Finds the invite a person means: by code, or the newest one addressed to them.
async fn find_invite(ctx: &mut Ctx<'_>, code: Option<&str>) -> EngineResult<Invite> {
    let found = match code {
        Some(text) => match InviteCode::parse(text) {
            Some(code) => invites::find_by_code(ctx.tx, &code).await?,
            None => None,
        },
        None => {
            let invite = invites::latest_pending_for(ctx.tx, &ctx.me.user).await?;
            return invite.ok_or_else(|| UserError::NoPendingInvite.into());
        }
    };
    found.ok_or_else(|| UserError::InviteNotFound.into())
}

/// Checks that this person may answer this invite now.
fn check_answerable(ctx: &Ctx<'_>, invite: &Invite) -> Result<(), UserError> {
    if invite.inviter_id == ctx.me.id {
        return Err(UserError::PairWithSelf {
            own_invite: invite.status == InviteStatus::Pending,
        });
    }
    if invite.status != InviteStatus::Pending {
        return Err(UserError::InviteNoLongerValid);
    }
    if ctx.now >= invite.expires_at {
        return Err(UserError::InviteExpired);
    }
    match &invite.target {
        Some(target) if *target != ctx.me.user => Err(UserError::InviteForSomeoneElse),
        _ => Ok(()),
    }
}

async fn accept(ctx: &mut Ctx<'_>, code: Option<&str>) -> EngineResult<Vec<Outgoing>> {
    ctx.refuse_foreign_space().await?;
    let invite = find_invite(ctx, code).await?;
    check_answerable(ctx, &invite)?;
    if couples::active_for_user(ctx.tx, ctx.me.id).await?.is_some() {
        return Err(UserError::AlreadyPaired.into());
    }
    if couples::active_for_user(ctx.tx, invite.inviter_id)
        .await?
        .is_some()
    {
        return Err(UserError::PartnerUnavailable.into());
    }
    let inviter = users::get(ctx.tx, invite.inviter_id).await?;
    let zone = inviter
        .time_zone
        .or(ctx.me.time_zone)
        .unwrap_or(ctx.engine.policy.default_zone);
    if !invites::answer(
        ctx.tx,
        invite.id,
        InviteStatus::Accepted,
        ctx.me.id,
        ctx.now,
    )
    .await?
    {
        return Err(UserError::InviteNoLongerValid.into());
    }
    // No space yet: the room or channel where the invite was made or
    // accepted is one partner's choice, and others may read it. Where the
    // shared things go is settled by both, below.
    let couple = match couples::create(ctx.tx, [inviter.id, ctx.me.id], None, zone, ctx.now).await?
    {
        Ok(couple) => couple,
        Err(CreateRefused::MemberTaken) => return Err(UserError::AlreadyPaired.into()),
        Err(CreateRefused::SpaceTaken) => return Err(UserError::SpaceTaken.into()),
    };
    let to_me = ctx.say(Key::PairAcceptedYou, &[("partner", &ctx.named(&inviter))]);
    let to_inviter = ctx.say(Key::PairAcceptedInviter, &[("partner", &ctx.me_named())]);
    let mut outgoing = vec![
        Outgoing::to_requester(Reply::private(to_me)),
        Outgoing::to_user(inviter.user.clone(), Reply::private(to_inviter)),
    ];
    outgoing.extend(space::after_pairing(ctx, &couple, &inviter).await?);
    outgoing.extend(history::offer_after_pairing(ctx, &couple, &inviter).await?);
    Ok(outgoing)
}

async fn decline(ctx: &mut Ctx<'_>, code: Option<&str>) -> EngineResult<Vec<Outgoing>> {
    let invite = find_invite(ctx, code).await?;
    check_answerable(ctx, &invite)?;
    if !invites::answer(
        ctx.tx,
        invite.id,
        InviteStatus::Declined,
        ctx.me.id,
        ctx.now,
    )
    .await?
    {
        return Err(UserError::InviteNoLongerValid.into());
    }
    let inviter = users::get(ctx.tx, invite.inviter_id).await?;
    let to_me = ctx.say(Key::PairDeclinedYou, &[("inviter", &inviter.display_name)]);
    let to_inviter = ctx.say(
        Key::PairDeclinedInviter,
        &[("partner", &ctx.actor.display_name)],
    );
    Ok(vec![
        Outgoing::to_requester(Reply::private(to_me)),
        Outgoing::to_user(inviter.user, Reply::private(to_inviter)),
    ])
}

async fn cancel(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    if invites::open_by_inviter(ctx.tx, ctx.me.id, ctx.now)
        .await?
        .is_empty()
    {
        let text = ctx.say(Key::PairNothingToCancel, &[]);
        return Ok(vec![Outgoing::to_requester(Reply::private(text))]);
    }
    let mut outgoing = vec![Outgoing::to_requester(Reply::private(
        ctx.say(Key::PairCancelled, &[]),
    ))];
    outgoing.extend(withdraw_open(ctx, None).await?);
    Ok(outgoing)
}

async fn leave(ctx: &mut Ctx<'_>, confirmed: bool) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    if !confirmed {
        let days = ctx.engine.policy.history_kept.num_days().to_string();
        let text = ctx.say(
            Key::PairLeaveConfirm,
            &[("partner", &partner.display_name), ("days", &days)],
        );
        let choice = Choice::new(ctx.say(Key::PairChoiceLeave, &[]), "pair leave confirm");
        return Ok(vec![Outgoing::to_requester(
            Reply::private(text).with_choices(vec![choice]),
        )]);
    }
    ctx.end_couple(couple.id).await?;
    let erased = |reader: &User| ctx.day_for(ctx.now + ctx.engine.policy.history_kept, reader);
    let to_me = ctx.say(
        Key::PairLeftYou,
        &[
            ("partner", &partner.display_name),
            ("erased", &erased(&ctx.me)),
        ],
    );
    let to_partner = ctx.say(
        Key::PairLeftPartner,
        &[
            ("partner", &ctx.actor.display_name),
            ("erased", &erased(&partner)),
        ],
    );
    Ok(vec![
        Outgoing::to_requester(Reply::private(to_me)),
        Outgoing::to_user(partner.user, Reply::private(to_partner)),
    ])
}

/// Each named invite is a private message to someone who did not ask for
/// it: a few a day at most, and none for a while to someone who said no.
async fn refuse_unwanted_invite(ctx: &mut Ctx<'_>, target: &UserRef) -> EngineResult<()> {
    let policy = &ctx.engine.policy;
    let sent = invites::named_since(ctx.tx, ctx.me.id, ctx.now - chrono::Duration::days(1)).await?;
    if sent >= i64::from(policy.invites_per_day) {
        return Err(UserError::TooManyInvites {
            limit: policy.invites_per_day,
        }
        .into());
    }
    let since = ctx.now - policy.decline_quiet;
    if let Some(declined) = invites::declined_since(ctx.tx, ctx.me.id, target, since).await? {
        let after = ctx
            .engine
            .format_time(declined + policy.decline_quiet, ctx.zone_of(&ctx.me));
        return Err(UserError::RecentlyDeclined { after }.into());
    }
    Ok(())
}
