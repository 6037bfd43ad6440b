//! The coach's model: trained on the development part only, and training
//! again gives exactly the weights committed in `prompts/en/coach.toml`
//! (rounded to four decimals as written; a tolerance of 0.0005 covers a
//! last-digit difference in `exp` between platforms).

use rapport::coach::model::train::{self, DEVELOPMENT, Example, SETTINGS};
use rapport::coach::model::{BIAS, THRESHOLD, WEIGHTS, parse_weight};
use rapport::coach::text::Lexicon;
use rapport::prompts::Catalog;

use crate::reword_eval::{DEVELOPMENT_TEXTS, coach, corpus};

const TOLERANCE: f64 = 0.0005;

#[test]
fn retraining_on_the_development_part_gives_the_committed_weights() {
    let catalog = Catalog::embedded().unwrap();
    let lexicon = Lexicon::from_catalog(&catalog).unwrap();
    let development: Vec<Example<'_>> = train::parts(&DEVELOPMENT_TEXTS);
    let trained = train::train(&lexicon, &development, &SETTINGS);
    let number = |key: &str| catalog.lookup(key).unwrap().parse::<f64>().unwrap();
    assert!(
        (trained.bias - number(BIAS)).abs() <= TOLERANCE,
        "bias {}",
        trained.bias
    );
    assert!(
        (trained.threshold - number(THRESHOLD)).abs() <= TOLERANCE,
        "threshold {}",
        trained.threshold
    );
    let committed: Vec<(String, f64)> = catalog
        .list(WEIGHTS)
        .unwrap()
        .iter()
        .map(|line| parse_weight(line).expect("weight name"))
        .collect();
    assert_eq!(
        committed.len(),
        trained.weights.len(),
        "run: cargo run --release --example coach_train"
    );
    for ((name, weight), (trained_name, trained_weight)) in committed.iter().zip(&trained.weights) {
        assert_eq!(name, trained_name);
        assert!(
            (weight - trained_weight).abs() <= TOLERANCE,
            "{name}: {weight} vs {trained_weight}"
        );
    }
    println!(
        "coach model: {} weights; cross-validated on the development part: precision {:.3}, recall {:.3}",
        trained.weights.len(),
        trained.cross_validated.precision(),
        trained.cross_validated.recall()
    );
}

#[test]
fn the_model_is_trained_on_the_development_part_only() {
    assert!(DEVELOPMENT.iter().all(|path| !path.contains("frozen")));
    assert_eq!(DEVELOPMENT.len(), DEVELOPMENT_TEXTS.len());
}

/// A flag always comes with a reason, whatever the model weighed.
#[test]
fn every_flag_has_a_reason() {
    let coach = coach();
    let mut flagged = 0;
    for example in corpus() {
        let analysis = coach.analyze(example.text);
        if analysis.probability >= coach.model().threshold && !analysis.crisis {
            flagged += 1;
            let verdict = rapport::coach::verdict(&coach, example.text);
            assert_eq!(verdict.blaming, !verdict.reasons.is_empty());
        }
    }
    assert!(flagged > 300, "{flagged}");
}
