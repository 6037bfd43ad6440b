//! Which handler runs a command, and what a command's family implies for
//! the request around it: whether the scheduler should look again, whether
//! words were erased or replaced (and must leave the write-ahead log), and the name it
//! goes by in logs and metrics.

use super::command::{Command, JournalCommand, MyDataCommand, RewordCommand};
use super::message::{self, Outgoing, Request, Source};
use super::{
    Ctx, agreements, appreciate, checkin, goals, help, journal, mydata, pairing, recap, reword,
    settings,
};
use crate::error::EngineResult;
use crate::prompts::Key;
use crate::store::users;

/// Runs a command's handler inside the request's transaction.
pub(super) async fn dispatch(ctx: &mut Ctx<'_>, command: &Command) -> EngineResult<Vec<Outgoing>> {
    Ok(match command {
        Command::Help(topic) => help::run(ctx, *topic),
        Command::Pair(command) => pairing::run(ctx, command).await?,
        Command::Settings(command) => settings::run(ctx, command).await?,
        Command::Checkin(command) => checkin::run(ctx, command).await?,
        Command::Reword(RewordCommand::Nudges(setting)) => {
            reword::nudges_setting(ctx, *setting).await?
        }
        Command::Goal(command) => {
            let outgoing = goals::run(ctx, command).await?;
            say_if_renumbered(ctx, outgoing).await?
        }
        Command::Agree(command) => {
            let outgoing = agreements::run(ctx, command).await?;
            say_if_renumbered(ctx, outgoing).await?
        }
        Command::Journal(command) => {
            let outgoing = journal::run(ctx, command).await?;
            say_if_renumbered(ctx, outgoing).await?
        }
        Command::Appreciate(command) => appreciate::run(ctx, command).await?,
        Command::Recap(command) => recap::run(ctx, command).await?,
        Command::MyData(command) => mydata::run(ctx, command).await?,
        // Answered before any transaction; kept for completeness.
        Command::Reword(RewordCommand::Suggest { text, feeling }) => {
            reword::suggest(ctx.engine, text, feeling.as_deref()).await?
        }
    })
}

/// The first answer about goals, agreements or the journal after the
/// upgrade that numbered them per couple (per person for the journal)
/// starts by saying the numbers changed, once.
async fn say_if_renumbered(
    ctx: &mut Ctx<'_>,
    mut outgoing: Vec<Outgoing>,
) -> EngineResult<Vec<Outgoing>> {
    if !users::take_renumbered(ctx.tx, ctx.me.id).await? {
        return Ok(outgoing);
    }
    let notice = ctx.say(Key::NumbersChanged, &[]);
    if let Some(answer) = outgoing
        .iter_mut()
        .find(|out| matches!(out.to, message::Recipient::Requester))
    {
        answer.reply.text = format!("{notice}\n\n{}", answer.reply.text);
    }
    Ok(outgoing)
}

/// Commands after which the scheduler should look at the store again.
pub(super) fn changes_schedules(command: &Command) -> bool {
    matches!(
        command,
        Command::Checkin(_)
            | Command::Pair(_)
            | Command::Goal(_)
            | Command::Recap(_)
            | Command::MyData(_)
            | Command::Settings(_)
    )
}

/// Requests that delete what someone wrote, or replace it (an edit).
pub(super) fn erases_words(request: &Request<Command>) -> bool {
    matches!(request.source, Source::Edit(_))
        || matches!(
            request.command,
            Command::MyData(MyDataCommand::Delete { confirmed: true })
                | Command::Journal(JournalCommand::Delete(_))
        )
}

/// Names a command's family for logs; never its arguments, which may be private.
pub(super) fn command_family(command: &Command) -> &'static str {
    match command {
        Command::Help(_) => "help",
        Command::Pair(_) => "pair",
        Command::Settings(_) => "settings",
        Command::Checkin(_) => "checkin",
        Command::Reword(_) => "reword",
        Command::Goal(_) => "goal",
        Command::Agree(_) => "agree",
        Command::Journal(_) => "journal",
        Command::Appreciate(_) => "appreciate",
        Command::Recap(_) => "recap",
        Command::MyData(_) => "mydata",
    }
}
