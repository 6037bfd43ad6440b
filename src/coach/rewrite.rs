//! Turning a blaming message into an I-statement: "I feel {feeling} when
//! {situation}, because {need}. Could we {request}?" — keeping what
//! happened, dropping absolutes and labels, and checked against the
//! analyser so the suggestion is never itself blaming.

use super::analyze::{self, Analysis, Focus};
use super::lexicon::Lexicon;
use super::text::{Starts, Tokens};
use crate::prompts::{fill, fill_into};

/// A suggestion shorter than this says too little; longer is a lecture.
const MIN_WORDS: usize = 4;
const MAX_WORDS: usize = 60;
/// The feeling when nothing points to another.
const DEFAULT_FEELING: &str = "hurt";
/// How every suggestion opens.
const FIRST_PERSON_FEELING: &str = "i feel ";

/// The suggested I-statement and the feeling it uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub text: String,
    pub feeling: String,
}

/// Builds the suggestion for an analysed message. `feeling` overrides the
/// feeling the coach would pick (the author chose another).
pub fn suggest(lex: &Lexicon, analysis: &Analysis, feeling: Option<&str>) -> Suggestion {
    let feeling = feeling
        .map(str::to_owned)
        .or_else(|| analysis.named_feeling.clone())
        .unwrap_or_else(|| pick_feeling(lex, &analysis.focus));
    let text = assemble(lex, &feeling, &situation(lex, &analysis.focus));
    if is_sound(lex, &text) {
        return Suggestion { text, feeling };
    }
    // The kept situation still carried blame: fall back to neutral words.
    let text = assemble(lex, &feeling, &lex.fallback_situation);
    Suggestion { text, feeling }
}

/// Whether a suggestion passes the coach's own checks: a first-person
/// feeling, no absolutes, no labels, 4–60 words, not itself blaming.
pub fn is_sound(lex: &Lexicon, text: &str) -> bool {
    let words = text.split_whitespace().count();
    if !(MIN_WORDS..=MAX_WORDS).contains(&words) || !opens_with_feeling(text) {
        return false;
    }
    let mut tokens = Tokens::default();
    tokens.cut(&lex.vocabulary, text);
    !lex.absolutes.occurs_in(&tokens.all) && !analyze::analyze_tokens(lex, &tokens).blaming()
}

/// Whether a text opens with "I feel ", in any case.
fn opens_with_feeling(text: &str) -> bool {
    text.get(..FIRST_PERSON_FEELING.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(FIRST_PERSON_FEELING))
}

fn pick_feeling(lex: &Lexicon, focus: &Focus) -> String {
    match focus {
        // "I feel hurt when I don't feel heard" reads better than "unheard … heard".
        Focus::Negated { verb, .. } if lex.negated_feelings.contains_key(verb) => {
            DEFAULT_FEELING.to_owned()
        }
        Focus::Label(_) | Focus::None => DEFAULT_FEELING.to_owned(),
        Focus::Negated { action, .. } | Focus::Action(action) => hinted_feeling(lex, &[action]),
        // "{verb} {rest}", cut one after the other as if joined by a space.
        Focus::Turned { verb, rest, .. } => hinted_feeling(lex, &[verb, rest]),
    }
}

/// The first feeling whose topic words occur in the texts, else the default.
fn hinted_feeling(lex: &Lexicon, texts: &[&str]) -> String {
    let mut tokens = Tokens::default();
    for text in texts {
        tokens.cut(&lex.vocabulary, text);
    }
    // One pass for the sets a phrase could start from, then only those sets.
    let starts = Starts::of(&tokens.all);
    lex.feeling_hints
        .iter()
        .find(|(_, hints)| starts.holds(hints, &tokens.all))
        .map_or_else(
            || DEFAULT_FEELING.to_owned(),
            |(feeling, _)| feeling.clone(),
        )
}

/// What happened, in words a suggestion can keep.
pub(super) fn situation(lex: &Lexicon, focus: &Focus) -> String {
    let mut situation = String::new();
    write_situation(lex, focus, &mut situation);
    situation
}

/// [`situation`], appended to `out`.
fn write_situation(lex: &Lexicon, focus: &Focus, out: &mut String) {
    match focus {
        Focus::None => out.push_str(&lex.fallback_situation),
        Focus::Label(label) => {
            let last = label.rsplit(' ').next().unwrap_or(label);
            let kept = lex
                .label_situations
                .get(label)
                .or_else(|| lex.label_situations.get(last))
                .unwrap_or(&lex.fallback_situation);
            out.push_str(kept);
        }
        Focus::Negated { verb, action, past } => match lex.negated_feelings.get(verb) {
            Some(feeling) => {
                let template = if *past {
                    &lex.didnt_feel
                } else {
                    &lex.dont_feel
                };
                fill_into(out, template, &[("feeling", feeling)]);
            }
            None => {
                let template = if *past {
                    &lex.waited_for
                } else {
                    &lex.waiting_for
                };
                fill_into(out, template, &[("action", action)]);
            }
        },
        Focus::Turned { verb, rest, past } => match lex.turned_around.get(verb) {
            Some(turned) => {
                let template = if *past {
                    &lex.was_turned
                } else {
                    &lex.get_turned
                };
                fill_into(out, template, &[("turned", turned)]);
                if !rest.is_empty() {
                    out.push(' ');
                    out.push_str(rest);
                }
            }
            None => out.push_str(&lex.fallback_situation),
        },
        Focus::Action(action) => fill_into(out, &lex.partner_does, &[("action", action)]),
    }
}

/// The suggestion for a feeling around a situation.
pub fn assemble(lex: &Lexicon, feeling: &str, situation: &str) -> String {
    let request = lex.requests.get(feeling).unwrap_or(&lex.default_request);
    match lex.needs.get(feeling) {
        Some(need) => fill(
            &lex.template_with_need,
            &[
                ("feeling", feeling),
                ("situation", situation),
                ("need", need),
                ("request", request),
            ],
        ),
        None => fill(
            &lex.template_without_need,
            &[
                ("feeling", feeling),
                ("situation", situation),
                ("request", request),
            ],
        ),
    }
}
