//! Words by number and phrases matched word by word: every word of every
//! list gets an id once, and every listed phrase goes into one index by its
//! first word. A message's tokens are looked up in the index once, when it
//! is cut ([`Vocabulary::find_hits`]): each token then knows which phrases
//! start at it, so asking a list "does one of your phrases start here?" is
//! a look at the token, not a search.

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use super::{Piece, Token, lower_case, scan};

/// A word's place in a [`Vocabulary`].
pub type WordId = u32;

/// The id of every word the vocabulary does not hold.
pub const UNKNOWN: WordId = WordId::MAX;

/// A phrase set's place among all of them.
pub type SetId = u16;

/// A phrase of one set that starts at a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub set: SetId,
    /// How many tokens the phrase covers.
    pub len: u8,
    /// The phrase's place in its set.
    pub phrase: u16,
}

/// One listed phrase in the index.
#[derive(Clone, Debug)]
struct Entry {
    set: SetId,
    words: Box<[WordId]>,
    phrase: u16,
}

/// Every word the coach's lists name, lower case, and every phrase by its
/// first word.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    ids: FxHashMap<Box<str>, WordId>,
    words: Vec<Box<str>>,
    /// By first and second word ([`UNKNOWN`] for a one-word phrase),
    /// longest first in each set, so a set's first hit is its longest.
    index: FxHashMap<(WordId, WordId), Vec<Entry>>,
    sets: SetId,
}

impl Vocabulary {
    /// The id of a word (lower case, as lists hold it), adding it.
    pub fn intern(&mut self, word: &str) -> WordId {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = WordId::try_from(self.words.len()).unwrap_or(UNKNOWN);
        self.words.push(word.into());
        self.ids.insert(word.into(), id);
        id
    }

    /// The id of a word already in lower case, if held.
    pub fn id(&self, lower: &str) -> WordId {
        self.ids.get(lower).copied().unwrap_or(UNKNOWN)
    }

    /// A held word; empty for an id it does not hold.
    pub fn word(&self, id: WordId) -> &str {
        self.words.get(id as usize).map_or("", |word| word)
    }

    /// The ids of a phrase's words, as the tokenizer cuts them, adding them.
    pub fn intern_phrase(&mut self, phrase: &str) -> Box<[WordId]> {
        plain_words(phrase)
            .iter()
            .map(|word| self.intern(word))
            .collect()
    }

    /// Writes into each token the phrases that start at it.
    pub fn find_hits(&self, tokens: &mut [Token<'_>]) {
        for at in 0..tokens.len() {
            let mut hits: SmallVec<[Hit; 2]> = SmallVec::new();
            let first = tokens[at].id;
            if first != UNKNOWN {
                let second = tokens.get(at + 1).map_or(UNKNOWN, |t| t.id);
                let longer = (second != UNKNOWN)
                    .then(|| self.index.get(&(first, second)))
                    .flatten();
                let single = self.index.get(&(first, UNKNOWN));
                for entry in longer
                    .into_iter()
                    .flatten()
                    .chain(single.into_iter().flatten())
                {
                    let rest = &tokens[at + 1..];
                    let fits = entry.words.len() <= rest.len() + 1
                        && entry.words[1..].iter().zip(rest).all(|(w, t)| *w == t.id);
                    if fits && !hits.iter().any(|h| h.set == entry.set) {
                        hits.push(Hit {
                            set: entry.set,
                            len: u8::try_from(entry.words.len()).unwrap_or(u8::MAX),
                            phrase: entry.phrase,
                        });
                    }
                }
            }
            tokens[at].sets = hits.iter().fold(0, |sets, hit| sets | bit(hit.set));
            tokens[at].hits = hits;
        }
    }
}

/// A set's bit in [`Token::sets`]; none past the 128th set, whose
/// membership is then read from the hits.
fn bit(set: SetId) -> u128 {
    1u128.checked_shl(u32::from(set)).unwrap_or(0)
}

/// The lower-case words (and marks and symbols) of a list entry.
pub fn plain_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    scan(text, |piece| match piece {
        Piece::Word(w) | Piece::Mark(w) | Piece::Symbol(w) => {
            words.push(lower_case(w).into_owned());
        }
        Piece::End(_) => {}
    });
    words
}

/// A phrase found at a position: how many tokens, and which phrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match<'s> {
    pub len: usize,
    /// The phrase as listed ("cut me off").
    pub phrase: &'s str,
}

/// A listed phrase's words and its place in the list.
type Listed = (Box<[WordId]>, u16);

/// One list of phrases.
#[derive(Clone, Debug, Default)]
pub struct PhraseSet {
    id: SetId,
    /// The phrases as listed, by their place.
    phrases: Vec<Box<str>>,
    /// Phrase words by first word, longest first, with their place: for a
    /// first word other than the token's own (a lemma).
    by_first: FxHashMap<WordId, Vec<Listed>>,
}

impl PhraseSet {
    pub fn new<'p>(
        vocabulary: &mut Vocabulary,
        phrases: impl IntoIterator<Item = &'p str>,
    ) -> PhraseSet {
        let id = vocabulary.sets;
        vocabulary.sets += 1;
        let mut set = PhraseSet {
            id,
            ..PhraseSet::default()
        };
        for phrase in phrases {
            let words = vocabulary.intern_phrase(phrase);
            let Some(&first) = words.first() else {
                continue;
            };
            let place = u16::try_from(set.phrases.len()).unwrap_or(u16::MAX);
            set.phrases.push(plain_words(phrase).join(" ").into());
            set.by_first
                .entry(first)
                .or_default()
                .push((words.clone(), place));
            let second = words.get(1).copied().unwrap_or(UNKNOWN);
            vocabulary
                .index
                .entry((first, second))
                .or_default()
                .push(Entry {
                    set: id,
                    words,
                    phrase: place,
                });
        }
        // Longest first, so "such a" wins over "such".
        for phrases in set.by_first.values_mut() {
            phrases.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        }
        for entries in vocabulary.index.values_mut() {
            entries.sort_by_key(|e| (e.set, std::cmp::Reverse(e.words.len())));
        }
        set
    }

    /// Whether a phrase of the set may start at a token: certain but for a
    /// set past the 128th.
    fn starts_at(&self, token: &Token<'_>) -> bool {
        let bit = bit(self.id);
        if bit == 0 {
            token.hits.iter().any(|hit| hit.set == self.id)
        } else {
            token.sets & bit != 0
        }
    }

    /// The longest phrase of the set starting at `at`.
    pub fn find_at(&self, tokens: &[Token<'_>], at: usize) -> Option<Match<'_>> {
        let token = tokens.get(at)?;
        if !self.starts_at(token) {
            return None;
        }
        let hit = token.hits.iter().find(|hit| hit.set == self.id)?;
        Some(Match {
            len: usize::from(hit.len),
            phrase: &self.phrases[usize::from(hit.phrase)],
        })
    }

    /// The longest phrase whose first word is `first` (a lemma of the token
    /// before `rest`) and whose other words follow from `rest` on.
    pub fn find_from(&self, first: WordId, tokens: &[Token<'_>], rest: usize) -> Option<Match<'_>> {
        let candidates = self.by_first.get(&first)?;
        let after = tokens.get(rest..).unwrap_or_default();
        candidates
            .iter()
            .find(|(words, _)| {
                words.len() <= after.len() + 1
                    && words[1..].iter().zip(after).all(|(w, t)| *w == t.id)
            })
            .map(|(words, place)| Match {
                len: words.len(),
                phrase: &self.phrases[usize::from(*place)],
            })
    }

    /// The length of the longest phrase starting at `at`.
    pub fn match_at(&self, tokens: &[Token<'_>], at: usize) -> Option<usize> {
        self.find_at(tokens, at).map(|m| m.len)
    }

    /// Whether any phrase occurs in `tokens`.
    pub fn occurs_in(&self, tokens: &[Token<'_>]) -> bool {
        tokens.iter().any(|token| self.starts_at(token))
    }

    /// Where the first phrase of the set occurs in `tokens`.
    pub fn first_in(&self, tokens: &[Token<'_>]) -> Option<(usize, Match<'_>)> {
        (0..tokens.len()).find_map(|at| self.find_at(tokens, at).map(|m| (at, m)))
    }

    /// Whether a token starts a phrase of the set that is one word.
    pub fn contains(&self, token: &Token<'_>) -> bool {
        // A token's hit is its set's longest phrase there; a longer one
        // may hide the one-word phrase.
        self.starts_at(token)
            && token
                .hits
                .iter()
                .any(|hit| hit.set == self.id && (hit.len == 1 || self.contains_id(token.id)))
    }

    /// Whether a word (by id) is in the set as a one-word phrase.
    pub fn contains_id(&self, word: WordId) -> bool {
        self.by_first
            .get(&word)
            .is_some_and(|phrases| phrases.iter().any(|(p, _)| p.len() == 1))
    }

    /// The phrase of the set with exactly these words' ids, if any.
    pub fn holds(&self, words: &[WordId]) -> Option<&str> {
        let first = words.first()?;
        self.by_first
            .get(first)?
            .iter()
            .find(|(p, _)| &p[..] == words)
            .map(|(_, place)| &*self.phrases[usize::from(*place)])
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// The first word of every phrase.
    pub fn first_words(&self) -> impl Iterator<Item = WordId> + '_ {
        self.by_first.keys().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Kind, Token};
    use super::*;

    fn tokens<'a>(vocabulary: &Vocabulary, words: &[&'a str]) -> Vec<Token<'a>> {
        let mut tokens: Vec<Token<'a>> = words
            .iter()
            .map(|w| Token {
                text: w,
                norm: (*w).into(),
                id: vocabulary.id(w),
                hits: SmallVec::new(),
                sets: 0,
                kind: Kind::Word,
                shout: false,
            })
            .collect();
        vocabulary.find_hits(&mut tokens);
        tokens
    }

    #[test]
    fn phrases_match_longest_first_and_only_where_they_start() {
        let mut vocabulary = Vocabulary::default();
        let set = PhraseSet::new(&mut vocabulary, ["such", "such a", "every time"]);
        let other = PhraseSet::new(&mut vocabulary, ["mess", "such"]);
        let sentence = tokens(
            &vocabulary,
            &["you", "are", "such", "a", "mess", "every", "time"],
        );
        assert_eq!(set.match_at(&sentence, 2), Some(2));
        assert_eq!(
            other.match_at(&sentence, 2),
            Some(1),
            "each set its own longest"
        );
        assert_eq!(
            set.find_at(&sentence, 5).map(|m| m.phrase),
            Some("every time")
        );
        assert_eq!(set.match_at(&sentence, 0), None);
        assert_eq!(set.match_at(&sentence, 4), None, "another set's word");
        assert_eq!(other.match_at(&sentence, 4), Some(1));
        assert!(set.occurs_in(&sentence));
        assert!(set.contains(&sentence[2]) && !set.contains(&sentence[5]));
        let ids: Vec<WordId> = ["every", "time"].iter().map(|w| vocabulary.id(w)).collect();
        assert_eq!(set.holds(&ids), Some("every time"));
        let time = vocabulary.id("every");
        assert_eq!(set.find_from(time, &sentence, 6).map(|m| m.len), Some(2));
    }
}
