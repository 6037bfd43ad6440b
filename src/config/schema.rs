//! The shape of the configuration: which sections and keys exist and what
//! kind of value each takes, read from the [`Config`] types themselves (so
//! it cannot drift from them). Every unknown section or key and every value
//! of the wrong kind is its own problem; serde's messages, which quote the
//! value (a mistyped token among them), are never shown.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};

use super::{Config, Problem};
use crate::domain::similar::edit_distance;
use crate::prompts::Key;

/// Checks every section and key, removing what is unknown or of the wrong
/// kind, so the rest can be read with defaults in their place.
pub(super) fn check(mut table: toml::Table) -> (toml::Table, Vec<Problem>) {
    let mut problems = Vec::new();
    let sections = fields(None);
    table.retain(|section, value| {
        if !sections.contains(&section) {
            problems.push(unknown(
                Key::ConfigUnknownSection,
                section,
                section,
                sections,
            ));
            return false;
        }
        let Some(keys) = value.as_table_mut() else {
            problems
                .push(Problem::new(Key::ConfigNotASection, &[("section", section)]).about(section));
            return false;
        };
        let known = fields(Some(section));
        keys.retain(|key, value| {
            let setting = format!("{section}.{key}");
            if !known.contains(&key) {
                problems.push(unknown(Key::ConfigUnknownKey, section, &setting, known));
                false
            } else if accepts(section, key, value.clone()) {
                true
            } else {
                problems.push(wrong_kind(section, key, setting));
                false
            }
        });
        true
    });
    (table, problems)
}

/// An unknown section or key, with the likeliest meant one or else the list.
fn unknown(key: Key, section: &str, setting: &str, known: &[&str]) -> Problem {
    let name = setting.rsplit('.').next().unwrap_or(setting);
    let mut vars = vec![
        ("setting", setting.to_owned()),
        ("section", section.to_owned()),
        ("known", known.join(", ")),
    ];
    let key = match closest(name, known) {
        Some(near) => {
            vars.push(("suggestion", near.to_owned()));
            match key {
                Key::ConfigUnknownSection => Key::ConfigUnknownSectionNear,
                _ => Key::ConfigUnknownKeyNear,
            }
        }
        None => key,
    };
    Problem {
        vars,
        ..Problem::new(key, &[]).about(setting)
    }
}

/// The known name within two edits of `name`, if there is one.
fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|candidate| (edit_distance(name, candidate), *candidate))
        .filter(|(edits, _)| *edits <= 2 && *edits < name.chars().count())
        .min_by_key(|(edits, _)| *edits)
        .map(|(_, candidate)| candidate)
}

/// Whether `section.key = value` reads, on its own, as part of a [`Config`].
fn accepts(section: &str, key: &str, value: toml::Value) -> bool {
    let mut keys = toml::Table::new();
    keys.insert(key.to_owned(), value);
    let mut table = toml::Table::new();
    table.insert(section.to_owned(), toml::Value::Table(keys));
    Config::deserialize(toml::Value::Table(table)).is_ok()
}

/// What `section.key` wants, in words the admin's file can follow.
fn wrong_kind(section: &str, key: &str, setting: String) -> Problem {
    let problem = |key: Key, vars: &[(&'static str, &str)]| {
        Problem::new(key, &[&[("setting", setting.as_str())], vars].concat()).about(&setting)
    };
    match shape(section, key) {
        Shape::Text => problem(Key::ConfigNotText, &[]),
        Shape::List => problem(Key::ConfigNotAList, &[]),
        Shape::Variants(choices) => {
            problem(Key::ConfigNotOneOf, &[("choices", &choices.join(", "))])
        }
        _ if accepts(section, key, toml::Value::Integer(1)) => problem(Key::ConfigNotANumber, &[]),
        _ if accepts(section, key, toml::Value::Boolean(true)) => problem(Key::ConfigNotABool, &[]),
        _ => problem(Key::ConfigWrongKind, &[]),
    }
}

/// The names of the sections (`None`) or of one section's keys.
fn fields(section: Option<&str>) -> &'static [&'static str] {
    let shape = match section {
        None => Shape::of(Probe),
        Some(section) => Shape::of(OneEntry::new(section, Probe)),
    };
    match shape {
        Shape::Fields(fields) => fields,
        _ => &[],
    }
}

/// What the type at `section.key` asked the deserializer for.
fn shape(section: &str, key: &str) -> Shape {
    Shape::of(OneEntry::new(section, OneEntry::new(key, Probe)))
}

/// What a type asks of its deserializer, caught instead of a value.
#[derive(Debug)]
enum Shape {
    Fields(&'static [&'static str]),
    Variants(&'static [&'static str]),
    Text,
    List,
    /// Anything else, such as a number that may also be written as text.
    Other,
}

impl Shape {
    fn of<'de, D: de::Deserializer<'de, Error = Shape>>(deserializer: D) -> Shape {
        match Config::deserialize(deserializer) {
            Ok(_) => Shape::Other,
            Err(shape) => shape,
        }
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the shape of a setting: {self:?}")
    }
}

impl std::error::Error for Shape {}

impl de::Error for Shape {
    fn custom<T: fmt::Display>(_: T) -> Shape {
        Shape::Other
    }
}

/// Answers every request with the [`Shape`] asked for.
struct Probe;

impl<'de> de::Deserializer<'de> for Probe {
    type Error = Shape;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Shape> {
        Err(Shape::Other)
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Shape> {
        Err(Shape::Fields(fields))
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Shape> {
        Err(Shape::Variants(variants))
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Shape> {
        visitor.visit_some(self)
    }
    fn deserialize_str<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Shape> {
        Err(Shape::Text)
    }
    fn deserialize_string<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Shape> {
        Err(Shape::Text)
    }
    fn deserialize_seq<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Shape> {
        Err(Shape::List)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
        unit unit_struct newtype_struct tuple tuple_struct map identifier ignored_any
    }
}

/// A map of one entry, `key` to whatever `value` deserializes.
struct OneEntry<'a, D> {
    key: Option<&'a str>,
    value: Option<D>,
}

impl<'a, D> OneEntry<'a, D> {
    fn new(key: &'a str, value: D) -> Self {
        OneEntry {
            key: Some(key),
            value: Some(value),
        }
    }
}

impl<'de, D: de::Deserializer<'de, Error = Shape>> de::Deserializer<'de> for OneEntry<'_, D> {
    type Error = Shape;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Shape> {
        visitor.visit_map(self)
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Shape> {
        visitor.visit_some(self)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct newtype_struct seq tuple tuple_struct map struct
        enum identifier ignored_any
    }
}

impl<'de, D: de::Deserializer<'de, Error = Shape>> MapAccess<'de> for OneEntry<'_, D> {
    type Error = Shape;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Shape> {
        match self.key.take() {
            Some(key) => seed.deserialize(key.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Shape> {
        match self.value.take() {
            Some(value) => seed.deserialize(value),
            None => Err(Shape::Other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_keys_come_from_the_types() {
        let sections = fields(None);
        assert!(sections.contains(&"checkins") && sections.contains(&"matrix"));
        assert!(fields(Some("checkins")).contains(&"round_hours"));
        assert!(fields(Some("discord")).contains(&"guild_id"));
        assert!(matches!(shape("log", "format"), Shape::Variants(v) if v == ["pretty", "json"]));
        assert!(matches!(shape("discord", "token"), Shape::Text));
        assert!(matches!(shape("crisis", "resources"), Shape::List));
    }

    #[test]
    fn near_misses_are_suggested() {
        let known = fields(Some("checkins"));
        assert_eq!(closest("round_hour", known), Some("round_hours"));
        assert_eq!(closest("something_else", known), None);
    }
}
