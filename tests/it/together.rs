//! Agreements written together, the private journal and appreciations:
//! what each partner sees, and that nobody else sees anything.

use rapport::engine::message::{Place, Recipient};
use rapport::error::UserError;
use rapport::prompts::Key;

use crate::helpers::{TestEngine, code_in, person, space, spawn_engine, texts_to};
use crate::pairing::pair_ana_and_ben;

fn to(name: &str) -> Recipient {
    Recipient::User(person(name).user)
}

fn home() -> Recipient {
    match space("home") {
        Place::Space(space) => Recipient::Space(space),
        Place::Direct => unreachable!("home is a space"),
    }
}

/// carl and dana: a second couple in #den.
pub(crate) async fn pair_carl_and_dana(t: &TestEngine) {
    let invited = t
        .say(&person("carl"), &space("den"), "pair invite dana")
        .await;
    let code = code_in(&texts_to(&invited, &to("dana"))[0]);
    t.say(
        &person("dana"),
        &Place::Direct,
        &format!("pair accept {code}"),
    )
    .await;
}

#[tokio::test]
async fn agreements_count_once_both_agree_and_edits_replace_the_old_wording() {
    let t = spawn_engine().await;
    pair_ana_and_ben(&t).await;
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);
    let proposed = t
        .say(
            &ana,
            &direct,
            "agree add We take a 20-minute break when a talk gets heated",
        )
        .await;
    let agreement = t.text(
        Key::AgreeDescribe,
        &[
            ("id", "1"),
            ("text", "We take a 20-minute break when a talk gets heated"),
        ],
    );
    let ask = proposed.iter().find(|o| o.to == to("ben")).unwrap();
    assert_eq!(ask.reply.choices[0].command, "agree accept 1");
    let listed = t.say(&ben, &direct, "agree").await;
    assert_eq!(
        listed[0].reply.text,
        [
            t.text(Key::AgreeListHeader, &[]),
            t.text(Key::AgreeListProposed, &[("agreement", &agreement)])
        ]
        .join("\n")
    );
    t.assert_refused(
        &t.say(&ana, &direct, "agree accept 1").await,
        UserError::OwnProposal,
    );
    t.assert_refused(
        &t.say(&ana, &direct, "agree edit 1 Something else").await,
        UserError::AgreementNotActive,
    );
    let accepted = t.say(&ben, &direct, "agree accept 1").await;
    assert_eq!(
        texts_to(&accepted, &home()),
        [t.text(
            Key::AgreeAnnounced,
            &[("agreement", &agreement), ("partner", "ben")]
        )]
    );
    t.assert_refused(
        &t.say(&ben, &direct, "agree accept 1").await,
        UserError::AgreementNotProposed,
    );

    // An edit is a proposal; until it is accepted the old wording stands.
    t.say(
        &ben,
        &direct,
        "agree edit 1 We pause for 20 minutes and then come back",
    )
    .await;
    let listed = t.say(&ana, &direct, "agree").await;
    assert!(listed[0].reply.text.contains("heated") && listed[0].reply.text.contains("come back"));
    t.assert_refused(
        &t.say(&ana, &direct, "agree retire 1").await,
        UserError::AgreementProposalWaiting,
    );
    // The rewording keeps the agreement's number.
    let reworded = t.say(&ana, &direct, "agree accept 1").await;
    assert!(
        texts_to(&reworded, &home())[0].starts_with("Your agreement has new wording: #1"),
        "{reworded:#?}"
    );
    let listed = t.say(&ana, &direct, "agree").await;
    assert!(
        !listed[0].reply.text.contains("heated"),
        "{}",
        listed[0].reply.text
    );
    assert!(
        listed[0]
            .reply
            .text
            .contains("#1 “We pause for 20 minutes and then come back”")
    );
    t.say(&ana, &direct, "agree edit 1 We pause for half an hour")
        .await;
    t.say(&ben, &direct, "agree decline 1").await;

    // A declined proposal simply goes away.
    t.say(&ana, &direct, "agree add No phones in bed").await;
    let declined = t.say(&ben, &direct, "agree decline 2").await;
    assert!(texts_to(&declined, &to("ana"))[0].contains("isn't ready"));
    let listed = t.say(&ana, &direct, "agree").await;
    assert!(!listed[0].reply.text.contains("phones"));
    assert!(
        listed[0].reply.text.contains("then come back"),
        "a declined edit leaves the wording"
    );

    // Retiring is a proposal too; once both agree, the agreement is gone.
    let asked = t.say(&ben, &direct, "agree retire 1").await;
    let to_ana = &texts_to(&asked, &to("ana"))[0];
    assert!(
        to_ana.contains("retire #1 “We pause for 20 minutes"),
        "{to_ana}"
    );
    let listed = t.say(&ana, &direct, "agree").await;
    assert!(
        listed[0].reply.text.contains("proposed to retire"),
        "{}",
        listed[0].reply.text
    );
    let kept = t.say(&ana, &direct, "agree decline 1").await;
    assert!(texts_to(&kept, &to("ben"))[0].contains("would like to keep"));
    t.say(&ben, &direct, "agree retire 1").await;
    let retired = t.say(&ana, &direct, "agree accept 1").await;
    assert!(texts_to(&retired, &to("ben"))[0].contains("agreed to retire #1"));
    let listed = t.say(&ana, &direct, "agree").await;
    assert_eq!(listed[0].reply.text, t.text(Key::AgreeListEmpty, &[]));
    t.assert_refused(
        &t.say(&ben, &direct, "agree edit 1 Back again").await,
        UserError::AgreementNotActive,
    );
    // The next agreement gets the next number, never a retired one's.
    let next = t.say(&ana, &direct, "agree add Kind words first").await;
    assert!(texts_to(&next, &to("ben"))[0].contains("#3 “Kind words first”"));
}

#[tokio::test]
async fn another_couple_cannot_see_or_touch_our_agreements() {
    let t = spawn_engine().await;
    pair_ana_and_ben(&t).await;
    pair_carl_and_dana(&t).await;
    let direct = Place::Direct;
    t.say(&person("ana"), &direct, "agree add We say goodnight")
        .await;
    for command in ["agree accept 1", "agree decline 1", "agree edit 1 Hi"] {
        t.assert_refused(
            &t.say(&person("dana"), &direct, command).await,
            UserError::AgreementNotFound,
        );
    }
    let theirs = t.say(&person("carl"), &direct, "agree").await;
    assert_eq!(theirs[0].reply.text, t.text(Key::AgreeListEmpty, &[]));
    t.assert_refused(
        &t.say(&person("carl"), &space("home"), "agree").await,
        UserError::NotYourCouple,
    );
}

#[tokio::test]
async fn a_long_entry_is_cut_in_the_list_and_read_again_in_full() {
    let t = spawn_engine().await;
    let ana = person("ana");
    let long = format!("{}\nand the end of it", "a long day at work, ".repeat(8));
    t.say(&ana, &Place::Direct, &format!("journal write {long}"))
        .await;
    let list = &t.say(&ana, &Place::Direct, "journal").await[0].reply.text;
    assert!(!list.contains("the end of it"), "{list}");
    assert!(list.contains(&t.text(Key::JournalReadHint, &[])), "{list}");
    for command in ["journal read 1", "journal 1", "journal #1"] {
        let read = &t.say(&ana, &Place::Direct, command).await[0].reply;
        assert!(read.private, "{command}");
        assert!(
            read.text.starts_with("Entry #1, "),
            "{command}: {}",
            read.text
        );
        assert!(
            read.text.contains("a long day at work, a long day")
                && read.text.contains("\n    and the end of it”"),
            "{command}: the whole entry, its line break indented: {}",
            read.text
        );
    }
}

#[tokio::test]
async fn the_journal_is_the_authors_alone_until_one_entry_is_shared_into_a_round() {
    let t = spawn_engine().await;
    pair_ana_and_ben(&t).await;
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);
    t.assert_refused(
        &t.say(&ana, &space("home"), "journal write I felt alone today")
            .await,
        UserError::JournalPrivateOnly,
    );
    let written = t
        .say(&ana, &direct, "journal write I felt alone today")
        .await;
    assert_eq!(written.len(), 1, "nobody else hears of it");
    assert_eq!(
        written[0].reply.text,
        t.text(Key::JournalWritten, &[("id", "1")])
    );
    t.say(&ana, &direct, "journal write Dinner was lovely")
        .await;
    let mine = t.say(&ana, &direct, "journal").await;
    assert!(mine[0].reply.private);
    assert!(
        mine[0].reply.text.contains("I felt alone today") && mine[0].reply.text.contains("Dinner")
    );

    // The partner sees none of it and cannot act on it.
    let bens = t.say(&ben, &direct, "journal").await;
    assert_eq!(bens[0].reply.text, t.text(Key::JournalEmpty, &[]));
    for command in [
        "journal read 1",
        "journal share 1",
        "journal unshare 1",
        "journal delete 1",
    ] {
        t.assert_refused(
            &t.say(&ben, &direct, command).await,
            UserError::JournalNotFound,
        );
    }

    // Shared into the next round: shown in the space when it opens, once.
    let queued = t.say(&ana, &direct, "journal share 1").await;
    assert_eq!(
        queued[0].reply.text,
        t.text(Key::JournalShareQueued, &[("id", "1"), ("partner", "ben")])
    );
    t.say(&ana, &direct, "checkin now").await;
    let round = t.say(&ben, &direct, "checkin now").await;
    let shared = t.text(
        Key::JournalSharedInRound,
        &[("author", "ana"), ("text", "I felt alone today")],
    );
    assert_eq!(texts_to(&round, &home()), [shared]);
    assert!(
        round.iter().all(|o| !o.reply.text.contains("Dinner")),
        "only the chosen entry"
    );
    let mine = t.say(&ana, &direct, "journal").await;
    assert!(
        mine[0]
            .reply
            .text
            .contains(&t.text(Key::JournalLineShared, &[]))
    );

    // Unshared before the round: stays private.
    t.say(&ana, &direct, "journal share 2").await;
    t.say(&ana, &direct, "journal unshare 2").await;
    t.say(&ana, &direct, "checkin answer 7").await;
    t.say(&ben, &direct, "checkin answer 8").await;
    t.say(&ben, &direct, "checkin now").await;
    let next = t.say(&ana, &direct, "checkin now").await;
    assert!(next.iter().all(|o| !o.reply.text.contains("Dinner")));

    let deleted = t.say(&ana, &direct, "journal delete 2").await;
    assert_eq!(
        deleted[0].reply.text,
        t.text(Key::JournalDeleted, &[("id", "2")])
    );
    let mine = t.say(&ana, &direct, "journal").await;
    assert!(!mine[0].reply.text.contains("Dinner"));
}

#[tokio::test]
async fn appreciations_are_posted_in_the_space_and_need_a_couple() {
    let t = spawn_engine().await;
    t.assert_refused(
        &t.say(&person("ana"), &Place::Direct, "appreciate Thanks!")
            .await,
        UserError::NotPaired,
    );
    pair_ana_and_ben(&t).await;
    let thanked = t
        .say(
            &person("ana"),
            &Place::Direct,
            "appreciate Thank you for dinner when I was tired",
        )
        .await;
    let vars = [
        ("from", "ana"),
        ("to", "ben"),
        ("text", "Thank you for dinner when I was tired"),
    ];
    assert_eq!(thanked[0].to, Recipient::Requester);
    assert!(thanked[0].reply.private);
    assert_eq!(
        texts_to(&thanked, &home()),
        [t.text(Key::AppreciatePosted, &vars)]
    );
    assert!(
        !thanked[1].reply.private,
        "the thank-you is public in the space"
    );
    let refused = t.say(&person("ana"), &Place::Direct, "appreciate").await;
    t.assert_refused(
        &refused,
        UserError::Usage {
            usage: Key::UsageAppreciate,
        },
    );
}

#[tokio::test]
async fn a_thank_you_that_reads_as_blame_waits_for_its_author() {
    let t = spawn_engine().await;
    pair_ana_and_ben(&t).await;
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);
    let words = "you never do anything nice for me";
    let held = t.say(&ana, &direct, &format!("appreciate {words}")).await;
    assert_eq!(held.len(), 1, "nothing goes to ben or the space: {held:#?}");
    assert_eq!(held[0].to, Recipient::Requester);
    assert!(held[0].reply.private);
    let commands: Vec<&str> = held[0]
        .reply
        .choices
        .iter()
        .map(|c| c.command.as_str())
        .collect();
    assert_eq!(commands, ["appreciate --post", "appreciate --discard"]);
    // Held, it is ana's alone: not in ben's export, not in the recap.
    let export = t.say(&ben, &direct, "mydata export").await;
    let file = export[0].reply.attachment.as_ref().expect("an export file");
    assert!(!String::from_utf8_lossy(&file.bytes).contains(words));
    let recap = t.say(&ben, &direct, "recap now").await;
    assert!(
        !recap[0].reply.text.contains(words),
        "{}",
        recap[0].reply.text
    );

    let posted = t.say(&ana, &direct, "appreciate --post").await;
    assert!(texts_to(&posted, &home())[0].contains(words), "{posted:#?}");
    let export = t.say(&ben, &direct, "mydata export").await;
    let file = export[0].reply.attachment.as_ref().expect("an export file");
    assert!(
        String::from_utf8_lossy(&file.bytes).contains(words),
        "once sent, it is ben's to export too"
    );
    t.assert_refused(
        &t.say(&ana, &direct, "appreciate --post").await,
        UserError::NothingHeld,
    );
    t.say(&ana, &direct, "appreciate you always forget me")
        .await;
    let dropped = t.say(&ana, &direct, "appreciate --discard").await;
    assert_eq!(dropped.len(), 1);
    assert_eq!(dropped[0].reply.text, t.text(Key::AppreciateDiscarded, &[]));
    t.assert_refused(
        &t.say(&ana, &direct, "appreciate --discard").await,
        UserError::NothingHeld,
    );
}
