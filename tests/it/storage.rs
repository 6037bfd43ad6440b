//! The SQLite file on disk: owner-only permissions, deleted words gone from
//! the database and its write-ahead log, and the one-off scrub at start.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use sqlx::Row;

use rapport::domain::{Platform, UserRef};
use rapport::store::{Store, users};

use crate::helpers::start_time;

fn url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn wal(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}-wal", path.display()))
}

/// The bytes of the database file and of its `-wal` file (empty if none).
fn on_disk(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    bytes.extend(std::fs::read(wal(path)).unwrap_or_default());
    bytes
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

async fn add_user(store: &Store, id: &str, name: &str) -> i64 {
    let mut tx = store.begin().await.unwrap();
    let user = users::upsert(
        &mut tx,
        &UserRef::new(Platform::Console, id),
        name,
        None,
        start_time(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    user.id
}

#[tokio::test]
async fn a_new_database_and_its_folder_are_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data");
    let path = folder.join("rapport.db");
    let store = Store::connect(&url(&path)).await.unwrap();
    add_user(&store, "ana", "Ana").await;
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&wal(&path)), 0o600, "the log follows the file");
    store.close().await;

    // Made by an older rapport with the umask: tightened at the next start.
    set_mode(&folder, 0o755);
    set_mode(&path, 0o644);
    let store = Store::connect(&url(&path)).await.unwrap();
    add_user(&store, "ben", "Ben").await;
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&wal(&path)), 0o600);
    store.close().await;
}

#[tokio::test]
async fn a_shared_folder_keeps_its_permissions_but_the_file_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("someone-else.txt"), "not rapport's").unwrap();
    set_mode(&folder, 0o755);
    let path = folder.join("rapport.db");
    std::fs::write(&path, "").unwrap();
    set_mode(&path, 0o644);
    let store = Store::connect(&url(&path)).await.unwrap();
    assert_eq!(
        mode(&folder),
        0o755,
        "a folder with other files is left alone"
    );
    assert_eq!(mode(&path), 0o600);
    store.close().await;
}

#[tokio::test]
async fn deleted_words_leave_the_file_and_its_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    let store = Store::connect(&url(&path)).await.unwrap();
    let marker = "Zebra-Marker-7f3a9c-words-to-forget";
    let id = add_user(&store, "ana", marker).await;
    assert!(
        holds(&on_disk(&path), marker),
        "control: the words are on disk before the delete"
    );

    let mut tx = store.begin().await.unwrap();
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    store.checkpoint().await.unwrap();

    let file = std::fs::read(&path).unwrap();
    let log = std::fs::read(wal(&path)).unwrap_or_default();
    assert!(!holds(&file, marker), "the database file still holds them");
    assert!(!holds(&log, marker), "the -wal file still holds them");
    store.close().await;
}

async fn count(store: &Store, sql: &'static str) -> i64 {
    let mut tx = store.begin().await.unwrap();
    let value: i64 = sqlx::query(sql).fetch_one(&mut *tx).await.unwrap().get(0);
    tx.commit().await.unwrap();
    value
}

#[tokio::test]
async fn the_one_off_vacuum_scrubs_freed_pages_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    let store = Store::connect(&url(&path)).await.unwrap();
    assert_eq!(count(&store, "SELECT COUNT(*) FROM maintenance").await, 0);

    // A database from before secure deletion: deleted rows leave free pages
    // that still hold their words. Then the migration's task, once more.
    let marker = "Old-Words-Before-Secure-Delete-41d2";
    let mut tx = store.begin().await.unwrap();
    sqlx::query("PRAGMA secure_delete = OFF")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    for n in 0..200 {
        add_user(&store, &format!("user{n}"), &format!("{marker} {n}")).await;
    }
    let mut tx = store.begin().await.unwrap();
    sqlx::query("DELETE FROM users")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("INSERT INTO maintenance (task) VALUES ('vacuum')")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    store.checkpoint().await.unwrap();
    assert!(count(&store, "PRAGMA freelist_count").await > 0);
    store.close().await;
    assert!(
        holds(&on_disk(&path), marker),
        "control: the freed pages hold the old words"
    );

    let store = Store::connect(&url(&path)).await.unwrap();
    assert_eq!(count(&store, "SELECT COUNT(*) FROM maintenance").await, 0);
    assert_eq!(count(&store, "PRAGMA freelist_count").await, 0);
    assert!(
        !holds(&on_disk(&path), marker),
        "the old words are scrubbed"
    );
    store.close().await;

    let store = Store::connect(&url(&path))
        .await
        .expect("a second start works");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM maintenance").await, 0);
    store.close().await;
}
