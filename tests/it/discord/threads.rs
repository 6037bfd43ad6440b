//! The couple's private thread through the fake Discord: chosen by both,
//! opened by rapport with only the two of them added, checked before each
//! private post, and left for private messages once a moderator is in it
//! or when rapport may not open one.

use serde_json::json;

use rapport::prompts::Key;

use super::fake::{BOT_ID, CHANNEL_ID};
use super::{ANA, BEN, Running, content, daily_check_ins, int_option, pair_only, text_option};
use crate::helpers::utc;

/// A moderator of the server.
const CARL: u64 = 100_000_000_000_000_003;

/// ana proposes a private thread in the channel; ben says yes in his DM.
async fn choose_thread(bot: &Running) {
    let proposed = bot
        .slash(
            ANA,
            true,
            "pair space",
            json!([text_option("choice", "thread")]),
        )
        .await;
    let said = content(&proposed);
    assert!(said.contains("Nothing changes until"), "{said}");
    assert!(said.contains("admins and moderators can read it"), "{said}");
    bot.tick().await;
    let view = bot.fake.view();
    let proposal = view.dms_to(BEN).last().copied().cloned().unwrap();
    bot.click(BEN, &proposal, &bot.t.text(Key::PairChoiceSpaceAccept, &[]))
        .await;
    bot.tick().await;
}

/// Both answer today's check-in from their DMs.
async fn both_answer(bot: &Running, marker: &str) {
    for (who, rating) in [(ANA, 7), (BEN, 8)] {
        bot.slash(
            who,
            false,
            "checkin answer",
            json!([int_option("rating", rating), text_option("answer", marker)]),
        )
        .await;
    }
    bot.tick().await;
    bot.tick().await;
}

#[tokio::test]
async fn a_private_thread_holds_the_couple_until_a_moderator_joins_it() {
    let bot = Running::start().await;
    pair_only(&bot).await;
    choose_thread(&bot).await;

    let threads = bot.fake.threads();
    assert_eq!(threads.len(), 1, "{threads:?}");
    let (thread, opened) = &threads[0];
    assert_eq!(opened.members, [BOT_ID, ANA, BEN]);
    assert!(!opened.invitable, "only moderators may add anyone");
    let view = bot.fake.view();
    let welcome = &view.messages_in(*thread)[0].content;
    assert!(
        welcome.contains("admins and moderators can read it too"),
        "{welcome}"
    );
    let status = bot.slash(BEN, true, "pair space", json!([])).await;
    assert!(
        content(&status).contains("this server's owner, its admins"),
        "{status:?}"
    );

    daily_check_ins(&bot).await;
    bot.t.clock.set(utc(2026, 3, 2, 21, 1));
    bot.tick().await;
    both_answer(&bot, "thread-marker-monday").await;
    let view = bot.fake.view();
    let in_thread = |marker: &str| {
        view.messages_in(*thread)
            .iter()
            .any(|m| m.content.contains(marker))
    };
    assert!(
        in_thread("thread-marker-monday"),
        "{:?}",
        view.messages_in(*thread)
    );
    assert!(
        view.dms_to(BEN)
            .iter()
            .all(|m| !m.content.contains("thread-marker-monday")),
        "posted once, in the thread"
    );
    assert!(
        view.requests
            .iter()
            .any(|r| r.method == "get" && r.path == format!("/channels/{thread}/thread-members")),
        "the members were checked before the post"
    );

    // A moderator adds himself to the thread: private things go to DMs.
    bot.fake.join_thread(*thread, CARL);
    bot.t.clock.set(utc(2026, 3, 3, 21, 1));
    bot.tick().await;
    both_answer(&bot, "thread-marker-tuesday").await;
    let view = bot.fake.view();
    assert!(
        view.messages_in(*thread)
            .iter()
            .all(|m| !m.content.contains("thread-marker-tuesday")),
        "nothing more for carl to read"
    );
    for partner in [ANA, BEN] {
        assert!(
            view.dms_to(partner)
                .iter()
                .any(|m| m.content.contains("thread-marker-tuesday")),
            "each partner gets it privately"
        );
    }
    assert!(
        view.messages_in(CHANNEL_ID)
            .iter()
            .all(|m| !m.content.contains("thread-marker"))
    );
    bot.stop().await;
}

#[tokio::test]
async fn without_the_thread_permission_everything_stays_private_and_both_are_told() {
    let bot = Running::start().await;
    bot.fake.forbid_threads();
    pair_only(&bot).await;
    choose_thread(&bot).await;
    assert!(bot.fake.threads().is_empty());
    let view = bot.fake.view();
    let failed = bot.t.text(Key::PairSpaceOpenFailed, &[]);
    for partner in [ANA, BEN] {
        assert_eq!(
            view.dms_to(partner)
                .iter()
                .filter(|m| m.content == failed)
                .count(),
            1,
            "{:?}",
            view.dms_to(partner)
        );
    }
    let status = bot.slash(ANA, true, "pair space", json!([])).await;
    assert_eq!(content(&status), bot.t.text(Key::PairSpaceStatusNone, &[]));
    bot.stop().await;
}
