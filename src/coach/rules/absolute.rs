//! Absolutes and the past: "you always…", "you never…", "every time I ask
//! you…", "you only…", "you keep…", and bringing up the past ("again",
//! "once again", "like always") in a message about the partner.

use super::clause::{
    Clause, action_start, is_affection, is_keepable, is_partner, kept_words, occurs, opening,
};
use super::{Cue, Findings, Focus};
use crate::coach::text::{Lexicon, Tokens};

pub fn find(lex: &Lexicon, tokens: &Tokens<'_>, clauses: &[Clause], found: &mut Findings) {
    let all = &tokens.all;
    let w = &lex.words;
    for clause in clauses {
        // "you're only nice to me when you want something": kind words
        // do not soften "only".
        let said_lightly = w
            .laughter
            .occurs_in(&all[clause.sentence.start..clause.sentence.end]);
        if occurs(&w.only, all, clause.you + 1, clause.verb + 1)
            && !super::clause::is_kind(lex, all, clause)
            && !said_lightly
        {
            found.add(Cue::Only);
        }
        // "you always make me smile", "you always know what to say".
        let kind_verb = lex
            .find_lemma(&w.kind_verbs, all, action_start(lex, all, clause))
            .is_some();
        if is_affection(lex, all, clause) || kind_verb {
            continue;
        }
        if occurs(&w.absolutes, all, clause.you + 1, clause.end) {
            found.add(Cue::Absolute);
            habit(lex, tokens, clause, found);
        }
        let lead = lex
            .words
            .absolute_leads
            .match_at(all, opening(lex, all, &clause.sentence));
        if lead.is_some_and(|length| clause.you > clause.sentence.start + length) {
            found.add(Cue::AbsoluteLead);
        }
    }
    again(lex, tokens, found);
}

/// "you always leave dishes in the sink": what the partner does, kept.
fn habit(lex: &Lexicon, tokens: &Tokens<'_>, clause: &Clause, found: &mut Findings) {
    let all = &tokens.all;
    if lex.grammar.negations.match_at(all, clause.verb).is_some() || clause.verb >= clause.end {
        return; // the accusation rule keeps a negated act
    }
    let start = action_start(lex, all, clause);
    // "you're always so tired" says who someone is, not what they do.
    if !is_keepable(lex, all, clause)
        || clause.copula && lex.words.intensifiers.match_at(all, start).is_some()
    {
        return;
    }
    let action = kept_words(lex, all, start, clause.end, 12);
    if action.is_empty() {
        return;
    }
    found.focus_on(Focus::Action {
        action,
        state: clause.copula,
        // "you did the same thing": "did" is skipped as a helper but sets the tense.
        past: lex.is_past(&all[clause.verb]) || lex.is_past(&all[start]),
    });
}

/// "you left the dishes AGAIN", "once again you chose work": the past
/// brought up, unless the sentence is said lightly.
fn again(lex: &Lexicon, tokens: &Tokens<'_>, found: &mut Findings) {
    let all = &tokens.all;
    let w = &lex.words;
    let partner = all.iter().any(|t| is_partner(lex, t));
    for sentence in &tokens.sentences {
        let span = tokens.of(sentence);
        // "again" needs the partner in the message; "same old story" does not.
        let brought = w.bringing_up.occurs_in(span);
        if !(brought || partner && w.again.occurs_in(span)) {
            continue;
        }
        let light = |s: &[crate::coach::text::Token<'_>]| {
            w.laughter.occurs_in(s) || w.positive.occurs_in(s) || w.request_openers.occurs_in(s)
        };
        // "Again." alone belongs to the sentence before it.
        let before = tokens
            .sentences
            .iter()
            .take_while(|s| s.start < sentence.start)
            .last()
            .map(|s| tokens.of(s));
        let alone = span.len() <= 2;
        if !(light(span) || alone && before.is_some_and(light)) {
            found.add(Cue::Again);
            return;
        }
    }
}
