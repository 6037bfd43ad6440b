//! Agreements: boundaries and ground rules the couple writes together.
//! Adding, rewording and retiring one are proposals that count only once
//! the other partner accepts; an accepted rewording keeps the agreement's
//! number and replaces its old wording.

use super::Ctx;
use super::command::AgreeCommand;
use super::message::{Outgoing, quoting};
use crate::domain::Reply;
use crate::error::{EngineError, EngineResult, UserError};
use crate::prompts::Key;
use crate::store::agreements::{self, Agreement, Proposal};
use crate::store::couples;

/// How many proposers of one agreement's wordings its messages name.
const MAX_AUTHORS: usize = 8;

pub(super) async fn run(ctx: &mut Ctx<'_>, command: &AgreeCommand) -> EngineResult<Vec<Outgoing>> {
    let about = match command {
        AgreeCommand::Edit { id, .. }
        | AgreeCommand::Retire(id)
        | AgreeCommand::Accept(id)
        | AgreeCommand::Decline(id) => Some(*id),
        AgreeCommand::List | AgreeCommand::Add(_) => None,
    };
    let outgoing = match command {
        AgreeCommand::List => list(ctx).await?,
        AgreeCommand::Add(text) => propose(ctx, Change::New(text)).await?,
        AgreeCommand::Edit { id, text } => propose(ctx, Change::Reword(*id, text)).await?,
        AgreeCommand::Retire(id) => propose(ctx, Change::Retire(*id)).await?,
        AgreeCommand::Accept(id) => answer(ctx, *id, true).await?,
        AgreeCommand::Decline(id) => answer(ctx, *id, false).await?,
    };
    let Some(number) = about else {
        // The list shows every agreement's wording: both partners' words.
        if matches!(command, AgreeCommand::List) {
            let both = ctx.couple_members().await?;
            return Ok(quoting(outgoing, &both));
        }
        return Ok(outgoing);
    };
    // An agreement's messages quote its wordings: their proposers' words,
    // and the requester's.
    let mut authors = vec![ctx.me.id];
    if let Some(couple) = couples::active_for_user(ctx.tx, ctx.me.id).await? {
        let history = agreements::history(ctx.tx, couple.id, number).await?;
        authors.extend(
            history
                .iter()
                .filter_map(|row| row.proposed_by)
                .take(MAX_AUTHORS),
        );
    }
    authors.sort_unstable();
    authors.dedup();
    Ok(quoting(outgoing, &authors))
}

/// What a partner proposes.
enum Change<'a> {
    New(&'a str),
    Reword(i64, &'a str),
    Retire(i64),
}

/// `#2 “We take a break when a talk gets heated”`; a proposal to retire
/// shows the words of the agreement it would retire.
async fn describe(ctx: &mut Ctx<'_>, agreement: &Agreement) -> EngineResult<String> {
    let text = match (agreement.retires, agreement.replaces_id) {
        (1, Some(id)) => agreements::by_id(ctx.tx, agreement.couple_id, id)
            .await?
            .map(|old| old.text)
            .unwrap_or_default(),
        _ => agreement.text.clone(),
    };
    Ok(ctx.say(
        Key::AgreeDescribe,
        &[("id", &agreement.number.to_string()), ("text", &text)],
    ))
}

/// Why no agreement numbered `number` is in the state asked for: `wrong`
/// when the couple has one by that number, else that there is none.
async fn not_in_state(
    ctx: &mut Ctx<'_>,
    couple_id: i64,
    number: i64,
    wrong: UserError,
) -> EngineError {
    match agreements::history(ctx.tx, couple_id, number).await {
        Ok(rows) if rows.is_empty() => UserError::AgreementNotFound.into(),
        Ok(_) => wrong.into(),
        Err(error) => error.into(),
    }
}

/// The active agreement a rewording or retirement is about, with no other
/// proposal about it waiting.
async fn active_to_change(
    ctx: &mut Ctx<'_>,
    couple_id: i64,
    number: i64,
) -> EngineResult<Agreement> {
    let Some(active) = agreements::numbered(ctx.tx, couple_id, number, "active").await? else {
        return Err(not_in_state(ctx, couple_id, number, UserError::AgreementNotActive).await);
    };
    if agreements::numbered(ctx.tx, couple_id, number, "proposed")
        .await?
        .is_some()
    {
        return Err(UserError::AgreementProposalWaiting.into());
    }
    Ok(active)
}

async fn propose(ctx: &mut Ctx<'_>, change: Change<'_>) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let old = match &change {
        Change::New(_) => None,
        Change::Reword(number, _) | Change::Retire(number) => {
            Some(active_to_change(ctx, couple.id, *number).await?)
        }
    };
    let (proposal, keys) = match (change, &old) {
        (Change::New(text), _) => (
            Proposal::New(text),
            (Key::AgreeProposed, Key::AgreeProposal),
        ),
        (Change::Reword(_, text), Some(old)) => (
            Proposal::Reword(old, text),
            (Key::AgreeEditProposed, Key::AgreeEditProposal),
        ),
        (Change::Retire(_), Some(old)) => (
            Proposal::Retire(old),
            (Key::AgreeRetireProposed, Key::AgreeRetireProposal),
        ),
        (Change::Reword(..) | Change::Retire(_), None) => {
            return Err(UserError::AgreementNotFound.into());
        }
    };
    let agreement = agreements::propose(ctx.tx, couple.id, proposal, ctx.me.id, ctx.now).await?;
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let described = describe(ctx, &agreement).await?;
    let old = match &old {
        Some(old) => describe(ctx, old).await?,
        None => String::new(),
    };
    let mut vars = vec![
        ("partner", partner.display_name.as_str()),
        ("agreement", &described),
        ("old", &old),
    ];
    let to_me = ctx.say(keys.0, &vars);
    vars[0] = ("partner", &ctx.actor.display_name);
    let to_partner = ctx.say(keys.1, &vars);
    Ok(ctx.ask_partner(
        to_me,
        partner.user,
        to_partner,
        &[
            (
                Key::AgreeChoiceAccept,
                format!("agree accept {}", agreement.number),
            ),
            (
                Key::AgreeChoiceDecline,
                format!("agree decline {}", agreement.number),
            ),
        ],
    ))
}

/// The messages of an answer: (to the one answering, to the proposer,
/// announced in the space when accepted).
fn answer_keys(agreement: &Agreement, accept: bool) -> (Key, Key, Option<Key>) {
    match (
        agreement.retires == 1,
        agreement.replaces_id.is_some(),
        accept,
    ) {
        (true, _, true) => (
            Key::AgreeRetiredYou,
            Key::AgreeRetiredPartner,
            Some(Key::AgreeRetiredAnnounced),
        ),
        (true, _, false) => (Key::AgreeKeptYou, Key::AgreeKeptPartner, None),
        (false, edit, true) => (
            Key::AgreeAcceptedYou,
            Key::AgreeAcceptedPartner,
            Some(if edit {
                Key::AgreeEditAnnounced
            } else {
                Key::AgreeAnnounced
            }),
        ),
        (false, _, false) => (Key::AgreeDeclinedYou, Key::AgreeDeclinedPartner, None),
    }
}

async fn answer(ctx: &mut Ctx<'_>, number: i64, accept: bool) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let Some(agreement) = agreements::numbered(ctx.tx, couple.id, number, "proposed").await? else {
        return Err(not_in_state(ctx, couple.id, number, UserError::AgreementNotProposed).await);
    };
    if agreement.proposed_by == Some(ctx.me.id) {
        return Err(UserError::OwnProposal.into());
    }
    let described = describe(ctx, &agreement).await?;
    let retires = agreement.retires == 1;
    let decided = match (accept, retires) {
        (true, true) => "retired",
        (true, false) => "active",
        (false, _) => "declined",
    };
    agreements::set_status(ctx.tx, agreement.id, "proposed", decided, ctx.now).await?;
    if accept && let Some(old) = agreement.replaces_id {
        let ended = if retires { "retired" } else { "replaced" };
        agreements::set_status(ctx.tx, old, "active", ended, ctx.now).await?;
    }
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let vars = [
        ("agreement", described.as_str()),
        ("partner", &ctx.actor.display_name),
    ];
    let (to_me, to_partner, announced) = answer_keys(&agreement, accept);
    let mut outgoing = vec![
        Outgoing::to_requester(Reply::private(ctx.say(to_me, &vars))),
        Outgoing::to_user(partner.user, Reply::private(ctx.say(to_partner, &vars))),
    ];
    if let (Some(key), Some(space)) = (announced, couple.space) {
        outgoing.push(Outgoing::to_space(
            space,
            Reply::public(ctx.say(key, &vars)),
        ));
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
        let described = describe(ctx, agreement).await?;
        let key = match (
            agreement.status.as_str(),
            agreement.retires,
            agreement.replaces_id,
        ) {
            ("active", _, _) => Key::AgreeListLine,
            (_, 1, _) => Key::AgreeListRetireProposed,
            (_, _, Some(_)) => Key::AgreeListEditProposed,
            _ => Key::AgreeListProposed,
        };
        lines.push(ctx.say(key, &[("agreement", &described)]));
    }
    Ok(vec![Outgoing::to_requester(Reply::private(
        lines.join("\n"),
    ))])
}
