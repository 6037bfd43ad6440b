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
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("run")
        .current_dir(dir.path())
        .env_clear()
        .env("RAPPORT_DISCORD__TOKEN", "dummy-secret-token")
        .env(
            "RAPPORT_DISCORD__API_BASE",
            format!("http://127.0.0.1:{port}"),
        )
        .env("RAPPORT_STORE__URL", "sqlite://rapport.db")
        .env("RAPPORT_LOG__FORMAT", "json")
        .env("RAPPORT_HTTP__LISTEN", format!("127.0.0.1:{http_port}"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("rapport starts");
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
