//! Opening the rooms and threads the engine asked for: through the
//! platform's adapter, each reported back to the engine, which makes it the
//! couple's space (or tells them it could not be).

use super::{DeliveryError, DeliveryPolicy, DeliveryReport, Ports};
use crate::engine::Engine;

pub(super) async fn open_due(
    engine: &Engine,
    ports: &Ports,
    policy: &DeliveryPolicy,
    report: &mut DeliveryReport,
) -> anyhow::Result<()> {
    for plan in engine.openings_due(&ports.platforms()).await? {
        let opening = &plan.opening;
        let Some(port) = ports.get(opening.platform) else {
            continue;
        };
        let opened = port
            .open_space(&plan.partners, opening.parent.as_ref(), &plan.name)
            .await;
        match opened {
            Ok(space) => {
                if engine.space_opened(opening, &space).await? {
                    report.opened += 1;
                } else {
                    tracing::info!(
                        opening = opening.id,
                        "opened a space the couple no longer needs"
                    );
                }
            }
            Err(DeliveryError::Transient(error)) if opening.attempts < policy.max_attempts => {
                tracing::warn!(opening = opening.id, %error, "cannot open a space yet; will retry");
                let at = engine.clock().now() + policy.backoff(opening.attempts + 1);
                engine.space_not_opened(opening, Some(at)).await?;
            }
            Err(error) => {
                tracing::warn!(opening = opening.id, %error, "cannot open a space; private messages instead");
                engine.space_not_opened(opening, None).await?;
            }
        }
    }
    Ok(())
}
