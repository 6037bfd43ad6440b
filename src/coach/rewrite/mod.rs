//! Turning a blaming message into an I-statement: "I feel {feeling} when
//! {situation}, because {need}. {request}" ("I felt …" for the past),
//! keeping what happened where it can be turned around safely, else a
//! phrase written for its topic, else an honest fill-in frame ("I feel hurt
//! when ___; could we ___?"). Every suggestion passes the one check
//! ([`check`]) before it is offered.
//!
//! - [`wording`]: the words, read once.
//! - [`situation`]: what happened, after "when".
//! - [`feeling`]: the feeling, the need and the request.
//! - [`check`]: the soundness check.

pub mod check;
pub mod feeling;
pub mod situation;
pub mod wording;

use crate::coach::judge::Analysis;
use crate::coach::text::Lexicon;
use crate::prompts::fill;
use wording::Wording;

/// The suggested I-statement and the feeling it uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub text: String,
    pub feeling: String,
    /// The fill-in frame: nothing of the message could be kept.
    pub frame: bool,
}

/// What a suggestion is made from: the coach's words and its judge.
pub struct Parts<'c> {
    pub lex: &'c Lexicon,
    pub wording: &'c Wording,
}

impl Parts<'_> {
    /// Whether a suggestion (ours or a model's) passes the check.
    pub fn is_sound(&self, text: &str) -> bool {
        check::is_sound(self.lex, &self.wording.openings, text)
    }

    /// The suggestion for an analysed message; `chosen` is a feeling the
    /// author picked instead of the coach's.
    pub fn suggest(&self, analysis: &Analysis, chosen: Option<&str>) -> Suggestion {
        let topic = self.wording.for_message(analysis.topic, &analysis.reasons);
        let default = &self.lex.default_feeling;
        let named = analysis.named_feeling.as_deref();
        let openings = &self.wording.openings;
        for situation in situation::candidates(self.wording, &analysis.focus, topic, analysis.seed)
        {
            let feeling =
                feeling::feeling(self.wording, default, chosen, named, topic, &situation.text);
            let (need, request) =
                feeling::ending(self.wording, default, &feeling, topic, analysis.seed);
            let template = if situation.past {
                &self.wording.templates.past
            } else {
                &self.wording.templates.present
            };
            let text = fill(
                template,
                &[
                    ("feeling", &feeling),
                    ("situation", &situation.text),
                    ("need", need),
                    ("request", request),
                ],
            );
            if check::is_sound(self.lex, openings, &text) {
                return Suggestion {
                    text,
                    feeling,
                    frame: false,
                };
            }
        }
        let feeling = feeling::feeling(self.wording, default, chosen, named, topic, "");
        Suggestion {
            text: fill(&self.wording.templates.frame, &[("feeling", &feeling)]),
            feeling,
            frame: true,
        }
    }

    /// The fill-in frame for a message that is not blaming but not kind
    /// either, with the feeling its topic suggests.
    pub fn frame(&self, analysis: &Analysis) -> String {
        let topic = analysis.topic.and_then(|i| self.wording.topics.get(i));
        let feeling = feeling::feeling(
            self.wording,
            &self.lex.default_feeling,
            None,
            analysis.named_feeling.as_deref(),
            topic,
            "",
        );
        fill(&self.wording.templates.frame, &[("feeling", &feeling)])
    }
}
