//! The private journal: entries only their author can read, written to the
//! bot privately. The author may share one entry into the couple's next
//! check-in round, where it is shown when that round opens. Editing the
//! message that wrote an entry changes the entry until it has been shown.

use super::Ctx;
use super::command::JournalCommand;
use super::message::{Outgoing, Source};
use crate::domain::Reply;
use crate::domain::text::{QUOTE_INDENT, indent_continuation};
use crate::error::{EngineResult, UserError};
use crate::prompts::Key;
use crate::store::couples;
use crate::store::journal;
use crate::store::outbox::{self, Carrying};

/// How many entries `journal list` shows.
const RECENT: i64 = 10;
/// Longest entry, in characters, shown in full in the list.
const PREVIEW_CHARS: usize = 80;

pub(super) async fn run(
    ctx: &mut Ctx<'_>,
    command: &JournalCommand,
) -> EngineResult<Vec<Outgoing>> {
    match command {
        JournalCommand::List => list(ctx).await,
        JournalCommand::Read(id) => read(ctx, *id).await,
        JournalCommand::Write(text) => write(ctx, text).await,
        JournalCommand::Share(id) => share(ctx, *id, true).await,
        JournalCommand::Unshare(id) => share(ctx, *id, false).await,
        JournalCommand::Delete(id) => delete(ctx, *id).await,
    }
}

fn reply(text: String) -> EngineResult<Vec<Outgoing>> {
    Ok(vec![Outgoing::to_requester(Reply::private(text))])
}

async fn write(ctx: &mut Ctx<'_>, text: &str) -> EngineResult<Vec<Outgoing>> {
    // Typed in a shared room, the words would already be in front of the
    // partner: a journal is written to the bot directly.
    if ctx.actor.words_seen_in(ctx.place) {
        return Err(UserError::JournalPrivateOnly.into());
    }
    let written_by = match ctx.source {
        Source::Edit(message) => return rewrite(ctx, message, text).await,
        Source::New(message) => Some(message.as_str()),
        Source::Unknown => None,
    };
    let entry = journal::write(ctx.tx, ctx.me.id, text, written_by, ctx.now).await?;
    reply(ctx.say(Key::JournalWritten, &[("id", &entry.number.to_string())]))
}

/// The message that wrote an entry was edited: the entry takes the new
/// words, unless a check-in has already shown it.
async fn rewrite(ctx: &mut Ctx<'_>, message: &str, text: &str) -> EngineResult<Vec<Outgoing>> {
    let entry = journal::written_by(ctx.tx, ctx.me.id, message)
        .await?
        .ok_or(UserError::JournalEditGone)?;
    let id = entry.number.to_string();
    if entry.shared_round_id.is_some() {
        return Err(UserError::JournalAlreadyShown(entry.number).into());
    }
    journal::set_text(ctx.tx, entry.id, text).await?;
    reply(ctx.say(Key::JournalEdited, &[("id", &id)]))
}

async fn share(ctx: &mut Ctx<'_>, id: i64, on: bool) -> EngineResult<Vec<Outgoing>> {
    let entry = journal::get_own(ctx.tx, ctx.me.id, id)
        .await?
        .ok_or(UserError::JournalNotFound)?;
    let id = entry.number.to_string();
    if !on {
        journal::set_share(ctx.tx, entry.id, None).await?;
        return reply(ctx.say(Key::JournalUnshared, &[("id", &id)]));
    }
    let couple = ctx.my_couple().await?;
    journal::set_share(ctx.tx, entry.id, Some(couple.id)).await?;
    let partner = couples::partner_of(ctx.tx, couple.id, ctx.me.id).await?;
    reply(ctx.say(
        Key::JournalShareQueued,
        &[("id", &id), ("partner", &partner.display_name)],
    ))
}

async fn delete(ctx: &mut Ctx<'_>, number: i64) -> EngineResult<Vec<Outgoing>> {
    let Some(id) = journal::delete_own(ctx.tx, ctx.me.id, number).await? else {
        return Err(UserError::JournalNotFound.into());
    };
    // Shared into a check-in, the entry was posted: take every copy down.
    outbox::retract(ctx.tx, Carrying::JournalEntry(id), ctx.now).await?;
    reply(ctx.say(Key::JournalDeleted, &[("id", &number.to_string())]))
}

async fn read(ctx: &mut Ctx<'_>, id: i64) -> EngineResult<Vec<Outgoing>> {
    let entry = journal::get_own(ctx.tx, ctx.me.id, id)
        .await?
        .ok_or(UserError::JournalNotFound)?;
    let date = ctx
        .engine
        .format_time(entry.created_at, ctx.zone_of(&ctx.me));
    reply(ctx.say(
        Key::JournalEntry,
        &[
            ("id", &entry.number.to_string()),
            ("date", &date),
            ("text", &indent_continuation(&entry.text, QUOTE_INDENT)),
        ],
    ))
}

async fn list(ctx: &mut Ctx<'_>) -> EngineResult<Vec<Outgoing>> {
    let entries = journal::recent(ctx.tx, ctx.me.id, RECENT).await?;
    if entries.is_empty() {
        return reply(ctx.say(Key::JournalEmpty, &[]));
    }
    let zone = ctx.zone_of(&ctx.me);
    let mut lines = vec![ctx.say(Key::JournalHeader, &[])];
    let mut cut = false;
    for entry in &entries {
        let mut text: String = entry.text.chars().take(PREVIEW_CHARS).collect();
        if entry.text.chars().count() > PREVIEW_CHARS {
            text.push('…');
            cut = true;
        }
        let mut line = ctx.say(
            Key::JournalLine,
            &[
                ("id", &entry.number.to_string()),
                ("date", &ctx.engine.format_time(entry.created_at, zone)),
                ("text", &text),
            ],
        );
        if entry.share_couple_id.is_some() {
            line.push_str(&ctx.say(Key::JournalLineWaiting, &[]));
        } else if entry.shared_round_id.is_some() {
            line.push_str(&ctx.say(Key::JournalLineShared, &[]));
        }
        lines.push(line);
    }
    if cut {
        lines.push(ctx.say(Key::JournalReadHint, &[]));
    }
    reply(lines.join("\n"))
}
