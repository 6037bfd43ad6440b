//! Accusations: the partner as the subject of something that hurt.
//!
//! In a partner clause: an accusing verb ("you ignored me", "you keep
//! cutting me off"), a negated act ("you never text me back", "u didn't"),
//! "you make me …", "you should have …", "you chose work over me", acting
//! alone ("without asking"), a comparison ("more than me"), or a past act
//! the rest of the message complains of ("you spent our money on a tv").
//! Anywhere: a blame phrase ("it's your fault", "all you do is …"), being fed
//! up with the partner ("i'm sick of you …"), "if you cared …", "you treat
//! me like …".

use super::clause::{
    Clause, action_start, is_affection, is_keepable, is_kind, is_partner, kept_words, occurs,
    skip_plain,
};
use super::{Cue, Findings, Focus, Object};
use crate::coach::text::{Lexicon, Token, Tokens};

/// The most words a focus keeps of the message.
const KEPT: usize = 12;

pub fn find(lex: &Lexicon, tokens: &Tokens<'_>, clauses: &[Clause], found: &mut Findings) {
    for clause in clauses {
        // Kind words near an accusation are weighed by the model ("you
        // could at least pretend to care"); praise is not an accusation.
        if !is_kind(lex, &tokens.all, clause) {
            in_clause(lex, &tokens.all, clause, found);
        }
    }
    anywhere(lex, tokens, found);
}

fn in_clause(lex: &Lexicon, all: &[Token<'_>], clause: &Clause, found: &mut Findings) {
    let w = &lex.words;
    let verb = clause.verb;
    if let Some(length) = lex.grammar.negations.match_at(all, verb) {
        negated(lex, all, clause, length, found);
    } else if let Some(length) = w.keep.match_at(all, verb)
        && all
            .get(verb + length)
            .is_some_and(|t| lex.is_progressive(t))
    {
        found.add(Cue::KeepDoing);
        accusing_verb(lex, all, clause, verb + length, found);
    } else if !accusing_verb(lex, all, clause, verb, found) {
        other_acts(lex, all, clause, found);
    }
    if occurs(&w.alone_acts, all, verb, clause.end) {
        found.add(Cue::AloneActs);
    }
    if occurs(&w.than_me, all, verb, clause.sentence.end) {
        found.add(Cue::ComparedToMe);
    }
}

/// "you never text me back", "you don't listen", "u didn't."
fn negated(lex: &Lexicon, all: &[Token<'_>], clause: &Clause, length: usize, found: &mut Findings) {
    let w = &lex.words;
    let past = lex
        .grammar
        .past_negations
        .match_at(all, clause.verb)
        .is_some();
    let at = skip_plain(lex, all, clause.verb + length, clause.end);
    // "you're not lazy" says who someone is not; "you're not listening" accuses.
    if clause.copula && !all.get(at).is_some_and(|t| lex.is_progressive(t)) {
        return;
    }
    let question = clause.sentence.ends.question;
    if question && !occurs(&w.absolutes, all, clause.you, clause.end) {
        return; // "you don't want to go?" asks
    }
    if let Some(care) = lex.find_lemma(&w.care_verbs, all, at) {
        found.add(Cue::NegatedCare);
        found.focus_on(Focus::Missing {
            verb: care.phrase.to_owned(),
            past,
        });
        return;
    }
    found.add(Cue::NegatedAct);
    // "you haven't said it": a past form cannot follow "waiting for you to".
    if at < clause.end && all[at].is_word() && !lex.is_past(&all[at]) {
        let past = past || lex.is_past(&all[at]);
        let waitable = lex.find_lemma(&w.waitable, all, at).is_some();
        found.focus_on(Focus::Unmet {
            action: kept_words(lex, all, at, clause.end, KEPT),
            waitable,
            past,
        });
    }
}

/// "you ignored me", "you lied to me about …", "you forgot the tickets".
fn accusing_verb(
    lex: &Lexicon,
    all: &[Token<'_>],
    clause: &Clause,
    at: usize,
    found: &mut Findings,
) -> bool {
    let Some(verb) = lex.find_lemma(&lex.words.accusing_verbs, all, at) else {
        return false;
    };
    found.add(Cue::AccusingVerb);
    let past = lex.is_past(&all[at]);
    let g = &lex.grammar;
    let mut next = at + verb.len;
    let mentions_me = all[at..next].iter().any(|t| g.me.contains(t));
    let mut object = if mentions_me {
        Object::Me
    } else {
        Object::None
    };
    let preposition = |i: usize| lex.words.prepositions.match_at(all, i);
    if !mentions_me && next < clause.end {
        if all.get(next).is_some_and(|t| g.me.contains(t)) {
            object = Object::Me;
            next += 1;
        } else if preposition(next).is_some() && all.get(next + 1).is_some_and(|t| g.me.contains(t))
        {
            object = Object::Me;
            next += 2;
        } else if g.infinitive.contains(&all[next]) && next + 1 < clause.end {
            object = Object::Act(kept_words(lex, all, next + 1, clause.end, KEPT));
            next = clause.end;
        } else if preposition(next).is_none() && all[next].is_word() {
            let stop = (next..clause.end)
                .find(|&i| preposition(i).is_some())
                .unwrap_or(clause.end);
            let thing = kept_words(lex, all, next, stop, KEPT);
            // "you ignore her": "her gets ignored" is not English.
            if !thing.contains(' ') && g.object_pronouns.match_at(all, stop - 1).is_some() {
                return true;
            }
            object = Object::Thing(thing);
            next = stop;
        }
    }
    found.focus_on(Focus::Turned {
        verb: verb.phrase.to_owned(),
        object,
        rest: kept_words(lex, all, next, clause.end, KEPT),
        past,
    });
    true
}

/// "you make me …", "you should have …", "you chose work over me", and a
/// past act the rest of the message complains of.
fn other_acts(lex: &Lexicon, all: &[Token<'_>], clause: &Clause, found: &mut Findings) {
    let w = &lex.words;
    let verb = clause.verb;
    if verb >= clause.end {
        return;
    }
    if w.make.match_at(all, verb).is_some() && w.make_objects.match_at(all, verb + 1).is_some() {
        if is_affection(lex, all, clause) {
            return; // "you make me smile"
        }
        found.add(Cue::MakeMe);
        found.named_feeling = found.named_feeling.take().or_else(|| {
            (verb + 2..clause.end.min(verb + 6))
                .find_map(|at| lex.feeling_of(&all[at].norm).map(str::to_owned))
        });
        return;
    }
    if w.should.match_at(all, verb).is_some() {
        found.add(Cue::Should);
        return;
    }
    if w.choose.match_at(all, verb).is_some() && chose_over(lex, all, clause, found) {
        return;
    }
    let past = lex.is_past(&all[verb]);
    if clause.copula || !all[verb].is_word() || lex.find_lemma(&w.kind_verbs, all, verb).is_some() {
        return;
    }
    // "could u text me when u land?": a question or a request asks.
    let opening = super::clause::opening(lex, all, &clause.sentence);
    if clause.sentence.ends.question || w.request_openers.match_at(all, opening).is_some() {
        return;
    }
    found.add(if past {
        Cue::PartnerPast
    } else {
        Cue::PartnerAct
    });
    if !is_keepable(lex, all, clause) {
        return;
    }
    let start = action_start(lex, all, clause);
    found.focus_on(Focus::Action {
        action: kept_words(lex, all, start, clause.end, KEPT),
        state: false,
        past: past || lex.is_past(&all[start]),
    });
}

/// "you chose work over me", "u always pick ur friends over me", "you put
/// your friends first".
fn chose_over(lex: &Lexicon, all: &[Token<'_>], clause: &Clause, found: &mut Findings) -> bool {
    let w = &lex.words;
    let from = clause.verb + 1;
    let end = clause.sentence.end;
    let Some((at, second)) = (from..end).find_map(|i| {
        w.over
            .match_at(all, i)
            .map(|len| (i, kept_words(lex, all, i + len, end, KEPT)))
            .or_else(|| w.first.match_at(all, i).map(|_| (i, String::new())))
    }) else {
        return false;
    };
    if at == from {
        return false;
    }
    found.add(Cue::ChoseOver);
    found.focus_on(Focus::First {
        first: kept_words(lex, all, from, at, KEPT),
        second,
        past: lex.is_past(&all[clause.verb]),
    });
    true
}

/// Blame phrases, being fed up, "if you cared", "you treat me like".
fn anywhere(lex: &Lexicon, tokens: &Tokens<'_>, found: &mut Findings) {
    let w = &lex.words;
    let all = &tokens.all;
    for at in 0..all.len() {
        if w.blame_phrases.match_at(all, at).is_some() {
            let unless = (at.saturating_sub(2)..at)
                .any(|i| w.blame_unless_before.match_at(all, i).is_some());
            if !unless {
                found.add(Cue::BlamePhrase);
            }
        }
        if let Some(length) = w.fed_up.match_at(all, at) {
            let partner = all[at + length..]
                .iter()
                .take(5)
                .any(|t| is_partner(lex, t));
            if partner {
                found.add(Cue::FedUp);
                fed_up_focus(lex, all, at + length, found);
            }
        }
        if w.if_you_cared.match_at(all, at).is_some() {
            found.add(Cue::IfYouCared);
        }
        if w.treat_like.match_at(all, at).is_some() {
            found.add(Cue::TreatLike);
        }
        if w.told_you.match_at(all, at).is_some() {
            found.add(Cue::ToldYou);
        }
        if w.comparisons.match_at(all, at).is_some() {
            found.add(Cue::Comparison);
        }
        if let Some(length) = w.hate_leads.match_at(all, at)
            && all[at + length..]
                .iter()
                .take(4)
                .any(|t| is_partner(lex, t))
        {
            found.add(Cue::HateWhenYou);
        }
    }
}

/// "i'm sick of you ignoring me": the act after "you".
fn fed_up_focus(lex: &Lexicon, all: &[Token<'_>], from: usize, found: &mut Findings) {
    let Some(you) = (from..all.len().min(from + 2)).find(|&i| lex.grammar.you.contains(&all[i]))
    else {
        return;
    };
    let end = all.len().min(you + 1 + KEPT);
    let end = (you + 1..end).find(|&i| !all[i].is_word()).unwrap_or(end);
    let verb = you + 1;
    if verb < end
        && let Some(accused) = lex.find_lemma(&lex.words.accusing_verbs, all, verb)
    {
        let object = if all
            .get(verb + accused.len)
            .is_some_and(|t| lex.grammar.me.contains(t))
        {
            Object::Me
        } else {
            Object::None
        };
        let skip = usize::from(object == Object::Me);
        found.focus_on(Focus::Turned {
            verb: accused.phrase.to_owned(),
            object,
            rest: kept_words(lex, all, verb + accused.len + skip, end, KEPT),
            past: false,
        });
    }
}
