//! Which Matrix room is whose, through a real Synapse: a direct room stops
//! being one when someone else is in it or its person left, and rapport
//! then opens a new one and says why (someone who leaves twice is reported
//! unreachable, as on Discord); rapport's messages mention nobody.

use std::time::Duration;

use crate::helpers::utc;
use crate::matrix::{
    Account, Bot, Partner, daily_check_ins, paired, paired_couple, synapse, until_joined,
};
use crate::matrix_privacy::{ask, timelines};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_room_with_a_third_person_is_left_for_a_new_one() {
    let Some(url) = synapse("matrix direct rooms").await else {
        return;
    };
    let account = Account::new(&url).await;
    let bot = Bot::start(&url, &account).await;
    let (ana, carl) = (
        Partner::new(&url, "ana").await,
        Partner::new(&url, "carl").await,
    );
    // ana opens a direct room with rapport from her client.
    let dm = ana
        .client
        .create_dm(&bot.user)
        .await
        .unwrap()
        .room_id()
        .to_owned();
    until_joined(&ana, &dm, 2).await;
    ask(&bot, &ana, &dm, "settings", "Your settings").await;
    assert_eq!(
        ana.seen.lock().unwrap().last().map(|s| s.room.clone()),
        Some(dm.clone()),
        "answered in the direct room, no prefix needed"
    );

    // She invites carl in (her client gave her the power to): the room is
    // no longer just the two of them.
    let room = ana.client.get_room(&dm).unwrap();
    room.invite_user_by_id(&carl.user).await.unwrap();
    until_joined(&carl, &dm, 3).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    ask(&bot, &ana, &dm, "!rapport settings", "Your settings").await;
    let seen = ana.seen.lock().unwrap().clone();
    let moved = seen
        .iter()
        .find(|s| s.sender == bot.user && s.body.contains("I've opened this new room"))
        .expect("rapport says why it moved");
    assert_ne!(moved.room, dm);
    let settings = seen
        .iter()
        .rev()
        .find(|s| s.sender == bot.user && s.body.contains("Your settings"))
        .unwrap();
    assert_eq!(
        settings.room, moved.room,
        "the private answer is in the new room"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rapports_messages_carry_an_empty_mention_list() {
    let Some(url) = synapse("matrix mentions").await else {
        return;
    };
    let account = Account::new(&url).await;
    let bot = Bot::start(&url, &account).await;
    let (ana, ben) = (
        Partner::new(&url, "ana").await,
        Partner::new(&url, "ben").await,
    );
    let room = paired(&bot, &ana, &ben).await;
    let read = timelines(&ben).await;
    let welcome = read
        .iter()
        .find(|r| r.room == room && r.json.contains("just for the two of you"))
        .expect("ben reads the welcome, which names both of them");
    assert!(
        welcome.json.contains(r#""m.mentions":{}"#),
        "{}",
        welcome.json
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_the_direct_room_opens_a_new_one_and_leaving_twice_is_reported() {
    let Some(url) = synapse("matrix leaving the direct room").await else {
        return;
    };
    let (_account, bot, ana, ben, room) = paired_couple(&url).await;
    daily_check_ins(&bot, &ana, &ben, &room).await;
    let first = ana.expect(&bot.user, "said yes to check-ins").await.room;
    assert_ne!(first, room, "ana's direct room");
    ana.client.get_room(&first).unwrap().leave().await.unwrap();
    // The bot's sync hears of it.
    tokio::time::sleep(Duration::from_millis(500)).await;

    bot.t.clock.set(utc(2026, 3, 2, 20, 0));
    bot.tick().await;
    let asked = ana.expect(&bot.user, "Check-in time").await;
    assert_ne!(asked.room, first, "not into the room she left");
    let why = ana.expect(&bot.user, "I've opened this new room").await;
    assert_eq!(why.room, asked.room, "the new room says why it is there");

    // She leaves that one too: a third invite would be pushing.
    ana.client
        .get_room(&asked.room)
        .unwrap()
        .leave()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    bot.t.clock.set(utc(2026, 3, 3, 20, 0));
    bot.tick().await;
    // The failed question queues the note to the couple; the next pass sends it.
    bot.tick().await;
    let told = ben.expect(&bot.user, "couldn't send").await;
    assert_eq!(told.room, room, "the couple's room hears she missed it");
    let questions = ana
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|s| s.sender == bot.user && s.body.contains("Check-in time"))
        .count();
    assert_eq!(questions, 1, "no new room, no question pushed at her");
}
