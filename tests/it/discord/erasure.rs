//! Leaving and erasing, end to end through the fake Discord: what was
//! queued for a couple that ended reaches nobody, and a person's deleted
//! words leave the database file, its log and Discord itself.

use std::path::{Path, PathBuf};

use serde_json::json;
use sqlx::AssertSqlSafe;

use rapport::delivery::{ChatPort, Delivery};
use rapport::domain::{Destination, Platform, Reply, SpaceRef};
use rapport::prompts::Key;

use super::fake::json::user_json;
use super::fake::{self, CHANNEL_ID};
use super::{ANA, BEN, Running, autocomplete, content, ephemeral, int_option, pair, text_option};
use crate::helpers::TestEngine;

/// An interaction's answer as the message a click on it comes from.
fn shown(answer: &fake::Answer, channel_id: u64) -> fake::Posted {
    fake::Posted {
        channel_id,
        content: content(answer),
        components: answer.data["components"].clone(),
        files: Vec::new(),
        json: json!({
            "id": answer.interaction_id.to_string(), "channel_id": channel_id.to_string(),
            "author": user_json(fake::BOT_ID, "rapport", true),
            "content": content(answer), "timestamp": "2026-11-23T10:00:00.000000+00:00",
            "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
            "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 20,
            "flags": answer.data["flags"].as_u64().unwrap_or(0), "components": [],
        }),
    }
}

/// Runs a command that asks first, then clicks the button that confirms.
async fn confirmed(bot: &Running, user: u64, path: &str, confirm: Key) {
    // In the DM (channel 1 in the interaction), as a careful person would.
    let asked = bot.slash(user, false, path, json!([])).await;
    let label = bot.t.text(confirm, &[]);
    let done = bot.click(user, &shown(&asked, 1), &label).await;
    assert!(!content(&done).is_empty(), "{done:?}");
}

/// One number from the database, for a query with one text parameter.
async fn number(t: &TestEngine, sql: &str, bind: &str) -> i64 {
    let mut tx = t.engine.store().begin().await.unwrap();
    let value: i64 = sqlx::query_scalar(AssertSqlSafe(sql.to_owned()))
        .bind(bind.to_owned())
        .fetch_one(&mut *tx)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    tx.commit().await.unwrap();
    value
}

/// Every outbox row whose payload holds `text`, as (key, state).
async fn queued_with(t: &TestEngine, text: &str) -> Vec<(String, String)> {
    let mut tx = t.engine.store().begin().await.unwrap();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT idempotency_key, state FROM outbox WHERE payload LIKE $1 ORDER BY id",
    )
    .bind(format!("%{text}%"))
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    rows
}

const ANA_QUEUED: [&str; 3] = [
    "ana-marker-appreciation",
    "ana-marker-goal",
    "ana-marker-checkin",
];

#[tokio::test]
async fn leaving_before_delivery_reaches_nobody() {
    let bot = Running::start().await;
    pair(&bot).await;
    let before = bot.fake.view();
    let (to_ben, to_ana, in_channel) = (
        before.dms_to(BEN).len(),
        before.dms_to(ANA).len(),
        before.messages_in(CHANNEL_ID).len(),
    );

    // No delivery pass from here until ana has left: slash commands only
    // answer; what they say to others waits in the outbox.
    bot.slash(
        ANA,
        true,
        "appreciate",
        json!([text_option("text", "ana-marker-appreciation")]),
    )
    .await;
    bot.slash(
        ANA,
        true,
        "goal new",
        json!([
            int_option("for", 0),
            text_option("title", "ana-marker-goal")
        ]),
    )
    .await;
    // Without a schedule both say yes: ben asks, ana agrees.
    bot.slash(BEN, true, "checkin now", json!([])).await;
    bot.slash(ANA, true, "checkin now", json!([])).await;
    for (user, rating, answer) in [
        (ANA, 7, "ana-marker-checkin"),
        (BEN, 8, "ben-marker-checkin"),
    ] {
        let saved = bot
            .slash(
                user,
                false,
                "checkin answer",
                json!([int_option("rating", rating), text_option("answer", answer)]),
            )
            .await;
        assert!(!content(&saved).is_empty(), "{saved:?}");
    }
    for marker in ANA_QUEUED {
        let rows = queued_with(&bot.t, marker).await;
        assert!(
            !rows.is_empty() && rows.iter().all(|(_, state)| state == "pending"),
            "{marker} waits in the outbox: {rows:?}"
        );
    }
    let reveal = queued_with(&bot.t, "ben-marker-checkin").await;
    assert!(
        reveal.len() == 1 && reveal[0].0.contains(":reveal:"),
        "the reveal is queued, not delivered: {reveal:?}"
    );
    let view = bot.fake.view();
    assert_eq!(
        (
            view.dms_to(BEN).len(),
            view.dms_to(ANA).len(),
            view.messages_in(CHANNEL_ID).len()
        ),
        (to_ben, to_ana, in_channel),
        "nothing delivered yet"
    );

    confirmed(&bot, ANA, "pair leave", Key::PairChoiceLeave).await;
    for marker in ANA_QUEUED.into_iter().chain(["ben-marker-checkin"]) {
        assert_eq!(
            queued_with(&bot.t, marker).await,
            [],
            "{marker}: cancelled and its text erased"
        );
    }
    bot.tick().await;
    bot.tick().await;

    let view = bot.fake.view();
    let new_to_ben: Vec<&str> = view.dms_to(BEN)[to_ben..]
        .iter()
        .map(|m| m.content.as_str())
        .collect();
    assert_eq!(
        new_to_ben,
        [bot.t.text(
            Key::PairLeftPartner,
            &[("partner", "ana"), ("erased", "Wed 1 Apr 2026")]
        )],
        "ben hears that ana left, and nothing else"
    );
    assert_eq!(
        view.messages_in(CHANNEL_ID).len(),
        in_channel,
        "nothing in the couple's channel: {:?}",
        view.messages_in(CHANNEL_ID)
    );
    assert_eq!(view.dms_to(ANA).len(), to_ana, "nothing to ana either");
    for message in &view.messages {
        assert!(
            !message.content.contains("-marker-"),
            "a marker reached Discord: {message:?}"
        );
    }
    bot.stop().await;
}

fn wal(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}-wal", path.display()))
}

/// The database file and its write-ahead log (empty if none), as bytes.
fn on_disk(path: &Path) -> (Vec<u8>, Vec<u8>) {
    (
        std::fs::read(path).unwrap(),
        std::fs::read(wal(path)).unwrap_or_default(),
    )
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

/// What ana writes; every one of them must go.
const ANA_WORDS: [&str; 7] = [
    "ana-marker-journal",
    "ana-marker-checkin",
    "ana-marker-appreciation",
    "ana-marker-goal",
    "ana-marker-agreement",
    "ana-marker-note",
    "ana-marker-note-on-bens-goal",
];

/// What ben writes that stays his. (His note on ana's goal goes with her
/// goal, by design: it is `ben-note-on-anas-goal`, no `ben-marker`.)
const BEN_WORDS: [&str; 6] = [
    "ben-marker-journal",
    "ben-marker-checkin",
    "ben-marker-appreciation",
    "ben-marker-goal",
    "ben-marker-agreement",
    "ben-marker-note",
];

/// The goal's number, as the goal option suggests it while typing.
async fn goal_number(bot: &Running, user: u64, title: &str) -> String {
    let id = bot
        .fake
        .interact(autocomplete(user, "goal log", "goal", title));
    let answer = bot.answer(id).await;
    let choices = super::suggested(&answer);
    assert_eq!(choices.len(), 1, "{choices:?}");
    choices[0].1.clone()
}

/// `who` proposes, the partner accepts with the button in their DM.
async fn proposed_and_accepted(bot: &Running, who: u64, path: &str, options: serde_json::Value) {
    let partner = if who == ANA { BEN } else { ANA };
    bot.slash(who, true, path, options).await;
    bot.tick().await;
    let view = bot.fake.view();
    let proposal = view.dms_to(partner).last().copied().cloned().unwrap();
    let accept = if path == "goal new" {
        Key::GoalChoiceAccept
    } else {
        Key::AgreeChoiceAccept
    };
    bot.click(partner, &proposal, &bot.t.text(accept, &[]))
        .await;
    bot.tick().await;
}

#[tokio::test]
async fn deleting_my_data_leaves_no_byte_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    let bot = Running::start_on(&format!("sqlite://{}", path.display())).await;
    pair(&bot).await;

    // Journals, each shared into the next check-in.
    for (user, name) in [(ANA, "ana"), (BEN, "ben")] {
        let text = format!("{name}-marker-journal");
        bot.slash(
            user,
            false,
            "journal write",
            json!([text_option("text", &text)]),
        )
        .await;
        let entry = number(
            &bot.t,
            "SELECT number FROM journal_entries WHERE text = $1",
            &text,
        )
        .await;
        let shared = bot
            .slash(
                user,
                false,
                "journal share",
                json!([int_option("number", entry)]),
            )
            .await;
        assert!(
            content(&shared).contains(&format!("#{entry}")),
            "{shared:?}"
        );
    }
    for (user, name) in [(ANA, "ana"), (BEN, "ben")] {
        bot.slash(
            user,
            true,
            "appreciate",
            json!([text_option("text", &format!("{name}-marker-appreciation"))]),
        )
        .await;
        proposed_and_accepted(
            &bot,
            user,
            "goal new",
            json!([
                int_option("for", 0),
                text_option("title", &format!("{name}-marker-goal"))
            ]),
        )
        .await;
        proposed_and_accepted(
            &bot,
            user,
            "agree add",
            json!([text_option("text", &format!("{name}-marker-agreement"))]),
        )
        .await;
    }
    let anas_goal = goal_number(&bot, ANA, "ana-marker-goal").await;
    let bens_goal = goal_number(&bot, BEN, "ben-marker-goal").await;
    // ben is first to log ana's goal (its first kept day is celebrated in
    // the channel), then each logs their own and ana logs ben's.
    for (user, goal, note) in [
        (BEN, &anas_goal, "ben-note-on-anas-goal"),
        (ANA, &anas_goal, "ana-marker-note"),
        (ANA, &bens_goal, "ana-marker-note-on-bens-goal"),
        (BEN, &bens_goal, "ben-marker-note"),
    ] {
        let logged = bot
            .slash(
                user,
                false,
                "goal log",
                json!([text_option("goal", goal), text_option("note", note)]),
            )
            .await;
        assert!(content(&logged).contains(&format!("#{goal}")), "{logged:?}");
    }
    // Without a schedule both say yes: ben asks, ana agrees.
    bot.slash(BEN, true, "checkin now", json!([])).await;
    bot.slash(ANA, true, "checkin now", json!([])).await;
    for (user, rating, name) in [(ANA, 7, "ana"), (BEN, 8, "ben")] {
        bot.slash(
            user,
            false,
            "checkin answer",
            json!([
                int_option("rating", rating),
                text_option("answer", &format!("{name}-marker-checkin"))
            ]),
        )
        .await;
    }
    bot.tick().await;
    // Private content meant for the channel goes to each partner's DMs
    // instead (a server channel is never just the two of them): a second
    // pass delivers those copies.
    bot.tick().await;

    // Controls: every marker is on disk and ana's words are on Discord.
    let (file, log) = on_disk(&path);
    for marker in ANA_WORDS.iter().chain(&BEN_WORDS) {
        assert!(
            holds(&file, marker) || holds(&log, marker),
            "control: {marker} is on disk before the delete"
        );
    }
    let view = bot.fake.view();
    for marker in ANA_WORDS {
        assert!(
            view.messages.iter().any(|m| m.content.contains(marker)),
            "control: {marker} was posted on Discord"
        );
    }
    assert!(view.deletions().is_empty(), "nothing deleted yet");

    confirmed(&bot, ANA, "mydata delete", Key::MydataChoiceDelete).await;
    let mut passes = 0;
    while number(
        &bot.t,
        "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'retract') AND platform = $1",
        "discord",
    )
    .await
        > 0
    {
        passes += 1;
        assert!(passes <= 5, "the retractions never finish");
        bot.tick().await;
    }
    assert!(passes > 0, "there was something to take down");

    // (a) Not a byte of ana's words in the file or its log; ben's stay.
    let (file, log) = on_disk(&path);
    assert!(
        !holds(&file, "ana-marker"),
        "the database file holds ana's words"
    );
    assert!(
        !holds(&log, "ana-marker"),
        "the -wal file holds ana's words"
    );
    for marker in ANA_WORDS {
        assert!(
            !holds(&file, marker) && !holds(&log, marker),
            "{marker} is on disk"
        );
    }
    for marker in BEN_WORDS {
        assert!(
            holds(&file, marker) || holds(&log, marker),
            "ben's {marker} is gone"
        );
    }

    // (b) Discord holds nothing of ana's words any more: every post of
    // them was deleted, with DELETE requests Discord accepted.
    let view = bot.fake.view();
    let deletions = view.deletions();
    assert_eq!(
        deletions.len(),
        view.deleted.len(),
        "one DELETE per post taken down: {deletions:?}"
    );
    assert!(
        !deletions.is_empty() && deletions.iter().all(|(_, _, status)| *status == 204),
        "each deleted a message that was there: {deletions:?}"
    );
    for marker in ANA_WORDS {
        assert!(
            view.deleted.iter().any(|m| m.content.contains(marker)),
            "the post of {marker} was deleted"
        );
    }
    // ben's own posts in the channel stay, and he hears of the deletion.
    let channel = view.messages_in(CHANNEL_ID);
    assert!(
        channel
            .iter()
            .any(|m| m.content.contains("ben-marker-appreciation")),
        "ben's thanks are still in the channel: {channel:#?}"
    );
    // His shared journal entry went to DMs, not the channel; his own copy
    // stays (the one in ana's DMs went with her).
    assert!(
        view.dms_to(BEN)
            .iter()
            .any(|m| m.content.contains("ben-marker-journal")),
        "ben's shared entry is still in his DMs"
    );
    let notice = bot.t.text(Key::MydataDeletedPartner, &[("partner", "ana")]);
    let told = view.dms_to(BEN).last().map(|m| m.content.clone());
    assert!(
        told.as_deref().is_some_and(|t| t.starts_with(&notice)),
        "ben hears of it: {told:?}"
    );
    // Every request, DELETEs included, as Discord's document has it.
    bot.stop().await;

    // ben's acceptance announced ana's agreement in the channel, and his
    // first log of ana's goal celebrated it there: both quote ana's words,
    // so both came down with her data.
    let left: Vec<&fake::Posted> = view
        .messages
        .iter()
        .filter(|m| m.content.contains("ana-marker"))
        .collect();
    assert!(left.is_empty(), "still on Discord: {left:#?}");

    // Answers to commands and clicks that quote ana ("It's on: …", "Agreed:
    // …") are ephemeral, in DMs too: nothing of them stays on Discord for a
    // deletion to miss.
    let answered: Vec<String> = view
        .answers
        .iter()
        .filter(|a| matches!(a.kind, 4 | 7) && !ephemeral(a))
        .map(content)
        .chain(view.followups.iter().filter_map(|(method, _, body)| {
            let public = body["flags"].as_u64().unwrap_or(0) & 64 == 0;
            (method != "delete" && public)
                .then(|| body["content"].as_str().unwrap_or("").to_owned())
        }))
        .filter(|text| text.contains("ana-marker"))
        .collect();
    assert!(
        answered.is_empty(),
        "answers that stay on Discord with ana's words: {answered:#?}"
    );
}

#[tokio::test]
async fn a_retraction_deletes_every_part_and_a_repeat_is_fine() {
    let bot = Running::start().await;
    let delivery = Delivery {
        key: "retract:1".into(),
        to: Destination::Space(SpaceRef::new(Platform::Discord, CHANNEL_ID.to_string())),
        // Two messages: Discord takes 2000 characters at most.
        reply: Reply::public(format!("{} {}", "a".repeat(1990), "b".repeat(100))),
    };
    let posted = bot.port.deliver(&delivery).await.expect("delivered");
    assert_eq!(posted.ids.len(), 2, "{posted:?}");
    assert_eq!(bot.fake.view().messages_in(CHANNEL_ID).len(), 2);

    bot.port.retract(&posted).await.expect("taken down");
    let view = bot.fake.view();
    assert!(
        view.messages_in(CHANNEL_ID).is_empty(),
        "both parts are gone"
    );
    assert_eq!(view.deleted.len(), 2);
    let wanted: Vec<(u64, u64, u16)> = posted
        .ids
        .iter()
        .map(|id| (CHANNEL_ID, id.parse().unwrap(), 204))
        .collect();
    assert_eq!(view.deletions(), wanted);

    // Gone already (deleted by hand, or a retry): Discord says 10008, and
    // that is fine.
    bot.port
        .retract(&posted)
        .await
        .expect("already gone is fine");
    let statuses: Vec<u16> = bot
        .fake
        .view()
        .deletions()
        .iter()
        .map(|(_, _, status)| *status)
        .collect();
    assert_eq!(statuses, [204, 204, 404, 404]);
    bot.stop().await;
}

#[tokio::test]
async fn a_post_pings_nobody_whatever_it_quotes() {
    let bot = Running::start().await;
    let delivery = Delivery {
        key: "mentions:1".into(),
        to: Destination::Space(SpaceRef::new(Platform::Discord, CHANNEL_ID.to_string())),
        reply: Reply::public("ana thanks ben: “thanks <@&42> @everyone @here <@1>”"),
    };
    bot.port.deliver(&delivery).await.expect("delivered");
    let view = bot.fake.view();
    let posted: Vec<&fake::Recorded> = view
        .requests
        .iter()
        .filter(|r| r.method == "post" && r.path.ends_with("/messages"))
        .collect();
    assert_eq!(posted.len(), 1);
    assert_eq!(
        posted[0].body["allowed_mentions"],
        json!({"parse": [], "roles": [], "users": []}),
        "Discord is told to ping no role, no everyone and no user: {}",
        posted[0].body
    );
}
