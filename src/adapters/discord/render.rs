//! Replies as Discord messages: text cut to Discord's limits, choices as
//! buttons or a menu, and the custom ids that carry a choice's command.
//!
//! A custom id holds the command itself when it fits Discord's 100
//! characters, so buttons keep working after a restart. Longer commands
//! (a reword alternative carries the whole message) are remembered in
//! memory only: what people wrote is never written to disk for a button.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use serenity::all::{
    ActionRow, ActionRowComponent, CreateActionRow, CreateButton, CreateSelectMenu,
    CreateSelectMenuKind, CreateSelectMenuOption,
};

use crate::domain::{Choice, ChoiceStyle, Reply};
use crate::prompts::{Catalog, Key};

/// Discord's longest message content, in characters.
pub const MAX_CONTENT_CHARS: usize = 2000;
/// Discord's longest custom id and select-option value.
pub const MAX_CUSTOM_ID: usize = 100;
/// Discord's longest button label.
pub const MAX_BUTTON_LABEL: usize = 80;
/// Discord's longest select-option label.
pub const MAX_OPTION_LABEL: usize = 100;
/// Discord's longest text-input label in a form.
pub const MAX_INPUT_LABEL: usize = 45;
/// Buttons per row, and rows per message.
pub const BUTTONS_PER_ROW: usize = 5;
pub const MAX_ROWS: usize = 5;
/// Options in one select menu.
pub const MAX_MENU_OPTIONS: usize = 25;
/// The custom id of the one menu a reply may carry.
pub const MENU_ID: &str = "menu";
/// Long choices remembered at once (oldest forgotten first).
const REMEMBERED_CHOICES: usize = 2000;

/// What a button, menu option or form carries back to us.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    /// The command itself; `note` when it takes optional text from a form.
    Command { command: String, note: bool },
    /// A choice kept in [`ChoiceMemory`].
    Remembered(u64),
}

impl Token {
    pub fn encode(&self) -> String {
        match self {
            Token::Command { command, note } => {
                format!("{}:{command}", if *note { 'n' } else { 'c' })
            }
            Token::Remembered(id) => format!("m:{id}"),
        }
    }

    /// `None` for ids that are not ours.
    pub fn decode(id: &str) -> Option<Token> {
        let (kind, rest) = id.split_once(':')?;
        match kind {
            "c" | "n" => Some(Token::Command {
                command: rest.to_owned(),
                note: kind == "n",
            }),
            "m" => rest.parse().ok().map(Token::Remembered),
            _ => None,
        }
    }
}

/// Choices too long for a custom id, by number.
#[derive(Default)]
pub struct ChoiceMemory {
    inner: Mutex<Remembered>,
}

#[derive(Default)]
struct Remembered {
    next: u64,
    choices: HashMap<u64, Choice>,
    order: VecDeque<u64>,
}

impl ChoiceMemory {
    /// The token for a choice: the command itself when it fits.
    pub fn token_for(&self, choice: &Choice) -> Token {
        let token = Token::Command {
            command: choice.command.clone(),
            note: choice.note.is_some(),
        };
        if token.encode().len() <= MAX_CUSTOM_ID {
            return token;
        }
        let mut inner = self.lock();
        inner.next += 1;
        let id = inner.next;
        inner.choices.insert(id, choice.clone());
        inner.order.push_back(id);
        if inner.order.len() > REMEMBERED_CHOICES
            && let Some(oldest) = inner.order.pop_front()
        {
            inner.choices.remove(&oldest);
        }
        Token::Remembered(id)
    }

    /// The choice behind a token; `None` once a remembered one is forgotten
    /// (after a restart, or when too many came after it).
    pub fn resolve(&self, token: &Token) -> Option<Resolved> {
        match token {
            Token::Command { command, note } => Some(Resolved {
                command: command.clone(),
                note: note.then(|| None),
            }),
            Token::Remembered(id) => self.lock().choices.get(id).map(|choice| Resolved {
                command: choice.command.clone(),
                note: choice.note.clone().map(Some),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Remembered> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A chosen command; `note` is `Some` when it takes optional text, with
/// the question when it is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub command: String,
    pub note: Option<Option<String>>,
}

/// How a reply's choices are drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Controls {
    None,
    /// Rows of (label, custom id).
    Buttons(Vec<Vec<(String, String)>>),
    /// One menu of (label, value).
    Menu(Vec<(String, String)>),
}

/// The controls for a reply's choices, within Discord's limits.
pub fn controls(reply: &Reply, memory: &ChoiceMemory) -> Controls {
    if reply.choices.is_empty() {
        return Controls::None;
    }
    match reply.choice_style {
        ChoiceStyle::Menu => Controls::Menu(
            reply
                .choices
                .iter()
                .take(MAX_MENU_OPTIONS)
                .map(|choice| {
                    (
                        cut(&choice.label, MAX_OPTION_LABEL),
                        memory.token_for(choice).encode(),
                    )
                })
                .collect(),
        ),
        ChoiceStyle::Buttons => Controls::Buttons(
            reply
                .choices
                .iter()
                .take(BUTTONS_PER_ROW * MAX_ROWS)
                .map(|choice| {
                    (
                        cut(&choice.label, MAX_BUTTON_LABEL),
                        memory.token_for(choice).encode(),
                    )
                })
                .collect::<Vec<_>>()
                .chunks(BUTTONS_PER_ROW)
                .map(<[_]>::to_vec)
                .collect(),
        ),
    }
}

/// Buttons or a menu for a reply's choices.
pub(super) fn components(
    reply: &Reply,
    memory: &ChoiceMemory,
    catalog: &Catalog,
) -> Vec<CreateActionRow> {
    match controls(reply, memory) {
        Controls::None => Vec::new(),
        Controls::Buttons(rows) => rows
            .into_iter()
            .map(|row| {
                CreateActionRow::Buttons(
                    row.into_iter()
                        .map(|(label, id)| CreateButton::new(id).label(label))
                        .collect(),
                )
            })
            .collect(),
        Controls::Menu(options) => {
            let options = options
                .into_iter()
                .map(|(label, value)| CreateSelectMenuOption::new(label, value))
                .collect();
            let menu = CreateSelectMenu::new(MENU_ID, CreateSelectMenuKind::String { options })
                .placeholder(cut(catalog.text(Key::DiscordMenuPlaceholder), 150));
            vec![CreateActionRow::SelectMenu(menu)]
        }
    }
}

/// Splits text into messages of at most [`MAX_CONTENT_CHARS`], at line
/// breaks where it can. Never returns an empty list.
pub fn split_content(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut current_chars = 0;
    for line in text.split_inclusive('\n') {
        let mut line = line;
        loop {
            let line_chars = line.chars().count();
            if current_chars + line_chars <= MAX_CONTENT_CHARS {
                current.push_str(line);
                current_chars += line_chars;
                break;
            }
            if current_chars > 0 {
                parts.push(std::mem::take(&mut current).trim_end().to_owned());
                current_chars = 0;
                continue;
            }
            // One line longer than a message: cut it at a character boundary.
            let cut_at = line
                .char_indices()
                .nth(MAX_CONTENT_CHARS)
                .map_or(line.len(), |(at, _)| at);
            parts.push(line[..cut_at].to_owned());
            line = &line[cut_at..];
        }
    }
    if current_chars > 0 || parts.is_empty() {
        parts.push(current.trim_end().to_owned());
    }
    parts
}

/// The first `max` characters, with an ellipsis when something was cut.
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
    short.push('…');
    short
}

/// The same controls, none of them usable any more: an answered choice
/// stays in view but cannot be pressed twice.
pub fn disabled(rows: &[ActionRow]) -> Vec<CreateActionRow> {
    rows.iter()
        .filter_map(|row| {
            let buttons: Vec<CreateButton> = row
                .components
                .iter()
                .filter_map(|component| match component {
                    ActionRowComponent::Button(button) => {
                        Some(CreateButton::from(button.clone()).disabled(true))
                    }
                    _ => None,
                })
                .collect();
            if !buttons.is_empty() {
                return Some(CreateActionRow::Buttons(buttons));
            }
            row.components.iter().find_map(|component| match component {
                ActionRowComponent::SelectMenu(menu) => {
                    let options = menu
                        .options
                        .iter()
                        .map(|option| CreateSelectMenuOption::new(&option.label, &option.value))
                        .collect();
                    let id = menu.custom_id.clone().unwrap_or_else(|| MENU_ID.to_owned());
                    let kind = CreateSelectMenuKind::String { options };
                    Some(CreateActionRow::SelectMenu(
                        CreateSelectMenu::new(id, kind).disabled(true),
                    ))
                }
                _ => None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_commands_travel_in_the_id_and_long_ones_are_remembered() {
        let memory = ChoiceMemory::default();
        let rating = Choice::new("7", "checkin answer 7").with_note("Anything to add?");
        let token = memory.token_for(&rating);
        assert_eq!(token.encode(), "n:checkin answer 7");
        assert_eq!(Token::decode(&token.encode()), Some(token.clone()));
        let resolved = memory.resolve(&token).unwrap();
        assert_eq!(resolved.command, "checkin answer 7");
        assert_eq!(resolved.note, Some(None));

        let long = Choice::new("hurt", format!("reword feeling:hurt {}", "you ".repeat(40)));
        let token = memory.token_for(&long);
        assert!(matches!(token, Token::Remembered(_)));
        assert!(token.encode().len() <= MAX_CUSTOM_ID);
        let resolved = memory
            .resolve(&Token::decode(&token.encode()).unwrap())
            .unwrap();
        assert_eq!(resolved.command, long.command);
        assert_eq!(resolved.note, None);
        assert_eq!(memory.resolve(&Token::Remembered(999)), None);
        assert_eq!(Token::decode("something-else"), None);
    }

    #[test]
    fn ten_ratings_make_two_rows_and_alternatives_a_menu() {
        let memory = ChoiceMemory::default();
        let ratings: Vec<Choice> = (1..=10)
            .map(|n| Choice::new(n.to_string(), format!("checkin answer {n}")))
            .collect();
        let Controls::Buttons(rows) = controls(&Reply::private("q").with_choices(ratings), &memory)
        else {
            panic!("ratings are buttons");
        };
        assert_eq!(rows.iter().map(Vec::len).collect::<Vec<_>>(), [5, 5]);
        assert_eq!(
            rows[1][4],
            ("10".to_owned(), "c:checkin answer 10".to_owned())
        );

        let feelings = vec![Choice::new("hurt", "reword feeling:hurt x")];
        let reply = Reply::private("s").with_menu(feelings);
        assert_eq!(
            controls(&reply, &memory),
            Controls::Menu(vec![("hurt".into(), "c:reword feeling:hurt x".into())])
        );
        assert_eq!(controls(&Reply::private("plain"), &memory), Controls::None);
    }

    #[test]
    fn long_text_is_split_at_lines_within_the_limit() {
        let line = "a".repeat(1500);
        let text = format!("{line}\n{line}\n{}", "b".repeat(4500));
        let parts = split_content(&text);
        assert!(parts.iter().all(|p| p.chars().count() <= MAX_CONTENT_CHARS));
        assert_eq!(parts[0], line);
        assert_eq!(parts[1], line);
        assert_eq!(parts.concat().len(), 1500 * 2 + 4500);
        assert_eq!(split_content("hi"), vec!["hi"]);
        assert_eq!(split_content(""), vec![""]);
        assert_eq!(cut("ééé", 2), "é…");
    }
}
