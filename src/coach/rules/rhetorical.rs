//! Questions that ask for an admission rather than an answer: "why can't
//! you ever…", "why do you always…", "why do I always have to…", "how many
//! times…", "you just don't get it, do you", "could u not … for one minute".
//! A why-question with kind words and no negation is a real question ("why
//! are you always so calm, teach me your ways").

use super::clause::{kept_words, occurs, opening, skip_fillers, skip_plain};
use super::{Cue, Findings, Focus};
use crate::coach::text::{Lexicon, Sentence, Token, Tokens};

pub fn find(lex: &Lexicon, tokens: &Tokens<'_>, found: &mut Findings) {
    let all = &tokens.all;
    let w = &lex.words;
    for sentence in &tokens.sentences {
        for at in sentence.start..sentence.end {
            if let Some(m) = w.rhetorical.find_at(all, at) {
                let about_me = all[at..at + m.len]
                    .iter()
                    .any(|t| lex.grammar.i.contains(t) || lex.grammar.me.contains(t));
                found.add(if about_me {
                    Cue::WhySelf
                } else {
                    Cue::RhetoricalPhrase
                });
            }
            if w.why.contains(&all[at]) {
                why_you(lex, all, sentence, at, found);
            }
        }
        negated_request(lex, all, sentence, found);
        tag_question(lex, all, sentence, found);
        accusing_question(lex, all, sentence, found);
    }
}

/// "what were you even doing all day", "how is this MY fault", "who
/// forgets their own kid's recital": a question about the partner, or with
/// a fault in it, that asks for an admission.
fn accusing_question(lex: &Lexicon, all: &[Token<'_>], sentence: &Sentence, found: &mut Findings) {
    let w = &lex.words;
    let start = opening(lex, all, sentence);
    let asks = w.question_words.match_at(all, start).is_some();
    if !(asks || sentence.ends.question) || w.request_openers.match_at(all, start).is_some() {
        return;
    }
    let span = &all[sentence.start..sentence.end];
    if w.positive.occurs_in(span) || w.laughter.occurs_in(span) {
        return; // "why are you so good at this 😂"
    }
    let partner = span.iter().any(|t| super::clause::is_partner(lex, t));
    let fault = w.negative.occurs_in(span)
        || (sentence.start..sentence.end)
            .any(|i| lex.find_lemma(&w.accusing_verbs, all, i).is_some());
    let pressed = w.question_marks.occurs_in(span) || lex.grammar.negations.occurs_in(span);
    if asks && (partner && (fault || pressed) || fault && pressed)
        || sentence.ends.question && partner && fault
    {
        found.add(Cue::AccusingQuestion);
    }
}

/// "why do you always …", "why can't you …", "why would you …".
fn why_you(
    lex: &Lexicon,
    all: &[Token<'_>],
    sentence: &Sentence,
    why: usize,
    found: &mut Findings,
) {
    let w = &lex.words;
    let g = &lex.grammar;
    let Some(length) = w.why_auxiliaries.match_at(all, why + 1) else {
        return;
    };
    let you = why + 1 + length;
    if you >= sentence.end || !(g.you.contains(&all[you]) || g.your.contains(&all[you])) {
        return;
    }
    let auxiliary = &all[why + 1..you];
    let rest_end = sentence.end;
    let negated = g.negations.occurs_in(auxiliary);
    let suggesting = w.suggesting_negations.occurs_in(auxiliary);
    let refusing = negated && !suggesting;
    let accusing = occurs(&w.why_accusing, all, you + 1, rest_end)
        || occurs(&w.absolutes, all, you + 1, rest_end)
        || occurs(&g.negations, all, you + 1, rest_end);
    let verb = skip_fillers(lex, all, you + 1, rest_end);
    let accused = lex.find_lemma(&w.accusing_verbs, all, verb).is_some();
    let label = g.you_copulas.occurs_in(auxiliary) && labelled(lex, all, you + 1, rest_end);
    if label {
        found.add(Cue::Label);
    }
    let would = w.why_would.occurs_in(auxiliary);
    let kind = (occurs(&w.positive, all, you + 1, rest_end)
        || w.laughter.occurs_in(&all[sentence.start..rest_end]))
        && !negated
        && !accused;
    if kind || !(refusing || accusing || accused || would || label) {
        return;
    }
    found.add(Cue::WhyYou);
    let verb = skip_plain(lex, all, you + 1, rest_end);
    if verb < rest_end && all[verb].is_word() && !label {
        let action = kept_words(lex, all, verb, rest_end, 12);
        let copula = g.you_copulas.occurs_in(auxiliary);
        found.focus_on(if negated {
            Focus::Unmet {
                waitable: lex.find_lemma(&w.waitable, all, verb).is_some(),
                action,
                past: g.past_negations.occurs_in(auxiliary),
            }
        } else {
            Focus::Action {
                action,
                state: copula,
                past: false,
            }
        });
    }
}

/// "could u not talk over me for like one minute", "can't you ever …".
fn negated_request(lex: &Lexicon, all: &[Token<'_>], sentence: &Sentence, found: &mut Findings) {
    let w = &lex.words;
    let start = opening(lex, all, sentence);
    let Some(length) = w.negated_openers.match_at(all, start) else {
        return;
    };
    let rest = start + length;
    let accusing = occurs(&w.for_once, all, rest, sentence.end)
        || occurs(&w.why_accusing, all, rest, sentence.end)
        || (rest..sentence.end).any(|i| lex.find_lemma(&w.accusing_verbs, all, i).is_some());
    if accusing {
        found.add(Cue::NegatedRequest);
    }
}

/// "you just don't get it, do you": a tag after a negated partner clause.
fn tag_question(lex: &Lexicon, all: &[Token<'_>], sentence: &Sentence, found: &mut Findings) {
    let w = &lex.words;
    let span = &all[sentence.start..sentence.end];
    let Some(tag) = (1..=3.min(span.len())).find_map(|n| {
        let at = sentence.end - n;
        w.tag_questions
            .match_at(all, at)
            .filter(|&len| at + len == sentence.end)
            .map(|_| at)
    }) else {
        return;
    };
    let before = &all[sentence.start..tag];
    let partner = before
        .iter()
        .any(|t| lex.grammar.you.contains(t) || lex.grammar.you_contracted.contains(t));
    if partner && lex.grammar.negations.occurs_in(before) {
        found.add(Cue::TagQuestion);
    }
}

/// "why are you so stubborn": a label after the question's "are you".
fn labelled(lex: &Lexicon, all: &[Token<'_>], mut at: usize, end: usize) -> bool {
    let w = &lex.words;
    while at < end {
        if lex.find_lemma(&w.labels, all, at).is_some() {
            return true;
        }
        match w.intensifiers.match_at(all, at) {
            Some(length) => at += length,
            None => return false,
        }
    }
    false
}
