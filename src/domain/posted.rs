//! Where a platform shows a message rapport sent: enough to take it down
//! again (a Discord message delete, a Matrix redaction) when the words in
//! it are deleted. Kept in the outbox after the message's text is erased.

use serde::{Deserialize, Serialize};

/// The place (a Discord channel, a Matrix room) and the platform's ids of
/// the messages one delivery became (a long text is split; a file follows).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posted {
    pub place: String,
    pub ids: Vec<String>,
}

impl Posted {
    pub fn new(place: impl Into<String>) -> Posted {
        Posted {
            place: place.into(),
            ids: Vec::new(),
        }
    }

    /// Whether there is anything on the platform to take down.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}
