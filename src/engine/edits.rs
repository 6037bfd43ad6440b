//! An edited message (Matrix's `m.replace`): the engine decides what an
//! edit may change. An edited check-in answer is the answer again, which
//! replaces the earlier one while the round is open (answers may change
//! until the reveal, and after it the usual "closed" answer says so);
//! every other edit changes nothing and says so, so that a slip of the
//! keyboard in an old line never acts twice.

use super::Engine;
use super::command::{CheckinCommand, Command};
use super::message::{Actor, Place, Request};
use crate::domain::Reply;
use crate::prompts::Key;

impl Engine {
    /// Handles the new text of an edited command line.
    pub async fn handle_edit(&self, actor: Actor, place: Place, text: &str) -> Vec<Reply> {
        match Command::parse(text) {
            Ok(command @ Command::Checkin(CheckinCommand::Answer { .. })) => {
                self.handle(Request {
                    actor,
                    place,
                    command,
                })
                .await
            }
            _ => vec![Reply::private(self.catalog().text(Key::EditIgnored))],
        }
    }
}
