//! Slash commands are registered at the first start and again only when
//! they changed, so a restart asks Discord but sends it nothing; of two
//! processes on one database, only one registers.

use std::time::Duration;

use rapport::adapters::discord::DiscordBot;
use tokio::sync::oneshot;

use super::fake::FakeDiscord;
use super::settings;
use crate::helpers::{TestEngine, spawn_engine, spawn_engine_on};

/// A bot running against `fake` on `t`'s engine, once connected (its
/// commands are in sync by then); stop it with [`stop`].
async fn start(fake: &FakeDiscord, t: &TestEngine) -> Started {
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
    (stop, task)
}

type Started = (
    oneshot::Sender<()>,
    tokio::task::JoinHandle<anyhow::Result<()>>,
);

async fn stop((stop, task): Started) {
    let _ = stop.send(());
    let ended = tokio::time::timeout(Duration::from_secs(10), task).await;
    assert!(matches!(ended, Ok(Ok(Ok(())))), "{ended:?}");
}

/// One run of a bot on a database of its own, started and stopped.
async fn start_and_stop(fake: &FakeDiscord) {
    stop(start(fake, &spawn_engine().await).await).await;
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

#[tokio::test]
async fn of_two_processes_on_one_database_only_one_registers() {
    let data = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", data.path().join("rapport.db").display());
    let fake = FakeDiscord::start().await;
    let (first, second) = (spawn_engine_on(&url).await, spawn_engine_on(&url).await);
    let (a, b) = tokio::join!(start(&fake, &first), start(&fake, &second));
    assert_eq!(
        (calls(&fake, "get"), calls(&fake, "put")),
        (1, 1),
        "one asks Discord and registers; the other leaves it to the first"
    );
    stop(a).await;
    stop(b).await;
    assert_eq!(fake.problems(), Vec::<String>::new());
}
