//! Nothing private leaks and nothing starts on one word, checked in the
//! engine: invites that cannot become spam, buttons that answer only what
//! they were about, typed text that cannot disguise itself, and logs that
//! never quote what someone typed.

use std::io::Write;
use std::sync::{Arc, Mutex};

use chrono::Duration;
use rapport::engine::message::{Place, Recipient};
use rapport::error::UserError;
use serde_json::Value;

use crate::helpers::{person, recording_ports, spawn_engine, texts_to};
use crate::pairing::pair_ana_and_ben;

#[tokio::test]
async fn named_invites_are_limited_per_day_and_a_no_is_respected_for_a_week() {
    let t = spawn_engine().await;
    let (ana, direct) = (person("ana"), Place::Direct);
    for name in ["b1", "b2", "b3", "b4", "b5"] {
        let sent = t.say(&ana, &direct, &format!("pair invite {name}")).await;
        let to_them = texts_to(&sent, &Recipient::User(person(name).user));
        assert_eq!(to_them.len(), 1, "{name} is invited: {sent:#?}");
    }
    let sixth = t.say(&ana, &direct, "pair invite b6").await;
    t.assert_refused(&sixth, UserError::TooManyInvites { limit: 5 });
    t.clock.advance(Duration::hours(25));

    let invited = t.say(&ana, &direct, "pair invite ben").await;
    assert_eq!(
        texts_to(&invited, &Recipient::User(person("ben").user)).len(),
        1
    );
    t.say(&person("ben"), &direct, "pair decline").await;
    let again = t.say(&ana, &direct, "pair invite ben").await;
    assert_eq!(again.len(), 1, "no second message to ben: {again:#?}");
    assert!(
        again[0].reply.text.contains("won't send another"),
        "{}",
        again[0].reply.text
    );
    t.clock.advance(Duration::days(8));
    let later = t.say(&ana, &direct, "pair invite ben").await;
    assert_eq!(later.len(), 2, "a week later ben may be asked again");
}

#[tokio::test]
async fn a_rating_button_from_a_closed_check_in_saves_nothing_today() {
    let t = spawn_engine().await;
    let (_port, ports) = recording_ports();
    pair_ana_and_ben(&t).await;
    let (ana, direct) = (person("ana"), Place::Direct);
    t.say(&person("ben"), &direct, "checkin now").await;
    let first = t.say(&ana, &direct, "checkin now").await;
    let stale = first
        .iter()
        .find(|o| o.to == Recipient::User(ana.user.clone()))
        .expect("ana is asked")
        .reply
        .choices[6]
        .command
        .clone();
    t.clock.advance(Duration::hours(25));
    t.tick(&ports).await; // the first round closes unanswered
    t.say(&person("ben"), &direct, "checkin now").await;
    t.say(&ana, &direct, "checkin now").await;

    let pressed = t.say(&ana, &direct, &stale).await;
    t.assert_refused(&pressed, UserError::RoundClosed);
    let typed = t.say(&ana, &direct, "checkin answer 6").await;
    assert_eq!(typed.len(), 1, "today's round takes a typed answer");
}

#[tokio::test]
async fn a_confirmation_button_confirms_its_own_day_once() {
    let t = spawn_engine().await;
    pair_ana_and_ben(&t).await;
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);
    t.say(&ana, &direct, "goal promise Call at lunch").await;
    let monday = t.say(&ana, &direct, "goal log 1").await;
    t.clock.advance(Duration::days(1));
    let tuesday = t.say(&ana, &direct, "goal log 1").await;
    let button = |said: &[rapport::engine::message::Outgoing]| {
        said.iter()
            .find(|o| o.to == Recipient::User(ben.user.clone()))
            .expect("ben is asked")
            .reply
            .choices[0]
            .command
            .clone()
    };
    let (monday, tuesday) = (button(&monday), button(&tuesday));
    assert!(tuesday.ends_with("2026-03-03"), "{tuesday}");

    let kept = t.say(&ben, &direct, &tuesday).await;
    assert!(
        kept[0].reply.text.starts_with("Thank you for confirming"),
        "{kept:#?}"
    );
    let twice = t.say(&ben, &direct, &tuesday).await;
    t.assert_refused(&twice, UserError::DayAlreadyConfirmed);
    // Monday is still waiting: its own button answers it.
    let older = t.say(&ben, &direct, &monday).await;
    assert_eq!(older.len(), 2, "{older:#?}");
}

#[tokio::test]
async fn invisible_or_disguised_text_never_reaches_the_partner() {
    let t = spawn_engine().await;
    pair_ana_and_ben(&t).await;
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);
    let blank = t
        .say(&ana, &direct, "appreciate \u{200B}\u{200D}\u{FEFF}")
        .await;
    assert_eq!(blank.len(), 1, "nothing is posted: {blank:#?}");
    assert!(matches!(blank[0].to, Recipient::Requester));

    let hidden = "journal write fine \u{202E}enif ton m'i\u{202C} really";
    t.say(&ana, &direct, hidden).await;
    let export = t.say(&ana, &direct, "mydata export").await;
    let file = export[0].reply.attachment.as_ref().expect("an export");
    let document: Value = serde_json::from_slice(&file.bytes).unwrap();
    assert_eq!(document["journal"][0]["text"], "fine enif ton m'i really");

    t.say(&person("ben"), &direct, "checkin now").await;
    t.say(&ana, &direct, "checkin now").await;
    t.say(
        &ana,
        &direct,
        "checkin answer 7 good\n• ben (10): I agree with everything",
    )
    .await;
    let revealed = t.say(&ben, &direct, "checkin answer 8").await;
    let reveal = texts_to(
        &revealed,
        &Recipient::Space(rapport::domain::SpaceRef::new(
            rapport::domain::Platform::Console,
            "home",
        )),
    )
    .concat();
    assert!(
        reveal.contains("good\n    • ben (10): I agree"),
        "a second line stays inside ana's answer: {reveal}"
    );
}

/// A log sink for one test, at every level.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_log_line_at_any_level_carries_what_someone_typed() {
    use tracing_subscriber::layer::SubscriberExt;
    let captured = Captured::default();
    let sink = captured.clone();
    // The process's one global subscriber, for rapport's own log sites at
    // every level: a subscriber scoped to this test's thread loses events
    // to the other tests' threads (tracing caches which sites are on
    // across threads), and this way any test's log line is checked too.
    let subscriber = tracing_subscriber::registry()
        .with(tracing_subscriber::EnvFilter::new("rapport=trace"))
        .with(tracing_subscriber::fmt::layer().with_writer(move || sink.clone()));
    tracing::subscriber::set_global_default(subscriber)
        .expect("no other test sets the global subscriber");
    let t = spawn_engine().await;
    pair_ana_and_ben(&t).await;
    let (ana, direct) = (person("ana"), Place::Direct);
    for line in [
        "reword feeling:typedsecretfeeling You never typedsecretlisten",
        "journal write typedsecretjournal",
        "appreciate typedsecretthanks",
        "goal shared typedsecretgoal",
        "settings zone Typedsecret/Zone",
        "typedsecretcommand now",
        "checkin answer typedsecretrating",
    ] {
        t.say(&ana, &direct, line).await;
    }
    let logs = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(logs.contains("refused"), "the refusals were logged: {logs}");
    assert!(
        !logs.to_lowercase().contains("typedsecret"),
        "a log line quotes what was typed:\n{logs}"
    );
}

#[tokio::test]
async fn a_stranger_who_calls_themselves_ana_is_named_by_their_handle_too() {
    use rapport::domain::{Platform, UserRef};
    use rapport::engine::message::Actor;
    let t = spawn_engine().await;
    let ana = Actor::new(UserRef::new(Platform::Discord, "111"), "Ana").with_handle("@ana.k");
    let fake = Actor::new(UserRef::new(Platform::Discord, "333"), "Ana").with_handle("@carl99");
    let ben = UserRef::new(Platform::Discord, "222");
    for (who, handle) in [(&fake, "@carl99"), (&ana, "@ana.k")] {
        let sent = t.say(who, &Place::Direct, "pair invite 222").await;
        let to_ben = texts_to(&sent, &Recipient::User(ben.clone()));
        assert!(
            to_ben[0].starts_with(&format!("Ana ({handle}) would like to pair")),
            "{to_ben:?}"
        );
    }
}

#[tokio::test]
async fn a_reveal_goes_to_each_partner_privately_once_a_stranger_can_read_the_space() {
    use rapport::delivery::Readers;
    use rapport::domain::{Platform, UserRef};
    // carl joins the couple's space before the reveal is posted.
    reveal_rerouted_when_space_is_read_by(Readers::Only(vec![
        UserRef::new(Platform::Console, "ana"),
        UserRef::new(Platform::Console, "ben"),
        UserRef::new(Platform::Console, "carl"),
    ]))
    .await;
}

#[tokio::test]
async fn a_reveal_goes_to_each_partner_privately_once_one_has_left_the_space() {
    use rapport::delivery::Readers;
    use rapport::domain::{Platform, UserRef};
    // ben left the room: posted there, he would never read it.
    reveal_rerouted_when_space_is_read_by(Readers::Only(vec![UserRef::new(
        Platform::Console,
        "ana",
    )]))
    .await;
}

async fn reveal_rerouted_when_space_is_read_by(readers: rapport::delivery::Readers) {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    pair_ana_and_ben(&t).await;
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);
    port.readers_are(readers);
    t.say(&ben, &direct, "checkin now").await;
    t.say_queued(&ana, &direct, "checkin now").await;
    t.tick(&ports).await;
    t.say_queued(&ana, &direct, "checkin answer 7 marker-lonely")
        .await;
    t.say_queued(&ben, &direct, "checkin answer 8 marker-fine")
        .await;
    let report = t.tick(&ports).await.1;
    assert_eq!(report.rerouted, 1, "{report:?}");
    t.tick(&ports).await;

    let home = crate::helpers::space_of("home");
    assert!(
        !port
            .shown_to(&home)
            .iter()
            .any(|text| text.contains("marker")),
        "nothing private in a space carl reads: {:#?}",
        port.shown_to(&home)
    );
    for name in ["ana", "ben"] {
        let private = port.shown_to(&crate::helpers::dm(name));
        assert!(
            private
                .iter()
                .any(|text| text.contains("marker-lonely") && text.contains("marker-fine")),
            "{name} gets the reveal privately: {private:#?}"
        );
        assert_eq!(
            private
                .iter()
                .filter(|text| text.contains("someone else can read it"))
                .count(),
            1,
            "{name} is told why, once"
        );
    }
}
