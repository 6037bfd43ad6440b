//! Wiring: builds the store, the prompt catalog and the engine from the
//! configuration, and runs the adapters until shutdown.

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
use crate::store::{Store, UpgradePolicy};

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
    /// scheduler until `shutdown`, or until an adapter fails for good.
    #[cfg(any(feature = "discord", feature = "matrix"))]
    pub async fn run_chat(
        self,
        config: &Config,
        shutdown: impl Future<Output = ()>,
    ) -> anyhow::Result<()> {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let http = match &config.http.listen {
            Some(listen) => {
                let listener = crate::http::bind(listen).await?;
                let readiness = crate::http::Readiness {
                    platforms: configured_platforms(config),
                };
                let serve = crate::http::serve(
                    listener,
                    self.engine.clone(),
                    readiness,
                    wait_for_stop(stopped.clone()),
                );
                Some(tokio::spawn(serve))
            }
            None => None,
        };
        let mut ports = Ports::default();
        let mut adapters: tokio::task::JoinSet<anyhow::Result<()>> = tokio::task::JoinSet::new();
        #[cfg(feature = "matrix")]
        if let Some(matrix) = config.matrix.as_ref().filter(|_| config.has_matrix()) {
            let bot = connect_matrix(matrix).await?;
            tracing::info!(user = %matrix.user_id, "connected to Matrix");
            ports = ports.with(Arc::new(bot.port(&self.engine)));
            let run = bot.run(self.engine.clone(), wait_for_stop(stopped.clone()));
            adapters.spawn(async move {
                run.await;
                Ok(())
            });
        }
        #[cfg(feature = "discord")]
        if let Some(discord) = config.discord.as_ref().filter(|_| config.has_discord()) {
            let bot = crate::adapters::discord::DiscordBot::connect(
                discord_settings(discord)?,
                self.engine.clone(),
            )
            .await?;
            ports = ports.with(bot.port());
            adapters.spawn(bot.run(wait_for_stop(stopped.clone())));
        }
        let scheduler = tokio::spawn(scheduler::run(
            self.engine.clone(),
            ports,
            SchedulerPolicy::default(),
            wait_for_stop(stopped),
        ));
        let failure = tokio::select! {
            () = shutdown => None,
            Some(ended) = adapters.join_next() => Some(match ended {
                Ok(Ok(())) => anyhow::anyhow!("a chat connection ended unexpectedly"),
                Ok(Err(error)) => error,
                Err(error) => anyhow::Error::new(error).context("a chat adapter ended abnormally"),
            }),
        };
        let _ = stop.send(true);
        while let Some(ended) = adapters.join_next().await {
            if let Err(error) = ended {
                tracing::error!(%error, "a chat adapter ended abnormally");
            }
        }
        if let Err(error) = scheduler.await {
            tracing::error!(%error, "the scheduler task ended abnormally");
        }
        if let Some(task) = http
            && let Err(error) = task.await
        {
            tracing::error!(%error, "the HTTP task ended abnormally");
        }
        self.engine.store().close().await;
        failure.map_or(Ok(()), Err)
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
        let (stop_scheduler, stopped) = tokio::sync::oneshot::channel::<()>();
        // The scheduler fires what comes due; the console delivers the
        // outbox itself, so a command's messages show in order.
        let scheduler = tokio::spawn(scheduler::run(
            self.engine.clone(),
            Ports::default(),
            SchedulerPolicy::default(),
            async move {
                let _ = stopped.await;
            },
        ));
        let mut console = Console::new(self.engine.clone(), ports, deliveries);
        if let Some(database) = crate::store::sqlite_file(self.store_url.expose_secret()) {
            console = console.saving_files_in(files::folder_beside(&database));
        }
        let result = console.run(input, output, shutdown).await;
        let _ = stop_scheduler.send(());
        if let Err(error) = scheduler.await {
            tracing::error!(%error, "the scheduler task ended abnormally");
        }
        self.engine.store().close().await;
        result
    }
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

#[cfg(feature = "matrix")]
async fn connect_matrix(
    config: &crate::config::MatrixConfig,
) -> anyhow::Result<crate::adapters::matrix::MatrixBot> {
    use crate::adapters::matrix::{MatrixBot, MatrixSettings};
    MatrixBot::connect(MatrixSettings {
        homeserver: config.homeserver.clone(),
        user_id: config.user_id.clone(),
        password: config.password.clone(),
        access_token: config.access_token.clone(),
        store_dir: config.store_dir.clone(),
        store_passphrase: config.store_passphrase.clone(),
        command_prefix: config.command_prefix.clone(),
        allowed: config.allowed.clone(),
        catch_up: std::time::Duration::from_secs(u64::from(config.catch_up_minutes) * 60),
    })
    .await
}

#[cfg(feature = "discord")]
fn discord_settings(
    config: &crate::config::DiscordConfig,
) -> anyhow::Result<crate::adapters::discord::DiscordSettings> {
    Ok(crate::adapters::discord::DiscordSettings {
        token: config.token.clone().context("discord.token is not set")?,
        api_base: config.api_base.clone(),
        guild_id: config.guild_id,
        requests_per_second: config.requests_per_second,
        rate_limit_pause: std::time::Duration::from_secs(1),
        defer_after: crate::adapters::discord::DEFER_AFTER,
        read_messages: config.read_messages,
    })
}

/// Resolves once the stop flag is set (or its sender is gone).
#[cfg(any(feature = "discord", feature = "matrix"))]
async fn wait_for_stop(mut stopped: tokio::sync::watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
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
