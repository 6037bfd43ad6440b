//! Personal settings: validated time zones and quiet hours, kept private,
//! and the couple's zone following a member's when it can only be theirs.

use rapport::engine::message::Place;
use rapport::error::UserError;
use rapport::prompts::Key;

use crate::helpers::{dm, person, recording_ports, space, spawn_engine, utc};
use crate::pairing::pair_ana_and_ben;

#[tokio::test]
async fn zone_and_quiet_hours_are_saved_and_shown_privately() {
    let t = spawn_engine().await;
    let ana = person("ana");
    let set = t
        .say(&ana, &space("home"), "settings zone america/new_york")
        .await;
    assert!(
        set[0].reply.private,
        "settings replies are private even in a space"
    );
    assert_eq!(
        set[0].reply.text,
        t.text(Key::SettingsZoneSet, &[("zone", "America/New_York")])
    );
    t.say(&ana, &Place::Direct, "settings quiet 22:30-06:45")
        .await;
    let shown = t.say(&ana, &Place::Direct, "settings").await;
    assert_eq!(
        shown[0].reply.text,
        t.text(
            Key::SettingsShow,
            &[("zone", "America/New_York"), ("quiet", "22:30-06:45")]
        )
    );
    let off = t.say(&ana, &Place::Direct, "settings quiet off").await;
    assert_eq!(off[0].reply.text, t.text(Key::SettingsQuietOff, &[]));
    let shown = t.say(&ana, &Place::Direct, "settings").await;
    let not_set = t.text(Key::FormatNotSet, &[]);
    assert_eq!(
        shown[0].reply.text,
        t.text(
            Key::SettingsShow,
            &[("zone", "America/New_York"), ("quiet", &not_set)]
        )
    );
}

#[tokio::test]
async fn zones_and_hours_are_read_the_way_people_type_them() {
    let t = spawn_engine().await;
    let ana = person("ana");
    let said = |text: &str| {
        let t = &t;
        let ana = &ana;
        let text = text.to_owned();
        async move {
            t.say(ana, &Place::Direct, &text).await[0]
                .reply
                .text
                .clone()
        }
    };
    assert_eq!(
        said("settings zone new york").await,
        t.text(Key::SettingsZoneSet, &[("zone", "America/New_York")])
    );
    let fixed = said("settings zone EST").await;
    assert!(
        fixed.starts_with(&t.text(Key::SettingsZoneSet, &[("zone", "EST")]))
            && fixed.contains("settings zone America/New_York"),
        "a fixed offset is taken, with a warning and the zone that follows summer time: {fixed}"
    );
    let berln = said("settings zone Europe/Berln").await;
    assert!(berln.contains("Europe/Berlin"), "{berln}");
    assert_eq!(
        said("settings quiet 10pm-6am").await,
        t.text(Key::SettingsQuietSet, &[("hours", "22:00-06:00")])
    );
}

#[tokio::test]
async fn unset_zone_shows_the_default_and_says_so() {
    let t = spawn_engine().await;
    let shown = t.say(&person("ana"), &Place::Direct, "settings").await;
    let not_set = t.text(Key::FormatNotSet, &[]);
    assert_eq!(
        shown[0].reply.text,
        t.text(
            Key::SettingsShow,
            &[("zone", &format!("UTC ({not_set})")), ("quiet", &not_set)]
        )
    );
}

#[tokio::test]
async fn bad_zone_or_hours_change_nothing() {
    let t = spawn_engine().await;
    let ana = person("ana");
    t.say(&ana, &Place::Direct, "settings zone Europe/Berlin")
        .await;
    t.say(&ana, &Place::Direct, "settings quiet 22:00-07:00")
        .await;
    let before = t.snapshot().await;
    let zone = t
        .say(&ana, &Place::Direct, "settings zone Mars/Olympus")
        .await;
    t.assert_refused(
        &zone,
        UserError::UnknownZone {
            given: "Mars/Olympus".into(),
            suggestions: vec![],
        },
    );
    let suggested = t
        .say(&ana, &Place::Direct, "settings zone Europe/Pariss")
        .await;
    t.assert_refused(
        &suggested,
        UserError::UnknownZone {
            given: "Europe/Pariss".into(),
            suggestions: vec!["Europe/Paris".into()],
        },
    );
    let hours = t
        .say(&ana, &Place::Direct, "settings quiet 23:00-23:00")
        .await;
    t.assert_refused(
        &hours,
        UserError::BadQuietHours {
            given: "23:00-23:00".into(),
        },
    );
    assert_eq!(t.snapshot().await, before);
}

#[tokio::test]
async fn a_couple_without_zones_follows_the_first_member_who_sets_one() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    pair_ana_and_ben(&t).await;
    let (ana, direct) = (person("ana"), Place::Direct);
    // Made on the couple's default zone (UTC): reminded 2026-03-09 09:00 UTC.
    t.say(&ana, &direct, "goal promise Book the trip by 2026-03-10")
        .await;

    let set = t.say(&ana, &direct, "settings zone America/New_York").await;
    assert_eq!(
        set[0].reply.text,
        t.text(Key::SettingsZoneSetShared, &[("zone", "America/New_York")])
    );

    // The reminder moved to 09:00 in New York (EDT, UTC-4) on the day before.
    t.clock.set(utc(2026, 3, 9, 9, 0));
    let (due, _) = t.tick(&ports).await;
    assert_eq!(due.reminded, 0);
    assert_eq!(
        t.engine.next_wake_at().await.unwrap(),
        Some(utc(2026, 3, 9, 13, 0))
    );
    t.clock.set(utc(2026, 3, 9, 13, 0));
    let (due, _) = t.tick(&ports).await;
    assert_eq!(due.reminded, 1);
    assert!(port.shown_to(&dm("ana"))[0].contains("Book the trip"));

    // 22:00 on the 9th in New York is the 10th in UTC: a goal due on the
    // 9th is not in the past for this couple.
    t.clock.set(utc(2026, 3, 10, 2, 0));
    let added = t
        .say(&ana, &direct, "goal promise Water the plants by 2026-03-09")
        .await;
    assert!(
        added[0].reply.text.contains("Water the plants"),
        "{}",
        added[0].reply.text
    );
}

#[tokio::test]
async fn a_partner_with_another_zone_keeps_the_couples_zone() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    pair_ana_and_ben(&t).await;
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);
    let bens = t.say(&ben, &direct, "settings zone Europe/Berlin").await;
    assert_eq!(
        bens[0].reply.text,
        t.text(Key::SettingsZoneSetShared, &[("zone", "Europe/Berlin")])
    );
    let anas = t.say(&ana, &direct, "settings zone America/New_York").await;
    assert_eq!(
        anas[0].reply.text,
        t.text(Key::SettingsZoneSet, &[("zone", "America/New_York")]),
        "the couple's zone is ben's, and he keeps it"
    );

    // Due dates still go by Berlin: 09:00 CET on the day before is 08:00 UTC.
    t.say(&ana, &direct, "goal promise Book the trip by 2026-03-10")
        .await;
    t.clock.set(utc(2026, 3, 9, 8, 0));
    let (due, _) = t.tick(&ports).await;
    assert_eq!(due.reminded, 1);
    assert!(port.shown_to(&dm("ana"))[0].contains("Book the trip"));

    // The couple's zone was ben's own, so it moves with him.
    let moved = t.say(&ben, &direct, "settings zone Asia/Tokyo").await;
    assert_eq!(
        moved[0].reply.text,
        t.text(Key::SettingsZoneSetShared, &[("zone", "Asia/Tokyo")])
    );
    // Once both live by it, one moving away leaves it with the other.
    t.say(&ana, &direct, "settings zone Asia/Tokyo").await;
    let away = t.say(&ben, &direct, "settings zone Europe/Paris").await;
    assert_eq!(
        away[0].reply.text,
        t.text(Key::SettingsZoneSet, &[("zone", "Europe/Paris")])
    );
}
