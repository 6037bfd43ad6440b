//! Soak: rapport under load, faults and bad input, over time. Prints
//! figures; not a test.
//!
//! - **month**: 1,000 couples through a simulated month on a manual clock,
//!   through the engine and the console port (check-ins, goals,
//!   appreciations, agreements, journal shares, exports, deletes, leaves);
//!   peak memory, the store's size, the p50/p99 of each command in the
//!   engine, and 0 lost and 0 twice-shown messages at the end.
//! - **chaos**: the same month in a child process killed with SIGKILL at
//!   100 random points and started again; after each restart the
//!   invariants hold (every due round once, every message shown once, no
//!   request half-applied).
//! - **fuzz**: 10 million generated inputs to the command grammar, the
//!   coach and the config loader; 0 panics, and the slowest input.
//!
//! `cargo bench --bench soak` runs all three; `-- month`, `-- chaos` or
//! `-- fuzz` one, `-- month,chaos` two. `RAPPORT_SOAK_COUPLES`, `RAPPORT_SOAK_KILLS` and
//! `RAPPORT_SOAK_INPUTS` set the sizes.

mod chaos;
mod checks;
mod fuzz;
mod month;
mod progress;
mod shown;

use std::path::Path;
use std::time::{Duration, Instant};

use month::Month;

fn size(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| arg != "--bench")
        .collect();
    let couples = size("RAPPORT_SOAK_COUPLES", 1_000) as usize;
    if args.first().map(String::as_str) == Some("--life") {
        let (dir, couples) = (args.get(1), args.get(2).and_then(|n| n.parse().ok()));
        let (Some(dir), Some(couples)) = (dir, couples) else {
            anyhow::bail!("--life DIR COUPLES");
        };
        return runtime()?.block_on(life(Path::new(dir), couples));
    }
    let which = args.first().map_or("all", String::as_str);
    let wants = |part: &str| which == "all" || which.split(',').any(|asked| asked == part);
    let mut mean_life = Duration::from_millis(1_500);
    if wants("month") {
        let took = runtime()?.block_on(month_report(couples))?;
        mean_life = took / size("RAPPORT_SOAK_KILLS", 100) as u32;
    }
    if wants("chaos") {
        chaos_report(couples, mean_life)?;
    }
    if wants("fuzz") {
        fuzz_report();
    }
    Ok(())
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// The month in this process; returns how long it took.
async fn month_report(couples: usize) -> anyhow::Result<Duration> {
    let dir = tempfile::tempdir()?;
    let mut month = Month::open(dir.path(), couples).await?;
    let started = Instant::now();
    month.run().await?;
    let took = started.elapsed();
    let checked = checks::invariants(month.engine(), dir.path(), month.progress(), true).await?;
    let mut micros = std::mem::take(&mut month.handle_micros);
    micros.sort_unstable();
    let at = |share: f64| micros[((micros.len() - 1) as f64 * share) as usize];
    let free = free_share(month.engine()).await?;
    month.engine().store().close().await;
    println!(
        "Soak, month: {couples} couples through {} days",
        month::DAYS + 1
    );
    println!("  {} commands in {:.1} s", micros.len(), took.as_secs_f64());
    println!(
        "  Engine::handle p50 {:.2} ms, p99 {:.2} ms",
        f64::from(at(0.5)) / 1000.0,
        f64::from(at(0.99)) / 1000.0
    );
    println!(
        "  peak resident memory {:.0} MiB",
        peak_rss_kib()? as f64 / 1024.0
    );
    let mib = |name: &str| store_bytes(dir.path(), name) as f64 / 1048576.0;
    println!(
        "  store size {:.1} MiB (database {:.1}, write-ahead log {:.1})",
        mib("rapport.db") + mib("rapport.db-wal") + mib("rapport.db-shm"),
        mib("rapport.db"),
        mib("rapport.db-wal")
    );
    println!(
        "  of the database, {:.0}% free pages kept for reuse",
        free * 100.0
    );
    println!(
        "  {} check-in rounds; {} messages shown, {} lost, {} shown twice; {} sent again and not shown (after claims ran out)",
        checked.rounds,
        checked.shown,
        checked.lost,
        checked
            .problems
            .iter()
            .filter(|p| p.contains("twice"))
            .count(),
        checked.repeats
    );
    print_problems(&checked.problems);
    Ok(took)
}

fn print_problems(problems: &[String]) {
    match problems.is_empty() {
        true => println!("  invariants: all hold"),
        false => problems.iter().for_each(|p| println!("  PROBLEM: {p}")),
    }
}

/// One life of the chaos run: check what the last one left, go on, and
/// at the end check again.
async fn life(dir: &Path, couples: usize) -> anyhow::Result<()> {
    let mut month = Month::open(dir, couples).await?;
    if month.progress().lives() > 1 {
        let checked = checks::invariants(month.engine(), dir, month.progress(), false).await?;
        match checked.problems.is_empty() {
            true => println!("restart check: ok"),
            false => println!("restart check: FAILED {:?}", checked.problems),
        }
    }
    month.run().await?;
    let checked = checks::invariants(month.engine(), dir, month.progress(), true).await?;
    println!(
        "figure: {} check-in rounds, {} messages shown, {} lost",
        checked.rounds, checked.shown, checked.lost
    );
    println!(
        "figure: {} sent again after a kill and not shown twice",
        checked.repeats
    );
    match checked.problems.is_empty() {
        true => println!("finished: ok"),
        false => println!("finished: FAILED {:?}", checked.problems),
    }
    Ok(())
}

fn chaos_report(couples: usize, mean_life: Duration) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let kills = size("RAPPORT_SOAK_KILLS", 100) as u32;
    let started = Instant::now();
    let chaos = chaos::run(dir.path(), couples, kills, mean_life)?;
    println!("Soak, chaos: the month killed with SIGKILL and restarted");
    println!(
        "  {} kills in {:.0} s; the invariants were checked after {} restarts and failed after {} \
         (a life killed before its check ended leaves it to the next)",
        chaos.kills,
        started.elapsed().as_secs_f64(),
        chaos.checks_passed + chaos.failures.len() as u32,
        chaos.failures.len()
    );
    for figure in &chaos.final_report {
        println!("  at the end: {figure}");
    }
    print_problems(&chaos.failures);
    Ok(())
}

fn fuzz_report() {
    let seen = fuzz::quiet_panics();
    let inputs = size("RAPPORT_SOAK_INPUTS", 10_000_000);
    let started = Instant::now();
    // A config input loads and checks the whole prompt catalog (about
    // 6 ms), so it gets a hundredth of the inputs, on a thread of its own.
    let config_inputs = inputs / 100;
    let grammar_inputs = (inputs - config_inputs) * 2 / 3;
    let coach_inputs = inputs - config_inputs - grammar_inputs;
    let results = std::thread::scope(|scope| {
        let config = scope.spawn(|| fuzz::run(fuzz::Target::Config, config_inputs, 3));
        let grammar = fuzz::run(fuzz::Target::Grammar, grammar_inputs, 1);
        let coach = fuzz::run(fuzz::Target::Coach, coach_inputs, 2);
        [
            ("grammar", grammar),
            ("coach", coach),
            ("config", config.join().unwrap_or_default()),
        ]
    });
    let _ = std::panic::take_hook();
    let total: u64 = results.iter().map(|(_, fuzzed)| fuzzed.inputs).sum();
    println!(
        "Soak, fuzz: {total} generated inputs in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    for (target, fuzzed) in &results {
        println!(
            "  {target}: {} inputs in {:.0} s, {} panics, slowest {:.1} ms",
            fuzzed.inputs,
            fuzzed.took.as_secs_f64(),
            fuzzed.panics,
            fuzzed.slowest.as_secs_f64() * 1000.0
        );
    }
    for panic in seen.lock().unwrap_or_else(|p| p.into_inner()).iter() {
        println!("  PANIC: {panic}");
    }
}

/// The process's peak resident memory (Linux's VmHWM), in KiB.
fn peak_rss_kib() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no VmHWM in /proc/self/status"))
}

/// The share of the database's pages that are free (written once, kept
/// for reuse: SQLite does not give them back without VACUUM).
async fn free_share(engine: &rapport::engine::Engine) -> anyhow::Result<f64> {
    let mut tx = engine.store().begin().await?;
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(&mut *tx)
        .await?;
    let free: i64 = sqlx::query_scalar("PRAGMA freelist_count")
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(free as f64 / pages.max(1) as f64)
}

/// The size of one of the store's files; 0 when it is not there.
fn store_bytes(dir: &Path, name: &str) -> u64 {
    std::fs::metadata(dir.join(name)).map_or(0, |meta| meta.len())
}
