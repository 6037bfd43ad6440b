//! Every prompt, rendered with sample values, reads cleanly: no placeholder
//! left unfilled, no word said twice in a row, no doubled punctuation — and
//! a usage hint fits the sentence that frames it.

use std::collections::BTreeSet;

use rapport::engine::command::HelpTopic;
use rapport::prompts::{Catalog, Key};
use regex::Regex;

/// `{name}` → a sample that cannot be mistaken for a repeated word.
fn sample_vars(template: &str) -> Vec<(String, String)> {
    let placeholder = Regex::new(r"\{([a-z_]+)\}").unwrap();
    let names: BTreeSet<String> = placeholder
        .captures_iter(template)
        .map(|c| c[1].to_owned())
        .collect();
    names
        .into_iter()
        .map(|name| {
            let value = format!("«{name}»");
            (name, value)
        })
        .collect()
}

fn render(catalog: &Catalog, key: Key) -> String {
    let template = catalog.text(key);
    let vars = sample_vars(template);
    let vars: Vec<(&str, &str)> = vars.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    catalog.render(key, &vars)
}

/// What reads badly in a rendered text, if anything.
fn problems(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    if text.contains('{') || text.contains('}') {
        found.push("an unfilled placeholder".to_owned());
    }
    let words = Regex::new(r"(?i)\b([a-z]+)[\s:]+([a-z]+)\b").unwrap();
    for pair in words.captures_iter(text) {
        if pair[1].eq_ignore_ascii_case(&pair[2]) && pair[1].len() > 1 {
            found.push(format!("“{}” twice", &pair[1]));
        }
    }
    let punctuation = Regex::new(r"[.,;:!?]\s?[.,;:]").unwrap();
    for doubled in punctuation.find_iter(text) {
        if !text[doubled.start()..].starts_with("...") && !text[..doubled.end()].ends_with("...") {
            found.push(format!("doubled punctuation “{}”", doubled.as_str()));
        }
    }
    found
}

#[test]
fn every_prompt_renders_cleanly() {
    let catalog = Catalog::embedded().unwrap();
    let mut bad = Vec::new();
    for key in Key::ALL {
        if key.as_str().starts_with("format.") {
            continue; // date formats, not sentences
        }
        let text = render(&catalog, *key);
        for problem in problems(&text) {
            bad.push(format!("{}: {problem}\n  {text}", key.as_str()));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn usage_hints_fit_the_sentence_that_frames_them() {
    let catalog = Catalog::embedded().unwrap();
    let usages: Vec<Key> = Key::ALL
        .iter()
        .copied()
        .filter(|key| key.as_str().starts_with("usage."))
        .collect();
    assert!(usages.len() >= 10, "{} usage hints", usages.len());
    for usage in usages {
        let framed = catalog.render(Key::ErrorUsage, &[("usage", catalog.text(usage))]);
        assert!(problems(&framed).is_empty(), "{}: {framed}", usage.as_str());
    }
}

#[test]
fn the_help_usage_names_every_topic() {
    let catalog = Catalog::embedded().unwrap();
    let usage = catalog.text(Key::UsageHelp);
    for topic in HelpTopic::WORDS {
        assert!(
            usage.contains(topic),
            "help's usage leaves out {topic}: {usage}"
        );
    }
}

#[test]
fn the_checks_find_what_they_look_for() {
    assert!(!problems("Try: Try: goal log 3").is_empty());
    assert!(!problems("the the end").is_empty());
    assert!(!problems("It ended.. Then").is_empty());
    assert!(!problems("Hello {name}").is_empty());
    assert!(problems("Wait... what? Fine!").is_empty());
}
