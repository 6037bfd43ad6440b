//! The prompt catalog: every sentence rapport says, loaded from TOML.
//!
//! The `en` texts are compiled into the binary, so a fresh install always
//! speaks. An admin may drop files into `<prompts dir>/<locale>/*.toml` to
//! replace texts or add decks; files are merged in name order, later keys win.
//! Loading fails with the list of missing keys, so a broken locale is caught at
//! start rather than in the middle of a conversation.

mod keys;

pub use keys::Key;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

/// The locale compiled into the binary.
pub const EMBEDDED_LOCALE: &str = "en";

/// The embedded `en` files, in merge order.
const EMBEDDED_EN: &[(&str, &str)] = &[
    (
        "adapters.toml",
        include_str!("../../prompts/en/adapters.toml"),
    ),
    ("admin.toml", include_str!("../../prompts/en/admin.toml")),
    (
        "console.toml",
        include_str!("../../prompts/en/console.toml"),
    ),
    ("coach.toml", include_str!("../../prompts/en/coach.toml")),
    ("decks.toml", include_str!("../../prompts/en/decks.toml")),
    (
        "messages.toml",
        include_str!("../../prompts/en/messages.toml"),
    ),
    (
        "together.toml",
        include_str!("../../prompts/en/together.toml"),
    ),
];

/// Why a catalog could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum PromptError {
    #[error("cannot read {path}: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin} is not valid TOML: {message}")]
    Syntax { origin: String, message: String },
    #[error("{origin}: `{key}` must be text or a list of texts")]
    NotText { origin: String, key: String },
    #[error("no prompts for locale `{locale}`: expected a folder {expected}")]
    UnknownLocale { locale: String, expected: PathBuf },
    #[error("prompts for locale `{locale}` are missing keys: {}", keys.join(", "))]
    MissingKeys {
        locale: String,
        keys: Vec<&'static str>,
    },
}

/// All texts of one locale: single messages and named lists (decks, words).
#[derive(Clone, Debug)]
pub struct Catalog {
    locale: String,
    messages: HashMap<String, String>,
    lists: BTreeMap<String, Vec<String>>,
}

impl Catalog {
    /// The compiled-in `en` catalog, with no admin overrides.
    pub fn embedded() -> Result<Catalog, PromptError> {
        Catalog::load(EMBEDDED_LOCALE, None)
    }

    /// Loads `locale`, overlaying files from `dir/<locale>/` when that folder
    /// exists. Only `en` may do without the folder.
    pub fn load(locale: &str, dir: Option<&Path>) -> Result<Catalog, PromptError> {
        let mut catalog = Catalog {
            locale: locale.to_owned(),
            messages: HashMap::new(),
            lists: BTreeMap::new(),
        };
        if locale == EMBEDDED_LOCALE {
            for (name, text) in EMBEDDED_EN {
                catalog.merge(&format!("embedded {locale}/{name}"), text)?;
            }
        }
        let folder = dir.map(|dir| dir.join(locale));
        match folder {
            Some(folder) if folder.is_dir() => catalog.merge_folder(&folder)?,
            Some(folder) if locale != EMBEDDED_LOCALE => {
                return Err(PromptError::UnknownLocale {
                    locale: locale.to_owned(),
                    expected: folder,
                });
            }
            _ => {}
        }
        catalog.check_complete()?;
        Ok(catalog)
    }

    /// The locale these texts are in.
    pub fn locale(&self) -> &str {
        &self.locale
    }

    /// The raw template of a key.
    pub fn text(&self, key: Key) -> &str {
        // `load` proved every key present, so the fallback is unreachable in
        // practice; showing the key beats panicking in a live chat.
        self.messages
            .get(key.as_str())
            .map(String::as_str)
            .unwrap_or(key.as_str())
    }

    /// The text of a key with `{name}` placeholders filled from `vars`.
    /// Unknown placeholders are left as written, so a typo stays visible.
    pub fn render(&self, key: Key, vars: &[(&str, &str)]) -> String {
        fill(self.text(key), vars)
    }

    /// A named list, such as a question deck (`decks.fun`).
    pub fn list(&self, name: &str) -> Option<&[String]> {
        self.lists.get(name).map(Vec::as_slice)
    }

    /// The single texts under a table, as (name, text): `coach.needs` gives
    /// ("hurt", "…"), ("anxious", "…"), …
    pub fn entries<'a>(&'a self, table: &str) -> Vec<(&'a str, &'a str)> {
        let prefix = format!("{table}.");
        let mut entries: Vec<(&str, &str)> = self
            .messages
            .iter()
            .filter_map(|(key, text)| Some((key.strip_prefix(&prefix)?, text.as_str())))
            .collect();
        entries.sort_unstable();
        entries
    }

    /// A single text by its dotted name, for tables read at start-up.
    pub fn lookup(&self, name: &str) -> Option<&str> {
        self.messages.get(name).map(String::as_str)
    }

    /// Names of all lists under a prefix, e.g. every deck under `decks.`.
    pub fn list_names<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.lists
            .keys()
            .filter(move |name| name.starts_with(prefix))
            .map(String::as_str)
    }

    fn merge_folder(&mut self, folder: &Path) -> Result<(), PromptError> {
        let unreadable = |source| PromptError::Unreadable {
            path: folder.to_owned(),
            source,
        };
        let mut files: Vec<PathBuf> = fs::read_dir(folder)
            .map_err(unreadable)?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        files.sort();
        for path in files {
            let text = fs::read_to_string(&path).map_err(|source| PromptError::Unreadable {
                path: path.clone(),
                source,
            })?;
            self.merge(&path.display().to_string(), &text)?;
        }
        Ok(())
    }

    fn merge(&mut self, origin: &str, text: &str) -> Result<(), PromptError> {
        let table: toml::Table = toml::from_str(text).map_err(|error| PromptError::Syntax {
            origin: origin.to_owned(),
            message: error.message().to_owned(),
        })?;
        self.merge_table(origin, "", &table)
    }

    fn merge_table(
        &mut self,
        origin: &str,
        prefix: &str,
        table: &toml::Table,
    ) -> Result<(), PromptError> {
        for (name, value) in table {
            let key = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            match value {
                toml::Value::String(text) => {
                    self.messages.insert(key, text.clone());
                }
                toml::Value::Table(inner) => self.merge_table(origin, &key, inner)?,
                toml::Value::Array(items) => {
                    let texts = items
                        .iter()
                        .map(|item| item.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| PromptError::NotText {
                            origin: origin.to_owned(),
                            key: key.clone(),
                        })?;
                    self.lists.insert(key, texts);
                }
                _ => {
                    return Err(PromptError::NotText {
                        origin: origin.to_owned(),
                        key,
                    });
                }
            }
        }
        Ok(())
    }

    fn check_complete(&self) -> Result<(), PromptError> {
        let missing: Vec<&'static str> = Key::ALL
            .iter()
            .map(|key| key.as_str())
            .filter(|key| !self.messages.contains_key(*key))
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(PromptError::MissingKeys {
                locale: self.locale.clone(),
                keys: missing,
            })
        }
    }
}

/// Replaces `{name}` with the matching value; other braces are kept.
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let values: usize = vars.iter().map(|(_, value)| value.len()).sum();
    let mut out = String::with_capacity(template.len() + values);
    fill_into(&mut out, template, vars);
    out
}

/// [`fill`], appending to `out`.
pub fn fill_into(out: &mut String, template: &str, vars: &[(&str, &str)]) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            vars.iter()
                .find(|(var, _)| *var == name)
                .map(|(_, value)| (*value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = skip_second_stop(value, &after[close + 1..], out);
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// After a value that ends a sentence itself ("I called."), the template's
/// own full stop would double it, also behind a closing quote: it is
/// dropped. Returns the rest of the template to fill.
fn skip_second_stop<'t>(value: &str, rest: &'t str, out: &mut String) -> &'t str {
    if !value.ends_with(['.', '!', '?', '…']) {
        return rest;
    }
    if let Some(after) = rest.strip_prefix('.') {
        return after;
    }
    for quote in ['”', '"', '’', '»'] {
        if let Some(after) = rest.strip_prefix(quote).and_then(|r| r.strip_prefix('.')) {
            out.push(quote);
            return after;
        }
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_that_ends_its_sentence_takes_no_second_full_stop() {
        assert_eq!(fill("Note: {n}.", &[("n", "I called.")]), "Note: I called.");
        assert_eq!(fill("Note: “{n}”.", &[("n", "Did I?")]), "Note: “Did I?”");
        assert_eq!(
            fill("Note: “{n}”.", &[("n", "I called")]),
            "Note: “I called”."
        );
        assert_eq!(
            fill("{n}... and", &[("n", "x.")]),
            "x... and",
            "an ellipsis stays"
        );
    }

    #[test]
    fn embedded_catalog_is_complete() {
        let catalog = Catalog::embedded().expect("embedded prompts load");
        for key in Key::ALL {
            assert!(
                !catalog.text(*key).trim().is_empty(),
                "{} is empty",
                key.as_str()
            );
        }
    }

    #[test]
    fn embedded_catalog_has_every_deck_and_tip() {
        let catalog = Catalog::embedded().expect("embedded prompts load");
        for theme in [
            "communication",
            "appreciation",
            "boundaries",
            "repair",
            "fun",
        ] {
            let deck = catalog.list(&format!("decks.{theme}")).unwrap_or_default();
            assert!(deck.len() >= 8, "deck {theme} has {} questions", deck.len());
        }
        assert!(
            !catalog
                .list("tips.listening")
                .unwrap_or_default()
                .is_empty()
        );
    }

    #[test]
    fn fill_replaces_known_placeholders_only() {
        let text = fill(
            "Hi {name}, code {code} {unknown}",
            &[("name", "Ana"), ("code", "X1")],
        );
        assert_eq!(text, "Hi Ana, code X1 {unknown}");
        assert_eq!(fill("a { b", &[]), "a { b");
    }

    #[test]
    fn missing_key_in_a_locale_fails_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let fr = dir.path().join("fr");
        fs::create_dir(&fr).unwrap();
        fs::write(fr.join("messages.toml"), "[help]\noverview = \"Bonjour\"\n").unwrap();
        let error = Catalog::load("fr", Some(dir.path())).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("locale `fr` is missing keys") || text.contains("missing keys"));
        assert!(text.contains("errors.internal"), "{text}");
        assert!(!text.contains("help.overview"), "{text}");
    }

    #[test]
    fn admin_files_override_embedded_texts_and_add_lists() {
        let dir = tempfile::tempdir().unwrap();
        let en = dir.path().join("en");
        fs::create_dir(&en).unwrap();
        fs::write(
            en.join("zz-local.toml"),
            "[errors]\ninternal = \"Oops, try later.\"\n[decks]\nhiking = [\"Best trail?\"]\n",
        )
        .unwrap();
        let catalog = Catalog::load("en", Some(dir.path())).unwrap();
        assert_eq!(catalog.text(Key::ErrorInternal), "Oops, try later.");
        assert_eq!(catalog.list("decks.hiking").unwrap(), ["Best trail?"]);
    }

    #[test]
    fn unknown_locale_without_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let error = Catalog::load("de", Some(dir.path())).unwrap_err();
        assert!(matches!(error, PromptError::UnknownLocale { .. }));
    }

    #[test]
    fn non_text_values_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let en = dir.path().join("en");
        fs::create_dir(&en).unwrap();
        fs::write(en.join("bad.toml"), "[errors]\ninternal = 3\n").unwrap();
        let error = Catalog::load("en", Some(dir.path())).unwrap_err();
        assert!(matches!(error, PromptError::NotText { .. }), "{error}");
    }
}
