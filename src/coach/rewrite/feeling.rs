//! The feeling, the need and the request of a suggestion: the author's own
//! feeling if they named one, else the topic's first that reads well beside
//! the situation ("I feel lonely when I don't feel heard", not "unheard …
//! heard"); the need and request are the topic's, else the feeling's.

use super::situation::pick;
use super::wording::{TopicWording, Wording};

/// The feeling to use. `chosen` (the author picked it) and `named` (the
/// author wrote it) win over the topic's.
pub fn feeling(
    wording: &Wording,
    default: &str,
    chosen: Option<&str>,
    named: Option<&str>,
    topic: Option<&TopicWording>,
    situation: &str,
) -> String {
    if let Some(feeling) = chosen.or(named) {
        return feeling.to_owned();
    }
    let options = topic.map_or(&[][..], |t| &t.feelings[..]);
    options
        .iter()
        .map(String::as_str)
        .chain([default])
        .find(|f| !clashes(wording, f, situation))
        .unwrap_or(default)
        .to_owned()
}

/// Whether a feeling reads badly beside a situation: the situation says it
/// already, or says one of its clashing words.
pub fn clashes(wording: &Wording, feeling: &str, situation: &str) -> bool {
    // The words as whole words: "heard" is in "I don't feel heard", not in "unheard".
    let has = |words: &str| {
        situation.match_indices(words).any(|(at, _)| {
            let before = situation[..at].chars().next_back();
            let after = situation[at + words.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    };
    has(feeling)
        || wording
            .clashes
            .get(feeling)
            .is_some_and(|words| words.iter().any(|w| has(w)))
}

/// The need ("because …") and the request, the same for the same seed.
pub fn ending<'w>(
    wording: &'w Wording,
    default: &str,
    feeling: &str,
    topic: Option<&'w TopicWording>,
    seed: u64,
) -> (&'w str, &'w str) {
    if let Some(topic) = topic {
        let need = pick(&topic.needs, seed);
        let count = topic.needs.len().max(1) as u64;
        let request = pick(&topic.requests, seed / count);
        if let (Some(need), Some(request)) = (need, request) {
            return (need, request);
        }
    }
    let of = |table: &'w rustc_hash::FxHashMap<String, String>| {
        table
            .get(feeling)
            .or_else(|| table.get(default))
            .map_or("", String::as_str)
    };
    (of(&wording.needs), of(&wording.requests))
}
