//! What a message is about: each topic of `[coach.topics.<name>]` lists its
//! words, and the topic with the most of them in the message wins (ties go
//! to the first by name). The wording of each topic is the rewrite's.

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use super::phrases::{PhraseSet, Vocabulary, plain_words};
use super::{LexiconError, Tokens};
use crate::prompts::Catalog;

/// The prefix of every topic's tables.
pub const PREFIX: &str = "coach.topics.";

/// Every topic's words, as one phrase set.
#[derive(Clone, Debug, Default)]
pub struct Topics {
    /// Topic names, sorted.
    pub names: Vec<String>,
    words: PhraseSet,
    /// A listed phrase -> the topics that list it.
    by_phrase: FxHashMap<Box<str>, SmallVec<[usize; 2]>>,
}

impl Topics {
    pub fn load(catalog: &Catalog, vocabulary: &mut Vocabulary) -> Result<Topics, LexiconError> {
        let names: Vec<String> = catalog
            .list_names(PREFIX)
            .filter_map(|name| name.strip_prefix(PREFIX)?.strip_suffix(".words"))
            .map(str::to_owned)
            .collect();
        if names.is_empty() {
            return Err(LexiconError(format!("{PREFIX}<topic>.words")));
        }
        let mut phrases = Vec::new();
        let mut by_phrase: FxHashMap<Box<str>, SmallVec<[usize; 2]>> = FxHashMap::default();
        for (topic, name) in names.iter().enumerate() {
            for phrase in catalog
                .list(&format!("{PREFIX}{name}.words"))
                .unwrap_or_default()
            {
                let listed = plain_words(phrase).join(" ");
                let topics = by_phrase.entry(listed.into()).or_default();
                if !topics.contains(&topic) {
                    topics.push(topic);
                }
                phrases.push(phrase.as_str());
            }
        }
        let words = PhraseSet::new(vocabulary, phrases);
        Ok(Topics {
            names,
            words,
            by_phrase,
        })
    }

    /// The topic whose words a message has most of.
    pub fn of(&self, tokens: &Tokens<'_>) -> Option<usize> {
        let mut counts = vec![0u16; self.names.len()];
        let all = &tokens.all;
        let mut at = 0;
        while at < all.len() {
            match self.words.find_at(all, at) {
                Some(found) => {
                    for &topic in self.by_phrase.get(found.phrase).into_iter().flatten() {
                        counts[topic] += 1;
                    }
                    at += found.len;
                }
                None => at += 1,
            }
        }
        let best = counts.iter().copied().max().filter(|&n| n > 0)?;
        counts.iter().position(|&n| n == best)
    }
}
