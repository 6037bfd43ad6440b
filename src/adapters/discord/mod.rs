//! The Discord adapter (serenity 0.12 for the gateway and REST, poise 0.7
//! for slash commands).
//!
//! - Every engine command is a slash command: [`table`] lists them,
//!   [`registration`] builds them for poise, `convert` turns Discord's
//!   values (people, places, options) into the engine's, and `suggest`
//!   offers values while typing.
//! - `interactions` answers slash commands, buttons, menus and note forms
//!   within Discord's deadline; [`render`] draws replies as messages and
//!   keeps the commands that buttons and menus carry back.
//! - The person's answer is the interaction's response; DMs, posts in a
//!   couple's channel and everything scheduled go through the outbox and
//!   [`DiscordPort`].
//! - `api_base` points serenity at another Discord (the tests' fake): REST
//!   goes there with serenity's rate limiter off, and the gateway URL comes
//!   from its `GET /gateway`.
//!
//! The adapter holds no rules: everything it hears becomes an engine
//! request.

mod convert;
mod interactions;
mod pacer;
mod port;
pub mod registration;
pub mod render;
mod shards;
mod suggest;
mod sync_commands;
pub mod table;
mod threads;

use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use anyhow::Context as _;
use poise::serenity_prelude as serenity;
use secrecy::{ExposeSecret, SecretString};
use serenity::{FullEvent, GatewayIntents, GuildId, HttpBuilder, Interaction};

use crate::config::ShardRange;
use crate::delivery::ChatPort;
use crate::engine::Engine;
use crate::prompts::Key;
pub use pacer::Pacer;
pub use port::DiscordPort;
use render::ChoiceMemory;
use shards::ShardsUp;

/// How the bot connects; built from `[discord]`.
#[derive(Clone)]
pub struct DiscordSettings {
    pub token: SecretString,
    /// Another Discord to talk to, such as `http://127.0.0.1:8787`;
    /// `None` for discord.com.
    pub api_base: Option<String>,
    /// Register the commands in this server only (they appear at once);
    /// `None` registers them globally.
    pub guild_id: Option<u64>,
    /// Requests per second the bot allows itself (Discord allows 50).
    pub requests_per_second: u32,
    /// Discord's rate window: a second, or shorter for a test's fake.
    pub rate_window: Duration,
    /// Keep the request budget in the store, shared with the other
    /// processes on the database (PostgreSQL), rather than in this one.
    pub share_budget: bool,
    /// The gateway shards this process runs; `None`: all, as many as
    /// Discord recommends.
    pub shards: Option<ShardRange>,
    /// How long to wait after a 429 before trying again (doubling).
    pub rate_limit_pause: Duration,
    /// Read messages in couples' channels for the coach's opt-in nudges.
    /// Needs the privileged Message Content intent.
    pub read_messages: bool,
    /// An answer that takes longer is deferred (Discord drops interactions
    /// not answered within 3 seconds) and sent when ready; zero defers
    /// every answer.
    pub defer_after: Duration,
}

/// Leaves half a second of Discord's 3 for the deferral to arrive.
pub const DEFER_AFTER: Duration = Duration::from_millis(2500);

/// What every command and event handler can reach.
pub struct Data {
    engine: Arc<Engine>,
    choices: Arc<ChoiceMemory>,
    /// For nudges, which are sent at once rather than queued; set once the
    /// client (whose HTTP the port uses) exists.
    port: Arc<OnceLock<Arc<DiscordPort>>>,
    read_messages: bool,
    defer_after: Duration,
    shards: Arc<ShardsUp>,
}

pub type Error = anyhow::Error;
type AppContext<'a> = poise::ApplicationContext<'a, Data, Error>;

/// A Discord client, built and ready to connect.
pub struct DiscordBot {
    client: serenity::Client,
    port: Arc<DiscordPort>,
    shards: Option<ShardRange>,
}

impl DiscordBot {
    /// Builds the client and the slash commands, and asks Discord for the
    /// gateway. Nothing is received until [`DiscordBot::run`].
    pub async fn connect(
        settings: DiscordSettings,
        engine: Arc<Engine>,
    ) -> anyhow::Result<DiscordBot> {
        let commands = registration::build(engine.catalog(), interactions::slash_action)?;
        let choices = Arc::new(ChoiceMemory::default());
        let port_slot = Arc::new(OnceLock::new());
        let shards = Arc::new(ShardsUp::new(settings.shards));
        let data = Data {
            engine: engine.clone(),
            choices: choices.clone(),
            port: port_slot.clone(),
            read_messages: settings.read_messages,
            defer_after: settings.defer_after,
            shards: shards.clone(),
        };
        let guild = settings.guild_id.map(GuildId::new);
        let metrics = engine.shared_metrics();
        let registrar = engine.clone();
        let framework = poise::Framework::builder()
            .options(poise::FrameworkOptions {
                commands,
                on_error: |error| Box::pin(on_error(error)),
                event_handler: |framework, event| {
                    Box::pin(on_event(framework.serenity_context, event, framework.user_data))
                },
                ..Default::default()
            })
            .setup(move |ctx, ready, framework| {
                Box::pin(async move {
                    let wanted =
                        poise::builtins::create_application_commands(&framework.options().commands);
                    sync_commands::register(&registrar, &ctx.http, wanted, guild).await?;
                    tracing::info!(bot = %ready.user.name, guilds = ready.guilds.len(), "connected to Discord");
                    let (shard, total) = ready.shard.map_or((0, 1), |s| (s.id.0, s.total));
                    metrics.set_connected("discord", shards.ready(shard, total));
                    Ok(data)
                })
            })
            .build();
        // Interactions need no intent; DMs' text is never asked for.
        let mut intents = GatewayIntents::GUILDS;
        if settings.read_messages {
            intents |= GatewayIntents::GUILD_MESSAGES | GatewayIntents::MESSAGE_CONTENT;
        }
        let client = serenity::ClientBuilder::new_with_http(http(&settings), intents)
            .framework(framework)
            .await
            .context("cannot set up the Discord client")?;
        let port = Arc::new(DiscordPort::new(
            client.http.clone(),
            pacer(&settings, &engine),
            settings.rate_limit_pause,
            choices,
            engine.shared_catalog(),
            engine.shared_metrics(),
        ));
        let _ = port_slot.set(port.clone());
        Ok(DiscordBot {
            client,
            port,
            shards: settings.shards,
        })
    }

    /// The port the delivery worker sends Discord messages through.
    pub fn port(&self) -> Arc<DiscordPort> {
        self.port.clone()
    }

    /// Connects to the gateway and handles events until `shutdown`, or
    /// until Discord refuses the bot for good (a bad token, say).
    pub async fn run(mut self, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
        tokio::pin!(shutdown);
        if !until_reachable(&self.client.http, &mut shutdown).await {
            return Ok(());
        }
        let shards = self.client.shard_manager.clone();
        let range = self.shards;
        let connection = async {
            match range {
                // serenity's range end is inclusive: 0..1 starts shards 0 and 1.
                Some(range) => {
                    tracing::info!(shards = %range, "starting this process's Discord shards");
                    let shards = range.first..range.last;
                    self.client.start_shard_range(shards, range.count).await
                }
                None => self.client.start_autosharded().await,
            }
        };
        tokio::pin!(connection);
        tokio::select! {
            ended = &mut connection => {
                ended.context("the Discord connection failed")?;
                anyhow::bail!("the Discord connection ended");
            }
            () = &mut shutdown => {}
        }
        shards.shutdown_all().await;
        connection.await.context("the Discord connection failed")
    }
}

/// Serenity's HTTP client; towards another Discord (the tests' fake), with
/// serenity's own rate limiter off so the pacer alone decides.
fn http(settings: &DiscordSettings) -> serenity::Http {
    let mut http = HttpBuilder::new(settings.token.expose_secret());
    if let Some(base) = &settings.api_base {
        http = http
            .proxy(base.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    http.build()
}

/// The request budget: this process's own, or shared through the store.
fn pacer(settings: &DiscordSettings, engine: &Arc<Engine>) -> Pacer {
    let pacer = Pacer::new(settings.requests_per_second, settings.rate_window);
    if settings.share_budget {
        pacer.shared_through(engine.clone())
    } else {
        pacer
    }
}

/// The first wait before asking Discord again, and the longest.
const FIRST_RETRY: Duration = Duration::from_secs(5);
const LONGEST_RETRY: Duration = Duration::from_secs(60);

/// Asks Discord for its gateway until it answers, saying in rapport's own
/// log line what is wrong meanwhile (serenity alone would only log its
/// reconnects); `false` if `shutdown` came first.
async fn until_reachable(
    http: &serenity::Http,
    shutdown: &mut std::pin::Pin<&mut impl Future<Output = ()>>,
) -> bool {
    let mut wait = FIRST_RETRY;
    loop {
        match http.get_gateway().await {
            Ok(_) => return true,
            Err(error) => tracing::error!(
                error = %error,
                retry_in_seconds = wait.as_secs(),
                "cannot reach Discord; check this machine's network (and discord.api_base, \
                 if set). rapport keeps trying"
            ),
        }
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = shutdown.as_mut() => return false,
        }
        wait = (wait * 2).min(LONGEST_RETRY);
    }
}

async fn on_event(ctx: &serenity::Context, event: &FullEvent, data: &Data) -> Result<(), Error> {
    match event {
        FullEvent::Ready { data_about_bot } => {
            let (shard, total) = data_about_bot.shard.map_or((0, 1), |s| (s.id.0, s.total));
            let all = data.shards.ready(shard, total);
            data.engine.metrics().set_connected("discord", all);
        }
        FullEvent::Resume { .. } => {
            let all = data.shards.set(ctx.shard_id.0, true);
            data.engine.metrics().set_connected("discord", all);
        }
        FullEvent::ShardStageUpdate { event } => {
            let connected = event.new == serenity::ConnectionStage::Connected;
            let all = data.shards.set(event.shard_id.0, connected);
            data.engine.metrics().set_connected("discord", all);
        }
        FullEvent::InteractionCreate {
            interaction: Interaction::Component(component),
        } => interactions::on_component(&ctx.http, data, component).await,
        FullEvent::InteractionCreate {
            interaction: Interaction::Modal(form),
        } => interactions::on_modal(&ctx.http, data, form).await,
        FullEvent::Message {
            new_message: message,
        } if data.read_messages => {
            let key = format!("discord:nudge:{}", message.id);
            let seen = (&message.author, message.guild_id, message.channel_id);
            nudge_if_blaming(data, seen, &message.content, &key).await;
        }
        // An edited message is read again: "you never…" may come in an edit.
        FullEvent::MessageUpdate { event, .. } if data.read_messages => {
            if let (Some(author), Some(content)) = (&event.author, &event.content) {
                let edited = event.edited_timestamp.map_or(0, |at| at.unix_timestamp());
                let key = format!("discord:nudge:{}:{edited}", event.id);
                let seen = (author, event.guild_id, event.channel_id);
                nudge_if_blaming(data, seen, content, &key).await;
            }
        }
        _ => {}
    }
    Ok(())
}

/// A channel message (`seen`: author, server, channel) the coach may nudge
/// its author about, privately. The nudge quotes the person's own message:
/// sent at once and never written down, so a failure drops it.
async fn nudge_if_blaming(
    data: &Data,
    (author, guild, channel): (&serenity::User, Option<GuildId>, serenity::ChannelId),
    content: &str,
    key: &str,
) {
    if author.bot || guild.is_none() {
        return;
    }
    let actor = convert::actor_of(author, None);
    let place = convert::place_of(guild, channel);
    let Some(nudge) = data.engine.observe(&actor, &place, content).await else {
        return;
    };
    let Some(port) = data.port.get() else {
        return;
    };
    if let Err(error) = port.send_to_user(&actor.user, key, &nudge).await {
        tracing::warn!(%error, "cannot send a nudge; dropped");
    }
}

/// The one error handler: people see a kind, short text; the details go to
/// the log.
async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    let (ctx, key) = match error {
        poise::FrameworkError::Setup { error, .. } => {
            tracing::error!(error.cause_chain = ?error, "Discord set-up failed");
            return;
        }
        poise::FrameworkError::Command { error, ctx, .. } => {
            tracing::error!(command = %ctx.command().qualified_name, error.cause_chain = ?error, "a Discord command failed");
            (ctx, Key::ErrorInternal)
        }
        poise::FrameworkError::MissingUserPermissions { ctx, .. } => {
            (ctx, Key::DiscordNeedsManageServer)
        }
        poise::FrameworkError::GuildOnly { ctx, .. } => (ctx, Key::DiscordServerOnly),
        other => {
            // Only the kind: some variants quote what was typed.
            tracing::warn!(
                kind = framework_error_kind(&other),
                "Discord framework error"
            );
            let Some(ctx) = other.ctx() else { return };
            (ctx, Key::ErrorInternal)
        }
    };
    let text = ctx.data().engine.catalog().text(key).to_owned();
    let reply = poise::CreateReply::default().content(text).ephemeral(true);
    if let Err(error) = ctx.send(reply).await {
        tracing::warn!(%error, "cannot tell the person about an error");
    }
}

/// A framework error's kind, for the log, without its fields.
fn framework_error_kind(error: &poise::FrameworkError<'_, Data, Error>) -> &'static str {
    match error {
        poise::FrameworkError::ArgumentParse { .. } => "argument parse",
        poise::FrameworkError::CommandStructureMismatch { .. } => "command structure mismatch",
        poise::FrameworkError::CooldownHit { .. } => "cooldown",
        poise::FrameworkError::MissingBotPermissions { .. } => "missing bot permissions",
        poise::FrameworkError::NotAnOwner { .. } => "not an owner",
        poise::FrameworkError::UnknownInteraction { .. } => "unknown interaction",
        poise::FrameworkError::CommandCheckFailed { .. } => "command check failed",
        _ => "other",
    }
}
