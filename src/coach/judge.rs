//! The verdict on one message: the rules read it, the model weighs what
//! they found, and what a suggestion needs is kept (the focus, the topic, a
//! feeling the author named).

use smallvec::SmallVec;

use super::model::Model;
use super::model::features::Key;
use super::rules::{self, Cue, Focus, Reason};
use super::text::Lexicon;

/// The verdict on one message.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Analysis {
    /// Empty when the message is not blaming.
    pub reasons: SmallVec<[Reason; 4]>,
    /// Words suggesting self-harm or violence: answer with help, not advice.
    pub crisis: bool,
    /// Not blaming, but not kind either: a complaint with no feeling named.
    /// `reword` offers the I-statement frame for it.
    pub complaint: bool,
    /// The model's probability that the message blames.
    pub probability: f64,
    pub focus: Focus,
    /// What the message is about, by its place in the lexicon's topics.
    pub topic: Option<usize>,
    /// A feeling the author named ("you make me so angry" -> "angry").
    pub named_feeling: Option<String>,
    /// A number from the message's text, so the same message always gets
    /// the same wording.
    pub seed: u64,
}

impl Analysis {
    pub fn blaming(&self) -> bool {
        !self.reasons.is_empty()
    }
}

/// Analyses one message.
pub fn analyze(lex: &Lexicon, model: &Model, message: &str) -> Analysis {
    let tokens = lex.tokenize(message);
    let found = rules::find(lex, &tokens);
    if found.crisis {
        return Analysis {
            crisis: true,
            ..Analysis::default()
        };
    }
    let score = model.score(lex, &tokens, &found);
    let blaming = model.flags(&score);
    let softened = [
        Cue::FeelingClause,
        Cue::Apology,
        Cue::Request,
        Cue::Positive,
    ]
    .iter()
    .any(|cue| found.has(*cue));
    let complaint = !blaming && (found.blames() || found.has(Cue::NegativeWord)) && !softened;
    // Only a suggestion or a frame needs the topic.
    let topic = (blaming || complaint)
        .then(|| lex.topic_of(&tokens))
        .flatten();
    Analysis {
        reasons: if blaming {
            score.reasons.iter().copied().collect()
        } else {
            SmallVec::new()
        },
        crisis: false,
        complaint,
        probability: score.probability,
        topic,
        focus: found.focus,
        named_feeling: found.named_feeling,
        seed: Key::of(message),
    }
}
