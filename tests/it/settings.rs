//! Personal settings: validated time zones and quiet hours, kept private.

use rapport::engine::message::Place;
use rapport::error::UserError;
use rapport::prompts::Key;

use crate::helpers::{person, space, spawn_engine};

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
    let suggested = t.say(&ana, &Place::Direct, "settings zone Paris").await;
    t.assert_refused(
        &suggested,
        UserError::UnknownZone {
            given: "Paris".into(),
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
