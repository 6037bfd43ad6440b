//! Connecting to PostgreSQL: a first connection on its own, so an
//! unreachable server is named at once (a pool would retry in silence until
//! its timeout), and errors that name the server, never the URL.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;

/// How long a PostgreSQL connection may take at start before rapport says so.
pub const POSTGRES_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why PostgreSQL could not be reached. It names the server as `host:port`
/// (or its socket), never the URL, so no password can show.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("the PostgreSQL URL cannot be read")]
    BadUrl,
    #[error("connection refused to {address}")]
    Refused { address: String },
    #[error("no answer from {address} within {seconds} s")]
    TimedOut { address: String, seconds: u64 },
    #[error("cannot reach {address}: {reason}")]
    Unreachable { address: String, reason: String },
    /// The server answered and said no (login, database, TLS).
    #[error("PostgreSQL at {address} refused rapport: {reason}")]
    Rejected { address: String, reason: String },
}

/// A first connection, tried on its own so an unreachable server fails at
/// once by name (a pool would retry in silence until its timeout), then
/// the pool.
pub(super) async fn connect_postgres(url: &str) -> anyhow::Result<AnyPool> {
    probe_postgres(url, POSTGRES_CONNECT_TIMEOUT).await?;
    AnyPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(POSTGRES_CONNECT_TIMEOUT)
        .connect(url)
        .await
        .context("cannot connect to PostgreSQL")
}

/// Opens one PostgreSQL connection within `timeout` and closes it again:
/// whether the server is there and lets rapport in. Runs no migration.
pub async fn probe_postgres(url: &str, timeout: Duration) -> Result<String, ConnectError> {
    use sqlx::Connection;
    use sqlx::postgres::{PgConnectOptions, PgConnection};

    let options = PgConnectOptions::from_str(url).map_err(|_| ConnectError::BadUrl)?;
    let address = match options.get_socket() {
        Some(socket) => socket.display().to_string(),
        None => format!("{}:{}", options.get_host(), options.get_port()),
    };
    let connection = match tokio::time::timeout(timeout, PgConnection::connect_with(&options)).await
    {
        Err(_) => {
            let seconds = timeout.as_secs();
            return Err(ConnectError::TimedOut { address, seconds });
        }
        Ok(Err(error)) => return Err(connect_error(error, address)),
        Ok(Ok(connection)) => connection,
    };
    // Closing politely can only fail on a connection already gone.
    let _ = connection.close().await;
    Ok(address)
}

fn connect_error(error: sqlx::Error, address: String) -> ConnectError {
    match error {
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            ConnectError::Refused { address }
        }
        sqlx::Error::Io(io) => ConnectError::Unreachable {
            address,
            reason: io.to_string(),
        },
        sqlx::Error::Database(db) => ConnectError::Rejected {
            address,
            reason: db.message().to_owned(),
        },
        sqlx::Error::Tls(tls) => ConnectError::Rejected {
            address,
            reason: tls.to_string(),
        },
        other => ConnectError::Unreachable {
            address,
            reason: other.to_string(),
        },
    }
}
