//! Protocol-neutral requests and the engine's answers: the only language
//! adapters and the engine share besides the [`crate::domain`] values.
//!
//! An adapter turns a slash command, a `!rapport` line or a console line into a
//! [`Request`] and renders each [`Outgoing`] in its protocol's idiom. Nothing
//! here names Discord or Matrix types.

use chrono::{DateTime, Utc};

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
    /// Whether others in the place could read what the person typed: a
    /// line in a Matrix room, yes; a Discord slash command or button, no
    /// (only its private answer is shown). Private words typed in view are
    /// refused with a pointer to a direct message.
    pub typed_in_view: bool,
    /// The platform's handle (Discord `@username`, a Matrix id): unlike a
    /// display name, nobody else can take it.
    pub handle: Option<String>,
}

impl Actor {
    pub fn new(user: UserRef, display_name: impl Into<String>) -> Actor {
        Actor {
            user,
            display_name: display_name.into(),
            moderator: false,
            named_others: Vec::new(),
            typed_in_view: true,
            handle: None,
        }
    }

    pub fn with_handle(mut self, handle: impl Into<String>) -> Actor {
        self.handle = Some(handle.into());
        self
    }

    /// The platform showed only the person what they typed.
    pub fn typed_privately(mut self) -> Actor {
        self.typed_in_view = false;
        self
    }

    /// Whether words typed here reach others: in a shared space, in view.
    pub fn words_seen_in(&self, place: &Place) -> bool {
        self.typed_in_view && matches!(place, Place::Space(_))
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
    pub source: Source,
}

/// The chat message a request came in, where people can edit a message
/// later (Matrix): a journal entry remembers the message that wrote it, so
/// an edit of that message changes the entry instead of writing another.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Source {
    /// A platform without edits (buttons, slash commands, the console).
    #[default]
    Unknown,
    /// A new message, by the platform's id for it.
    New(String),
    /// An edit of the message with this id.
    Edit(String),
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

/// One message the engine wants delivered. Only those to the
/// [`Recipient::Requester`] leave [`crate::engine::Engine::handle`]; the rest
/// are queued in the outbox inside the request's transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    pub to: Recipient,
    pub reply: Reply,
    /// The outbox key, when the message has a natural one (a round's
    /// reveal); otherwise the engine makes one from the request.
    pub key: Option<String>,
    /// The users whose words the message carries; `None`: the requester's.
    pub authors: Option<Vec<i64>>,
    /// The journal entry the message quotes, if any.
    pub journal_entry: Option<i64>,
    /// Private content for a space: posted there only while the couple
    /// alone can read it, otherwise to each partner privately.
    pub couple_only: bool,
    /// Held back until then (a question waiting out someone's quiet hours).
    pub not_before: Option<DateTime<Utc>>,
}

impl Outgoing {
    fn new(to: Recipient, reply: Reply) -> Outgoing {
        Outgoing {
            to,
            reply,
            key: None,
            authors: None,
            journal_entry: None,
            couple_only: false,
            not_before: None,
        }
    }

    /// Marks private content (see [`Outgoing::couple_only`]).
    pub fn couple_only(mut self) -> Outgoing {
        self.couple_only = true;
        self
    }

    pub fn to_requester(reply: Reply) -> Outgoing {
        Outgoing::new(Recipient::Requester, reply)
    }

    pub fn to_user(user: UserRef, reply: Reply) -> Outgoing {
        Outgoing::new(Recipient::User(user), reply)
    }

    pub fn to_space(space: SpaceRef, reply: Reply) -> Outgoing {
        Outgoing::new(Recipient::Space(space), reply)
    }

    /// Says whose words the message carries (none: an empty list).
    pub fn by(mut self, authors: Vec<i64>) -> Outgoing {
        self.authors = Some(authors);
        self
    }
}

/// Marks the messages that say nothing yet of whose words they carry as
/// quoting these people: a command about a goal or an agreement repeats
/// its proposer's title in every message it sends.
pub fn quoting(outgoing: Vec<Outgoing>, authors: &[i64]) -> Vec<Outgoing> {
    outgoing
        .into_iter()
        .map(|mut out| {
            if out.authors.is_none() {
                out.authors = Some(authors.to_vec());
            }
            out
        })
        .collect()
}

/// A message for the outbox: what the engine says to someone other than
/// the requester, or on its own (a question, a reveal at the deadline).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Queued {
    /// Unique per message: queued once, shown once.
    pub key: String,
    pub to: Destination,
    pub reply: Reply,
    /// The users whose words it carries, so deleting them finds it.
    pub authors: Vec<i64>,
    /// The journal entry it quotes, if any.
    pub journal_entry: Option<i64>,
    /// See [`Outgoing::couple_only`].
    pub couple_only: bool,
    /// See [`Outgoing::not_before`].
    pub not_before: Option<DateTime<Utc>>,
}

impl Queued {
    /// A message that carries nobody's words (a deck question, a reminder).
    pub fn new(key: impl Into<String>, to: Destination, reply: Reply) -> Queued {
        Queued {
            key: key.into(),
            to,
            reply,
            authors: Vec::new(),
            journal_entry: None,
            couple_only: false,
            not_before: None,
        }
    }

    /// Holds the message back until `at`, if that is later than now.
    pub fn not_before(mut self, at: DateTime<Utc>) -> Queued {
        self.not_before = Some(at);
        self
    }

    /// Marks private content (see [`Outgoing::couple_only`]).
    pub fn couple_only(mut self) -> Queued {
        self.couple_only = true;
        self
    }

    /// Says whose words the message carries.
    pub fn by(mut self, authors: impl IntoIterator<Item = i64>) -> Queued {
        self.authors = authors.into_iter().collect();
        self
    }

    /// Marks the journal entry the message quotes.
    pub fn quoting(mut self, entry: i64) -> Queued {
        self.journal_entry = Some(entry);
        self
    }
}

impl From<Queued> for Outgoing {
    fn from(queued: Queued) -> Outgoing {
        Outgoing {
            to: queued.to.into(),
            reply: queued.reply,
            key: Some(queued.key),
            authors: Some(queued.authors),
            journal_entry: queued.journal_entry,
            couple_only: queued.couple_only,
            not_before: queued.not_before,
        }
    }
}
