//! Training the model: logistic regression by full-batch Adam, deterministic
//! by construction (examples and features in a fixed order, a fixed number
//! of steps, no randomness, no threads), so training again on the same data
//! gives the same weights; a test holds the committed weights to that.
//!
//! The threshold is chosen by cross-validation on the training data itself
//! (the examples of file `k` are in fold `k % folds`): the probability at
//! which the held-out predictions have the best F-beta with beta one half,
//! the balance of precision (no false alarms) and recall (no misses) in
//! which precision counts more, as it does for the coach.

use rustc_hash::FxHashMap;

use super::{Model, features, sigmoid};
use crate::coach::rules;
use crate::coach::text::Lexicon;

/// One labelled message.
#[derive(Clone, Copy, Debug)]
pub struct Example<'a> {
    pub text: &'a str,
    pub blaming: bool,
    /// Which file of the corpus it is from: cross-validation holds out
    /// whole files, since messages written together resemble each other
    /// more than they resemble what users type.
    pub part: usize,
}

/// The development part of the corpus, which the model is trained on: every
/// labelled file under `tests/data/` except the frozen test part.
pub const DEVELOPMENT: [&str; 15] = [
    "tests/data/reword-eval.tsv",
    "tests/data/reword-holdout.tsv",
    "tests/data/coach-dev.tsv",
    "tests/data/coach-chat.tsv",
    "tests/data/coach-extra.tsv",
    "tests/data/coach-more.tsv",
    "tests/data/coach-style.tsv",
    "tests/data/coach-wide-a.tsv",
    "tests/data/coach-wide-b.tsv",
    "tests/data/coach-wide-c.tsv",
    "tests/data/coach-wide-d.tsv",
    "tests/data/coach-wide-e.tsv",
    "tests/data/coach-wide-f.tsv",
    "tests/data/coach-wide-g.tsv",
    "tests/data/coach-wide-h.tsv",
];

/// The examples of a `label<TAB>message` file (`B` blames, `N` does not;
/// `#` starts a comment).
pub fn examples(text: &str) -> Vec<Example<'_>> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| line.split_once('\t'))
        .map(|(label, text)| Example {
            text,
            blaming: label == "B",
            part: 0,
        })
        .collect()
}

/// The examples of several files, each numbered by its file.
pub fn parts<'a>(texts: &[&'a str]) -> Vec<Example<'a>> {
    texts
        .iter()
        .enumerate()
        .flat_map(|(part, text)| {
            examples(text)
                .into_iter()
                .map(move |example| Example { part, ..example })
        })
        .collect()
}

/// How training runs.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub steps: usize,
    /// Adam's step size.
    pub rate: f64,
    /// The L2 penalty on the mean log loss: small, because most words are
    /// seen a few times and a strong pull to zero forgets them.
    pub l2: f64,
    /// A feature must occur in this many examples to get a weight.
    pub min_count: usize,
    pub folds: usize,
    /// How much more recall counts than precision in choosing the
    /// threshold (F-beta): below one, precision counts more.
    pub beta: f64,
    /// Weights smaller than this are left out of the file.
    pub smallest: f64,
}

pub const SETTINGS: Settings = Settings {
    steps: 400,
    rate: 0.05,
    l2: 0.00005,
    min_count: 1,
    folds: 5,
    beta: 0.5,
    smallest: 0.005,
};

/// True and false positives and negatives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: u32,
    pub fp: u32,
    pub fn_: u32,
    pub tn: u32,
}

impl Counts {
    pub fn add(&mut self, blaming: bool, flagged: bool) {
        match (blaming, flagged) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }

    pub fn precision(&self) -> f64 {
        f64::from(self.tp) / f64::from((self.tp + self.fp).max(1))
    }

    pub fn recall(&self) -> f64 {
        f64::from(self.tp) / f64::from((self.tp + self.fn_).max(1))
    }
}

/// "precision 0.950, recall 0.850 (tp …, fp …, fn …, tn …)".
impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "precision {:.3}, recall {:.3} (tp {}, fp {}, fn {}, tn {})",
            self.precision(),
            self.recall(),
            self.tp,
            self.fp,
            self.fn_,
            self.tn
        )
    }
}

/// A trained model, rounded as it is written, and how it did held out.
#[derive(Clone, Debug, PartialEq)]
pub struct Trained {
    pub bias: f64,
    pub threshold: f64,
    /// (feature, weight), sorted by feature.
    pub weights: Vec<(String, f64)>,
    pub cross_validated: Counts,
    /// Each example's probability when held out.
    pub held_out: Vec<f64>,
}

impl Trained {
    pub fn model(&self) -> Model {
        Model::new(self.bias, self.threshold, self.weights.iter().cloned())
    }
}

/// An example as the names of its features.
struct Doc {
    names: Vec<String>,
    blaming: bool,
}

pub fn train(lex: &Lexicon, examples: &[Example<'_>], settings: &Settings) -> Trained {
    let folds: Vec<usize> = examples.iter().map(|e| e.part % settings.folds).collect();
    let docs: Vec<Doc> = examples
        .iter()
        .map(|example| {
            let tokens = lex.tokenize(example.text);
            let findings = rules::find(lex, &tokens);
            Doc {
                names: features::names(lex, &tokens, &findings),
                blaming: example.blaming,
            }
        })
        .collect();
    let mut held_out = vec![0.0; docs.len()];
    for fold in 0..settings.folds {
        let training: Vec<&Doc> = docs
            .iter()
            .enumerate()
            .filter(|(i, _)| folds[*i] != fold)
            .map(|(_, d)| d)
            .collect();
        let fitted = fit(&training, settings);
        for (i, doc) in docs.iter().enumerate().filter(|(i, _)| folds[*i] == fold) {
            held_out[i] = fitted.predict(doc);
        }
    }
    let threshold = round(choose_threshold(&docs, &held_out, settings.beta));
    let mut cross_validated = Counts::default();
    for (doc, probability) in docs.iter().zip(&held_out) {
        cross_validated.add(doc.blaming, round(*probability) >= threshold);
    }
    let all: Vec<&Doc> = docs.iter().collect();
    let fitted = fit(&all, settings);
    let weights = fitted
        .names
        .iter()
        .zip(&fitted.weights)
        .filter(|(_, w)| w.abs() >= settings.smallest)
        .map(|(name, w)| (name.clone(), round(*w)))
        .collect();
    Trained {
        bias: round(fitted.bias),
        threshold,
        weights,
        cross_validated,
        held_out,
    }
}

/// Four decimals, as the weights are written.
pub fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// A model fitted on some examples, with its own features.
struct Fitted {
    names: Vec<String>,
    index: FxHashMap<String, usize>,
    weights: Vec<f64>,
    bias: f64,
}

impl Fitted {
    fn predict(&self, doc: &Doc) -> f64 {
        let weight = |name: &String| self.index.get(name).map_or(0.0, |&j| self.weights[j]);
        let sum: f64 = doc.names.iter().map(weight).sum();
        sigmoid(self.bias + sum)
    }
}

/// Adam on the mean log loss with an L2 penalty, full batch: every step
/// sees every example in the same order, so the result is the same each time.
fn fit(docs: &[&Doc], settings: &Settings) -> Fitted {
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    for doc in docs {
        for name in &doc.names {
            *counts.entry(name).or_default() += 1;
        }
    }
    let mut names: Vec<String> = counts
        .iter()
        .filter(|(_, count)| **count >= settings.min_count)
        .map(|(name, _)| (*name).to_owned())
        .collect();
    names.sort_unstable();
    let index: FxHashMap<String, usize> = names
        .iter()
        .enumerate()
        .map(|(j, n)| (n.clone(), j))
        .collect();
    let rows: Vec<Vec<usize>> = docs
        .iter()
        .map(|doc| {
            doc.names
                .iter()
                .filter_map(|n| index.get(n).copied())
                .collect()
        })
        .collect();
    let labels: Vec<f64> = docs
        .iter()
        .map(|d| f64::from(u8::from(d.blaming)))
        .collect();
    // The last place holds the bias, which is not penalised.
    let mut weights = vec![0.0; names.len() + 1];
    let mut adam = Adam::new(weights.len());
    let mut gradient = vec![0.0; weights.len()];
    let bias = names.len();
    let n = docs.len() as f64;
    for _ in 0..settings.steps {
        gradient.iter_mut().for_each(|g| *g = 0.0);
        for (row, label) in rows.iter().zip(&labels) {
            let z: f64 = weights[bias] + row.iter().map(|&j| weights[j]).sum::<f64>();
            let error = (sigmoid(z) - label) / n;
            gradient[bias] += error;
            for &j in row {
                gradient[j] += error;
            }
        }
        for (g, w) in gradient[..bias].iter_mut().zip(&weights) {
            *g += settings.l2 * w;
        }
        adam.step(&mut weights, &gradient, settings.rate);
    }
    let bias = weights.pop().unwrap_or_default();
    Fitted {
        names,
        index,
        weights,
        bias,
    }
}

/// The Adam optimiser's running moments.
struct Adam {
    first: Vec<f64>,
    second: Vec<f64>,
    steps: i32,
}

impl Adam {
    const BETA1: f64 = 0.9;
    const BETA2: f64 = 0.999;
    const EPSILON: f64 = 1e-8;

    fn new(len: usize) -> Adam {
        Adam {
            first: vec![0.0; len],
            second: vec![0.0; len],
            steps: 0,
        }
    }

    fn step(&mut self, weights: &mut [f64], gradient: &[f64], rate: f64) {
        self.steps += 1;
        let first_scale = 1.0 - Self::BETA1.powi(self.steps);
        let second_scale = 1.0 - Self::BETA2.powi(self.steps);
        for (j, g) in gradient.iter().enumerate() {
            self.first[j] = Self::BETA1 * self.first[j] + (1.0 - Self::BETA1) * g;
            self.second[j] = Self::BETA2 * self.second[j] + (1.0 - Self::BETA2) * g * g;
            let first = self.first[j] / first_scale;
            let second = self.second[j] / second_scale;
            weights[j] -= rate * first / (second.sqrt() + Self::EPSILON);
        }
    }
}

/// The threshold with the best held-out F-beta (precision and recall in
/// balance, precision counting more for a beta below one); of equals, the
/// highest.
fn choose_threshold(docs: &[Doc], held_out: &[f64], beta: f64) -> f64 {
    let mut candidates: Vec<f64> = held_out.iter().map(|p| round(*p)).collect();
    candidates.sort_by(f64::total_cmp);
    candidates.dedup();
    let score_at = |threshold: f64| {
        let mut counts = Counts::default();
        for (doc, p) in docs.iter().zip(held_out) {
            counts.add(doc.blaming, round(*p) >= threshold);
        }
        let (p, r) = (counts.precision(), counts.recall());
        let b2 = beta * beta;
        if p + r == 0.0 {
            0.0
        } else {
            (1.0 + b2) * p * r / (b2 * p + r)
        }
    };
    let mut best = (f64::MIN, 0.5);
    for threshold in candidates {
        let f1 = score_at(threshold);
        if f1 >= best.0 {
            best = (f1, threshold);
        }
    }
    best.1
}

/// The `[coach.model]` table as it is written into `coach.toml`.
pub fn render(trained: &Trained, note: &str) -> String {
    let mut out = String::new();
    out.push_str("[coach.model]\n");
    for line in note.lines() {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&format!("bias = \"{:.4}\"\n", trained.bias));
    out.push_str(&format!("threshold = \"{:.4}\"\n", trained.threshold));
    out.push_str("weights = [\n");
    for (name, weight) in &trained.weights {
        let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
        out.push_str(&format!("  \"{weight:.4} {escaped}\",\n"));
    }
    out.push_str("]\n");
    out
}
