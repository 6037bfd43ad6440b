//! The `rapport` command line: run the bot, try it in a console, or check
//! the configuration.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::io::BufReader;

use rapport::adapters::{DISCORD_AVAILABLE, MATRIX_AVAILABLE};
use rapport::app::App;
use rapport::clock::SystemClock;
use rapport::coach::Coach;
use rapport::config::{self, Config, Problem};
use rapport::prompts::{Catalog, Key};
use rapport::telemetry;

/// rapport: check-ins, kind words and kept promises for two.
#[derive(Parser)]
#[command(version)]
struct Cli {
    /// Config file (default: $RAPPORT_CONFIG, else ./rapport.toml if present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Action>,
}

#[derive(Subcommand)]
enum Action {
    /// Run the bot on the configured platforms (the default).
    Run,
    /// Try rapport locally, playing both partners.
    Console,
    /// Check the configuration and list every problem.
    CheckConfig,
    /// Analyse messages from standard input, one per line (the coach's
    /// quality, measured from outside). Uses the rules, not a model.
    Reword {
        /// Write one JSON object per line: {"blaming", "reasons", "suggestion"}.
        #[arg(long)]
        json: bool,
    },
}

/// Exit code when nothing is configured and there is no terminal for the console.
const EXIT_NOTHING_TO_RUN: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The embedded texts always load (a unit test guards them), so problems
    // can be explained even when the configured prompts are broken.
    let Ok(texts) = Catalog::embedded() else {
        eprintln!("rapport: the built-in prompts are damaged; please reinstall");
        return ExitCode::FAILURE;
    };
    let loaded = match config::load(cli.config.as_deref()) {
        Ok(loaded) => loaded,
        Err(problems) => return report_problems(&texts, &problems),
    };
    let action = cli.command.unwrap_or(Action::Run);
    if let Action::Reword { json } = action {
        return reword_lines(&loaded.config, json, &texts);
    }
    if let Action::CheckConfig = action {
        print_warnings(&texts, &loaded.warnings);
        println!("{}", texts.text(Key::AdminConfigOk));
        return ExitCode::SUCCESS;
    }
    let console_only = matches!(action, Action::Console);
    let filter = match (&loaded.config.log.filter[..], console_only) {
        // The console shares the terminal with logs: keep it quiet by default.
        ("info", true) => "warn",
        (filter, _) => filter,
    };
    telemetry::init(filter, loaded.config.log.format);
    print_warnings(&texts, &loaded.warnings);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => return fail(&texts, &error.into()),
    };
    match runtime.block_on(start(&texts, &loaded.config, console_only)) {
        Ok(code) => code,
        Err(error) => fail(&texts, &error),
    }
}

async fn start(texts: &Catalog, config: &Config, console_only: bool) -> anyhow::Result<ExitCode> {
    if !console_only {
        for (configured, available, platform) in [
            (config.has_discord(), DISCORD_AVAILABLE, "Discord"),
            (config.has_matrix(), MATRIX_AVAILABLE, "Matrix"),
        ] {
            if configured && !available {
                eprintln!(
                    "{}",
                    texts.render(Key::AdminFeatureMissing, &[("platform", platform)])
                );
                return Ok(ExitCode::FAILURE);
            }
        }
        #[cfg(any(feature = "discord", feature = "matrix"))]
        if config.has_discord() || config.has_matrix() {
            let app = App::build(config, Arc::new(SystemClock), StdRng::from_os_rng()).await?;
            let shutdown = async {
                if tokio::signal::ctrl_c().await.is_err() {
                    std::future::pending::<()>().await;
                }
            };
            app.run_chat(config, shutdown).await?;
            return Ok(ExitCode::SUCCESS);
        }

        eprintln!("{}", texts.text(Key::AdminNoPlatform));
        if !std::io::stdin().is_terminal() {
            return Ok(ExitCode::from(EXIT_NOTHING_TO_RUN));
        }
        eprintln!("{}", texts.text(Key::AdminStartingConsole));
    }
    let app = App::build(config, Arc::new(SystemClock), StdRng::from_os_rng()).await?;
    let input = BufReader::new(tokio::io::stdin());
    let shutdown = async {
        // If the signal handler cannot be installed, end of input still stops the console.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    app.run_console(input, tokio::io::stdout(), shutdown)
        .await?;
    Ok(ExitCode::SUCCESS)
}

/// `rapport reword`: one verdict per input line, on stdout.
fn reword_lines(config: &Config, json: bool, texts: &Catalog) -> ExitCode {
    let catalog = Catalog::load(&config.defaults.locale, Some(&config.prompts.dir));
    let coach = match catalog
        .map_err(anyhow::Error::from)
        .and_then(|c| Ok(Coach::from_catalog(&c)?))
    {
        Ok(coach) => coach,
        Err(error) => return fail(texts, &error),
    };
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let verdict = rapport::coach::verdict(&coach, &line);
        let written = if json {
            serde_json::to_writer(&mut out, &verdict)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out))
        } else {
            writeln!(out, "{}", verdict.suggestion.as_deref().unwrap_or("-"))
        };
        if written.is_err() {
            break; // the reader went away
        }
    }
    let _ = out.flush();
    ExitCode::SUCCESS
}

fn report_problems(texts: &Catalog, problems: &[Problem]) -> ExitCode {
    for problem in problems {
        let message = problem.render(texts);
        eprintln!(
            "{}",
            texts.render(Key::AdminConfigProblem, &[("message", &message)])
        );
    }
    let count = problems.len().to_string();
    eprintln!(
        "{}",
        texts.render(Key::AdminConfigProblemCount, &[("count", &count)])
    );
    ExitCode::FAILURE
}

fn print_warnings(texts: &Catalog, warnings: &[Problem]) {
    for warning in warnings {
        let message = warning.render(texts);
        eprintln!(
            "{}",
            texts.render(Key::AdminConfigWarning, &[("message", &message)])
        );
    }
}

fn fail(texts: &Catalog, error: &anyhow::Error) -> ExitCode {
    tracing::error!(error.cause_chain = ?error, error.message = %error, "start failed");
    eprintln!(
        "{}",
        texts.render(Key::AdminStartFailed, &[("reason", &format!("{error:#}"))])
    );
    ExitCode::FAILURE
}
