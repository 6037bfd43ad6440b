//! Loading, in order: which file, its TOML (syntax problems by line and
//! column, never the line itself), the environment on top, the shape
//! (every unknown or mistyped setting, see `schema`), then the values. The
//! problems of all these steps come back together, each located.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use super::problem::{Origins, line_and_column};
use super::{Config, Origin, Problem, env, schema, secrets, validate};
use crate::prompts::Key;

/// The file read when no path is given and `RAPPORT_CONFIG` is unset.
pub const DEFAULT_PATH: &str = "rapport.toml";

/// A configuration that loaded, with the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub warnings: Vec<Problem>,
    /// The file that was read; `None`: defaults and the environment only.
    pub file: Option<PathBuf>,
}

/// The file [`load`] reads: `path`, else `$RAPPORT_CONFIG`, else
/// `./rapport.toml` when there is one.
pub fn chosen_file(path: Option<&Path>) -> Option<PathBuf> {
    path.map(Path::to_path_buf)
        .or_else(|| std::env::var_os("RAPPORT_CONFIG").map(PathBuf::from))
        .or_else(default_file)
}

fn default_file() -> Option<PathBuf> {
    Some(PathBuf::from(DEFAULT_PATH)).filter(|p| p.is_file())
}

/// Loads from the process environment and the file it points to.
pub fn load(path: Option<&Path>) -> Result<Loaded, Vec<Problem>> {
    load_from(chosen_file(path).as_deref(), std::env::vars())
}

/// Loads from an explicit environment (tests pass their own). Without a
/// path, `./rapport.toml` is read if it exists; a named file must exist.
pub fn load_from(
    path: Option<&Path>,
    environment: impl IntoIterator<Item = (String, String)>,
) -> Result<Loaded, Vec<Problem>> {
    let file = path.map(Path::to_path_buf).or_else(default_file);
    let (table, positions) = match &file {
        Some(path) => read_file(path)?,
        None => (toml::Table::new(), HashMap::new()),
    };
    let mut warnings = secrets::inline_secrets(&table);
    let (table, names) = env::overlay(table, environment);
    let origins = Origins {
        file: positions,
        env: names,
    };
    let store_url_given = table.get("store").and_then(|s| s.get("url")).is_some();
    let (table, shape) = schema::check(table);
    let mut problems = in_file_order(locate(shape, &origins));
    let Ok(mut config) = Config::deserialize(toml::Value::Table(table)) else {
        // Unreachable when every key read on its own; serde's words would
        // quote the value, so they are not shown.
        problems.push(Problem::new(Key::ConfigInvalid, &[]));
        return Err(locate(problems, &origins));
    };
    // A setting already reported for its shape is not reported again for
    // the default that stood in for it (nor its `_file` for the secret).
    let reported: Vec<String> = problems.iter().filter_map(|p| p.setting.clone()).collect();
    let mut values = secrets::resolve_secret_files(&mut config, store_url_given);
    values.extend(validate::problems(&config));
    problems.extend(values.into_iter().filter(|problem| {
        problem.setting.as_ref().is_none_or(|setting| {
            let file = format!("{setting}_file");
            !reported.iter().any(|r| *r == *setting || *r == file)
        })
    }));
    if !problems.is_empty() {
        return Err(locate(problems, &origins));
    }
    warnings.sort_by_key(|w| w.vars.clone());
    let warnings = warnings
        .into_iter()
        .map(|w| {
            let origin = w.setting.as_deref().and_then(|s| origins.in_file(s));
            w.at(origin)
        })
        .collect();
    Ok(Loaded {
        config,
        warnings,
        file,
    })
}

/// Each problem with where its setting was written, unless it knows already.
fn locate(problems: Vec<Problem>, origins: &Origins) -> Vec<Problem> {
    problems
        .into_iter()
        .map(
            |problem| match (&problem.origin, problem.setting.as_deref()) {
                (None, Some(setting)) => {
                    let origin = origins.of(setting);
                    problem.at(origin)
                }
                _ => problem,
            },
        )
        .collect()
}

/// File problems by line and column, then the environment's.
fn in_file_order(mut problems: Vec<Problem>) -> Vec<Problem> {
    problems.sort_by_key(|problem| match &problem.origin {
        Some(Origin::File { line, column }) => (0, *line, *column),
        Some(Origin::Env(_)) => (1, 0, 0),
        None => (2, 0, 0),
    });
    problems
}

type Positions = HashMap<String, (usize, usize)>;

/// The file's table and where each section and key is written in it.
fn read_file(path: &Path) -> Result<(toml::Table, Positions), Vec<Problem>> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|error| {
        vec![Problem::new(
            Key::ConfigUnreadable,
            &[("path", &shown), ("reason", &error.to_string())],
        )]
    })?;
    let (document, errors) = DeTable::parse_recoverable(&text);
    if !errors.is_empty() {
        let mut problems: Vec<Problem> = errors.iter().map(|e| syntax(&text, e)).collect();
        // Recovery can trip twice on one mistake; one problem a line is enough.
        problems.dedup_by(|a, b| match (&a.origin, &b.origin) {
            (Some(Origin::File { line: x, .. }), Some(Origin::File { line: y, .. })) => x == y,
            _ => false,
        });
        return Err(problems);
    }
    let positions = positions(&text, document.get_ref());
    let table = toml::from_str(&text).map_err(|error| vec![syntax(&text, &error)])?;
    Ok((table, positions))
}

/// A TOML mistake as a hint and a place. The parser's message is only
/// sorted into a kind: the text around the mistake may be a secret.
fn syntax(text: &str, error: &toml::de::Error) -> Problem {
    let message = error.message();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| message.starts_with(p));
    let key = if starts(&["duplicate key"]) {
        Key::ConfigTomlDuplicate
    } else if message.contains("quote") || message.contains("string") {
        Key::ConfigTomlQuotes
    } else if starts(&[
        "unclosed table",
        "unclosed array table",
        "missing table open",
    ]) {
        Key::ConfigTomlHeader
    } else if starts(&[
        "key with no value",
        "missing assignment",
        "missing value",
        "extra `=`",
        "extra assignment",
        "invalid key-value pair",
    ]) {
        Key::ConfigTomlAssignment
    } else {
        Key::ConfigSyntax
    };
    let origin = error.span().map(|span| {
        let (line, column) = line_and_column(text, span.start);
        Origin::File { line, column }
    });
    Problem::new(key, &[]).at(origin)
}

/// Line and column of every section and of every key within one.
fn positions(text: &str, document: &DeTable<'_>) -> Positions {
    let mut found = HashMap::new();
    for (section, value) in document.iter() {
        let name = section.get_ref().to_string();
        if let DeValue::Table(keys) = value.get_ref() {
            for (key, _) in keys.iter() {
                let at = line_and_column(text, key.span().start);
                found.insert(format!("{name}.{}", key.get_ref()), at);
            }
        }
        found.insert(name, line_and_column(text, section.span().start));
    }
    found
}
