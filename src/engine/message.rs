//! Protocol-neutral request and reply types: the only language adapters and
//! the engine share.
//!
//! An adapter turns a slash command, a `!rapport` line or a console line into a
//! [`Request`] and renders each [`Outgoing`] in its protocol's idiom. Nothing
//! here names Discord or Matrix types; platforms are plain identifiers.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The chat platform a person or a space lives on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Discord,
    Matrix,
    Console,
}

impl Platform {
    /// The stable name stored in the database and used in `platform:id` refs.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Discord => "discord",
            Platform::Matrix => "matrix",
            Platform::Console => "console",
        }
    }

    /// Parses the stored name back; `None` for anything unknown.
    pub fn parse(name: &str) -> Option<Platform> {
        match name {
            "discord" => Some(Platform::Discord),
            "matrix" => Some(Platform::Matrix),
            "console" => Some(Platform::Console),
            _ => None,
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One person on one platform, e.g. `discord:1234` or `matrix:@ana:example.org`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserRef {
    pub platform: Platform,
    /// The platform's own id for the person (snowflake, MXID, console name).
    pub id: String,
}

impl UserRef {
    pub fn new(platform: Platform, id: impl Into<String>) -> UserRef {
        UserRef {
            platform,
            id: id.into(),
        }
    }
}

impl fmt::Display for UserRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.platform, self.id)
    }
}

/// A shared place on one platform: a Discord channel or thread, a Matrix room.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SpaceRef {
    pub platform: Platform,
    pub id: String,
}

impl SpaceRef {
    pub fn new(platform: Platform, id: impl Into<String>) -> SpaceRef {
        SpaceRef {
            platform,
            id: id.into(),
        }
    }
}

impl fmt::Display for SpaceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.platform, self.id)
    }
}

/// Where a request was made: in a shared space, or privately with the bot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    Space(SpaceRef),
    Direct,
}

/// Who is acting: the platform identity plus the name to show to a partner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user: UserRef,
    /// The name the platform shows for this person; refreshed on every request.
    pub display_name: String,
    /// Whether the platform lets this person moderate the place (Discord:
    /// Manage Server; Matrix: power level 50 or more). Adapters set it from
    /// the platform; space settings require it.
    pub moderator: bool,
    /// Names the platform showed with this request for other people it
    /// names (a Discord user option), for someone rapport has not met yet.
    pub named_others: Vec<(UserRef, String)>,
}

impl Actor {
    pub fn new(user: UserRef, display_name: impl Into<String>) -> Actor {
        Actor {
            user,
            display_name: display_name.into(),
            moderator: false,
            named_others: Vec::new(),
        }
    }

    pub fn with_moderator(mut self, moderator: bool) -> Actor {
        self.moderator = moderator;
        self
    }

    pub fn with_named_others(mut self, named: Vec<(UserRef, String)>) -> Actor {
        self.named_others = named;
        self
    }

    /// The name the platform showed for `user` with this request, if any.
    pub fn name_shown_for(&self, user: &UserRef) -> Option<&str> {
        self.named_others
            .iter()
            .find(|(named, _)| named == user)
            .map(|(_, name)| name.as_str())
    }
}

/// Something a person asked the bot to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request<C> {
    pub actor: Actor,
    pub place: Place,
    pub command: C,
}

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
}

impl Choice {
    pub fn new(label: impl Into<String>, command: impl Into<String>) -> Choice {
        Choice {
            label: label.into(),
            command: command.into(),
            note: None,
        }
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
        }
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

/// Who should receive a reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recipient {
    /// The person who made the request, where they made it (private replies
    /// become ephemeral or move to a direct room).
    Requester,
    /// A direct message to one person.
    User(UserRef),
    /// A couple's shared space.
    Space(SpaceRef),
}

/// Where a message goes when nobody is waiting for a reply: the outbox's
/// recipients.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Destination {
    User(UserRef),
    Space(SpaceRef),
}

impl Destination {
    pub fn platform(&self) -> Platform {
        match self {
            Destination::User(user) => user.platform,
            Destination::Space(space) => space.platform,
        }
    }
}

impl From<Destination> for Recipient {
    fn from(destination: Destination) -> Recipient {
        match destination {
            Destination::User(user) => Recipient::User(user),
            Destination::Space(space) => Recipient::Space(space),
        }
    }
}

/// One message the engine wants delivered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    pub to: Recipient,
    pub reply: Reply,
}

impl Outgoing {
    pub fn to_requester(reply: Reply) -> Outgoing {
        Outgoing {
            to: Recipient::Requester,
            reply,
        }
    }

    pub fn to_user(user: UserRef, reply: Reply) -> Outgoing {
        Outgoing {
            to: Recipient::User(user),
            reply,
        }
    }

    pub fn to_space(space: SpaceRef, reply: Reply) -> Outgoing {
        Outgoing {
            to: Recipient::Space(space),
            reply,
        }
    }
}
