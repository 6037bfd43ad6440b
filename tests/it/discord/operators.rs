//! The operators' HTTP endpoint of a running `rapport run`: health,
//! readiness once Discord is connected, and metrics that count commands
//! without naming anyone.

use std::time::Duration;

use serde_json::json;

use super::fake::FakeDiscord;
use super::{ANA, command, signal};

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

async fn get(port: u16, path: &str) -> (u16, String) {
    let response = reqwest::get(format!("http://127.0.0.1:{port}{path}"))
        .await
        .expect("the endpoint answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// `/readyz` until it says ready, within a few seconds.
async fn until_ready(port: u16) -> (u16, String) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let answer = get(port, "/readyz").await;
        if answer.0 == 200 || tokio::time::Instant::now() > deadline {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn health_readiness_and_metrics_are_served_without_naming_anyone() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut child = super::rapport_run(
        dir.path(),
        &fake.api_base,
        &[("RAPPORT_HTTP__LISTEN", listen)],
    );
    super::until_registered(&fake, &mut child).await;
    assert_eq!(get(port, "/healthz").await, (200, "ok\n".to_owned()));
    assert_eq!(until_ready(port).await, (200, "ready\n".to_owned()));

    let id = fake.interact(command(ANA, true, "settings show", json!([])));
    fake.wait_for("an answer", |v| v.answer_to(id).cloned())
        .await;
    let (status, metrics) = get(port, "/metrics").await;
    assert_eq!(status, 200);
    for line in [
        "rapport_commands_total{family=\"settings\",outcome=\"ok\"} 1",
        "rapport_adapter_connected{platform=\"discord\"} 1",
        "rapport_outbox_pending 0",
        "rapport_scheduler_lag_seconds 0",
        "# TYPE rapport_delivery_latency_seconds histogram",
        "# TYPE rapport_discord_rate_limited counter",
        "# TYPE rapport_matrix_sync_errors counter",
    ] {
        assert!(metrics.contains(line), "{line} in:\n{metrics}");
    }
    let resident = metrics
        .lines()
        .find_map(|l| l.strip_prefix("rapport_process_resident_memory_bytes "))
        .and_then(|v| v.parse::<u64>().ok())
        .expect("memory is reported");
    assert!(resident > 1_000_000, "{resident}");
    assert!(
        !metrics.contains(&ANA.to_string()),
        "no user id in any label or value"
    );

    assert_eq!(get(port, "/nothing").await.0, 404);
    let posted = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status().as_u16(), 405);

    signal(&child, "TERM");
    let status = tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .expect("rapport stops on SIGTERM")
        .unwrap();
    assert!(status.success());
}
