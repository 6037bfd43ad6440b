//! `checkin history`: recent rounds, the rating trend in words, and a chart.

use super::super::Ctx;
use crate::chart::{self, Series};
use crate::engine::message::{Attachment, Outgoing, Reply};
use crate::error::EngineResult;
use crate::prompts::Key;
use crate::store::rounds::{self, RoundStatus};
use crate::store::users;

/// How many recent rounds the history shows.
const RECENT: i64 = 12;
/// A change of average rating below this is "steady".
const TREND_THRESHOLD: f64 = 0.5;

pub(super) async fn show(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let members = users::in_couple(ctx.tx, couple.id).await?;
    let mut recent = rounds::recent(ctx.tx, couple.id, RECENT).await?;
    if recent.is_empty() {
        return Ok(vec![Outgoing::to_requester(Reply::private(
            ctx.say(Key::CheckinHistoryEmpty, &[]),
        ))]);
    }
    recent.reverse(); // oldest first, as a chart reads
    let zone = ctx.zone_of(&ctx.me);
    let mut lines = vec![ctx.say(Key::CheckinHistoryHeader, &[])];
    let mut series: Vec<Series> = members
        .iter()
        .map(|m| Series {
            name: m.display_name.clone(),
            points: Vec::new(),
        })
        .collect();
    let mut averages = Vec::new();
    for (index, round) in recent.iter().enumerate() {
        let date = ctx.engine.format_time(round.opened_at, zone);
        if round.status == RoundStatus::Missed {
            lines.push(ctx.say(Key::CheckinHistoryMissed, &[("date", &date)]));
            continue;
        }
        let answers = rounds::answers(ctx.tx, round.id).await?;
        let mut ratings = Vec::new();
        for (member, series) in members.iter().zip(series.iter_mut()) {
            let rating = answers
                .iter()
                .find(|a| a.user_id == member.id)
                .map(|a| a.rating);
            if let Some(rating) = rating {
                series.points.push((index, rating));
            }
            let shown = rating.map_or_else(|| "–".to_owned(), |r| r.to_string());
            ratings.push(format!("{} {shown}", member.display_name));
        }
        if !answers.is_empty() {
            averages
                .push(answers.iter().map(|a| a.rating as f64).sum::<f64>() / answers.len() as f64);
        }
        lines.push(ctx.say(
            Key::CheckinHistoryLine,
            &[
                ("date", &date),
                ("question", &round.question),
                ("ratings", &ratings.join(" · ")),
            ],
        ));
    }
    if let Some(key) = trend(&averages) {
        lines.push(ctx.say(key, &[]));
    }
    let mut reply = Reply::private(lines.join("\n"));
    if series.iter().any(|s| !s.points.is_empty()) {
        let title = ctx.say(Key::CheckinChartTitle, &[]);
        let png = chart::ratings_png(&title, &series, recent.len())?;
        reply.attachment = Some(Attachment {
            filename: "checkin-trend.png".to_owned(),
            mime_type: "image/png".to_owned(),
            bytes: png,
        });
    }
    Ok(vec![Outgoing::to_requester(reply)])
}

/// Rising, steady or falling: the newer half of the rounds against the older.
fn trend(averages: &[f64]) -> Option<Key> {
    if averages.len() < 2 {
        return None;
    }
    let half = averages.len() / 2;
    let mean = |values: &[f64]| values.iter().sum::<f64>() / values.len() as f64;
    let change = mean(&averages[half..]) - mean(&averages[..half]);
    Some(if change > TREND_THRESHOLD {
        Key::CheckinTrendRising
    } else if change < -TREND_THRESHOLD {
        Key::CheckinTrendFalling
    } else {
        Key::CheckinTrendSteady
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trend_compares_newer_with_older_rounds() {
        assert_eq!(trend(&[5.0]), None);
        assert_eq!(trend(&[4.0, 5.0, 7.0, 8.0]), Some(Key::CheckinTrendRising));
        assert_eq!(trend(&[8.0, 8.0, 5.0]), Some(Key::CheckinTrendFalling));
        assert_eq!(trend(&[6.0, 6.5, 6.0, 6.2]), Some(Key::CheckinTrendSteady));
    }
}
