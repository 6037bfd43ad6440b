//! Every suggestion the coach writes for the whole corpus, one line per
//! message (`message<TAB>suggestion`), held to the reviewed file
//! `tests/data/coach-suggestions.tsv`: any change to the wording shows in
//! review. `UPDATE_SNAPSHOTS=1 cargo test --test it coach_snapshot` writes
//! the file anew; read the difference before committing it.
//!
//! A message that is not blaming shows `-`, or `frame: …` when `reword`
//! would offer the fill-in frame; a crisis shows `crisis`.
//!
//! And no situation or ending may be in more than a tenth of the
//! suggestions, so the coach does not answer everyone alike.

use std::collections::BTreeMap;
use std::path::Path;

use rapport::coach::{Coach, verdict};

use crate::reword_eval::{coach, corpus};

const SNAPSHOT: &str = "tests/data/coach-suggestions.tsv";
const MOST_ALIKE: f64 = 0.1;

fn render(coach: &Coach, message: &str) -> String {
    let verdict = verdict(coach, message);
    match (verdict.crisis, verdict.suggestion, verdict.frame) {
        (true, _, _) => "crisis".to_owned(),
        (false, Some(suggestion), _) => suggestion,
        (false, None, Some(frame)) => format!("frame: {frame}"),
        (false, None, None) => "-".to_owned(),
    }
}

#[test]
fn every_suggestion_is_the_reviewed_one() {
    let coach = coach();
    let mut rendered = String::from(
        "# Every message of the coach's corpus and what `reword` answers (see tests/it/coach_snapshot.rs).\n",
    );
    for example in corpus() {
        let message = example.text.replace('\t', " ");
        rendered.push_str(&format!("{message}\t{}\n", render(&coach, example.text)));
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SNAPSHOT);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &rendered).unwrap();
        return;
    }
    let reviewed = std::fs::read_to_string(&path).unwrap_or_default();
    let differing: Vec<usize> = rendered
        .lines()
        .zip(reviewed.lines().chain(std::iter::repeat("")))
        .enumerate()
        .filter(|(_, (now, then))| now != then)
        .map(|(at, _)| at + 1)
        .collect();
    assert!(
        differing.is_empty() && rendered.lines().count() == reviewed.lines().count(),
        "{SNAPSHOT} differs on lines {differing:?}; run with UPDATE_SNAPSHOTS=1 and review the difference"
    );
}

/// The situation (after "when") and the ending (from "because") of a suggestion.
fn parts(suggestion: &str) -> (String, String) {
    let after = suggestion
        .split_once(" when ")
        .map_or(suggestion, |(_, rest)| rest);
    let (situation, ending) = after
        .split_once(", because ")
        .or_else(|| after.split_once("; "))
        .unwrap_or((after, ""));
    (situation.to_owned(), ending.to_owned())
}

#[test]
fn no_situation_or_ending_is_in_more_than_a_tenth() {
    let coach = coach();
    let suggestions: Vec<String> = corpus()
        .iter()
        .filter_map(|example| verdict(&coach, example.text).suggestion)
        .collect();
    let mut situations: BTreeMap<String, usize> = BTreeMap::new();
    let mut endings: BTreeMap<String, usize> = BTreeMap::new();
    for suggestion in &suggestions {
        let (situation, ending) = parts(suggestion);
        *situations.entry(situation).or_default() += 1;
        *endings.entry(ending).or_default() += 1;
    }
    let most = |counts: &BTreeMap<String, usize>| {
        counts
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(text, n)| (text.clone(), *n))
            .unwrap_or_default()
    };
    let limit = (suggestions.len() as f64 * MOST_ALIKE) as usize;
    for (kind, counts) in [("situation", &situations), ("ending", &endings)] {
        let (text, n) = most(counts);
        println!(
            "coach suggestions: {} in all, {} different {kind}s, the most common {n} times: {text}",
            suggestions.len(),
            counts.len()
        );
        assert!(
            n <= limit,
            "{kind} in {n} of {} suggestions: {text}",
            suggestions.len()
        );
    }
    assert!(suggestions.len() > 400);
}

#[test]
fn the_parts_of_a_suggestion_are_told_apart() {
    let (situation, ending) =
        parts("I feel hurt when I get ignored, because I care. Could we talk?");
    assert_eq!(situation, "I get ignored");
    assert_eq!(ending, "I care. Could we talk?");
    assert_eq!(parts("I feel hurt when ___; could we ___?").0, "___");
}
