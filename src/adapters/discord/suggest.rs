//! Suggestions while typing an option: zones, the couple's open goals,
//! feelings from the coach's list, and question themes.

use poise::serenity_prelude as serenity;
use serenity::{AutocompleteChoice, CreateAutocompleteResponse};

use super::AppContext;
use super::convert::user_ref;
use super::render::cut;
use crate::engine::checkin::questions;

/// Suggestions shown while typing an option.
const MAX_SUGGESTIONS: usize = 25;

fn suggestions(values: impl Iterator<Item = (String, String)>) -> CreateAutocompleteResponse {
    CreateAutocompleteResponse::new().set_choices(
        values
            .take(MAX_SUGGESTIONS)
            .map(|(name, value)| AutocompleteChoice::new(cut(&name, 100), value))
            .collect(),
    )
}

fn matches(candidate: &str, typed: &str) -> bool {
    candidate
        .to_lowercase()
        .contains(&typed.trim().to_lowercase())
}

pub fn zones<'a>(
    _ctx: AppContext<'a>,
    typed: &'a str,
) -> poise::BoxFuture<'a, CreateAutocompleteResponse> {
    Box::pin(async move {
        suggestions(
            chrono_tz::TZ_VARIANTS
                .iter()
                .map(|zone| zone.name())
                .filter(|name| matches(name, typed))
                .map(|name| (name.to_owned(), name.to_owned())),
        )
    })
}

pub fn goals<'a>(
    ctx: AppContext<'a>,
    typed: &'a str,
) -> poise::BoxFuture<'a, CreateAutocompleteResponse> {
    Box::pin(async move {
        let user = user_ref(ctx.interaction.user.id);
        let goals = match ctx.data().engine.open_goals_of(&user).await {
            Ok(goals) => goals,
            Err(error) => {
                tracing::warn!(error.cause_chain = ?error, "cannot list goals for suggestions");
                Vec::new()
            }
        };
        suggestions(
            goals
                .into_iter()
                .map(|(id, title)| (format!("#{id} {title}"), id.to_string()))
                .filter(|(name, _)| matches(name, typed)),
        )
    })
}

pub fn feelings<'a>(
    ctx: AppContext<'a>,
    typed: &'a str,
) -> poise::BoxFuture<'a, CreateAutocompleteResponse> {
    Box::pin(async move {
        let feelings = ctx.data().engine.coach().other_feelings("");
        suggestions(
            feelings
                .into_iter()
                .filter(|feeling| matches(feeling, typed))
                .map(|feeling| (feeling.to_owned(), feeling.to_owned())),
        )
    })
}

pub fn themes<'a>(
    ctx: AppContext<'a>,
    typed: &'a str,
) -> poise::BoxFuture<'a, CreateAutocompleteResponse> {
    Box::pin(async move {
        suggestions(
            questions::themes(&ctx.data().engine)
                .into_iter()
                .filter(|name| matches(name, typed))
                .map(|name| (name.clone(), name)),
        )
    })
}
