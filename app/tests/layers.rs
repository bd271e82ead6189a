//! The app's layers import downwards only: domain → server (SQL) → api (server functions) →
//! components → pages → app. A module may use its own layer and those before it, never one
//! after it, and no page uses another page (what two pages share is a component). Read from
//! the source, so a new upward import fails here before it tangles the crate.

use std::{
    fs,
    path::{Path, PathBuf},
};

/// Each top-level module and its place; modules of the same place may use each other.
const LAYERS: &[(&str, u8)] = &[
    ("domain", 0),
    ("site", 0),
    ("consent", 0),
    ("page_cache", 0),
    ("server", 1),
    ("api", 2),
    ("components", 3),
    ("pages", 4),
    ("app", 5),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS
        .iter()
        .find(|(name, _)| *name == module)
        .map(|(_, layer)| *layer)
}

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("a source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

/// The code of a file without its comments and its unit tests (which may reach anywhere).
fn code(text: &str) -> String {
    let text = text
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default();
    text.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first segment of every `crate::` path in `code`, `crate::{a::x, b}` giving `a` and `b`.
fn crate_modules(code: &str) -> Vec<String> {
    let mut modules = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(tree) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in tree.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_alphanumeric() || c == '_') => {
                        let name: String = tree[i..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        modules.push(name);
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            modules.push(
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    modules
}

#[test]
fn every_layer_imports_only_from_itself_and_those_before_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut upward = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("inside src");
        let top = relative
            .components()
            .next()
            .and_then(|part| part.as_os_str().to_str())
            .map(|part| part.trim_end_matches(".rs"))
            .unwrap_or_default();
        let Some(own) = layer(top) else {
            continue;
        };
        let code = code(&fs::read_to_string(file).expect("readable source"));
        for module in crate_modules(&code) {
            if layer(&module).is_some_and(|used| used > own) {
                upward.push(format!("{} uses crate::{module}", relative.display()));
            }
            if top == "pages" && module == "pages" {
                upward.push(format!("{} uses another page", relative.display()));
            }
        }
    }
    assert!(files.len() > 50, "the sources were found");
    assert_eq!(upward, Vec::<String>::new());
}

#[test]
fn the_reader_sees_nested_use_trees() {
    let code = "use crate::{api::x, components::{a, b}, site::C};\nlet y = crate::pages::z;";
    assert_eq!(crate_modules(code), ["api", "components", "site", "pages"]);
}
