//! What softens a message or only describes it: kind words, laughter, an
//! apology, a request, a feeling the author names ("I feel lonely when …"),
//! someone else as the subject ("my sister never calls"), the author as the
//! subject, questions, capitals. None of these gives a reason; the model
//! weighs them against the blame. And the crisis words, which stop all.

use super::clause::{Clause, is_partner, opening, skip_fillers};
use super::{Cue, Findings};
use crate::coach::text::{Lexicon, Tokens};

/// Words in a message that suggest self-harm or violence.
pub fn crisis(lex: &Lexicon, tokens: &Tokens<'_>) -> bool {
    lex.crisis.occurs_in(&tokens.all)
}

pub fn find(lex: &Lexicon, tokens: &Tokens<'_>, clauses: &[Clause], found: &mut Findings) {
    let all = &tokens.all;
    let w = &lex.words;
    let g = &lex.grammar;
    let flags = [
        (Cue::Positive, w.positive.occurs_in(all)),
        (Cue::Affection, w.affection.occurs_in(all)),
        (Cue::Laughter, w.laughter.occurs_in(all)),
        (Cue::Apology, w.apologies.occurs_in(all)),
        (Cue::ComplaintMark, w.complaint_marks.occurs_in(all)),
        (Cue::NegativeWord, w.negative.occurs_in(all)),
        (Cue::We, g.we.occurs_in(all)),
        (Cue::Shout, all.iter().any(|t| t.shout)),
        (Cue::Sentences, tokens.sentences.len() > 1),
        (
            Cue::Question,
            tokens.sentences.iter().any(|s| s.ends.question),
        ),
        (
            Cue::Exclaim,
            tokens.sentences.iter().any(|s| s.ends.exclaim),
        ),
        (
            Cue::Trailing,
            tokens.sentences.iter().any(|s| s.ends.trailing),
        ),
    ];
    for (cue, present) in flags {
        if present {
            found.add(cue);
        }
    }
    let partner = !clauses.is_empty() || all.iter().any(|t| is_partner(lex, t));
    found.add(if partner {
        Cue::PartnerRef
    } else {
        Cue::NoPartner
    });
    for sentence in &tokens.sentences {
        let start = opening(lex, all, sentence);
        if w.request_openers.match_at(all, start).is_some() {
            found.add(Cue::Request);
        }
        if g.others.match_at(all, start).is_some() {
            found.add(Cue::ThirdParty);
        }
        if g.i.match_at(all, start).is_some() {
            found.add(Cue::SelfSubject);
        }
    }
    if let Some(feeling) = named_feeling(lex, tokens) {
        found.add(Cue::FeelingClause);
        found.named_feeling.get_or_insert(feeling);
    }
}

/// "I feel anxious", "I'm so lonely", "it makes me sad": the feeling named.
fn named_feeling(lex: &Lexicon, tokens: &Tokens<'_>) -> Option<String> {
    let all = &tokens.all;
    let mut words = String::new();
    for at in 0..all.len() {
        let Some(length) = lex.words.feeling_leads.match_at(all, at) else {
            continue;
        };
        let from = skip_fillers(lex, all, at + length, all.len());
        let from = from + lex.words.intensifiers.match_at(all, from).unwrap_or(0);
        for end in (from + 1..=all.len().min(from + 3)).rev() {
            words.clear();
            for (i, token) in all[from..end].iter().enumerate() {
                if i > 0 {
                    words.push(' ');
                }
                words.push_str(&token.norm);
            }
            if let Some(feeling) = lex.feeling_of(&words) {
                return Some(feeling.to_owned());
            }
        }
    }
    None
}
