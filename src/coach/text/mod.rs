//! Text for the coach: a message cut into sentences of tokens, each with
//! its spelling as written and its standard lower-case form, and the word
//! lists the rules match against.
//!
//! Nothing here knows a language: a word is a run of Unicode letters and
//! digits (with ' ’ - / inside), so é, ñ and ü are letters like any other;
//! marks (`,` `:` `—` …) and emoji are tokens of their own; a sentence ends
//! at `.` `!` `?` `;` `…` or a line break. What a word means comes from the
//! lists in `prompts/<locale>/coach.toml` ([`words`]), and chat spellings
//! ("u", "ur") are made standard by the lists too ([`spelling`]).
//!
//! - [`phrases`]: the vocabulary and phrase sets, matched word by word.
//! - [`words`]: the coach's word lists, read once at start.
//! - [`spelling`]: cutting a message into standard tokens.
//! - [`topics`]: what a message is about.

pub mod phrases;
pub mod spelling;
pub mod topics;
pub mod words;

use std::borrow::Cow;

use smallvec::SmallVec;

pub use phrases::{Hit, Match, PhraseSet, UNKNOWN, Vocabulary, WordId};
pub use words::Lexicon;

/// Why the coach's vocabulary could not be built.
#[derive(Debug, thiserror::Error)]
#[error("the coach prompts are incomplete: `{0}` is missing or empty")]
pub struct LexiconError(pub String);

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Word,
    /// `,` `:` `—` `–` `(` `)` and quotes: they end a clause, not a sentence.
    Mark,
    /// An emoji or another symbol.
    Symbol,
}

/// One word, mark or symbol of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    /// As written.
    pub text: &'a str,
    /// Lower case, typographic apostrophes plain, chat spellings standard:
    /// what the lists are matched against and what a suggestion keeps.
    pub norm: Cow<'a, str>,
    /// The norm's place in the vocabulary, or [`UNKNOWN`].
    pub id: WordId,
    /// The listed phrases that start at this token, one (the longest) per
    /// list ([`phrases::Vocabulary::find_hits`]).
    pub hits: SmallVec<[phrases::Hit; 2]>,
    /// The same as a set of list numbers, for a quick "is it in this list?".
    pub sets: u128,
    pub kind: Kind,
    /// Written in capitals ("AGAIN").
    pub shout: bool,
}

impl Token<'_> {
    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }
}

/// How a sentence ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct End {
    pub question: bool,
    pub exclaim: bool,
    /// Trailing off: `...` or `…`.
    pub trailing: bool,
}

/// A sentence: a range of [`Tokens::all`] and how it ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub ends: End,
}

/// A message cut into tokens, and the tokens into sentences.
#[derive(Clone, Debug, Default)]
pub struct Tokens<'a> {
    pub all: Vec<Token<'a>>,
    pub sentences: Vec<Sentence>,
}

impl<'a> Tokens<'a> {
    /// The tokens of one sentence.
    pub fn of(&self, sentence: &Sentence) -> &[Token<'a>] {
        &self.all[sentence.start..sentence.end]
    }

    /// The sentence a token is in.
    pub fn sentence_at(&self, at: usize) -> Option<&Sentence> {
        self.sentences
            .iter()
            .find(|s| (s.start..s.end).contains(&at))
    }
}

/// What [`scan`] finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Word(&'a str),
    Mark(&'a str),
    Symbol(&'a str),
    End(End),
}

/// Whether a character belongs to a word (letters, digits, ' ’ - /).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\'' | '’' | '-' | '/')
}

/// Characters that join or modify the symbol before them (❤️, 👍🏽, 👩‍❤️‍👨).
fn joins_symbol(c: char) -> bool {
    matches!(c, '\u{fe0e}' | '\u{fe0f}' | '\u{200d}' | '\u{20e3}')
        || ('\u{1f3fb}'..='\u{1f3ff}').contains(&c)
}

/// The one pass over a text that both messages and list entries go through.
pub fn scan<'a>(text: &'a str, mut found: impl FnMut(Piece<'a>)) {
    let mut word: Option<usize> = None;
    let mut pending: Option<End> = None;
    let mut symbol: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if let Some(start) = symbol {
            if joins_symbol(c) {
                continue;
            }
            // After a zero-width joiner the next character belongs too.
            let joined = text[..at].ends_with('\u{200d}');
            if joined && !c.is_whitespace() {
                continue;
            }
            symbol = None;
            found(Piece::Symbol(&text[start..at]));
        }
        if is_word_char(c) {
            if let Some(end) = pending.take() {
                found(Piece::End(end));
            }
            word.get_or_insert(at);
            continue;
        }
        if let Some(start) = word.take() {
            emit_word(&text[start..at], &mut found);
        }
        let ending = match c {
            '.' | '…' => Some(End {
                trailing: c == '…' || chars.peek().is_some_and(|(_, n)| *n == '.'),
                ..End::default()
            }),
            '!' => Some(End {
                exclaim: true,
                ..End::default()
            }),
            '?' => Some(End {
                question: true,
                ..End::default()
            }),
            ';' | '\n' => Some(End::default()),
            _ => None,
        };
        if let Some(ending) = ending {
            let merged = pending.get_or_insert_with(End::default);
            merged.question |= ending.question;
            merged.exclaim |= ending.exclaim;
            merged.trailing |= ending.trailing;
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        if let Some(end) = pending.take() {
            found(Piece::End(end));
        }
        match c {
            ',' | ':' | '—' | '–' | '(' | ')' | '"' | '“' | '”' => {
                found(Piece::Mark(&text[at..at + c.len_utf8()]));
            }
            c if c.is_ascii_punctuation() => {}
            _ => symbol = Some(at),
        }
    }
    if let Some(start) = symbol {
        found(Piece::Symbol(&text[start..]));
    }
    if let Some(start) = word {
        emit_word(&text[start..], &mut found);
    }
    found(Piece::End(pending.unwrap_or_default()));
}

/// A word without the hyphens and apostrophes around it.
fn emit_word<'a>(text: &'a str, found: &mut impl FnMut(Piece<'a>)) {
    let trimmed = text.trim_matches(|c| c == '-' || c == '\'' || c == '’');
    if !trimmed.is_empty() {
        found(Piece::Word(trimmed));
    }
}

/// A word in lower case with typographic apostrophes made plain.
pub fn lower_case(text: &str) -> Cow<'_, str> {
    if text.chars().any(|c| c.is_uppercase() || c == '’') {
        Cow::Owned(text.to_lowercase().replace('’', "'"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether a word is written in capitals: two letters or more, none lower.
pub fn is_shouted(text: &str) -> bool {
    let mut letters = 0;
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    letters >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        scan(text, |piece| {
            out.push(match piece {
                Piece::Word(w) => w.to_owned(),
                Piece::Mark(m) => format!("<{m}>"),
                Piece::Symbol(s) => format!("[{s}]"),
                Piece::End(end) => format!(
                    "|{}{}{}",
                    if end.question { "?" } else { "" },
                    if end.exclaim { "!" } else { "" },
                    if end.trailing { "…" } else { "" }
                ),
            });
        });
        out
    }

    #[test]
    fn words_marks_symbols_and_sentence_ends() {
        assert_eq!(
            pieces("You NEVER text me back! Why?! ok, 'fine'"),
            [
                "You", "NEVER", "text", "me", "back", "|!", "Why", "|?!", "ok", "<,>", "fine", "|"
            ]
        );
        assert_eq!(
            pieces("wow thanks... not 🙄❤️"),
            ["wow", "thanks", "|…", "not", "[🙄]", "[❤️]", "|"]
        );
        assert_eq!(
            pieces("été, señor über"),
            ["été", "<,>", "señor", "über", "|"]
        );
        assert_eq!(pieces("24/7 — ok"), ["24/7", "<—>", "ok", "|"]);
    }

    #[test]
    fn lower_case_and_capitals() {
        assert_eq!(lower_case("Don’t"), "don't");
        assert_eq!(lower_case("ÉTÉ"), "été");
        assert!(matches!(lower_case("plain"), Cow::Borrowed(_)));
        assert!(is_shouted("AGAIN") && !is_shouted("I") && !is_shouted("Again"));
    }
}
