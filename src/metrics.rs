//! What operators watch, in Prometheus's text format (the `prometheus-client`
//! crate): commands handled by family and outcome, delivery latency,
//! adapter connections, Discord rate limits and retries, Matrix sync
//! errors, and — read from the store when scraped — the outbox and the
//! scheduler's lag, with the process's memory. No label or value names a
//! person, couple, room, channel or anything typed.

use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// A command family and how it ended.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CommandLabels {
    family: String,
    outcome: String,
}

/// A chat platform (`discord`, `matrix`, `console`).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PlatformLabels {
    platform: String,
}

/// How a handled command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// A user error: refused with a kind message.
    Refused,
    /// An internal error, logged.
    Failed,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
        }
    }
}

/// The figures read from the store when Prometheus scrapes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StoreFigures {
    pub outbox_pending: i64,
    pub outbox_failed: i64,
    pub oldest_pending_seconds: f64,
    pub scheduler_lag_seconds: f64,
}

/// Every metric rapport keeps; cheap to share behind an `Arc`.
pub struct Metrics {
    registry: Registry,
    commands: Family<CommandLabels, Counter>,
    delivery_seconds: Histogram,
    connected: Family<PlatformLabels, Gauge>,
    standby: Family<PlatformLabels, Gauge>,
    discord_rate_limited: Counter,
    discord_retries: Counter,
    matrix_sync_errors: Counter,
    outbox_pending: Gauge,
    outbox_failed: Gauge,
    oldest_pending: Gauge<f64, AtomicU64>,
    scheduler_lag: Gauge<f64, AtomicU64>,
    resident_memory: Gauge,
}

/// Delivery latency buckets, in seconds: from instant to a day late.
const DELIVERY_BUCKETS: [f64; 12] = [
    0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 15.0, 60.0, 300.0, 3600.0, 86400.0,
];

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut metrics = Metrics {
            registry: Registry::with_prefix("rapport"),
            commands: Family::default(),
            delivery_seconds: Histogram::new(DELIVERY_BUCKETS),
            connected: Family::default(),
            standby: Family::default(),
            discord_rate_limited: Counter::default(),
            discord_retries: Counter::default(),
            matrix_sync_errors: Counter::default(),
            outbox_pending: Gauge::default(),
            outbox_failed: Gauge::default(),
            oldest_pending: Gauge::default(),
            scheduler_lag: Gauge::default(),
            resident_memory: Gauge::default(),
        };
        // Each metric is a shared handle: the registry holds clones of them.
        let mut registry = std::mem::take(&mut metrics.registry);
        metrics.register(&mut registry);
        metrics.registry = registry;
        metrics
    }

    fn register(&self, registry: &mut Registry) {
        registry.register(
            "commands",
            "Commands handled, by family and outcome",
            self.commands.clone(),
        );
        registry.register(
            "delivery_latency_seconds",
            "Time from queueing a message to the platform accepting it",
            self.delivery_seconds.clone(),
        );
        registry.register(
            "adapter_connected",
            "1 while the platform's adapter is connected",
            self.connected.clone(),
        );
        registry.register(
            "adapter_standby",
            "1 while another process holds the platform's lease and this one waits",
            self.standby.clone(),
        );
        registry.register(
            "discord_rate_limited",
            "Discord answers of 429 Too Many Requests",
            self.discord_rate_limited.clone(),
        );
        registry.register(
            "discord_retries",
            "Discord requests sent again after a rate limit or a server error",
            self.discord_retries.clone(),
        );
        registry.register(
            "matrix_sync_errors",
            "Matrix sync requests that failed",
            self.matrix_sync_errors.clone(),
        );
        registry.register(
            "outbox_pending",
            "Messages waiting to be delivered",
            self.outbox_pending.clone(),
        );
        registry.register(
            "outbox_failed",
            "Messages that could not be delivered after every retry",
            self.outbox_failed.clone(),
        );
        registry.register(
            "outbox_oldest_pending_seconds",
            "Age of the oldest message waiting to be delivered",
            self.oldest_pending.clone(),
        );
        registry.register(
            "scheduler_lag_seconds",
            "Now minus the oldest due check-in not yet fired",
            self.scheduler_lag.clone(),
        );
        registry.register(
            "process_resident_memory_bytes",
            "Resident memory of the rapport process",
            self.resident_memory.clone(),
        );
    }

    pub fn command(&self, family: &str, outcome: Outcome) {
        self.commands
            .get_or_create(&CommandLabels {
                family: family.to_owned(),
                outcome: outcome.as_str().to_owned(),
            })
            .inc();
    }

    pub fn delivered_after(&self, seconds: f64) {
        self.delivery_seconds.observe(seconds.max(0.0));
    }

    pub fn set_connected(&self, platform: &str, connected: bool) {
        self.connected
            .get_or_create(&PlatformLabels {
                platform: platform.to_owned(),
            })
            .set(i64::from(connected));
    }

    /// Whether the platform's adapter said it is connected.
    pub fn is_connected(&self, platform: &str) -> bool {
        self.connected
            .get_or_create(&PlatformLabels {
                platform: platform.to_owned(),
            })
            .get()
            == 1
    }

    pub fn set_standby(&self, platform: &str, standby: bool) {
        self.standby
            .get_or_create(&PlatformLabels {
                platform: platform.to_owned(),
            })
            .set(i64::from(standby));
    }

    /// Whether this process waits while another runs the platform.
    pub fn is_standby(&self, platform: &str) -> bool {
        self.standby
            .get_or_create(&PlatformLabels {
                platform: platform.to_owned(),
            })
            .get()
            == 1
    }

    pub fn discord_rate_limited(&self) {
        self.discord_rate_limited.inc();
    }

    pub fn discord_retried(&self) {
        self.discord_retries.inc();
    }

    pub fn matrix_sync_failed(&self) {
        self.matrix_sync_errors.inc();
    }

    /// The text Prometheus scrapes, with the store's figures of this moment.
    pub fn render(&self, store: StoreFigures) -> anyhow::Result<String> {
        self.outbox_pending.set(store.outbox_pending);
        self.outbox_failed.set(store.outbox_failed);
        self.oldest_pending.set(store.oldest_pending_seconds);
        self.scheduler_lag.set(store.scheduler_lag_seconds);
        self.resident_memory
            .set(resident_memory_bytes().unwrap_or(0));
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .map_err(|error| anyhow::anyhow!("cannot encode the metrics: {error}"))?;
        Ok(text)
    }
}

/// Resident memory from `/proc/self/statm` (Linux); `None` elsewhere.
fn resident_memory_bytes() -> Option<i64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: i64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // The page size is 4 KiB on the platforms rapport is packaged for.
    Some(pages * 4096)
}
