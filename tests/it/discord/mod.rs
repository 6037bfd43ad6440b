//! The Discord adapter end to end, against the fake Discord in `fake/`:
//! real serenity and poise over HTTP and a WebSocket on 127.0.0.1, every
//! body checked against Discord's OpenAPI document.

mod ephemeral;
mod erasure;
pub mod fake;
mod offline;
mod operators;
pub mod payloads;
mod processes;
mod registration;
mod restarts;
mod threads;

use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::oneshot;

use rapport::adapters::discord::{DiscordBot, DiscordPort, DiscordSettings};
use rapport::delivery::{ChatPort, Delivery, Ports};
use rapport::domain::{Destination, Platform, Reply, UserRef};
use rapport::prompts::Key;

use crate::helpers::{TestEngine, spawn_engine, spawn_engine_on, utc};
use fake::json::user_json;
use fake::{BOT_ID, CHANNEL_ID, FakeDiscord, GUILD_ID};
pub use payloads::{ANA, BEN, command, envelope, int_option, text_option};

/// A bot connected to a fresh fake, its commands registered.
pub struct Running {
    pub fake: FakeDiscord,
    pub t: TestEngine,
    pub port: std::sync::Arc<DiscordPort>,
    pub ports: Ports,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

pub fn settings(api_base: &str) -> DiscordSettings {
    DiscordSettings {
        token: "fake-token".to_owned().into(),
        api_base: Some(api_base.to_owned()),
        guild_id: Some(GUILD_ID),
        requests_per_second: 45,
        rate_limit_pause: Duration::from_millis(20),
        read_messages: false,
        rate_window: Duration::from_secs(1),
        share_budget: false,
        shards: None,
        defer_after: rapport::adapters::discord::DEFER_AFTER,
    }
}

impl Running {
    pub async fn start() -> Running {
        Running::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut DiscordSettings)) -> Running {
        Running::launch(spawn_engine().await, adjust).await
    }

    /// A bot whose engine keeps its data at `url` (a SQLite file, say).
    pub async fn start_on(url: &str) -> Running {
        Running::launch(spawn_engine_on(url).await, |_| {}).await
    }

    async fn launch(t: TestEngine, adjust: impl FnOnce(&mut DiscordSettings)) -> Running {
        let fake = FakeDiscord::start().await;
        fake.add_user(ANA, "ana");
        fake.add_user(BEN, "ben");
        let mut settings = settings(&fake.api_base);
        adjust(&mut settings);
        let bot = DiscordBot::connect(settings, t.engine.clone())
            .await
            .expect("the bot connects to the fake");
        let port = bot.port();
        let ports = Ports::default().with(port.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(bot.run(async move {
            let _ = stopped.await;
        }));
        fake.wait_for("the commands to be registered", |v| {
            v.commands
                .as_array()
                .is_some_and(|c| !c.is_empty())
                .then_some(())
        })
        .await;
        Running {
            fake,
            t,
            port,
            ports,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Runs a slash command and waits for its answer.
    pub async fn slash(
        &self,
        user: u64,
        in_channel: bool,
        path: &str,
        options: Value,
    ) -> fake::Answer {
        let id = self.fake.interact(command(user, in_channel, path, options));
        self.answer(id).await
    }

    /// Asks for a rewording of `message` and waits for the answer.
    pub async fn reword(&self, user: u64, in_channel: bool, message: &str) -> fake::Answer {
        let text = json!([text_option("message", message)]);
        self.slash(user, in_channel, "reword", text).await
    }

    pub async fn answer(&self, id: u64) -> fake::Answer {
        self.fake
            .wait_for("an interaction answer", |v| v.answer_to(id).cloned())
            .await
    }

    /// Clicks the button with `label` on a message, or picks a menu entry.
    pub async fn click(&self, user: u64, message: &fake::Posted, label: &str) -> fake::Answer {
        let id = self.fake.interact(click(user, message, label));
        self.answer(id).await
    }

    /// One scheduler and delivery pass.
    pub async fn tick(&self) {
        self.t.tick(&self.ports).await;
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let ended = tokio::time::timeout(Duration::from_secs(10), task).await;
            assert!(
                matches!(ended, Ok(Ok(Ok(())))),
                "the bot stops cleanly: {ended:?}"
            );
        }
        assert_eq!(
            self.fake.problems(),
            Vec::<String>::new(),
            "traffic Discord would refuse"
        );
    }
}

/// The components of a message or an answer, as (label, custom id, type).
pub fn controls(components: &Value) -> Vec<(String, String, u64)> {
    let mut found = Vec::new();
    for row in components.as_array().into_iter().flatten() {
        for item in row["components"].as_array().into_iter().flatten() {
            match item["type"].as_u64() {
                Some(2) => found.push((
                    item["label"].as_str().unwrap_or("").to_owned(),
                    item["custom_id"].as_str().unwrap_or("").to_owned(),
                    2,
                )),
                Some(3) => {
                    for option in item["options"].as_array().into_iter().flatten() {
                        found.push((
                            option["label"].as_str().unwrap_or("").to_owned(),
                            option["value"].as_str().unwrap_or("").to_owned(),
                            3,
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    found
}

/// A click on the button (or menu entry) labelled `label`.
pub fn click(user: u64, message: &fake::Posted, label: &str) -> Value {
    let (_, id, kind) = controls(&message.components)
        .into_iter()
        .find(|(l, _, _)| l == label)
        .unwrap_or_else(|| panic!("no {label:?} on {:?}", message.components));
    let data = if kind == 3 {
        json!({"custom_id": "menu", "component_type": 3, "values": [id]})
    } else {
        json!({"custom_id": id, "component_type": 2})
    };
    let in_channel = message.channel_id == CHANNEL_ID;
    let mut interaction = envelope(user, in_channel, message.channel_id, 3, data);
    interaction["message"] = message.json.clone();
    interaction
}

/// A submitted note form.
pub fn form(user: u64, in_channel: bool, channel: u64, custom_id: &str, note: &str) -> Value {
    let data = json!({
        "custom_id": custom_id,
        "components": [{"type": 1, "components": [{"type": 4, "custom_id": "note", "value": note}]}],
    });
    envelope(user, in_channel, channel, 5, data)
}

fn content(answer: &fake::Answer) -> String {
    answer.data["content"].as_str().unwrap_or("").to_owned()
}

/// An ephemeral answer as Discord gives it back with a click on it, in
/// `channel`; `with_controls` puts its controls in the message too.
pub fn as_shown(answer: &fake::Answer, channel: u64, with_controls: bool) -> fake::Posted {
    let controls = if with_controls {
        answer.data["components"].clone()
    } else {
        json!([])
    };
    fake::Posted {
        channel_id: channel,
        content: content(answer),
        components: answer.data["components"].clone(),
        files: Vec::new(),
        json: json!({
            "id": "1", "channel_id": channel.to_string(), "author": user_json(BOT_ID, "rapport", true),
            "content": content(answer), "timestamp": "2026-11-23T10:00:00.000000+00:00",
            "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
            "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 20, "flags": 64,
            "components": controls,
        }),
    }
}

fn ephemeral(answer: &fake::Answer) -> bool {
    answer.data["flags"].as_u64().unwrap_or(0) & 64 != 0
}

/// ana invites ben in the channel; ben accepts with the button in his DM.
async fn pair_only(bot: &Running) {
    let invited = bot
        .slash(
            ANA,
            true,
            "pair invite",
            json!([{"name": "partner", "type": 6, "value": BEN.to_string()}]),
        )
        .await;
    assert_eq!(invited.kind, 4, "{invited:?}");
    // ben has never used rapport: he is named as Discord showed him.
    let sent = content(&invited);
    assert!(
        sent.contains("sent ben") && !sent.contains(&BEN.to_string()),
        "{sent}"
    );
    bot.tick().await;
    let view = bot.fake.view();
    let invite = view
        .dms_to(BEN)
        .last()
        .copied()
        .cloned()
        .expect("ben gets the invite in a DM");
    assert!(invite.content.contains("ana"), "{invite:?}");
    let accepted = bot
        .click(BEN, &invite, &bot.t.text(Key::PairChoiceAccept, &[]))
        .await;
    assert!(content(&accepted).contains("ana"), "{accepted:?}");
    // The answered invite keeps its buttons in view, none of them usable
    // (the edit follows the answer).
    let invite_id = invite.id();
    let buttons = bot
        .fake
        .wait_for("the invite's buttons to be disabled", |v| {
            let answered = v.dms_to(BEN).into_iter().find(|m| m.id() == invite_id)?;
            let buttons: Vec<Value> = answered.components[0]["components"].as_array()?.clone();
            buttons
                .iter()
                .all(|button| button["disabled"] == json!(true))
                .then_some(buttons.len())
        })
        .await;
    assert_eq!(buttons, 2, "both Accept and Decline");
    bot.tick().await;
}

/// [`pair_only`], then ana proposes the channel as their space and ben
/// agrees with the button in his DM.
async fn pair(bot: &Running) {
    pair_only(bot).await;
    // The channel becomes their space only when both say so.
    let proposed = bot.slash(ANA, true, "pair here", json!([])).await;
    assert!(
        content(&proposed).contains("Nothing changes until"),
        "{proposed:?}"
    );
    bot.tick().await;
    let view = bot.fake.view();
    let proposal = view
        .dms_to(BEN)
        .last()
        .copied()
        .cloned()
        .expect("ben is asked in a DM");
    bot.click(BEN, &proposal, &bot.t.text(Key::PairChoiceSpaceAccept, &[]))
        .await;
    bot.tick().await;
}

/// ana proposes private check-ins daily at 21:00; ben accepts with the
/// button in his DM; ana hears of it.
async fn daily_check_ins(bot: &Running) {
    let proposed = bot
        .slash(
            ANA,
            true,
            "checkin schedule",
            json!([text_option("when", "daily 21:00"), int_option("kind", 0)]),
        )
        .await;
    assert!(content(&proposed).contains("ben"), "{proposed:?}");
    bot.tick().await;
    let view = bot.fake.view();
    let proposal = view.dms_to(BEN).last().copied().cloned().unwrap();
    bot.click(BEN, &proposal, &bot.t.text(Key::CheckinChoiceAccept, &[]))
        .await;
    bot.tick().await;
}

#[tokio::test]
async fn commands_are_registered_for_every_engine_command_with_descriptions() {
    let bot = Running::start().await;
    let view = bot.fake.view();
    let commands = view.commands.as_array().unwrap();
    let names: Vec<&str> = commands.iter().filter_map(|c| c["name"].as_str()).collect();
    for expected in [
        "help",
        "pair",
        "settings",
        "checkin",
        "reword",
        "nudges",
        "goal",
        "agree",
        "journal",
        "appreciate",
        "recap",
        "mydata",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    let put = view
        .requests
        .iter()
        .find(|r| r.method == "put")
        .expect("commands are put");
    assert_eq!(
        put.path,
        format!("/applications/{BOT_ID}/guilds/{GUILD_ID}/commands"),
        "registered to the test guild, as configured"
    );
    let zone = commands
        .iter()
        .find(|c| c["name"] == "settings")
        .and_then(|c| {
            c["options"]
                .as_array()?
                .iter()
                .find(|o| o["name"] == "zone")
                .cloned()
        })
        .expect("settings zone");
    assert_eq!(zone["options"][0]["autocomplete"], json!(true));
    assert_eq!(
        view.intents, 1,
        "GUILDS only: no message content, no DMs' text"
    );
    bot.stop().await;
}

#[tokio::test]
async fn pairing_then_a_private_checkin_answered_with_buttons_and_a_form() {
    let bot = Running::start().await;
    pair(&bot).await;

    daily_check_ins(&bot).await;

    bot.t.clock.set(utc(2026, 3, 2, 21, 1));
    bot.tick().await;
    let view = bot.fake.view();
    let asked_ana = view
        .dms_to(ANA)
        .last()
        .copied()
        .cloned()
        .expect("ana is asked in a DM");
    let asked_ben = view
        .dms_to(BEN)
        .last()
        .copied()
        .cloned()
        .expect("ben is asked in a DM");
    let ratings = controls(&asked_ana.components);
    assert_eq!(ratings.len(), 10, "{ratings:?}");
    assert_eq!(ratings[6].0, "7");

    // A rating opens the note form; the form's answer completes it.
    let opened = bot.click(ANA, &asked_ana, "7").await;
    assert_eq!(opened.kind, 9, "a form: {opened:?}");
    let form_id = opened.data["custom_id"].as_str().unwrap().to_owned();
    let saved = bot.fake.interact(form(
        ANA,
        false,
        asked_ana.channel_id,
        &form_id,
        "I felt heard this week",
    ));
    let saved = bot.answer(saved).await;
    assert!(
        content(&saved).contains("ben"),
        "waiting for ben: {saved:?}"
    );

    let opened = bot.click(BEN, &asked_ben, "8").await;
    let form_id = opened.data["custom_id"].as_str().unwrap().to_owned();
    let done = bot
        .fake
        .interact(form(BEN, false, asked_ben.channel_id, &form_id, ""));
    bot.answer(done).await;

    bot.tick().await;
    bot.tick().await;
    let view = bot.fake.view();
    // A server channel is never just the two of them: the reveal goes to
    // each partner's DMs, and nothing of it to the channel.
    assert!(
        view.messages_in(CHANNEL_ID)
            .iter()
            .all(|m| !m.content.contains("(7/10)")),
        "{:?}",
        view.messages_in(CHANNEL_ID)
    );
    let reveal = view
        .dms_to(BEN)
        .into_iter()
        .find(|m| m.content.contains("(7/10)"))
        .unwrap_or_else(|| panic!("the reveal reaches ben privately: {:?}", view.dms_to(BEN)));
    assert!(
        view.dms_to(ANA)
            .iter()
            .any(|m| m.content.contains("(8/10)")),
        "and ana"
    );
    assert!(
        reveal.content.contains("I felt heard this week"),
        "{reveal:?}"
    );
    assert!(reveal.content.contains("(8/10)"), "{reveal:?}");

    // The history comes back with its chart attached, privately.
    let history = bot.slash(ANA, true, "checkin history", json!([])).await;
    assert!(ephemeral(&history), "{history:?}");
    assert_eq!(history.files.len(), 1, "{history:?}");
    assert!(history.files[0].ends_with(".png"), "{history:?}");
    bot.stop().await;
}

#[tokio::test]
async fn reword_answers_privately_with_a_menu_of_feelings() {
    let bot = Running::start().await;
    let answer = bot.reword(ANA, true, "You never listen to me").await;
    assert_eq!(answer.kind, 4);
    assert!(ephemeral(&answer), "only ana sees it: {answer:?}");
    let feelings = controls(&answer.data["components"]);
    assert!(
        !feelings.is_empty() && feelings.iter().all(|(_, _, kind)| *kind == 3),
        "{feelings:?}"
    );

    // Picking a feeling asks again with it.
    let shown = as_shown(&answer, CHANNEL_ID, false);
    let (label, _, _) = feelings[0].clone();
    let again = bot.click(ANA, &shown, &label).await;
    assert!(ephemeral(&again), "{again:?}");
    assert!(
        content(&again).contains(&label),
        "the chosen feeling is used: {again:?}"
    );
    assert!(
        bot.fake.view().messages_in(CHANNEL_ID).is_empty(),
        "nothing public"
    );
    bot.stop().await;
}

#[tokio::test]
async fn an_interaction_sent_while_the_gateway_is_down_is_answered_after_resume() {
    let bot = Running::start().await;
    bot.fake.drop_connection();
    bot.fake
        .wait_for("the drop", |v| (!v.connected).then_some(()))
        .await;
    let id = bot.fake.interact(command(ANA, true, "help", json!([])));
    let answer = bot.answer(id).await;
    assert!(!content(&answer).is_empty());
    let view = bot.fake.view();
    assert_eq!(
        (view.identifies, view.resumes),
        (1, 1),
        "resumed, not a new session"
    );
    bot.stop().await;
}

#[tokio::test]
async fn a_429_is_retried_and_a_redelivery_is_shown_once() {
    let bot = Running::start().await;
    bot.fake.fail_next(
        "/messages",
        429,
        json!({"message": "You are being rate limited.", "retry_after": 0.02, "global": true}),
    );
    let delivery = Delivery {
        key: "test:1".into(),
        to: Destination::Space(rapport::domain::SpaceRef::new(
            Platform::Discord,
            CHANNEL_ID.to_string(),
        )),
        reply: Reply::public("Hello, you two."),
    };
    bot.port
        .deliver(&delivery)
        .await
        .expect("delivered after the 429");
    bot.port.deliver(&delivery).await.expect("a repeat is fine");
    let view = bot.fake.view();
    let statuses: Vec<u16> = view
        .requests
        .iter()
        .filter(|r| r.path.ends_with("/messages"))
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [429, 200, 200]);
    let bodies: Vec<&Value> = view
        .requests
        .iter()
        .filter(|r| r.path.ends_with("/messages"))
        .map(|r| &r.body)
        .collect();
    assert!(
        bodies.windows(2).all(|w| w[0]["nonce"] == w[1]["nonce"])
            && bodies[0]["enforce_nonce"] == json!(true),
        "every try carries the same nonce: {bodies:?}"
    );
    assert_eq!(
        view.messages_in(CHANNEL_ID).len(),
        1,
        "the nonce keeps it to one message"
    );
    bot.stop().await;
}

/// Daily check-ins, then ben closes his DMs and two of them fire.
async fn two_check_ins_with_bens_dms_closed(bot: &Running) {
    daily_check_ins(bot).await;
    bot.fake.close_dms(BEN);
    for day in [2, 3] {
        bot.t.clock.set(utc(2026, 3, day, 21, 1));
        bot.tick().await;
        bot.tick().await;
    }
}

#[tokio::test]
async fn closed_dms_are_told_to_the_partner_privately_without_a_shared_space() {
    let bot = Running::start().await;
    pair_only(&bot).await;
    two_check_ins_with_bens_dms_closed(&bot).await;
    let view = bot.fake.view();
    let told: Vec<_> = view
        .dms_to(ANA)
        .into_iter()
        .filter(|m| m.content.contains("couldn't send ben a private message"))
        .collect();
    assert_eq!(told.len(), 1, "{:?}", view.dms_to(ANA));
    assert!(
        view.messages_in(CHANNEL_ID)
            .iter()
            .all(|m| !m.content.contains("couldn't send ben")),
        "the channel is nobody's space, so nothing is said there"
    );
    bot.stop().await;
}

#[tokio::test]
async fn closed_dms_are_reported_to_the_couples_channel_once() {
    let bot = Running::start().await;
    pair(&bot).await;
    two_check_ins_with_bens_dms_closed(&bot).await;
    let view = bot.fake.view();
    let notices: Vec<_> = view
        .messages_in(CHANNEL_ID)
        .into_iter()
        .filter(|m| m.content.contains("couldn't send ben a private message"))
        .collect();
    assert_eq!(notices.len(), 1, "{:?}", view.messages_in(CHANNEL_ID));
    assert!(view.requests.iter().any(|r| r.status == 403));
    bot.stop().await;
}

#[tokio::test]
async fn a_chart_goes_out_as_an_attachment() {
    let bot = Running::start().await;
    let chart = Reply {
        attachment: Some(rapport::domain::Attachment {
            filename: "chart.png".into(),
            mime_type: "image/png".into(),
            bytes: vec![137, 80, 78, 71],
        }),
        ..Reply::private("Your recent check-ins")
    };
    let delivery = Delivery {
        key: "chart:1".into(),
        to: Destination::User(UserRef::new(Platform::Discord, ANA.to_string())),
        reply: chart,
    };
    bot.port.deliver(&delivery).await.expect("delivered");
    let view = bot.fake.view();
    let sent = view.dms_to(ANA);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].files, ["chart.png"]);
    let upload = view
        .requests
        .iter()
        .find(|r| r.path.ends_with("/messages"))
        .unwrap();
    assert_eq!(upload.files, ["chart.png"], "sent as a multipart upload");
    bot.stop().await;
}

#[tokio::test]
async fn paced_deliveries_stay_under_discords_global_limit() {
    let bot = Running::start_with(|s| s.requests_per_second = 8).await;
    bot.fake.limit_per_second(10);
    for n in 0..20 {
        let delivery = Delivery {
            key: format!("paced:{n}"),
            to: Destination::Space(rapport::domain::SpaceRef::new(
                Platform::Discord,
                CHANNEL_ID.to_string(),
            )),
            reply: Reply::public(format!("message {n}")),
        };
        bot.port.deliver(&delivery).await.expect("delivered");
    }
    let view = bot.fake.view();
    assert_eq!(view.messages_in(CHANNEL_ID).len(), 20);
    assert_eq!(view.rate_limited, 0, "never over the limit");
    bot.stop().await;
}

/// An autocomplete request for `option` of `path`, with `typed` so far.
fn autocomplete(user: u64, path: &str, option: &str, typed: &str) -> Value {
    let mut interaction = command(
        user,
        true,
        path,
        json!([{"name": option, "type": 3, "value": typed, "focused": true}]),
    );
    interaction["type"] = json!(4);
    interaction
}

fn suggested(answer: &fake::Answer) -> Vec<(String, String)> {
    answer.data["choices"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or("").to_owned(),
                c["value"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn zones_and_goals_are_suggested_while_typing() {
    let bot = Running::start().await;
    let zones = bot
        .fake
        .interact(autocomplete(ANA, "settings zone", "zone", "berl"));
    let zones = bot.answer(zones).await;
    assert_eq!(zones.kind, 8, "{zones:?}");
    assert!(
        suggested(&zones).contains(&("Europe/Berlin".into(), "Europe/Berlin".into())),
        "{zones:?}"
    );

    pair(&bot).await;
    bot.slash(
        ANA,
        true,
        "goal new",
        json!([
            int_option("for", 0),
            text_option("title", "Walk together twice a week")
        ]),
    )
    .await;
    let goals = bot
        .fake
        .interact(autocomplete(BEN, "goal accept", "goal", "walk"));
    let goals = bot.answer(goals).await;
    let goals = suggested(&goals);
    assert_eq!(goals.len(), 1, "{goals:?}");
    assert!(goals[0].0.contains("Walk together"), "{goals:?}");
    let accepted = bot
        .slash(
            BEN,
            true,
            "goal accept",
            json!([text_option("goal", &goals[0].1)]),
        )
        .await;
    assert!(content(&accepted).contains("Walk together"), "{accepted:?}");
    bot.stop().await;
}

#[tokio::test]
async fn a_failed_answer_is_logged_and_the_person_gets_a_kind_error() {
    let bot = Running::start().await;
    bot.fake.fail_next(
        "/callback",
        500,
        json!({"code": 0, "message": "500: Internal Server Error"}),
    );
    let answer = bot.slash(ANA, true, "help", json!([])).await;
    assert_eq!(content(&answer), bot.t.text(Key::ErrorInternal, &[]));
    assert!(ephemeral(&answer), "{answer:?}");
    bot.stop().await;
}

#[tokio::test]
async fn commands_can_be_registered_globally() {
    let bot = Running::start_with(|s| s.guild_id = None).await;
    let view = bot.fake.view();
    let put = view.requests.iter().find(|r| r.method == "put").unwrap();
    assert_eq!(put.path, format!("/applications/{BOT_ID}/commands"));
    bot.stop().await;
}

#[tokio::test]
async fn server_settings_need_manage_server() {
    let bot = Running::start().await;
    let view = bot.fake.view();
    let server = view
        .commands
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "server")
        .cloned()
        .expect("the server command");
    assert_eq!(
        server["default_member_permissions"],
        json!("32"),
        "hidden from members"
    );
    assert_eq!(server["contexts"], json!([0]), "servers only");

    // A member without Manage Server is refused, kindly.
    let mut member_only = command(BEN, true, "server nudges", json!([int_option("state", 1)]));
    member_only["member"]["permissions"] = json!("1024");
    let refused = bot.fake.interact(member_only);
    let refused = bot.answer(refused).await;
    assert_eq!(
        content(&refused),
        bot.t.text(Key::DiscordNeedsManageServer, &[])
    );

    // Someone who can manage the server (1024 + 32) turns the coach off here.
    let mut manager = command(ANA, true, "server nudges", json!([int_option("state", 1)]));
    manager["member"]["permissions"] = json!("1056");
    let turned_off = bot.fake.interact(manager);
    let turned_off = bot.answer(turned_off).await;
    assert_eq!(
        content(&turned_off),
        bot.t.text(Key::SettingsSpaceNudgesOff, &[])
    );
    assert!(!ephemeral(&turned_off), "the channel sees it");
    bot.stop().await;
}

#[tokio::test]
async fn slow_answers_are_deferred_then_completed() {
    // Always deferring stands in for an engine slower than Discord's 3 s.
    let bot = Running::start_with(|s| s.defer_after = Duration::ZERO).await;
    let token = |id: u64| format!("token-{id}");

    // A private answer completes the private "thinking…" in place.
    let id = bot.fake.interact(command(ANA, true, "help", json!([])));
    let deferred = bot.answer(id).await;
    assert_eq!(deferred.kind, 5, "{deferred:?}");
    assert!(ephemeral(&deferred), "deferred privately: {deferred:?}");
    let edit = bot
        .fake
        .wait_for("the edited answer", |v| {
            v.followups
                .iter()
                .find(|(_, t, _)| *t == token(id))
                .cloned()
        })
        .await;
    assert_eq!(edit.0, "patch");
    assert_eq!(
        edit.2["content"].as_str(),
        Some(bot.t.text(Key::HelpOverview, &[]).as_str())
    );
    // The benchmark's clock: the deferral acknowledged it, the edit showed it.
    let (acknowledged, shown) = bot.fake.timing(id);
    assert!(
        acknowledged
            .zip(shown)
            .is_some_and(|(ack, shown)| ack <= shown),
        "{acknowledged:?} {shown:?}"
    );

    // A public answer replaces it with a message everyone sees.
    let mut manager = command(ANA, true, "server nudges", json!([int_option("state", 1)]));
    manager["member"]["permissions"] = json!("1056");
    let id = bot.fake.interact(manager);
    let deferred = bot.answer(id).await;
    assert_eq!(deferred.kind, 5, "{deferred:?}");
    let steps = bot
        .fake
        .wait_for("the public follow-up", |v| {
            let steps: Vec<_> = v
                .followups
                .iter()
                .filter(|(_, t, _)| *t == token(id))
                .cloned()
                .collect();
            (steps.len() == 2).then_some(steps)
        })
        .await;
    assert_eq!(
        (steps[0].0.as_str(), steps[1].0.as_str()),
        ("delete", "post")
    );
    assert_eq!(
        steps[1].2["flags"].as_u64().unwrap_or(0) & 64,
        0,
        "not ephemeral"
    );
    assert_eq!(
        steps[1].2["content"].as_str(),
        Some(bot.t.text(Key::SettingsSpaceNudgesOff, &[]).as_str())
    );
    bot.stop().await;
}

/// The binary as an admin runs it: configured from the environment only.
/// `rapport run` in `dir` against the Discord at `api_base`, with a SQLite
/// store there and `extra` environment; stderr is piped for the test.
pub(crate) fn rapport_run(
    dir: &std::path::Path,
    api_base: &str,
    extra: &[(&str, String)],
) -> tokio::process::Child {
    let guild = GUILD_ID.to_string();
    let discord = [
        ("RAPPORT_DISCORD__TOKEN", "fake-token"),
        ("RAPPORT_DISCORD__API_BASE", api_base),
        ("RAPPORT_DISCORD__GUILD_ID", guild.as_str()),
    ];
    let extra = extra.iter().map(|(key, value)| (*key, value.as_str()));
    crate::helpers::rapport_run_with(dir, discord.into_iter().chain(extra))
}

/// Until the binary has registered its commands with the fake.
pub(crate) async fn until_registered(fake: &FakeDiscord, child: &mut tokio::process::Child) {
    let registered = fake.wait_for("the commands to be registered", |v| {
        v.commands
            .as_array()
            .is_some_and(|c| !c.is_empty())
            .then_some(())
    });
    tokio::select! {
        () = registered => {}
        exited = child.wait() => panic!("rapport stopped early: {exited:?}"),
    }
}

/// A signal to a running `rapport`: `INT` as Ctrl-C, `TERM` as systemd
/// stopping the service.
pub(crate) fn signal(child: &tokio::process::Child, name: &str) {
    let pid = child.id().expect("still running").to_string();
    let interrupted = std::process::Command::new("kill")
        .args([&format!("-{name}"), &pid])
        .status()
        .unwrap();
    assert!(interrupted.success());
}

#[tokio::test]
async fn rapport_run_serves_discord_from_its_configuration() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut child = rapport_run(dir.path(), &fake.api_base, &[]);
    until_registered(&fake, &mut child).await;
    let id = fake.interact(command(ANA, true, "settings show", json!([])));
    let answer = fake
        .wait_for("an answer", |v| v.answer_to(id).cloned())
        .await;
    assert!(ephemeral(&answer), "{answer:?}");

    signal(&child, "INT");
    let output = tokio::time::timeout(Duration::from_secs(20), child.wait_with_output())
        .await
        .expect("rapport stops on Ctrl-C")
        .unwrap();
    let logs = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{logs}");
    assert!(!logs.contains("fake-token"), "the token is never logged");
    assert!(dir.path().join("rapport.db").exists());
    assert_eq!(fake.problems(), Vec::<String>::new());
}

/// The DM number `index` to `user`, ticking the bot between looks. A tick
/// is never cut off halfway: a cancelled query would cost the in-memory
/// store its only connection, and with it every table.
async fn next_dm(bot: &Running, user: u64, index: usize) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(message) = bot.fake.view().dms_to(user).get(index) {
            return message.content.clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no DM {index} to {user}"
        );
        bot.tick().await;
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn with_message_content_the_coach_nudges_privately_in_the_channel() {
    let bot = Running::start_with(|s| s.read_messages = true).await;
    let (guild_messages, message_content) = (1 << 9, 1 << 15);
    assert_eq!(
        bot.fake.view().intents,
        1 | guild_messages | message_content
    );
    pair(&bot).await;
    for user in [ANA, BEN] {
        bot.slash(user, false, "nudges", json!([int_option("state", 0)]))
            .await;
    }
    bot.tick().await;
    let before = bot.fake.view().dms_to(ANA).len();
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::json::message_from(42, ANA, "ana", "You always leave the lights on"),
    );
    let nudge = next_dm(&bot, ANA, before).await;
    assert!(nudge.to_lowercase().contains("i feel"), "{nudge}");
    assert!(
        bot.fake
            .view()
            .messages_in(CHANNEL_ID)
            .iter()
            .all(|m| !m.content.contains("lights")),
        "nothing is said in the channel"
    );
    // A kind message edited into a blaming one is read again.
    let before = bot.fake.view().dms_to(BEN).len();
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        fake::json::message_from(43, BEN, "ben", "Dinner at 7?"),
    );
    let mut edited = fake::json::message_from(43, BEN, "ben", "You never help with dinner");
    edited["edited_timestamp"] = json!("2026-03-02T09:05:00.000000+00:00");
    bot.fake.dispatch("MESSAGE_UPDATE", edited);
    let nudge = next_dm(&bot, BEN, before).await;
    assert!(
        nudge.contains("dinner"),
        "the nudge is about the edited words: {nudge}"
    );
    assert_eq!(
        bot.fake.view().dms_to(BEN).len(),
        before + 1,
        "one nudge, for the edit"
    );
    bot.stop().await;
}

#[tokio::test]
async fn a_refused_token_ends_the_run_with_an_error() {
    let fake = FakeDiscord::start().await;
    let t = spawn_engine().await;
    let mut settings = settings(&fake.api_base);
    settings.token = fake::REFUSED_TOKEN.to_owned().into();
    let bot = DiscordBot::connect(settings, t.engine.clone())
        .await
        .expect("set-up needs no gateway yet");
    let ended = tokio::time::timeout(Duration::from_secs(20), bot.run(std::future::pending()))
        .await
        .expect("the run ends on its own");
    assert!(ended.is_err(), "{ended:?}");
}
