//! One thing wrong with the configuration (or worth a warning), the setting
//! it is about, and where that setting was written: a line and column of
//! the file, or an environment variable. Never the value itself.

use std::collections::HashMap;

use crate::prompts::{Catalog, Key};

/// Where a setting was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// In the config file; both count from 1.
    File { line: usize, column: usize },
    /// By this environment variable.
    Env(String),
}

/// One thing wrong (or worth a warning) in the configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub key: Key,
    pub vars: Vec<(&'static str, String)>,
    /// The setting it is about, as `section.key` or `section`.
    pub setting: Option<String>,
    /// Where that setting was written, when known.
    pub origin: Option<Origin>,
}

impl Problem {
    pub(super) fn new(key: Key, vars: &[(&'static str, &str)]) -> Problem {
        Problem {
            key,
            vars: vars
                .iter()
                .map(|(name, value)| (*name, (*value).to_owned()))
                .collect(),
            setting: None,
            origin: None,
        }
    }

    /// The same problem, about `setting`.
    pub(super) fn about(mut self, setting: impl Into<String>) -> Problem {
        self.setting = Some(setting.into());
        self
    }

    /// The same problem, written at `origin`.
    pub(super) fn at(mut self, origin: Option<Origin>) -> Problem {
        self.origin = origin;
        self
    }

    /// The problem in words, led by where it was written.
    pub fn render(&self, catalog: &Catalog) -> String {
        let vars: Vec<(&str, &str)> = self.vars.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let message = catalog.render(self.key, &vars);
        match &self.origin {
            None => message,
            Some(Origin::File { line, column }) => catalog.render(
                Key::ConfigAtLine,
                &[
                    ("line", &line.to_string()),
                    ("column", &column.to_string()),
                    ("message", &message),
                ],
            ),
            Some(Origin::Env(variable)) => catalog.render(
                Key::ConfigFromEnv,
                &[("variable", variable), ("message", &message)],
            ),
        }
    }
}

/// Where each setting was written: positions in the file and the variables
/// that set them (which win, being read later).
#[derive(Debug, Default)]
pub(super) struct Origins {
    /// Line and column of each `section` and `section.key` in the file.
    pub file: HashMap<String, (usize, usize)>,
    /// The variable behind each `section.key` (and `section`, for the first).
    pub env: HashMap<String, String>,
}

impl Origins {
    /// Where the value in use was written: the variable if one set it, else
    /// the file, else the section's header in the file.
    pub fn of(&self, setting: &str) -> Option<Origin> {
        self.env
            .get(setting)
            .map(|variable| Origin::Env(variable.clone()))
            .or_else(|| self.in_file(setting))
    }

    /// Where the file wrote the setting, or else its section.
    pub fn in_file(&self, setting: &str) -> Option<Origin> {
        let section = setting.split('.').next().unwrap_or(setting);
        self.file
            .get(setting)
            .or_else(|| self.file.get(section))
            .map(|&(line, column)| Origin::File { line, column })
    }
}

/// The line and column (from 1, in characters) of a byte offset in `text`.
pub(super) fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let text = "[a]\nkey = 1\nné = 2\n";
        assert_eq!(line_and_column(text, 0), (1, 1));
        assert_eq!(line_and_column(text, 4), (2, 1));
        assert_eq!(line_and_column(text, 10), (2, 7));
        // Columns count characters, not bytes.
        assert_eq!(line_and_column(text, text.rfind('=').unwrap()), (3, 4));
    }

    #[test]
    fn the_environment_wins_and_a_missing_key_points_at_its_section() {
        let mut origins = Origins::default();
        origins.file.insert("discord".into(), (3, 2));
        origins.file.insert("discord.guild_id".into(), (4, 1));
        origins.env.insert(
            "discord.guild_id".into(),
            "RAPPORT_DISCORD__GUILD_ID".into(),
        );
        assert_eq!(
            origins.of("discord.guild_id"),
            Some(Origin::Env("RAPPORT_DISCORD__GUILD_ID".into()))
        );
        assert_eq!(
            origins.in_file("discord.guild_id"),
            Some(Origin::File { line: 4, column: 1 })
        );
        assert_eq!(
            origins.of("discord.token"),
            Some(Origin::File { line: 3, column: 2 })
        );
        assert_eq!(origins.of("matrix.password"), None);
    }
}
