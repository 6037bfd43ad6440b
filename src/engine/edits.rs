//! An edited message (Matrix's `m.replace`): the engine decides what an
//! edit may change. An edited check-in answer is the answer again, which
//! replaces the earlier one while the round is open (answers may change
//! until the reveal, and after it the usual "closed" answer says so). An
//! edited `journal write` changes the entry that message wrote, until the
//! entry has been shown in a check-in. Every other edit changes nothing and
//! says so, so that a slip of the keyboard in an old line never acts twice.

use super::Engine;
use super::command::{CheckinCommand, Command, JournalCommand};
use super::message::{Actor, Place, Request, Source};
use crate::domain::Reply;
use crate::prompts::Key;

impl Engine {
    /// Handles the new text of an edited command line; `original` is the
    /// platform's id of the message that was edited.
    pub async fn handle_edit(
        &self,
        actor: Actor,
        place: Place,
        original: &str,
        text: &str,
    ) -> Vec<Reply> {
        match Command::parse(text) {
            Ok(
                command @ (Command::Checkin(CheckinCommand::Answer { .. })
                | Command::Journal(JournalCommand::Write(_))),
            ) => {
                self.handle(Request {
                    actor,
                    place,
                    command,
                    source: Source::Edit(original.to_owned()),
                })
                .await
            }
            _ => vec![Reply::private(self.catalog().text(Key::EditIgnored))],
        }
    }
}
