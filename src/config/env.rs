//! Environment overrides: `RAPPORT_<SECTION>__<KEY>=value` sets `key` in
//! `[section]`, so a container or systemd unit needs no config file at all.

use std::collections::HashMap;
use std::fmt::Display;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

const PREFIX: &str = "RAPPORT_";
const SEPARATOR: &str = "__";

/// Applies every `RAPPORT_A__B` variable to the table as text at `a.b`.
/// Values stay text; numeric fields accept text through [`lenient`], so a
/// token that happens to be all digits is never turned into a number.
/// Also returns which variable set each `a.b` (and `a`, for its first), so
/// a problem can name the variable.
pub fn overlay(
    mut table: toml::Table,
    environment: impl IntoIterator<Item = (String, String)>,
) -> (toml::Table, HashMap<String, String>) {
    let mut names = HashMap::new();
    let mut environment: Vec<(String, String)> = environment.into_iter().collect();
    // One order whatever the process's, so the first variable of a section is stable.
    environment.sort();
    for (name, value) in environment {
        let Some(path) = name.strip_prefix(PREFIX) else {
            continue;
        };
        let segments: Vec<String> = path.split(SEPARATOR).map(str::to_lowercase).collect();
        if segments.len() < 2 || segments.iter().any(String::is_empty) {
            continue;
        }
        names
            .entry(segments[0].clone())
            .or_insert_with(|| name.clone());
        names.insert(format!("{}.{}", segments[0], segments[1]), name);
        set_path(&mut table, &segments, value);
    }
    (table, names)
}

fn set_path(table: &mut toml::Table, segments: &[String], value: String) {
    let (last, parents) = segments
        .split_last()
        .expect("overlay passes at least two segments");
    let mut current = table;
    for segment in parents {
        let entry = current
            .entry(segment.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        current = entry.as_table_mut().expect("just made a table");
    }
    current.insert(last.clone(), toml::Value::String(value));
}

/// Deserialises a number written either natively in TOML or as text (from
/// the environment).
pub fn lenient<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr + Deserialize<'de>,
    T::Err: Display,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NativeOrText<T> {
        Native(T),
        Text(String),
    }
    match NativeOrText::<T>::deserialize(deserializer)? {
        NativeOrText::Native(value) => Ok(value),
        NativeOrText::Text(text) => text.trim().parse().map_err(serde::de::Error::custom),
    }
}

/// [`lenient`] for an optional value: present means `Some`.
pub fn lenient_option<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr + Deserialize<'de>,
    T::Err: Display,
{
    lenient(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn variables_land_in_their_section() {
        let table: toml::Table = toml::from_str("[store]\nurl = \"sqlite://a.db\"\n").unwrap();
        let (table, names) = overlay(
            table,
            env(&[
                ("RAPPORT_STORE__URL", "sqlite://b.db"),
                ("RAPPORT_DISCORD__TOKEN", "123456"),
                ("RAPPORT_CONFIG", "ignored.toml"),
                ("HOME", "/root"),
            ]),
        );
        assert_eq!(table["store"]["url"].as_str(), Some("sqlite://b.db"));
        assert_eq!(table["discord"]["token"].as_str(), Some("123456"));
        assert_eq!(table.len(), 2);
        assert_eq!(names["discord.token"], "RAPPORT_DISCORD__TOKEN");
        assert_eq!(names["store"], "RAPPORT_STORE__URL");
    }
}
