//! Protocol-neutral requests and the engine's answers: the only language
//! adapters and the engine share besides the [`crate::domain`] values.
//!
//! An adapter turns a slash command, a `!rapport` line or a console line into a
//! [`Request`] and renders each [`Outgoing`] in its protocol's idiom. Nothing
//! here names Discord or Matrix types.

use crate::domain::{Destination, Reply, SpaceRef, UserRef};

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
