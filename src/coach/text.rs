//! Text handling for the coach: sentences of word tokens, each with its
//! original spelling and its place in the coach's vocabulary, and phrase
//! sets matched word by word.
//!
//! Built for speed, because the coach may look at every message in a
//! couple's channel: one pass over the bytes, one table lookup per word
//! (most words are their own key), tokens on the stack and no allocation
//! per word (a lower-case copy is made only when a rule asks), and a bit
//! test that turns away most phrase lookups before any hashing (each word
//! carries the sets that have a phrase starting with it, and each sentence
//! the union of them).

use std::borrow::Cow;
use std::ops::Range;

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

/// A word's place in a [`Vocabulary`].
pub type WordId = u32;

/// The id of every word the vocabulary does not hold.
const UNKNOWN: WordId = WordId::MAX;

/// Every word the coach's lists name, lower case, with the phrase sets each
/// one starts. Filled while the lists are read, then only read.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    words: Vec<Box<str>>,
    /// Open addressing by [`key`]: a word of up to eight bytes is its own
    /// key, so most lookups compare one number and read no string, and a
    /// slot holds all a token needs, so a lookup touches one place. The
    /// length is a power of two; key 0 marks a free slot.
    slots: Vec<Slot>,
    /// Phrase sets made so far; the first 64 get a bit.
    sets: u32,
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    key: u64,
    /// One bit per phrase set with a phrase starting with this word.
    starts: u64,
    id: WordId,
}

const FREE: Slot = Slot {
    key: 0,
    starts: 0,
    id: UNKNOWN,
};

/// Words longer than this are never looked up: no list word is that long.
const LONGEST_WORD: usize = 64;

/// Set in the key of a word longer than eight bytes (a hash of it).
const LONG: u64 = 1 << 63;

impl Vocabulary {
    /// The id of a word (lower case, as the vocabulary holds it), adding it.
    pub fn intern(&mut self, word: &str) -> WordId {
        if let Some(id) = self.find(word.as_bytes()) {
            return id;
        }
        let id = WordId::try_from(self.words.len()).unwrap_or(UNKNOWN);
        self.words.push(word.into());
        if self.slots.len() < self.words.len() * 2 {
            let size = (self.words.len() * 2).next_power_of_two();
            let old = std::mem::replace(&mut self.slots, vec![FREE; size]);
            for slot in old.into_iter().filter(|slot| slot.key != 0) {
                self.place(slot);
            }
        }
        self.place(Slot {
            key: key(word.as_bytes()),
            starts: 0,
            id,
        });
        id
    }

    fn place(&mut self, slot: Slot) {
        let mask = self.slots.len() - 1;
        let mut at = slot_of(slot.key, mask);
        while self.slots[at].key != 0 {
            at = (at + 1) & mask;
        }
        self.slots[at] = slot;
    }

    /// Marks a word as starting a phrase of the set with `bit`.
    fn mark_start(&mut self, id: WordId, bit: u64) {
        let word = self.words[id as usize].as_bytes();
        if let Some(at) = self.position(key(word), word) {
            self.slots[at].starts |= bit;
        }
    }

    /// The id of a word given in lower case, if the vocabulary holds it.
    fn find(&self, lower: &[u8]) -> Option<WordId> {
        self.find_by_key(key(lower), lower).map(|slot| slot.id)
    }

    #[inline]
    fn find_by_key(&self, key: u64, lower: &[u8]) -> Option<&Slot> {
        self.position(key, lower).map(|at| &self.slots[at])
    }

    /// Where the word with this key (and these lower-case bytes) sits.
    #[inline]
    fn position(&self, key: u64, lower: &[u8]) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut at = slot_of(key, mask);
        loop {
            let slot = &self.slots[at];
            if slot.key == 0 {
                return None;
            }
            // A short word is its key; a long one's key is a hash.
            if slot.key == key
                && (key & LONG == 0 || self.words[slot.id as usize].as_bytes() == lower)
            {
                return Some(at);
            }
            at = (at + 1) & mask;
        }
    }

    /// The ids of a phrase's words, adding those not yet held.
    pub fn intern_phrase(&mut self, phrase: &str) -> Box<[WordId]> {
        plain_words(phrase)
            .iter()
            .filter(|word| !word.is_empty())
            .map(|word| self.intern(word))
            .collect()
    }

    /// The id of a word already in lower case, if the vocabulary holds it.
    pub fn id(&self, lower: &str) -> Option<WordId> {
        self.find(lower.as_bytes())
    }

    /// A held word, in lower case; empty for an id it does not hold.
    pub fn word(&self, id: WordId) -> &str {
        self.words.get(id as usize).map_or("", |word| word)
    }
}

/// A word's key: up to eight bytes, the bytes themselves (zero-padded; no
/// word holds a zero byte), else a hash of them with [`LONG`] set.
fn key(word: &[u8]) -> u64 {
    match word.len() {
        0..=8 => packed(word),
        _ => {
            // FNV-1a.
            let hash = word.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
            });
            hash | LONG
        }
    }
}

/// Up to eight bytes as a number, first byte lowest.
fn packed(word: &[u8]) -> u64 {
    word.iter()
        .take(8)
        .enumerate()
        .fold(0, |key, (at, &byte)| key | u64::from(byte) << (8 * at))
}

/// Fibonacci hashing: the high bits of the product are the best mixed.
fn slot_of(key: u64, mask: usize) -> usize {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as usize & mask
}

/// Writes a word in lower case (’ made ') into `buffer`: its length, and
/// whether anything changed. `None` when it does not fit or a character
/// lower-cases to several (no list word has one).
fn lower_into(word: &str, buffer: &mut [u8; LONGEST_WORD]) -> Option<(usize, bool)> {
    if word.is_ascii() {
        let slot = buffer.get_mut(..word.len())?;
        let mut changed = false;
        for (lower, &byte) in slot.iter_mut().zip(word.as_bytes()) {
            *lower = byte.to_ascii_lowercase();
            changed |= *lower != byte;
        }
        return Some((word.len(), changed));
    }
    let mut length = 0;
    let mut changed = false;
    for c in word.chars() {
        let lower = match c {
            '’' => '\'',
            // Its lower case depends on where it stands: leave it to `lowered`.
            'Σ' => return None,
            c => {
                let mut lowered = c.to_lowercase();
                match (lowered.next(), lowered.next()) {
                    (Some(single), None) => single,
                    _ => return None,
                }
            }
        };
        changed |= lower != c;
        let end = length + lower.len_utf8();
        lower.encode_utf8(buffer.get_mut(length..end)?);
        length = end;
    }
    Some((length, changed))
}

/// One word, emoji or clause mark (`,` `:` `—`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    /// As written, for suggestions that keep names and spelling.
    pub text: &'a str,
    /// The word's id in the vocabulary, or one no word has; the rules
    /// compare ids, so a token needs no lower-case copy of its text.
    pub word: WordId,
    /// The phrase sets that have a phrase starting with this word.
    starts: u64,
}

/// A token that owns its text, for our own texts cut once and kept.
#[derive(Clone, Debug)]
pub struct OwnedToken {
    text: Box<str>,
    word: WordId,
    starts: u64,
}

impl<'a> Token<'a> {
    /// A token for `text`, known to the vocabulary if its lookup found a slot.
    #[inline]
    fn looked_up(text: &'a str, slot: Option<&Slot>) -> Token<'a> {
        match slot {
            Some(slot) => Token {
                text,
                word: slot.id,
                starts: slot.starts,
            },
            None => Token {
                text,
                word: UNKNOWN,
                starts: 0,
            },
        }
    }

    /// The text in lower case with typographic apostrophes made plain, as
    /// the vocabulary holds words: for the rare rule that reads an unknown
    /// word (a verb's ending), so it is made only when asked for.
    pub fn lower(&self) -> Cow<'a, str> {
        lower_case(self.text)
    }

    pub fn to_owned_token(&self) -> OwnedToken {
        OwnedToken {
            text: self.text.into(),
            word: self.word,
            starts: self.starts,
        }
    }
}

impl OwnedToken {
    pub fn as_token(&self) -> Token<'_> {
        Token {
            text: &self.text,
            word: self.word,
            starts: self.starts,
        }
    }
}

/// A sentence: its tokens, and whether it ended with a question mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence<'t, 'a> {
    pub tokens: &'t [Token<'a>],
    pub question: bool,
    /// Every phrase set a phrase could start from in this sentence.
    starts: Starts,
}

/// The phrase sets a phrase could start from in some tokens: a set whose
/// bit is missing occurs nowhere in them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Starts(u64);

impl Starts {
    pub fn of(tokens: &[Token<'_>]) -> Starts {
        Starts(tokens.iter().fold(0, |starts, t| starts | t.starts))
    }

    /// The sets a phrase could start from in either.
    pub fn with(self, other: Starts) -> Starts {
        Starts(self.0 | other.0)
    }

    /// Whether a phrase of `set` may occur; `false` is certain.
    pub fn may_hold(self, set: &PhraseSet) -> bool {
        set.bit == 0 || self.0 & set.bit != 0
    }

    /// Whether a phrase of `set` occurs in `tokens`, whose sets these are:
    /// the bit first, the tokens only if it allows.
    pub fn holds(self, set: &PhraseSet, tokens: &[Token<'_>]) -> bool {
        self.may_hold(set) && set.occurs_in(tokens)
    }
}

impl<'t, 'a> Sentence<'t, 'a> {
    pub fn new(tokens: &'t [Token<'a>], question: bool) -> Sentence<'t, 'a> {
        Sentence {
            tokens,
            question,
            starts: Starts::of(tokens),
        }
    }

    /// Whether a phrase of `set` may occur here; `false` is certain.
    pub fn may_hold(&self, set: &PhraseSet) -> bool {
        self.starts.may_hold(set)
    }

    /// Whether a phrase of `set` occurs here.
    pub fn holds(&self, set: &PhraseSet) -> bool {
        self.starts.holds(set, self.tokens)
    }
}

/// A text cut into tokens, and the tokens into sentences.
#[derive(Clone, Debug, Default)]
pub struct Tokens<'a> {
    /// On the stack for a chat message's length; the heap past it.
    pub all: SmallVec<[Token<'a>; 16]>,
    spans: SmallVec<[(Range<usize>, bool); 4]>,
}

impl<'a> Tokens<'a> {
    pub fn sentences(&self) -> impl Iterator<Item = Sentence<'_, 'a>> {
        self.spans
            .iter()
            .map(|(range, question)| Sentence::new(&self.all[range.clone()], *question))
    }

    /// Each sentence's range in [`Tokens::all`], and whether it asks.
    pub fn spans(&self) -> &[(Range<usize>, bool)] {
        &self.spans
    }

    /// [`tokenize`] into tokens the caller holds, which are on the stack
    /// and need not move.
    pub fn cut(&mut self, vocabulary: &'a Vocabulary, text: &'a str) {
        scan(text, |piece| match piece {
            Piece::Token(span) => self.all.push(token(vocabulary, span)),
            Piece::End { question } => {
                let start = self.spans.last().map_or(0, |(range, _)| range.end);
                if start < self.all.len() {
                    self.spans.push((start..self.all.len(), question));
                } else if question && let Some((_, asked)) = self.spans.last_mut() {
                    *asked = true;
                }
            }
        });
    }
}

/// Appends the tokens of a text that ends no sentence to `out`.
pub fn append_tokens<'a, A: smallvec::Array<Item = Token<'a>>>(
    vocabulary: &'a Vocabulary,
    text: &'a str,
    out: &mut SmallVec<A>,
) {
    scan(text, |piece| {
        if let Piece::Token(span) = piece {
            out.push(token(vocabulary, span));
        }
    });
}

/// Cuts text into sentences on `. ! ? ;` and line breaks, and those into
/// tokens looked up in the vocabulary.
pub fn tokenize<'a>(vocabulary: &'a Vocabulary, text: &'a str) -> Tokens<'a> {
    let mut tokens = Tokens::default();
    tokens.cut(vocabulary, text);
    tokens
}

/// The lower-case words of a list entry, as the tokenizer would cut them.
fn plain_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    scan(text, |piece| {
        if let Piece::Token(span) = piece {
            words.push(lower_case(span).into_owned());
        }
    });
    words
}

/// What [`scan`] finds: a token, or the end of a sentence.
enum Piece<'a> {
    Token(&'a str),
    End { question: bool },
}

/// The one pass over a text that both the tokenizer and the lists use.
fn scan<'a>(text: &'a str, mut found: impl FnMut(Piece<'a>)) {
    let bytes = text.as_bytes();
    let mut word_start: Option<usize> = None;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        // Most text is ASCII words between spaces: run over a word's ASCII
        // bytes in a tight loop, and end it at a space without decoding.
        if ASCII_WORD_BYTES[usize::from(byte)] {
            word_start.get_or_insert(at);
            at += 1;
            while at < bytes.len() && ASCII_WORD_BYTES[usize::from(bytes[at])] {
                at += 1;
            }
            continue;
        }
        if byte == b' ' {
            if let Some(start) = word_start.take() {
                word(&text[start..at], &mut found);
            }
            at += 1;
            continue;
        }
        let (c, width) = if byte.is_ascii() {
            (char::from(byte), 1)
        } else {
            let c = text[at..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            (c, c.len_utf8())
        };
        if is_word_char(c) {
            word_start.get_or_insert(at);
            at += width;
            continue;
        }
        if let Some(start) = word_start.take() {
            word(&text[start..at], &mut found);
        }
        match c {
            '.' | '!' | '?' | ';' | '\n' => found(Piece::End { question: c == '?' }),
            ',' | ':' | '—' | '–' | '(' | ')' | '"' | '“' | '”' => {
                found(Piece::Token(&text[at..at + width]))
            }
            c if c.is_whitespace() || c.is_ascii_punctuation() => {}
            // Emoji and other symbols are tokens of their own (🙄 is contempt).
            _ => found(Piece::Token(&text[at..at + width])),
        }
        at += width;
    }
    if let Some(start) = word_start {
        word(&text[start..], &mut found);
    }
    found(Piece::End { question: false });
}

/// The ASCII bytes [`is_word_char`] accepts: letters, digits, ' - /.
const ASCII_WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || matches!(b, b'\'' | b'-' | b'/');
        byte += 1;
    }
    table
};

/// A word without the hyphens and apostrophes around it.
fn word<'a>(text: &'a str, found: &mut impl FnMut(Piece<'a>)) {
    let edge = |c: char| c == '-' || c == '\'' || c == '’';
    // Most words are letters at both ends: then nothing needs trimming.
    let bytes = text.as_bytes();
    let plain = bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric);
    found(Piece::Token(if plain {
        text
    } else {
        text.trim_matches(edge)
    }));
}

/// Whether a character belongs to a word (letters, digits, ' ’ - /).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\'' | '’' | '-' | '/')
}

#[inline]
fn token<'a>(vocabulary: &'a Vocabulary, text: &'a str) -> Token<'a> {
    if let Some(raw) = short_bytes(text.as_bytes())
        && raw & HIGH_BITS == 0
    {
        return short_token(vocabulary, text, raw);
    }
    long_token(vocabulary, text)
}

/// [`token`] for a word longer than eight bytes or not ASCII: kept out of
/// line, so the common case needs no buffer and inlines where it is cut.
#[inline(never)]
fn long_token<'a>(vocabulary: &'a Vocabulary, text: &'a str) -> Token<'a> {
    let mut buffer = [0u8; LONGEST_WORD];
    let known = lower_into(text, &mut buffer)
        .filter(|(length, _)| *length > 0)
        .and_then(|(length, _)| {
            let lower = &buffer[..length];
            vocabulary.find_by_key(key(lower), lower)
        });
    Token::looked_up(text, known)
}

/// The high bit of each of eight bytes: set only by non-ASCII bytes.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
/// One in each of eight bytes.
const ONES: u64 = 0x0101_0101_0101_0101;

/// A word of one to eight bytes as a number, first byte lowest, zero-padded
/// ([`packed`] without a loop: two overlapping loads, or three bytes).
#[inline]
fn short_bytes(bytes: &[u8]) -> Option<u64> {
    let len = bytes.len();
    match len {
        1..=3 => Some(
            u64::from(bytes[0])
                | u64::from(bytes[len / 2]) << (8 * (len / 2))
                | u64::from(bytes[len - 1]) << (8 * (len - 1)),
        ),
        4..=8 => {
            let low = u32::from_le_bytes(bytes[..4].try_into().ok()?);
            let high = u32::from_le_bytes(bytes[len - 4..].try_into().ok()?);
            Some(u64::from(low) | u64::from(high) << (8 * (len - 4)))
        }
        _ => None,
    }
}

/// Eight ASCII bytes in lower case at once.
#[inline]
fn ascii_lower(raw: u64) -> u64 {
    // Every byte is below 0x80, so adding to one never carries into the
    // next: the high bit says "at least 'A'", then "beyond 'Z'".
    let from_a = raw + ONES * u64::from(0x80 - b'A');
    let beyond_z = raw + ONES * u64::from(0x80 - b'Z' - 1);
    let upper = (from_a & !beyond_z) & HIGH_BITS;
    raw | upper >> 2
}

/// [`token`] for the common case, an ASCII word of up to eight bytes
/// (`raw`, as [`short_bytes`] reads it): lower-cased all at once, in a
/// register, and looked up by that.
#[inline]
fn short_token<'a>(vocabulary: &'a Vocabulary, text: &'a str, raw: u64) -> Token<'a> {
    Token::looked_up(text, vocabulary.find_by_key(ascii_lower(raw), &[]))
}

/// A word in lower case with typographic apostrophes made plain, as the
/// vocabulary holds it and as a token is looked up: list words and message
/// words go through this one function, so they always meet.
fn lower_case(text: &str) -> Cow<'_, str> {
    let mut buffer = [0u8; LONGEST_WORD];
    match lower_into(text, &mut buffer) {
        Some((_, false)) => Cow::Borrowed(text),
        Some((length, true)) => std::str::from_utf8(&buffer[..length])
            .map_or_else(|_| lowered(text), |lower| Cow::Owned(lower.to_owned())),
        None => lowered(text),
    }
}

/// [`lower_case`] for a word [`lower_into`] cannot take: too long, a final
/// sigma, or a character that lower-cases to several.
fn lowered(text: &str) -> Cow<'_, str> {
    if text.chars().any(|c| c.is_uppercase() || c == '’') {
        Cow::Owned(text.to_lowercase().replace('’', "'"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Word sequences indexed by their first word, for matching at a position.
#[derive(Clone, Debug, Default)]
pub struct PhraseSet {
    /// This set's bit in [`Token::starts`]; zero past the 64th set, which
    /// then always looks in its table.
    bit: u64,
    /// Whether every phrase is one word, so the bit alone tells membership.
    single_words: bool,
    by_first: FxHashMap<WordId, Vec<Box<[WordId]>>>,
}

impl PhraseSet {
    pub fn new<'p>(
        vocabulary: &mut Vocabulary,
        phrases: impl IntoIterator<Item = &'p str>,
    ) -> PhraseSet {
        let bit = 1u64.checked_shl(vocabulary.sets).unwrap_or(0);
        vocabulary.sets += 1;
        let mut by_first: FxHashMap<WordId, Vec<Box<[WordId]>>> = FxHashMap::default();
        for phrase in phrases {
            let words = vocabulary.intern_phrase(phrase);
            if let Some(&first) = words.first() {
                vocabulary.mark_start(first, bit);
                by_first.entry(first).or_default().push(words);
            }
        }
        // Longest first, so "such a" wins over "such".
        for phrases in by_first.values_mut() {
            phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
        }
        let single_words = by_first.values().flatten().all(|phrase| phrase.len() == 1);
        PhraseSet {
            bit,
            single_words,
            by_first,
        }
    }

    /// Whether a phrase of the set may start with this token; `false` is certain.
    #[inline]
    fn may_start(&self, token: &Token<'_>) -> bool {
        self.bit == 0 || token.starts & self.bit != 0
    }

    /// The length of the longest phrase starting at `at`, if any.
    #[inline]
    pub fn match_at(&self, tokens: &[Token<'_>], at: usize) -> Option<usize> {
        let first = tokens.get(at)?;
        if !self.may_start(first) {
            return None;
        }
        // The bit alone tells a one-word phrase: no table lookup.
        if self.single_words && self.bit != 0 {
            return Some(1);
        }
        let candidates = self.by_first.get(&first.word)?;
        let rest = &tokens[at..];
        candidates
            .iter()
            .find(|phrase| {
                phrase.len() <= rest.len()
                    && phrase
                        .iter()
                        .zip(rest)
                        .all(|(word, token)| *word == token.word)
            })
            .map(|phrase| phrase.len())
    }

    /// Whether any phrase occurs anywhere in `tokens`.
    pub fn occurs_in(&self, tokens: &[Token<'_>]) -> bool {
        if self.bit != 0 {
            // Only a token with the set's bit can start a phrase of it: the
            // test in the loop itself keeps the loop tight (measured: about
            // 1 % of a suggestion's instructions).
            return (0..tokens.len()).any(|at| {
                tokens[at].starts & self.bit != 0 && self.match_at(tokens, at).is_some()
            });
        }
        (0..tokens.len()).any(|at| self.match_at(tokens, at).is_some())
    }

    /// Whether a token is in the set as a one-word phrase.
    #[inline]
    pub fn contains(&self, token: &Token<'_>) -> bool {
        if self.single_words && self.bit != 0 {
            return token.starts & self.bit != 0;
        }
        self.may_start(token) && self.contains_id(token.word)
    }

    /// Whether a word (by id) is in the set as a one-word phrase.
    pub fn contains_id(&self, word: WordId) -> bool {
        self.by_first
            .get(&word)
            .is_some_and(|phrases| phrases.iter().any(|p| p.len() == 1))
    }

    pub fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }

    /// The number of words in the set's longest phrase.
    pub fn longest(&self) -> usize {
        self.by_first
            .values()
            .flat_map(|phrases| phrases.first())
            .map(|phrase| phrase.len())
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(vocabulary: &Vocabulary, text: &str) -> Vec<Vec<String>> {
        let tokens = tokenize(vocabulary, text);
        tokens
            .sentences()
            .map(|s| s.tokens.iter().map(|t| t.lower().into_owned()).collect())
            .collect()
    }

    #[test]
    fn sentences_split_and_words_lower() {
        let mut vocabulary = Vocabulary::default();
        PhraseSet::new(&mut vocabulary, ["never", "don't"]);
        for vocabulary in [&Vocabulary::default(), &vocabulary] {
            assert_eq!(
                words(vocabulary, "You NEVER text me back! Why? Don’t, ok"),
                vec![
                    vec!["you", "never", "text", "me", "back"],
                    vec!["why"],
                    vec!["don't", ",", "ok"]
                ]
            );
            let asked = tokenize(vocabulary, "Are you serious?");
            assert!(asked.sentences().all(|s| s.question));
            assert_eq!(
                words(vocabulary, "whatever 🙄"),
                vec![vec!["whatever", "🙄"]]
            );
            let possessive = tokenize(vocabulary, "Sam's party 'quoted'");
            let texts: Vec<&str> = possessive.all.iter().map(|t| t.text).collect();
            assert_eq!(texts, ["Sam's", "party", "quoted"]);
        }
        assert_eq!(
            words(&Vocabulary::default(), "ÉTÉ straße"),
            vec![vec!["été", "straße"]]
        );
    }

    #[test]
    fn phrases_match_longest_first() {
        let mut vocabulary = Vocabulary::default();
        let set = PhraseSet::new(&mut vocabulary, ["such", "such a", "every time"]);
        let other = PhraseSet::new(&mut vocabulary, ["mess"]);
        let tokens = tokenize(&vocabulary, "you are SUCH a mess every time");
        let sentence = &tokens.all;
        assert_eq!(set.match_at(sentence, 2), Some(2));
        assert_eq!(set.match_at(sentence, 5), Some(2));
        assert_eq!(set.match_at(sentence, 0), None);
        assert_eq!(set.match_at(sentence, 4), None, "another set's word");
        assert_eq!(other.match_at(sentence, 4), Some(1));
        assert!(set.occurs_in(sentence));
        assert!(set.contains(&sentence[2]));
        assert!(!set.contains(&sentence[5]), "only as the start of a phrase");
        assert!(other.contains(&sentence[4]) && !other.contains(&sentence[2]));
    }

    #[test]
    fn short_words_are_read_and_lowered_like_the_long_way() {
        // Every ASCII byte at every place of every length up to eight.
        for byte in 1..=127u8 {
            for len in 1..=8 {
                for at in 0..len {
                    let mut word = b"aZ9'-/Qm".to_vec();
                    word.truncate(len);
                    word[at] = byte;
                    let raw = short_bytes(&word).expect("up to eight bytes");
                    assert_eq!(raw, packed(&word), "{word:?}");
                    let lower = word.to_ascii_lowercase();
                    assert_eq!(ascii_lower(raw), packed(&lower), "{word:?}");
                }
            }
        }
        assert_eq!(short_bytes(b""), None);
        assert_eq!(short_bytes(b"ninebytes"), None);
    }

    #[test]
    fn the_ascii_word_table_agrees_with_word_chars() {
        for byte in 0..=255u8 {
            let table = ASCII_WORD_BYTES[usize::from(byte)];
            assert_eq!(table, byte.is_ascii() && is_word_char(char::from(byte)));
        }
    }

    #[test]
    fn list_words_and_message_words_are_lowered_alike() {
        // ǅ is title case: not "upper case", yet it lowers to ǆ.
        let mut vocabulary = Vocabulary::default();
        let set = PhraseSet::new(&mut vocabulary, ["ǅem", "Don’t"]);
        let tokens = tokenize(&vocabulary, "ǄEM ǆem don't");
        assert!((0..3).all(|at| set.match_at(&tokens.all, at) == Some(1)));
    }

    #[test]
    fn sets_past_the_sixty_fourth_still_match() {
        let mut vocabulary = Vocabulary::default();
        let sets: Vec<PhraseSet> = (0..70)
            .map(|n| PhraseSet::new(&mut vocabulary, [format!("word{n}").as_str()]))
            .collect();
        let tokens = tokenize(&vocabulary, "word3 word69");
        assert_eq!(sets[3].match_at(&tokens.all, 0), Some(1));
        assert_eq!(sets[69].match_at(&tokens.all, 1), Some(1));
        assert_eq!(sets[69].match_at(&tokens.all, 0), None);
    }
}
