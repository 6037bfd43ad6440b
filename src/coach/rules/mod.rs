//! The rules: what in a message blames, said as cues, each with the plain
//! reason it stands for, and the part a suggestion is built around. The
//! rules decide nothing alone: the model ([`crate::coach::model`]) weighs
//! their cues with the message's words, and only a cue can give a reason.
//!
//! One file per kind of blame, over the clauses whose subject is the
//! partner ([`clause`]):
//! - [`accusation`]: "you ignored me", "you don't listen", "it's your fault";
//! - [`absolute`]: "you always…", "you never…", "you keep…", "again";
//! - [`label`]: "you're so selfish", "acting like a child";
//! - [`disguised`]: "I feel like you…", "I feel like I'm married to a wall";
//! - [`rhetorical`]: "why can't you ever…", "why do I always have to…";
//! - [`contempt`]: "whatever", "thanks for nothing", "6 hours. nice.";
//! - [`command`]: "stop acting like…", "grow up";
//! - [`kindness`]: what softens (love, laughter, apologies, requests, a
//!   feeling named), and the crisis words.

pub mod absolute;
pub mod accusation;
pub mod clause;
pub mod command;
pub mod contempt;
pub mod disguised;
pub mod kindness;
pub mod label;
pub mod rhetorical;

mod cues;

pub use cues::{Cue, Reason};

use super::text::{Lexicon, Tokens};

/// What a suggestion is built around: the first clause that blames.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Focus {
    #[default]
    None,
    /// A character label ("selfish").
    Label(String),
    /// A negated care verb ("listen", "get it"): a feeling is missing.
    Missing { verb: String, past: bool },
    /// A negated act ("text me back"), and whether "waiting for you to …" fits.
    Unmet {
        action: String,
        waitable: bool,
        past: bool,
    },
    /// An accusing verb as listed ("ignore"), what it was done to, the rest.
    Turned {
        verb: String,
        object: Object,
        rest: String,
        past: bool,
    },
    /// What the partner does or did, as a clause after "you" (after
    /// "you're" when `state`).
    Action {
        action: String,
        state: bool,
        past: bool,
    },
    /// "you chose work over me": what came first, and what second.
    First {
        first: String,
        second: String,
        past: bool,
    },
}

impl Focus {
    /// Lower is kept over higher: what happened beats who someone is.
    fn rank(&self) -> u8 {
        match self {
            Focus::Missing { .. } => 1,
            Focus::Turned { .. } | Focus::First { .. } => 2,
            Focus::Unmet { waitable: true, .. } => 3,
            Focus::Action { .. } => 4,
            Focus::Label(_) => 5,
            Focus::Unmet { .. } => 6,
            Focus::None => 9,
        }
    }

    pub fn is_past(&self) -> bool {
        matches!(
            self,
            Focus::Missing { past: true, .. }
                | Focus::Unmet { past: true, .. }
                | Focus::Turned { past: true, .. }
                | Focus::Action { past: true, .. }
                | Focus::First { past: true, .. }
        )
    }
}

/// What an accusing verb was done to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Object {
    #[default]
    None,
    /// The author ("you ignored me").
    Me,
    /// A thing ("you forgot the tickets").
    Thing(String),
    /// An act ("you forgot to lock the door": "lock the door").
    Act(String),
}

/// A set of cues, iterated in the order of [`Cue::ALL`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cues(u128);

impl Cues {
    pub fn insert(&mut self, cue: Cue) {
        self.0 |= 1 << cue as u32;
    }

    pub fn contains(&self, cue: Cue) -> bool {
        self.0 & (1 << cue as u32) != 0
    }

    pub fn iter(&self) -> impl Iterator<Item = Cue> + '_ {
        Cue::ALL.iter().copied().filter(|cue| self.contains(*cue))
    }

    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }
}

/// Everything the rules found in one message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Findings {
    pub cues: Cues,
    pub focus: Focus,
    /// A feeling the author named ("I feel lonely", "you make me so angry").
    pub named_feeling: Option<String>,
    /// Words suggesting self-harm or violence: help, not advice.
    pub crisis: bool,
}

impl Findings {
    pub fn add(&mut self, cue: Cue) {
        self.cues.insert(cue);
    }

    pub fn has(&self, cue: Cue) -> bool {
        self.cues.contains(cue)
    }

    /// Whether any cue that blames was found.
    pub fn blames(&self) -> bool {
        self.cues.iter().any(|cue| cue.reason().is_some())
    }

    /// Keeps `focus` if it says more than the one kept so far.
    pub fn focus_on(&mut self, focus: Focus) {
        if focus.rank() < self.focus.rank() {
            self.focus = focus;
        }
    }
}

/// Runs every rule over a message's tokens.
pub fn find(lex: &Lexicon, tokens: &Tokens<'_>) -> Findings {
    let mut found = Findings::default();
    if kindness::crisis(lex, tokens) {
        found.crisis = true;
        return found;
    }
    let clauses = clause::partner_clauses(lex, tokens);
    label::find(lex, tokens, &clauses, &mut found);
    accusation::find(lex, tokens, &clauses, &mut found);
    absolute::find(lex, tokens, &clauses, &mut found);
    disguised::find(lex, tokens, &mut found);
    rhetorical::find(lex, tokens, &mut found);
    command::find(lex, tokens, &mut found);
    // Sarcasm is read against what the other rules found.
    contempt::find(lex, tokens, &clauses, &mut found);
    kindness::find(lex, tokens, &clauses, &mut found);
    found
}
