//! Stopping like a service: at the stop a delivery worker takes no more
//! work, sends what it already claimed for ten seconds (on the engine's
//! clock), and gives the rest back unsent, free for another process at
//! once; a stopping process lets its leases go.

use std::sync::{Arc, Mutex};

use chrono::Duration;
use sqlx::Row;

use rapport::clock::{Clock, ManualClock};
use rapport::delivery::{
    self, BoxFuture, ChatPort, DeliveryError, DeliveryPolicy, Ports, Readers, Sent,
};
use rapport::domain::{Destination, Platform, Posted, Reply, SpaceRef, UserRef};
use rapport::shutdown::{self, Trigger};
use rapport::store::outbox::{self, NewMessage};

use crate::helpers::{TestEngine, spawn_engine, spawn_engine_on};

/// A platform where each send takes a second of the test's clock; the
/// first one also brings the stop.
struct SlowPort {
    clock: Arc<ManualClock>,
    stop: Mutex<Option<Trigger>>,
    sent: Mutex<Vec<String>>,
}

impl ChatPort for SlowPort {
    fn platform(&self) -> Platform {
        Platform::Console
    }

    fn send_to_user<'a>(&'a self, _: &'a UserRef, key: &'a str, _: &'a Reply) -> Sent<'a> {
        Box::pin(async move {
            self.clock.advance(Duration::seconds(1));
            if let Some(stop) = self.stop.lock().unwrap().take() {
                stop.fire();
            }
            self.sent.lock().unwrap().push(key.to_owned());
            Ok(Posted::new(format!("dm:{key}")))
        })
    }

    fn send_to_space<'a>(&'a self, _: &'a SpaceRef, _: &'a str, _: &'a Reply) -> Sent<'a> {
        Box::pin(async { Err(DeliveryError::Unreachable("no spaces here".into())) })
    }

    fn space_readers<'a>(
        &'a self,
        _: &'a SpaceRef,
    ) -> BoxFuture<'a, Result<Readers, DeliveryError>> {
        Box::pin(async { Err(DeliveryError::Unreachable("no spaces here".into())) })
    }

    fn retract<'a>(&'a self, _: &'a Posted) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(async { Ok(()) })
    }
}

/// Queues `count` private messages to one console person.
async fn queue(t: &TestEngine, count: usize) {
    let to = Destination::User(UserRef::new(Platform::Console, "ana"));
    let reply = Reply::private("a check-in question");
    let mut tx = t.engine.store().begin().await.unwrap();
    for n in 0..count {
        let key = format!("message-{n:02}");
        let message = NewMessage {
            key: &key,
            couple_id: None,
            to: &to,
            reply: &reply,
            authors: &[],
            journal_entry: None,
            couple_only: false,
            not_before: t.clock.now(),
        };
        assert!(outbox::enqueue(&mut tx, &message).await.unwrap());
    }
    tx.commit().await.unwrap();
}

/// Rows still pending, with whether they are claimed and their attempts.
async fn pending(t: &TestEngine) -> Vec<(bool, i64)> {
    let mut tx = t.engine.store().begin().await.unwrap();
    let rows = sqlx::query(
        "SELECT claimed_until, attempts FROM outbox WHERE state = 'pending' ORDER BY id",
    )
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    rows.iter()
        .map(|row| {
            let claimed: Option<i64> = row.get("claimed_until");
            (claimed.is_some(), row.get("attempts"))
        })
        .collect()
}

#[tokio::test]
async fn a_stopping_worker_sends_what_it_claimed_for_ten_seconds_and_gives_back_the_rest() {
    let t = spawn_engine().await;
    queue(&t, 30).await;
    let (trigger, stopping) = shutdown::channel();
    let port = Arc::new(SlowPort {
        clock: t.clock.clone(),
        stop: Mutex::new(Some(trigger)),
        sent: Mutex::new(Vec::new()),
    });
    let ports = Ports::default().with(port.clone());
    let policy = DeliveryPolicy::default();
    assert_eq!(policy.drain, Duration::seconds(10));

    let report = delivery::deliver_due(&t.engine, &ports, &policy, &stopping)
        .await
        .unwrap();
    // The stop came during the first send, a second in; sends that start
    // within the ten seconds after it go out: the first and ten more.
    assert_eq!(report.sent, 11, "{report:?}");
    let left = pending(&t).await;
    assert_eq!(left.len(), 19);
    assert!(
        left.iter()
            .all(|(claimed, attempts)| !claimed && *attempts == 0),
        "given back unclaimed, the attempt not counted: {left:?}"
    );

    // Another process sends the rest at once, without waiting for a claim
    // to run out; nothing is sent twice.
    let other = Ports::default().with(port.clone());
    let rest = delivery::deliver_due_once(&t.engine, &other, &policy)
        .await
        .unwrap();
    assert_eq!(rest.sent, 19);
    let sent = port.sent.lock().unwrap().clone();
    let distinct: std::collections::HashSet<&String> = sent.iter().collect();
    assert_eq!((sent.len(), distinct.len()), (30, 30));
}

#[tokio::test]
async fn a_worker_stopped_before_a_pass_claims_nothing() {
    let t = spawn_engine().await;
    queue(&t, 3).await;
    let (trigger, stopped) = shutdown::channel();
    trigger.fire();
    let port = Arc::new(SlowPort {
        clock: t.clock.clone(),
        stop: Mutex::new(None),
        sent: Mutex::new(Vec::new()),
    });
    let ports = Ports::default().with(port.clone());
    let report = delivery::deliver_due(&t.engine, &ports, &DeliveryPolicy::default(), &stopped)
        .await
        .unwrap();
    assert_eq!(report.sent, 0);
    assert_eq!(pending(&t).await, vec![(false, 0); 3]);
}

#[tokio::test]
async fn a_stopping_process_lets_its_leases_go_for_another_to_take_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("rapport.db").display()
    );
    let (first, second) = (spawn_engine_on(&url).await, spawn_engine_on(&url).await);
    let hold = Duration::seconds(40);
    assert!(first.engine.take_lease("matrix", hold).await.unwrap());
    assert!(!second.engine.take_lease("matrix", hold).await.unwrap());
    assert_eq!(first.engine.release_leases().await.unwrap(), 1);
    assert!(
        second.engine.take_lease("matrix", hold).await.unwrap(),
        "no need to wait for the lease to run out"
    );
    assert!(!first.engine.take_lease("matrix", hold).await.unwrap());
}
