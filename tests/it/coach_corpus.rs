//! The coach's corpus as issue #17 asks for it: at least 600 labelled
//! messages, about half of them blaming, half of them in chat register, and
//! no message in both the frozen test part and the development part.

use std::collections::BTreeSet;

use rapport::coach::model::train::examples;

use crate::reword_eval::{DEVELOPMENT_TEXTS, FROZEN, corpus};

/// Words only chat writes.
const CHAT_WORDS: [&str; 22] = [
    "u", "ur", "r", "ya", "idk", "lol", "omg", "pls", "plz", "thx", "rn", "bc", "ngl", "wanna",
    "gonna", "ily", "tbh", "lmao", "bday", "ppl", "im", "dont",
];

/// Whether a message is written as people chat: lower case at the start, a
/// chat word, an emoji, a word in capitals, or doubled marks ("!!", "?!",
/// "...").
fn chat_register(text: &str) -> bool {
    let starts_lower = text
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_lowercase);
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let chat_word = words
        .iter()
        .any(|w| CHAT_WORDS.contains(&w.to_lowercase().as_str()));
    let emoji = text
        .chars()
        .any(|c| !c.is_ascii() && !c.is_alphanumeric() && !"’“”—–…".contains(c));
    let shouting = words
        .iter()
        .any(|w| w.chars().count() >= 3 && w.chars().all(|c| c.is_uppercase()));
    let marks = ["!!", "??", "?!", "!?", "..."]
        .iter()
        .any(|m| text.contains(m));
    starts_lower || chat_word || emoji || shouting || marks
}

#[test]
fn the_corpus_is_big_balanced_and_half_chat() {
    let all = corpus();
    let blaming = all.iter().filter(|e| e.blaming).count();
    let chat = all.iter().filter(|e| chat_register(e.text)).count();
    let share = |n: usize| n as f64 / all.len() as f64;
    println!(
        "coach corpus: {} messages, {blaming} blaming ({:.2}), {chat} in chat register ({:.2})",
        all.len(),
        share(blaming),
        share(chat)
    );
    assert!(all.len() >= 600, "{} messages", all.len());
    assert!((0.4..=0.6).contains(&share(blaming)), "{blaming} blaming");
    assert!(share(chat) >= 0.5, "{chat} in chat register");
    let frozen = examples(FROZEN);
    assert!(frozen.len() >= 300, "the frozen part has {}", frozen.len());
}

#[test]
fn no_message_is_in_both_parts() {
    let frozen: BTreeSet<String> = examples(FROZEN)
        .iter()
        .map(|e| e.text.trim().to_lowercase())
        .collect();
    let shared = DEVELOPMENT_TEXTS
        .iter()
        .flat_map(|text| examples(text))
        .filter(|e| frozen.contains(&e.text.trim().to_lowercase()))
        .count();
    assert_eq!(shared, 0, "development messages that are also frozen");
}

#[test]
fn chat_register_is_told_from_written_register() {
    assert!(chat_register("u never text back"));
    assert!(chat_register("You left the dishes AGAIN"));
    assert!(chat_register("Thanks!! 😍"));
    assert!(!chat_register("You never text me back."));
    assert!(!chat_register(
        "Could we talk about the weekend plans later?"
    ));
}
