//! `appreciate <text>`: a thank-you to the partner, posted in the couple's
//! space (or sent to the partner directly when there is none) and kept for
//! the weekly recap.

use super::Ctx;
use super::message::Outgoing;
use crate::domain::Reply;
use crate::domain::text::{QUOTE_INDENT, indent_continuation};
use crate::error::EngineResult;
use crate::prompts::Key;
use crate::store::{appreciations, couples};

pub(super) async fn run(ctx: &mut Ctx<'_>, text: &str) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    appreciations::add(ctx.tx, couple.id, ctx.me.id, partner.id, text, ctx.now).await?;
    let quoted = indent_continuation(text, QUOTE_INDENT);
    let vars = [
        ("from", ctx.actor.display_name.as_str()),
        ("to", &partner.display_name),
        ("text", &quoted),
    ];
    let post = ctx.say(Key::AppreciatePosted, &vars);
    let delivered = match couple.space {
        Some(space) => Outgoing::to_space(space, Reply::public(post)),
        None => Outgoing::to_user(partner.user, Reply::private(post)),
    };
    Ok(vec![
        Outgoing::to_requester(Reply::private(ctx.say(Key::AppreciateSent, &vars))),
        delivered,
    ])
}
