//! Restarts in the middle of a flow, through a real Synapse: the bot stops,
//! and a new engine on the same database file takes over, as after a
//! crash. A choice offered before still picks what it offered, by typed
//! number or keycap; a menu that held the person's words says it expired,
//! and those words were never written to the file. A journal entry written
//! before the restart changes when its message is edited after it, until
//! a check-in has shown it, and the words it replaced leave the file.

use matrix_sdk::ruma::events::reaction::ReactionEventContent;
use matrix_sdk::ruma::events::relation::Annotation;
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId};

use crate::helpers::{spawn_engine_on, utc};
use crate::matrix::{Account, Bot, Partner, daily_check_ins, paired, synapse};
use crate::matrix_privacy::{ask, direct_rooms, holding};

/// Stops `bot` and starts another on a new engine over the same file, its
/// clock a minute on (the test engines' random numbers start alike, so
/// the same second would draw the same request keys).
async fn restart(bot: Bot, url: &str, account: &Account, db: &str) -> Bot {
    let now = rapport::clock::Clock::now(bot.t.clock.as_ref());
    drop(bot.shut_down().await);
    let fresh = spawn_engine_on(db).await;
    fresh.clock.set(now + chrono::Duration::minutes(1));
    Bot::start_on(url, account, fresh).await
}

/// Waits for the bot's next answer to `who` holding `answer`, after
/// `before` messages were seen.
async fn hear(bot: &Bot, who: &Partner, before: usize, answer: &str) {
    for _ in 0..600 {
        let heard = who.seen.lock().unwrap()[before..]
            .iter()
            .any(|s| s.sender == bot.user && s.body.contains(answer));
        if heard {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{} never heard {answer:?}", who.user);
}

/// Edits `original` to `text` and waits for the answer holding `answer`.
async fn edit(
    bot: &Bot,
    who: &Partner,
    room: &OwnedRoomId,
    original: &OwnedEventId,
    text: &str,
    answer: &str,
) {
    let before = who.seen.lock().unwrap().len();
    who.edit(room, original, text).await;
    hear(bot, who, before, answer).await;
}

/// Reacts to `event` with `key` and waits for the bot's answer holding
/// `answer`.
async fn react(
    bot: &Bot,
    who: &Partner,
    room: &OwnedRoomId,
    event: &OwnedEventId,
    key: &str,
    answer: &str,
) {
    let before = who.seen.lock().unwrap().len();
    let reaction = ReactionEventContent::new(Annotation::new(event.clone(), key.into()));
    who.client
        .get_room(room)
        .unwrap()
        .send(reaction)
        .await
        .unwrap();
    hear(bot, who, before, answer).await;
}

/// A bot whose database is a file, with ana and ben paired through it.
struct OnFile {
    data: tempfile::TempDir,
    db: String,
    account: Account,
    bot: Bot,
    ana: Partner,
    ben: Partner,
    room: OwnedRoomId,
}

impl OnFile {
    async fn paired(url: &str) -> OnFile {
        let data = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}", data.path().join("rapport.db").display());
        let account = Account::new(url).await;
        let bot = Bot::start_on(url, &account, spawn_engine_on(&db).await).await;
        let (ana, ben) = (
            Partner::new(url, "ana").await,
            Partner::new(url, "ben").await,
        );
        let room = paired(&bot, &ana, &ben).await;
        OnFile {
            data,
            db,
            account,
            bot,
            ana,
            ben,
            room,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn choices_offered_before_a_restart_still_pick_and_word_menus_expire() {
    let Some(url) = synapse("matrix choices across restarts").await else {
        return;
    };
    let OnFile {
        data,
        db,
        account,
        bot,
        ana,
        ben,
        room,
    } = OnFile::paired(&url).await;
    daily_check_ins(&bot, &ana, &ben, &room).await;
    bot.t.clock.set(utc(2026, 3, 2, 20, 0));
    bot.tick().await;
    let asked_ana = ana.expect(&bot.user, "Check-in time").await;
    let asked_ben = ben.expect(&bot.user, "Check-in time").await;
    // ana's newest offer is a reword menu: it holds her words.
    let words = "You never listen to me about the garden";
    let menu = ask(
        &bot,
        &ana,
        &asked_ana.room,
        &format!("reword {words}"),
        "I feel",
    )
    .await;
    assert!(menu.contains("1️⃣"), "the menu offers feelings: {menu}");

    let bot = restart(bot, &url, &account, &db).await;
    // ben types the number of a rating offered before the restart.
    ask(&bot, &ben, &asked_ben.room, "8", "your answer is saved").await;
    // ana's typed number picks from her newest offer, the menu, whose
    // words the restart forgot: she is told so, kindly.
    ask(
        &bot,
        &ana,
        &asked_ana.room,
        "2",
        "That menu expired when I restarted",
    )
    .await;
    // Her keycap on the question, older than the menu, picks its rating.
    react(
        &bot,
        &ana,
        &asked_ana.room,
        &asked_ana.event,
        "6️⃣",
        "You've both answered",
    )
    .await;
    bot.tick().await;
    let reveal = ben.expect(&bot.user, "(6/10)").await;
    assert_eq!(reveal.room, room, "the reveal lands in the shared room");
    assert!(
        reveal.body.contains("(8/10)"),
        "ben's rating: {}",
        reveal.body
    );

    let drop_words = holding(data.path(), "listen to me about the garden");
    assert!(
        drop_words.is_empty(),
        "the menu's words reached {drop_words:?}"
    );
    let stored: Vec<Option<String>> = {
        let mut tx = bot.t.engine.store().begin().await.unwrap();
        sqlx::query_scalar("SELECT command FROM choice_offers")
            .fetch_all(&mut *tx)
            .await
            .unwrap()
    };
    assert!(
        stored
            .iter()
            .flatten()
            .any(|command| command.starts_with("checkin answer round:")),
        "the ratings are stored: {stored:?}"
    );
    assert!(
        stored.iter().any(Option::is_none),
        "the menu's choices are stored without their commands: {stored:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_journal_entry_changes_across_a_restart_until_a_check_in_shows_it() {
    let Some(url) = synapse("matrix journal edits").await else {
        return;
    };
    let OnFile {
        data,
        db,
        account,
        bot,
        ana,
        ben,
        room,
    } = OnFile::paired(&url).await;
    let (dm, _) = direct_rooms(&bot, &ana, &ben).await;
    let before = ana.seen.lock().unwrap().len();
    let written = ana
        .say(&dm, "journal write first-draft-marker of my day")
        .await;
    hear(&bot, &ana, before, "Saved privately as entry #1").await;
    let before = ana.seen.lock().unwrap().len();
    let gone = ana.say(&dm, "journal write a second thought").await;
    hear(&bot, &ana, before, "entry #2").await;
    ask(
        &bot,
        &ana,
        &dm,
        "journal delete 2",
        "Entry #2 has been deleted",
    )
    .await;

    let bot = restart(bot, &url, &account, &db).await;
    let better = "journal write better-words-marker about my day";
    edit(
        &bot,
        &ana,
        &dm,
        &written,
        better,
        "Entry #1 now says what you edited",
    )
    .await;
    let read = ask(&bot, &ana, &dm, "journal read 1", "Entry #1").await;
    assert!(
        read.contains("better-words-marker") && !read.contains("first-draft"),
        "the entry holds the edit: {read}"
    );
    assert_eq!(
        holding(data.path(), "first-draft-marker"),
        Vec::<std::path::PathBuf>::new(),
        "the replaced words left the database file"
    );
    edit(
        &bot,
        &ana,
        &dm,
        &gone,
        "journal write again",
        "I can't find the entry",
    )
    .await;
    ask(&bot, &ana, &dm, "journal", "#1").await;

    // Shared into a check-in, the entry is shown when the round opens; an
    // edit after that changes nothing.
    daily_check_ins(&bot, &ana, &ben, &room).await;
    ask(&bot, &ana, &dm, "journal share 1", "will be shown to").await;
    bot.t.clock.set(utc(2026, 3, 2, 20, 0));
    bot.tick().await;
    ben.expect(&bot.user, "better-words-marker").await;
    let late = "journal write a third-version-marker";
    edit(
        &bot,
        &ana,
        &dm,
        &written,
        late,
        "was already shown in a check-in",
    )
    .await;
    let read = ask(&bot, &ana, &dm, "journal read 1", "Entry #1").await;
    assert!(
        read.contains("better-words-marker"),
        "unchanged once shown: {read}"
    );
}
