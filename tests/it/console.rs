//! The console adapter end to end: one person plays both partners.

use std::sync::Arc;

use rand::SeedableRng;
use rand::rngs::StdRng;
use secrecy::SecretString;

use rapport::app::App;
use rapport::clock::ManualClock;
use rapport::config::Config;
use rapport::prompts::{Catalog, Key};

use crate::helpers::start_time;

async fn run_script(script: &str) -> String {
    let mut config = Config::default();
    config.store.url = SecretString::from("sqlite::memory:");
    let clock = Arc::new(ManualClock::new(start_time()));
    let app = App::build(&config, clock, StdRng::seed_from_u64(1))
        .await
        .expect("app builds");
    let mut output = Vec::new();
    app.run_console(script.as_bytes(), &mut output, std::future::pending())
        .await
        .expect("console runs");
    String::from_utf8(output).expect("utf-8 output")
}

#[tokio::test]
async fn one_person_plays_both_partners_and_sees_who_gets_what() {
    let texts = Catalog::embedded().unwrap();
    let output = run_script(
        "pair invite @Ben\nas ben\n1\nat home\npair here\nas ana\npair space accept\nas ben\n\
         dm\n9\nquit\npair\n",
    )
    .await;

    let dm_label = texts.render(Key::ConsoleLabelDirect, &[("user", "ben")]);
    assert!(
        output.contains(&format!("rapport ({dm_label}):")),
        "{output}"
    );
    let accept = texts.render(Key::ConsoleChoice, &[("number", "1"), ("label", "Accept")]);
    assert!(output.contains(&accept), "{output}");
    // Choosing 1 as ben accepted the invite.
    let accepted = texts.render(Key::PairAcceptedYou, &[("partner", "ana")]);
    assert!(output.contains(&accepted), "{output}");
    let here = texts.render(Key::PairHereSet, &[("me", "ben"), ("partner", "ana")]);
    assert!(output.contains(&here), "{output}");
    assert!(
        output.contains(texts.text(Key::ConsoleNowDirect)),
        "{output}"
    );
    let no_choice = texts.render(Key::ConsoleNoSuchChoice, &[("number", "9")]);
    assert!(output.contains(&no_choice), "{output}");
    // `quit` ends the session: the line after it never runs.
    assert!(
        output.trim_end().ends_with(texts.text(Key::ConsoleBye)),
        "{output}"
    );
    assert_eq!(output.matches("ben @ dm>").count(), 2, "{output}");
}

#[tokio::test]
async fn say_posts_to_the_space_and_an_opted_in_author_gets_a_private_nudge() {
    let texts = Catalog::embedded().unwrap();
    let output = run_script(
        "pair invite @Ben\nas ben\n1\nat home\npair here\nas ana\npair space accept\nas ben\n\
         reword nudges on\n\
         as ana\nreword nudges on\nat home\nsay You never call me back\n\
         say Dinner at 7?\nsay\n",
    )
    .await;
    let intro = texts.render(Key::RewordNudge, &[("suggestion", "")]);
    let intro = intro.lines().next().unwrap();
    assert_eq!(
        output.matches(intro).count(),
        1,
        "one nudge, for the blaming line only: {output}"
    );
    let to_ana = texts.render(Key::ConsoleLabelDirect, &[("user", "ana")]);
    let nudge_block = format!("rapport ({to_ana}):\n  {intro}");
    assert!(
        output.contains(&nudge_block),
        "only ana hears of it: {output}"
    );
    assert!(output.contains("call me back"), "{output}");

    assert!(
        output.contains(texts.text(Key::ConsoleUsageSay)),
        "{output}"
    );
}

#[tokio::test]
async fn a_file_is_named_in_the_console_as_a_file_not_an_image() {
    let texts = Catalog::embedded().unwrap();
    let output = run_script("dm\nmydata export\n").await;
    let exported = texts.text(Key::MydataExported);
    assert!(output.contains(exported), "{output}");
    let line = output
        .lines()
        .find(|line| line.contains("rapport-mydata.json"))
        .expect("the file is named");
    assert!(line.contains("sent as a file"), "{line}");
}

#[tokio::test]
async fn console_words_without_arguments_explain_themselves() {
    let texts = Catalog::embedded().unwrap();
    let output = run_script("as\nat\nconsole help\n").await;
    assert!(output.contains(texts.text(Key::ConsoleUsageAs)));
    assert!(output.contains(texts.text(Key::ConsoleUsageAt)));
    assert!(output.contains(texts.text(Key::ConsoleHelp).lines().next().unwrap()));
}

#[tokio::test]
async fn scheduled_check_ins_arrive_in_the_console_as_they_would_in_chat() {
    use rapport::adapters::console::{Console, ConsolePort};
    use rapport::delivery::Ports;
    use rapport::scheduler::{self, SchedulerPolicy};

    let mut config = Config::default();
    config.store.url = SecretString::from("sqlite::memory:");
    let clock = Arc::new(ManualClock::new(start_time()));
    let app = App::build(&config, clock.clone(), StdRng::seed_from_u64(3))
        .await
        .unwrap();
    let (port, deliveries) = ConsolePort::new();
    let ports = Ports::default().with(Arc::new(port));
    let mut console = Console::new(app.engine().clone(), ports.clone(), deliveries);
    for line in [
        "pair invite ben",
        "as ben",
        "1",
        "checkin schedule daily 21:00",
        "as ana",
        "1",
    ] {
        console.step(line).await.expect("the console keeps running");
    }
    assert_eq!(console.drain_deliveries(), "", "nothing is due yet");
    clock.advance(chrono::Duration::hours(12)); // 21:00 UTC
    scheduler::pass(app.engine(), &ports, &SchedulerPolicy::default()).await;
    let shown = console.drain_deliveries();
    let texts = Catalog::embedded().unwrap();
    for user in ["ana", "ben"] {
        let label = texts.render(Key::ConsoleLabelDirect, &[("user", user)]);
        assert!(
            shown.contains(&format!("rapport ({label}):\n  Check-in time.")),
            "{shown}"
        );
    }
    // ana picks a rating from the numbered choices of her question.
    let answered = console.step("7").await.unwrap();
    assert!(
        answered.contains(&texts.render(Key::CheckinAnswerWaiting, &[("partner", "ben")])),
        "{answered}"
    );
}
