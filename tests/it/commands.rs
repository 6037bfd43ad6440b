//! The command line every adapter shares: help, unknown commands, missing
//! arguments, over-long input, and internal failures.

use rapport::engine::command::MAX_INPUT_CHARS;
use rapport::engine::message::Place;
use rapport::error::UserError;
use rapport::prompts::Key;

use crate::helpers::{person, space, spawn_engine};

#[tokio::test]
async fn help_lists_commands_and_topics() {
    let t = spawn_engine().await;
    let ana = person("ana");
    for (text, key) in [
        ("help", Key::HelpOverview),
        ("", Key::HelpOverview),
        ("help pair", Key::HelpPair),
        ("help settings", Key::HelpSettings),
        ("help?", Key::HelpOverview),
        ("hello?", Key::GreetingReply),
        ("Hi!", Key::GreetingReply),
        ("hey there", Key::GreetingReply),
    ] {
        let reply = t.say(&ana, &space("home"), text).await;
        assert_eq!(reply[0].reply.text, t.text(key, &[]), "{text:?}");
        assert!(reply[0].reply.private);
    }
}

#[tokio::test]
async fn bad_input_gets_a_friendly_error_and_changes_nothing() {
    let t = spawn_engine().await;
    let ana = person("ana");
    t.say(&ana, &Place::Direct, "pair invite").await;
    let before = t.snapshot().await;
    let long = "x".repeat(MAX_INPUT_CHARS + 1);
    let cases = [
        (
            "dance with me",
            UserError::UnknownCommand {
                word: "dance".into(),
                near: None,
            },
        ),
        (
            "pair marry ben",
            UserError::Usage {
                usage: Key::UsagePair,
            },
        ),
        (
            "pair invite ben carl",
            UserError::Usage {
                usage: Key::UsagePair,
            },
        ),
        (
            "settings zone",
            UserError::Usage {
                usage: Key::UsageSettings,
            },
        ),
        (
            "settings quiet",
            UserError::Usage {
                usage: Key::UsageSettings,
            },
        ),
        (
            "help everything",
            UserError::Usage {
                usage: Key::UsageHelp,
            },
        ),
        (
            long.as_str(),
            UserError::InputTooLong {
                limit: MAX_INPUT_CHARS,
            },
        ),
    ];
    for (text, error) in cases {
        let reply = t.say(&ana, &Place::Direct, text).await;
        t.assert_refused(&reply, error);
    }
    // The usage text is part of the message, so people see how to fix it.
    let reply = t.say(&ana, &Place::Direct, "pair marry ben").await;
    assert!(reply[0].reply.text.contains(&t.text(Key::UsagePair, &[])));
    assert_eq!(t.snapshot().await, before);
}

#[tokio::test]
async fn an_internal_failure_apologises_without_details() {
    let t = spawn_engine().await;
    t.engine.store().close().await;
    let reply = t.say(&person("ana"), &Place::Direct, "pair invite").await;
    assert_eq!(reply.len(), 1);
    assert!(reply[0].reply.private);
    assert_eq!(reply[0].reply.text, t.text(Key::ErrorInternal, &[]));
}
