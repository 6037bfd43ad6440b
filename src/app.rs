//! Wiring: builds the store, the prompt catalog and the engine from the
//! configuration, and runs the adapters until shutdown.

use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use rand::rngs::StdRng;
use secrecy::ExposeSecret;
use tokio::io::{AsyncBufRead, AsyncWrite};

use crate::adapters::console::{Console, ConsolePort};
use crate::clock::Clock;
use crate::coach::llm::{ModelRewriter, ModelSettings};
use crate::config::Config;
use crate::delivery::Ports;
use crate::engine::{Engine, Policy};
use crate::prompts::{Catalog, Key};
use crate::scheduler::{self, SchedulerPolicy};
use crate::store::Store;

/// A built application, ready to run.
pub struct App {
    engine: Arc<Engine>,
}

impl App {
    /// Connects the store (running migrations) and loads the prompts. Clock
    /// and randomness are injected so tests control them.
    pub async fn build(config: &Config, clock: Arc<dyn Clock>, rng: StdRng) -> anyhow::Result<App> {
        let catalog = Catalog::load(&config.defaults.locale, Some(&config.prompts.dir))
            .context("cannot load prompts")?;
        let store = Store::connect(config.store.url.expose_secret()).await?;
        let hours = |h: u32| chrono::Duration::hours(i64::from(h));
        let policy = Policy {
            default_zone: config
                .default_zone()
                .context("defaults.time_zone is not a valid zone")?,
            invite_ttl: hours(config.pairing.invite_ttl_hours),
            round_duration: hours(config.checkins.round_hours),
            nudge_after: hours(config.checkins.nudge_after_hours),
            catch_up_grace: hours(config.checkins.catch_up_grace_hours),
            crisis_resources: config.crisis.resources.clone(),
        };
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
        })
    }

    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// Runs the Matrix adapter and the scheduler until `shutdown`.
    #[cfg(feature = "matrix")]
    pub async fn run_matrix(
        self,
        config: &crate::config::MatrixConfig,
        shutdown: impl Future<Output = ()>,
    ) -> anyhow::Result<()> {
        use crate::adapters::matrix::{MatrixBot, MatrixSettings};
        let bot = MatrixBot::connect(MatrixSettings {
            homeserver: config.homeserver.clone(),
            user_id: config.user_id.clone(),
            password: config.password.clone(),
            access_token: config.access_token.clone(),
            store_dir: config.store_dir.clone(),
            command_prefix: config.command_prefix.clone(),
            allowed: config.allowed.clone(),
        })
        .await?;
        tracing::info!(user = %config.user_id, "connected to Matrix");
        let ports = Ports::default().with(Arc::new(bot.port(&self.engine)));
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let scheduler = tokio::spawn(scheduler::run(
            self.engine.clone(),
            ports,
            SchedulerPolicy::default(),
            wait_for_stop(stopped.clone()),
        ));
        let adapter = tokio::spawn(bot.run(self.engine.clone(), wait_for_stop(stopped)));
        shutdown.await;
        let _ = stop.send(true);
        for task in [scheduler, adapter] {
            if let Err(error) = task.await {
                tracing::error!(%error, "a task ended abnormally");
            }
        }
        self.engine.store().close().await;
        Ok(())
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
        let scheduler = tokio::spawn(scheduler::run(
            self.engine.clone(),
            ports,
            SchedulerPolicy::default(),
            async move {
                let _ = stopped.await;
            },
        ));
        let console = Console::new(self.engine.clone(), deliveries);
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

/// Resolves once the stop flag is set (or its sender is gone).
#[cfg(feature = "matrix")]
async fn wait_for_stop(mut stopped: tokio::sync::watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}
