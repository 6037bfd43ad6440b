//! What a recap says: the week's check-ins and their trend, each active
//! goal's days, the appreciations shared, and a tip from the prompts.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;

use super::{TIPS, WINDOW_DAYS};
use crate::domain::Reply;
use crate::domain::local_time::local_of;
use crate::domain::text::{QUOTE_INDENT, indent_continuation};
use crate::engine::Engine;
use crate::engine::checkin::history::RatingTrend;
use crate::engine::goals::{describe, week_start};
use crate::prompts::Key;
use crate::store::couples::Couple;
use crate::store::rounds::RoundStatus;
use crate::store::users::User;
use crate::store::{Tx, appreciations, goal_logs, goals, rounds, users};

/// The recap of the seven days before `now`, as a public message.
pub(super) async fn compose(
    engine: &Engine,
    tx: &mut Tx,
    couple: &Couple,
    now: DateTime<Utc>,
) -> anyhow::Result<Reply> {
    let texts = engine.catalog();
    let zone = couple.time_zone;
    let since = now - Duration::days(WINDOW_DAYS);
    let date = |at: DateTime<Utc>| {
        local_of(zone, at)
            .date()
            .format(texts.text(Key::FormatDate))
            .to_string()
    };
    let members = users::in_couple(tx, couple.id).await?;
    let mut lines = vec![texts.render(
        Key::RecapHeader,
        &[("from", &date(since)), ("to", &date(now))],
    )];
    let trend = RatingTrend::load(tx, couple.id, &members).await?;
    lines.extend(checkin_lines(engine, tx, couple, &trend, since).await?);
    lines.extend(goal_lines(engine, tx, couple, &members, now).await?);
    lines.extend(appreciation_lines(engine, tx, couple, &members, since).await?);
    let tips = texts.list(TIPS).unwrap_or_default();
    if !tips.is_empty() {
        let tip = &tips[engine.with_rng(|rng| rng.random_range(0..tips.len()))];
        lines.push(texts.render(Key::RecapTip, &[("tip", tip)]));
    }
    let mut reply = Reply::public(lines.join("\n"));
    reply.attachment = trend.chart(
        texts.text(Key::CheckinChartTitle),
        texts.text(Key::FormatChartDay),
        zone,
    )?;
    Ok(reply)
}

/// How many check-ins the couple answered this week, with the trend of
/// their ratings; an open round counts, its answers still hidden.
async fn checkin_lines(
    engine: &Engine,
    tx: &mut Tx,
    couple: &Couple,
    trend: &RatingTrend,
    since: DateTime<Utc>,
) -> anyhow::Result<Vec<String>> {
    let texts = engine.catalog();
    let this_week = trend
        .rounds
        .iter()
        .filter(|(round, answers)| {
            round.opened_at >= since && round.status != RoundStatus::Missed && !answers.is_empty()
        })
        .count();
    let mut lines = Vec::new();
    let open = rounds::open_for_couple(tx, couple.id).await?;
    if let Some(round) = open.as_ref().filter(|round| round.opened_at >= since) {
        let answered = rounds::answers(tx, round.id).await?.len().to_string();
        lines.push(texts.render(Key::RecapCheckinOpen, &[("answered", &answered)]));
    }
    if this_week == 0 && open.is_none() {
        lines.push(texts.render(Key::RecapNoCheckins, &[]));
    } else if this_week > 0 {
        let mut line = texts.render(Key::RecapCheckins, &[("count", &this_week.to_string())]);
        if let Some(key) = trend.trend() {
            line.push(' ');
            line.push_str(texts.text(key));
        }
        lines.push(line);
    }
    Ok(lines)
}

/// Each active goal with the days kept this week and in all.
async fn goal_lines(
    engine: &Engine,
    tx: &mut Tx,
    couple: &Couple,
    members: &[User],
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<String>> {
    let texts = engine.catalog();
    let monday = week_start(local_of(couple.time_zone, now).date());
    let active: Vec<_> = goals::open_for_couple(tx, couple.id)
        .await?
        .into_iter()
        .filter(|g| g.status == goals::GoalStatus::Active)
        .collect();
    if active.is_empty() {
        return Ok(Vec::new());
    }
    let mut lines = vec![texts.render(Key::RecapGoalsHeader, &[])];
    for goal in &active {
        let (total, week) = goal_logs::kept_days(tx, goal.id, monday).await?;
        let key = match goal.per_week {
            Some(target) if week >= target => Key::RecapGoalReached,
            _ if week == 0 => Key::RecapGoalFreshWeek,
            _ => Key::RecapGoalLine,
        };
        lines.push(texts.render(
            key,
            &[
                ("goal", &describe(engine, goal, members)),
                ("week", &week.to_string()),
                ("total", &total.to_string()),
            ],
        ));
    }
    Ok(lines)
}

/// The appreciations shared this week, each quoted with who thanked whom.
async fn appreciation_lines(
    engine: &Engine,
    tx: &mut Tx,
    couple: &Couple,
    members: &[User],
    since: DateTime<Utc>,
) -> anyhow::Result<Vec<String>> {
    let texts = engine.catalog();
    let thanks = appreciations::since(tx, couple.id, since).await?;
    if thanks.is_empty() {
        return Ok(vec![texts.render(Key::RecapNoAppreciations, &[])]);
    }
    let name_of = |id: Option<i64>| {
        members
            .iter()
            .find(|m| Some(m.id) == id)
            .map_or_else(String::new, |m| m.display_name.clone())
    };
    let mut lines = vec![texts.render(
        Key::RecapAppreciationsHeader,
        &[("count", &thanks.len().to_string())],
    )];
    for thank in &thanks {
        lines.push(texts.render(
            Key::RecapAppreciationLine,
            &[
                ("from", &name_of(Some(thank.from_user))),
                ("to", &name_of(thank.to_user)),
                ("text", &indent_continuation(&thank.text, QUOTE_INDENT)),
            ],
        ));
    }
    Ok(lines)
}
