//! The layers point one way: `domain` ← `store` ← `engine` ← adapters, no
//! import cycle between top-level modules or between sibling files, and
//! `src/lib.rs`'s layout map names every top-level module.
//!
//! Read from the source itself: every `crate::…`, `super::…` and `self::…`
//! path outside comments and `#[cfg(test)]` modules is an edge from the
//! file's module to the module it names. A child using its parent (or the
//! other way round) is normal; two modules that share a parent, and so are
//! siblings, must not reach each other in a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

/// Every source file of the library under `src/`, by module path
/// (`engine::checkin`); `main.rs` is the binary, which uses `rapport::`.
fn modules(root: &Path) -> BTreeMap<Module, String> {
    let mut found = BTreeMap::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && path != root.join("main.rs") {
                let text = std::fs::read_to_string(&path).expect("a readable source file");
                found.insert(module_of(root, &path), text);
            }
        }
    }
    found
}

fn module_of(root: &Path, file: &Path) -> Module {
    let relative: PathBuf = file
        .strip_prefix(root)
        .expect("under src")
        .with_extension("");
    let mut parts: Module = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|last| ["mod", "lib", "main"].contains(&last.as_str()))
    {
        parts.pop();
    }
    parts
}

/// The code a module imports with: no comments, no test module.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod ").next().unwrap_or(text);
    text.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path a module's code names that starts at `crate`, `super` or
/// `self`, resolved to a module path (maybe with an item name at the end).
fn named_paths(module: &Module, code: &str) -> Vec<Module> {
    let mut paths = Vec::new();
    for statement in code.split(';') {
        let lines: Vec<&str> = statement.lines().map(str::trim).collect();
        let Some(first) = lines.iter().position(|line| use_tree(line).is_some()) else {
            continue;
        };
        let tree = [use_tree(lines[first]).unwrap_or_default()]
            .into_iter()
            .chain(lines[first + 1..].iter().copied())
            .collect::<Vec<_>>()
            .join(" ");
        expand(Vec::new(), &tree, &mut paths);
    }
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .filter(|word| word.starts_with("crate::") || word.starts_with("super::"))
        .collect();
    paths.extend(
        words
            .iter()
            .map(|word| word.split("::").map(str::to_owned).collect()),
    );
    paths
        .into_iter()
        .filter_map(|path| resolve_start(module, path))
        .collect()
}

/// The tree of a line that starts a `use` declaration.
fn use_tree(line: &str) -> Option<&str> {
    ["use ", "pub use ", "pub(crate) use ", "pub(super) use "]
        .iter()
        .find_map(|start| line.strip_prefix(start))
}

/// Expands a use tree (`a::{b, c::{d}}`) into its paths.
fn expand(prefix: Module, tree: &str, out: &mut Vec<Module>) {
    let tree = tree.trim();
    if let Some(inner) = tree.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
        let mut depth = 0;
        let mut start = 0;
        for (at, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(prefix.clone(), &inner[start..at], out);
                    start = at + 1;
                }
                _ => {}
            }
        }
        expand(prefix, &inner[start..], out);
        return;
    }
    match tree.split_once("::") {
        Some((head, rest)) if !head.contains('{') => {
            let mut prefix = prefix;
            prefix.push(head.trim().to_owned());
            expand(prefix, rest, out);
        }
        _ if tree.is_empty() => {}
        _ => {
            let mut path = prefix;
            path.push(tree.split(" as ").next().unwrap_or(tree).trim().to_owned());
            out.push(path);
        }
    }
}

/// `crate::a::b` → `a::b`; `super::x` from `m::n` → `m::x`; others: none.
fn resolve_start(module: &Module, path: Module) -> Option<Module> {
    match path.first().map(String::as_str) {
        Some("crate") => Some(path[1..].to_vec()),
        Some("self") => Some([module.clone(), path[1..].to_vec()].concat()),
        Some("super") => {
            let ups = path.iter().take_while(|part| *part == "super").count();
            let base = module.get(..module.len().checked_sub(ups)?)?;
            Some([base.to_vec(), path[ups..].to_vec()].concat())
        }
        _ => None,
    }
}

/// Edges between siblings: for `a::b::c` naming `a::d::e`, `a::b` → `a::d`.
fn sibling_edges(modules: &BTreeMap<Module, String>) -> BTreeSet<(Module, Module)> {
    let mut edges = BTreeSet::new();
    for (module, text) in modules {
        for mut target in named_paths(module, &code_of(text)) {
            while !target.is_empty() && !modules.contains_key(&target) {
                target.pop();
            }
            let shared = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if target.is_empty() || shared == module.len() || shared == target.len() {
                continue; // the crate root, a parent or a child
            }
            edges.insert((module[..=shared].to_vec(), target[..=shared].to_vec()));
        }
    }
    edges
}

/// A circle among the edges, as the modules on it, if there is one.
fn find_cycle(edges: &BTreeSet<(Module, Module)>) -> Option<Vec<Module>> {
    fn visit(
        node: &Module,
        edges: &BTreeSet<(Module, Module)>,
        path: &mut Vec<Module>,
        done: &mut BTreeSet<Module>,
    ) -> Option<Vec<Module>> {
        if let Some(at) = path.iter().position(|on| on == node) {
            return Some(path[at..].to_vec());
        }
        if !done.insert(node.clone()) {
            return None;
        }
        path.push(node.clone());
        for (_, next) in edges.iter().filter(|(from, _)| from == node) {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    edges
        .iter()
        .find_map(|(from, _)| visit(from, edges, &mut Vec::new(), &mut done))
}

fn source() -> BTreeMap<Module, String> {
    modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

fn names(module: &Module, text: &str, prefix: &str) -> bool {
    let code = code_of(text);
    code.contains(prefix)
        || named_paths(module, &code).iter().any(|path| {
            path.join("::")
                .starts_with(prefix.trim_start_matches("crate::"))
        })
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let edges = sibling_edges(&source());
    assert!(
        edges.len() > 50,
        "the import graph looks empty: {}",
        edges.len()
    );
    if let Some(cycle) = find_cycle(&edges) {
        let names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
        panic!("an import cycle: {}", names.join(" -> "));
    }
}

#[test]
fn the_store_and_the_domain_never_name_the_engine() {
    let mut checked = 0;
    for (module, text) in source() {
        let layer = module.first().map(String::as_str);
        if layer == Some("store") || layer == Some("domain") {
            checked += 1;
            assert!(
                !names(&module, &text, "crate::engine"),
                "{} names the engine",
                module.join("::")
            );
            assert!(
                !names(&module, &text, "crate::adapters"),
                "{} names an adapter",
                module.join("::")
            );
        }
        if layer == Some("domain") {
            assert!(
                !names(&module, &text, "crate::store"),
                "{} names the store",
                module.join("::")
            );
        }
    }
    assert!(checked >= 10, "only {checked} store and domain files found");
}

#[test]
fn rules_name_no_protocol_type() {
    for (module, text) in source() {
        let layer = module.first().map(String::as_str).unwrap_or_default();
        if [
            "domain",
            "store",
            "engine",
            "coach",
            "scheduler",
            "delivery",
        ]
        .contains(&layer)
        {
            let code = code_of(&text);
            for protocol in ["serenity", "poise", "matrix_sdk", "ruma"] {
                assert!(
                    !code.contains(protocol),
                    "{} names {protocol}",
                    module.join("::")
                );
            }
        }
    }
}

#[test]
fn the_layout_map_names_every_top_level_module() {
    let source = source();
    let lib = &source[&Vec::new()];
    let map: String = lib
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .collect::<Vec<_>>()
        .join("\n");
    let top: BTreeSet<&String> = source
        .keys()
        .filter_map(|module| module.first())
        .filter(|name| *name != "main")
        .collect();
    for name in top {
        assert!(
            map.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|word| word == name),
            "src/lib.rs's layout map does not name `{name}`"
        );
    }
}

#[test]
fn the_cycle_check_finds_a_planted_cycle() {
    let planted: BTreeMap<Module, String> = [
        (vec!["a".to_owned()], "use crate::b::Thing;".to_owned()),
        (
            vec!["b".to_owned()],
            "use crate::c::{self, Other};".to_owned(),
        ),
        (
            vec!["c".to_owned()],
            "fn f() { crate::a::call(); }".to_owned(),
        ),
        (
            vec!["c".to_owned(), "d".to_owned()],
            "use super::super::a;".to_owned(),
        ),
    ]
    .into_iter()
    .collect();
    let edges = sibling_edges(&planted);
    let cycle = find_cycle(&edges).expect("a -> b -> c -> a");
    assert_eq!(cycle.len(), 3, "{cycle:?}");
    // A child naming its parent is no edge; a grandchild naming a sibling
    // of its parent counts for the parent.
    assert!(edges.contains(&(vec!["c".to_owned()], vec!["a".to_owned()])));
    assert!(!edges.iter().any(|(from, _)| from.len() > 1));
}
