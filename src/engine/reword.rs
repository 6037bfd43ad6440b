//! `reword`: a private I-statement suggestion for a message, and opt-in
//! nudges for messages posted in a couple's space.
//!
//! Nothing a person writes here is stored or logged: a suggestion needs no
//! database at all, and a nudge only adds one to the couple's count. Words
//! suggesting self-harm or violence get the crisis resources instead.

use super::message::{Actor, Outgoing, Place};
use super::{Ctx, Engine};
use crate::coach::{Analysis, Reason, Suggestion};
use crate::domain::{Choice, Reply};
use crate::error::{EngineResult, UserError};
use crate::prompts::Key;
use crate::store::{couples, nudges, spaces, users};

/// How many other feelings a suggestion offers to choose from.
const FEELING_CHOICES: usize = 5;

/// `reword <text>`: answered privately, without touching the store.
pub(super) async fn suggest(
    engine: &Engine,
    text: &str,
    feeling: Option<&str>,
) -> EngineResult<Vec<Outgoing>> {
    if let Some(feeling) = feeling.filter(|f| !engine.coach.knows_feeling(f)) {
        return Err(UserError::UnknownFeeling {
            given: feeling.to_owned(),
            feelings: engine.coach.feelings().to_vec(),
        }
        .into());
    }
    let analysis = engine.coach.analyze(text);
    let reply = if analysis.crisis {
        Reply::private(crisis_text(engine))
    } else if analysis.complaint {
        // Asked for help with it: not blaming, but not kind either.
        let frame = engine.coach.frame(&analysis);
        Reply::private(
            engine
                .catalog
                .render(Key::RewordFrame, &[("frame", &frame)]),
        )
    } else if !analysis.blaming() {
        Reply::private(engine.catalog.text(Key::RewordFine))
    } else {
        let suggestion = suggestion(engine, text, &analysis, feeling).await;
        let reasons = reasons_text(engine, &analysis);
        let body = engine.catalog.render(
            Key::RewordSuggestion,
            &[("reasons", &reasons), ("suggestion", &suggestion.text)],
        );
        let choices = engine
            .coach
            .other_feelings(&suggestion.feeling)
            .into_iter()
            .take(FEELING_CHOICES)
            .map(|other| {
                Choice::new(
                    other.to_owned(),
                    format!("reword feeling:{} {text}", other.replace(' ', "_")),
                )
                .holding_words()
            })
            .collect();
        Reply::private(body).with_menu(choices)
    };
    Ok(vec![Outgoing::to_requester(reply)])
}

/// A message someone posted in a space. Returns a private nudge for its
/// author when the couple opted in and the message reads as blaming;
/// otherwise nothing. Never fails loudly: this is ordinary chat.
pub(super) async fn observe(
    engine: &Engine,
    actor: &Actor,
    place: &Place,
    text: &str,
) -> Option<Reply> {
    let Place::Space(space) = place else {
        return None;
    };
    if text.chars().count() > super::command::MAX_INPUT_CHARS {
        return None;
    }
    let analysis = engine.coach.analyze(text);
    if !analysis.blaming() && !analysis.crisis {
        return None; // most messages: no database work at all
    }
    match nudge(engine, actor, space, text, &analysis).await {
        Ok(nudge) => nudge,
        Err(error) => {
            tracing::error!(error.cause_chain = ?error, error.message = %error, "nudge failed");
            None
        }
    }
}

async fn nudge(
    engine: &Engine,
    actor: &Actor,
    space: &crate::domain::SpaceRef,
    text: &str,
    analysis: &Analysis,
) -> anyhow::Result<Option<Reply>> {
    let mut tx = engine.store.begin().await?;
    let Some(couple) = couples::active_for_space(&mut tx, space).await? else {
        return Ok(None);
    };
    if !spaces::nudges_allowed(&mut tx, space).await? {
        return Ok(None); // the space's moderators said no
    }
    let Some(author) = users::find(&mut tx, &actor.user).await? else {
        return Ok(None);
    };
    let members = users::in_couple(&mut tx, couple.id).await?;
    let (consented, total) = nudges::consent(&mut tx, couple.id).await?;
    if !members.iter().any(|m| m.id == author.id) || consented < total {
        return Ok(None);
    }
    let reply = if analysis.crisis {
        Reply::private(crisis_text(engine))
    } else {
        nudges::count(&mut tx, couple.id).await?;
        let suggestion = suggestion(engine, text, analysis, None).await;
        Reply::private(
            engine
                .catalog
                .render(Key::RewordNudge, &[("suggestion", &suggestion.text)]),
        )
    };
    tx.commit().await?;
    Ok(Some(reply))
}

/// The rule suggestion, or the model's if one is configured and its
/// answer passes the same checks.
async fn suggestion(
    engine: &Engine,
    text: &str,
    analysis: &Analysis,
    feeling: Option<&str>,
) -> Suggestion {
    let rules = engine.coach.suggest(analysis, feeling);
    let Some(model) = &engine.model else {
        return rules;
    };
    match model.rewrite(text, &rules.feeling).await {
        Ok(worded) if engine.coach.is_sound(&worded) => Suggestion {
            text: worded,
            feeling: rules.feeling,
            frame: false,
        },
        // The model's words are not logged: they may echo the message.
        Ok(_) => {
            tracing::warn!("the model's suggestion failed the checks; using the rules");
            rules
        }
        Err(error) => {
            tracing::warn!(%error, "the model did not help; using the rules");
            rules
        }
    }
}

fn reasons_text(engine: &Engine, analysis: &Analysis) -> String {
    let lines: Vec<&str> = analysis
        .reasons
        .iter()
        .map(|reason| {
            engine.catalog.text(match reason {
                Reason::YouAccusation => Key::RewordReasonYou,
                Reason::Absolute => Key::RewordReasonAbsolute,
                Reason::Label => Key::RewordReasonLabel,
                Reason::Disguised => Key::RewordReasonDisguised,
                Reason::Rhetorical => Key::RewordReasonRhetorical,
                Reason::Contempt => Key::RewordReasonContempt,
                Reason::Command => Key::RewordReasonCommand,
                Reason::Past => Key::RewordReasonPast,
            })
        })
        .collect();
    lines.join("\n")
}

/// Crisis help: the admin's resources, else general advice.
pub(super) fn crisis_text(engine: &Engine) -> String {
    let resources = if engine.policy.crisis_resources.is_empty() {
        engine.catalog.text(Key::RewordCrisisResources).to_owned()
    } else {
        engine
            .policy
            .crisis_resources
            .iter()
            .map(|line| format!("• {line}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    engine
        .catalog
        .render(Key::RewordCrisis, &[("resources", &resources)])
}

/// `reword nudges [on|off]`: both partners must opt in; either can opt out.
pub(super) async fn nudges_setting(
    ctx: &mut Ctx<'_>,
    setting: Option<bool>,
) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    let Some(on) = setting else {
        let (consented, total) = nudges::consent(ctx.tx, couple.id).await?;
        let mine = nudges::has_consented(ctx.tx, couple.id, ctx.me.id).await?;
        let text = match (consented == total, mine) {
            (true, _) => {
                let count = nudges::total(ctx.tx, couple.id).await?;
                ctx.say(Key::RewordNudgesStatusOn, &[("count", &count.to_string())])
            }
            (false, true) => ctx.say(Key::RewordNudgesStatusWaiting, &[]),
            (false, false) => ctx.say(Key::RewordNudgesStatusOff, &[]),
        };
        return Ok(vec![Outgoing::to_requester(Reply::private(text))]);
    };
    let was_on = {
        let (consented, total) = nudges::consent(ctx.tx, couple.id).await?;
        consented == total
    };
    nudges::set_consent(ctx.tx, couple.id, ctx.me.id, on).await?;
    let (consented, total) = nudges::consent(ctx.tx, couple.id).await?;
    let me = ctx.actor.display_name.as_str();
    let (to_me, to_partner) = match (on, consented == total) {
        (true, true) => (
            ctx.say(Key::RewordNudgesOn, &[]),
            Some(Reply::private(
                ctx.say(Key::RewordNudgesStarted, &[("partner", me)]),
            )),
        ),
        (true, false) => {
            let choice = Choice::new(
                ctx.say(Key::RewordNudgesChoiceAgree, &[]),
                "reword nudges on",
            );
            let ask = ctx.say(Key::RewordNudgesAsk, &[("partner", me)]);
            (
                ctx.say(
                    Key::RewordNudgesWaiting,
                    &[("partner", &partner.display_name)],
                ),
                Some(Reply::private(ask).with_choices(vec![choice])),
            )
        }
        (false, _) => (
            ctx.say(Key::RewordNudgesOff, &[]),
            was_on
                .then(|| Reply::private(ctx.say(Key::RewordNudgesOffPartner, &[("partner", me)]))),
        ),
    };
    let mut outgoing = vec![Outgoing::to_requester(Reply::private(to_me))];
    outgoing.extend(to_partner.map(|reply| Outgoing::to_user(partner.user, reply)));
    Ok(outgoing)
}
