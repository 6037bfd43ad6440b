//! The Matrix login: the client with its SQLite store (encrypted when a
//! store passphrase is set), and the session (password or access token)
//! kept in `session.json` across restarts.

use std::path::Path;

use anyhow::{Context, bail};
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::config::RequestConfig;
use matrix_sdk::store::RoomLoadSettings;
use matrix_sdk::{Client, ClientBuildError, STATE_STORE_DATABASE_NAME, SessionMeta, SessionTokens};
use secrecy::{ExposeSecret, SecretString};

use super::MatrixSettings;

/// Lies beside the SDK store (`sdk/`) when that store was made with a
/// passphrase. matrix-sdk cannot tell: given a passphrase, it would start
/// encrypting into an unencrypted store and then fail to read it back.
const ENCRYPTED_MARKER: &str = "sdk-encrypted";

/// The client, its session and crypto keys in `store_dir` (SQLite), so a
/// restart is the same device.
pub(super) async fn build_client(settings: &MatrixSettings) -> anyhow::Result<Client> {
    let store_dir = &settings.store_dir;
    std::fs::create_dir_all(store_dir).with_context(|| {
        format!(
            "cannot create the Matrix store folder {}",
            store_dir.display()
        )
    })?;
    // The session token and the encryption keys (and whatever the SDK keeps
    // of rooms) are the service's alone.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(store_dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("cannot make {} private", store_dir.display()))?;
    }
    let passphrase = settings
        .store_passphrase
        .as_ref()
        .map(|p| p.expose_secret());
    check_store_encryption(store_dir, passphrase.is_some())?;
    // A few retries, not the default quarter of an hour: the outbox
    // retries a failed delivery on its own schedule.
    let requests = RequestConfig::new().retry_limit(3);
    let built = Client::builder()
        .homeserver_url(&settings.homeserver)
        .sqlite_store(store_dir.join("sdk"), passphrase)
        .request_config(requests)
        .build()
        .await;
    match built {
        Ok(client) => Ok(client),
        Err(error @ ClientBuildError::SqliteStore(_)) if passphrase.is_some() => Err(error)
            .with_context(|| {
                format!(
                    "cannot open the encrypted Matrix store in {}: if it was made with \
                     another store passphrase, set that one",
                    store_dir.display()
                )
            }),
        Err(error) => Err(error).context("cannot set up the Matrix client"),
    }
}

/// Refuses a store whose encryption does not match the configuration,
/// before matrix-sdk touches it, and marks a new store made encrypted.
fn check_store_encryption(store_dir: &Path, encrypted: bool) -> anyhow::Result<()> {
    let exists = store_dir
        .join("sdk")
        .join(STATE_STORE_DATABASE_NAME)
        .exists();
    let marker = store_dir.join(ENCRYPTED_MARKER);
    let marked = marker.exists();
    let shown = store_dir.display();
    match (exists, encrypted, marked) {
        (true, true, false) => bail!(
            "the Matrix store in {shown} was made without a store passphrase, and matrix-sdk \
             cannot encrypt an existing store. To keep it, unset matrix.store_passphrase. \
             To encrypt, stop rapport, move the folder {shown} away and start again: the bot \
             logs in as a new device (verify it again where people verified the old one)"
        ),
        (true, false, true) => bail!(
            "the Matrix store in {shown} is encrypted, but no store passphrase is set: set \
             matrix.store_passphrase_file or RAPPORT_MATRIX__STORE_PASSPHRASE to the one it \
             was made with"
        ),
        (false, true, _) => std::fs::write(
            &marker,
            "The Matrix store in sdk/ is encrypted with [matrix] store_passphrase.\n",
        )
        .with_context(|| format!("cannot write {}", marker.display())),
        (false, false, true) => std::fs::remove_file(&marker)
            .with_context(|| format!("cannot remove the stale {}", marker.display())),
        _ => Ok(()),
    }
}

/// Restores the stored session, or logs in and stores the new one.
/// Restores the stored session, or logs in anew; whether it restored one.
pub(super) async fn log_in(client: &Client, settings: &MatrixSettings) -> anyhow::Result<bool> {
    let session_file = settings.store_dir.join("session.json");
    match read_session(&session_file)? {
        Some(session) => {
            client
                .matrix_auth()
                .restore_session(session, RoomLoadSettings::default())
                .await
                .context("cannot restore the Matrix session")?;
            Ok(true)
        }
        None => {
            let session = new_session(client, settings).await?;
            write_session(&session_file, &session)?;
            Ok(false)
        }
    }
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use secrecy::SecretString;

    use super::*;

    fn settings(store_dir: &Path, passphrase: Option<&str>) -> MatrixSettings {
        MatrixSettings {
            // Building a client with a homeserver URL asks nothing of it.
            homeserver: "http://127.0.0.1:9".to_owned(),
            user_id: "@rapport:example.org".to_owned(),
            password: None,
            access_token: None,
            store_dir: store_dir.to_owned(),
            store_passphrase: passphrase.map(SecretString::from),
            command_prefix: "!rapport".to_owned(),
            catch_up: std::time::Duration::from_secs(600),
            allowed: Vec::new(),
        }
    }

    async fn open(store_dir: &Path, passphrase: Option<&str>) -> anyhow::Result<()> {
        build_client(&settings(store_dir, passphrase))
            .await
            .map(drop)
    }

    #[tokio::test]
    async fn an_unencrypted_store_refuses_a_passphrase_in_plain_words() {
        let dir = tempfile::tempdir().unwrap();
        open(dir.path(), None).await.expect("a plain store opens");
        let error = open(dir.path(), Some("correct horse battery"))
            .await
            .expect_err("a passphrase cannot encrypt an existing store");
        let text = format!("{error:#}");
        assert!(text.contains("made without a store passphrase"), "{text}");
        assert!(text.contains("move the folder"), "{text}");
        assert!(text.contains("new device"), "{text}");
        assert!(
            !text.contains("correct horse"),
            "the passphrase leaked: {text}"
        );
        open(dir.path(), None)
            .await
            .expect("the plain store is untouched");
    }

    #[tokio::test]
    async fn an_encrypted_store_needs_its_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        open(dir.path(), Some("correct horse battery"))
            .await
            .expect("a new store is made encrypted");
        assert!(dir.path().join(ENCRYPTED_MARKER).is_file());
        open(dir.path(), Some("correct horse battery"))
            .await
            .expect("and opens again with its passphrase");

        let error = open(dir.path(), None).await.expect_err("not without it");
        let text = format!("{error:#}");
        assert!(text.contains("is encrypted"), "{text}");
        assert!(text.contains("RAPPORT_MATRIX__STORE_PASSPHRASE"), "{text}");

        let error = open(dir.path(), Some("wrong staple"))
            .await
            .expect_err("not with another one");
        let text = format!("{error:#}");
        assert!(text.contains("another store passphrase"), "{text}");
        assert!(
            !text.contains("wrong staple"),
            "the passphrase leaked: {text}"
        );
    }

    #[test]
    fn a_stale_marker_goes_with_its_store() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(ENCRYPTED_MARKER), "").unwrap();
        check_store_encryption(dir.path(), false).expect("no store: nothing to mismatch");
        assert!(!dir.path().join(ENCRYPTED_MARKER).exists());
    }
}
