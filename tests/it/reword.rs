//! `reword` through the engine: private suggestions with feeling choices,
//! crisis help, opt-in nudges that need both partners and store nothing of
//! the message, and the `rapport reword --json` command.

use std::io::Write;
use std::process::{Command, Stdio};

use rapport::engine::message::{Place, Recipient};
use rapport::error::UserError;
use rapport::prompts::Key;

use crate::helpers::{person, space, spawn_engine, spawn_engine_with};
use crate::pairing::pair_ana_and_ben;

#[tokio::test]
async fn a_suggestion_is_private_offers_feelings_and_stores_nothing() {
    let t = spawn_engine().await;
    let before = t.snapshot().await;
    let reply = t
        .say(
            &person("ana"),
            &Place::Direct,
            "reword You NEVER text me back!",
        )
        .await;
    assert_eq!(reply.len(), 1);
    assert_eq!(reply[0].to, Recipient::Requester);
    assert!(reply[0].reply.private, "only the author sees it");
    let text = &reply[0].reply.text;
    assert!(
        text.contains(t.text(Key::RewordReasonAbsolute, &[]).as_str()),
        "{text}"
    );
    assert!(
        text.contains("I feel anxious when I'm waiting for you to text me back"),
        "{text}"
    );
    assert_eq!(t.snapshot().await, before, "not even a user row is written");

    let choices = &reply[0].reply.choices;
    assert_eq!(choices.len(), 5);
    assert!(choices.iter().all(|c| c.label != "anxious"));
    let lonely = choices
        .iter()
        .find(|c| c.label == "lonely")
        .expect("lonely offered");
    let again = t.say(&person("ana"), &Place::Direct, &lonely.command).await;
    assert!(
        again[0]
            .reply
            .text
            .contains("I feel lonely when I'm waiting for you to text me back"),
        "{}",
        again[0].reply.text
    );
}

#[tokio::test]
async fn kind_words_need_no_rewording_and_unknown_feelings_are_explained() {
    let t = spawn_engine().await;
    let fine = t
        .say(
            &person("ana"),
            &Place::Direct,
            "reword You mean the world to me",
        )
        .await;
    assert_eq!(fine[0].reply.text, t.text(Key::RewordFine, &[]));
    let unknown = t
        .say(
            &person("ana"),
            &Place::Direct,
            "reword feeling:hangry you never feed me",
        )
        .await;
    let feelings = t.engine.coach().feelings().to_vec();
    t.assert_refused(
        &unknown,
        UserError::UnknownFeeling {
            given: "hangry".into(),
            feelings,
        },
    );
}

#[tokio::test]
async fn words_of_self_harm_or_violence_get_help_not_a_rewrite() {
    let t = spawn_engine().await;
    let reply = t
        .say(
            &person("ana"),
            &Place::Direct,
            "reword You never listen and I want to die",
        )
        .await;
    let resources = t.text(Key::RewordCrisisResources, &[]);
    assert_eq!(
        reply[0].reply.text,
        t.text(Key::RewordCrisis, &[("resources", &resources)])
    );
    assert!(reply[0].reply.choices.is_empty());
    assert!(
        reply[0]
            .reply
            .text
            .contains("no substitute for professional help")
    );
}

#[tokio::test]
async fn the_admins_crisis_resources_replace_the_general_advice() {
    let lines = vec![
        "Lifeline: call or text 988".to_owned(),
        "Emergency: 911".to_owned(),
    ];
    let t = spawn_engine_with("sqlite::memory:", |policy| {
        policy.crisis_resources = lines.clone()
    })
    .await;
    let reply = t
        .say(&person("ana"), &Place::Direct, "reword I want to hurt you")
        .await;
    let text = &reply[0].reply.text;
    assert!(reply[0].reply.private);
    for line in &lines {
        assert!(text.contains(line.as_str()), "{text}");
    }
    let general = t.text(Key::RewordCrisisResources, &[]);
    assert!(!text.contains(&general), "{text}");
    assert!(
        text.contains("no substitute for professional help"),
        "{text}"
    );
}

#[tokio::test]
async fn nudges_need_both_partners_and_keep_only_a_count() {
    let t = spawn_engine().await;
    let (ana, ben, home) = (person("ana"), person("ben"), space("home"));
    let blaming = "You always leave the lights on";
    let refused = t.say(&ana, &Place::Direct, "reword nudges on").await;
    t.assert_refused(&refused, UserError::NotPaired);
    pair_ana_and_ben(&t).await;
    assert!(
        t.engine.observe(&ana, &home, blaming).await.is_none(),
        "off until both opt in"
    );

    let asked = t.say(&ana, &Place::Direct, "reword nudges on").await;
    assert_eq!(
        asked[0].reply.text,
        t.text(Key::RewordNudgesWaiting, &[("partner", "ben")])
    );
    assert_eq!(asked[1].to, Recipient::User(ben.user.clone()));
    assert_eq!(asked[1].reply.choices[0].command, "reword nudges on");
    assert!(
        t.engine.observe(&ana, &home, blaming).await.is_none(),
        "one consent is not enough"
    );
    let agreed = t.say(&ben, &Place::Direct, "reword nudges on").await;
    assert_eq!(agreed[0].reply.text, t.text(Key::RewordNudgesOn, &[]));

    let queued_before = t.outbox_keys().await.len();
    let nudge = t
        .engine
        .observe(&ana, &home, blaming)
        .await
        .expect("a nudge for the author");
    assert!(nudge.private, "only the author hears of it");
    assert!(
        nudge.text.contains("when you leave the lights on"),
        "{}",
        nudge.text
    );
    assert_eq!(
        t.outbox_keys().await.len(),
        queued_before,
        "a nudge quotes the message: it is never written to the outbox"
    );
    assert!(
        t.engine
            .observe(&ana, &home, "Dinner at 7?")
            .await
            .is_none()
    );
    assert!(
        t.engine
            .observe(&person("carl"), &home, blaming)
            .await
            .is_none(),
        "not a member"
    );
    assert!(
        t.engine
            .observe(&ana, &Place::Direct, blaming)
            .await
            .is_none(),
        "only in the space"
    );
    let status = t.say(&ben, &Place::Direct, "reword nudges").await;
    assert_eq!(
        status[0].reply.text,
        t.text(Key::RewordNudgesStatusOn, &[("count", "1")])
    );
    let stored = t.snapshot().await.join("\n");
    assert!(
        !stored.contains("lights"),
        "nothing of the message is stored"
    );

    let off = t.say(&ben, &Place::Direct, "reword nudges off").await;
    assert_eq!(
        off[1].reply.text,
        t.text(Key::RewordNudgesOffPartner, &[("partner", "ben")])
    );
    assert!(
        t.engine.observe(&ana, &home, blaming).await.is_none(),
        "either partner can stop them"
    );
}

#[test]
fn the_json_command_writes_one_verdict_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["reword", "--json"])
        .current_dir(dir.path())
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("rapport starts");
    let input = "You never text me back.\nCan you pick up milk?\nI want to kill myself\nmy dad never listens when i explain stuff, so frustrating\n";
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["blaming"], true);
    assert_eq!(
        lines[0]["reasons"],
        serde_json::json!(["you_accusation", "absolute"])
    );
    assert!(
        lines[0]["suggestion"]
            .as_str()
            .unwrap()
            .starts_with("I feel ")
    );
    assert_eq!(lines[0]["crisis"], false);
    assert_eq!(lines[0]["frame"], serde_json::Value::Null);
    assert_eq!(
        lines[1],
        serde_json::json!({"blaming": false, "crisis": false, "reasons": [], "suggestion": null, "frame": null})
    );
    assert_eq!(
        lines[2],
        serde_json::json!({"blaming": false, "crisis": true, "reasons": ["crisis"], "suggestion": null, "frame": null}),
        "a crisis is told apart from a harmless message by its own field"
    );
    // Not blaming, but a complaint: the frame to fill in.
    assert_eq!(lines[3]["blaming"], false);
    assert_eq!(lines[3]["suggestion"], serde_json::Value::Null);
    let frame = lines[3]["frame"].as_str().expect("a frame");
    assert!(
        frame.starts_with("I feel ") && frame.contains("___"),
        "{frame}"
    );
}

#[tokio::test]
async fn a_complaint_that_does_not_blame_gets_the_frame_not_praise() {
    let t = spawn_engine().await;
    let reply = t
        .say(
            &person("ana"),
            &Place::Direct,
            "reword my dad never listens when i explain stuff, so frustrating",
        )
        .await;
    let text = &reply[0].reply.text;
    assert_ne!(text, t.text(Key::RewordFine, &[]).as_str());
    let frame = t.engine.coach().frame(
        &t.engine
            .coach()
            .analyze("my dad never listens when i explain stuff, so frustrating"),
    );
    assert_eq!(text, &t.text(Key::RewordFrame, &[("frame", &frame)]));
    assert!(text.contains("___"), "{text}");
}

#[tokio::test]
async fn a_spaces_moderators_can_keep_the_coach_out_of_it() {
    let t = spawn_engine().await;
    let (ana, ben, home) = (person("ana"), person("ben"), space("home"));
    let moderator = person("mo").with_moderator(true);
    let blaming = "You always leave the lights on";
    pair_ana_and_ben(&t).await;
    t.say(&ana, &Place::Direct, "reword nudges on").await;
    t.say(&ben, &Place::Direct, "reword nudges on").await;
    assert!(t.engine.observe(&ana, &home, blaming).await.is_some());

    let refused = t.say(&ben, &home, "settings space nudges off").await;
    t.assert_refused(&refused, UserError::NotModerator);
    let elsewhere = t.say(&moderator, &Place::Direct, "settings space").await;
    t.assert_refused(&elsewhere, UserError::SpaceSettingElsewhere);

    let off = t.say(&moderator, &home, "settings space nudges off").await;
    assert_eq!(off.len(), 1);
    assert_eq!(off[0].to, Recipient::Requester);
    assert!(!off[0].reply.private, "everyone in the space learns of it");
    assert_eq!(off[0].reply.text, t.text(Key::SettingsSpaceNudgesOff, &[]));
    assert!(
        t.engine.observe(&ana, &home, blaming).await.is_none(),
        "the couple's consent does not override the space"
    );
    let shown = t.say(&ben, &home, "settings space").await;
    let refused_word = t.text(Key::SettingsSpaceRefused, &[]);
    assert_eq!(
        shown[0].reply.text,
        t.text(Key::SettingsSpaceShow, &[("nudges", &refused_word)])
    );

    t.say(&moderator, &home, "settings space nudges on").await;
    assert!(t.engine.observe(&ana, &home, blaming).await.is_some());
}

#[tokio::test]
async fn a_reword_typed_in_view_of_the_space_is_refused_with_a_pointer() {
    let t = spawn_engine().await;
    let refused = t
        .say(
            &person("ana"),
            &space("home"),
            "reword You never listen to me",
        )
        .await;
    t.assert_refused(&refused, UserError::RewordPrivateOnly);
}
