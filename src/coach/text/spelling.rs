//! Cutting a message into standard tokens: each word lower-cased, looked up
//! once, and its chat spelling made standard from the lists ("u" -> "you",
//! "wanna" -> "want to", "ur" -> "your", or "you're" before "so").

use std::borrow::Cow;

use smallvec::SmallVec;

use super::words::Lexicon;
use super::{Kind, Piece, Sentence, Token, Tokens, is_shouted, lower_case, scan};

impl Lexicon {
    /// Cuts a message into sentences of standard tokens.
    pub fn tokenize<'a>(&'a self, text: &'a str) -> Tokens<'a> {
        let mut tokens = Tokens::default();
        let mut ambiguous: SmallVec<[usize; 2]> = SmallVec::new();
        let mut start = 0;
        scan(text, |piece| match piece {
            Piece::Word(word) => self.push_word(word, &mut tokens.all, &mut ambiguous),
            Piece::Mark(text) | Piece::Symbol(text) => {
                let kind = if matches!(piece, Piece::Mark(_)) {
                    Kind::Mark
                } else {
                    Kind::Symbol
                };
                tokens.all.push(Token {
                    text,
                    norm: Cow::Borrowed(text),
                    id: self.vocabulary.id(text),
                    hits: SmallVec::new(),
                    sets: 0,
                    kind,
                    shout: false,
                });
            }
            Piece::End(ends) => {
                let end = tokens.all.len();
                if end > start {
                    tokens.sentences.push(Sentence { start, end, ends });
                    start = end;
                } else if let Some(last) = tokens.sentences.last_mut() {
                    last.ends.question |= ends.question;
                    last.ends.exclaim |= ends.exclaim;
                    last.ends.trailing |= ends.trailing;
                }
            }
        });
        self.vocabulary.find_hits(&mut tokens.all);
        if !ambiguous.is_empty() {
            for at in ambiguous {
                self.choose_spelling(&mut tokens.all, at);
            }
            self.vocabulary.find_hits(&mut tokens.all);
        }
        tokens
    }

    fn push_word<'a>(
        &'a self,
        word: &'a str,
        out: &mut Vec<Token<'a>>,
        ambiguous: &mut SmallVec<[usize; 2]>,
    ) {
        let lower = lower_case(word);
        let shout = is_shouted(word);
        if self.spelling_choices.contains_key(&*lower) {
            ambiguous.push(out.len());
        }
        if let Some(standard) = self.spellings.get(&*lower) {
            for part in standard.iter() {
                let id = self.vocabulary.id(part);
                out.push(Token {
                    text: word,
                    norm: Cow::Borrowed(part),
                    id,
                    hits: SmallVec::new(),
                    sets: 0,
                    kind: Kind::Word,
                    shout,
                });
            }
            return;
        }
        let id = self.vocabulary.id(&lower);
        out.push(Token {
            text: word,
            norm: lower,
            id,
            hits: SmallVec::new(),
            sets: 0,
            kind: Kind::Word,
            shout,
        });
    }

    /// "ur so rude" is "you're so rude"; "ur phone" stays "your phone", and
    /// so does "ur snoring woke me".
    fn choose_spelling(&self, tokens: &mut [Token<'_>], at: usize) {
        let Some(choice) = self.spelling_choices.get(&*lower_case(tokens[at].text)) else {
            return;
        };
        let next = at + 1;
        let Some(following) = tokens.get(next) else {
            return;
        };
        let before_state = self.you_are_before.match_at(tokens, next).is_some()
            || self.words.labels.match_at(tokens, next).is_some();
        let progressive = self.is_progressive(following)
            && !tokens
                .get(next + 1)
                .is_some_and(|t| self.gerund_before.contains(t));
        if before_state || progressive {
            let id = self.vocabulary.id(choice);
            let token = &mut tokens[at];
            token.norm = Cow::Owned(choice.to_string());
            token.id = id;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::coach::text::Lexicon;
    use crate::prompts::Catalog;

    fn norms(text: &str) -> Vec<Vec<String>> {
        let lexicon = Lexicon::from_catalog(&Catalog::embedded().unwrap()).unwrap();
        let tokens = lexicon.tokenize(text);
        tokens
            .sentences
            .iter()
            .map(|s| tokens.of(s).iter().map(|t| t.norm.to_string()).collect())
            .collect()
    }

    #[test]
    fn chat_spellings_are_made_standard() {
        assert_eq!(
            norms("u NEVER wanna talk. ur so rude"),
            [
                vec!["you", "never", "want", "to", "talk"],
                vec!["you're", "so", "rude"]
            ]
        );
        assert_eq!(norms("ur phone"), [vec!["your", "phone"]]);
        assert_eq!(norms("ur ignoring me"), [vec!["you're", "ignoring", "me"]]);
        assert_eq!(
            norms("ur snoring woke me"),
            [vec!["your", "snoring", "woke", "me"]]
        );
        assert_eq!(norms("Don’t"), [vec!["don't"]]);
    }
}
