//! Agreements: boundaries and ground rules the couple writes together.
//! Every addition or edit is a proposal that counts only once the other
//! partner accepts it; an accepted edit replaces the old wording.

use super::Ctx;
use super::command::AgreeCommand;
use super::message::{Outgoing, quoting};
use crate::domain::Reply;
use crate::error::{EngineResult, UserError};
use crate::prompts::Key;
use crate::store::agreements::{self, Agreement};
use crate::store::couples;

pub(super) async fn run(ctx: &mut Ctx<'_>, command: &AgreeCommand) -> EngineResult<Vec<Outgoing>> {
    let about = match command {
        AgreeCommand::Edit { id, .. } | AgreeCommand::Accept(id) | AgreeCommand::Decline(id) => {
            Some(*id)
        }
        AgreeCommand::List | AgreeCommand::Add(_) => None,
    };
    let outgoing = match command {
        AgreeCommand::List => list(ctx).await?,
        AgreeCommand::Add(text) => propose(ctx, text, None).await?,
        AgreeCommand::Edit { id, text } => propose(ctx, text, Some(*id)).await?,
        AgreeCommand::Accept(id) => answer(ctx, *id, true).await?,
        AgreeCommand::Decline(id) => answer(ctx, *id, false).await?,
    };
    let Some(id) = about else {
        // The list shows every agreement's wording: both partners' words.
        if matches!(command, AgreeCommand::List) {
            let both = ctx.couple_members().await?;
            return Ok(quoting(outgoing, &both));
        }
        return Ok(outgoing);
    };
    // An agreement's messages quote its wording (and an edit the wording
    // it replaces): the proposer's words, and the requester's.
    let mut authors = vec![ctx.me.id];
    let couple = couples::active_for_user(ctx.tx, ctx.me.id).await?;
    let mut next = couple.as_ref().map(|_| id);
    while let Some(id) = next.take() {
        let Some(couple) = &couple else { break };
        let Some(agreement) = agreements::get(ctx.tx, couple.id, id).await? else {
            break;
        };
        authors.extend(agreement.proposed_by);
        next = agreement.replaces_id.filter(|_| authors.len() < 8);
    }
    authors.sort_unstable();
    authors.dedup();
    Ok(quoting(outgoing, &authors))
}

fn describe(ctx: &Ctx<'_>, agreement: &Agreement) -> String {
    ctx.say(
        Key::AgreeDescribe,
        &[("id", &agreement.id.to_string()), ("text", &agreement.text)],
    )
}

async fn propose(
    ctx: &mut Ctx<'_>,
    text: &str,
    replaces: Option<i64>,
) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let replaced = match replaces {
        Some(id) => {
            let old = agreements::get(ctx.tx, couple.id, id)
                .await?
                .ok_or(UserError::AgreementNotFound)?;
            if old.status != "active" {
                return Err(UserError::AgreementNotActive.into());
            }
            Some(old)
        }
        None => None,
    };
    let agreement =
        agreements::propose(ctx.tx, couple.id, text, replaces, ctx.me.id, ctx.now).await?;
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let described = describe(ctx, &agreement);
    let old = replaced
        .as_ref()
        .map(|old| describe(ctx, old))
        .unwrap_or_default();
    let vars = [
        ("partner", partner.display_name.as_str()),
        ("agreement", &described),
        ("old", &old),
    ];
    let (to_me, to_partner) = match replaced {
        Some(_) => (Key::AgreeEditProposed, Key::AgreeEditProposal),
        None => (Key::AgreeProposed, Key::AgreeProposal),
    };
    let to_me = ctx.say(to_me, &vars);
    let mut vars = vars.to_vec();
    vars[0] = ("partner", &ctx.actor.display_name);
    let to_partner = ctx.say(to_partner, &vars);
    Ok(ctx.ask_partner(
        to_me,
        partner.user,
        to_partner,
        &[
            (
                Key::AgreeChoiceAccept,
                format!("agree accept {}", agreement.id),
            ),
            (
                Key::AgreeChoiceDecline,
                format!("agree decline {}", agreement.id),
            ),
        ],
    ))
}

async fn answer(ctx: &mut Ctx<'_>, id: i64, accept: bool) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let agreement = agreements::get(ctx.tx, couple.id, id)
        .await?
        .ok_or(UserError::AgreementNotFound)?;
    if agreement.status != "proposed" {
        return Err(UserError::AgreementNotProposed.into());
    }
    if agreement.proposed_by == Some(ctx.me.id) {
        return Err(UserError::OwnProposal.into());
    }
    let decided = if accept { "active" } else { "declined" };
    agreements::set_status(ctx.tx, agreement.id, "proposed", decided, ctx.now).await?;
    if accept && let Some(old) = agreement.replaces_id {
        agreements::set_status(ctx.tx, old, "active", "replaced", ctx.now).await?;
    }
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let described = describe(ctx, &agreement);
    let vars = [
        ("agreement", described.as_str()),
        ("partner", &ctx.actor.display_name),
    ];
    let (to_me, to_partner) = if accept {
        (Key::AgreeAcceptedYou, Key::AgreeAcceptedPartner)
    } else {
        (Key::AgreeDeclinedYou, Key::AgreeDeclinedPartner)
    };
    let mut outgoing = vec![
        Outgoing::to_requester(Reply::private(ctx.say(to_me, &vars))),
        Outgoing::to_user(partner.user, Reply::private(ctx.say(to_partner, &vars))),
    ];
    if accept && let Some(space) = couple.space {
        let text = ctx.say(Key::AgreeAnnounced, &vars);
        outgoing.push(Outgoing::to_space(space, Reply::public(text)));
    }
    Ok(outgoing)
}

async fn list(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let current = agreements::current(ctx.tx, couple.id).await?;
    if current.is_empty() {
        return Ok(vec![Outgoing::to_requester(Reply::private(
            ctx.say(Key::AgreeListEmpty, &[]),
        ))]);
    }
    let mut lines = vec![ctx.say(Key::AgreeListHeader, &[])];
    for agreement in &current {
        let described = describe(ctx, agreement);
        let key = if agreement.status == "active" {
            Key::AgreeListLine
        } else {
            Key::AgreeListProposed
        };
        lines.push(ctx.say(key, &[("agreement", &described)]));
    }
    Ok(vec![Outgoing::to_requester(Reply::private(
        lines.join("\n"),
    ))])
}
