//! A couple's history after `pair leave`: said at leave, kept 30 days, and
//! brought back when the same two pair again only if both say yes; erased
//! once its time is up.

use chrono::Duration;

use rapport::engine::message::{Outgoing, Place, Recipient};
use rapport::error::UserError;
use rapport::prompts::Key;

use crate::helpers::{TestEngine, person, recording_ports, spawn_engine, texts_to};
use crate::pairing::pair_ana_and_ben;

fn to(name: &str) -> Recipient {
    Recipient::User(person(name).user)
}

/// A couple with something of everything: a running promise, a goal
/// nobody accepted, an agreement, an answered check-in and a thank-you.
async fn a_shared_past(t: &TestEngine) {
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);
    pair_ana_and_ben(t).await;
    t.say(&ana, &direct, "goal promise history-marker-promise, daily")
        .await;
    t.say(&ana, &direct, "goal shared never-accepted-goal")
        .await;
    t.say(&ana, &direct, "goal promise book-the-trip by 2026-04-20")
        .await;
    t.say(&ben, &direct, "agree add history-marker-agreement")
        .await;
    t.say(&ana, &direct, "agree accept 1").await;
    t.say(&ben, &direct, "checkin now").await;
    t.say(&ana, &direct, "checkin now").await;
    t.say(&ana, &direct, "checkin answer 7 history-marker-answer")
        .await;
    t.say(&ben, &direct, "checkin answer 8").await;
    t.say(&ben, &direct, "appreciate history-marker-thanks")
        .await;
}

async fn leave(t: &TestEngine) -> Vec<Outgoing> {
    let asked = t.say(&person("ben"), &Place::Direct, "pair leave").await;
    assert!(
        asked[0]
            .reply
            .text
            .contains("kept for 30 days and then erased"),
        "leaving says what ends and for how long the rest is kept: {}",
        asked[0].reply.text
    );
    t.say(&person("ben"), &Place::Direct, "pair leave confirm")
        .await
}

async fn reply(t: &TestEngine, name: &str, text: &str) -> String {
    texts_to(
        &t.say(&person(name), &Place::Direct, text).await,
        &Recipient::Requester,
    )
    .join("\n")
}

#[tokio::test]
async fn pairing_again_brings_the_history_back_only_when_both_say_yes() {
    brought_back_by_two_yeses(&spawn_engine().await).await;
}

/// The whole way back, on any store.
pub(crate) async fn brought_back_by_two_yeses(t: &TestEngine) {
    a_shared_past(t).await;
    leave(t).await;
    t.clock.advance(Duration::days(10));
    let offered = pair_again(t).await;
    for name in ["ana", "ben"] {
        let asked: Vec<&Outgoing> = offered
            .iter()
            .filter(|out| match name {
                "ben" => out.to == Recipient::Requester,
                _ => out.to == to(name),
            })
            .filter(|out| out.reply.text.contains("You two were paired before"))
            .collect();
        assert_eq!(asked.len(), 1, "{name} is asked once: {offered:#?}");
        let commands: Vec<&str> = asked[0]
            .reply
            .choices
            .iter()
            .map(|c| c.command.as_str())
            .collect();
        assert_eq!(commands, ["pair restore yes", "pair restore no"]);
    }
    // Until both say yes, the new couple starts empty; what it adds keeps.
    assert_eq!(
        reply(t, "ana", "agree").await,
        t.text(Key::AgreeListEmpty, &[])
    );
    t.say(&person("ben"), &Place::Direct, "goal promise a-new-promise")
        .await;
    let waiting = t
        .say(&person("ana"), &Place::Direct, "pair restore yes")
        .await;
    assert_eq!(
        texts_to(&waiting, &Recipient::Requester),
        [t.text(Key::PairHistoryWaiting, &[("partner", "ben")])]
    );
    assert_eq!(
        texts_to(&waiting, &to("ben")),
        [t.text(Key::PairHistoryPartnerYes, &[("partner", "ana")])]
    );
    assert_eq!(
        reply(t, "ana", "agree").await,
        t.text(Key::AgreeListEmpty, &[]),
        "one yes is not enough"
    );

    let restored = t
        .say(&person("ben"), &Place::Direct, "pair restore yes")
        .await;
    let back = t.text(Key::PairHistoryRestored, &[]);
    let to_ben = texts_to(&restored, &Recipient::Requester);
    assert_eq!(to_ben, std::slice::from_ref(&back));
    assert_eq!(texts_to(&restored, &to("ana")), [back]);
    let agreements = reply(t, "ana", "agree").await;
    assert!(
        agreements.contains("#1 “history-marker-agreement”"),
        "{agreements}"
    );
    let goals = reply(t, "ana", "goal").await;
    assert!(
        goals.contains("#1 “history-marker-promise”"),
        "the old numbers stay: {goals}"
    );
    assert!(
        goals.contains("#4 “a-new-promise”"),
        "the new goal moves past them: {goals}"
    );
    assert!(
        !goals.contains("never-accepted-goal"),
        "a proposal nobody accepted stays ended: {goals}"
    );
    t.say(&person("ana"), &Place::Direct, "goal log 1").await;
    let kept = reply(t, "ben", "goal kept 1").await;
    assert!(
        kept.contains("history-marker-promise"),
        "the promise runs again: {kept}"
    );
    let reminders: Vec<Option<i64>> = {
        let mut tx = t.engine.store().begin().await.unwrap();
        sqlx::query_scalar("SELECT remind_at FROM goals WHERE title = 'book-the-trip'")
            .fetch_all(&mut *tx)
            .await
            .unwrap()
    };
    assert!(
        matches!(reminders.as_slice(), [Some(_)]),
        "a goal brought back gets its due-date reminder again: {reminders:?}"
    );
    let history = reply(t, "ben", "checkin history").await;
    assert!(history.contains("ana 7"), "{history}");
    t.assert_refused(
        &t.say(&person("ana"), &Place::Direct, "pair restore yes")
            .await,
        UserError::NoHistoryOffer,
    );
}

/// Every goal title, agreement, answer and thank-you the store holds.
async fn stored_words(t: &TestEngine) -> String {
    let mut tx = t.engine.store().begin().await.expect("begin");
    let mut words = Vec::new();
    for sql in [
        "SELECT title FROM goals",
        "SELECT text FROM agreements",
        "SELECT COALESCE(answer, '') FROM checkin_answers",
        "SELECT text FROM appreciations",
    ] {
        let found: Vec<String> = sqlx::query_scalar(sql)
            .fetch_all(&mut *tx)
            .await
            .expect(sql);
        words.extend(found);
    }
    words.join("\n")
}

async fn pair_again(t: &TestEngine) -> Vec<Outgoing> {
    let invited = t
        .say(&person("ana"), &Place::Direct, "pair invite ben")
        .await;
    let code = crate::helpers::code_in(&texts_to(&invited, &to("ben"))[0]);
    t.say(
        &person("ben"),
        &Place::Direct,
        &format!("pair accept {code}"),
    )
    .await
}

#[tokio::test]
async fn a_no_starts_fresh_and_the_old_history_is_erased_when_its_time_is_up() {
    fresh_start_then_erased(&spawn_engine().await).await;
}

/// A no, then the erasure a month later, on any store.
pub(crate) async fn fresh_start_then_erased(t: &TestEngine) {
    let (_port, ports) = recording_ports();
    a_shared_past(t).await;
    leave(t).await;
    pair_again(t).await;
    let fresh = t
        .say(&person("ben"), &Place::Direct, "pair restore no")
        .await;
    assert!(
        texts_to(&fresh, &to("ana"))[0].contains("ben would rather start fresh"),
        "{fresh:#?}"
    );
    t.assert_refused(
        &t.say(&person("ana"), &Place::Direct, "pair restore yes")
            .await,
        UserError::NoHistoryOffer,
    );
    let before = stored_words(t).await;
    assert!(before.contains("history-marker-agreement"), "kept for now");
    t.clock.advance(Duration::days(29));
    assert_eq!(t.tick(&ports).await.0.erased, 0, "not yet");
    t.clock.advance(Duration::days(2));
    assert_eq!(t.tick(&ports).await.0.erased, 1);
    let after = stored_words(t).await;
    for marker in [
        "history-marker-promise",
        "history-marker-agreement",
        "history-marker-answer",
        "history-marker-thanks",
    ] {
        assert!(!after.contains(marker), "{marker} is erased");
    }
}

#[tokio::test]
async fn an_erased_history_is_not_offered_again() {
    let t = spawn_engine().await;
    let (_port, ports) = recording_ports();
    a_shared_past(&t).await;
    leave(&t).await;
    t.clock.advance(Duration::days(31));
    assert_eq!(t.tick(&ports).await.0.erased, 1);
    let paired = pair_again(&t).await;
    assert!(
        paired
            .iter()
            .all(|out| !out.reply.text.contains("paired before")),
        "{paired:#?}"
    );
}
