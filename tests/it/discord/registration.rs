//! Slash commands are registered at the first start and again only when
//! they changed, so a restart asks Discord but sends it nothing.

use std::time::Duration;

use rapport::adapters::discord::DiscordBot;
use tokio::sync::oneshot;

use super::fake::FakeDiscord;
use super::settings;
use crate::helpers::spawn_engine;

/// One run of a bot against `fake`, until it is connected (its commands are
/// in sync by then), then stopped.
async fn start_and_stop(fake: &FakeDiscord) {
    let t = spawn_engine().await;
    let bot = DiscordBot::connect(settings(&fake.api_base), t.engine.clone())
        .await
        .expect("the bot connects to the fake");
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(bot.run(async move {
        let _ = stopped.await;
    }));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !t.engine.metrics().is_connected("discord") {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the bot never connected"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let _ = stop.send(());
    let ended = tokio::time::timeout(Duration::from_secs(10), task).await;
    assert!(matches!(ended, Ok(Ok(Ok(())))), "{ended:?}");
}

fn calls(fake: &FakeDiscord, method: &str) -> usize {
    fake.view()
        .requests
        .iter()
        .filter(|r| r.method == method && r.path.ends_with("/commands"))
        .count()
}

#[tokio::test]
async fn commands_are_registered_only_when_they_changed() {
    let fake = FakeDiscord::start().await;
    start_and_stop(&fake).await;
    assert_eq!(
        (calls(&fake, "get"), calls(&fake, "put")),
        (1, 1),
        "the first start registers"
    );
    start_and_stop(&fake).await;
    assert_eq!(
        (calls(&fake, "get"), calls(&fake, "put")),
        (2, 1),
        "a restart only asks"
    );
    fake.reword_command("checkin", "An older description");
    start_and_stop(&fake).await;
    assert_eq!(
        (calls(&fake, "get"), calls(&fake, "put")),
        (3, 2),
        "a change is registered"
    );
    assert_eq!(fake.problems(), Vec::<String>::new());
}
