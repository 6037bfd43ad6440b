//! Text handling for the coach: sentences of word tokens, each with its
//! original spelling and a lower-case form, and phrase sets matched word by
//! word. Built for speed: one pass, lower-casing only what needs it.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

/// One word, emoji or clause mark (`,` `:` `—`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    /// As written, for suggestions that keep names and spelling.
    pub text: &'a str,
    /// Lower case with typographic apostrophes made plain, for matching.
    pub lower: Cow<'a, str>,
}

/// A sentence: its tokens, and whether it ended with a question mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence<'a> {
    pub tokens: Vec<Token<'a>>,
    pub question: bool,
}

/// Splits text into sentences on `. ! ? ;` and line breaks.
pub fn sentences(text: &str) -> Vec<Sentence<'_>> {
    let mut sentences = Vec::new();
    let mut tokens = Vec::new();
    let mut word_start: Option<usize> = None;
    fn end_word<'a>(
        text: &'a str,
        tokens: &mut Vec<Token<'a>>,
        start: &mut Option<usize>,
        end: usize,
    ) {
        if let Some(begin) = start.take() {
            tokens.push(token(&text[begin..end]));
        }
    }

    for (index, c) in text.char_indices() {
        if is_word_char(c) {
            word_start.get_or_insert(index);
            continue;
        }
        end_word(text, &mut tokens, &mut word_start, index);
        match c {
            '.' | '!' | '?' | ';' | '\n' => {
                if !tokens.is_empty() {
                    sentences.push(Sentence {
                        tokens: std::mem::take(&mut tokens),
                        question: c == '?',
                    });
                } else if c == '?'
                    && let Some(last) = sentences.last_mut()
                {
                    last.question = true;
                }
            }
            ',' | ':' | '—' | '–' | '(' | ')' | '"' | '“' | '”' => {
                tokens.push(token(&text[index..index + c.len_utf8()]))
            }
            c if c.is_whitespace() || c.is_ascii_punctuation() => {}
            // Emoji and other symbols are tokens of their own (🙄 is contempt).
            _ => tokens.push(token(&text[index..index + c.len_utf8()])),
        }
    }
    end_word(text, &mut tokens, &mut word_start, text.len());
    if !tokens.is_empty() {
        sentences.push(Sentence {
            tokens,
            question: false,
        });
    }
    sentences
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\'' | '’' | '-' | '/')
}

fn token(text: &str) -> Token<'_> {
    let text = text.trim_matches(|c| c == '-' || c == '\'' || c == '’');
    let needs_change = text.chars().any(|c| c.is_uppercase() || c == '’');
    let lower = if needs_change {
        Cow::Owned(text.to_lowercase().replace('’', "'"))
    } else {
        Cow::Borrowed(text)
    };
    Token { text, lower }
}

/// Word sequences indexed by their first word, for matching at a position.
#[derive(Clone, Debug, Default)]
pub struct PhraseSet {
    by_first: FxHashMap<String, Vec<Vec<String>>>,
}

impl PhraseSet {
    pub fn new<'a>(phrases: impl IntoIterator<Item = &'a str>) -> PhraseSet {
        let mut by_first: FxHashMap<String, Vec<Vec<String>>> = FxHashMap::default();
        for phrase in phrases {
            let words: Vec<String> = sentences(phrase)
                .into_iter()
                .flat_map(|s| s.tokens)
                .map(|t| t.lower.into_owned())
                .collect();
            if let Some(first) = words.first() {
                by_first.entry(first.clone()).or_default().push(words);
            }
        }
        // Longest first, so "such a" wins over "such".
        for phrases in by_first.values_mut() {
            phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
        }
        PhraseSet { by_first }
    }

    /// The length of the longest phrase starting at `at`, if any.
    pub fn match_at(&self, tokens: &[Token<'_>], at: usize) -> Option<usize> {
        let first = tokens.get(at)?;
        let candidates = self.by_first.get(first.lower.as_ref())?;
        candidates
            .iter()
            .find(|phrase| {
                phrase.len() <= tokens.len() - at
                    && phrase
                        .iter()
                        .zip(&tokens[at..])
                        .all(|(word, token)| word == token.lower.as_ref())
            })
            .map(Vec::len)
    }

    /// Whether any phrase occurs anywhere in `tokens`.
    pub fn occurs_in(&self, tokens: &[Token<'_>]) -> bool {
        (0..tokens.len()).any(|at| self.match_at(tokens, at).is_some())
    }

    /// Whether a single word is in the set (as a one-word phrase).
    pub fn contains_word(&self, word: &str) -> bool {
        self.by_first
            .get(word)
            .is_some_and(|phrases| phrases.iter().any(|p| p.len() == 1))
    }

    pub fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Vec<String>> {
        sentences(text)
            .into_iter()
            .map(|s| s.tokens.into_iter().map(|t| t.lower.into_owned()).collect())
            .collect()
    }

    #[test]
    fn sentences_split_and_words_lower() {
        assert_eq!(
            words("You NEVER text me back! Why? Don’t, ok"),
            vec![
                vec!["you", "never", "text", "me", "back"],
                vec!["why"],
                vec!["don't", ",", "ok"]
            ]
        );
        let parsed = sentences("Are you serious?");
        assert!(parsed[0].question);
        assert_eq!(words("whatever 🙄"), vec![vec!["whatever", "🙄"]]);
        assert_eq!(sentences("Sam's party")[0].tokens[0].text, "Sam's");
    }

    #[test]
    fn phrases_match_longest_first() {
        let set = PhraseSet::new(["such", "such a", "every time"]);
        let sentence = &sentences("you are such a mess every time")[0].tokens;
        assert_eq!(set.match_at(sentence, 2), Some(2));
        assert_eq!(set.match_at(sentence, 5), Some(2));
        assert_eq!(set.match_at(sentence, 0), None);
        assert!(set.occurs_in(sentence));
        assert!(set.contains_word("such"));
    }
}
