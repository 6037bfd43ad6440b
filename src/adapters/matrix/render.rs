//! Pure translation between Matrix text and the engine: which messages are
//! commands, and how a reply with choices reads as plain text. No network.

use crate::domain::{Choice, Reply};
use crate::prompts::{Catalog, Key};

/// Keycap emoji for choices 1 to 10, so a reaction can pick one.
pub const KEYCAPS: [&str; 10] = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟"];

/// What an incoming text message means to the bot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Incoming {
    /// A command line for the engine (prefix removed).
    Command(String),
    /// A number picking one of the choices last offered here (1-based).
    Choice(usize),
    /// Ordinary conversation in a shared room (for opt-in nudges).
    Chat(String),
}

/// Classifies a message body. In a direct room everything is for the bot and
/// needs no prefix; in a shared room only prefixed lines are commands.
pub fn classify(body: &str, prefix: &str, direct: bool) -> Incoming {
    let trimmed = body.trim();
    let after_prefix = strip_prefix(trimmed, prefix);
    let command = match (after_prefix, direct) {
        (Some(rest), _) => rest,
        (None, true) => trimmed,
        (None, false) => return Incoming::Chat(body.to_owned()),
    };
    match command.parse::<usize>() {
        Ok(number) if (1..=KEYCAPS.len()).contains(&number) => Incoming::Choice(number),
        _ if command.is_empty() => Incoming::Command("help".to_owned()),
        _ => Incoming::Command(command.to_owned()),
    }
}

fn strip_prefix<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    let rest = &text[prefix.len()..];
    (head.eq_ignore_ascii_case(prefix)
        && (rest.is_empty() || rest.starts_with(char::is_whitespace)))
    .then(|| rest.trim())
}

/// The choice a keycap reaction stands for (1-based).
pub fn choice_of_reaction(key: &str) -> Option<usize> {
    KEYCAPS.iter().position(|k| *k == key).map(|i| i + 1)
}

/// The reply's text followed by its numbered choices and how to pick one.
pub fn text_with_choices(reply: &Reply, prefix: &str, catalog: &Catalog) -> String {
    let mut text = reply.text.clone();
    if reply.choices.is_empty() {
        return text;
    }
    for (index, choice) in reply.choices.iter().take(KEYCAPS.len()).enumerate() {
        let Choice { label, command, .. } = choice;
        let typed = format!("{prefix} {command}");
        text.push('\n');
        text.push_str(&catalog.render(
            Key::MatrixChoice,
            &[
                ("keycap", KEYCAPS[index]),
                ("label", label),
                ("command", typed.trim_start()),
            ],
        ));
    }
    text.push('\n');
    text.push_str(catalog.text(Key::MatrixChoicesHint));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_rooms_need_the_prefix_and_direct_rooms_do_not() {
        assert_eq!(
            classify("!rapport pair invite @ben:x", "!rapport", false),
            Incoming::Command("pair invite @ben:x".into())
        );
        assert_eq!(
            classify("!RAPPORT", "!rapport", false),
            Incoming::Command("help".into())
        );
        assert_eq!(
            classify("!rapportage", "!rapport", false),
            Incoming::Chat("!rapportage".into())
        );
        assert_eq!(
            classify("you never listen", "!rapport", false),
            Incoming::Chat("you never listen".into())
        );
        assert_eq!(
            classify("checkin answer 7", "!rapport", true),
            Incoming::Command("checkin answer 7".into())
        );
        assert_eq!(classify(" 7 ", "!rapport", true), Incoming::Choice(7));
        assert_eq!(
            classify("!rapport 2", "!rapport", false),
            Incoming::Choice(2)
        );
        assert_eq!(
            classify("42", "!rapport", true),
            Incoming::Command("42".into())
        );
    }

    #[test]
    fn choices_are_numbered_with_keycaps_and_reactions_map_back() {
        let catalog = Catalog::embedded().unwrap();
        let reply =
            Reply::private("Pick one").with_choices(vec![Choice::new("Accept", "pair accept X")]);
        let text = text_with_choices(&reply, "!rapport", &catalog);
        assert!(text.starts_with("Pick one\n1️⃣"), "{text}");
        assert!(text.contains("!rapport pair accept X"), "{text}");
        // In a direct room no prefix is shown: none is needed.
        let direct = text_with_choices(&reply, "", &catalog);
        assert!(direct.contains("1️⃣ Accept — pair accept X"), "{direct}");
        assert!(!direct.contains("!rapport"), "{direct}");
        assert_eq!(choice_of_reaction("🔟"), Some(10));
        assert_eq!(choice_of_reaction("👍"), None);
    }
}
