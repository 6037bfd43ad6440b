//! When check-ins reach people: each partner's own zone in a proposal,
//! quiet hours that hold a question back, and one consistent future after
//! a pause or a skip.

use rapport::clock::Clock;
use rapport::engine::message::{Place, Recipient};
use rapport::error::UserError;
use rapport::prompts::Key;

use crate::helpers::{
    TestEngine, dm, person, recording_ports, scheduled, spawn_engine, texts_to, utc,
};
use crate::pairing::pair_ana_and_ben;

#[tokio::test]
async fn status_shows_the_one_future_a_pause_and_a_skip_leave() {
    let t = spawn_engine().await;
    let (_port, ports) = recording_ports();
    scheduled(&t, "UTC", "daily 20:00").await;
    let ben = person("ben");
    t.say(&ben, &Place::Direct, "checkin pause until 2026-03-05")
        .await;
    // Skipping during a pause skips the first one after it.
    let skipped = t.say(&ben, &Place::Direct, "checkin skip").await;
    assert_eq!(
        texts_to(&skipped, &Recipient::Requester),
        [t.text(
            Key::CheckinSkippedYou,
            &[("next", "Thu 5 Mar, 20:00 (UTC)")]
        )]
    );
    let again = t.say(&ben, &Place::Direct, "checkin skip").await;
    t.assert_refused(&again, UserError::AlreadySkipping);
    let status = t.say(&person("ana"), &Place::Direct, "checkin").await;
    let status = &status[0].reply.text;
    assert!(
        status.contains("Next: Fri 6 Mar, 20:00 (UTC)."),
        "next is past both the pause and the skip: {status}"
    );
    assert!(
        status.contains("Paused until Thu 5 Mar, 00:00 (UTC)"),
        "{status}"
    );
    assert!(
        status.contains("The one on Thu 5 Mar, 20:00 (UTC) will be skipped."),
        "{status}"
    );
    let mut fired_on = Vec::new();
    for day in 2..=7 {
        t.clock.set(utc(2026, 3, day, 20, 0));
        if t.tick(&ports).await.0.fired == 1 {
            fired_on.push(day);
        }
    }
    assert_eq!(fired_on, [6, 7], "the status told the truth");
}

/// ana in Berlin, ben in New York with quiet hours 01:00-05:00, paired.
async fn berlin_and_new_york(t: &TestEngine) {
    let (ana, ben) = (person("ana"), person("ben"));
    t.say(&ana, &Place::Direct, "settings zone Europe/Berlin")
        .await;
    t.say(&ben, &Place::Direct, "settings zone America/New_York")
        .await;
    t.say(&ben, &Place::Direct, "settings quiet 01:00-05:00")
        .await;
    pair_ana_and_ben(t).await;
}

#[tokio::test]
async fn a_proposal_shows_each_partner_their_own_time_and_warns_about_quiet_hours() {
    let t = spawn_engine().await;
    let (ana, ben) = (person("ana"), person("ben"));
    berlin_and_new_york(&t).await;
    let proposed = t
        .say(&ana, &Place::Direct, "checkin schedule daily 08:30")
        .await;
    let to_ana = &texts_to(&proposed, &Recipient::Requester)[0];
    assert!(
        to_ana.contains(
            "The first would be Tue 3 Mar, 08:30 (CET) for you and Tue 3 Mar, 02:30 (EST) for ben. \
             That's inside ben's quiet hours."
        ),
        "{to_ana}"
    );
    let to_ben = &texts_to(&proposed, &Recipient::User(ben.user.clone()))[0];
    assert!(
        to_ben.contains(
            "The first would be Tue 3 Mar, 02:30 (EST) for you and Tue 3 Mar, 08:30 (CET) for ana. \
             That's inside your quiet hours."
        ),
        "{to_ben}"
    );
    assert!(!to_ben.contains("replace"), "nothing runs yet: {to_ben}");
    t.say(&ben, &Place::Direct, "checkin accept").await;
    // A second proposal says what it would replace.
    let again = t
        .say(&ben, &Place::Direct, "checkin schedule weekly sun 19:00")
        .await;
    let to_ana = &texts_to(&again, &Recipient::User(ana.user.clone()))[0];
    assert!(
        to_ana.contains(
            "It would replace your current check-ins (every day at 08:30 (Europe/Berlin)"
        ),
        "{to_ana}"
    );
    assert!(
        to_ana.contains("Mon 9 Mar, 00:00 (CET) for you")
            && to_ana.contains("middle of the night for you"),
        "{to_ana}"
    );
}

#[tokio::test]
async fn a_question_waits_for_the_end_of_each_partners_quiet_hours() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    let (ana, ben) = (person("ana"), person("ben"));
    berlin_and_new_york(&t).await;
    t.say(&ana, &Place::Direct, "checkin schedule daily 08:30")
        .await;
    t.say(&ben, &Place::Direct, "checkin accept").await;
    // 08:30 in Berlin is 02:30 in New York.
    t.clock.set(utc(2026, 3, 3, 7, 30));
    assert_eq!(t.tick(&ports).await.0.fired, 1);
    let asked = |who: &str| {
        port.shown_to(&dm(who))
            .iter()
            .filter(|text| text.starts_with("Check-in time"))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(asked("ana").len(), 1, "ana is awake");
    assert!(
        asked("ben").is_empty(),
        "ben sleeps through his quiet hours"
    );
    t.clock.set(utc(2026, 3, 3, 9, 59));
    t.tick(&ports).await;
    assert!(asked("ben").is_empty(), "still 04:59 in New York");
    t.clock.set(utc(2026, 3, 3, 10, 0));
    t.tick(&ports).await;
    let to_ben = asked("ben");
    assert_eq!(to_ben.len(), 1, "at 05:00 his question arrives");
    // His round stays open as long after his question as it would have.
    let closes = &to_ben[0];
    assert!(closes.contains("Wed 4 Mar, 05:00 (EST)"), "{closes}");
}

#[tokio::test]
async fn pause_reads_days_from_today() {
    let t = spawn_engine().await;
    scheduled(&t, "UTC", "daily 20:00").await;
    let today = t.clock.now().date_naive();
    let paused = t
        .say(&person("ben"), &Place::Direct, "checkin pause 2 weeks")
        .await;
    let until = (today + chrono::Days::new(14))
        .format("%a %-d %b %Y")
        .to_string();
    assert_eq!(
        texts_to(&paused, &Recipient::Requester),
        [t.text(Key::CheckinPausedYou, &[("until", &until)])]
    );
}
