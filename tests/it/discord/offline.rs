//! A Discord that cannot be reached: rapport says so in its own words (not
//! only serenity's reconnects), keeps trying, and still stops on SIGTERM.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

#[tokio::test]
async fn an_unreachable_discord_is_named_in_rapports_log_and_retried() {
    // A port nothing listens on: connections are refused at once.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let http_port = {
        let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        free.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let api_base = format!("http://127.0.0.1:{port}");
    let extra = [
        ("RAPPORT_DISCORD__TOKEN", "dummy-secret-token".to_owned()),
        ("RAPPORT_LOG__FORMAT", "json".to_owned()),
        ("RAPPORT_HTTP__LISTEN", format!("127.0.0.1:{http_port}")),
    ];
    let mut child = super::rapport_run(dir.path(), &api_base, &extra);
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = Vec::new();
    let said = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let found = line.contains("cannot reach Discord");
            seen.push(line);
            if found {
                return;
            }
        }
    })
    .await;
    assert!(
        said.is_ok(),
        "no rapport-level line about Discord: {seen:#?}"
    );
    // systemd stops a service with SIGTERM.
    super::signal(&child, "TERM");
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("rapport stops on SIGTERM while it waits for Discord")
        .unwrap();
    while let Ok(Some(line)) = lines.next_line().await {
        seen.push(line);
    }
    assert!(status.success(), "{seen:#?}");
    let logs = seen.join("\n");
    assert!(logs.contains("retry_in_seconds"), "{logs}");
    assert!(
        !logs.contains("dummy-secret-token"),
        "the token is never logged"
    );
}
