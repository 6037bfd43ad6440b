//! What rapport says: text, choices that run a command when picked, and an
//! optional file. Stored in the outbox as JSON, so the shape is stable.

use serde::{Deserialize, Serialize};

/// A button or menu entry offered with a reply. Choosing it runs `command` as
/// if the person had typed it, so a choice needs no state in the adapter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub label: String,
    pub command: String,
    /// When set, the command takes optional free text after it, and this
    /// asks for it: an adapter that can show a form (Discord) asks before
    /// running the command; elsewhere people type it after the command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The command repeats the person's own words (the reword feeling
    /// menu): whatever remembers it keeps it in memory only, never in a
    /// store, and says it expired after a restart.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub holds_words: bool,
}

impl Choice {
    pub fn new(label: impl Into<String>, command: impl Into<String>) -> Choice {
        Choice {
            label: label.into(),
            command: command.into(),
            note: None,
            holds_words: false,
        }
    }

    /// Marks a command that repeats the person's words (see
    /// [`Choice::holds_words`]).
    pub fn holding_words(mut self) -> Choice {
        self.holds_words = true;
        self
    }

    /// Asks for optional text to follow the command (see [`Choice::note`]).
    pub fn with_note(mut self, question: impl Into<String>) -> Choice {
        self.note = Some(question.into());
        self
    }
}

/// How a reply's choices are best shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChoiceStyle {
    /// Actions or answers: buttons where the platform has them.
    #[default]
    Buttons,
    /// Alternatives to pick one from: a menu where the platform has one.
    Menu,
}

/// A file sent with a reply, such as a chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub filename: String,
    pub mime_type: String,
    pub bytes: Vec<u8>,
}

/// What the bot says: text plus optional choices and an attachment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub text: String,
    /// Private replies are shown only to their recipient: ephemeral on
    /// Discord, a direct room on Matrix.
    pub private: bool,
    pub choices: Vec<Choice>,
    #[serde(default)]
    pub choice_style: ChoiceStyle,
    pub attachment: Option<Attachment>,
    /// Something its reader must notice (a question, an invite, a nudge, a
    /// reminder): shown so that it notifies (`m.text` on Matrix, where the
    /// rest are notices that do not).
    #[serde(default)]
    pub notify: bool,
    /// For an answer to the requester: the people whose words it repeats
    /// (store ids, set by the engine). An adapter that leaves the answer
    /// standing on the platform reports where it was posted, so deleting
    /// those words can take it down. Never serialised into the outbox.
    #[serde(skip)]
    pub quotes: Vec<i64>,
    /// For an answer to the requester: the line they typed holds private
    /// words and stands in a room rapport moderates; the adapter takes it
    /// down. Never serialised into the outbox.
    #[serde(skip)]
    pub take_down_request: bool,
}

impl Reply {
    /// A reply only its recipient sees.
    pub fn private(text: impl Into<String>) -> Reply {
        Reply {
            text: text.into(),
            private: true,
            choices: Vec::new(),
            choice_style: ChoiceStyle::Buttons,
            attachment: None,
            notify: false,
            quotes: Vec::new(),
            take_down_request: false,
        }
    }

    /// Marks a reply its reader must notice (see [`Reply::notify`]).
    pub fn notifying(mut self) -> Reply {
        self.notify = true;
        self
    }

    /// A reply everyone in the place sees.
    pub fn public(text: impl Into<String>) -> Reply {
        Reply {
            private: false,
            ..Reply::private(text)
        }
    }

    pub fn with_choices(mut self, choices: Vec<Choice>) -> Reply {
        self.choices = choices;
        self
    }

    /// The choices are alternatives, best shown as a menu.
    pub fn with_menu(mut self, choices: Vec<Choice>) -> Reply {
        self.choices = choices;
        self.choice_style = ChoiceStyle::Menu;
        self
    }
}
