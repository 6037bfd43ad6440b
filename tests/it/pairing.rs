//! Pairing with consent: invites by name and by code, answers, leaving, and
//! every way it can go wrong without changing what is stored.

use chrono::Duration;

use rapport::domain::{Platform, SpaceRef, UserRef};
use rapport::engine::message::{Actor, Place, Recipient};
use rapport::error::UserError;
use rapport::prompts::Key;

use crate::helpers::{
    TestEngine, code_in, person, person_on, space, spawn_engine, start_time, texts_to,
};

/// ana invites ben by name in #home; ben accepts from the DM. Returns the code.
pub async fn pair_ana_and_ben(t: &TestEngine) -> String {
    let (ana, ben, home) = (person("ana"), person("ben"), space("home"));
    let invited = t.say(&ana, &home, "pair invite ben").await;
    let dm = &texts_to(&invited, &Recipient::User(ben.user.clone()))[0];
    let code = code_in(dm);
    let accepted = t
        .say(&ben, &Place::Direct, &format!("pair accept {code}"))
        .await;
    assert_eq!(
        texts_to(&accepted, &Recipient::Requester),
        [t.text(Key::PairAcceptedYou, &[("partner", "ana")])]
    );
    agree_on_space(t, &ana, &ben, &home).await;
    code
}

/// `proposer` proposes `place` as the couple's space; the other accepts.
pub async fn agree_on_space(t: &TestEngine, proposer: &Actor, partner: &Actor, place: &Place) {
    let proposed = t.say(proposer, place, "pair here").await;
    let asked = texts_to(&proposed, &Recipient::User(partner.user.clone()));
    assert_eq!(asked.len(), 1, "the partner is asked: {proposed:#?}");
    let accepted = t.say(partner, &Place::Direct, "pair space accept").await;
    let Place::Space(space) = place else {
        panic!("a space is a place in a space");
    };
    assert_eq!(
        texts_to(&accepted, &Recipient::Space(space.clone())).len(),
        1,
        "the space hears it is now shared: {accepted:#?}"
    );
}

#[tokio::test]
async fn invite_by_name_reaches_the_partner_with_choices_and_pairs_on_accept() {
    let t = spawn_engine().await;
    let (ana, ben, home) = (person("ana"), person("ben"), space("home"));
    let invited = t.say(&ana, &home, "pair invite ben").await;
    assert_eq!(invited.len(), 2);
    assert!(
        invited[0].reply.private,
        "the inviter's confirmation is private"
    );
    let to_ben = &invited[1];
    assert_eq!(to_ben.to, Recipient::User(ben.user.clone()));
    let code = code_in(&to_ben.reply.text);
    let commands: Vec<&str> = to_ben
        .reply
        .choices
        .iter()
        .map(|c| c.command.as_str())
        .collect();
    assert_eq!(
        commands,
        [
            format!("pair accept {code}"),
            format!("pair decline {code}")
        ]
    );

    // ben presses the Accept button: the choice's command, from his DM.
    let accepted = t
        .say(&ben, &Place::Direct, &to_ben.reply.choices[0].command)
        .await;
    assert_eq!(
        texts_to(&accepted, &Recipient::User(ana.user.clone())),
        [t.text(Key::PairAcceptedInviter, &[("partner", "ben")])]
    );
    // The invite was made in #home, but one partner's choice of room is
    // not the couple's: nothing is posted there until both agree.
    assert!(
        accepted
            .iter()
            .all(|out| !matches!(out.to, Recipient::Space(_))),
        "{accepted:#?}"
    );
    let home_ref = SpaceRef::new(Platform::Console, "home");
    let proposed = t.say(&ana, &home, "pair here").await;
    assert_eq!(
        texts_to(&proposed, &Recipient::Space(home_ref.clone())),
        Vec::<String>::new(),
        "a proposal is not an announcement"
    );
    let asked = &texts_to(&proposed, &Recipient::User(ben.user.clone()))[0];
    assert!(asked.contains("pair space accept"), "{asked}");
    let refused = t.say(&ana, &Place::Direct, "pair space accept").await;
    assert_eq!(
        refused[0].reply.text,
        t.engine.user_error_reply(&UserError::ProposalIsYours).text
    );
    let agreed = t.say(&ben, &Place::Direct, "pair space accept").await;
    assert_eq!(
        texts_to(&agreed, &Recipient::Space(home_ref)),
        [t.text(Key::PairHereSet, &[("me", "ana"), ("partner", "ben")])]
    );

    let status = t.say(&ana, &home, "pair").await;
    let since = t.engine.format_time(start_time(), chrono_tz::UTC);
    assert_eq!(
        status[0].reply.text,
        format!(
            "{}\n{}",
            t.text(
                Key::PairStatusPaired,
                &[("partner", "ben"), ("since", &since)]
            ),
            t.text(Key::PairSpaceStatusChosen, &[])
        )
    );
}

#[tokio::test]
async fn a_code_works_across_platforms_and_such_a_couple_has_no_shared_space() {
    let t = spawn_engine().await;
    let ana = person_on(Platform::Discord, "1001");
    let ben = person_on(Platform::Matrix, "@ben:example.org");
    let created = t.say(&ana, &Place::Direct, "pair invite").await;
    assert_eq!(created.len(), 1, "a code invite messages nobody else");
    let code = code_in(&created[0].reply.text);

    let accepted = t
        .say(
            &ben,
            &Place::Direct,
            &format!("pair accept {}", code.to_lowercase()),
        )
        .await;
    let across = t.text(Key::PairSpaceAcross, &[]);
    assert_eq!(
        texts_to(&accepted, &Recipient::Requester),
        [
            t.text(Key::PairAcceptedYou, &[("partner", "1001")]),
            across.clone()
        ]
    );
    assert_eq!(
        texts_to(&accepted, &Recipient::User(ana.user.clone())),
        [
            t.text(Key::PairAcceptedInviter, &[("partner", "@ben:example.org")]),
            across
        ]
    );

    // No room holds both a Discord and a Matrix user.
    let room = Place::Space(SpaceRef::new(Platform::Matrix, "!room:example.org"));
    let here = t.say(&ben, &room, "pair here").await;
    assert_eq!(
        here[0].reply.text,
        t.engine
            .user_error_reply(&UserError::SpaceAcrossPlatforms)
            .text
    );
    let status = t.say(&ben, &Place::Direct, "pair space").await;
    assert_eq!(status[0].reply.text, t.text(Key::PairSpaceStatusNone, &[]));
}

#[tokio::test]
async fn declining_tells_the_inviter_and_voids_the_invite() {
    let t = spawn_engine().await;
    let (ana, ben) = (person("ana"), person("ben"));
    let invited = t.say(&ana, &Place::Direct, "pair invite ben").await;
    let code = code_in(&invited[1].reply.text);
    let declined = t.say(&ben, &Place::Direct, "pair decline").await;
    assert_eq!(
        texts_to(&declined, &Recipient::User(ana.user.clone())),
        [t.text(Key::PairDeclinedInviter, &[("partner", "ben")])]
    );
    let before = t.snapshot().await;
    let again = t
        .say(&ben, &Place::Direct, &format!("pair accept {code}"))
        .await;
    t.assert_refused(&again, UserError::InviteNoLongerValid);
    assert_eq!(t.snapshot().await, before);
}

#[tokio::test]
async fn stale_used_and_unknown_invites_are_refused_without_changes() {
    let t = spawn_engine().await;
    let (ana, ben, carl) = (person("ana"), person("ben"), person("carl"));
    let created = t.say(&ana, &Place::Direct, "pair invite").await;
    let code = code_in(&created[0].reply.text);

    let before = t.snapshot().await;
    t.clock.advance(Duration::hours(48));
    let expired = t
        .say(&ben, &Place::Direct, &format!("pair accept {code}"))
        .await;
    t.assert_refused(&expired, UserError::InviteExpired);
    let unknown = t.say(&ben, &Place::Direct, "pair accept ZZZZ-ZZZZ").await;
    t.assert_refused(&unknown, UserError::InviteNotFound);
    let garbage = t.say(&ben, &Place::Direct, "pair accept hello").await;
    t.assert_refused(&garbage, UserError::InviteNotFound);
    let nothing = t.say(&carl, &Place::Direct, "pair accept").await;
    t.assert_refused(&nothing, UserError::NoPendingInvite);
    assert_eq!(t.snapshot().await, before, "refusals changed nothing");

    // A fresh code, used once, cannot be used again ("button pressed twice").
    let created = t.say(&ana, &Place::Direct, "pair invite").await;
    let code = code_in(&created[0].reply.text);
    t.say(&ben, &Place::Direct, &format!("pair accept {code}"))
        .await;
    let before = t.snapshot().await;
    let twice = t
        .say(&ben, &Place::Direct, &format!("pair accept {code}"))
        .await;
    t.assert_refused(&twice, UserError::InviteNoLongerValid);
    let by_carl = t
        .say(&carl, &Place::Direct, &format!("pair accept {code}"))
        .await;
    t.assert_refused(&by_carl, UserError::InviteNoLongerValid);
    assert_eq!(t.snapshot().await, before);
}

#[tokio::test]
async fn nobody_pairs_with_themselves() {
    let t = spawn_engine().await;
    let ana = person("ana");
    let before = t.snapshot().await;
    let direct = t.say(&ana, &Place::Direct, "pair invite ana").await;
    t.assert_refused(&direct, UserError::PairWithSelf { own_invite: false });
    assert_eq!(t.snapshot().await, before);

    let created = t.say(&ana, &Place::Direct, "pair invite").await;
    let code = code_in(&created[0].reply.text);
    let before = t.snapshot().await;
    let own = t
        .say(&ana, &Place::Direct, &format!("pair accept {code}"))
        .await;
    t.assert_refused(&own, UserError::PairWithSelf { own_invite: true });
    assert_eq!(t.snapshot().await, before);
    let again = t.say(&ana, &Place::Direct, "pair invite ana").await;
    t.assert_refused(&again, UserError::PairWithSelf { own_invite: true });
}

#[tokio::test]
async fn an_invitee_hears_when_their_invite_is_withdrawn_or_replaced() {
    let t = spawn_engine().await;
    let (ana, ben, carl) = (person("ana"), person("ben"), person("carl"));
    t.say(&ana, &Place::Direct, "pair invite ben").await;
    let withdrawn = t.text(Key::PairInviteWithdrawn, &[("inviter", "ana")]);
    // A new invite to someone else replaces ben's, and he is told.
    let replaced = t.say_queued(&ana, &Place::Direct, "pair invite carl").await;
    let to_ben = texts_to(&replaced, &Recipient::User(ben.user.clone()));
    assert_eq!(to_ben, std::slice::from_ref(&withdrawn));
    // A fresh invite to the same person is news enough by itself.
    let renewed = t.say_queued(&ana, &Place::Direct, "pair invite carl").await;
    let to_carl = texts_to(&renewed, &Recipient::User(carl.user.clone()));
    assert_eq!(to_carl.len(), 1, "only the new invite: {to_carl:?}");
    assert_ne!(to_carl[0], withdrawn);
    let cancelled = t.say_queued(&ana, &Place::Direct, "pair cancel").await;
    assert_eq!(
        texts_to(&cancelled, &Recipient::User(carl.user.clone())),
        [withdrawn]
    );
    let nothing = t.say(&ana, &Place::Direct, "pair cancel").await;
    assert_eq!(
        texts_to(&nothing, &Recipient::Requester),
        [t.text(Key::PairNothingToCancel, &[])]
    );
}

#[tokio::test]
async fn a_third_person_cannot_join_or_act_in_a_couple() {
    let t = spawn_engine().await;
    let (ana, ben, carl, home) = (person("ana"), person("ben"), person("carl"), space("home"));
    // An invite addressed to ben is not carl's to answer.
    let invited = t.say(&ana, &Place::Direct, "pair invite ben").await;
    let code = code_in(&invited[1].reply.text);
    let before = t.snapshot().await;
    let stolen = t
        .say(&carl, &Place::Direct, &format!("pair accept {code}"))
        .await;
    t.assert_refused(&stolen, UserError::InviteForSomeoneElse);
    let declined = t
        .say(&carl, &Place::Direct, &format!("pair decline {code}"))
        .await;
    t.assert_refused(&declined, UserError::InviteForSomeoneElse);
    assert_eq!(t.snapshot().await, before);

    t.say(&ben, &Place::Direct, &format!("pair accept {code}"))
        .await;
    agree_on_space(&t, &ana, &ben, &home).await;
    let before = t.snapshot().await;
    for (who, place, text, error) in [
        (
            &carl,
            &Place::Direct,
            "pair invite ana",
            UserError::PartnerUnavailable,
        ),
        (&carl, &home, "pair invite", UserError::NotYourCouple),
        (&carl, &home, "pair here", UserError::NotYourCouple),
        (&carl, &home, "pair", UserError::NotYourCouple),
        (
            &carl,
            &Place::Direct,
            "pair leave confirm",
            UserError::NotPaired,
        ),
        (
            &ana,
            &Place::Direct,
            "pair invite carl",
            UserError::AlreadyPaired,
        ),
    ] {
        let refused = t.say(who, place, text).await;
        t.assert_refused(&refused, error);
    }
    assert_eq!(t.snapshot().await, before);

    // carl's own invite from the couple's space is refused; from elsewhere it
    // works, but a paired person cannot accept it.
    let elsewhere = t.say(&carl, &space("carls-room"), "pair invite").await;
    let carls_code = code_in(&elsewhere[0].reply.text);
    let before = t.snapshot().await;
    let ben_accepts = t
        .say(&ben, &Place::Direct, &format!("pair accept {carls_code}"))
        .await;
    t.assert_refused(&ben_accepts, UserError::AlreadyPaired);
    assert_eq!(t.snapshot().await, before);
}

#[tokio::test]
async fn another_couples_space_cannot_be_taken() {
    let t = spawn_engine().await;
    let home = space("home");
    pair_ana_and_ben(&t).await;
    t.say(&person("ana"), &home, "pair here").await;
    let (carl, dana) = (person("carl"), person("dana"));
    let created = t.say(&carl, &Place::Direct, "pair invite").await;
    let code = code_in(&created[0].reply.text);
    t.say(&dana, &Place::Direct, &format!("pair accept {code}"))
        .await;
    let before = t.snapshot().await;
    let taken = t.say(&dana, &home, "pair here").await;
    t.assert_refused(&taken, UserError::NotYourCouple);
    let from_dm = t.say(&dana, &Place::Direct, "pair here").await;
    t.assert_refused(&from_dm, UserError::NeedsSpace);
    assert_eq!(t.snapshot().await, before);
}

#[tokio::test]
async fn leaving_asks_first_then_ends_the_couple_for_both() {
    let t = spawn_engine().await;
    let (ana, ben) = (person("ana"), person("ben"));
    pair_ana_and_ben(&t).await;
    let before = t.snapshot().await;
    let asked = t.say(&ben, &Place::Direct, "pair leave").await;
    assert_eq!(asked[0].reply.choices[0].command, "pair leave confirm");
    assert_eq!(t.snapshot().await, before, "asking changes nothing");

    let left = t.say(&ben, &Place::Direct, "pair leave confirm").await;
    assert_eq!(
        texts_to(
            &left,
            &Recipient::User(UserRef::new(Platform::Console, "ana"))
        ),
        [t.text(
            Key::PairLeftPartner,
            &[("partner", "ben"), ("erased", "Wed 1 Apr 2026")]
        )]
    );
    let status = t.say(&ana, &Place::Direct, "pair").await;
    assert_eq!(status[0].reply.text, t.text(Key::PairStatusUnpaired, &[]));
    let again = t.say(&ana, &Place::Direct, "pair leave confirm").await;
    t.assert_refused(&again, UserError::NotPaired);

    // Both are free to pair again, with each other or anyone.
    pair_ana_and_ben(&t).await;
}

#[tokio::test]
async fn a_new_invite_replaces_the_old_code_and_cancel_withdraws_it() {
    let t = spawn_engine().await;
    let (ana, ben) = (person("ana"), person("ben"));
    let first = code_in(
        &t.say(&ana, &Place::Direct, "pair invite").await[0]
            .reply
            .text,
    );
    let second = code_in(
        &t.say(&ana, &Place::Direct, "pair invite").await[0]
            .reply
            .text,
    );
    assert_ne!(first, second);
    let old = t
        .say(&ben, &Place::Direct, &format!("pair accept {first}"))
        .await;
    t.assert_refused(&old, UserError::InviteNoLongerValid);

    let cancelled = t.say(&ana, &Place::Direct, "pair cancel").await;
    assert_eq!(cancelled[0].reply.text, t.text(Key::PairCancelled, &[]));
    let late = t
        .say(&ben, &Place::Direct, &format!("pair accept {second}"))
        .await;
    t.assert_refused(&late, UserError::InviteNoLongerValid);
    let nothing = t.say(&ana, &Place::Direct, "pair cancel").await;
    assert_eq!(nothing[0].reply.text, t.text(Key::PairNothingToCancel, &[]));
}

#[tokio::test]
async fn status_shows_an_open_invite_until_it_expires() {
    let t = spawn_engine().await;
    let ana = person("ana");
    let code = code_in(
        &t.say(&ana, &Place::Direct, "pair invite").await[0]
            .reply
            .text,
    );
    let status = t.say(&ana, &Place::Direct, "pair").await;
    assert!(
        status[0].reply.text.contains(&code),
        "{}",
        status[0].reply.text
    );
    t.clock.advance(Duration::hours(49));
    let status = t.say(&ana, &Place::Direct, "pair").await;
    assert_eq!(status[0].reply.text, t.text(Key::PairStatusUnpaired, &[]));
}

#[tokio::test]
async fn an_invite_names_a_partner_as_rapport_or_the_platform_knows_them() {
    let t = spawn_engine().await;
    let ana = Actor::new(UserRef::new(Platform::Discord, "1001"), "Ana");
    let ben = Actor::new(UserRef::new(Platform::Discord, "1002"), "Ben");
    let unknown = t.say(&ana, &space("home"), "pair invite 1002").await;
    assert!(
        unknown[0].reply.text.starts_with("I've sent 1002 "),
        "{unknown:?}"
    );
    t.say(&ana, &space("home"), "pair cancel").await;

    // Not met yet, but the platform showed a name with the request.
    let showing = ana
        .clone()
        .with_named_others(vec![(ben.user.clone(), "Benny".to_owned())]);
    let shown = t.say(&showing, &space("home"), "pair invite 1002").await;
    assert!(
        shown[0].reply.text.starts_with("I've sent Benny "),
        "{shown:?}"
    );
    t.say(&ana, &space("home"), "pair cancel").await;

    // Once met, the name rapport knows them by wins.
    t.say(&ben, &Place::Direct, "settings").await;
    let known = t.say(&showing, &space("home"), "pair invite 1002").await;
    assert!(
        known[0].reply.text.starts_with("I've sent Ben "),
        "{known:?}"
    );
}
