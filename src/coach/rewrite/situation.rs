//! The situation after "when": what happened, kept from the message where
//! its shape is one we can turn around safely ("you never text me back" ->
//! "I'm waiting for you to text me back"; "you lied about the money" -> "I
//! wasn't told the truth about the money"), else a phrase written by hand
//! for the message's topic. A clause that cannot be turned is never mangled:
//! it is left out.

use super::wording::{TopicWording, Wording};
use crate::coach::rules::{Focus, Object};
use crate::prompts::fill;

/// A situation and whether it happened in the past.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Situation {
    pub text: String,
    pub past: bool,
}

/// The situations to try, best first: the one kept from the message, then
/// the topic's (chosen by `seed`, so the same message gets the same words).
pub fn candidates(
    wording: &Wording,
    focus: &Focus,
    topic: Option<&TopicWording>,
    seed: u64,
) -> Vec<Situation> {
    let mut out = Vec::with_capacity(2);
    if let Some(kept) = kept(wording, focus) {
        out.push(Situation {
            text: capitalize(wording, &kept.text),
            past: kept.past,
        });
    }
    if let Some(topic) = topic {
        let past = focus.is_past();
        let phrases = if past { &topic.past } else { &topic.situations };
        if let Some(text) = pick(phrases, seed) {
            out.push(Situation {
                text: text.to_owned(),
                past,
            });
        }
    }
    out
}

/// One of `options`, the same for the same seed.
pub fn pick(options: &[String], seed: u64) -> Option<&str> {
    let count = options.len() as u64;
    (count > 0).then(|| options[(seed % count) as usize].as_str())
}

/// What the message said, turned around.
fn kept(wording: &Wording, focus: &Focus) -> Option<Situation> {
    let t = &wording.templates;
    let text = match focus {
        Focus::None => return None,
        Focus::Label(label) => {
            let last = label.rsplit(' ').next().unwrap_or(label);
            let phrase = wording
                .labels
                .get(label)
                .or_else(|| wording.labels.get(last))?;
            return Some(Situation {
                text: phrase.clone(),
                past: false,
            });
        }
        Focus::Missing { verb, past } => {
            let feeling = wording.missing.get(verb)?;
            fill(
                tense(*past, &t.dont_feel, &t.didnt_feel),
                &[("feeling", feeling)],
            )
        }
        Focus::Unmet {
            action,
            waitable: true,
            past,
        } if !action.is_empty() => fill(
            tense(*past, &t.waiting_for, &t.waited_for),
            &[("action", action)],
        ),
        Focus::Unmet { .. } => return None,
        Focus::Turned {
            verb,
            object,
            rest,
            past,
        } => turned(wording, verb, object, rest, *past)?,
        Focus::Action { action, state, .. } if !action.is_empty() => fill(
            if *state {
                &t.partner_is
            } else {
                &t.partner_does
            },
            &[("action", action)],
        ),
        Focus::Action { .. } => return None,
        Focus::First {
            first,
            second,
            past,
        } if !first.is_empty() => {
            let template = match (second.is_empty(), *past) {
                (true, false) => &t.comes_first,
                (true, true) => &t.came_first,
                (false, false) => &t.comes_before,
                (false, true) => &t.came_before,
            };
            fill(template, &[("first", first), ("second", second)])
        }
        Focus::First { .. } => return None,
    };
    Some(Situation {
        text,
        past: focus.is_past(),
    })
}

/// "you ignored me at the party" -> "I was ignored at the party"; "you
/// forgot the tickets" -> "the tickets got forgotten".
fn turned(
    wording: &Wording,
    verb: &str,
    object: &Object,
    rest: &str,
    past: bool,
) -> Option<String> {
    let t = &wording.templates;
    let (kind, thing) = match object {
        Object::Me => ("me", ""),
        Object::None => ("none", ""),
        Object::Thing(thing) => ("thing", thing.as_str()),
        Object::Act(act) => ("act", act.as_str()),
    };
    let with_rest = |text: String| {
        if rest.is_empty() || !thing.is_empty() {
            text
        } else {
            format!("{text} {rest}")
        }
    };
    if let Some((present, was)) = wording.turned_phrases.get(&format!("{verb}.{kind}")) {
        let text = fill(
            tense(past, present, was),
            &[("thing", thing), ("act", thing)],
        );
        return Some(with_rest(text));
    }
    let participle = wording.turned.get(verb)?;
    match object {
        Object::Me => Some(with_rest(fill(
            tense(past, &t.get_turned, &t.was_turned),
            &[("turned", participle)],
        ))),
        Object::Thing(thing) if !thing.is_empty() => Some(fill(
            tense(past, &t.thing_turned, &t.thing_was_turned),
            &[("thing", thing), ("turned", participle)],
        )),
        _ => None,
    }
}

fn tense<'t>(past: bool, present: &'t str, was: &'t str) -> &'t str {
    if past { was } else { present }
}

/// Writes the words that always have a capital with one ("i" -> "I").
fn capitalize(wording: &Wording, text: &str) -> String {
    text.split(' ')
        .map(|word| {
            wording
                .capitalized
                .iter()
                .find(|c| c.to_lowercase() == word)
                .map_or(word, String::as_str)
        })
        .collect::<Vec<_>>()
        .join(" ")
}
