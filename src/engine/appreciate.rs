//! `appreciate <text>`: a thank-you to the partner, posted in the couple's
//! space (or sent to the partner directly when there is none) and kept for
//! the recap. One that reads as blame ("you never do anything nice for
//! me") is held back and its author asked first, privately: a complaint
//! posted with a heart hurts twice.

use super::command::AppreciateCommand;
use super::message::Outgoing;
use super::{Ctx, reword};
use crate::domain::text::{QUOTE_INDENT, indent_continuation};
use crate::domain::{Choice, Reply};
use crate::error::{EngineResult, UserError};
use crate::prompts::Key;
use crate::store::appreciations::{self, NewAppreciation};
use crate::store::couples;

pub(super) async fn run(
    ctx: &mut Ctx<'_>,
    command: &AppreciateCommand,
) -> EngineResult<Vec<Outgoing>> {
    match command {
        AppreciateCommand::Send(text) => send(ctx, text).await,
        AppreciateCommand::PostHeld => post_held(ctx).await,
        AppreciateCommand::DiscardHeld => {
            if !appreciations::discard_held(ctx.tx, ctx.me.id).await? {
                return Err(UserError::NothingHeld.into());
            }
            let text = ctx.say(Key::AppreciateDiscarded, &[]);
            Ok(vec![Outgoing::to_requester(Reply::private(text))])
        }
    }
}

async fn send(ctx: &mut Ctx<'_>, text: &str) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let analysis = ctx.engine.coach().analyze(text);
    if analysis.crisis {
        let help = reword::crisis_text(ctx.engine);
        return Ok(vec![Outgoing::to_requester(Reply::private(help))]);
    }
    let new = NewAppreciation {
        couple_id: couple.id,
        from_user: ctx.me.id,
        to_user: partner.id,
        text,
    };
    let held = analysis.blaming();
    appreciations::add(ctx.tx, new, held, ctx.now).await?;
    if held {
        let choices = vec![
            Choice::new(ctx.say(Key::AppreciateChoicePost, &[]), "appreciate --post"),
            Choice::new(
                ctx.say(Key::AppreciateChoiceDiscard, &[]),
                "appreciate --discard",
            ),
        ];
        let asked = ctx.say(Key::AppreciateHeld, &[("to", &partner.display_name)]);
        return Ok(vec![Outgoing::to_requester(
            Reply::private(asked).with_choices(choices),
        )]);
    }
    Ok(posted(ctx, &couple.space, &partner, text))
}

async fn post_held(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let Some(text) = appreciations::release_held(ctx.tx, couple.id, ctx.me.id, ctx.now).await?
    else {
        return Err(UserError::NothingHeld.into());
    };
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    Ok(posted(ctx, &couple.space, &partner, &text))
}

/// The thank-you in the space (or to the partner), and a word to its author.
fn posted(
    ctx: &Ctx<'_>,
    space: &Option<crate::domain::SpaceRef>,
    partner: &crate::store::users::User,
    text: &str,
) -> Vec<Outgoing> {
    let quoted = indent_continuation(text, QUOTE_INDENT);
    let vars = [
        ("from", ctx.actor.display_name.as_str()),
        ("to", &partner.display_name),
        ("text", &quoted),
    ];
    let post = ctx.say(Key::AppreciatePosted, &vars);
    let delivered = match space {
        Some(space) => Outgoing::to_space(space.clone(), Reply::public(post)),
        None => Outgoing::to_user(partner.user.clone(), Reply::private(post)),
    };
    vec![
        Outgoing::to_requester(Reply::private(ctx.say(Key::AppreciateSent, &vars))),
        delivered,
    ]
}
