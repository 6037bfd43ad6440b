//! The same behaviour on PostgreSQL, each test on a database of its own.
//! Outside CI the tests say so and skip when no server is reachable; under
//! CI (`CI=true`) a missing server fails them.

use sqlx::AssertSqlSafe;
use sqlx::{Connection, Executor};

use rapport::engine::message::Place;
use rapport::error::UserError;

use chrono::{TimeZone, Utc};

use crate::helpers::{
    TestEngine, code_in, dm, in_ci, person, recording_ports, scheduled, space, space_of,
    spawn_engine_on,
};

use crate::pairing::pair_ana_and_ben;

/// The server's maintenance database, where test databases are created.
fn admin_url() -> String {
    std::env::var("RAPPORT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// An engine on its own database, dropped by [`PgTest::finish`].
pub(crate) struct PgTest {
    pub(crate) engine: TestEngine,
    name: String,
}

impl PgTest {
    /// The database's URL, for another engine (process) to share it.
    pub(crate) fn url(&self) -> String {
        let admin = admin_url();
        let (base, _) = admin.rsplit_once('/').expect("URL with a database");
        format!("{base}/{}", self.name)
    }

    /// Closes the pool and drops the database, so runs leave nothing behind.
    pub(crate) async fn finish(self) {
        self.engine.engine.store().close().await;
        let mut conn = sqlx::AnyConnection::connect(&admin_url())
            .await
            .expect("admin connection");
        // FORCE: a pool connection still closing must not keep the database.
        conn.execute(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        )))
        .await
        .expect("drop test db");
    }
}

/// A fresh database, or `None` (with a note) when there is no server here.
pub(crate) async fn fresh_database(test: &str) -> Option<PgTest> {
    sqlx::any::install_default_drivers();
    let admin = admin_url();
    let mut conn = match sqlx::AnyConnection::connect(&admin).await {
        Ok(conn) => conn,
        Err(error) if !in_ci() => {
            eprintln!("SKIPPED {test}: PostgreSQL is not reachable at {admin} ({error})");
            return None;
        }
        Err(error) => {
            panic!("PostgreSQL is required under CI but not reachable at {admin}: {error}")
        }
    };
    let name = format!("rapport_test_{}_{}", test, std::process::id());
    conn.execute(AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .await
    .expect("drop old test db");
    conn.execute(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create test db");
    let (base, _) = admin.rsplit_once('/').expect("URL with a database");
    let engine = spawn_engine_on(&format!("{base}/{name}")).await;
    Some(PgTest { engine, name })
}

#[tokio::test]
async fn pairing_and_refusals_work_on_postgres() {
    let Some(pg) = fresh_database("pairing").await else {
        return;
    };
    let t = &pg.engine;
    let code = pair_ana_and_ben(t).await;
    let before = t.snapshot().await;
    let twice = t
        .say(
            &person("ben"),
            &Place::Direct,
            &format!("pair accept {code}"),
        )
        .await;
    t.assert_refused(&twice, UserError::InviteNoLongerValid);
    let carl = t
        .say(&person("carl"), &Place::Direct, "pair invite ana")
        .await;
    t.assert_refused(&carl, UserError::PartnerUnavailable);
    assert_eq!(t.snapshot().await, before);
    pg.finish().await;
}

#[tokio::test]
async fn a_check_in_round_fires_and_delivers_on_postgres() {
    let Some(pg) = fresh_database("checkin").await else {
        return;
    };
    let t = &pg.engine;
    let (port, ports) = recording_ports();
    scheduled(t, "UTC", "daily 20:00").await;
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 3, 2, 20, 0, 0).unwrap());
    let (due, delivered) = t.tick(&ports).await;
    assert_eq!((due.fired, delivered.sent), (1, 2));
    assert_eq!(t.tick(&ports).await.0.fired, 0, "never twice");
    t.say(&person("ana"), &Place::Direct, "checkin answer 8")
        .await;
    let reveal = t
        .say(&person("ben"), &Place::Direct, "checkin answer 9 thank you")
        .await;
    assert!(
        reveal
            .iter()
            .any(|out| out.reply.text.contains("thank you") && !out.reply.private)
    );
    assert_eq!(port.shown_to(&dm("ben")).len(), 1);
    t.say(&person("ana"), &Place::Direct, "pair leave confirm")
        .await;
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 3, 3, 20, 0, 0).unwrap());
    assert_eq!(
        t.tick(&ports).await.0.fired,
        0,
        "leaving stopped the schedule"
    );
    pg.finish().await;
}

#[tokio::test]
async fn unique_indexes_hold_on_postgres() {
    let Some(pg) = fresh_database("unique").await else {
        return;
    };
    let t = &pg.engine;
    pair_ana_and_ben(t).await;
    t.say(&person("ana"), &space("home"), "pair here").await;
    let created = t.say(&person("carl"), &Place::Direct, "pair invite").await;
    let code = code_in(&created[0].reply.text);
    t.say(
        &person("dana"),
        &Place::Direct,
        &format!("pair accept {code}"),
    )
    .await;
    let before = t.snapshot().await;
    let taken = t.say(&person("dana"), &space("home"), "pair here").await;
    t.assert_refused(&taken, UserError::NotYourCouple);
    assert_eq!(t.snapshot().await, before);
    let settings = t
        .say(
            &person("dana"),
            &Place::Direct,
            "settings zone Africa/Cairo",
        )
        .await;
    assert!(settings[0].reply.text.contains("Africa/Cairo"));
    pg.finish().await;
}

#[tokio::test]
async fn goals_recaps_and_mydata_work_on_postgres() {
    let Some(pg) = fresh_database("together").await else {
        return;
    };
    let t = &pg.engine;
    let (port, ports) = recording_ports();
    crate::mydata::a_shared_life(t).await;
    let (ana, ben) = (person("ana"), person("ben"));
    t.say(&ben, &Place::Direct, "goal kept 1").await;
    t.say(
        &ana,
        &Place::Direct,
        "goal shared Walk together by 2026-03-20",
    )
    .await;
    t.say(&ben, &Place::Direct, "goal accept 2").await;
    t.say(&ana, &Place::Direct, "recap weekly sun 18:00").await;
    t.say(&person("ben"), &Place::Direct, "recap accept").await;
    let list = t.say(&ana, &Place::Direct, "goal").await;
    assert!(
        list[0].reply.text.contains("kept days in all: 1"),
        "{}",
        list[0].reply.text
    );

    t.clock
        .set(Utc.with_ymd_and_hms(2026, 3, 8, 18, 0, 0).unwrap());
    let (due, _) = t.tick(&ports).await;
    assert_eq!(due.recaps, 1);
    let recap = port.shown_to(&space_of("home")).pop().expect("a recap");
    assert!(recap.contains("Thanks for the tea"), "{recap}");
    // The couple's zone follows ana's: the reminder moves from 09:00 UTC
    // to 09:00 in Berlin (08:00 UTC).
    t.say(&ana, &Place::Direct, "settings zone Europe/Berlin")
        .await;
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 3, 19, 8, 0, 0).unwrap());
    assert_eq!(
        t.tick(&ports).await.0.reminded,
        2,
        "both partners of a shared goal"
    );

    let mine = crate::mydata::export(t, "ana").await;
    assert_eq!(mine["journal"][0]["text"], "ana's secret thought");
    t.say(&ana, &Place::Direct, "mydata delete confirm").await;
    let his = crate::mydata::export(t, "ben").await;
    assert_eq!(his["journal"][0]["text"], "ben's secret thought");
    assert!(his["appreciations_received"].as_array().unwrap().is_empty());
    pg.finish().await;
}

#[tokio::test]
async fn an_ended_couples_history_comes_back_on_postgres() {
    let Some(test) = fresh_database("history_back").await else {
        return;
    };
    crate::history::brought_back_by_two_yeses(&test.engine).await;
    test.finish().await;
}

#[tokio::test]
async fn an_ended_couples_history_is_erased_on_postgres() {
    let Some(test) = fresh_database("history_gone").await else {
        return;
    };
    crate::history::fresh_start_then_erased(&test.engine).await;
    test.finish().await;
}
