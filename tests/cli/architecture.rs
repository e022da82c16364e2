//! The house's shape, checked: modules depend on each other one way (no
//! import cycle), and only the command line's own rooms know clap.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The rooms that may use clap: the definition, the settings built from
/// it, what is generated from it, and `main`.
const CLAP_ROOMS: [&str; 4] = ["cli", "settings", "generate", "main"];

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

/// Top-level module → the top-level modules its non-test code uses.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in sources(&src) {
        let relative = file.strip_prefix(&src).unwrap();
        let room = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        let text = std::fs::read_to_string(&file).unwrap();
        // Tests may reach anywhere.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let used = graph.entry(room.clone()).or_default();
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
            for name in names.into_iter().filter(|n| !n.is_empty() && *n != room) {
                used.insert(name.to_string());
            }
        }
        if code.contains("clap::") || code.contains("use clap") {
            used.insert("clap".to_string());
        }
    }
    graph
}

/// The modules `from` reaches, directly or not.
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
fn no_module_depends_on_itself_through_others() {
    let graph = graph();
    assert!(graph.len() > 10, "{graph:?}");
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
fn only_the_command_line_s_rooms_know_clap() {
    let graph = graph();
    let knowing: Vec<&String> = graph
        .iter()
        .filter(|(room, used)| used.contains("clap") && !CLAP_ROOMS.contains(&room.as_str()))
        .map(|(room, _)| room)
        .collect();
    assert!(knowing.is_empty(), "{knowing:?} use clap");
}
