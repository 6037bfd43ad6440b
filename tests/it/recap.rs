//! The weekly recap: on the couple's schedule, in the space, with the rating
//! trend and its chart, goal progress, appreciations and a tip — and kind
//! words when the week was quiet.

use chrono::Duration;

use rapport::engine::message::Place;
use rapport::error::UserError;
use rapport::prompts::Key;

use crate::helpers::{person, recording_ports, space_of, spawn_engine, texts_to, utc};
use crate::pairing::pair_ana_and_ben;

/// Words a recap must never use about a couple's week.
const SHAMING: &[&str] = &[
    "fail",
    "missed",
    "streak",
    "broke",
    "only",
    "should have",
    "0 days",
];

#[tokio::test]
async fn the_recap_arrives_on_schedule_with_the_week_in_it() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    pair_ana_and_ben(&t).await;
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);
    let set = t.say(&ana, &direct, "recap weekly sun 18:00").await;
    assert_eq!(set.len(), 2, "ben is asked: {set:#?}");
    assert_eq!(set[1].reply.choices[0].command, "recap accept");
    assert_eq!(t.tick(&ports).await.0.recaps, 0, "nothing runs on one word");
    let agreed = t.say(&ben, &direct, "recap accept").await;
    assert!(
        agreed[0].reply.text.starts_with("Your recap is on"),
        "{agreed:#?}"
    );

    // A week with a check-in, a kept promise and a thank-you.
    t.say(&ben, &direct, "checkin now").await;
    t.say(&ana, &direct, "checkin now").await;
    t.say(&ana, &direct, "checkin answer 6").await;
    t.say(&ben, &direct, "checkin answer 8").await;
    t.say(
        &ana,
        &direct,
        "goal promise Text when I'm running late, twice a week",
    )
    .await;
    t.say(&ana, &direct, "goal log 1").await;
    t.say(&ben, &direct, "goal kept 1").await;
    t.say(&ben, &direct, "appreciate Thank you for the flowers")
        .await;

    t.clock.set(utc(2026, 3, 8, 17, 59));
    let (due, _) = t.tick(&ports).await;
    assert_eq!(due.recaps, 0);
    t.clock.set(utc(2026, 3, 8, 18, 0));
    let (due, _) = t.tick(&ports).await;
    assert_eq!(due.recaps, 1);
    let shown = port.shown();
    let recap = shown
        .iter()
        .find(|d| d.to == space_of("home") && d.key.starts_with("recap:"))
        .expect("the recap is posted in the space");
    let text = &recap.reply.text;
    assert!(!recap.reply.private);
    assert!(
        text.starts_with(&t.text(
            Key::RecapHeader,
            &[("from", "Sun 1 Mar 2026"), ("to", "Sun 8 Mar 2026")]
        )),
        "{text}"
    );
    assert!(
        text.contains(&t.text(Key::RecapCheckins, &[("count", "1")])),
        "{text}"
    );
    assert!(text.contains("Text when I'm running late"), "{text}");
    assert!(text.contains("Thank you for the flowers"), "{text}");
    assert!(text.contains("Tip: "), "{text}");
    let chart = recap.reply.attachment.as_ref().expect("a chart");
    assert_eq!(chart.mime_type, "image/png");
    assert!(chart.bytes.starts_with(b"\x89PNG"));

    // Once per occurrence, then next week's: a quiet week, told kindly.
    t.clock.advance(Duration::hours(1));
    assert_eq!(t.tick(&ports).await.0.recaps, 0);
    t.clock.set(utc(2026, 3, 15, 18, 0));
    assert_eq!(t.tick(&ports).await.0.recaps, 1);
    let quiet = port.shown_to(&space_of("home")).pop().unwrap();
    assert!(
        quiet.contains(&t.text(Key::RecapNoCheckins, &[])),
        "{quiet}"
    );
    assert!(
        quiet.contains(&t.text(Key::RecapNoAppreciations, &[])),
        "{quiet}"
    );
    assert!(quiet.contains("a fresh week ahead"), "{quiet}");
    for word in SHAMING {
        assert!(!quiet.to_lowercase().contains(word), "{word:?} in {quiet}");
    }
}

#[tokio::test]
async fn recap_now_is_private_and_recap_off_stops_it() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    pair_ana_and_ben(&t).await;
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);
    t.assert_refused(&t.say(&ana, &direct, "recap off").await, UserError::NoRecap);
    let none = t.say(&ana, &direct, "recap").await;
    assert_eq!(none[0].reply.text, t.text(Key::RecapStatusNone, &[]));
    let now = t.say(&ben, &direct, "recap now").await;
    assert_eq!(now.len(), 1);
    assert!(now[0].reply.private);
    assert!(
        now[0]
            .reply
            .text
            .contains(&t.text(Key::RecapNoCheckins, &[]))
    );

    t.say(&ana, &direct, "recap daily 20:00").await;
    t.say(&ben, &direct, "recap accept").await;
    let status = t.say(&ben, &direct, "recap").await;
    assert!(
        status[0].reply.text.contains("every day at 20:00"),
        "{}",
        status[0].reply.text
    );
    let off = t.say(&ben, &direct, "recap off").await;
    assert_eq!(
        texts_to(
            &off,
            &rapport::engine::message::Recipient::User(ana.user.clone())
        ),
        [t.text(Key::RecapOffPartner, &[("partner", "ben")])]
    );
    t.clock.set(utc(2026, 3, 3, 20, 0));
    assert_eq!(t.tick(&ports).await.0.recaps, 0);
    assert!(port.shown().is_empty());
    t.assert_refused(
        &t.say(&carl(), &direct, "recap now").await,
        UserError::NotPaired,
    );
}

fn carl() -> rapport::engine::message::Actor {
    person("carl")
}

#[tokio::test]
async fn a_recap_missed_while_down_for_days_is_not_sent_late() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    pair_ana_and_ben(&t).await;
    t.say(&person("ana"), &Place::Direct, "recap weekly sun 18:00")
        .await;
    t.say(&person("ben"), &Place::Direct, "recap accept").await;
    // Down from Sunday 17:00 until Tuesday: the occurrence passed the day.
    t.clock.set(utc(2026, 3, 10, 9, 0));
    assert_eq!(t.tick(&ports).await.0.recaps, 0);
    assert!(port.shown().is_empty());
    let status = t.say(&person("ana"), &Place::Direct, "recap").await;
    assert!(
        status[0].reply.text.contains("Sun 15 Mar"),
        "{}",
        status[0].reply.text
    );
}

#[tokio::test]
async fn an_open_check_in_with_one_answer_counts_without_showing_it() {
    let t = spawn_engine().await;
    pair_ana_and_ben(&t).await;
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);
    t.say(&ben, &direct, "checkin now").await;
    t.say(&ana, &direct, "checkin now").await;
    t.say(&ana, &direct, "checkin answer 6 a secret answer")
        .await;
    let recap = t.say(&ben, &direct, "recap now").await;
    let text = &texts_to(&recap, &rapport::engine::message::Recipient::Requester)[0];
    assert!(
        text.contains(&t.text(Key::RecapCheckinOpen, &[("answered", "1")])),
        "{text}"
    );
    assert!(!text.contains(&t.text(Key::RecapNoCheckins, &[])), "{text}");
    assert!(
        !text.contains("a secret answer"),
        "the answer waits for the reveal"
    );
}
