//! The house's shape, checked: the rooms (a folder or a file directly under
//! `src/`) depend on each other one way (no import cycle), only the command
//! line's own files know clap, and no file grows past what one reads in a
//! sitting.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The files that may use clap: the definition, the settings built from
/// it, what is generated from it, and `main`.
const CLAP_FILES: [&str; 4] = ["cli.rs", "config/settings.rs", "generate.rs", "main.rs"];

/// Lines of code a file may hold, its tests aside.
const MAX_CODE_LINES: usize = 600;

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// Each source file, as its path under `src/` (with `/`) and its text.
fn files() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    sources(&src)
        .into_iter()
        .map(|file| {
            let relative = file.strip_prefix(&src).unwrap();
            let name = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (name, std::fs::read_to_string(&file).unwrap())
        })
        .collect()
}

/// `text` without the items marked `#[cfg(test)]` (a test module, a test
/// helper, a test-only `use`), wherever they stand in the file: the item
/// after the attribute runs to its matching `}` or, for a `use`, to its `;`.
fn without_tests(text: &str) -> String {
    let mut code = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        code.push_str(&rest[..at]);
        let item = &rest[at + "#[cfg(test)]".len()..];
        let brace = item.find('{');
        let semi = item.find(';');
        let end = match (brace, semi) {
            (Some(open), semi) if semi.is_none_or(|semi| open < semi) => matching_brace(item, open),
            (_, Some(semi)) => semi + 1,
            _ => item.len(),
        };
        rest = &item[end..];
    }
    code.push_str(rest);
    code
}

/// Just past the `}` that closes the `{` at `open`, counting no brace
/// inside a comment, a string or a character literal.
fn matching_brace(text: &str, open: usize) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i += text[i..].find('\n').unwrap_or(text.len() - i);
            }
            b'r' if matches!(bytes.get(i + 1), Some(b'"' | b'#'))
                && !bytes[i - 1].is_ascii_alphanumeric() =>
            {
                let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
                let close = format!("\"{}", "#".repeat(hashes));
                let body = i + 2 + hashes;
                i = body + text[body..].find(&close).unwrap() + close.len() - 1;
            }
            b'"' => {
                i += 1;
                while bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'\'' => {
                // A character literal ('x', '\n', '\''), not a lifetime.
                if bytes.get(i + 1) == Some(&b'\\') {
                    i += 2 + text[i + 2..].find('\'').unwrap();
                } else if let Some(c) = text[i + 1..].chars().next()
                    && text[i + 1 + c.len_utf8()..].starts_with('\'')
                {
                    i += c.len_utf8() + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    panic!(
        "no `}}` closes the test item at {:?}",
        &text[open..open + 40.min(text.len() - open)]
    );
}

/// The room a file belongs to: its folder, or the file itself at the top.
fn room(name: &str) -> String {
    name.split('/')
        .next()
        .unwrap()
        .trim_end_matches(".rs")
        .to_string()
}

/// The rooms that `code` names after `crate::`.
fn rooms_used(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for at in code
        .match_indices("crate::")
        .map(|(at, _)| at + "crate::".len())
    {
        let rest = &code[at..];
        let names: Vec<&str> = match rest.strip_prefix('{') {
            Some(list) => list[..list.find('}').unwrap_or(0)]
                .split(',')
                .map(|item| item.trim().split("::").next().unwrap_or_default())
                .collect(),
            None => vec![
                rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()
                    .unwrap(),
            ],
        };
        used.extend(
            names
                .into_iter()
                .filter(|n| !n.is_empty())
                .map(String::from),
        );
    }
    used
}

fn knows_clap(code: &str) -> bool {
    code.contains("clap::") || code.contains("use clap")
}

/// Room → the rooms its non-test code uses.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, text) in files() {
        let room = room(&name);
        let mut used = rooms_used(&without_tests(&text));
        used.remove(&room);
        graph.entry(room).or_default().extend(used);
    }
    graph
}

/// The rooms `from` reaches, directly or not.
fn reach(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_string()];
    while let Some(room) = todo.pop() {
        for next in graph.get(&room).into_iter().flatten() {
            if seen.insert(next.clone()) {
                todo.push(next.clone());
            }
        }
    }
    seen
}

#[test]
fn no_room_depends_on_itself_through_others() {
    let graph = graph();
    assert!(graph.len() > 8, "{graph:?}");
    let cycles: Vec<&String> = graph
        .keys()
        .filter(|room| reach(&graph, room).contains(*room))
        .collect();
    assert!(
        cycles.is_empty(),
        "import cycles through {cycles:?}: {graph:#?}"
    );
}

#[test]
fn only_the_command_line_s_files_know_clap() {
    let knowing: Vec<String> = files()
        .into_iter()
        .filter(|(name, text)| {
            knows_clap(&without_tests(text)) && !CLAP_FILES.contains(&name.as_str())
        })
        .map(|(name, _)| name)
        .collect();
    assert!(knowing.is_empty(), "{knowing:?} use clap");
}

#[test]
fn no_file_holds_more_than_600_lines_of_code() {
    let long: Vec<(String, usize)> = files()
        .into_iter()
        .map(|(name, text)| {
            let lines = without_tests(&text)
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty() && !line.starts_with("//"))
                .count();
            (name, lines)
        })
        .filter(|(_, lines)| *lines > MAX_CODE_LINES)
        .collect();
    assert!(
        long.is_empty(),
        "over {MAX_CODE_LINES} lines of code: {long:?}"
    );
}

#[test]
fn code_after_a_test_item_is_still_read() {
    let text = "#[cfg(test)]\nuse crate::a;\n#[cfg(test)]\nfn helper() { if x { crate::b } }\nuse crate::c;\n#[cfg(test)]\nmod tests { use crate::d; }\nfn f() { crate::e::g() }\n";
    let used = rooms_used(&without_tests(text));
    assert_eq!(
        used,
        BTreeSet::from(["c".to_string(), "e".to_string()]),
        "{}",
        without_tests(text)
    );
}

#[test]
fn a_cycle_between_two_rooms_is_found() {
    let graph = BTreeMap::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["a".to_string()])),
        ("c".to_string(), BTreeSet::from(["a".to_string()])),
    ]);
    assert!(reach(&graph, "a").contains("a"));
    assert!(!reach(&graph, "c").contains("c"));
}
