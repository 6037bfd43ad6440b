//! Upgrading a store: a safety copy beside an SQLite file before new
//! migrations, a failed migration that leaves the file usable and says how
//! to go back, the copy removed once kept long enough, and backups made
//! while the store is in use.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use chrono::Duration;
use rapport::store::{Store, UpgradePolicy};

use crate::helpers::start_time;
use crate::numbers::migrate_up_to;

/// The last migration before this wave's: an older rapport's store.
const OLDER: i64 = 20261201000010;

fn url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

fn safety_copies(folder: &Path) -> Vec<PathBuf> {
    let mut copies: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().contains(".before-upgrade-"))
        .collect();
    copies.sort();
    copies
}

fn policy(days_after_start: i64) -> UpgradePolicy {
    UpgradePolicy {
        keep_copies: Duration::days(7),
        now: start_time() + Duration::days(days_after_start),
    }
}

#[tokio::test]
async fn an_upgrade_copies_the_file_first_and_the_copy_goes_a_week_later() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    migrate_up_to(&path, OLDER).await;
    let store = Store::open(&url(&path), policy(0)).await.unwrap();
    let copies = safety_copies(dir.path());
    assert_eq!(copies.len(), 1, "{copies:?}");
    let name = copies[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert_eq!(
        name,
        format!("rapport.db.before-upgrade-{}", start_time().timestamp())
    );
    let mode = std::fs::metadata(&copies[0]).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the copy is as private as the store");
    let copied = rapport::store::backup::verify(&copies[0]).await.unwrap();
    assert_eq!(
        copied.migrations, 10,
        "the copy is the store as it was before"
    );
    // An admin's own copy beside it is never touched.
    let admins = dir.path().join("rapport.db.mine");
    std::fs::copy(&copies[0], &admins).unwrap();

    store.prune_safety_copies(start_time() + Duration::days(6));
    assert_eq!(safety_copies(dir.path()).len(), 1, "kept for a week");
    store.prune_safety_copies(start_time() + Duration::days(7));
    assert!(safety_copies(dir.path()).is_empty(), "then removed");
    assert!(admins.exists());
    store.close().await;
    // Nothing pending: a later start makes no copy.
    let again = Store::open(&url(&path), policy(8)).await.unwrap();
    assert!(safety_copies(dir.path()).is_empty());
    again.close().await;
}

#[tokio::test]
async fn a_failed_migration_leaves_the_store_usable_and_says_how_to_go_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    migrate_up_to(&path, OLDER).await;
    // Something in the way of migration 11, which creates this table.
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .connect(&format!("{}?mode=rwc", url(&path)))
        .await
        .unwrap();
    sqlx::query("CREATE TABLE agreements_next (x INTEGER)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let error = Store::open(&url(&path), policy(0)).await.unwrap_err();
    let said = format!("{error:#}");
    let copy = &safety_copies(dir.path())[0];
    assert!(
        said.contains(&format!(
            "put {} in place of {}",
            copy.display(),
            path.display()
        )),
        "{said}"
    );
    let states = Store::migration_status(&url(&path)).await.unwrap();
    let applied: Vec<i64> = states
        .iter()
        .filter(|s| s.applied)
        .map(|s| s.version)
        .collect();
    assert_eq!(
        applied.len(),
        10,
        "the failed step left no trace: {states:?}"
    );
    let goals: i64 = {
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .connect(&url(&path))
            .await
            .unwrap();
        let count = sqlx::query_scalar("SELECT COUNT(*) FROM goals")
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        count
    };
    assert_eq!(goals, 3, "the older rapport's goals are all there");
}

#[tokio::test]
async fn a_backup_is_made_while_the_store_is_in_use_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    let t = crate::helpers::spawn_engine_on(&url(&path)).await;
    t.say(
        &crate::helpers::person("ana"),
        &rapport::engine::message::Place::Direct,
        "journal write backed-up-marker",
    )
    .await;
    let to = dir.path().join("backup.db");
    // The engine's pool stays open: the copy is taken from a live store.
    let copied = Store::backup(&url(&path), &to).await.unwrap();
    let shipped = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .unwrap()
        .count();
    assert_eq!(
        copied.migrations as usize, shipped,
        "the copy holds every migration"
    );
    let bytes = std::fs::read(&to).unwrap();
    assert!(
        bytes.windows(16).any(|w| w == b"backed-up-marker"),
        "the copy holds what was just written"
    );
    assert_eq!(
        std::fs::metadata(&to).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(
        matches!(
            Store::backup(&url(&path), &to).await,
            Err(rapport::store::BackupError::Failed(_))
        ),
        "an existing file is never overwritten"
    );
    assert!(matches!(
        Store::backup(
            "postgres://rapport@127.0.0.1/rapport",
            &dir.path().join("pg.db")
        )
        .await,
        Err(rapport::store::BackupError::Postgres)
    ));
}
