//! Wiring: builds the store, the prompt catalog and the engine from the
//! configuration, and runs the adapters until shutdown; [`held`] runs work
//! only one process may do while this one holds its lease.

pub mod held;

use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use rand::rngs::StdRng;
use secrecy::{ExposeSecret, SecretString};
use tokio::io::{AsyncBufRead, AsyncWrite};

use crate::adapters::console::{Console, ConsolePort, files};
use crate::clock::Clock;
use crate::coach::llm::{ModelRewriter, ModelSettings};
use crate::config::Config;
use crate::delivery::Ports;
use crate::engine::{Engine, Policy};
use crate::prompts::{Catalog, Key};
use crate::scheduler::{self, SchedulerPolicy};
use crate::shutdown;
use crate::store::{Store, UpgradePolicy};
pub use held::LeaseTiming;

/// A built application, ready to run.
pub struct App {
    engine: Arc<Engine>,
    /// Where the store lives, for the console to save attachments beside it.
    store_url: SecretString,
}

/// The engine's rules, from the config file.
fn policy(config: &Config) -> anyhow::Result<Policy> {
    let hours = |h: u32| chrono::Duration::hours(i64::from(h));
    Ok(Policy {
        default_zone: config
            .default_zone()
            .context("defaults.time_zone is not a valid zone")?,
        invite_ttl: hours(config.pairing.invite_ttl_hours),
        round_duration: hours(config.checkins.round_hours),
        nudge_after: hours(config.checkins.nudge_after_hours),
        catch_up_grace: hours(config.checkins.catch_up_grace_hours),
        crisis_resources: config.crisis.resources.clone(),
        invites_per_day: config.pairing.invites_per_day,
        ..Policy::default()
    })
}

impl App {
    /// Connects the store (running migrations) and loads the prompts. Clock
    /// and randomness are injected so tests control them.
    pub async fn build(config: &Config, clock: Arc<dyn Clock>, rng: StdRng) -> anyhow::Result<App> {
        let catalog = Catalog::load(&config.defaults.locale, Some(&config.prompts.dir))
            .context("cannot load prompts")?;
        let upgrade = UpgradePolicy {
            keep_copies: chrono::Duration::days(i64::from(config.backups.keep_days)),
            now: clock.now(),
        };
        let store = Store::open(config.store.url.expose_secret(), upgrade).await?;
        let policy = policy(config)?;
        let model = config
            .reword_model
            .enabled
            .then(|| model_rewriter(config, &catalog))
            .transpose()?;
        let mut engine = Engine::new(store, Arc::new(catalog), clock, rng, policy)?;
        if let Some(model) = model {
            engine = engine.with_model(model);
        }
        Ok(App {
            engine: Arc::new(engine),
            store_url: config.store.url.clone(),
        })
    }

    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// Runs the configured chat adapters (Discord, Matrix or both) and the
    /// scheduler until `shutdown`, or until an adapter fails for good. At
    /// the stop no more work is taken, what was claimed is finished within
    /// [`DeliveryPolicy::drain`](crate::delivery::DeliveryPolicy), and the
    /// process's leases are let go for another to take at once.
    #[cfg(any(feature = "discord", feature = "matrix"))]
    pub async fn run_chat(
        self,
        config: &Config,
        shutdown: impl Future<Output = ()>,
    ) -> anyhow::Result<()> {
        let (stop, stopped) = shutdown::channel();
        let http = match &config.http.listen {
            Some(listen) => Some(self.serve_http(config, listen, stopped.clone()).await?),
            None => None,
        };
        let ports = Ports::default();
        let mut adapters = self.start_adapters(config, &ports, &stopped).await?;
        let scheduler = tokio::spawn(scheduler::run(
            self.engine.clone(),
            ports,
            scheduler_policy(config),
            stopped,
        ));
        let failure = tokio::select! {
            () = shutdown => None,
            Some(ended) = adapters.join_next() => Some(match ended {
                Ok(Ok(())) => anyhow::anyhow!("a chat connection ended unexpectedly"),
                Ok(Err(error)) => error,
                Err(error) => anyhow::Error::new(error).context("a chat adapter ended abnormally"),
            }),
        };
        stop.fire();
        wait_for_adapters(adapters).await;
        if let Err(error) = scheduler.await {
            tracing::error!(%error, "the scheduler task ended abnormally");
        }
        self.let_leases_go().await;
        if let Some(task) = http
            && let Err(error) = task.await
        {
            tracing::error!(%error, "the HTTP task ended abnormally");
        }
        self.engine.store().close().await;
        failure.map_or(Ok(()), Err)
    }

    /// Starts every configured chat adapter, each delivering through
    /// `ports` once connected and stopping when `stopped` fires.
    #[cfg(any(feature = "discord", feature = "matrix"))]
    async fn start_adapters(
        &self,
        config: &Config,
        ports: &Ports,
        stopped: &shutdown::Shutdown,
    ) -> anyhow::Result<Adapters> {
        let mut adapters = Adapters::new();
        #[cfg(feature = "matrix")]
        if let Some(matrix) = config.matrix.as_ref().filter(|_| config.has_matrix()) {
            adapters.spawn(run_matrix(
                self.engine.clone(),
                matrix_settings(matrix),
                ports.clone(),
                LeaseTiming::default(),
                stopped.clone(),
            ));
        }
        #[cfg(feature = "discord")]
        if let Some(discord) = config.discord.as_ref().filter(|_| config.has_discord()) {
            let on_postgres = self.engine.store().backend() == crate::store::Backend::Postgres;
            let bot = crate::adapters::discord::DiscordBot::connect(
                discord_settings(discord, on_postgres)?,
                self.engine.clone(),
            )
            .await?;
            ports.add(bot.port());
            adapters.spawn(bot.run(stopped.clone().wait()));
        }
        Ok(adapters)
    }

    /// Starts `/healthz`, `/readyz` and `/metrics` on `listen`.
    #[cfg(any(feature = "discord", feature = "matrix"))]
    async fn serve_http(
        &self,
        config: &Config,
        listen: &str,
        stopped: shutdown::Shutdown,
    ) -> anyhow::Result<tokio::task::JoinHandle<()>> {
        let listener = crate::http::bind(listen).await?;
        let readiness = crate::http::Readiness {
            platforms: configured_platforms(config),
        };
        let serve = crate::http::serve(listener, self.engine.clone(), readiness, stopped.wait());
        Ok(tokio::spawn(serve))
    }

    /// Lets this process's leases go, so a standby need not wait for them
    /// to run out.
    #[cfg(any(feature = "discord", feature = "matrix"))]
    async fn let_leases_go(&self) {
        match self.engine.release_leases().await {
            Ok(released) => tracing::info!(released, "let this process's leases go"),
            Err(error) => {
                tracing::warn!(error.cause_chain = ?error, "cannot let the leases go; they run out on their own")
            }
        }
    }

    /// Runs the console on the given input and output until it ends, with
    /// the scheduler delivering check-ins into it as they come due.
    pub async fn run_console<R, W>(
        self,
        input: R,
        output: W,
        shutdown: impl Future<Output = ()>,
    ) -> anyhow::Result<()>
    where
        R: AsyncBufRead + Unpin,
        W: AsyncWrite + Unpin,
    {
        let (port, deliveries) = ConsolePort::new();
        let ports = Ports::default().with(Arc::new(port));
        let (stop_scheduler, stopped) = shutdown::channel();
        // The scheduler fires what comes due; the console delivers the
        // outbox itself, so a command's messages show in order.
        let scheduler = tokio::spawn(scheduler::run(
            self.engine.clone(),
            Ports::default(),
            SchedulerPolicy::default(),
            stopped,
        ));
        let mut console = Console::new(self.engine.clone(), ports, deliveries);
        if let Some(database) = crate::store::sqlite_file(self.store_url.expose_secret()) {
            console = console.saving_files_in(files::folder_beside(&database));
        }
        let result = console.run(input, output, shutdown).await;
        stop_scheduler.fire();
        if let Err(error) = scheduler.await {
            tracing::error!(%error, "the scheduler task ended abnormally");
        }
        self.engine.store().close().await;
        result
    }
}

/// The running chat adapters; each ends with an error, or when stopped.
#[cfg(any(feature = "discord", feature = "matrix"))]
type Adapters = tokio::task::JoinSet<anyhow::Result<()>>;

/// Waits for every adapter to stop, logging those that failed doing so.
#[cfg(any(feature = "discord", feature = "matrix"))]
async fn wait_for_adapters(mut adapters: Adapters) {
    while let Some(ended) = adapters.join_next().await {
        match ended {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                tracing::error!(error.cause_chain = ?error, "a chat adapter failed while stopping")
            }
            Err(error) => tracing::error!(%error, "a chat adapter ended abnormally"),
        }
    }
}

/// The scheduler's and delivery worker's settings, from the config file.
#[cfg(any(feature = "discord", feature = "matrix"))]
fn scheduler_policy(config: &Config) -> SchedulerPolicy {
    let mut policy = SchedulerPolicy::default();
    policy.delivery.lease = chrono::Duration::seconds(i64::from(config.store.claim_seconds));
    policy
}

/// The optional local model for reword suggestions, from `[reword_model]`.
fn model_rewriter(config: &Config, catalog: &Catalog) -> anyhow::Result<ModelRewriter> {
    let model = &config.reword_model;
    ModelRewriter::new(ModelSettings {
        url: model.url.clone(),
        model: model.model.clone(),
        api_key: model.api_key.clone(),
        timeout: std::time::Duration::from_millis(model.timeout_ms),
        system_prompt: catalog.text(Key::RewordModelSystem).to_owned(),
        user_template: catalog.text(Key::RewordModelUser).to_owned(),
    })
}

/// Runs the Matrix account while this process holds the `matrix` lease
/// (see [`held`]); its client is built, and its port joins `ports`, only
/// then. Processes that may take over share `store_dir`, where the
/// account's device and keys live.
#[cfg(feature = "matrix")]
pub async fn run_matrix(
    engine: Arc<Engine>,
    settings: crate::adapters::matrix::MatrixSettings,
    ports: Ports,
    timing: LeaseTiming,
    shutdown: crate::shutdown::Shutdown,
) -> anyhow::Result<()> {
    let process = shutdown.clone();
    held::run_while_held(engine.clone(), "matrix", timing, shutdown, |stop| {
        let (engine, settings, ports) = (engine.clone(), settings.clone(), ports.clone());
        let process = process.clone();
        async move {
            let bot = crate::adapters::matrix::MatrixBot::connect(settings.clone()).await?;
            tracing::info!(user = %settings.user_id, "connected to Matrix");
            ports.add(Arc::new(bot.port(&engine)));
            bot.run(engine, stop.wait()).await;
            // At the process's stop the port stays for the last deliveries.
            if !process.is_set() {
                ports.remove(crate::domain::Platform::Matrix);
            }
            Ok(())
        }
    })
    .await
}

#[cfg(feature = "matrix")]
fn matrix_settings(
    config: &crate::config::MatrixConfig,
) -> crate::adapters::matrix::MatrixSettings {
    crate::adapters::matrix::MatrixSettings {
        homeserver: config.homeserver.clone(),
        user_id: config.user_id.clone(),
        password: config.password.clone(),
        access_token: config.access_token.clone(),
        store_dir: config.store_dir.clone(),
        store_passphrase: config.store_passphrase.clone(),
        command_prefix: config.command_prefix.clone(),
        allowed: config.allowed.clone(),
        catch_up: std::time::Duration::from_secs(u64::from(config.catch_up_minutes) * 60),
    }
}

/// `share_budget`: other processes may share the database (PostgreSQL),
/// so Discord's limit for the bot is kept in the store.
#[cfg(feature = "discord")]
fn discord_settings(
    config: &crate::config::DiscordConfig,
    share_budget: bool,
) -> anyhow::Result<crate::adapters::discord::DiscordSettings> {
    Ok(crate::adapters::discord::DiscordSettings {
        token: config.token.clone().context("discord.token is not set")?,
        api_base: config.api_base.clone(),
        guild_id: config.guild_id,
        requests_per_second: config.requests_per_second,
        rate_window: std::time::Duration::from_millis(u64::from(config.rate_window_ms)),
        share_budget,
        shards: config.shard_range(),
        rate_limit_pause: std::time::Duration::from_secs(1),
        defer_after: crate::adapters::discord::DEFER_AFTER,
        read_messages: config.read_messages,
    })
}

/// The chat platforms this process runs, for `/readyz`.
#[cfg(any(feature = "discord", feature = "matrix"))]
fn configured_platforms(config: &Config) -> Vec<&'static str> {
    [
        (config.has_discord(), "discord"),
        (config.has_matrix(), "matrix"),
    ]
    .into_iter()
    .filter_map(|(configured, platform)| configured.then_some(platform))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_is_the_config_files_default() {
        let from_config = policy(&Config::default()).expect("the default config is valid");
        assert_eq!(from_config, Policy::default());
    }
}
