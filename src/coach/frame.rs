//! Checking a suggestion without reading our own words again.
//!
//! A suggestion is a template of ours ("I feel {feeling} when {situation},
//! because {need}. Could we {request}?") around a situation taken from the
//! message. Every part but the situation is fixed for a feeling, so each
//! feeling's suggestion is cut into tokens once, with a marker where the
//! situation goes; a check then cuts only the situation and splices its
//! tokens in. The verdict is the one [`super::rewrite::is_sound`] gives the
//! whole text, which a test holds it to.

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use super::analyze;
use super::lexicon::Lexicon;
use super::rewrite;
use super::text::{self, OwnedToken, Sentence, Starts, Token};

/// Stands where the situation goes: a private-use character, a token of its own.
const MARKER: &str = "\u{E000}";

/// The first byte of [`MARKER`] in UTF-8.
const MARKER_LEAD: u8 = 0xEE;

/// Each feeling's suggestion, cut once.
#[derive(Clone, Debug, Default)]
pub struct Frames {
    by_feeling: FxHashMap<String, Frame>,
}

impl Frames {
    /// Frames for every feeling whose suggestion can be spliced exactly;
    /// `suggestion_for` writes a feeling's suggestion around a situation.
    pub fn new(lex: &Lexicon, suggestion_for: impl Fn(&str, &str) -> String) -> Frames {
        let by_feeling = lex
            .feelings
            .iter()
            .filter_map(|feeling| {
                let frame = Frame::new(lex, &suggestion_for(feeling, MARKER))?;
                Some((feeling.clone(), frame))
            })
            .collect();
        Frames { by_feeling }
    }

    /// The frame for a feeling, if its suggestion can be spliced.
    pub fn get(&self, feeling: &str) -> Option<&Frame> {
        self.by_feeling.get(feeling)
    }
}

/// One feeling's suggestion, cut into tokens around the situation.
#[derive(Clone, Debug)]
pub struct Frame {
    /// Our text before and after the situation.
    head: String,
    tail: String,
    /// Our tokens before and after the situation, in its sentence.
    before: Vec<OwnedToken>,
    after: Vec<OwnedToken>,
    question: bool,
    /// Whether any other sentence (all ours) is blaming, or a crisis.
    others_blaming: bool,
    others_crisis: bool,
    /// Whether an absolute occurs in our words before or after the situation.
    absolute_in_ours: bool,
    /// The phrase sets any of our words could start.
    ours_start: Starts,
    /// Our last and first few tokens around the situation, for an absolute
    /// that would span it.
    edge_before: Vec<OwnedToken>,
    edge_after: Vec<OwnedToken>,
    /// Whether those tokens are all in the situation's sentence.
    edge_in_sentence: bool,
    /// Whitespace-separated words of ours before and after the situation,
    /// whether the situation's first and last words would join one of
    /// ours, and the count when the situation is empty.
    words_before: usize,
    words_after: usize,
    joins_before: bool,
    joins_after: bool,
    words_without: usize,
}

impl Frame {
    fn new(lex: &Lexicon, framed: &str) -> Option<Frame> {
        let (head, tail) = framed.split_once(MARKER)?;
        // The splice is exact only if the situation's words cannot run into
        // ours, and there is one situation.
        let apart = |c: Option<char>| !c.is_some_and(text::is_word_char);
        if tail.contains(MARKER) || !apart(head.chars().last()) || !apart(tail.chars().next()) {
            return None;
        }
        // A template that does not open with "I feel" on its own: no frame,
        // its suggestions are checked whole.
        if !rewrite::opens_with_feeling(head) {
            return None;
        }
        let tokens = text::tokenize(&lex.vocabulary, framed);
        let marker = tokens.all.iter().position(|t| t.text == MARKER)?;
        let (range, question) = tokens
            .spans()
            .iter()
            .find(|(range, _)| range.contains(&marker))
            .cloned()?;
        let mut others_blaming = false;
        let mut others_crisis = false;
        let others = tokens.spans().iter().filter(|(other, _)| *other != range);
        for (other, asks) in others {
            let sentence = Sentence::new(&tokens.all[other.clone()], *asks);
            let analysis = analyze::judge_sentence(lex, &sentence);
            others_blaming |= analysis.blaming();
            others_crisis |= analysis.crisis;
        }
        let owned = |tokens: &[Token<'_>]| tokens.iter().map(Token::to_owned_token).collect();
        let reach = lex.absolutes.longest();
        let ours_before = &tokens.all[..marker];
        let ours_after = &tokens.all[marker + 1..];
        Some(Frame {
            head: head.to_owned(),
            tail: tail.to_owned(),
            before: owned(&tokens.all[range.start..marker]),
            after: owned(&tokens.all[marker + 1..range.end]),
            question,
            others_blaming,
            others_crisis,
            absolute_in_ours: lex.absolutes.occurs_in(ours_before)
                || lex.absolutes.occurs_in(ours_after),
            ours_start: Starts::of(ours_before).with(Starts::of(ours_after)),
            edge_before: owned(&ours_before[ours_before.len().saturating_sub(reach)..]),
            edge_after: owned(&ours_after[..reach.min(ours_after.len())]),
            edge_in_sentence: marker - range.start >= reach && range.end - marker > reach,
            words_before: head.split_whitespace().count(),
            words_after: tail.split_whitespace().count(),
            joins_before: !head.ends_with(char::is_whitespace) && !head.is_empty(),
            joins_after: !tail.starts_with(char::is_whitespace) && !tail.is_empty(),
            words_without: format!("{head}{tail}").split_whitespace().count(),
        })
    }

    /// The suggestion around the situation `situation` writes: the
    /// template filled without reading it again, and whether it is sound
    /// (`None`: check the whole text).
    pub fn write(
        &self,
        lex: &Lexicon,
        situation: impl FnOnce(&mut String),
    ) -> (String, Option<bool>) {
        let mut text = String::with_capacity(self.head.len() + 64 + self.tail.len());
        text.push_str(&self.head);
        situation(&mut text);
        let end = text.len();
        text.push_str(&self.tail);
        let sound = self.is_sound(lex, &text[self.head.len()..end]);
        (text, sound)
    }

    /// Whether the suggestion around `situation` is sound, or `None` when it
    /// must be checked as a whole text.
    pub fn is_sound(&self, lex: &Lexicon, situation: &str) -> Option<bool> {
        if !splices_exactly(situation) {
            return None;
        }
        let words = self.words_with(situation);
        if !(rewrite::MIN_WORDS..=rewrite::MAX_WORDS).contains(&words) {
            return Some(false);
        }
        let mut spliced: SmallVec<[Token<'_>; 40]> = SmallVec::new();
        spliced.extend(self.before.iter().map(OwnedToken::as_token));
        text::append_tokens(&lex.vocabulary, situation, &mut spliced);
        let situation_tokens = self.before.len()..spliced.len();
        if situation_tokens.is_empty() {
            return None;
        }
        spliced.extend(self.after.iter().map(OwnedToken::as_token));
        // An absolute spanning the situation lies within its sentence unless
        // the situation is near the sentence's edge; none can occur unless
        // one of the words starts one.
        let starts = self
            .ours_start
            .with(Starts::of(&spliced[situation_tokens.clone()]));
        let absolute = if !starts.may_hold(&lex.absolutes) {
            false
        } else if self.edge_in_sentence {
            lex.absolutes.occurs_in(&spliced)
        } else {
            let edge: SmallVec<[Token<'_>; 24]> =
                (self.edge_before.iter().map(OwnedToken::as_token))
                    .chain(spliced[situation_tokens].iter().cloned())
                    .chain(self.edge_after.iter().map(OwnedToken::as_token))
                    .collect();
            lex.absolutes.occurs_in(&edge)
        };
        if self.absolute_in_ours || absolute {
            return Some(false);
        }
        let analysis = analyze::judge_sentence(lex, &Sentence::new(&spliced, self.question));
        let crisis = self.others_crisis || analysis.crisis;
        Some(crisis || !(self.others_blaming || analysis.blaming()))
    }

    /// The whitespace-separated words of the whole suggestion.
    fn words_with(&self, situation: &str) -> usize {
        let inner = situation.split_whitespace().count();
        if inner == 0 {
            return if situation.is_empty() {
                self.words_without
            } else {
                self.words_before + self.words_after
            };
        }
        let joined_before = self.joins_before && !situation.starts_with(char::is_whitespace);
        let joined_after = self.joins_after && !situation.ends_with(char::is_whitespace);
        self.words_before + inner + self.words_after
            - usize::from(joined_before)
            - usize::from(joined_after)
    }
}

/// Whether a situation leaves the template's sentences as they are: it
/// ends none (`. ! ? ;` or a line break) and holds no [`MARKER`]. One pass
/// over the bytes, since this runs for every suggestion; a byte that leads
/// the marker's UTF-8 sends the rare text that has one to a full search.
fn splices_exactly(situation: &str) -> bool {
    let mut marker_lead = false;
    for &byte in situation.as_bytes() {
        match byte {
            b'.' | b'!' | b'?' | b';' | b'\n' => return false,
            MARKER_LEAD => marker_lead = true,
            _ => {}
        }
    }
    !marker_lead || !situation.contains(MARKER)
}

#[cfg(test)]
mod tests {
    use super::super::{Coach, rewrite};
    use crate::prompts::Catalog;

    /// Situations the rules write from the evaluation set, and some that
    /// test the edges: empty, blaming, absolutes reaching our words, long.
    fn situations(coach: &Coach) -> Vec<String> {
        let messages = include_str!("../../tests/data/reword-eval.tsv")
            .lines()
            .filter_map(|line| line.split_once('\t').map(|(_, text)| text));
        let mut situations: Vec<String> = messages
            .map(|message| rewrite::situation(&coach.lexicon, &coach.analyze(message).focus))
            .collect();
        let long = vec!["word"; 70].join(" ");
        let edges = [
            "",
            " ",
            "every",
            "time",
            "single time",
            "the time",
            "you always do this",
            "you never listen",
            "you're so selfish",
            "I want to die",
            "whatever",
            "you ignored me",
            "why do you always",
            "selfish",
            "of us",
            "  padded  ",
            "it. Then",
            "did you?",
            "🙄",
            "-",
            "'",
            &long,
        ];
        situations.extend(edges.map(String::from));
        situations
    }

    #[test]
    fn a_situation_that_ends_a_sentence_or_holds_the_marker_is_not_spliced() {
        for plain in ["", "you leave dishes in the sink", "café — 🙄, (it)"] {
            assert!(super::splices_exactly(plain), "{plain:?}");
        }
        for ends in [
            "it. Then",
            "why?",
            "no!",
            "a; b",
            "a\nb",
            "\u{E000}",
            "x\u{E000}y",
        ] {
            assert!(!super::splices_exactly(ends), "{ends:?}");
        }
        // Another character that shares the marker's first byte.
        assert!(super::splices_exactly("\u{E001}"));
    }

    #[test]
    fn the_splice_agrees_with_reading_the_whole_text() {
        let coach = Coach::from_catalog(&Catalog::embedded().unwrap()).unwrap();
        let lex = &coach.lexicon;
        assert_eq!(
            coach.frames.by_feeling.len(),
            lex.feelings.len(),
            "every English template can be spliced"
        );
        let mut spliced = 0;
        let mut unsound = 0;
        let situations = situations(&coach);
        for feeling in &lex.feelings {
            for situation in &situations {
                let text = rewrite::assemble(lex, feeling, situation);
                let whole = rewrite::is_sound(lex, &text);
                let frame = coach
                    .frames
                    .get(feeling)
                    .expect("a frame for every feeling");
                let (written, sound) = frame.write(lex, |out| out.push_str(situation));
                assert_eq!(written, text);
                assert_eq!(sound, frame.is_sound(lex, situation));
                if let Some(fast) = frame.is_sound(lex, situation) {
                    assert_eq!(fast, whole, "{feeling} / {situation:?}");
                    spliced += 1;
                    unsound += usize::from(!fast);
                }
            }
        }
        // Only the empty ones and those that end a sentence go the long way.
        let all = lex.feelings.len() * situations.len();
        assert!(
            spliced >= all - lex.feelings.len() * 4,
            "{spliced} of {all}"
        );
        assert!(unsound >= lex.feelings.len() * 5, "unsound: {unsound}");
    }
}
