//! Picking a check-in question: from one theme's deck or from all decks,
//! at random, never repeating a question before the deck is used up.

use rand::Rng;

use crate::engine::Engine;
use crate::error::UserError;
use crate::store::{Tx, decks};

/// The deck name meaning "every theme".
pub const ALL_THEMES: &str = "mixed";
/// Where decks live in the prompts: `decks.<theme> = [ … ]`.
const DECK_PREFIX: &str = "decks.";

/// The themes admins and prompts provide, in name order.
pub fn themes(engine: &Engine) -> Vec<String> {
    engine
        .catalog()
        .list_names(DECK_PREFIX)
        .map(|name| name.trim_start_matches(DECK_PREFIX).to_owned())
        .collect()
}

/// Checks a theme a person typed; `None` means all themes.
pub fn check_theme(engine: &Engine, theme: Option<&str>) -> Result<String, UserError> {
    let Some(theme) = theme.filter(|t| *t != ALL_THEMES) else {
        return Ok(ALL_THEMES.to_owned());
    };
    let available = themes(engine);
    if available.iter().any(|t| t == theme) {
        Ok(theme.to_owned())
    } else {
        Err(UserError::UnknownTheme {
            given: theme.to_owned(),
            available,
        })
    }
}

/// The questions of a deck, concatenated in theme order for "mixed".
fn questions(engine: &Engine, deck: &str) -> Vec<String> {
    let names = if deck == ALL_THEMES {
        themes(engine)
    } else {
        vec![deck.to_owned()]
    };
    names
        .iter()
        .filter_map(|name| engine.catalog().list(&format!("{DECK_PREFIX}{name}")))
        .flatten()
        .cloned()
        .collect()
}

/// Draws an unused question for the couple and marks it used.
pub async fn pick(
    engine: &Engine,
    tx: &mut Tx,
    couple_id: i64,
    deck: &str,
) -> anyhow::Result<String> {
    let all = questions(engine, deck);
    anyhow::ensure!(!all.is_empty(), "the question deck `{deck}` is empty");
    let mut used = decks::used(tx, couple_id, deck).await?;
    if used.len() >= all.len() {
        decks::reset(tx, couple_id, deck).await?;
        used.clear();
    }
    let unused: Vec<usize> = (0..all.len())
        .filter(|i| !used.contains(&(*i as i64)))
        .collect();
    let index = engine.with_rng(|rng| unused[rng.random_range(0..unused.len())]);
    decks::mark_used(tx, couple_id, deck, index as i64).await?;
    Ok(all[index].clone())
}
