//! Clauses whose subject is the partner, and the helpers every rule shares:
//! where a sentence really starts, what a clause says once its fillers are
//! gone, and whether a clause is affection rather than blame.
//!
//! "you" is a subject at the start of a clause (after a conjunction, a
//! mark, "I think …"), or anywhere after an absolute lead ("every time I
//! ask, you …"); a contracted form ("you're") always is. So "I'll love you
//! always" and "can you pick up milk?" have no partner clause.

use smallvec::SmallVec;

use crate::coach::text::{Kind, Lexicon, Sentence, Token, Tokens};

/// One clause with the partner as its subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clause {
    /// Where "you" is.
    pub you: usize,
    /// The first word after "you" (and "are") that is not a filler: the verb,
    /// a negation, or what follows "you're".
    pub verb: usize,
    /// One past the clause's last token.
    pub end: usize,
    /// "you're …", "you are …".
    pub copula: bool,
    /// "you'd …", "you've …": the verb's auxiliary is in the subject, so
    /// what follows is not a clause to keep ("you'd rather play").
    pub auxiliary: bool,
    pub sentence: Sentence,
}

/// Every partner clause of a message, in order.
pub fn partner_clauses(lex: &Lexicon, tokens: &Tokens<'_>) -> SmallVec<[Clause; 4]> {
    let mut clauses = SmallVec::new();
    let g = &lex.grammar;
    let all = &tokens.all;
    for sentence in &tokens.sentences {
        let opening = opening(lex, all, sentence);
        let lead = lex.words.absolute_leads.match_at(all, opening).is_some();
        for at in sentence.start..sentence.end {
            let token = &all[at];
            let contracted = g.you_contracted.contains(token);
            if !contracted && !g.you.contains(token) {
                continue;
            }
            let previous = at
                .checked_sub(1)
                .filter(|&p| p >= sentence.start)
                .map(|p| &all[p]);
            let starts = at <= opening
                || previous.is_some_and(|p| p.kind != Kind::Word || g.subject_starts.contains(p))
                || lead;
            let followed = at + 1 < sentence.end && all[at + 1].is_word();
            if !(contracted || starts && followed) {
                continue;
            }
            let mut next = at + 1;
            let copula = g.you_are.contains(token)
                || all
                    .get(next)
                    .is_some_and(|t| next < sentence.end && g.you_copulas.contains(t))
                    && {
                        next += 1;
                        true
                    };
            let end = clause_end(lex, all, at, sentence);
            let verb = skip_fillers(lex, all, next, end);
            clauses.push(Clause {
                you: at,
                verb,
                end,
                copula,
                auxiliary: contracted && !g.you_are.contains(token),
                sentence: *sentence,
            });
        }
    }
    clauses
}

/// Where a sentence really starts, after interjections and marks ("Wow, …").
pub fn opening(lex: &Lexicon, all: &[Token<'_>], sentence: &Sentence) -> usize {
    let mut at = sentence.start;
    while at < sentence.end {
        if all[at].kind == Kind::Mark {
            at += 1;
        } else if let Some(length) = lex.grammar.interjections.match_at(all, at) {
            at += length;
        } else {
            break;
        }
    }
    at.min(sentence.end)
}

/// The end of the clause that starts at `you`: the next mark or clause break.
fn clause_end(lex: &Lexicon, all: &[Token<'_>], you: usize, sentence: &Sentence) -> usize {
    (you + 2..sentence.end)
        .find(|&at| {
            all[at].kind == Kind::Mark || lex.grammar.clause_breaks.match_at(all, at).is_some()
        })
        .unwrap_or(sentence.end)
}

/// Skips fillers, absolutes and words that do not change who acts.
pub fn skip_fillers(lex: &Lexicon, all: &[Token<'_>], mut at: usize, end: usize) -> usize {
    while at < end {
        if lex.grammar.negations.match_at(all, at).is_some() {
            return at;
        }
        let skipped = lex
            .words
            .verb_skips
            .match_at(all, at)
            .or_else(|| lex.grammar.fillers.match_at(all, at))
            .or_else(|| lex.words.absolutes.match_at(all, at));
        match skipped {
            Some(length) => at += length,
            None => return at,
        }
    }
    at.min(end)
}

/// Whether what the partner did in a clause can be kept as it was said:
/// not "you'd rather …", "u would notice", "after u drive", "you
/// promised to call" (the promise is not what hurt).
pub fn is_keepable(lex: &Lexicon, all: &[Token<'_>], clause: &Clause) -> bool {
    let g = &lex.grammar;
    let before = clause
        .you
        .checked_sub(1)
        .filter(|&p| p >= clause.sentence.start);
    // "after u drive"; "u think ur right" (what is thought, not done).
    let inside = before.is_some_and(|p| {
        g.subordinators.match_at(all, p).is_some() || g.reported_verbs.match_at(all, p).is_some()
    });
    let verb = action_start(lex, all, clause);
    let vague = [&g.modals, &g.reported_verbs, &g.auxiliaries]
        .iter()
        .any(|set| set.match_at(all, verb).is_some());
    !(clause.auxiliary || inside || vague)
}

/// Where what the partner does starts, as a suggestion keeps it: after
/// "you" (and "are"), fillers and absolutes, but not "have to" ("you always
/// have to have the last word").
pub fn action_start(lex: &Lexicon, all: &[Token<'_>], clause: &Clause) -> usize {
    let mut at = clause.you + 1;
    if all
        .get(at)
        .is_some_and(|t| lex.grammar.you_copulas.contains(t))
    {
        at += 1;
    }
    skip_plain(lex, all, at, clause.end)
}

/// Skips fillers and absolutes only (a negated verb is read as written:
/// "didn't | do anything wrong", "never | have to ask").
pub fn skip_plain(lex: &Lexicon, all: &[Token<'_>], mut at: usize, end: usize) -> usize {
    while at < end {
        let skipped = lex
            .grammar
            .fillers
            .match_at(all, at)
            .or_else(|| lex.words.absolutes.match_at(all, at));
        match skipped {
            Some(length) => at += length,
            None => return at,
        }
    }
    at.min(end)
}

/// Whether a clause is praise, whatever its words: a kind absolute ("you
/// always have my back"), or a fault denied ("you never let me down",
/// "you're never late", "you don't have to").
pub fn is_kind(lex: &Lexicon, all: &[Token<'_>], clause: &Clause) -> bool {
    let window = &all[clause.you + 1..clause.end];
    let w = &lex.words;
    if w.kind_absolutes.occurs_in(window) {
        return true;
    }
    let Some(length) = lex.grammar.negations.match_at(all, clause.verb) else {
        return false;
    };
    let after = skip_plain(lex, all, clause.verb + length, clause.end);
    w.negated_kind.match_at(all, after).is_some()
        || lex.find_lemma(&w.negated_praise, all, after).is_some()
        || lex.find_lemma(&w.accusing_verbs, all, after).is_some()
        || w.labels.match_at(all, after).is_some()
        || w.negative.match_at(all, after).is_some()
}

/// Whether a clause reads as affection: praise, or kind words and no
/// negation ("you always make me smile").
pub fn is_affection(lex: &Lexicon, all: &[Token<'_>], clause: &Clause) -> bool {
    let window = &all[clause.you + 1..clause.end];
    is_kind(lex, all, clause)
        || !lex.grammar.negations.occurs_in(window) && lex.words.positive.occurs_in(window)
}

/// The words of a span as a suggestion may keep them: standard spelling,
/// no fillers, absolutes, marks or emoji, "anything" made "something", and
/// names kept as written. At most `limit` words.
pub fn kept_words(
    lex: &Lexicon,
    all: &[Token<'_>],
    from: usize,
    to: usize,
    limit: usize,
) -> String {
    let mut out = String::new();
    let mut words = 0;
    let mut at = from;
    while at < to.min(all.len()) && words < limit {
        let dropped = lex
            .grammar
            .fillers
            .match_at(all, at)
            .or_else(|| lex.words.absolutes.match_at(all, at))
            .or_else(|| lex.words.again.match_at(all, at));
        if let Some(length) = dropped {
            at += length;
            continue;
        }
        let token = &all[at];
        at += 1;
        if !token.is_word() {
            continue;
        }
        let word: &str = match lex.polarity.get(&*token.norm) {
            Some(positive) => positive,
            // A name keeps its capital ("Sam"); a word in capitals does not.
            None if !token.shout
                && token.text != token.norm
                && token.text.to_lowercase() == *token.norm =>
            {
                token.text
            }
            None => &token.norm,
        };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        words += 1;
    }
    out
}

/// Whether `set`'s phrases occur in tokens `from..to`.
pub fn occurs(
    set: &crate::coach::text::PhraseSet,
    all: &[Token<'_>],
    from: usize,
    to: usize,
) -> bool {
    all.get(from..to.min(all.len()))
        .is_some_and(|span| set.occurs_in(span))
}

/// Whether a token names the partner ("you", "your", "you're", "yourself").
pub fn is_partner(lex: &Lexicon, token: &Token<'_>) -> bool {
    let g = &lex.grammar;
    g.you.contains(token)
        || g.you_contracted.contains(token)
        || g.your.contains(token)
        || g.yourself.contains(token)
}
