//! `mydata`: the export holds everything about the asker and nothing of
//! anyone else's private words; deletion asks first, dissolves the couple,
//! erases what the asker wrote and keeps the partner's own entries.

use rapport::engine::message::{Place, Recipient};
use rapport::prompts::Key;
use serde_json::Value;
use sqlx::AssertSqlSafe;

use crate::helpers::{TestEngine, person, spawn_engine, texts_to};
use crate::pairing::pair_ana_and_ben;

pub async fn export(t: &TestEngine, name: &str) -> Value {
    let reply = t.say(&person(name), &Place::Direct, "mydata export").await;
    assert_eq!(reply.len(), 1, "delivered to the asker only");
    assert!(reply[0].reply.private);
    let file = reply[0].reply.attachment.as_ref().expect("a JSON file");
    assert_eq!(file.mime_type, "application/json");
    serde_json::from_slice(&file.bytes).expect("valid JSON")
}

/// ana and ben with a little of everything.
pub async fn a_shared_life(t: &TestEngine) {
    pair_ana_and_ben(t).await;
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);
    for (who, line) in [
        (&ana, "journal write ana's secret thought"),
        (&ben, "journal write ben's secret thought"),
        (&ana, "appreciate Thanks for the tea"),
        (&ben, "appreciate Thanks for listening"),
        (&ana, "goal promise Call when I'm late"),
        (&ben, "agree add We say goodnight"),
        (&ben, "checkin now"),
        (&ana, "checkin now"),
        (&ana, "checkin answer 7 it was a good week"),
        (&ben, "checkin answer 9 ben's answer"),
    ] {
        t.say(who, &direct, line).await;
    }
    t.say(&ana, &direct, "goal log 1").await;
}

#[tokio::test]
async fn the_export_holds_everything_about_the_asker_and_nothing_private_of_the_partner() {
    let t = spawn_engine().await;
    a_shared_life(&t).await;
    let mine = export(&t, "ana").await;
    assert_eq!(mine["profile"]["external_id"], "ana");
    assert_eq!(mine["journal"][0]["text"], "ana's secret thought");
    assert_eq!(mine["checkin_answers"][0]["answer"], "it was a good week");
    assert_eq!(mine["checkin_answers"][0]["rating"], 7);
    assert_eq!(mine["appreciations_sent"][0]["text"], "Thanks for the tea");
    assert_eq!(
        mine["appreciations_received"][0]["text"],
        "Thanks for listening"
    );
    assert_eq!(mine["goals"][0]["title"], "Call when I'm late");
    assert_eq!(mine["goal_logs"].as_array().unwrap().len(), 1);
    assert_eq!(mine["couples"].as_array().unwrap().len(), 1);
    assert!(
        mine["couples"][0]["joined_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-03-02T09:00")
    );
    let text = mine.to_string();
    assert!(
        !text.contains("ben's secret thought"),
        "the partner's journal stays theirs"
    );
    assert!(!text.contains("ben's answer"));
    assert!(!text.contains("We say goodnight"), "ben proposed it");
}

#[tokio::test]
async fn delete_asks_first_then_erases_the_asker_and_keeps_the_partners_entries() {
    let t = spawn_engine().await;
    a_shared_life(&t).await;
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);
    let asked = t.say(&ana, &direct, "mydata delete").await;
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].reply.choices[0].command, "mydata delete confirm");
    assert!(
        export(&t, "ana").await["journal"].as_array().unwrap().len() == 1,
        "nothing yet"
    );

    let done = t.say(&ana, &direct, "mydata delete confirm").await;
    assert_eq!(done[0].reply.text, t.text(Key::MydataDeleted, &[]));
    // ben hears it, and which of ana's goals went (by number: the
    // titles were her words).
    assert_eq!(
        texts_to(&done, &Recipient::User(ben.user.clone())),
        [format!(
            "{}\n{}",
            t.text(Key::MydataDeletedPartner, &[("partner", "ana")]),
            t.text(Key::MydataDeletedPartnerGoals, &[("goals", "#1")])
        )]
    );
    let pairing = t.say(&ben, &direct, "pair").await;
    assert!(
        !pairing[0].reply.text.contains("ana"),
        "{}",
        pairing[0].reply.text
    );

    // Nothing ana wrote is left anywhere in the database.
    let mut tx = t.engine.store().begin().await.unwrap();
    for (table, column) in [
        ("journal_entries", "text"),
        ("checkin_answers", "answer"),
        ("appreciations", "text"),
        ("goals", "title"),
        ("outbox", "payload"),
        ("users", "external_id"),
    ] {
        let sql = format!(
            "SELECT COUNT(*) FROM {table} WHERE {column} LIKE $1 OR {column} LIKE $2 OR {column} LIKE $3 OR {column} = 'ana'"
        );
        let count: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind("%ana's secret%")
            .bind("%good week%")
            .bind("%Thanks for the tea%")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        assert_eq!(count, 0, "{table} still holds ana's words");
    }
    tx.commit().await.unwrap();

    // ben's own entries stay his.
    let his = export(&t, "ben").await;
    assert_eq!(his["journal"][0]["text"], "ben's secret thought");
    assert_eq!(his["checkin_answers"][0]["answer"], "ben's answer");
    assert_eq!(his["appreciations_sent"][0]["text"], "Thanks for listening");
    assert_eq!(his["agreements_proposed"][0]["text"], "We say goodnight");
    assert!(his["appreciations_received"].as_array().unwrap().is_empty());

    // ana can start afresh: she is a stranger to rapport now.
    let fresh = export(&t, "ana").await;
    assert!(fresh["journal"].as_array().unwrap().is_empty());
    assert!(fresh["couples"].as_array().unwrap().is_empty());
}

/// ana after real use: carl's invite waits for her, she pairs with ben, a
/// check-in she is nudged about and answers, ben's promise she confirms,
/// her journal, ben's thanks and the recap she sets.
async fn a_lived_in_export(t: &TestEngine) -> (Value, i64, i64) {
    let (ana, ben, carl, direct) = (person("ana"), person("ben"), person("carl"), Place::Direct);
    t.say(&carl, &direct, "pair invite ana").await;
    pair_ana_and_ben(t).await;
    for (who, line) in [
        (&ben, "checkin now"),
        (&ana, "checkin now"),
        (&ben, "checkin answer 6"),
        (&ben, "goal promise Walk after dinner"),
        (&ben, "goal log 1 ben's own note"),
        (&ana, "goal kept 1"),
        (&ana, "journal write a quiet morning"),
        (&ben, "appreciate Thanks for the walk"),
        (&ana, "recap weekly sun 18:00"),
        (&ben, "recap accept"),
    ] {
        t.say(who, &direct, line).await;
    }
    // Six hours on, ana has not answered: the scheduler queues her nudge.
    t.clock.set(crate::helpers::utc(2026, 3, 2, 15, 0));
    let due = t.engine.run_due_once().await.expect("scheduler pass");
    assert_eq!(due.nudged, 1, "{due:?}");
    t.say(&ana, &direct, "checkin answer 8 we laughed").await;
    let ben_id = export(t, "ben").await["profile"]["id"].as_i64().unwrap();
    let carl_id = export(t, "carl").await["profile"]["id"].as_i64().unwrap();
    (export(t, "ana").await, ben_id, carl_id)
}

#[tokio::test]
async fn the_export_names_the_couples_space_and_the_invites_either_way() {
    let t = spawn_engine().await;
    let (mine, ben, carl) = a_lived_in_export(&t).await;
    let couple = &mine["couples"][0];
    assert_eq!(couple["space_platform"], "console");
    assert_eq!(couple["space_id"], "home");
    assert!(couple["time_zone"].is_string() && couple["created_at"].is_string());

    let sent = &mine["invites_sent"][0];
    assert_eq!(sent["target_external_id"], "ben");
    assert_eq!(sent["status"], "accepted");
    assert_eq!(sent["answered_by"], ben, "who answered");
    assert!(sent["answered_at"].is_string(), "and when");
    let received = mine["invites_received"].as_array().unwrap();
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0]["inviter_id"], carl);
    assert_eq!(received[0]["target_external_id"], "ana");
    assert_eq!(received[0]["status"], "pending");
    assert!(received[0]["answered_by"].is_null());
    assert!(!mine.to_string().contains("\"code\""), "no pairing secret");
}

#[tokio::test]
async fn the_export_holds_the_couples_rounds_and_goals_and_what_she_confirmed() {
    let t = spawn_engine().await;
    let (mine, ben, _) = a_lived_in_export(&t).await;
    let round = &mine["checkin_rounds"][0];
    assert_eq!(round["question"], mine["checkin_answers"][0]["question"]);
    assert_eq!(mine["checkin_answers"][0]["round_id"], round["id"]);
    assert!(round["opened_at"].is_string() && round["closes_at"].is_string());
    assert_eq!(mine["checkin_nudges"][0]["round_id"], round["id"]);

    let confirmed = &mine["goal_confirmations"][0];
    assert_eq!(confirmed["goal_id"], 1);
    assert_eq!(confirmed["user_id"], ben, "whose log she confirmed");
    assert_eq!(confirmed["status"], "kept");
    assert_eq!(confirmed["local_date"], "2026-03-02");
    assert!(confirmed["confirmed_at"].is_string());
    let goal = &mine["couple_goals"][0];
    assert_eq!(goal["id"], 1);
    assert_eq!(goal["owner_id"], ben);
    assert!(goal.get("title").is_none(), "ben's title is his");

    assert_eq!(mine["journal"][0]["text"], "a quiet morning");
    let thanks = &mine["appreciations_received"][0];
    assert_eq!(thanks["text"], "Thanks for the walk");
    assert_eq!(thanks["from_user"], ben);
    let recap = &mine["recap_schedules_set"][0];
    assert!(recap["recurrence"].is_string() && recap["next_fire_at"].is_string());
    assert_eq!(recap["couple_id"], mine["couples"][0]["couple_id"]);

    let text = mine.to_string();
    assert!(
        !text.contains("ben's own note"),
        "the note on his log is his"
    );
    assert!(
        !text.contains("Walk after dinner"),
        "his promise is his words"
    );
}

#[tokio::test]
async fn the_export_holds_messages_queued_to_her_with_their_words_while_pending() {
    let t = spawn_engine().await;
    let (mine, _, _) = a_lived_in_export(&t).await;
    let nudge = mine["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["recipient_id"] == "ana" && m["state"] == "pending")
        .expect("ana's nudge is queued");
    assert!(nudge["created_at"].is_string() && nudge["finished_at"].is_null());
    let payload = mine["message_payloads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["idempotency_key"] == nudge["idempotency_key"])
        .expect("its words, while it waits");
    let words = payload["payload"]["text"].as_str().unwrap();
    assert!(words.starts_with("A gentle reminder"), "{words}");
}
