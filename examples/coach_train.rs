//! Trains the coach's model on the development part of the corpus and
//! writes its weights into `[coach.model]` at the end of
//! `prompts/en/coach.toml`:
//!
//! ```sh
//! cargo run --release --example coach_train            # train and write
//! cargo run --release --example coach_train -- --check # only compare
//! cargo run --release --example coach_train -- --report # list CV mistakes
//! cargo run --release --example coach_train -- --holdout tests/data/coach-extra.tsv
//! ```
//!
//! Never give it `tests/data/coach-frozen.tsv`: that is the test part.
//! Training is deterministic, and `tests/it/coach_model.rs` holds the
//! committed weights to what training gives.

use std::path::Path;
use std::process::ExitCode;

use rapport::coach::Coach;
use rapport::coach::model::train::{self, DEVELOPMENT, Example, SETTINGS};
use rapport::coach::text::Lexicon;
use rapport::prompts::Catalog;

const COACH_TOML: &str = "prompts/en/coach.toml";
const MARKER: &str = "[coach.model]";

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let catalog = Catalog::embedded().expect("the embedded prompts load");
    let lexicon = Lexicon::from_catalog(&catalog).expect("the coach's lists load");
    // `--holdout <file>`: train without one development file and measure on it.
    let holdout = arguments
        .iter()
        .position(|a| a == "--holdout")
        .and_then(|at| arguments.get(at + 1))
        .cloned();
    let files: Vec<&str> = DEVELOPMENT
        .iter()
        .copied()
        .filter(|file| holdout.as_deref() != Some(*file))
        .collect();
    let texts: Vec<String> = files
        .iter()
        .map(|file| std::fs::read_to_string(root.join(file)).expect("a development file"))
        .collect();
    let borrowed: Vec<&str> = texts.iter().map(String::as_str).collect();
    let examples: Vec<Example<'_>> = train::parts(&borrowed);
    let sizes: Vec<usize> = texts
        .iter()
        .map(|text| train::examples(text).len())
        .collect();
    let trained = train::train(&lexicon, &examples, &SETTINGS);
    let cv = trained.cross_validated;
    println!(
        "{} examples; cross-validated ({} folds): {cv}; threshold {:.4}, {} weights",
        examples.len(),
        SETTINGS.folds,
        trained.threshold,
        trained.weights.len()
    );
    if arguments.iter().any(|a| a == "--report") {
        for threshold in [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7] {
            let mut counts = train::Counts::default();
            for (example, p) in examples.iter().zip(&trained.held_out) {
                counts.add(example.blaming, *p >= threshold);
            }
            print!(
                "  at {threshold}: precision {:.3}, recall {:.3};",
                counts.precision(),
                counts.recall()
            );
            let mut from = 0;
            for (file, size) in files.iter().zip(&sizes) {
                let mut part = train::Counts::default();
                for (example, p) in examples[from..from + size]
                    .iter()
                    .zip(&trained.held_out[from..from + size])
                {
                    part.add(example.blaming, *p >= threshold);
                }
                from += size;
                let name = file.rsplit('/').next().unwrap_or(file);
                print!(" {name} {:.2}/{:.2}", part.precision(), part.recall());
            }
            println!();
        }
        for (example, p) in examples.iter().zip(&trained.held_out) {
            let flagged = train::round(*p) >= trained.threshold;
            if example.blaming != flagged {
                let kind = if flagged { "false alarm" } else { "missed" };
                println!("  {kind}: {}", example.text);
            }
        }
    }
    if let Some(file) = holdout {
        let coach = Coach::from_catalog(&catalog)
            .expect("the coach loads")
            .with_model(trained.model());
        let text = std::fs::read_to_string(root.join(&file)).expect("the held-out file");
        let mut counts = train::Counts::default();
        for example in train::examples(&text) {
            let flagged = coach.analyze(example.text).blaming();
            counts.add(example.blaming, flagged);
            if flagged != example.blaming {
                let kind = if flagged { "false alarm" } else { "missed" };
                println!("  held out, {kind}: {}", example.text);
            }
        }
        println!("held out {file}: {counts}");
        return ExitCode::SUCCESS;
    }
    let path = root.join(COACH_TOML);
    let toml = std::fs::read_to_string(&path).expect("coach.toml");
    let kept = toml.split(MARKER).next().unwrap_or(&toml).trim_end();
    let note = format!(
        "Written by `cargo run --release --example coach_train` from the development part\n\
         of the corpus ({}); do not edit by hand.\n\
         Cross-validated on it ({} folds): precision {:.3}, recall {:.3}.",
        DEVELOPMENT.join(", "),
        SETTINGS.folds,
        cv.precision(),
        cv.recall()
    );
    let written = format!("{kept}\n\n{}", train::render(&trained, &note));
    if arguments.iter().any(|a| a == "--check") {
        return if written == toml {
            println!("{COACH_TOML} holds these weights");
            ExitCode::SUCCESS
        } else {
            println!("{COACH_TOML} differs from training; run without --check to write it");
            ExitCode::FAILURE
        };
    }
    std::fs::write(&path, written).expect("coach.toml is writable");
    println!("wrote {COACH_TOML}");
    ExitCode::SUCCESS
}
