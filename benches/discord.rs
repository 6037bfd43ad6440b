//! Discord delivery benchmark: 10,000 outbox messages (check-in questions
//! to 200 people's DMs) delivered through the real adapter to the fake
//! Discord from the tests, which enforces Discord's global limit of 50
//! requests a second with 429s. Prints the sustained request rate as a
//! fraction of 50/s (target ≥ 90%) and the number of 429s (target 0).
//!
//! Run with `cargo bench --bench discord`; `RAPPORT_BENCH_MESSAGES` lowers
//! the count for a quick look.

#![recursion_limit = "256"]

// The tests' fake Discord; the benchmark uses only part of it.
#[path = "common/discord_settings.rs"]
mod discord_settings;
#[allow(dead_code)]
#[path = "../tests/it/discord/fake/mod.rs"]
mod fake;

use std::sync::Arc;
use std::time::Instant;

use rand::SeedableRng;
use rand::rngs::StdRng;

use rapport::adapters::discord::DiscordBot;
use rapport::clock::ManualClock;
use rapport::delivery::{self, DeliveryPolicy, Ports};
use rapport::domain::{Destination, Platform, Reply, UserRef};
use rapport::engine::{Engine, Policy};
use rapport::prompts::Catalog;
use rapport::store::Store;
use rapport::store::outbox::{self, NewMessage};

/// Discord's global limit.
const DISCORD_LIMIT: f64 = 50.0;
const PEOPLE: u64 = 200;

fn main() -> anyhow::Result<()> {
    let messages: u64 = std::env::var("RAPPORT_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(messages))
}

async fn run(messages: u64) -> anyhow::Result<()> {
    let fake = fake::FakeDiscord::start().await;
    fake.limit_per_second(DISCORD_LIMIT as usize);
    let engine = Arc::new(Engine::new(
        Store::connect("sqlite::memory:").await?,
        Arc::new(Catalog::embedded()?),
        Arc::new(ManualClock::new(chrono::Utc::now())),
        StdRng::seed_from_u64(7),
        Policy::default(),
    )?);
    let mut tx = engine.store().begin().await?;
    for n in 0..messages {
        let person = 100 + n % PEOPLE;
        let to = Destination::User(UserRef::new(Platform::Discord, person.to_string()));
        let reply = Reply::private(format!(
            "Check-in time ({n}). How connected did you feel this week?"
        ));
        let key = format!("bench:{n}");
        let message = NewMessage {
            key: &key,
            couple_id: None,
            to: &to,
            reply: &reply,
            authors: &[],
            journal_entry: None,
            couple_only: false,
            not_before: engine.clock().now(),
        };
        outbox::enqueue(&mut tx, &message).await?;
    }
    tx.commit().await?;

    let settings = discord_settings::against_fake(&fake.api_base, false);
    let bot = DiscordBot::connect(settings, engine.clone()).await?;
    let ports = Ports::default().with(bot.port());
    let before = fake.view().requests.len();
    let started = Instant::now();
    let report = delivery::deliver_due_once(&engine, &ports, &DeliveryPolicy::default()).await?;
    let elapsed = started.elapsed().as_secs_f64();
    let view = fake.view();
    let requests = view.requests.len() - before;
    let posted = view.messages.len();
    let rate = requests as f64 / elapsed;
    println!("Discord delivery: {messages} outbox messages to {PEOPLE} people's DMs");
    println!(
        "  sent {} (failed {}, retried {}); the fake holds {posted} messages",
        report.sent, report.failed, report.retried
    );
    println!("  {requests} requests in {elapsed:.1} s: {rate:.1} requests/s");
    println!(
        "  sustained rate: {:.1}% of Discord's 50/s (target ≥ 90%)",
        100.0 * rate / DISCORD_LIMIT
    );
    println!("  429 responses: {} (target 0)", view.rate_limited);
    let problems = fake.problems();
    println!(
        "  traffic outside Discord's OpenAPI document: {}",
        problems.len()
    );
    for problem in problems.iter().take(5) {
        println!("    {problem}");
    }
    Ok(())
}
