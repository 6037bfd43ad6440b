//! The Matrix account runs in one process of several on one PostgreSQL
//! database, through a real Synapse: the process holding the `matrix`
//! lease runs the client, another stands by without building one, and
//! takes over, with the same device (they share `store_dir`), once the
//! holder died and its lease ran out. Nothing is answered twice.

use std::time::Duration;

use matrix_sdk::ruma::OwnedRoomId;

use rapport::app::{LeaseTiming, run_matrix};
use rapport::delivery::Ports;
use rapport::shutdown;

use crate::helpers::{TestEngine, spawn_engine_on};
use crate::matrix::{Account, Partner, synapse, until_joined};
use crate::postgres::fresh_database;

/// Waits (up to 30 s) until `ready` holds for the engine's figures.
async fn until(t: &TestEngine, what: &str, ready: impl Fn(&rapport::metrics::Metrics) -> bool) {
    for _ in 0..600 {
        if ready(t.engine.metrics()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting until {what}");
}

/// ana asks for help in `room` and waits for the bot's one answer.
async fn ask_help(ana: &Partner, bot: &Account, room: &OwnedRoomId) -> String {
    let before = ana.seen.lock().unwrap().len();
    ana.say(room, "!rapport help").await;
    for _ in 0..600 {
        let answer = ana.seen.lock().unwrap()[before..]
            .iter()
            .find(|seen| seen.sender == bot.user)
            .map(|seen| seen.body.clone());
        if let Some(answer) = answer {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the bot never answered help");
}

/// What `/readyz` answers for a process running Matrix on `t`'s engine.
async fn readyz(t: &TestEngine) -> (u16, String) {
    let listener = rapport::http::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let readiness = rapport::http::Readiness {
        platforms: vec!["matrix"],
    };
    let (stop, stopped) = shutdown::channel();
    let serving = tokio::spawn(rapport::http::serve(
        listener,
        t.engine.clone(),
        readiness,
        stopped.wait(),
    ));
    let response = reqwest::get(format!("http://{address}/readyz"))
        .await
        .unwrap();
    let answer = (response.status().as_u16(), response.text().await.unwrap());
    stop.fire();
    serving.await.unwrap();
    answer
}

#[tokio::test]
async fn a_standby_process_takes_the_matrix_account_over_once_the_holder_died() {
    let Some(url) = synapse("matrix_takeover").await else {
        return;
    };
    let Some(pg) = fresh_database("matrix_takeover").await else {
        return;
    };
    let second = spawn_engine_on(&pg.url()).await;
    let first = &pg.engine;
    let account = Account::new(&url).await;
    let timing = LeaseTiming {
        hold: chrono::Duration::seconds(40),
        every: Duration::from_millis(20),
    };

    let (first_ports, second_ports) = (Ports::default(), Ports::default());
    let (_first_stop, first_stopping) = shutdown::channel();
    let holder = tokio::spawn(run_matrix(
        first.engine.clone(),
        account.settings(&url, Duration::from_secs(600)),
        first_ports.clone(),
        timing,
        first_stopping,
    ));
    until(first, "the first process is connected", |m| {
        m.is_connected("matrix")
    })
    .await;
    let (second_stop, second_stopping) = shutdown::channel();
    let standby = tokio::spawn(run_matrix(
        second.engine.clone(),
        account.settings(&url, Duration::from_secs(600)),
        second_ports.clone(),
        timing,
        second_stopping,
    ));
    until(&second, "the second process stands by", |m| {
        m.is_standby("matrix")
    })
    .await;
    assert!(!second.engine.metrics().is_connected("matrix"));
    assert!(
        second_ports.platforms().is_empty(),
        "a standby builds no client"
    );
    assert_eq!(
        readyz(&second).await,
        (
            200,
            "ready\nmatrix: standby, another process runs it\n".to_owned()
        )
    );
    assert_eq!(readyz(first).await, (200, "ready\n".to_owned()));

    let ana = Partner::new(&url, "ana").await;
    let room = ana.create_encrypted_room(&[&account.user]).await;
    until_joined(&ana, &room, 2).await;
    let help = ask_help(&ana, &account, &room).await;

    // The holder dies: no stop, no lease let go.
    holder.abort();
    assert!(holder.await.unwrap_err().is_cancelled());
    drop(first_ports);
    assert!(
        !second
            .engine
            .take_lease("matrix", timing.hold)
            .await
            .unwrap(),
        "the dead holder's lease still runs"
    );
    for t in [first, &second] {
        t.clock.advance(chrono::Duration::seconds(41));
    }
    until(&second, "the standby took over", |m| {
        m.is_connected("matrix") && !m.is_standby("matrix")
    })
    .await;
    assert_eq!(
        second_ports.platforms(),
        vec![rapport::domain::Platform::Matrix]
    );

    assert_eq!(
        ask_help(&ana, &account, &room).await,
        help,
        "the new holder reads the encrypted room"
    );
    let answers = ana
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|seen| seen.sender == account.user && seen.body == help)
        .count();
    assert_eq!(answers, 2, "each question answered once, by one process");

    second_stop.fire();
    standby.await.unwrap().unwrap();
    second.engine.store().close().await;
    pg.finish().await;
}
