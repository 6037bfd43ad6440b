//! A restart in the middle of a flow on the fake Discord: the bot stops,
//! and a new engine on the same database file serves a new connection, as
//! after a crash. A button offered before still does what it offered (it
//! carries its command); a reword feeling menu too long for Discord to
//! carry its commands, whose words lived in memory only, says kindly that
//! it expired.

use serde_json::json;

use rapport::prompts::Key;

use super::{ANA, BEN, Running, as_shown, content, controls, ephemeral};
use crate::helpers::{spawn_engine_on, start_time};

/// A new bot on the same file, its clock a minute on (the test engines'
/// random numbers start alike, so the same second would draw the same
/// request keys).
async fn restarted(bot: Running, url: &str) -> Running {
    bot.stop().await;
    let t = spawn_engine_on(url).await;
    t.clock.set(start_time() + chrono::Duration::minutes(1));
    Running::launch(t, |_| {}).await
}

/// Too long for a menu entry's custom id to carry (100 characters), so the
/// menu's commands live in memory only.
const LONG_MESSAGE: &str = "You never listen to me when I tell you about my day at work, \
    and every single evening it leaves me feeling invisible";

#[tokio::test]
async fn buttons_offered_before_a_restart_work_and_the_feeling_menu_expires() {
    let data = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", data.path().join("rapport.db").display());
    let bot = Running::start_on(&url).await;
    bot.slash(
        ANA,
        true,
        "pair invite",
        json!([{"name": "partner", "type": 6, "value": BEN.to_string()}]),
    )
    .await;
    bot.tick().await;
    let invite = bot
        .fake
        .view()
        .dms_to(BEN)
        .last()
        .copied()
        .cloned()
        .unwrap();
    let menu = bot.reword(ANA, false, LONG_MESSAGE).await;
    let feelings = controls(&menu.data["components"]);
    assert!(!feelings.is_empty(), "{menu:?}");

    let bot = restarted(bot, &url).await;
    let accept = bot.t.text(Key::PairChoiceAccept, &[]);
    let accepted = bot.click(BEN, &invite, &accept).await;
    assert!(
        content(&accepted).contains("now paired"),
        "the button still accepts: {accepted:?}"
    );
    bot.tick().await;
    let view = bot.fake.view();
    let told = view.dms_to(ANA);
    assert!(
        told.iter()
            .any(|m| m.content.contains("accepted your invite")),
        "{told:?}"
    );

    let shown = as_shown(&menu, 1, false);
    let picked = bot.click(ANA, &shown, &feelings[0].0).await;
    assert!(ephemeral(&picked), "{picked:?}");
    assert_eq!(
        content(&picked),
        bot.t.text(Key::ChoiceExpired, &[]),
        "the menu's words were in memory only"
    );
    bot.stop().await;
}
