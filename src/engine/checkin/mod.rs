//! Check-ins, the heart of rapport: a schedule both partners agreed to,
//! rounds that ask each partner privately, and a reveal only when both have
//! answered (or at the round's close).
//!
//! - [`schedule`]: the couple's commands about the schedule, and status.
//! - [`round`]: asking, answering and revealing.
//! - [`firing`]: what the scheduler runs: due schedules, closes, nudges.
//! - [`timing`]: pure DST-aware planning of occurrences and downtime.
//! - [`questions`]: decks by theme without repeats.
//! - [`quiet`]: when each question may go out, outside quiet hours.
//! - [`history`]: recent rounds, the rating trend and its chart.

pub mod firing;
pub mod history;
pub mod questions;
mod quiet;
pub mod round;
pub mod schedule;
pub mod timing;

use super::Ctx;
use super::command::CheckinCommand;
use super::message::Outgoing;
use crate::error::EngineResult;

pub(super) async fn run(
    ctx: &mut Ctx<'_>,
    command: &CheckinCommand,
) -> EngineResult<Vec<Outgoing>> {
    match command {
        CheckinCommand::Status => schedule::status(ctx).await,
        CheckinCommand::Schedule {
            recurrence,
            kind,
            theme,
        } => schedule::propose(ctx, recurrence, *kind, theme.as_deref()).await,
        CheckinCommand::Accept => schedule::accept(ctx).await,
        CheckinCommand::Decline => schedule::decline(ctx).await,
        CheckinCommand::Pause { until } => schedule::pause(ctx, *until).await,
        CheckinCommand::Resume => schedule::resume(ctx).await,
        CheckinCommand::Skip => schedule::skip(ctx).await,
        CheckinCommand::Stop => schedule::stop(ctx).await,
        CheckinCommand::Now => round::now(ctx).await,
        CheckinCommand::Answer {
            round,
            rating,
            text,
        } => round::answer(ctx, *round, *rating, text.as_deref()).await,
        CheckinCommand::History => history::show(ctx).await,
    }
}
