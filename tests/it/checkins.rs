//! Check-ins end to end through the engine and the scheduler, with a manual
//! clock: consent to a schedule, private answers, the reveal, closing,
//! nudges and quiet hours, pause/skip/stop, leaving, history, and DST.

use chrono::Duration;

use rapport::engine::message::{Place, Recipient};
use rapport::error::UserError;
use rapport::prompts::Key;

use crate::helpers::{
    dm, person, recording_ports, scheduled, space, space_of, spawn_engine, texts_to, utc,
};
use crate::pairing::pair_ana_and_ben;

#[tokio::test]
async fn a_schedule_runs_only_after_the_partner_accepts() {
    let t = spawn_engine().await;
    let (_port, ports) = recording_ports();
    t.say(
        &person("ana"),
        &Place::Direct,
        "settings zone Europe/Berlin",
    )
    .await;
    pair_ana_and_ben(&t).await;
    let proposed = t
        .say(
            &person("ana"),
            &Place::Direct,
            "checkin schedule daily 21:00",
        )
        .await;
    let to_ben = &proposed[1];
    assert_eq!(to_ben.to, Recipient::User(person("ben").user));
    assert_eq!(to_ben.reply.choices[0].command, "checkin accept");
    // A week passes: nothing fires for a mere proposal.
    t.clock.advance(Duration::days(7));
    assert_eq!(t.tick(&ports).await.0.fired, 0);
    // ana cannot accept her own proposal.
    let own = t
        .say(&person("ana"), &Place::Direct, "checkin accept")
        .await;
    t.assert_refused(&own, UserError::ProposalIsYours);
    let declined = t
        .say(&person("ben"), &Place::Direct, "checkin decline")
        .await;
    assert_eq!(
        texts_to(&declined, &Recipient::User(person("ana").user)),
        [t.text(Key::CheckinDeclinedByPartner, &[("partner", "ben")])]
    );
    let none = t
        .say(&person("ben"), &Place::Direct, "checkin accept")
        .await;
    t.assert_refused(&none, UserError::NoProposal);
    t.clock.advance(Duration::days(2));
    assert_eq!(t.tick(&ports).await.0.fired, 0);
}

#[tokio::test]
async fn a_round_asks_privately_and_reveals_only_when_both_answered() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    scheduled(&t, "Europe/Berlin", "weekly sun 19:00").await;
    // Sunday 2026-03-08 19:00 in Berlin is 18:00 UTC.
    t.clock.set(utc(2026, 3, 8, 17, 59));
    assert_eq!(t.tick(&ports).await.0.fired, 0, "not a minute early");
    t.clock.set(utc(2026, 3, 8, 18, 0));
    let (due, delivered) = t.tick(&ports).await;
    assert_eq!((due.fired, delivered.sent), (1, 2));
    let asked = port.shown_to(&dm("ana"));
    assert_eq!(asked.len(), 1);
    assert!(asked[0].starts_with("Check-in time."), "{}", asked[0]);
    let choices = &port.shown()[0].reply.choices;
    assert_eq!(choices.len(), 10);
    // Each button names its round, so a late press cannot answer another.
    assert!(
        choices[6].command.starts_with("checkin answer round:")
            && choices[6].command.ends_with(" 7"),
        "{}",
        choices[6].command
    );
    assert!(
        port.shown_to(&space_of("home")).is_empty(),
        "private kind asks nobody in the space"
    );

    let first = t
        .say(
            &person("ana"),
            &Place::Direct,
            "checkin answer 8 I felt close when we cooked",
        )
        .await;
    assert_eq!(
        first.len(),
        1,
        "nothing reaches ben or the space yet: {first:#?}"
    );
    assert_eq!(
        first[0].reply.text,
        t.text(Key::CheckinAnswerWaiting, &[("partner", "ben")])
    );
    let status = t.say(&person("ben"), &Place::Direct, "checkin").await;
    assert!(
        !status[0].reply.text.contains("cooked"),
        "ana's answer stays private"
    );

    let second = t
        .say(&person("ben"), &Place::Direct, "checkin answer 6")
        .await;
    let reveal = texts_to(
        &second,
        &Recipient::Space(rapport::domain::SpaceRef::new(
            rapport::domain::Platform::Console,
            "home",
        )),
    );
    assert_eq!(reveal.len(), 1, "{second:#?}");
    let ana_line = t.text(
        Key::CheckinRevealLine,
        &[
            ("name", "ana"),
            ("rating", "8"),
            ("answer", "I felt close when we cooked"),
        ],
    );
    let ben_line = t.text(
        Key::CheckinRevealLineRatingOnly,
        &[("name", "ben"), ("rating", "6")],
    );
    assert!(
        reveal[0].contains(&ana_line) && reveal[0].contains(&ben_line),
        "{}",
        reveal[0]
    );
    assert!(
        reveal[0].contains("Before you respond"),
        "a listening tip: {}",
        reveal[0]
    );
    let late = t
        .say(&person("ana"), &Place::Direct, "checkin answer 9")
        .await;
    t.assert_refused(&late, UserError::NoOpenRound);

    // The next week's round fires at 19:00 again, and only then.
    t.clock.set(utc(2026, 3, 15, 18, 0));
    assert_eq!(t.tick(&ports).await.0.fired, 1);
}

#[tokio::test]
async fn a_shared_check_in_asks_in_the_space() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    scheduled(&t, "UTC", "daily 20:00 shared").await;
    t.clock.set(utc(2026, 3, 2, 20, 0));
    let (_, delivered) = t.tick(&ports).await;
    assert_eq!(
        delivered.sent, 3,
        "the question, and a note to answer in for each"
    );
    let asked = port.shown_to(&space_of("home"));
    assert!(
        asked[0].starts_with("Check-in time for the two of you"),
        "{asked:?}"
    );
    let in_space = port
        .shown()
        .into_iter()
        .find(|d| d.to == space_of("home"))
        .unwrap();
    assert!(!in_space.reply.private);
    assert!(
        in_space.reply.choices.is_empty(),
        "no rating can be picked in view"
    );
    for name in ["ana", "ben"] {
        let note = port
            .shown()
            .into_iter()
            .find(|d| d.to == dm(name))
            .expect("a private note");
        assert_eq!(note.reply.choices.len(), 10, "{name} rates privately");
    }
    // An answer typed in the space is refused and saves nothing.
    let typed = t
        .say(&person("ana"), &space("home"), "checkin answer 7")
        .await;
    t.assert_refused(&typed, UserError::AnswerPrivateOnly);
}

#[tokio::test]
async fn a_round_closes_with_whatever_exists_and_a_kind_note() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    scheduled(&t, "UTC", "daily 20:00").await;
    t.clock.set(utc(2026, 3, 2, 20, 0));
    t.tick(&ports).await;
    t.say(
        &person("ana"),
        &Place::Direct,
        "checkin answer 7 Busy week, but good",
    )
    .await;
    t.clock.set(utc(2026, 3, 3, 20, 0));
    let (due, _) = t.tick(&ports).await;
    assert_eq!(
        (due.closed, due.fired),
        (1, 1),
        "yesterday's closes as today's opens"
    );
    let closing = port.shown_to(&space_of("home"));
    assert_eq!(closing.len(), 1);
    assert!(closing[0].contains("Busy week, but good"));
    assert!(closing[0].contains(&t.text(Key::CheckinClosedPartial, &[("missing", "ben")])));
    assert!(
        closing[0].starts_with("The check-in on “") && !closing[0].contains("both"),
        "a close with one answer does not say both answered: {}",
        closing[0]
    );
    // Nobody answers the second: it closes with the no-answers note.
    t.clock.set(utc(2026, 3, 4, 19, 59));
    assert_eq!(t.tick(&ports).await.0.closed, 0, "open until its deadline");
    t.clock.set(utc(2026, 3, 4, 20, 0));
    assert_eq!(t.tick(&ports).await.0.closed, 1);

    let closing = port.shown_to(&space_of("home"));
    assert_eq!(closing.len(), 2);
    assert!(closing[1].contains(t.text(Key::CheckinClosedNone, &[]).as_str()));
}

#[tokio::test]
async fn one_nudge_per_partner_and_never_in_quiet_hours() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    scheduled(&t, "UTC", "daily 20:00").await;
    t.say(&person("ben"), &Place::Direct, "settings quiet 22:00-07:00")
        .await;
    t.clock.set(utc(2026, 3, 2, 20, 0));
    t.tick(&ports).await;
    t.say(&person("ana"), &Place::Direct, "checkin answer 7")
        .await;
    // 6 hours later it is 02:00: ben is in quiet hours, ana has answered.
    t.clock.set(utc(2026, 3, 3, 2, 0));
    let (due, _) = t.tick(&ports).await;
    assert_eq!(due.nudged, 0);
    t.clock.set(utc(2026, 3, 3, 6, 59));
    assert_eq!(t.tick(&ports).await.0.nudged, 0);
    t.clock.set(utc(2026, 3, 3, 7, 0));
    assert_eq!(t.tick(&ports).await.0.nudged, 1);
    let nudges: Vec<String> = port
        .shown_to(&dm("ben"))
        .into_iter()
        .filter(|text| text.starts_with("A gentle reminder"))
        .collect();
    assert_eq!(nudges.len(), 1);
    assert!(
        port.shown_to(&dm("ana"))
            .iter()
            .all(|text| !text.starts_with("A gentle reminder"))
    );
    t.clock.set(utc(2026, 3, 3, 12, 0));
    assert_eq!(t.tick(&ports).await.0.nudged, 0, "only one nudge");
}

#[tokio::test]
async fn pause_skip_and_stop_advance_without_piling_up() {
    let t = spawn_engine().await;
    let (_port, ports) = recording_ports();
    scheduled(&t, "UTC", "daily 20:00").await;
    // Nothing is paused yet: resuming tells nobody anything; a pause until
    // a day gone by says so.
    let before = t.snapshot().await;
    let resumed = t
        .say(&person("ben"), &Place::Direct, "checkin resume")
        .await;
    t.assert_refused(&resumed, UserError::NotPaused);
    let past = t
        .say(&person("ben"), &Place::Direct, "checkin pause 2026-02-01")
        .await;
    t.assert_refused(
        &past,
        UserError::DateHasPassed {
            given: "2026-02-01".into(),
        },
    );
    assert_eq!(t.snapshot().await, before, "nothing changed or was queued");
    let paused = t
        .say(
            &person("ben"),
            &Place::Direct,
            "checkin pause until 2026-03-05",
        )
        .await;
    assert_eq!(
        texts_to(&paused, &Recipient::User(person("ana").user)),
        [t.text(
            Key::CheckinPaused,
            &[("until", "Thu 5 Mar 2026"), ("partner", "ben")]
        )]
    );
    assert_eq!(
        texts_to(&paused, &Recipient::Requester),
        [t.text(Key::CheckinPausedYou, &[("until", "Thu 5 Mar 2026")])],
        "ben is told what he did, in the second person"
    );
    // While paused, a check-in now needs the partner's yes again.
    let now = t.say(&person("ana"), &Place::Direct, "checkin now").await;
    assert_eq!(
        texts_to(&now, &Recipient::Requester),
        [t.text(Key::CheckinNowAsked, &[("partner", "ben")])]
    );
    for day in 2..=4 {
        t.clock.set(utc(2026, 3, day, 20, 0));
        let (due, _) = t.tick(&ports).await;
        assert_eq!((due.fired, due.paused), (0, 1), "day {day}");
    }
    t.clock.set(utc(2026, 3, 5, 20, 0));
    assert_eq!(
        t.tick(&ports).await.0.fired,
        1,
        "exactly one after the pause, no pile-up"
    );
    t.say(&person("ana"), &Place::Direct, "checkin skip").await;
    t.clock.set(utc(2026, 3, 6, 20, 0));
    let (due, _) = t.tick(&ports).await;
    assert_eq!((due.fired, due.skipped), (0, 1));
    t.clock.set(utc(2026, 3, 7, 20, 0));
    assert_eq!(
        t.tick(&ports).await.0.fired,
        1,
        "only the next one was skipped"
    );
    t.say(&person("ben"), &Place::Direct, "checkin stop").await;
    t.clock.set(utc(2026, 3, 9, 20, 0));
    assert_eq!(t.tick(&ports).await.0.fired, 0);
    let gone = t.say(&person("ben"), &Place::Direct, "checkin skip").await;
    t.assert_refused(&gone, UserError::NoSchedule);
}

#[tokio::test]
async fn leaving_stops_every_schedule_and_queued_message_at_once() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    scheduled(&t, "UTC", "daily 20:00").await;
    t.clock.set(utc(2026, 3, 2, 20, 0));
    t.engine.run_due_once().await.unwrap(); // questions queued, not yet delivered
    t.say(&person("ben"), &Place::Direct, "pair leave confirm")
        .await;
    let (_, delivered) = t.tick(&ports).await;
    assert_eq!(
        delivered.sent, 0,
        "nothing more is sent to a couple that ended"
    );
    for day in 3..10 {
        t.clock.set(utc(2026, 3, day, 20, 0));
        assert_eq!(t.tick(&ports).await.0.fired, 0);
    }
    assert!(port.shown().is_empty());
}

#[tokio::test]
async fn checkin_now_and_bad_input_change_nothing() {
    let t = spawn_engine().await;
    pair_ana_and_ben(&t).await;
    // Without a schedule, a check-in now needs both: ana asks, ben agrees.
    let asked = t.say(&person("ana"), &Place::Direct, "checkin now").await;
    assert_eq!(
        asked[1].reply.choices[0].command, "checkin now",
        "{asked:#?}"
    );
    let started = t.say(&person("ben"), &Place::Direct, "checkin now").await;
    assert_eq!(
        started.len(),
        3,
        "a note to ben and the question to each: {started:#?}"
    );
    let before = t.snapshot().await;
    let again = t.say(&person("ana"), &Place::Direct, "checkin now").await;
    t.assert_refused(&again, UserError::RoundAlreadyOpen);
    let cases = [
        (
            "checkin schedule hourly",
            UserError::BadSchedule {
                given: "hourly".into(),
            },
        ),
        (
            "checkin schedule cron */10 * * * *",
            UserError::ScheduleTooFrequent,
        ),
        (
            "checkin answer 12",
            UserError::BadRating { given: "12".into() },
        ),
        ("checkin pause 2020-01-01", UserError::NoSchedule),
        ("checkin decline", UserError::NoProposal),
    ];
    for (text, error) in cases {
        let refused = t.say(&person("ana"), &Place::Direct, text).await;
        t.assert_refused(&refused, error);
    }
    let theme = t
        .say(
            &person("ana"),
            &Place::Direct,
            "checkin schedule daily 20:00 theme cooking",
        )
        .await;
    assert!(
        theme[0].reply.text.contains("communication"),
        "lists themes: {}",
        theme[0].reply.text
    );
    let stranger = t
        .say(&person("carl"), &space("home"), "checkin answer 5 hello")
        .await;
    t.assert_refused(&stranger, UserError::NotYourCouple);
    assert_eq!(t.snapshot().await, before);
}

#[tokio::test]
async fn questions_do_not_repeat_until_the_deck_is_used_up() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    scheduled(&t, "UTC", "daily 20:00 theme fun").await;
    let deck = t.engine.catalog().list("decks.fun").unwrap().to_vec();
    let mut asked = Vec::new();
    for day in 0..deck.len() + 1 {
        t.clock
            .set(utc(2026, 3, 2, 20, 0) + Duration::days(day as i64));
        t.tick(&ports).await;
        let texts = port.shown_to(&dm("ana"));
        let last = texts
            .iter()
            .rev()
            .find(|text| text.starts_with("Check-in time."))
            .unwrap();
        let question = deck
            .iter()
            .find(|q| last.contains(q.as_str()))
            .expect("a fun question");
        asked.push(question.clone());
    }
    let first_pass: std::collections::HashSet<_> = asked[..deck.len()].iter().collect();
    assert_eq!(
        first_pass.len(),
        deck.len(),
        "every question once before any repeat"
    );
}

#[tokio::test]
async fn weekly_check_ins_keep_their_local_time_across_dst() {
    let t = spawn_engine().await;
    let (_port, ports) = recording_ports();
    scheduled(&t, "America/New_York", "weekly sun 19:00").await;
    // 19:00 EST = 00:00 UTC Monday (2026-03-02 is a Monday, so the first
    // Sunday is 03-08, the day New York springs forward: 19:00 EDT = 23:00 UTC).
    t.clock.set(utc(2026, 3, 8, 22, 59));
    assert_eq!(t.tick(&ports).await.0.fired, 0);
    t.clock.set(utc(2026, 3, 8, 23, 0));
    assert_eq!(t.tick(&ports).await.0.fired, 1);
    // Through November's fall back: 19:00 EST = 00:00 UTC the next day.
    t.clock.set(utc(2026, 11, 1, 23, 30));
    let (due, _) = t.tick(&ports).await;
    assert_eq!(
        due.fired, 0,
        "the long downtime since March is never a burst"
    );
    t.clock.set(utc(2026, 11, 2, 0, 0));
    assert_eq!(t.tick(&ports).await.0.fired, 1);
}

#[tokio::test]
async fn history_shows_ratings_trend_and_a_chart() {
    let t = spawn_engine().await;
    let (_port, ports) = recording_ports();
    scheduled(&t, "UTC", "daily 20:00").await;
    let empty = t
        .say(&person("ana"), &Place::Direct, "checkin history")
        .await;
    assert_eq!(empty[0].reply.text, t.text(Key::CheckinHistoryEmpty, &[]));
    for (day, (a, b)) in [(2, (4, 5)), (3, (5, 5)), (4, (7, 8)), (5, (8, 9))] {
        t.clock.set(utc(2026, 3, day, 20, 0));
        t.tick(&ports).await;
        t.say(
            &person("ana"),
            &Place::Direct,
            &format!("checkin answer {a}"),
        )
        .await;
        t.say(
            &person("ben"),
            &Place::Direct,
            &format!("checkin answer {b}"),
        )
        .await;
    }
    let history = t
        .say(&person("ben"), &Place::Direct, "checkin history")
        .await;
    let reply = &history[0].reply;
    assert!(reply.private);
    assert!(reply.text.contains("ana 8 · ben 9"), "{}", reply.text);
    assert!(
        reply
            .text
            .contains(t.text(Key::CheckinTrendRising, &[]).as_str()),
        "{}",
        reply.text
    );
    let chart = reply.attachment.as_ref().expect("a chart");
    assert_eq!(chart.mime_type, "image/png");
    assert_eq!(&chart.bytes[..4], b"\x89PNG");
}

#[tokio::test]
async fn a_schedule_runs_in_the_proposers_zone_even_if_the_couple_started_in_utc() {
    let t = spawn_engine().await;
    let (_port, ports) = recording_ports();
    pair_ana_and_ben(&t).await; // nobody had a zone: the couple's is UTC
    t.say(&person("ben"), &Place::Direct, "settings zone Asia/Tokyo")
        .await;
    let proposed = t
        .say(
            &person("ben"),
            &Place::Direct,
            "checkin schedule daily 08:00",
        )
        .await;
    assert!(
        proposed[1].reply.text.contains("Asia/Tokyo"),
        "the partner sees the zone"
    );
    t.say(&person("ana"), &Place::Direct, "checkin accept")
        .await;
    // 08:00 in Tokyo is 23:00 UTC the day before.
    t.clock.set(utc(2026, 3, 2, 22, 59));
    assert_eq!(t.tick(&ports).await.0.fired, 0);
    t.clock.set(utc(2026, 3, 2, 23, 0));
    assert_eq!(t.tick(&ports).await.0.fired, 1);
}
