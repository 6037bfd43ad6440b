//! The month again, as a child process killed with SIGKILL at random
//! points and started again: each new life first checks the invariants
//! on what the dead one left, then goes on where it stopped.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// What the chaos run saw.
#[derive(Debug, Default)]
pub struct Chaos {
    pub kills: u32,
    /// Restarts whose invariant check passed.
    pub checks_passed: u32,
    pub failures: Vec<String>,
    pub finished: bool,
    /// The last life's own report of the finished month.
    pub final_report: Vec<String>,
}

/// Kills the month `kills` times, about `mean_life` into each life.
pub fn run(dir: &Path, couples: usize, kills: u32, mean_life: Duration) -> anyhow::Result<Chaos> {
    let mut rng = StdRng::seed_from_u64(1_000);
    let mut chaos = Chaos::default();
    while !chaos.finished {
        let mut child = Command::new(std::env::current_exe()?)
            .arg("--life")
            .arg(dir)
            .arg(couples.to_string())
            .stdout(Stdio::piped())
            .spawn()?;
        if chaos.kills < kills {
            std::thread::sleep(mean_life.mul_f64(rng.random_range(0.1..1.9)));
            if child.try_wait()?.is_none() {
                child.kill()?;
                chaos.kills += 1;
            }
        }
        child.wait()?;
        let mut said = String::new();
        if let Some(mut out) = child.stdout.take() {
            out.read_to_string(&mut said)?;
        }
        read_life(&said, &mut chaos);
    }
    Ok(chaos)
}

fn read_life(said: &str, chaos: &mut Chaos) {
    for line in said.lines() {
        if line == "restart check: ok" {
            chaos.checks_passed += 1;
        } else if line.contains("FAILED") {
            chaos.failures.push(line.to_owned());
        } else if line == "finished: ok" {
            chaos.finished = true;
        } else if let Some(figure) = line.strip_prefix("figure: ") {
            chaos.final_report.push(figure.to_owned());
        }
    }
    if said.contains("finished: FAILED") {
        chaos.finished = true;
    }
}
