//! The scheduler and the outbox under failure: downtime, a crash between
//! claim and send, a crash after sending, transient errors with backoff,
//! people who cannot receive direct messages, and the early wake-up.

use std::time::Duration as StdDuration;

use chrono::Duration;

use rapport::delivery::{self, DeliveryError, DeliveryPolicy};
use rapport::domain::CheckinKind;
use rapport::engine::message::Place;
use rapport::scheduler::{self, SchedulerPolicy};
use rapport::store::rounds::{self, NewRound, RoundStatus};

use crate::helpers::{dm, person, recording_ports, scheduled, space_of, spawn_engine, utc};
use crate::pairing::pair_ana_and_ben;

#[tokio::test]
async fn downtime_sends_at_most_one_late_check_in_and_never_a_burst() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    scheduled(&t, "UTC", "daily 20:00").await;
    // Down from before the first occurrence until 22:30 four days later.
    t.clock.set(utc(2026, 3, 5, 22, 30));
    let (due, delivered) = t.tick(&ports).await;
    assert_eq!(
        (due.fired, due.missed),
        (1, 3),
        "03-02..03-04 missed, 03-05 sent late"
    );
    assert_eq!(delivered.sent, 2, "one question each, not a burst");
    // Down again across midnight: yesterday's is recorded as missed.
    t.clock.set(utc(2026, 3, 7, 8, 0));
    let (due, _) = t.tick(&ports).await;
    assert_eq!((due.fired, due.missed), (0, 1));

    assert_eq!(port.shown_to(&dm("ana")).len(), 1);
    // Missed rounds show up in history, honestly.
    let history = t
        .say(&person("ana"), &Place::Direct, "checkin history")
        .await;
    assert!(
        history[0].reply.text.contains("missed while I was offline"),
        "{}",
        history[0].reply.text
    );
}

#[tokio::test]
async fn a_round_is_never_created_twice_for_one_occurrence() {
    let t = spawn_engine().await;
    let (_port, ports) = recording_ports();
    scheduled(&t, "UTC", "daily 20:00").await;
    t.clock.set(utc(2026, 3, 2, 20, 0));
    assert_eq!(t.tick(&ports).await.0.fired, 1);
    assert_eq!(
        t.tick(&ports).await.0.fired,
        0,
        "a second pass finds nothing due"
    );
    // Even a second process racing on the same occurrence gets no round.
    let mut tx = t.engine.store().begin().await.unwrap();
    let round = rounds::open_for_couple(&mut tx, 1)
        .await
        .unwrap()
        .expect("the open round");
    let again = rounds::create(
        &mut tx,
        NewRound {
            couple_id: round.couple_id,
            schedule_id: round.schedule_id,
            occurrence: &round.occurrence,
            status: RoundStatus::Open,
            kind: CheckinKind::Private,
            deck: "mixed",
            question: "duplicate",
            opened_at: round.opened_at,
            closes_at: round.closes_at,
            nudge_at: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(again, None);
}

#[tokio::test]
async fn a_crash_between_claim_and_send_loses_nothing_and_sends_nothing_twice() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    scheduled(&t, "UTC", "daily 20:00").await;
    t.clock.set(utc(2026, 3, 2, 20, 0));
    t.engine.run_due_once().await.unwrap();
    let policy = DeliveryPolicy::default();
    // The worker claims both questions, then dies before sending.
    let claimed = delivery::claim(&t.engine, &ports, &policy).await.unwrap();
    assert_eq!(claimed.len(), 2);
    // A restarted worker leaves them alone while the lease holds…
    let report = delivery::deliver_due_once(&t.engine, &ports, &policy)
        .await
        .unwrap();
    assert_eq!(report.sent, 0);
    // …and sends each exactly once after it runs out.
    t.clock.advance(policy.lease);
    let report = delivery::deliver_due_once(&t.engine, &ports, &policy)
        .await
        .unwrap();
    assert_eq!(report.sent, 2);
    t.clock.advance(Duration::hours(1));
    let report = delivery::deliver_due_once(&t.engine, &ports, &policy)
        .await
        .unwrap();
    assert_eq!(report.sent, 0);
    assert_eq!(port.shown_to(&dm("ana")).len(), 1);
    assert_eq!(port.shown_to(&dm("ben")).len(), 1);
    assert_eq!(port.attempt_count(), 2);
}

#[tokio::test]
async fn a_crash_after_sending_resends_with_the_same_key_and_shows_once() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    scheduled(&t, "UTC", "daily 20:00").await;
    t.clock.set(utc(2026, 3, 2, 20, 0));
    // The first send reaches ana but the confirmation is lost.
    port.script(vec![Err(DeliveryError::Transient(
        "connection reset after send".into(),
    ))]);
    let (_, report) = t.tick(&ports).await;
    assert_eq!((report.sent, report.retried), (1, 1));
    t.clock.advance(DeliveryPolicy::default().backoff(1));
    let (_, report) = t.tick(&ports).await;
    assert_eq!(report.sent, 1);
    let attempts = port.attempts.lock().unwrap().clone();
    assert_eq!(attempts.len(), 3);
    assert_eq!(
        attempts[0].key, attempts[2].key,
        "the retry carries the same idempotency key"
    );
    assert_eq!(port.shown_to(&dm("ana")).len(), 1, "and is shown once");
}

#[tokio::test]
async fn transient_failures_back_off_then_succeed() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    pair_ana_and_ben(&t).await;
    t.say(&person("ana"), &crate::helpers::space("home"), "pair here")
        .await;
    t.say(
        &person("ana"),
        &Place::Direct,
        "checkin schedule daily 20:00 shared",
    )
    .await;
    t.say(&person("ben"), &Place::Direct, "checkin accept")
        .await;
    t.clock.set(utc(2026, 3, 2, 20, 0));
    let down = || Err(DeliveryError::Transient("rate limited".into()));
    // The space's question fails twice; the private notes to answer in go
    // through at once.
    port.script(vec![down(), Ok(()), Ok(()), down()]);
    let (_, report) = t.tick(&ports).await;
    assert_eq!((report.retried, report.sent), (1, 2));
    let policy = DeliveryPolicy::default();
    t.clock.advance(policy.backoff(1) - Duration::seconds(1));
    assert_eq!(
        t.tick(&ports).await.1,
        Default::default(),
        "not before the backoff"
    );
    t.clock.advance(Duration::seconds(1));
    assert_eq!(t.tick(&ports).await.1.retried, 1);
    t.clock.advance(policy.backoff(2));
    assert_eq!(t.tick(&ports).await.1.sent, 1);
    assert_eq!(port.shown_to(&space_of("home")).len(), 1);
}

#[tokio::test]
async fn someone_who_cannot_get_private_messages_is_reported_to_the_space_once() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    scheduled(&t, "UTC", "daily 20:00").await;
    t.say(&person("ana"), &crate::helpers::space("home"), "pair here")
        .await;
    let closed = || {
        Err(DeliveryError::Unreachable(
            "50007: cannot send messages to this user".into(),
        ))
    };
    for day in 2..=3 {
        t.clock.set(utc(2026, 3, day, 20, 0));
        // Questions go out in key order: ana's first, then ben's.
        port.script(vec![Ok(()), closed()]);
        let (_, report) = t.tick(&ports).await;
        assert_eq!(report.failed, 1, "day {day}");
        t.tick(&ports).await; // delivers the notice, if any
    }
    let notices = port.shown_to(&space_of("home"));
    let notices: Vec<_> = notices
        .iter()
        .filter(|text| text.contains("couldn't send"))
        .collect();
    assert_eq!(notices.len(), 1, "told once: {notices:?}");
    assert!(notices[0].contains("ben"));
}

#[tokio::test]
async fn a_schedule_change_wakes_the_scheduler_and_passes_sleep_until_the_next_due_time() {
    let t = spawn_engine().await;
    let (_port, ports) = recording_ports();
    pair_ana_and_ben(&t).await;
    t.say(
        &person("ana"),
        &Place::Direct,
        "checkin schedule daily 20:00",
    )
    .await;
    // Drain the permit the proposal left, then accept and expect a wake-up.
    let _ = tokio::time::timeout(StdDuration::ZERO, t.engine.schedule_changed().notified()).await;
    t.say(&person("ben"), &Place::Direct, "checkin accept")
        .await;
    tokio::time::timeout(StdDuration::ZERO, t.engine.schedule_changed().notified())
        .await
        .expect("accepting a schedule wakes the scheduler");
    // Now is 09:00; the first check-in is due at 20:00, beyond max_sleep.
    let policy = SchedulerPolicy {
        max_sleep: StdDuration::from_secs(12 * 3600),
        ..SchedulerPolicy::default()
    };
    assert_eq!(
        scheduler::pass(&t.engine, &ports, &policy).await,
        StdDuration::from_secs(11 * 3600)
    );
    let short = SchedulerPolicy::default();
    assert_eq!(
        scheduler::pass(&t.engine, &ports, &short).await,
        short.max_sleep
    );
}
