//! `checkin history`: recent rounds, the rating trend in words, and a chart.

use chrono_tz::Tz;

use super::super::Ctx;
use crate::chart::{self, Series};
use crate::domain::{Attachment, Reply};
use crate::engine::message::Outgoing;
use crate::error::EngineResult;
use crate::prompts::Key;
use crate::store::Tx;
use crate::store::rounds::{self, Answer, Round, RoundStatus};
use crate::store::users::{self, User};

/// How many recent rounds the history shows.
const RECENT: i64 = 12;
/// A change of average rating below this is "steady".
const TREND_THRESHOLD: f64 = 0.5;

/// The couple's recent rounds with their answers, oldest first, and each
/// partner's rating series for the chart.
pub(crate) struct RatingTrend {
    pub rounds: Vec<(Round, Vec<Answer>)>,
    pub series: Vec<Series>,
    /// The average rating of each answered round, oldest first.
    pub averages: Vec<f64>,
}

impl RatingTrend {
    pub async fn load(
        tx: &mut Tx,
        couple_id: i64,
        members: &[User],
    ) -> anyhow::Result<RatingTrend> {
        let mut recent = rounds::recent(tx, couple_id, RECENT).await?;
        recent.reverse(); // oldest first, as a chart reads
        let mut series: Vec<Series> = members
            .iter()
            .map(|m| Series {
                name: m.display_name.clone(),
                points: Vec::new(),
            })
            .collect();
        let mut averages = Vec::new();
        let mut with_answers = Vec::new();
        for (index, round) in recent.into_iter().enumerate() {
            let answers = rounds::answers(tx, round.id).await?;
            for (member, series) in members.iter().zip(series.iter_mut()) {
                if let Some(answer) = answers.iter().find(|a| a.user_id == member.id) {
                    series.points.push((index, answer.rating));
                }
            }
            if !answers.is_empty() {
                averages.push(
                    answers.iter().map(|a| a.rating as f64).sum::<f64>() / answers.len() as f64,
                );
            }
            with_answers.push((round, answers));
        }
        Ok(RatingTrend {
            rounds: with_answers,
            series,
            averages,
        })
    }

    /// Rising, steady or falling, when there is enough to tell.
    pub fn trend(&self) -> Option<Key> {
        trend(&self.averages)
    }

    /// The chart as a PNG attachment, when any rating exists; each round
    /// is labelled with its day (`day_format`) in `zone`.
    pub fn chart(
        &self,
        title: &str,
        day_format: &str,
        zone: Tz,
    ) -> anyhow::Result<Option<Attachment>> {
        if self.series.iter().all(|s| s.points.is_empty()) {
            return Ok(None);
        }
        let days: Vec<String> = self
            .rounds
            .iter()
            .map(|(round, _)| {
                round
                    .opened_at
                    .with_timezone(&zone)
                    .format(day_format)
                    .to_string()
            })
            .collect();
        let png = chart::ratings_png(title, &self.series, &days)?;
        Ok(Some(Attachment {
            filename: "checkin-trend.png".to_owned(),
            mime_type: "image/png".to_owned(),
            bytes: png,
        }))
    }
}

pub(super) async fn show(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let couple = ctx.my_couple().await?;
    let members = users::in_couple(ctx.tx, couple.id).await?;
    let history = RatingTrend::load(ctx.tx, couple.id, &members).await?;
    if history.rounds.is_empty() {
        return Ok(vec![Outgoing::to_requester(Reply::private(
            ctx.say(Key::CheckinHistoryEmpty, &[]),
        ))]);
    }
    let zone = ctx.zone_of(&ctx.me);
    let mut lines = vec![ctx.say(Key::CheckinHistoryHeader, &[])];
    for (round, answers) in &history.rounds {
        let date = ctx.engine.format_time(round.opened_at, zone);
        if round.status == RoundStatus::Missed {
            lines.push(ctx.say(Key::CheckinHistoryMissed, &[("date", &date)]));
            continue;
        }
        let ratings: Vec<String> = members
            .iter()
            .map(|member| {
                let rating = answers.iter().find(|a| a.user_id == member.id);
                let shown = rating.map_or_else(|| "–".to_owned(), |a| a.rating.to_string());
                format!("{} {shown}", member.display_name)
            })
            .collect();
        lines.push(ctx.say(
            Key::CheckinHistoryLine,
            &[
                ("date", &date),
                ("question", &round.question),
                ("ratings", &ratings.join(" · ")),
            ],
        ));
    }
    if let Some(key) = history.trend() {
        lines.push(ctx.say(key, &[]));
    }
    let mut reply = Reply::private(lines.join("\n"));
    let day_format = ctx.engine.catalog().text(Key::FormatChartDay);
    reply.attachment = history.chart(&ctx.say(Key::CheckinChartTitle, &[]), day_format, zone)?;
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
