//! The I-statement coach, offline and in Rust: it spots blaming messages,
//! says why in plain words, and suggests "I feel … when … because … could
//! we …" instead. Every word it knows comes from `prompts/<locale>/coach.toml`;
//! the code knows no language.
//!
//! The arrows point one way, from the top of this list down:
//! - [`rewrite`]: the suggestion (situation, feeling, need, request) and
//!   the one soundness check.
//! - [`judge`]: the verdict on a message: the rules read it, the model
//!   weighs what they found.
//! - [`model`]: a small logistic regression over the rules' cues and the
//!   message's words, trained on our development corpus.
//! - [`rules`]: one file per kind of blame, each cue with its plain reason.
//! - [`text`]: tokens and the word lists.
//! - [`llm`]: an optional local language model for the wording, with the
//!   rules as the fallback.

pub mod judge;
pub mod llm;
pub mod model;
pub mod rewrite;
pub mod rules;
pub mod text;

pub use judge::Analysis;
pub use rewrite::Suggestion;
pub use rules::Reason;
pub use text::LexiconError;

use crate::prompts::Catalog;
use model::Model;
use rewrite::Parts;
use rewrite::wording::Wording;
use text::Lexicon;

/// The coach for one locale. Cheap to share; all methods are pure.
#[derive(Clone, Debug)]
pub struct Coach {
    lexicon: Lexicon,
    model: Model,
    wording: Wording,
}

impl Coach {
    pub fn from_catalog(catalog: &Catalog) -> Result<Coach, LexiconError> {
        let lexicon = Lexicon::from_catalog(catalog)?;
        let model = Model::from_catalog(catalog)?;
        let wording = Wording::from_catalog(catalog, &lexicon)?;
        Ok(Coach {
            lexicon,
            model,
            wording,
        })
    }

    /// The same coach judging with another model (training compares them).
    pub fn with_model(mut self, model: Model) -> Coach {
        self.model = model;
        self
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    fn parts(&self) -> Parts<'_> {
        Parts {
            lex: &self.lexicon,
            wording: &self.wording,
        }
    }

    pub fn analyze(&self, message: &str) -> Analysis {
        judge::analyze(&self.lexicon, &self.model, message)
    }

    /// The I-statement for an analysed message, optionally with a feeling
    /// the author chose.
    pub fn suggest(&self, analysis: &Analysis, feeling: Option<&str>) -> Suggestion {
        self.parts().suggest(analysis, feeling)
    }

    /// The fill-in frame for a message that complains without blaming.
    pub fn frame(&self, analysis: &Analysis) -> String {
        self.parts().frame(analysis)
    }

    /// Whether a suggestion (ours or a model's) passes the coach's checks.
    pub fn is_sound(&self, suggestion: &str) -> bool {
        self.parts().is_sound(suggestion)
    }

    /// The feelings offered to choose from, without the one in use.
    pub fn other_feelings(&self, current: &str) -> Vec<&str> {
        self.lexicon
            .feeling_choices
            .iter()
            .map(String::as_str)
            .filter(|f| *f != current)
            .collect()
    }

    /// Whether a feeling is one the coach can use.
    pub fn knows_feeling(&self, feeling: &str) -> bool {
        self.lexicon.feelings.iter().any(|f| f == feeling)
    }

    pub fn feelings(&self) -> &[String] {
        &self.lexicon.feelings
    }
}

/// The outside view of one message, as `rapport reword --json` writes it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Verdict {
    pub blaming: bool,
    /// Words suggesting self-harm or violence: the message gets crisis
    /// resources, not advice (and `reasons` is `["crisis"]`).
    pub crisis: bool,
    /// Reason codes.
    pub reasons: Vec<&'static str>,
    /// The I-statement; `None` when not blaming, or for a crisis.
    pub suggestion: Option<String>,
    /// For a message that is not blaming but not kind either (a complaint
    /// with no feeling named): the I-statement frame to fill in.
    pub frame: Option<String>,
}

/// Analyses one message and, if it blames, rewrites it.
pub fn verdict(coach: &Coach, message: &str) -> Verdict {
    let analysis = coach.analyze(message);
    if analysis.crisis {
        return Verdict {
            blaming: false,
            crisis: true,
            reasons: vec!["crisis"],
            suggestion: None,
            frame: None,
        };
    }
    Verdict {
        blaming: analysis.blaming(),
        crisis: false,
        reasons: analysis.reasons.iter().map(|r| r.code()).collect(),
        suggestion: analysis
            .blaming()
            .then(|| coach.suggest(&analysis, None).text),
        frame: analysis.complaint.then(|| coach.frame(&analysis)),
    }
}
