//! Labels: who the partner is, rather than what happened. "you're so
//! selfish", "ur honestly the laziest person i know" (a label's "-est"
//! form), "you're a terrible communicator", "ur such a know it all",
//! "you idiot!", and comparisons: "acting like a child".

use super::clause::{Clause, opening, skip_fillers};
use super::{Cue, Findings, Focus};
use crate::coach::text::{Kind, Lexicon, Token, Tokens};

pub fn find(lex: &Lexicon, tokens: &Tokens<'_>, clauses: &[Clause], found: &mut Findings) {
    let all = &tokens.all;
    for clause in clauses {
        if let Some((cue, label)) =
            after_copula(lex, all, clause).or_else(|| addressed(lex, all, clause))
        {
            found.add(cue);
            found.focus_on(Focus::Label(label));
        }
    }
    like_a(lex, tokens, found);
}

/// "you're (so) selfish", "you are such a jerk", "you're a terrible listener".
fn after_copula(lex: &Lexicon, all: &[Token<'_>], clause: &Clause) -> Option<(Cue, String)> {
    if !clause.copula {
        return None;
    }
    let w = &lex.words;
    let mut at = clause.you + 1;
    if all
        .get(at)
        .is_some_and(|t| lex.grammar.you_copulas.contains(t))
    {
        at += 1;
    }
    let mut such = false;
    while at < clause.end {
        if lex.grammar.negations.match_at(all, at).is_some() {
            return None; // "you're not lazy"
        }
        if let Some(bad) = w.bad_adjectives.match_at(all, at)
            && let Some(agent) = w.agent_nouns.find_at(all, at + bad)
        {
            return Some((Cue::BadAgent, agent.phrase.to_owned()));
        }
        if let Some(label) = lex.find_lemma(&w.labels, all, at) {
            return Some((Cue::Label, label.phrase.to_owned()));
        }
        if let Some(length) = w.such.match_at(all, at) {
            such = true;
            at += length;
            continue;
        }
        match w.intensifiers.match_at(all, at) {
            Some(length) => at += length,
            None if such && all[at].is_word() && !w.positive.contains(&all[at]) => {
                // "such a nerd": a label only the model can weigh.
                return Some((Cue::SuchA, all[at].norm.to_string()));
            }
            // "you're so extra": an unknown word after "so", weighed too.
            None if at > clause.you + 1 && intensified(lex, all, at) => {
                return Some((Cue::Intensified, all[at].norm.to_string()));
            }
            None => return None,
        }
    }
    None
}

/// Direct address: "you idiot", alone or before a mark.
fn addressed(lex: &Lexicon, all: &[Token<'_>], clause: &Clause) -> Option<(Cue, String)> {
    if clause.copula {
        return None;
    }
    let at = clause.you + 1;
    let label = lex.words.labels.find_at(all, at)?;
    let after = at + label.len;
    let alone = after >= clause.sentence.end || all[after].kind != Kind::Word;
    alone.then(|| (Cue::Label, label.phrase.to_owned()))
}

/// "acting like a child", "stop sulking like a teenager": a comparison, in a
/// sentence about the partner or one that tells them to stop.
fn like_a(lex: &Lexicon, tokens: &Tokens<'_>, found: &mut Findings) {
    let all = &tokens.all;
    let g = &lex.grammar;
    for sentence in &tokens.sentences {
        let span = tokens.of(sentence);
        let about_partner = span
            .iter()
            .any(|t| g.you.contains(t) || g.you_contracted.contains(t) || g.your.contains(t))
            || lex
                .words
                .command_verbs
                .match_at(all, opening(lex, all, sentence))
                .is_some();
        if !about_partner {
            continue;
        }
        for at in sentence.start..sentence.end {
            let Some(length) = lex.words.likeness.match_at(all, at) else {
                continue;
            };
            let from = skip_fillers(lex, all, at + length, sentence.end);
            if let Some(compared) = lex.words.like_a.find_at(all, from) {
                found.add(Cue::LikeA);
                let last = compared
                    .phrase
                    .rsplit(' ')
                    .next()
                    .unwrap_or(compared.phrase);
                found.focus_on(Focus::Label(last.to_owned()));
                return;
            }
        }
    }
}

/// Whether the word at `at` follows an intensifier and says nothing kind.
fn intensified(lex: &Lexicon, all: &[Token<'_>], at: usize) -> bool {
    let w = &lex.words;
    all[at].is_word()
        && w.intensifiers.contains(&all[at - 1])
        && !w.positive.contains(&all[at])
        && w.positive.match_at(all, at).is_none()
        && !lex.grammar.negations.contains(&all[at])
}
