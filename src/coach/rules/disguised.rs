//! Judgements dressed as feelings: "I feel like you don't care", "it feels
//! like you're never here", and said of oneself with the partner as a
//! thing: "I feel like I'm married to a wall", "… the only one who cares".

use super::{Cue, Findings};
use crate::coach::text::{Lexicon, Tokens};

pub fn find(lex: &Lexicon, tokens: &Tokens<'_>, found: &mut Findings) {
    let all = &tokens.all;
    let w = &lex.words;
    for sentence in &tokens.sentences {
        for at in sentence.start..sentence.end {
            if let Some(length) = w.disguised_openers.match_at(all, at) {
                let rest = &all[at + length..sentence.end];
                let judging = lex.grammar.negations.occurs_in(rest)
                    || w.absolutes.occurs_in(rest)
                    || w.only.occurs_in(rest)
                    || (0..rest.len())
                        .any(|i| lex.find_lemma(&w.accusing_verbs, rest, i).is_some());
                // "I feel like you really get me" is a feeling.
                if judging || !w.positive.occurs_in(rest) {
                    found.add(Cue::FeelLikeYou);
                    return;
                }
            }
            if let Some(length) = w.feel_like.match_at(all, at)
                && w.disguised_self.occurs_in(&all[at + length..sentence.end])
            {
                found.add(Cue::FeelLikeSelf);
                return;
            }
        }
    }
}
