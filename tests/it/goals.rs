//! Goals and promises: proposals the partner accepts, promises that count
//! only when the partner confirms, kept days that never reset, milestones
//! in the space, due-date reminders outside quiet hours, and no access from
//! another couple.

use chrono::Duration;

use rapport::engine::message::{Place, Recipient};
use rapport::error::UserError;
use rapport::prompts::Key;

use crate::helpers::{TestEngine, dm, person, recording_ports, space, spawn_engine, texts_to, utc};
use crate::pairing::pair_ana_and_ben;

/// The goal's description as the engine writes it, for comparing replies.
fn described(t: &TestEngine, id: &str, title: &str, details: &str) -> String {
    t.text(
        Key::GoalDescribe,
        &[("id", id), ("title", title), ("details", details)],
    )
}

fn to(name: &str) -> Recipient {
    Recipient::User(person(name).user)
}

#[tokio::test]
async fn a_promise_counts_only_when_the_partner_confirms_and_never_resets() {
    let t = spawn_engine().await;
    pair_ana_and_ben(&t).await;
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);
    let made = t
        .say(
            &ana,
            &direct,
            "goal promise Text when I'm running late, 3 times a week",
        )
        .await;
    let whose = t.text(Key::GoalWhosePromise, &[("name", "ana")]);
    let cadence = t.text(Key::GoalCadence, &[("count", "3")]);
    let goal = described(
        &t,
        "1",
        "Text when I'm running late",
        &format!("{whose}, {cadence}"),
    );
    assert_eq!(
        made[0].reply.text,
        t.text(Key::GoalPromised, &[("goal", &goal)])
    );
    assert_eq!(
        texts_to(&made, &to("ben")),
        [t.text(
            Key::GoalPartnerPromised,
            &[("partner", "ana"), ("goal", &goal)]
        )]
    );

    // Day 1: logged, waiting for ben; only ben can confirm.
    let logged = t.say(&ana, &direct, "goal log 1 texted from the bus").await;
    assert_eq!(
        logged[0].reply.text,
        t.text(
            Key::GoalLoggedWaiting,
            &[("partner", "ben"), ("goal", &goal)]
        )
    );
    let ask = logged
        .iter()
        .find(|o| o.to == to("ben"))
        .expect("ben is asked");
    assert!(ask.reply.text.contains("texted from the bus"));
    let commands: Vec<&str> = ask
        .reply
        .choices
        .iter()
        .map(|c| c.command.as_str())
        .collect();
    // The buttons name the day they are about.
    assert_eq!(
        commands,
        ["goal kept 1 2026-03-02", "goal missed 1 2026-03-02"]
    );
    t.assert_refused(
        &t.say(&ana, &direct, "goal log 1").await,
        UserError::AlreadyLogged,
    );
    t.assert_refused(
        &t.say(&ana, &direct, "goal kept 1").await,
        UserError::OwnPromise,
    );
    t.assert_refused(
        &t.say(&ben, &direct, "goal log 1").await,
        UserError::NotYourPromise,
    );
    let list = t.say(&ana, &direct, "goal").await;
    assert!(
        list[0].reply.text.contains("kept days in all: 0"),
        "{}",
        list[0].reply.text
    );
    assert!(
        list[0]
            .reply
            .text
            .contains(&t.text(Key::GoalListWaiting, &[("count", "1")]))
    );

    let kept = t.say(&ben, &direct, "goal kept 1").await;
    assert!(
        texts_to(&kept, &to("ana"))[0].contains("Kept days in all: 1"),
        "{kept:#?}"
    );
    let celebration = texts_to(
        &kept,
        &Recipient::Space(match space("home") {
            Place::Space(s) => s,
            Place::Direct => unreachable!(),
        }),
    );
    assert_eq!(
        celebration,
        [t.text(Key::GoalMilestone, &[("goal", &goal), ("total", "1")])],
        "the first kept day is celebrated in the space"
    );
    t.assert_refused(
        &t.say(&ben, &direct, "goal kept 1").await,
        UserError::NothingToConfirm,
    );

    // Day 2: not this time. The count stays at 1, the words stay kind.
    t.clock.advance(Duration::days(1));
    t.say(&ana, &direct, "goal log 1").await;
    let missed = t.say(&ben, &direct, "goal missed 1").await;
    let to_ana = &texts_to(&missed, &to("ana"))[0];
    assert!(
        to_ana.contains("still count") && to_ana.contains('1'),
        "{to_ana}"
    );
    assert!(missed.iter().all(|o| !matches!(o.to, Recipient::Space(_))));
    // A misclick: the same day, ben changes it to kept.
    let changed = t.say(&ben, &direct, "goal kept 1").await;
    let to_ana = &texts_to(&changed, &to("ana"))[0];
    assert!(
        to_ana.contains("confirmed you kept") && to_ana.contains("in all: 2"),
        "{to_ana}"
    );
    t.say(&ben, &direct, "goal missed 1").await;
    t.say(&ben, &direct, "goal kept 1").await;

    // Day 3: kept again; the count goes on from 2. Yesterday's answer is
    // settled now.
    t.clock.advance(Duration::days(1));
    t.assert_refused(
        &t.say(&ben, &direct, "goal missed 1").await,
        UserError::NothingToConfirm,
    );
    t.say(&ana, &direct, "goal log 1").await;
    t.say(&ben, &direct, "goal kept 1").await;
    let list = t.say(&ben, &direct, "goals").await;
    assert!(
        list[0].reply.text.contains("kept days in all: 3"),
        "{}",
        list[0].reply.text
    );
}

#[tokio::test]
async fn goals_for_the_partner_or_both_start_only_when_the_partner_accepts() {
    let t = spawn_engine().await;
    pair_ana_and_ben(&t).await;
    let (ana, ben, direct) = (person("ana"), person("ben"), Place::Direct);

    let asked = t
        .say(&ana, &direct, "goal ask Put the phone away at dinner")
        .await;
    let to_ben = asked.iter().find(|o| o.to == to("ben")).unwrap();
    assert_eq!(to_ben.reply.choices[0].command, "goal accept 1");
    t.assert_refused(
        &t.say(&ben, &direct, "goal log 1").await,
        UserError::GoalNotActive,
    );
    t.assert_refused(
        &t.say(&ana, &direct, "goal accept 1").await,
        UserError::OwnProposal,
    );
    t.say(&ben, &direct, "goal accept 1").await;
    t.assert_refused(
        &t.say(&ben, &direct, "goal accept 1").await,
        UserError::GoalNotProposed,
    );
    let logged = t.say(&ben, &direct, "goal log 1").await;
    assert_eq!(
        texts_to(&logged, &to("ana")).len(),
        1,
        "ana confirms ben's promise"
    );

    // A shared goal: either partner logs, and a day counts once.
    t.say(&ana, &direct, "goal shared Walk together twice a week")
        .await;
    let declined = t.say(&ben, &direct, "goal decline 2").await;
    assert!(texts_to(&declined, &to("ana"))[0].contains("isn't ready"));
    t.assert_refused(
        &t.say(&ana, &direct, "goal log 2").await,
        UserError::GoalNotActive,
    );
    t.say(&ana, &direct, "goal shared Walk together twice a week")
        .await;
    t.say(&ben, &direct, "goal accept 3").await;
    let first = t.say(&ana, &direct, "goal log 3").await;
    assert!(
        first.iter().any(|o| matches!(o.to, Recipient::Space(_))),
        "milestone"
    );
    let second = t.say(&ben, &direct, "goal log 3 lovely evening").await;
    assert!(
        second.iter().all(|o| !matches!(o.to, Recipient::Space(_))),
        "the same day is not celebrated twice"
    );
    assert!(texts_to(&second, &to("ana"))[0].contains("lovely evening"));
    let done = t.say(&ana, &direct, "goal done 3").await;
    assert!(texts_to(&done, &to("ben"))[0].contains("kept days: 1"));
    t.assert_refused(
        &t.say(&ana, &direct, "goal log 3").await,
        UserError::GoalNotActive,
    );
}

#[tokio::test]
async fn bad_goal_input_and_other_couples_are_refused() {
    let t = spawn_engine().await;
    pair_ana_and_ben(&t).await;
    let (ana, carl, dana, direct) = (person("ana"), person("carl"), person("dana"), Place::Direct);
    t.assert_refused(
        &t.say(&ana, &direct, "goal shared Walk 9 times a week")
            .await,
        UserError::BadCadence { given: "9".into() },
    );
    t.assert_refused(
        &t.say(&ana, &direct, "goal promise Call mum by 2026-01-01")
            .await,
        UserError::DueDateInPast,
    );
    t.assert_refused(&t.say(&carl, &direct, "goal").await, UserError::NotPaired);
    t.say(&ana, &direct, "goal promise Call mum").await;

    // carl and dana are another couple: ana's goal does not exist for them.
    let invited = t.say(&carl, &space("den"), "pair invite dana").await;
    let code = crate::helpers::code_in(&texts_to(&invited, &to("dana"))[0]);
    t.say(&dana, &direct, &format!("pair accept {code}")).await;
    for command in [
        "goal log 1",
        "goal kept 1",
        "goal accept 1",
        "goal drop 1",
        "goal done 1",
    ] {
        t.assert_refused(
            &t.say(&dana, &direct, command).await,
            UserError::GoalNotFound,
        );
    }
    let theirs = t.say(&carl, &direct, "goal").await;
    assert_eq!(theirs[0].reply.text, t.text(Key::GoalListEmpty, &[]));
    // Nor can carl act from ana and ben's space.
    t.assert_refused(
        &t.say(&carl, &space("home"), "goal").await,
        UserError::NotYourCouple,
    );
    let ours = t.say(&ana, &direct, "goal").await;
    assert!(ours[0].reply.text.contains("Call mum"));
}

#[tokio::test]
async fn a_due_date_earns_one_reminder_the_day_before_outside_quiet_hours() {
    let t = spawn_engine().await;
    let (port, ports) = recording_ports();
    pair_ana_and_ben(&t).await;
    let (ana, direct) = (person("ana"), Place::Direct);
    t.say(&ana, &direct, "settings quiet 08:00-10:00").await;
    t.say(&ana, &direct, "goal promise Book the trip by 2026-03-10")
        .await;

    // The day before at 09:00 ana is in quiet hours: the reminder waits.
    t.clock.set(utc(2026, 3, 9, 9, 0));
    let (due, _) = t.tick(&ports).await;
    assert_eq!(due.reminded, 0);
    assert!(port.shown_to(&dm("ana")).is_empty());
    let wake = t.engine.next_wake_at().await.unwrap();
    assert_eq!(
        wake,
        Some(utc(2026, 3, 9, 10, 0)),
        "wakes when quiet hours end"
    );

    t.clock.set(utc(2026, 3, 9, 10, 0));
    let (due, _) = t.tick(&ports).await;
    assert_eq!(due.reminded, 1);
    let shown = port.shown_to(&dm("ana"));
    assert_eq!(shown.len(), 1);
    assert!(
        shown[0].contains("Book the trip") && shown[0].contains("Tue 10 Mar 2026"),
        "{}",
        shown[0]
    );
    assert!(
        port.shown_to(&dm("ben")).is_empty(),
        "a promise reminds its maker"
    );
    t.clock.advance(Duration::hours(1));
    let (due, _) = t.tick(&ports).await;
    assert_eq!(due.reminded, 0, "once");
}

#[tokio::test]
async fn leaving_the_couple_ends_its_goals_and_reminders() {
    let t = spawn_engine().await;
    pair_ana_and_ben(&t).await;
    let (ana, direct) = (person("ana"), Place::Direct);
    t.say(&ana, &direct, "goal promise Book the trip by 2026-03-10")
        .await;
    t.say(&ana, &direct, "pair leave confirm").await;
    // No reminder is due any more; only the erasure of the kept history is.
    assert_eq!(
        t.engine.next_wake_at().await.unwrap(),
        Some(crate::helpers::start_time() + Duration::days(30))
    );
    let (_, ports) = recording_ports();
    t.clock.set(utc(2026, 3, 9, 12, 0));
    let (due, _) = t.tick(&ports).await;
    assert_eq!(due.reminded, 0);
}
