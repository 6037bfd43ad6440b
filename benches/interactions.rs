//! Interaction latency benchmark: 200 people use a slash command at the
//! same moment, against the fake Discord from the tests, through the real
//! adapter and engine. It prints p50 and p99 of the time from the
//! interaction to its real answer on screen (a message, or the edit after
//! a deferral; the deferral itself does not count), and the slowest first
//! acknowledgement, which Discord needs within 3 s. With SQLite (a file, as
//! in production) and with PostgreSQL on 127.0.0.1:5432 (skipped, with a
//! note, when none answers). Target: p99 < 1 s on the project's machine.
//!
//! The mix per wave: a journal entry written (a store write), settings
//! shown (reads), a reword (the coach) and help, a quarter each.
//!
//! Run with `cargo bench --bench interactions`; `RAPPORT_BENCH_WAVES`
//! changes the number of waves (default 5).

#![recursion_limit = "256"]

// The tests' fake Discord and its payloads; the benchmark uses only part.
#[path = "common/discord_settings.rs"]
mod discord_settings;
#[allow(dead_code)]
#[path = "../tests/it/discord/fake/mod.rs"]
mod fake;
#[allow(dead_code)]
#[path = "../tests/it/discord/payloads.rs"]
mod payloads;
#[path = "common/postgres.rs"]
mod postgres;

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Value, json};

use rapport::adapters::discord::DiscordBot;
use rapport::clock::SystemClock;
use rapport::engine::{Engine, Policy};
use rapport::prompts::Catalog;
use rapport::store::Store;

const PEOPLE: u64 = 200;
const FIRST_PERSON: u64 = 300_000_000_000_000_001;
/// Discord's deadline for the first acknowledgement.
const DEADLINE: Duration = Duration::from_secs(3);

fn main() -> anyhow::Result<()> {
    let waves: usize = std::env::var("RAPPORT_BENCH_WAVES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async {
            println!("interaction latency: {PEOPLE} at once, {waves} waves");
            let dir = tempfile::tempdir()?;
            let sqlite = format!("sqlite://{}", dir.path().join("rapport.db").display());
            measure("SQLite (file)", &sqlite, waves).await?;
            match postgres::fresh_database("interactions").await {
                Ok((url, name)) => {
                    let measured = measure("PostgreSQL", &url, waves).await;
                    postgres::drop_database(&name).await?;
                    measured?;
                }
                Err(error) => println!("PostgreSQL: skipped, no server ({error:#})"),
            }
            Ok(())
        })
}

/// One backend's figures.
async fn measure(backend: &str, url: &str, waves: usize) -> anyhow::Result<()> {
    sqlx::any::install_default_drivers();
    let engine = Arc::new(Engine::new(
        Store::connect(url).await?,
        Arc::new(Catalog::embedded()?),
        Arc::new(SystemClock),
        StdRng::seed_from_u64(7),
        Policy::default(),
    )?);
    let fake = fake::FakeDiscord::start().await;
    let settings = discord_settings::against_fake(&fake.api_base, false);
    let bot = DiscordBot::connect(settings, engine.clone()).await?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(bot.run(async move {
        let _ = stopped.await;
    }));
    fake.wait_for("the commands to be registered", |view| {
        view.commands
            .as_array()
            .is_some_and(|c| !c.is_empty())
            .then_some(())
    })
    .await;
    let mut shown = Vec::new();
    let mut slowest_ack = Duration::ZERO;
    for wave in 0..waves {
        let (wave_shown, wave_ack) = one_wave(&fake, wave).await?;
        shown.extend(wave_shown);
        slowest_ack = slowest_ack.max(wave_ack);
    }
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), running).await;
    shown.sort();
    let at = |q: f64| shown[((shown.len() as f64 * q).ceil() as usize).saturating_sub(1)];
    println!(
        "  {backend}: answer shown p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms (target p99 < 1000 ms: {})",
        ms(at(0.50)),
        ms(at(0.99)),
        ms(at(1.0)),
        if at(0.99) < Duration::from_secs(1) {
            "met"
        } else {
            "NOT met"
        }
    );
    println!(
        "  {backend}: slowest first acknowledgement {:.0} ms (Discord's deadline 3000 ms: {})",
        ms(slowest_ack),
        if slowest_ack < DEADLINE {
            "kept"
        } else {
            "MISSED"
        }
    );
    println!(
        "  {backend}: traffic outside Discord's OpenAPI document: {}",
        fake.problems().len()
    );
    Ok(())
}

/// Everyone at once; returns each answer's time on screen and the slowest
/// first acknowledgement.
async fn one_wave(
    fake: &fake::FakeDiscord,
    wave: usize,
) -> anyhow::Result<(Vec<Duration>, Duration)> {
    let sent: Vec<(u64, Instant)> = (0..PEOPLE)
        .map(|n| {
            let started = Instant::now();
            (fake.interact(interaction(FIRST_PERSON + n, wave)), started)
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let timings: Vec<_> = sent.iter().map(|(id, _)| fake.timing(*id)).collect();
        if timings.iter().all(|(_, shown)| shown.is_some()) {
            let mut shown = Vec::new();
            let mut slowest_ack = Duration::ZERO;
            for ((_, started), (ack, on_screen)) in sent.iter().zip(timings) {
                let (Some(ack), Some(on_screen)) = (ack, on_screen) else {
                    continue;
                };
                slowest_ack = slowest_ack.max(ack - *started);
                shown.push(on_screen - *started);
            }
            return Ok((shown, slowest_ack));
        }
        anyhow::ensure!(Instant::now() < deadline, "answers missing after 60 s");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Person `person`'s command in this wave: a quarter of each kind.
fn interaction(person: u64, wave: usize) -> Value {
    let text = |name: &str, value: String| json!([payloads::text_option(name, &value)]);
    match (person as usize + wave) % 4 {
        0 => payloads::command(
            person,
            false,
            "journal write",
            text(
                "text",
                format!("Wave {wave}: a calm evening, we laughed a lot."),
            ),
        ),
        1 => payloads::command(person, false, "settings show", json!([])),
        2 => payloads::command(
            person,
            false,
            "reword",
            text(
                "message",
                "You never listen to me when I talk about work".into(),
            ),
        ),
        _ => payloads::command(person, false, "help", json!([])),
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
