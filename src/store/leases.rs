//! The `leases` table: work one process at a time should do when several
//! share the database. A lease is held by a name until a moment; taking it
//! succeeds when it is free, ran out, or is already the taker's.

use anyhow::Context;
use chrono::{DateTime, Utc};

use super::{Tx, to_db};

/// Takes (or renews) the lease `name` for `holder` until `until`. `false`
/// when another holder has it past `now`.
pub async fn take(
    tx: &mut Tx,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let taken = sqlx::query(
        "INSERT INTO leases (name, holder, until) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
         WHERE leases.holder = excluded.holder OR leases.until <= $4",
    )
    .bind(name)
    .bind(holder)
    .bind(to_db(until))
    .bind(to_db(now))
    .execute(&mut **tx)
    .await
    .with_context(|| format!("cannot take the lease {name}"))?;
    Ok(taken.rows_affected() == 1)
}

/// Lets go of every lease `holder` has (it is stopping), so another
/// process need not wait for them to run out.
pub async fn release_all(tx: &mut Tx, holder: &str) -> anyhow::Result<u64> {
    let released = sqlx::query("DELETE FROM leases WHERE holder = $1")
        .bind(holder)
        .execute(&mut **tx)
        .await
        .context("cannot let the leases go")?;
    Ok(released.rows_affected())
}
