//! `rapport run` on Matrix as an admin runs it, through a real Synapse: a
//! healthy run writes no warning and no error, however much matrix-sdk
//! would (a warning for each batch of room keys with no key backup, an
//! error for each 404 of optional account data), and no colour codes into
//! a log that is not a terminal.

use matrix_sdk::ruma::OwnedUserId;

use crate::discord::signal;
use crate::helpers::rapport_run_with;
use crate::matrix::{Account, Partner, synapse, until_joined};

/// `rapport run` in `dir` as the Matrix account, configured from the
/// environment only; stderr is piped for the test.
fn rapport_run(dir: &std::path::Path, url: &str, account: &Account) -> tokio::process::Child {
    rapport_run_with(
        dir,
        [
            ("RAPPORT_MATRIX__HOMESERVER", url),
            ("RAPPORT_MATRIX__USER_ID", account.user.as_str()),
            ("RAPPORT_MATRIX__PASSWORD", account.password.as_str()),
            ("RAPPORT_MATRIX__STORE_DIR", "matrix"),
            ("RAPPORT_MATRIX__STORE_PASSPHRASE", "a store passphrase"),
        ],
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_healthy_matrix_run_logs_no_library_noise() {
    let Some(url) = synapse("a_healthy_matrix_run_logs_no_library_noise").await else {
        return;
    };
    let account = Account::new(&url).await;
    let dir = tempfile::tempdir().unwrap();
    let mut child = rapport_run(dir.path(), &url, &account);
    let ana = Partner::new(&url, "ana").await;
    let bot: &OwnedUserId = &account.user;
    // An encrypted room: rapport's answer makes room keys, which is when
    // matrix-sdk looks for a key backup.
    let room = ana.create_encrypted_room(&[bot]).await;
    until_joined(&ana, &room, 2).await;
    ana.say(&room, "!rapport help").await;
    ana.expect(bot, "rapport helps").await;

    signal(&child, "TERM");
    let output = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        let status = child.wait().await.unwrap();
        let mut log = String::new();
        if let Some(mut stderr) = child.stderr.take() {
            tokio::io::AsyncReadExt::read_to_string(&mut stderr, &mut log)
                .await
                .unwrap();
        }
        (status, log)
    })
    .await
    .expect("rapport stops on SIGTERM");
    let (status, log) = output;
    assert!(status.success(), "{status:?}: {log}");
    assert!(log.contains("Matrix session ready"), "{log}");
    let noisy: Vec<&str> = log
        .lines()
        .filter(|line| line.contains(" WARN ") || line.contains(" ERROR "))
        .collect();
    assert!(noisy.is_empty(), "a healthy run warned: {noisy:#?}");
    assert!(!log.contains('\u{1b}'), "colour codes in a log file: {log}");
}
