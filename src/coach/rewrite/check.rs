//! The one soundness check, for our suggestions and a model's alike: it
//! opens with a first-person feeling ("I feel …", "I felt …"), has 4–60
//! words, no absolute, no crisis words, and the rules find no blame in it:
//! no label, accusation, absolute, sarcasm, command or rhetorical question.
//! Only describing what the partner did is allowed ("when you left the
//! dishes in the sink"): that is what an I-statement does. This is stricter
//! than the model's verdict, and needs no model.

use crate::coach::rules;
use crate::coach::text::Lexicon;

/// A suggestion shorter than this says too little; longer is a lecture.
pub const MIN_WORDS: usize = 4;
pub const MAX_WORDS: usize = 60;

/// Whether a suggestion passes. `openings` are how a suggestion may start
/// (the templates' text before the feeling).
pub fn is_sound(lex: &Lexicon, openings: &[String], text: &str) -> bool {
    let words = text.split_whitespace().count();
    if !(MIN_WORDS..=MAX_WORDS).contains(&words) {
        return false;
    }
    let opens = openings.iter().any(|opening| {
        text.get(..opening.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(opening))
    });
    if !opens {
        return false;
    }
    let tokens = lex.tokenize(text);
    if lex.words.absolutes.occurs_in(&tokens.all) {
        return false;
    }
    let found = rules::find(lex, &tokens);
    !found.crisis
        && !found
            .cues
            .iter()
            .any(|cue| cue.reason().is_some() && !cue.is_weak())
}
