//! One check-in round: asking the question, taking private answers, and
//! revealing both together — or, at the deadline, whatever exists.

use chrono::{DateTime, Utc};

use super::questions;
use super::quiet::AskTimes;
use crate::domain::CheckinKind;
use crate::domain::text::{QUOTE_INDENT, indent_continuation};
use crate::domain::{Choice, Destination, Reply};
use crate::engine::message::{Outgoing, Queued};
use crate::engine::{Ctx, Engine};
use crate::error::{EngineResult, UserError};
use crate::prompts::Key;
use crate::store::couples::{self, Couple};
use crate::store::rounds::{self, Answer, NewRound, Round, RoundStatus};
use crate::store::users::{self, User};
use crate::store::{Tx, consent, journal};

/// What a round is opened for.
pub struct RoundSpec<'a> {
    pub schedule_id: Option<i64>,
    pub occurrence: &'a str,
    pub kind: CheckinKind,
    pub deck: &'a str,
}

/// Opens a round and returns the questions to send, or `None` if the round
/// for this occurrence already exists.
pub async fn open(
    engine: &Engine,
    tx: &mut Tx,
    couple: &Couple,
    spec: RoundSpec<'_>,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<(Round, Vec<Queued>)>> {
    let question = questions::pick(engine, tx, couple.id, spec.deck).await?;
    let policy = engine.policy();
    let members = users::in_couple(tx, couple.id).await?;
    let asks = AskTimes::plan(couple, spec.kind, &members, now);
    let closes_at = asks.latest() + policy.round_duration;
    let nudge_at = Some(asks.latest() + policy.nudge_after).filter(|at| *at < closes_at);
    let created = rounds::create(
        tx,
        NewRound {
            couple_id: couple.id,
            schedule_id: spec.schedule_id,
            occurrence: spec.occurrence,
            status: RoundStatus::Open,
            kind: spec.kind,
            deck: spec.deck,
            question: &question,
            opened_at: now,
            closes_at,
            nudge_at,
        },
    )
    .await?;
    let Some(round) = created else {
        return Ok(None);
    };
    let mut messages = ask(engine, couple, &round, &members, &asks);
    messages.extend(shared_journal(engine, tx, couple, &round, &members).await?);
    Ok(Some((round, messages)))
}

/// Journal entries a partner chose to share into this round: to the space,
/// or to the other partner privately when there is none.
async fn shared_journal(
    engine: &Engine,
    tx: &mut Tx,
    couple: &Couple,
    round: &Round,
    members: &[User],
) -> anyhow::Result<Vec<Queued>> {
    let entries = journal::take_shared(tx, couple.id, round.id).await?;
    let mut messages = Vec::new();
    for entry in entries {
        let Some(author) = members.iter().find(|m| m.id == entry.user_id) else {
            continue; // the author left the couple since; it stays private
        };
        let text = engine.catalog().render(
            Key::JournalSharedInRound,
            &[
                ("author", &author.display_name),
                ("text", &indent_continuation(&entry.text, QUOTE_INDENT)),
            ],
        );
        let key = format!("round:{}:journal:{}", round.id, entry.id);
        match &couple.space {
            Some(space) => messages.push(
                Queued::new(key, Destination::Space(space.clone()), Reply::public(text))
                    .by([author.id])
                    .quoting(entry.id)
                    .couple_only(),
            ),
            None => messages.extend(members.iter().filter(|m| m.id != author.id).map(|m| {
                let to = Destination::User(m.user.clone());
                Queued::new(format!("{key}:{}", m.id), to, Reply::private(text.clone()))
                    .by([author.id])
                    .quoting(entry.id)
            })),
        }
    }
    Ok(messages)
}

/// The question, to the space (shared kind) or to each partner privately.
fn ask(
    engine: &Engine,
    couple: &Couple,
    round: &Round,
    members: &[User],
    asks: &AskTimes,
) -> Vec<Queued> {
    let texts = engine.catalog();
    let closes = |zone| engine.format_time(round.closes_at, zone);
    let ratings: Vec<Choice> = (1..=10)
        .map(|n| {
            Choice::new(
                n.to_string(),
                format!("checkin answer round:{} {n}", round.id),
            )
            .with_note(texts.text(Key::CheckinAnswerNote))
        })
        .collect();
    match (&couple.space, round.kind) {
        (Some(space), CheckinKind::Shared) => {
            let text = texts.render(
                Key::CheckinAskShared,
                &[
                    ("question", &round.question),
                    ("closes", &closes(couple.time_zone)),
                ],
            );
            // The question is shared; the answers are not: a rating picked
            // in the space would show before the reveal, so each partner
            // answers from a private note.
            let mut asked = vec![
                Queued::new(
                    format!("round:{}:ask:space", round.id),
                    Destination::Space(space.clone()),
                    Reply::public(text).notifying(),
                )
                .not_before(asks.space),
            ];
            asked.extend(members.iter().map(|member| {
                let text = texts.render(Key::CheckinAnswerHere, &[("question", &round.question)]);
                Queued::new(
                    format!("round:{}:answer:{}", round.id, member.id),
                    Destination::User(member.user.clone()),
                    Reply::private(text)
                        .with_choices(ratings.clone())
                        .notifying(),
                )
                .not_before(asks.for_member(member.id).unwrap_or(asks.space))
            }));
            asked
        }
        _ => members
            .iter()
            .map(|member| {
                let zone = member.time_zone.unwrap_or(couple.time_zone);
                let text = texts.render(
                    Key::CheckinAskPrivate,
                    &[("question", &round.question), ("closes", &closes(zone))],
                );
                let queued = Queued::new(
                    format!("round:{}:ask:{}", round.id, member.id),
                    Destination::User(member.user.clone()),
                    Reply::private(text)
                        .with_choices(ratings.clone())
                        .notifying(),
                );
                match asks.for_member(member.id) {
                    Some(at) => queued.not_before(at),
                    None => queued,
                }
            })
            .collect(),
    }
}

/// `checkin answer`: saves a private answer; reveals when both answered.
pub(super) async fn answer(
    ctx: &mut Ctx<'_>,
    asked: Option<i64>,
    rating: u8,
    text: Option<&str>,
) -> EngineResult<Vec<Outgoing>> {
    // Typed where the partner (or anyone) reads along, an answer would
    // show before the reveal: answers come to rapport directly.
    let couple = ctx.my_couple().await?;
    if ctx.actor.words_seen_in(ctx.place) {
        return Err(UserError::AnswerPrivateOnly.into());
    }
    let open = rounds::open_for_couple(ctx.tx, couple.id).await?;
    let round = match (open, asked) {
        // A button from an earlier question never answers today's.
        (Some(round), Some(asked)) if round.id != asked => {
            return Err(UserError::RoundClosed.into());
        }
        (None, Some(_)) => return Err(UserError::RoundClosed.into()),
        (Some(round), _) => round,
        (None, None) => return Err(UserError::NoOpenRound.into()),
    };
    rounds::save_answer(ctx.tx, round.id, ctx.me.id, rating, text, ctx.now).await?;
    let members = users::in_couple(ctx.tx, couple.id).await?;
    let answers = rounds::answers(ctx.tx, round.id).await?;
    let everyone = members
        .iter()
        .all(|m| answers.iter().any(|a| a.user_id == m.id));
    if !everyone {
        let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
        let waiting = ctx.say(
            Key::CheckinAnswerWaiting,
            &[("partner", &partner.display_name)],
        );
        return Ok(vec![Outgoing::to_requester(Reply::private(waiting))]);
    }
    rounds::finish(ctx.tx, round.id, RoundStatus::Revealed, ctx.now).await?;
    let reveal = reveal_messages(ctx.engine, &couple, &round, &members, &answers, true);
    let mut outgoing = vec![Outgoing::to_requester(Reply::private(
        ctx.say(Key::CheckinAnswerThanks, &[]),
    ))];
    outgoing.extend(reveal.into_iter().map(Outgoing::from));
    Ok(outgoing)
}

/// The reveal: in the space, or to each partner privately if there is none.
/// `complete` is false when the round closed before both answered.
pub fn reveal_messages(
    engine: &Engine,
    couple: &Couple,
    round: &Round,
    members: &[User],
    answers: &[Answer],
    complete: bool,
) -> Vec<Queued> {
    let text = reveal_text(engine, round, members, answers, complete);
    let suffix = if complete { "reveal" } else { "close" };
    match &couple.space {
        Some(space) => vec![
            Queued::new(
                format!("round:{}:{suffix}:space", round.id),
                Destination::Space(space.clone()),
                Reply::public(text),
            )
            .by(answers.iter().map(|a| a.user_id))
            .couple_only(),
        ],
        None => members
            .iter()
            .map(|member| {
                Queued::new(
                    format!("round:{}:{suffix}:{}", round.id, member.id),
                    Destination::User(member.user.clone()),
                    Reply::private(text.clone()),
                )
                .by(answers.iter().map(|a| a.user_id))
            })
            .collect(),
    }
}

fn reveal_text(
    engine: &Engine,
    round: &Round,
    members: &[User],
    answers: &[Answer],
    complete: bool,
) -> String {
    let texts = engine.catalog();
    let header = if complete {
        Key::CheckinRevealHeader
    } else {
        Key::CheckinClosedHeader
    };
    let mut lines = vec![texts.render(header, &[("question", &round.question)])];
    for member in members {
        let Some(answer) = answers.iter().find(|a| a.user_id == member.id) else {
            continue;
        };
        let rating = answer.rating.to_string();
        let name = member.display_name.as_str();
        lines.push(match &answer.answer {
            Some(text) => texts.render(
                Key::CheckinRevealLine,
                &[
                    ("name", name),
                    ("rating", &rating),
                    ("answer", &indent_continuation(text, QUOTE_INDENT)),
                ],
            ),
            None => texts.render(
                Key::CheckinRevealLineRatingOnly,
                &[("name", name), ("rating", &rating)],
            ),
        });
    }
    if complete {
        let tips = texts.list("tips.listening").unwrap_or_default();
        if !tips.is_empty() {
            let tip =
                engine.with_rng(|rng| tips[rand::Rng::random_range(rng, 0..tips.len())].clone());
            lines.push(texts.render(Key::CheckinRevealTip, &[("tip", &tip)]));
        }
    } else if answers.is_empty() {
        lines.push(texts.text(Key::CheckinClosedNone).to_owned());
    } else {
        let missing: Vec<&str> = members
            .iter()
            .filter(|m| !answers.iter().any(|a| a.user_id == m.id))
            .map(|m| m.display_name.as_str())
            .collect();
        lines.push(texts.render(
            Key::CheckinClosedPartial,
            &[("missing", &missing.join(", "))],
        ));
    }
    lines.join("\n")
}

/// How long a request for a check-in now waits for the partner.
const NOW_REQUEST_LASTS: chrono::Duration = chrono::Duration::hours(24);

/// Whether the partner asked for a check-in now lately (then this is the
/// second yes, and the request is used up).
async fn partner_asked_too(ctx: &mut Ctx<'_>, couple_id: i64) -> EngineResult<bool> {
    let asked = consent::now_request(ctx.tx, couple_id).await?;
    let fresh = asked.is_some_and(|(by, at)| by != ctx.me.id && ctx.now - at < NOW_REQUEST_LASTS);
    if fresh {
        consent::clear_now_request(ctx.tx, couple_id).await?;
    }
    Ok(fresh)
}

/// Asks the partner whether now is a good time for a check-in.
async fn ask_for_now(ctx: &mut Ctx<'_>, couple_id: i64) -> EngineResult<Vec<Outgoing>> {
    consent::request_now(ctx.tx, couple_id, ctx.me.id, ctx.now).await?;
    let partner = couples::partner_of(ctx.tx, couple_id, ctx.me.id).await?;
    let to_me = ctx.say(Key::CheckinNowAsked, &[("partner", &partner.display_name)]);
    let to_partner = ctx.say(
        Key::CheckinNowAskedPartner,
        &[("partner", &ctx.actor.display_name)],
    );
    Ok(ctx.ask_partner(
        to_me,
        partner.user,
        to_partner,
        &[(Key::CheckinNowChoiceYes, "checkin now".to_owned())],
    ))
}

/// `checkin now`: a round outside the schedule, asked at once.
pub(super) async fn now(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    if rounds::open_for_couple(ctx.tx, couple.id).await?.is_some() {
        return Err(UserError::RoundAlreadyOpen.into());
    }
    let schedule = crate::store::schedules::for_couple(
        ctx.tx,
        couple.id,
        crate::store::schedules::ScheduleStatus::Active,
    )
    .await?;
    // An agreed schedule that runs is consent to check in; without one, or
    // while it is paused, both say so.
    let paused = schedule
        .as_ref()
        .is_some_and(|s| s.paused_until.is_some_and(|until| until > ctx.now));
    if (schedule.is_none() || paused) && !partner_asked_too(ctx, couple.id).await? {
        return ask_for_now(ctx, couple.id).await;
    }
    let (kind, deck) = schedule
        .as_ref()
        .map(|s| (s.kind, s.deck.clone()))
        .unwrap_or((CheckinKind::Private, questions::ALL_THEMES.to_owned()));
    let occurrence = format!("now:{}", ctx.now.timestamp());
    let spec = RoundSpec {
        schedule_id: None,
        occurrence: &occurrence,
        kind,
        deck: &deck,
    };
    let opened = open(ctx.engine, ctx.tx, &couple, spec, ctx.now).await?;
    let Some((_, messages)) = opened else {
        return Err(UserError::RoundAlreadyOpen.into());
    };
    let mut outgoing = vec![Outgoing::to_requester(Reply::private(
        ctx.say(Key::CheckinNowStarted, &[]),
    ))];
    outgoing.extend(messages.into_iter().map(Outgoing::from));
    Ok(outgoing)
}
