//! Generated input, by the million: the command grammar, the coach and the
//! config loader must never panic and never hang on arbitrary or
//! near-valid text. Each input runs under `catch_unwind`; the slowest one
//! is reported, so a hang would show as a figure far above the rest.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use rapport::coach::Coach;
use rapport::engine::command::Command;
use rapport::prompts::Catalog;

use crate::month::SAMPLE_COMMANDS;

const EXAMPLE_CONFIG: &str = include_str!("../../config.example.toml");
const ENV_KEYS: &[&str] = &[
    "STORE__URL",
    "STORE__CLAIM_SECONDS",
    "CHECKINS__ROUND_HOURS",
    "DISCORD__SHARDS",
    "DISCORD__RATE_WINDOW_MS",
    "LOG__FILTER",
    "HTTP__LISTEN",
    "NOPE__X",
];

/// How one target fared.
#[derive(Debug, Default)]
pub struct Fuzzed {
    pub inputs: u64,
    pub panics: u64,
    pub slowest: Duration,
    pub took: Duration,
}

/// Runs `inputs` generated inputs through `target`, seeded by `seed`.
pub fn run(target: Target, inputs: u64, seed: u64) -> Fuzzed {
    let catalog = Catalog::embedded().expect("the built-in prompts load");
    let coach = Coach::from_catalog(&catalog).expect("the coach loads");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut rng = StdRng::seed_from_u64(seed);
    let mut fuzzed = Fuzzed::default();
    let began = Instant::now();
    let watched = Watched::start(target);
    for _ in 0..inputs {
        let started = Instant::now();
        let input = match target {
            Target::Config => String::new(),
            _ => generated(&mut rng),
        };
        watched.now_running(&input);
        let outcome = catch_unwind(AssertUnwindSafe(|| match target {
            Target::Grammar => grammar(&input),
            Target::Coach => coach_on(&coach, &input),
            Target::Config => config(dir.path(), &mut rng),
        }));
        fuzzed.inputs += 1;
        fuzzed.panics += u64::from(outcome.is_err());
        fuzzed.slowest = fuzzed.slowest.max(started.elapsed());
    }
    fuzzed.took = began.elapsed();
    fuzzed
}

/// A watchdog: an input still running after ten seconds is a hang; it is
/// printed, escaped, and the run stops, since a hung call cannot be undone.
struct Watched {
    current: std::sync::Arc<Mutex<(u64, String)>>,
}

impl Watched {
    fn start(target: Target) -> Watched {
        let current = std::sync::Arc::new(Mutex::new((0u64, String::new())));
        let watching = current.clone();
        std::thread::spawn(move || {
            let mut last = u64::MAX;
            loop {
                std::thread::sleep(Duration::from_secs(10));
                let (number, input) = watching.lock().unwrap_or_else(|p| p.into_inner()).clone();
                if number == u64::MAX {
                    return;
                }
                if number == last {
                    println!("  HANG in {target:?} on input {number}: {input:?}");
                    std::process::exit(3);
                }
                last = number;
            }
        });
        Watched { current }
    }

    fn now_running(&self, input: &str) {
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        current.0 += 1;
        current.1.clear();
        current.1.push_str(input);
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        self.current.lock().unwrap_or_else(|p| p.into_inner()).0 = u64::MAX;
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Target {
    Grammar,
    Coach,
    Config,
}

fn grammar(line: &str) {
    let _ = Command::parse(line);
}

fn coach_on(coach: &Coach, text: &str) {
    let analysis = coach.analyze(text);
    let _ = coach.suggest(&analysis, None);
}

fn config(dir: &Path, rng: &mut StdRng) {
    let text = match rng.random_bool(0.5) {
        true => mutated(EXAMPLE_CONFIG, rng, 6),
        false => random_text(rng, 400),
    };
    let path = dir.join("rapport.toml");
    if std::fs::write(&path, text).is_err() {
        return;
    }
    let key = ENV_KEYS[rng.random_range(0..ENV_KEYS.len())];
    let environment = vec![(format!("RAPPORT_{key}"), random_text(rng, 30))];
    let _ = rapport::config::load_from(Some(&path), environment);
}

/// Half arbitrary text, half a valid command with a few changes.
fn generated(rng: &mut StdRng) -> String {
    match rng.random_bool(0.5) {
        true => random_text(rng, 200),
        false => {
            let command = SAMPLE_COMMANDS[rng.random_range(0..SAMPLE_COMMANDS.len())];
            mutated(command, rng, 4)
        }
    }
}

/// Up to `longest` characters: mostly printable ASCII, some whitespace and
/// control characters, some from anywhere in Unicode.
fn random_text(rng: &mut StdRng, longest: usize) -> String {
    let length = rng.random_range(0..=longest);
    (0..length).map(|_| random_char(rng)).collect()
}

fn random_char(rng: &mut StdRng) -> char {
    match rng.random_range(0..10) {
        0..=6 => char::from(rng.random_range(0x20u8..0x7f)),
        7 => [' ', '\n', '\t', '\r', '\u{0}', '\u{202e}'][rng.random_range(0..6)],
        _ => char::from_u32(rng.random_range(0..0x11_0000)).unwrap_or('\u{fffd}'),
    }
}

/// `text` with up to `changes` characters deleted, inserted or doubled,
/// or cut short.
fn mutated(text: &str, rng: &mut StdRng, changes: usize) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..rng.random_range(1..=changes) {
        let at = rng.random_range(0..=chars.len());
        match rng.random_range(0..4) {
            0 if at < chars.len() => {
                chars.remove(at);
            }
            1 => chars.insert(at, random_char(rng)),
            2 if at < chars.len() => {
                let doubled = chars[at..].iter().take(8).copied().collect::<Vec<_>>();
                chars.splice(at..at, doubled);
            }
            _ => chars.truncate(at),
        }
    }
    chars.into_iter().collect()
}

/// Keeps panics quiet while fuzzing (they are counted), remembering the
/// first few messages to print.
pub fn quiet_panics() -> &'static Mutex<Vec<String>> {
    static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());
    std::panic::set_hook(Box::new(|info| {
        let mut seen = SEEN.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() < 5 {
            seen.push(info.to_string());
        }
    }));
    &SEEN
}
