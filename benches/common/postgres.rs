//! A throwaway database on the local PostgreSQL server, for benchmarks.

use anyhow::Context;
use sqlx::{AssertSqlSafe, Connection, Executor};

const POSTGRES_ADMIN: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A fresh database: its URL and name.
pub async fn fresh_database(label: &str) -> anyhow::Result<(String, String)> {
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(POSTGRES_ADMIN)
        .await
        .context("cannot reach PostgreSQL at 127.0.0.1:5432")?;
    let name = format!(
        "rapport_bench_{label}_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    );
    admin
        .execute(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await?;
    let (base, _) = POSTGRES_ADMIN
        .rsplit_once('/')
        .context("the admin URL names a database")?;
    Ok((format!("{base}/{name}"), name))
}

pub async fn drop_database(name: &str) -> anyhow::Result<()> {
    let mut admin = sqlx::AnyConnection::connect(POSTGRES_ADMIN).await?;
    admin
        .execute(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .await?;
    Ok(())
}
