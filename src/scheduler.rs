//! The scheduler loop: polls the store (no in-memory timers), fires what is
//! due, delivers the outbox, then sleeps until the next due moment — or
//! wakes early when a command changed a schedule, or stops on shutdown.
//!
//! Each pass is [`Engine::run_due_once`] followed by
//! [`delivery::deliver_due_once`]; tests call those directly and move an
//! injected clock instead of sleeping.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use crate::delivery::{self, DeliveryPolicy, Ports};
use crate::engine::Engine;
use crate::shutdown::Shutdown;

/// The scheduler's settings.
#[derive(Clone, Debug)]
pub struct SchedulerPolicy {
    /// Longest sleep between passes, so a missed wake-up costs little.
    pub max_sleep: StdDuration,
    pub delivery: DeliveryPolicy,
}

impl Default for SchedulerPolicy {
    fn default() -> Self {
        SchedulerPolicy {
            max_sleep: StdDuration::from_secs(30),
            delivery: DeliveryPolicy::default(),
        }
    }
}

/// Runs passes until `shutdown`. A pass under way when it comes takes no
/// more work and finishes sending what it claimed (see
/// [`delivery::deliver_due`]).
pub async fn run(engine: Arc<Engine>, ports: Ports, policy: SchedulerPolicy, shutdown: Shutdown) {
    while !shutdown.is_set() {
        let sleep = pass_until(&engine, &ports, &policy, &shutdown).await;
        tokio::select! {
            () = shutdown.clone().wait() => return,
            () = engine.schedule_changed().notified() => {}
            () = tokio::time::sleep(sleep) => {}
        }
    }
}

/// One pass; returns how long to sleep before the next.
pub async fn pass(engine: &Engine, ports: &Ports, policy: &SchedulerPolicy) -> StdDuration {
    pass_until(engine, ports, policy, &Shutdown::never()).await
}

/// One pass that stops taking work at `shutdown`. Errors are logged, not
/// fatal: the next pass retries from the store.
async fn pass_until(
    engine: &Engine,
    ports: &Ports,
    policy: &SchedulerPolicy,
    shutdown: &Shutdown,
) -> StdDuration {
    // rapport's own pre-upgrade copies go once kept long enough.
    engine.store().prune_safety_copies(engine.clock().now());
    match engine.run_due_once().await {
        Ok(report) if report != Default::default() => tracing::info!(?report, "scheduler pass"),
        Ok(_) => {}
        Err(error) => {
            tracing::error!(error.cause_chain = ?error, error.message = %error, "scheduler pass failed")
        }
    }
    match delivery::deliver_due(engine, ports, &policy.delivery, shutdown).await {
        Ok(report) if report != Default::default() => tracing::info!(?report, "delivery pass"),
        Ok(_) => {}
        Err(error) => {
            tracing::error!(error.cause_chain = ?error, error.message = %error, "delivery pass failed")
        }
    }
    let next = match (
        engine.next_wake_at().await,
        delivery::next_due_at(engine, ports).await,
    ) {
        (Ok(job), Ok(message)) => Ok(job.into_iter().chain(message).min()),
        (Err(error), _) | (_, Err(error)) => Err(error),
    };
    match next {
        Ok(Some(at)) => (at - engine.clock().now())
            .to_std()
            .unwrap_or(StdDuration::ZERO)
            .min(policy.max_sleep),
        Ok(None) => policy.max_sleep,
        Err(error) => {
            tracing::error!(error.cause_chain = ?error, error.message = %error, "cannot read the next due time");
            policy.max_sleep
        }
    }
}
