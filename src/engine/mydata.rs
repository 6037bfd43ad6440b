//! `mydata`: a person's right to see and erase what rapport keeps about
//! them. The export is JSON, delivered privately; deletion asks first,
//! dissolves the couple, erases what the person wrote, and leaves the
//! partner's own entries with the partner.

use super::Ctx;
use super::command::MyDataCommand;
use super::message::Outgoing;
use crate::domain::{Attachment, Choice, Reply};
use crate::error::EngineResult;
use crate::prompts::Key;
use crate::store::erase::{self, Removed};
use crate::store::{couples, mydata};

pub(super) async fn run(ctx: &mut Ctx<'_>, command: &MyDataCommand) -> EngineResult<Vec<Outgoing>> {
    match command {
        MyDataCommand::Export => export(ctx).await,
        MyDataCommand::Delete { confirmed } => delete(ctx, *confirmed).await,
    }
}

async fn export(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let mut document = mydata::export(ctx.tx, ctx.me.id).await?;
    if let Some(object) = document.as_object_mut() {
        object.insert("exported_at".to_owned(), ctx.now.to_rfc3339().into());
    }
    let bytes = serde_json::to_vec_pretty(&document)
        .map_err(|error| anyhow::Error::new(error).context("cannot encode the export"))?;
    let mut reply = Reply::private(ctx.say(Key::MydataExported, &[]));
    reply.attachment = Some(Attachment {
        filename: "rapport-mydata.json".to_owned(),
        mime_type: "application/json".to_owned(),
        bytes,
    });
    Ok(vec![Outgoing::to_requester(reply)])
}

async fn delete(ctx: &mut Ctx<'_>, confirmed: bool) -> EngineResult<Vec<Outgoing>> {
    ctx.refuse_foreign_space().await?;
    if !confirmed {
        let choice = Choice::new(
            ctx.say(Key::MydataChoiceDelete, &[]),
            "mydata delete confirm",
        );
        return Ok(vec![Outgoing::to_requester(
            Reply::private(ctx.say(Key::MydataDeleteConfirm, &[])).with_choices(vec![choice]),
        )]);
    }
    let partner = match couples::active_for_user(ctx.tx, ctx.me.id).await? {
        Some(couple) => {
            let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
            ctx.end_couple(couple.id).await?;
            Some(partner)
        }
        None => None,
    };
    let removed = erase::delete(ctx.tx, ctx.me.id, &ctx.actor.user, ctx.now).await?;
    let mut outgoing = vec![Outgoing::to_requester(Reply::private(
        ctx.say(Key::MydataDeleted, &[]),
    ))];
    if let Some(partner) = partner {
        let text = partner_notice(ctx, &removed);
        // Names the person, quotes none of their words; they are gone, so
        // the message is nobody's to take down later.
        outgoing.push(Outgoing::to_user(partner.user, Reply::private(text)).by(Vec::new()));
    }
    Ok(outgoing)
}

/// The partner hears that the pairing ended and, by number only (the
/// titles were the person's words), which shared goals and agreements
/// went, with their own notes on them.
fn partner_notice(ctx: &Ctx<'_>, removed: &Removed) -> String {
    let name = ctx.actor.display_name.as_str();
    let mut lines = vec![ctx.say(Key::MydataDeletedPartner, &[("partner", name)])];
    let numbers = |ids: &[i64]| {
        ids.iter()
            .map(|id| format!("#{id}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !removed.goals.is_empty() {
        let goals = numbers(&removed.goals);
        lines.push(ctx.say(Key::MydataDeletedPartnerGoals, &[("goals", &goals)]));
    }
    if !removed.agreements.is_empty() {
        let agreements = numbers(&removed.agreements);
        lines.push(ctx.say(
            Key::MydataDeletedPartnerAgreements,
            &[("agreements", &agreements)],
        ));
    }
    lines.join("\n")
}
