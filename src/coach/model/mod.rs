//! The learned part of the coach: a logistic regression over the rules'
//! cues and the message's words and word pairs ([`features`]), trained by
//! `cargo run --release --example coach_train` on the development part of
//! our corpus only ([`train`]), its weights kept in `[coach.model]` at the
//! end of `prompts/<locale>/coach.toml`.
//!
//! It decides, the rules explain: a message is flagged when the model's
//! probability reaches the threshold chosen in training. The reasons given
//! are those of the blaming cues it found that weigh towards a flag; when
//! the model flags without one, the reason of its strongest word's class
//! ("always" -> absolute, "stop" -> command, "you" -> accusation). So no
//! flag comes without plain words for it.

pub mod features;
pub mod train;

use rustc_hash::FxHashMap;

use super::rules::{Cue, Findings, Reason};
use super::text::{Lexicon, LexiconError, Tokens};
use crate::prompts::Catalog;
use features::{Class, Key};

/// Where the weights are in the prompts.
pub const WEIGHTS: &str = "coach.model.weights";
pub const BIAS: &str = "coach.model.bias";
pub const THRESHOLD: &str = "coach.model.threshold";

/// Weights by feature key, a bias and the threshold a flag needs.
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub bias: f64,
    pub threshold: f64,
    weights: FxHashMap<u64, f64>,
    /// Each cue's weight, by its place in [`Cue::ALL`].
    cue_weights: Vec<f64>,
}

/// What the model made of a message.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Score {
    /// The probability that the message blames.
    pub probability: f64,
    /// The reasons of the blaming cues that pushed towards a flag, in the
    /// order of [`Reason`], each once.
    pub reasons: Vec<Reason>,
}

impl Model {
    pub fn new(
        bias: f64,
        threshold: f64,
        weights: impl IntoIterator<Item = (String, f64)>,
    ) -> Model {
        let weights: FxHashMap<u64, f64> = weights
            .into_iter()
            .map(|(name, w)| (Key::of(&name), w))
            .collect();
        let cue_weights = Cue::ALL
            .iter()
            .map(|cue| {
                weights
                    .get(&Key::of(&format!("c:{}", cue.name())))
                    .copied()
                    .unwrap_or(0.0)
            })
            .collect();
        Model {
            bias,
            threshold,
            weights,
            cue_weights,
        }
    }

    /// Reads the weights from the prompts: each a text "weight name".
    pub fn from_catalog(catalog: &Catalog) -> Result<Model, LexiconError> {
        let number = |key: &str| {
            catalog
                .lookup(key)
                .and_then(|text| text.trim().parse::<f64>().ok())
                .ok_or_else(|| LexiconError(key.to_owned()))
        };
        let lines = catalog
            .list(WEIGHTS)
            .filter(|l| !l.is_empty())
            .ok_or_else(|| LexiconError(WEIGHTS.to_owned()))?;
        let weights = lines
            .iter()
            .map(|line| {
                parse_weight(line).ok_or_else(|| LexiconError(format!("{WEIGHTS}: {line}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Model::new(number(BIAS)?, number(THRESHOLD)?, weights))
    }

    /// A feature's weight; zero for one the model does not know.
    pub fn weight(&self, name: &str) -> f64 {
        self.weights.get(&Key::of(name)).copied().unwrap_or(0.0)
    }

    fn cue_weight(&self, cue: Cue) -> f64 {
        self.cue_weights.get(cue as usize).copied().unwrap_or(0.0)
    }

    /// Scores a message the rules have read.
    pub fn score(&self, lex: &Lexicon, tokens: &Tokens<'_>, findings: &Findings) -> Score {
        let mut keys: Vec<u64> = Vec::with_capacity(6 * tokens.all.len() + 16);
        features::each(lex, tokens, findings, |parts, _| {
            keys.push(Key::of_parts(parts))
        });
        keys.sort_unstable();
        keys.dedup();
        let sum: f64 = keys.iter().filter_map(|key| self.weights.get(key)).sum();
        let probability = sigmoid(self.bias + sum);
        let mut reasons: Vec<Reason> = findings
            .cues
            .iter()
            .filter(|cue| self.cue_weight(*cue) > 0.0)
            .filter_map(|cue| cue.reason())
            .collect();
        reasons.sort_unstable();
        reasons.dedup();
        if reasons.is_empty() && probability >= self.threshold {
            reasons.push(self.strongest_reason(lex, tokens, findings));
        }
        Score {
            probability,
            reasons,
        }
    }

    /// The model's own flag: the reason of the class of its strongest word,
    /// else of the partner being named.
    fn strongest_reason(&self, lex: &Lexicon, tokens: &Tokens<'_>, findings: &Findings) -> Reason {
        let mut strongest: Option<(f64, Reason)> = None;
        features::each(lex, tokens, findings, |parts, classes| {
            let weight = self
                .weights
                .get(&Key::of_parts(parts))
                .copied()
                .unwrap_or(0.0);
            if let Some(reason) = reason_of(classes)
                && weight > 0.0
                && strongest.is_none_or(|(best, _)| weight > best)
            {
                strongest = Some((weight, reason));
            }
        });
        let fallback = if findings.has(Cue::PartnerRef) {
            Reason::YouAccusation
        } else {
            Reason::Contempt
        };
        strongest.map_or(fallback, |(_, reason)| reason)
    }

    /// Whether a score is a flag.
    pub fn flags(&self, score: &Score) -> bool {
        score.probability >= self.threshold && !score.reasons.is_empty()
    }
}

/// The reason a feature's words stand for, by the first class that has one
/// in order of how much it says ("stop" before "you").
fn reason_of(classes: &[Class]) -> Option<Reason> {
    const ORDER: [Class; 9] = [
        Class::Command,
        Class::Label,
        Class::Irony,
        Class::Why,
        Class::Again,
        Class::Absolute,
        Class::You,
        Class::Bad,
        Class::Negation,
    ];
    ORDER
        .iter()
        .find(|c| classes.contains(c))
        .and_then(|c| c.reason())
}

/// "0.1234 w:never" -> ("w:never", 0.1234).
pub fn parse_weight(line: &str) -> Option<(String, f64)> {
    let (weight, name) = line.split_once(' ')?;
    Some((name.to_owned(), weight.parse().ok()?))
}

pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}
