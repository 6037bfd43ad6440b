//! The `rapport` command line: run the bot, try it in a console, or check
//! the configuration.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::io::BufReader;

use rapport::adapters::{DISCORD_AVAILABLE, MATRIX_AVAILABLE};
use rapport::admin;
use rapport::app::App;
use rapport::clock::SystemClock;
use rapport::coach::Coach;
use rapport::config::{self, Config, Problem};
use rapport::prompts::{Catalog, Key};
use rapport::store::ConnectError;
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
    /// Run the bot on the configured platforms (the default). Refuses when
    /// none is configured; a bare `rapport` at a terminal then starts the
    /// console instead.
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
    /// Copy the SQLite store to a new file while rapport runs, and check
    /// the copy (for PostgreSQL, says how to use pg_dump).
    Backup {
        /// The file to create; an existing file is never overwritten.
        file: PathBuf,
    },
    /// Apply pending database migrations now (an SQLite file is copied
    /// beside itself first), or with --status only list them.
    Migrate {
        /// List applied and pending migrations without applying any.
        #[arg(long)]
        status: bool,
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
    if let Some(Action::CheckConfig) = cli.command {
        return check_config(&texts, cli.config.as_deref());
    }
    let loaded = match config::load(cli.config.as_deref()) {
        Ok(loaded) => loaded,
        Err(problems) => {
            eprintln!("{}", which_file(&texts, cli.config.as_deref()));
            return report_problems(&texts, &rendered(&texts, &problems));
        }
    };
    // `rapport run` means the chat platforms; a bare `rapport` at a terminal
    // may fall back to the console.
    let explicit_run = matches!(cli.command, Some(Action::Run));
    let action = cli.command.unwrap_or(Action::Run);
    if let Action::Reword { json } = action {
        return reword_lines(&loaded.config, json, &texts);
    }
    if let Action::Backup { file } = &action {
        return admin_command(&texts, admin::backup(&texts, &loaded.config, file));
    }
    if let Action::Migrate { status } = action {
        telemetry::init(&loaded.config.log.filter, loaded.config.log.format);
        return match status {
            true => admin_command(&texts, admin::migration_status(&texts, &loaded.config)),
            false => admin_command(&texts, admin::migrate(&texts, &loaded.config)),
        };
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
    let started = start(&texts, &loaded.config, console_only, explicit_run);
    match runtime.block_on(started) {
        Ok(code) => code,
        Err(error) => fail(&texts, &error),
    }
}

/// Runs one admin command to its end: its lines on stdout, or its reason
/// on stderr and exit code 1.
fn admin_command(
    texts: &Catalog,
    command: impl std::future::Future<Output = Result<String, String>>,
) -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => return fail(texts, &error.into()),
    };
    match runtime.block_on(command) {
        Ok(lines) => {
            println!("{lines}");
            ExitCode::SUCCESS
        }
        Err(reason) => {
            eprintln!("{reason}");
            ExitCode::FAILURE
        }
    }
}

/// `rapport check-config`: which file, every problem, then the store and
/// the platforms. Exits 1 when anything must be fixed.
fn check_config(texts: &Catalog, path: Option<&Path>) -> ExitCode {
    println!("{}", which_file(texts, path));
    let loaded = match config::load(path) {
        Ok(loaded) => loaded,
        Err(problems) => return report_problems(texts, &rendered(texts, &problems)),
    };
    print_warnings(texts, &loaded.warnings);
    let config = &loaded.config;
    let mut problems: Vec<String> = missing_features(config)
        .map(|platform| texts.render(Key::AdminFeatureMissing, &[("platform", platform)]))
        .collect();
    let store = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime.block_on(config::check::store(config)),
        Err(error) => return fail(texts, &error.into()),
    };
    match store {
        Ok(found) => println!("{}", found.render(texts)),
        Err(problem) => problems.push(problem.render(texts)),
    }
    if !problems.is_empty() {
        return report_problems(texts, &problems);
    }
    if !config.has_discord() && !config.has_matrix() {
        println!("{}", texts.text(Key::AdminConfigNoPlatform));
    }
    println!("{}", texts.text(Key::AdminConfigOk));
    ExitCode::SUCCESS
}

/// The configured platforms this build cannot run.
fn missing_features(config: &Config) -> impl Iterator<Item = &'static str> {
    [
        (config.has_discord(), DISCORD_AVAILABLE, "Discord"),
        (config.has_matrix(), MATRIX_AVAILABLE, "Matrix"),
    ]
    .into_iter()
    .filter(|(configured, available, _)| *configured && !available)
    .map(|(_, _, platform)| platform)
}

/// Which config file is read, or that none is and defaults apply.
fn which_file(texts: &Catalog, path: Option<&Path>) -> String {
    match config::chosen_file(path) {
        Some(file) => {
            let shown = std::path::absolute(&file).unwrap_or(file);
            texts.render(
                Key::AdminConfigFile,
                &[("path", &shown.display().to_string())],
            )
        }
        None => texts.render(Key::AdminConfigNoFile, &[("path", config::DEFAULT_PATH)]),
    }
}

async fn start(
    texts: &Catalog,
    config: &Config,
    console_only: bool,
    explicit_run: bool,
) -> anyhow::Result<ExitCode> {
    let shutdown = interrupted_or_terminated();
    if !console_only {
        if let Some(platform) = missing_features(config).next() {
            eprintln!(
                "{}",
                texts.render(Key::AdminFeatureMissing, &[("platform", platform)])
            );
            return Ok(ExitCode::FAILURE);
        }
        #[cfg(any(feature = "discord", feature = "matrix"))]
        if config.has_discord() || config.has_matrix() {
            let app = App::build(config, Arc::new(SystemClock), StdRng::from_os_rng()).await?;
            app.run_chat(config, shutdown).await?;
            return Ok(ExitCode::SUCCESS);
        }

        eprintln!("{}", texts.text(Key::AdminNoPlatform));
        if explicit_run || !std::io::stdin().is_terminal() {
            return Ok(ExitCode::from(EXIT_NOTHING_TO_RUN));
        }
        eprintln!("{}", texts.text(Key::AdminStartingConsole));
    }
    let app = App::build(config, Arc::new(SystemClock), StdRng::from_os_rng()).await?;
    let input = BufReader::new(tokio::io::stdin());
    // If no signal handler can be installed, end of input still stops the console.
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

fn rendered(texts: &Catalog, problems: &[Problem]) -> Vec<String> {
    problems
        .iter()
        .map(|problem| problem.render(texts))
        .collect()
}

fn report_problems(texts: &Catalog, problems: &[String]) -> ExitCode {
    for message in problems {
        eprintln!(
            "{}",
            texts.render(Key::AdminConfigProblem, &[("message", message)])
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

/// A failed start in words: an unreachable store by its address, anything
/// else with every URL in it stripped of its userinfo.
fn fail(texts: &Catalog, error: &anyhow::Error) -> ExitCode {
    let connect = error
        .chain()
        .find_map(|cause| cause.downcast_ref::<ConnectError>());
    let reason = match connect {
        Some(connect) => config::check::connect_problem(connect).render(texts),
        None => config::redact::redact_urls(&format!("{error:#}")),
    };
    tracing::error!(error.message = %reason, "start failed");
    eprintln!(
        "{}",
        texts.render(Key::AdminStartFailed, &[("reason", &reason)])
    );
    ExitCode::FAILURE
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM, the signal systemd stops a
/// service with; never, when no handler can be installed. The handlers are
/// installed here, at once, so a signal that comes while rapport is still
/// connecting is not lost to the default action (dying mid-start).
fn interrupted_or_terminated() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            match (interrupt, terminate) {
                (Ok(mut interrupt), Ok(mut terminate)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                    }
                }
                (Ok(mut only), Err(_)) | (Err(_), Ok(mut only)) => {
                    only.recv().await;
                }
                (Err(_), Err(_)) => std::future::pending::<()>().await,
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
