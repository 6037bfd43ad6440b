//! A choice on an ephemeral answer is used once: the click is answered by
//! changing that answer (its controls disabled), and the new answer
//! follows as an ephemeral follow-up.

use serde_json::json;

use super::fake::CHANNEL_ID;
use super::{ANA, Running, as_shown, controls};

#[tokio::test]
async fn a_picked_choice_on_an_ephemeral_answer_is_disabled_and_the_answer_follows() {
    let bot = Running::start().await;
    let menu = bot.reword(ANA, true, "You never listen to me").await;
    let feelings = controls(&menu.data["components"]);
    // The message as Discord gives it with the click: with its controls.
    let shown = as_shown(&menu, CHANNEL_ID, true);
    let (label, _, _) = feelings[0].clone();
    let id = bot.fake.interact(super::click(ANA, &shown, &label));
    let update = bot.answer(id).await;
    assert_eq!(
        update.kind, 7,
        "the click changes its own message: {update:?}"
    );
    let menus = update.data["components"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        !menus.is_empty()
            && menus
                .iter()
                .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
                .all(|control| control["disabled"] == json!(true)),
        "its controls are disabled: {update:?}"
    );
    let token = format!("token-{id}");
    let follow_up = bot
        .fake
        .wait_for("the answer as a follow-up", |v| {
            v.followups
                .iter()
                .find(|(method, t, _)| *t == token && method == "post")
                .cloned()
        })
        .await;
    assert!(
        follow_up.2["content"]
            .as_str()
            .is_some_and(|text| text.contains(&label)),
        "the chosen feeling is used: {follow_up:?}"
    );
    assert_eq!(
        follow_up.2["flags"].as_u64().unwrap_or(0) & 64,
        64,
        "privately: {follow_up:?}"
    );
    bot.stop().await;
}
