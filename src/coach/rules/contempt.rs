//! Contempt and sarcasm: "whatever.", "real mature", "thanks for nothing",
//! praise that means the opposite beside a complaint ("6 hours and no text
//! back. nice."), thanks for what hurt ("thanks for leaving me to do all
//! the packing"), an ironic ending ("… not"), an eye-roll 🙄, and a curt
//! reply ("k.").
//!
//! One word ("whatever", "great") is contempt only as a sentence's opening;
//! "whatever you want for dinner is fine" is not.

use super::clause::{Clause, is_partner, opening};
use super::{Cue, Findings};
use crate::coach::text::{Kind, Lexicon, Sentence, Token, Tokens};

/// How far after "thanks for" the harm it thanks for may be.
const THANKED_WITHIN: usize = 6;

pub fn find(lex: &Lexicon, tokens: &Tokens<'_>, clauses: &[Clause], found: &mut Findings) {
    let partner = !clauses.is_empty() || tokens.all.iter().any(|t| is_partner(lex, t));
    let complaint = found.blames() || complains_in(lex, &tokens.all);
    for sentence in &tokens.sentences {
        phrases(lex, tokens, sentence, partner || complaint, found);
        match sarcastic(lex, tokens, sentence) {
            Some(Praise::Whole) if complaint && tokens.sentences.len() > 1 => {
                found.add(Cue::Sarcasm)
            }
            Some(Praise::Opening(rest))
                if partner && complains_in(lex, &tokens.all[rest..sentence.end]) =>
            {
                found.add(Cue::Sarcasm);
            }
            _ => {}
        }
    }
    thanks(lex, tokens, found);
    curt(lex, tokens, found);
}

/// Whether words complain: a negation, the past, a complaint mark, a
/// negative word.
fn complains_in(lex: &Lexicon, span: &[Token<'_>]) -> bool {
    let w = &lex.words;
    lex.grammar.negations.occurs_in(span)
        || w.again.occurs_in(span)
        || w.complaint_marks.occurs_in(span)
        || w.negative.occurs_in(span)
}

fn phrases(
    lex: &Lexicon,
    tokens: &Tokens<'_>,
    sentence: &Sentence,
    aimed: bool,
    found: &mut Findings,
) {
    let all = &tokens.all;
    let start = opening(lex, all, sentence);
    // "must be nice to be on vacation, enjoy it babe!" is envy, not contempt.
    let kind = lex
        .words
        .positive
        .occurs_in(&all[sentence.start..sentence.end]);
    for at in sentence.start..sentence.end {
        let Some(m) = lex.words.contempt.find_at(all, at) else {
            continue;
        };
        let symbol = all[at].kind == Kind::Symbol;
        let word = m.len == 1 && !symbol;
        let whole = sentence.end <= start + m.len + 2
            || all.get(at + m.len).is_some_and(|t| t.kind == Kind::Mark);
        if symbol {
            if aimed {
                found.add(Cue::ContemptSymbol);
            }
        } else if (!word || at <= start && whole) && !kind {
            found.add(Cue::ContemptPhrase);
        }
    }
}

/// Praise that may be sarcasm: a whole sentence of it ("nice.", "wow.
/// great."), or its opening, before a mark ("great, you ate the leftovers").
enum Praise {
    Whole,
    /// Where the rest of the sentence starts.
    Opening(usize),
}

fn sarcastic(lex: &Lexicon, tokens: &Tokens<'_>, sentence: &Sentence) -> Option<Praise> {
    let all = &tokens.all;
    let w = &lex.words;
    let mut at = sentence.start;
    let mut praised = false;
    while at < sentence.end {
        if let Some(length) = w.sarcasm_words.match_at(all, at) {
            praised = true;
            at += length;
        } else if let Some(length) = lex.grammar.interjections.match_at(all, at) {
            at += length;
        } else if !all[at].is_word() {
            if praised && all[at].kind == Kind::Mark {
                return Some(Praise::Opening(at + 1));
            }
            at += 1;
        } else {
            break;
        }
    }
    (praised && at >= sentence.end).then_some(Praise::Whole)
}

/// "thanks for leaving me to do all the packing", "congrats on ruining
/// another holiday", "wow thanks for remembering my birthday... not".
fn thanks(lex: &Lexicon, tokens: &Tokens<'_>, found: &mut Findings) {
    let all = &tokens.all;
    let w = &lex.words;
    let ironic = tokens.sentences.len() > 1
        && tokens.sentences.last().is_some_and(|last| {
            w.ironic_endings
                .match_at(all, last.start)
                .is_some_and(|length| last.start + length == last.end)
        });
    if ironic {
        found.add(Cue::IronicEnding);
    }
    for at in 0..all.len() {
        let Some(length) = w.sarcastic_thanks.match_at(all, at) else {
            continue;
        };
        let from = at + length;
        let to = all.len().min(from + THANKED_WITHIN);
        let harm = (from..to).any(|i| {
            w.thanked_harm.match_at(all, i).is_some()
                || lex.find_lemma(&w.accusing_verbs, all, i).is_some()
        });
        if harm || ironic {
            found.add(Cue::SarcasticThanks);
            return;
        }
    }
}

/// A message that is one curt word and a full stop: "k.", "fine."
fn curt(lex: &Lexicon, tokens: &Tokens<'_>, found: &mut Findings) {
    let [sentence] = tokens.sentences[..] else {
        return;
    };
    let span = tokens.of(&sentence);
    let Some(first) = span.iter().position(Token::is_word) else {
        return;
    };
    let Some(length) = lex.words.curt.match_at(span, first) else {
        return;
    };
    let alone = span
        .iter()
        .enumerate()
        .all(|(i, t)| (first..first + length).contains(&i) || !t.is_word());
    let warm = sentence.ends.exclaim || lex.words.positive.occurs_in(span);
    if alone && !warm {
        found.add(Cue::Curt);
    }
}
