//! A simulated month for many couples, through the engine and the console
//! port, on a manual clock; resumable, so the chaos run can kill it at any
//! point and start it again where it was.
//!
//! Day 0 pairs every couple and sets up a daily check-in at 20:00, a weekly
//! recap, a shared goal and an agreement. Each day the check-in fires and
//! delivers, both partners answer, and each couple does one more thing:
//! an appreciation, a goal log, a journal entry written and shared, an
//! export. On the last day some people delete their data and some couples
//! leave. Every command a restart may repeat is one a person could repeat.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use rapport::adapters::console::ConsolePort;
use rapport::clock::ManualClock;
use rapport::delivery::{self, DeliveryPolicy, Ports};
use rapport::domain::{Platform, SpaceRef, UserRef};
use rapport::engine::message::{Actor, Place};
use rapport::engine::{Engine, Policy};
use rapport::prompts::Catalog;
use rapport::store::Store;

use crate::progress::{Position, Progress};
use crate::shown::ShownPort;

pub const DAYS: u32 = 30;

/// Valid commands of the kinds the month uses, for the fuzzer to mutate.
pub const SAMPLE_COMMANDS: &[&str] = &[
    "pair invite",
    "pair accept ABCD-EFGH",
    "pair here",
    "pair space accept",
    "checkin schedule daily 20:00",
    "checkin accept",
    "checkin answer 7 we cooked together",
    "recap weekly sun 19:00",
    "recap accept",
    "goal shared Walk together twice a week",
    "goal accept 1",
    "goal log 1 walked by the river",
    "agree add We take a break when a talk gets heated",
    "agree accept 1",
    "appreciate thank you for making dinner",
    "journal write I felt heard today",
    "journal share 1",
    "mydata export",
    "mydata delete confirm",
    "pair leave confirm",
];

/// One simulated month on the database in `dir`.
pub struct Month {
    engine: Arc<Engine>,
    clock: Arc<ManualClock>,
    ports: Ports,
    couples: usize,
    progress: Progress,
    /// How long each command took in the engine, in microseconds.
    pub handle_micros: Vec<u32>,
}

pub fn start_day() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
}

pub fn database(dir: &Path) -> PathBuf {
    dir.join("rapport.db")
}

impl Month {
    /// Opens (or creates) the month in `dir`, where it left off.
    pub async fn open(dir: &Path, couples: usize) -> anyhow::Result<Month> {
        let url = format!("sqlite://{}?mode=rwc", database(dir).display());
        let progress = Progress::open(dir)?;
        let clock = Arc::new(ManualClock::new(start_day()));
        // A restart draws other request keys than the life before it.
        let seed = u64::from(progress.lives()) << 32 | 17;
        let engine = Arc::new(Engine::new(
            Store::connect(&url).await?,
            Arc::new(Catalog::embedded()?),
            clock.clone(),
            StdRng::seed_from_u64(seed),
            Policy::default(),
        )?);
        let (console, mut deliveries) = ConsolePort::new();
        tokio::spawn(async move { while deliveries.recv().await.is_some() {} });
        let shown = ShownPort::open(dir, Arc::new(console))?;
        Ok(Month {
            engine,
            clock,
            ports: Ports::default().with(Arc::new(shown)),
            couples,
            progress,
            handle_micros: Vec::new(),
        })
    }

    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Runs from where the month left off to its end.
    pub async fn run(&mut self) -> anyhow::Result<()> {
        let mut at = self.progress.position(self.couples);
        while at.day <= DAYS {
            self.step(at).await?;
            self.progress.done(at)?;
            at = at.next(self.couples);
        }
        self.clock.set(day_at(DAYS + 1, 9));
        self.tick().await?;
        Ok(())
    }

    /// A couple's morning (day 0: setting up; later: answering the last
    /// evening's check-in and one more thing), or the day's evening pass
    /// at 20:00, when check-ins fire and everything queued is delivered.
    async fn step(&mut self, at: Position) -> anyhow::Result<()> {
        match at.couple {
            None => {
                self.clock.set(day_at(at.day, 20));
                self.tick().await?;
            }
            Some(couple) => {
                self.clock
                    .set(day_at(at.day, 9) + Duration::seconds(couple as i64));
                match at.day {
                    0 => self.set_up(couple).await?,
                    day => self.live_a_day(day, couple).await?,
                }
            }
        }
        Ok(())
    }

    async fn set_up(&mut self, couple: usize) -> anyhow::Result<()> {
        let (a, b) = partners(couple);
        let invite = self.say(&a, &Place::Direct, "pair invite").await;
        // A set-up done again after a kill may find the couple paired
        // already (no code); the rest is then typed again, as a person
        // unsure it went through would.
        if let Some(code) = invite.iter().find_map(|text| code_in(text)) {
            self.say(&b, &Place::Direct, &format!("pair accept {code}"))
                .await;
        }
        let home = Place::Space(SpaceRef::new(Platform::Console, format!("home{couple}")));
        self.say(&a, &home, "pair here").await;
        for (who, line) in [
            (&b, "pair space accept"),
            (&a, "checkin schedule daily 20:00"),
            (&b, "checkin accept"),
            (&a, "recap weekly sun 19:00"),
            (&b, "recap accept"),
            (&a, "goal shared Walk together twice a week"),
            (&b, "goal accept 1"),
            (&b, "agree add We take a break when a talk gets heated"),
            (&a, "agree accept 1"),
        ] {
            self.say(who, &Place::Direct, line).await;
        }
        Ok(())
    }

    async fn live_a_day(&mut self, day: u32, couple: usize) -> anyhow::Result<()> {
        let (a, b) = partners(couple);
        let mut rng = StdRng::seed_from_u64(u64::from(day) << 32 | couple as u64);
        for who in [&a, &b] {
            let rating = rng.random_range(3..=10);
            let answer = format!("checkin answer {rating} we talked over dinner");
            self.say(who, &Place::Direct, &answer).await;
        }
        let who = if rng.random_bool(0.5) { &a } else { &b };
        let line = match rng.random_range(0..10) {
            0..=2 => "appreciate thank you for making dinner".to_owned(),
            3..=4 => "goal log 1 walked by the river".to_owned(),
            5..=6 => format!("journal write day {day}: I felt heard"),
            7 => "journal share 1".to_owned(),
            8 => "mydata export".to_owned(),
            _ => "checkin history".to_owned(),
        };
        self.say(who, &Place::Direct, &line).await;
        if day == DAYS {
            self.leave_or_delete(couple, &a, &b).await;
        }
        Ok(())
    }

    /// On the last day a tenth of the people delete their data and a
    /// tenth of the couples leave.
    async fn leave_or_delete(&mut self, couple: usize, a: &Actor, b: &Actor) {
        match couple % 10 {
            3 => {
                self.say(a, &Place::Direct, "mydata delete confirm").await;
            }
            7 => {
                self.say(b, &Place::Direct, "pair leave confirm").await;
            }
            _ => {}
        }
    }

    /// A person types `line`; the answers' texts.
    async fn say(&mut self, who: &Actor, place: &Place, line: &str) -> Vec<String> {
        let started = Instant::now();
        let answers = self
            .engine
            .handle_text(who.clone(), place.clone(), line)
            .await;
        let micros = started.elapsed().as_micros();
        self.handle_micros
            .push(u32::try_from(micros).unwrap_or(u32::MAX));
        answers.into_iter().map(|reply| reply.text).collect()
    }

    /// What the scheduler loop does in a pass, until nothing is due.
    async fn tick(&self) -> anyhow::Result<()> {
        loop {
            let fired = self.engine.run_due_once().await?;
            let sent =
                delivery::deliver_due_once(&self.engine, &self.ports, &DeliveryPolicy::default())
                    .await?;
            if fired == Default::default() && sent == Default::default() {
                return Ok(());
            }
        }
    }
}

/// Day `day` of the month at `hour`:00 UTC.
pub fn day_at(day: u32, hour: u32) -> DateTime<Utc> {
    start_day() + Duration::days(i64::from(day)) + Duration::hours(i64::from(hour) - 9)
}

fn partners(couple: usize) -> (Actor, Actor) {
    let person = |side: &str| {
        let name = format!("p{couple}{side}");
        Actor::new(UserRef::new(Platform::Console, name.clone()), name)
    };
    (person("a"), person("b"))
}

/// The invite code (ABCD-EFGH) in a text, if any.
fn code_in(text: &str) -> Option<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .find(|word| {
            word.len() == 9
                && word.as_bytes()[4] == b'-'
                && word
                    .chars()
                    .all(|c| c == '-' || c.is_ascii_uppercase() || c.is_ascii_digit())
        })
        .map(str::to_owned)
}
