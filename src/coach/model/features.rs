//! The features the model weighs, named as its weights name them:
//!
//! - every cue the rules found (`c:negated_act`);
//! - every word (`w:never`) and pair of neighbouring words in a sentence
//!   (`b:you never`, `b:^ stop` at a sentence's start); digits are `#`;
//! - the same over word classes, so that a word never seen in training
//!   still counts by its kind (`k:you neg`, `k:^ cmd`), and which classes
//!   share a sentence (`s:you+bad`).
//!
//! Training and scoring both enumerate features here, so they cannot drift.

use smallvec::SmallVec;

use crate::coach::rules::{Findings, Reason};
use crate::coach::text::{Kind, Lexicon, Token, Tokens};

/// A feature's key: FNV-1a over its name's bytes, the same whether the
/// name is whole or in parts, and whether hashed at once or part by part.
#[derive(Clone, Copy, Debug)]
pub struct Key(u64);

impl Key {
    pub const START: Key = Key(0xcbf2_9ce4_8422_2325);

    pub fn of(name: &str) -> u64 {
        Key::of_parts(&[name])
    }

    pub fn of_parts(parts: &[&str]) -> u64 {
        parts.iter().fold(Key::START, |key, part| key.then(part)).0
    }

    /// The key of the name so far followed by `part`.
    pub fn then(self, part: &str) -> Key {
        Key(part.bytes().fold(self.0, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        }))
    }

    pub fn value(self) -> u64 {
        self.0
    }
}

/// What kind of word a token is, from the lists; `Other` if none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    You,
    Me,
    We,
    Negation,
    Absolute,
    Again,
    Label,
    Bad,
    Good,
    Laugh,
    Why,
    Irony,
    Command,
    Ask,
    Symbol,
    Other,
}

impl Class {
    fn name(self) -> &'static str {
        match self {
            Class::You => "you",
            Class::Me => "me",
            Class::We => "we",
            Class::Negation => "neg",
            Class::Absolute => "abs",
            Class::Again => "again",
            Class::Label => "label",
            Class::Bad => "bad",
            Class::Good => "good",
            Class::Laugh => "lol",
            Class::Why => "why",
            Class::Irony => "irony",
            Class::Command => "cmd",
            Class::Ask => "ask",
            Class::Symbol => "sym",
            Class::Other => "_",
        }
    }

    /// The reason a feature of this class stands for, if it blames.
    pub fn reason(self) -> Option<Reason> {
        match self {
            Class::Command => Some(Reason::Command),
            Class::Label => Some(Reason::Label),
            Class::Irony => Some(Reason::Contempt),
            Class::Why => Some(Reason::Rhetorical),
            Class::Again => Some(Reason::Past),
            Class::Absolute => Some(Reason::Absolute),
            Class::You | Class::Bad | Class::Negation => Some(Reason::YouAccusation),
            _ => None,
        }
    }
}

/// The classes of a feature's words, for the reason of a flag.
pub type Classes = SmallVec<[Class; 4]>;

/// The marker of a sentence's start in a pair.
const START: &str = "^";
/// Every number is this word.
const NUMBER: &str = "#";
/// Classes whose sharing a sentence is a feature.
const SHARED: [Class; 10] = [
    Class::You,
    Class::Me,
    Class::Negation,
    Class::Absolute,
    Class::Again,
    Class::Label,
    Class::Bad,
    Class::Good,
    Class::Laugh,
    Class::Irony,
];

fn word<'t>(token: &'t Token<'_>) -> &'t str {
    if token.norm.chars().all(|c| c.is_ascii_digit()) {
        NUMBER
    } else {
        &token.norm
    }
}

/// Each token's class, in order of the lists' precedence.
pub fn classes(lex: &Lexicon, tokens: &Tokens<'_>) -> Vec<Class> {
    let all = &tokens.all;
    let g = &lex.grammar;
    let w = &lex.words;
    let mut out = vec![Class::Other; all.len()];
    for sentence in &tokens.sentences {
        let mut at = sentence.start;
        while at < sentence.end {
            let token = &all[at];
            let sets = [
                (
                    Class::Command,
                    if at == sentence.start {
                        Some(&w.command_verbs)
                    } else {
                        None
                    },
                ),
                (Class::You, Some(&g.you)),
                (Class::You, Some(&g.you_contracted)),
                (Class::You, Some(&g.your)),
                (Class::You, Some(&g.yourself)),
                (Class::Me, Some(&g.i)),
                (Class::Me, Some(&g.me)),
                (Class::Me, Some(&g.my)),
                (Class::We, Some(&g.we)),
                (Class::Negation, Some(&g.negations)),
                (Class::Absolute, Some(&w.absolutes)),
                (Class::Again, Some(&w.again)),
                (Class::Label, Some(&w.labels)),
                (Class::Laugh, Some(&w.laughter)),
                (Class::Irony, Some(&w.contempt)),
                (Class::Why, Some(&w.why)),
                (Class::Ask, Some(&w.request_openers)),
                (Class::Good, Some(&w.positive)),
                (Class::Bad, Some(&w.negative)),
                (Class::Bad, Some(&w.accusing_verbs)),
            ];
            let found = sets.iter().find_map(|(class, set)| {
                set.and_then(|s| s.match_at(all, at))
                    .map(|len| (*class, len))
            });
            // A label is one after "you're", "so", "such a": "you mean the
            // world" is not "you're mean".
            let found = found.filter(|(class, _)| {
                *class != Class::Label
                    || at > sentence.start
                        && [&w.intensifiers, &g.you_are, &g.you_copulas]
                            .iter()
                            .any(|set| set.contains(&all[at - 1]))
            });
            match found {
                Some((class, len)) => {
                    out[at..at + len].iter_mut().for_each(|c| *c = class);
                    at += len;
                }
                None => {
                    if token.kind == Kind::Symbol {
                        out[at] = Class::Symbol;
                    }
                    at += 1;
                }
            }
        }
    }
    out
}

/// Calls `each` with every feature of a message: its name in parts (to be
/// joined, or hashed as they are), and the classes of its words (empty for
/// a cue).
pub fn each(
    lex: &Lexicon,
    tokens: &Tokens<'_>,
    findings: &Findings,
    mut named: impl FnMut(&[&str], &[Class]),
) {
    for cue in findings.cues.iter() {
        named(&["c:", cue.name()], &[]);
    }
    let class_of = classes(lex, tokens);
    for sentence in &tokens.sentences {
        let mut previous: Option<usize> = None;
        let mut shared = [false; SHARED.len()];
        for at in (sentence.start..sentence.end).filter(|&i| tokens.all[i].kind != Kind::Mark) {
            let current = word(&tokens.all[at]);
            let class = class_of[at];
            named(&["w:", current], &[class]);
            match previous {
                Some(p) => {
                    let pair = [class_of[p], class];
                    named(&["b:", word(&tokens.all[p]), " ", current], &pair);
                    named(&["k:", class_of[p].name(), " ", class.name()], &pair);
                }
                None => {
                    named(&["b:", START, " ", current], &[class]);
                    named(&["k:", START, " ", class.name()], &[class]);
                }
            }
            if let Some(i) = SHARED.iter().position(|c| *c == class) {
                shared[i] = true;
            }
            previous = Some(at);
        }
        for i in (0..SHARED.len()).filter(|&i| shared[i]) {
            for j in (i + 1..SHARED.len()).filter(|&j| shared[j]) {
                named(
                    &["s:", SHARED[i].name(), "+", SHARED[j].name()],
                    &[SHARED[i], SHARED[j]],
                );
            }
        }
    }
}

/// The names of a message's features, each once, sorted.
pub fn names(lex: &Lexicon, tokens: &Tokens<'_>, findings: &Findings) -> Vec<String> {
    let mut names = Vec::new();
    each(lex, tokens, findings, |parts, _| names.push(parts.concat()));
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_tell_names_apart() {
        assert_eq!(
            Key::of("b:you never"),
            Key::of_parts(&["b:", "you", " ", "never"])
        );
        assert_ne!(Key::of("b:you never"), Key::of("b:you ever"));
    }
}
