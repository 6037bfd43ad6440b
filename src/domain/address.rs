//! Who and where: a person or a shared space on one chat platform, and the
//! destination of a message nobody is waiting for.
//!
//! Platforms are plain identifiers here; no Discord or Matrix type is named.

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

    /// What rapport opens for a couple here so that their shared space
    /// holds only them.
    pub fn opened_space(self) -> OpenedSpace {
        match self {
            Platform::Matrix => OpenedSpace::Room,
            Platform::Discord => OpenedSpace::Thread,
            Platform::Console => OpenedSpace::Nothing,
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

/// A space rapport can open for a couple.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenedSpace {
    /// A room of its own, with only the couple and rapport in it: made at
    /// pairing.
    Room,
    /// A private thread under a server channel, which the server's admins
    /// can read too: only when the couple chooses it.
    Thread,
    /// No spaces at all: everything shared goes to each partner privately.
    Nothing,
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
