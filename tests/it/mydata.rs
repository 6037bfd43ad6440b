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
    assert_eq!(
        texts_to(&done, &Recipient::User(ben.user.clone())),
        [t.text(Key::MydataDeletedPartner, &[("partner", "ana")])]
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
