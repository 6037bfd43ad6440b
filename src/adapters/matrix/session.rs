//! The Matrix login: the client with its SQLite store, and the session
//! (password or access token) kept in `session.json` across restarts.

use anyhow::Context;
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::config::RequestConfig;
use matrix_sdk::store::RoomLoadSettings;
use matrix_sdk::{Client, SessionMeta, SessionTokens};
use secrecy::{ExposeSecret, SecretString};

use super::MatrixSettings;

/// The client, its session and crypto keys in `store_dir` (SQLite), so a
/// restart is the same device.
pub(super) async fn build_client(settings: &MatrixSettings) -> anyhow::Result<Client> {
    std::fs::create_dir_all(&settings.store_dir).with_context(|| {
        format!(
            "cannot create the Matrix store folder {}",
            settings.store_dir.display()
        )
    })?;
    // A few retries, not the default quarter of an hour: the outbox
    // retries a failed delivery on its own schedule.
    let requests = RequestConfig::new().retry_limit(3);
    Client::builder()
        .homeserver_url(&settings.homeserver)
        .sqlite_store(settings.store_dir.join("sdk"), None)
        .request_config(requests)
        .build()
        .await
        .context("cannot set up the Matrix client")
}

/// Restores the stored session, or logs in and stores the new one.
pub(super) async fn log_in(client: &Client, settings: &MatrixSettings) -> anyhow::Result<()> {
    let session_file = settings.store_dir.join("session.json");
    match read_session(&session_file)? {
        Some(session) => client
            .matrix_auth()
            .restore_session(session, RoomLoadSettings::default())
            .await
            .context("cannot restore the Matrix session")?,
        None => {
            let session = new_session(client, settings).await?;
            write_session(&session_file, &session)?;
        }
    }
    Ok(())
}

async fn new_session(client: &Client, settings: &MatrixSettings) -> anyhow::Result<MatrixSession> {
    if let Some(password) = &settings.password {
        client
            .matrix_auth()
            .login_username(&settings.user_id, password.expose_secret())
            .initial_device_display_name("rapport")
            .await
            .context("Matrix login failed")?;
        return client
            .matrix_auth()
            .session()
            .context("the Matrix login returned no session");
    }
    let token = settings
        .access_token
        .as_ref()
        .context("neither a password nor an access token is configured")?;
    let whoami = whoami(&settings.homeserver, token).await?;
    let session = MatrixSession {
        meta: SessionMeta {
            user_id: whoami
                .0
                .parse()
                .context("the homeserver sent a bad user id")?,
            device_id: whoami.1.into(),
        },
        tokens: SessionTokens {
            access_token: token.expose_secret().to_owned(),
            refresh_token: None,
        },
    };
    client
        .matrix_auth()
        .restore_session(session.clone(), RoomLoadSettings::default())
        .await
        .context("cannot use the Matrix access token")?;
    Ok(session)
}

/// (user id, device id) of an access token.
async fn whoami(homeserver: &str, token: &SecretString) -> anyhow::Result<(String, String)> {
    #[derive(serde::Deserialize)]
    struct WhoAmI {
        user_id: String,
        device_id: Option<String>,
    }
    let url = format!(
        "{}/_matrix/client/v3/account/whoami",
        homeserver.trim_end_matches('/')
    );
    let response: WhoAmI = reqwest::Client::new()
        .get(url)
        .bearer_auth(token.expose_secret())
        .send()
        .await
        .context("cannot reach the homeserver")?
        .error_for_status()
        .context("the homeserver refused the access token")?
        .json()
        .await
        .context("the homeserver's whoami answer is unreadable")?;
    let device = response
        .device_id
        .context("the access token belongs to no device; log in with a password once")?;
    Ok((response.user_id, device))
}

fn read_session(path: &std::path::Path) -> anyhow::Result<Option<MatrixSession>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .with_context(|| format!("the Matrix session file {} is damaged", path.display())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Saves the session (it holds the access token: owner-only permissions).
fn write_session(path: &std::path::Path, session: &MatrixSession) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    let bytes = serde_json::to_vec(session).context("cannot encode the Matrix session")?;
    file.write_all(&bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}
