//! Every shell example in README.md works as written, or says it is
//! illustrative.
//!
//! The convention, in README.md's source: the line before a ```sh, ```bash
//! or ```shell block is one of
//! - `<!-- readme-test -->`: the block runs as one script (`sh -eu`, or
//!   `bash -eu` for ```bash) against a local server and must exit 0;
//! - `<!-- readme-test exit=N -->`: the same, and it must exit N;
//! - `<!-- illustrative -->`: the block is not run (it installs, builds, or
//!   needs a real Beam account).
//!
//! A shell block with neither marker fails the test, and so does a ```zsh
//! or ```console block without `<!-- illustrative -->`. The examples run on
//! Unix only: they are sh scripts.

use std::path::Path;

/// Blocks in these languages must carry a marker.
const SHELL_LANGUAGES: [&str; 5] = ["sh", "shell", "bash", "zsh", "console"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    /// Run it; it must exit with this code.
    Test {
        exit: i32,
    },
    Illustrative,
}

#[derive(Debug, PartialEq, Eq)]
struct ShellBlock {
    /// 1-based line of the opening fence in README.md.
    line: usize,
    language: String,
    marker: Option<Marker>,
    script: String,
}

/// Reads `<!-- readme-test -->`, `<!-- readme-test exit=N -->` and
/// `<!-- illustrative ... -->`; any other line is no marker.
fn parse_marker(line: &str) -> Result<Option<Marker>, String> {
    let Some(comment) = line
        .trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
    else {
        return Ok(None);
    };
    let mut words = comment.split_whitespace();
    match words.next() {
        Some(word) if word.starts_with("illustrative") => Ok(Some(Marker::Illustrative)),
        Some("readme-test") => match (words.next(), words.next()) {
            (None, _) => Ok(Some(Marker::Test { exit: 0 })),
            (Some(option), None) => option
                .strip_prefix("exit=")
                .and_then(|code| code.parse().ok())
                .map(|exit| Some(Marker::Test { exit }))
                .ok_or_else(|| format!("expected exit=N, found {option:?}")),
            (Some(_), Some(extra)) => Err(format!("unexpected {extra:?}")),
        },
        _ => Ok(None),
    }
}

/// The fenced shell blocks of a Markdown text, each with the marker on the
/// last non-blank line before it.
fn shell_blocks(markdown: &str) -> Result<Vec<ShellBlock>, String> {
    let mut blocks = Vec::new();
    let mut previous = "";
    let mut lines = markdown.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            if !line.trim().is_empty() {
                previous = line;
            }
            continue;
        };
        let language = info.split([' ', ',', '{']).next().unwrap_or("").trim();
        let mut script = String::new();
        for (_, body) in lines.by_ref() {
            if body.trim() == "```" {
                break;
            }
            script.push_str(body);
            script.push('\n');
        }
        if SHELL_LANGUAGES.contains(&language) {
            let marker = parse_marker(previous).map_err(|e| {
                format!(
                    "README.md line {}: bad marker before this block: {e}",
                    index + 1
                )
            })?;
            blocks.push(ShellBlock {
                line: index + 1,
                language: language.to_string(),
                marker,
                script,
            });
        }
        previous = "```";
    }
    Ok(blocks)
}

/// What is wrong with a block's marking, if anything.
fn marking_problem(block: &ShellBlock) -> Option<String> {
    let runnable = matches!(block.language.as_str(), "sh" | "shell" | "bash");
    match block.marker {
        None => Some(format!(
            "README.md line {}: put <!-- readme-test --> (run by tests/cli/readme.rs) or \
             <!-- illustrative --> on the line before this ```{} block",
            block.line, block.language
        )),
        Some(Marker::Test { .. }) if !runnable => Some(format!(
            "README.md line {}: only sh and bash blocks can run; mark this ```{} block \
             <!-- illustrative -->",
            block.line, block.language
        )),
        _ => None,
    }
}

fn readme() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_shell_block_is_tested_or_marked_illustrative() {
    let blocks = shell_blocks(&readme()).unwrap_or_else(|e| panic!("{e}"));
    assert!(!blocks.is_empty(), "README.md has no shell block");
    let problems: Vec<String> = blocks.iter().filter_map(marking_problem).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Running the marked examples: Unix only, as they are sh scripts.
#[cfg(unix)]
mod examples {
    use super::*;
    use crate::support::{Beam, task_json};

    /// The tasks the local server knows, for the README's examples to use; any
    /// other ID is not found (404). The README's Development section lists them.
    const EXAMPLE_TASKS: [(&str, &str); 3] = [
        ("07ce4078-bccc-4a42-b530-5f2653484a6a", "COMPLETE"),
        ("5c9a1e0d-4b7f-4d2e-9f3a-8e6b2c1d0a97", "RUNNING"),
        ("b1f4d6e2-7a3c-4e8b-9d5f-2c0a6e8b4f13", "FAILED"),
    ];

    /// The ID in the seed fixture that `task_json` returns.
    const FIXTURE_ID: &str = "07ce4078-bccc-4a42-b530-5f2653484a6a";

    /// What the COMPLETE example task's one output, `result.json`, holds.
    const EXAMPLE_OUTPUT: &str = "{\"answer\": 42}\n";

    /// Example task `id` with `status`. The COMPLETE one has one output,
    /// `result.json`, whose link points at `/files/result.json` on the same
    /// server (`base_url`).
    fn example_task(id: &str, status: &str, base_url: &str) -> String {
        let body = task_json(status).replace(FIXTURE_ID, id);
        if status != "COMPLETE" {
            return body;
        }
        let mut task: serde_json::Value = serde_json::from_str(&body).unwrap();
        task["outputs"] = serde_json::json!([{
            "name": "result.json",
            "url": format!("{base_url}/files/result.json?X-Amz-Signature=example"),
            "expires_in": 3600,
        }]);
        task.to_string()
    }

    /// A local Beam that answers for [`EXAMPLE_TASKS`] and 404 for anything
    /// else, and serves the COMPLETE task's output.
    fn example_server() -> mockito::ServerGuard {
        let mut server = mockito::Server::new();
        let base_url = server.url();
        let answer = move |path: &str| {
            let id = path
                .strip_prefix("/v2/task/")
                .and_then(|rest| rest.strip_suffix('/'))
                .unwrap_or_default();
            EXAMPLE_TASKS
                .iter()
                .find(|(known, _)| *known == id)
                .map(|(_, status)| (200, example_task(id, status, &base_url)))
                .unwrap_or((404, r#"{"message":""}"#.to_string()))
        };
        let status_of = answer.clone();
        server
            .mock("GET", mockito::Matcher::Regex("^/v2/task/[^/]+/$".into()))
            .with_header("content-type", "application/json")
            .with_status_code_from_request(move |request| status_of(request.path()).0)
            .with_body_from_request(move |request| answer(request.path()).1.into_bytes())
            .create();
        server
            .mock("GET", "/files/result.json")
            .match_query(mockito::Matcher::Any)
            .with_body(EXAMPLE_OUTPUT)
            .create();
        // Beam's cancel answers 200 {} and, here, changes nothing: the
        // RUNNING task keeps running.
        server
            .mock("DELETE", "/v2/task/cancel/")
            .with_header("content-type", "application/json")
            .with_body("{}")
            .create();
        mock_workspace_api(&mut server);
        server
    }

    /// The workspace the example token belongs to.
    const EXAMPLE_WORKSPACE: &str = "example-workspace";

    /// The workspace API over the same tasks: the workspace, a one-page
    /// listing that honours `status` (the stored names: FAILED is ERROR),
    /// and each task with its `result` (`{"answer": 42}` for the COMPLETE
    /// one).
    fn mock_workspace_api(server: &mut mockito::ServerGuard) {
        server
            .mock("GET", "/api/v1/workspace/current")
            .with_header("content-type", "application/json")
            .with_body(format!(r#"{{"external_id":"{EXAMPLE_WORKSPACE}"}}"#))
            .create();
        let stored = |id: &str, status: &str| {
            let status = if status == "FAILED" { "ERROR" } else { status };
            let mut task: serde_json::Value =
                serde_json::from_str(&task_json(status).replace(FIXTURE_ID, id)).unwrap();
            task["result"] = if status == "COMPLETE" {
                serde_json::json!({"answer": 42})
            } else {
                serde_json::Value::Null
            };
            task
        };
        let listing = move |path_and_query: &str| {
            let wanted: Option<Vec<String>> = path_and_query
                .split_once('?')
                .and_then(|(_, query)| {
                    query
                        .split('&')
                        .find_map(|pair| pair.strip_prefix("status="))
                })
                .map(|list| list.split(',').map(str::to_string).collect());
            let data: Vec<serde_json::Value> = EXAMPLE_TASKS
                .iter()
                .map(|(id, status)| stored(id, status))
                .filter(|task| {
                    wanted
                        .as_ref()
                        .is_none_or(|wanted| wanted.iter().any(|s| task["status"] == s.as_str()))
                })
                .collect();
            serde_json::json!({"data": data, "next": ""}).to_string()
        };
        server
            .mock("GET", format!("/api/v1/task/{EXAMPLE_WORKSPACE}").as_str())
            .match_query(mockito::Matcher::Any)
            .with_header("content-type", "application/json")
            .with_body_from_request(move |request| listing(request.path_and_query()).into_bytes())
            .create();
        let one = move |path: &str| {
            let id = path.rsplit('/').next().unwrap_or_default();
            EXAMPLE_TASKS
                .iter()
                .find(|(known, _)| *known == id)
                .map(|(id, status)| (200, stored(id, status).to_string()))
                .unwrap_or((404, r#"{"message":""}"#.to_string()))
        };
        let status_of = one;
        server
            .mock(
                "GET",
                mockito::Matcher::Regex(format!("^/api/v1/task/{EXAMPLE_WORKSPACE}/[^/]+$")),
            )
            .with_header("content-type", "application/json")
            .with_status_code_from_request(move |request| status_of(request.path()).0)
            .with_body_from_request(move |request| one(request.path()).1.into_bytes())
            .create();
        mock_logs(server);
    }

    /// The workspace API's logs of each example task: three lines, one of
    /// them on stderr; its stream opens, says it is connected, and closes
    /// (a follow opens it again until the task is seen finished).
    fn mock_logs(server: &mut mockito::ServerGuard) {
        let page = |path_and_query: &str| {
            let known = EXAMPLE_TASKS
                .iter()
                .any(|(id, _)| path_and_query.contains(&format!("object_id={id}")));
            if !known {
                return (404, r#"{"message":""}"#.to_string());
            }
            let line = |seq: u64, message: &str, stream: &str| {
                serde_json::json!({
                    "seq_num": seq,
                    "timestamp": format!("2026-11-28T09:00:0{seq}Z"),
                    "message": message,
                    "stream": stream,
                })
            };
            let logs = [
                line(0, "loading the model\n", "stdout"),
                line(1, "warning: no GPU, running on CPU\n", "stderr"),
                line(2, "done\n", "stdout"),
            ];
            let body = serde_json::json!({"logs": logs, "total_expected": 3});
            (200, body.to_string())
        };
        let status_of = page;
        server
            .mock("GET", format!("/api/v1/logs/{EXAMPLE_WORKSPACE}").as_str())
            .match_query(mockito::Matcher::Any)
            .with_header("content-type", "application/json")
            .with_status_code_from_request(move |request| status_of(request.path_and_query()).0)
            .with_body_from_request(move |request| page(request.path_and_query()).1.into_bytes())
            .create();
        server
            .mock(
                "GET",
                format!("/api/v1/logs/{EXAMPLE_WORKSPACE}/stream").as_str(),
            )
            .match_query(mockito::Matcher::Any)
            .with_header("content-type", "text/event-stream")
            .with_body(": connected\n\n")
            .create();
    }

    /// `shell -c "set -eu; script"` against `server`, with what the examples
    /// may use ready: `$id` (the COMPLETE task), `$id1`, `$id2`, `$id3` (all
    /// three tasks) and `ids.txt` (all three, one a line) in the current
    /// folder.
    fn example_shell(server: &mockito::ServerGuard, shell: &str, script: &str) -> Beam {
        let script = format!("set -eu\n{script}");
        let beam = Beam::shell(&server.url(), shell, &script)
            .env("id", EXAMPLE_TASKS[0].0)
            .env("id1", EXAMPLE_TASKS[0].0)
            .env("id2", EXAMPLE_TASKS[1].0)
            .env("id3", EXAMPLE_TASKS[2].0);
        let ids: Vec<&str> = EXAMPLE_TASKS.iter().map(|(id, _)| *id).collect();
        std::fs::write(beam.home().join("ids.txt"), ids.join("\n") + "\n").unwrap();
        beam
    }

    #[test]
    fn readme_examples_run_as_written() {
        let blocks = shell_blocks(&readme()).unwrap_or_else(|e| panic!("{e}"));
        let server = example_server();
        let mut ran = 0;
        for block in &blocks {
            let Some(Marker::Test { exit }) = block.marker else {
                continue;
            };
            let shell = if block.language == "bash" {
                "bash"
            } else {
                "sh"
            };
            let run = example_shell(&server, shell, &block.script).run();
            assert_eq!(
                run.code, exit,
                "README.md line {}: the block exited {}, expected {exit}\n--- block\n{}--- stdout\n{}--- stderr\n{}",
                block.line, run.code, block.script, run.stdout, run.stderr
            );
            // Without pipefail, `beam-task ... | jq` exits 0 even when
            // beam-task failed; its error line on stderr still tells.
            assert!(
                exit != 0 || run.stderr.is_empty(),
                "README.md line {}: the block wrote on stderr\n--- block\n{}--- stderr\n{}",
                block.line,
                block.script,
                run.stderr
            );
            ran += 1;
        }
        assert!(ran > 0, "README.md has no <!-- readme-test --> block");
    }

    /// In a tested block, a recipe piped to `jq` is followed by its `--jq`
    /// twin, which prints the same (or its comment says why `--jq` cannot).
    #[test]
    fn each_recipe_piped_to_jq_has_a_jq_option_twin_printing_the_same() {
        let blocks = shell_blocks(&readme()).unwrap_or_else(|e| panic!("{e}"));
        let server = example_server();
        let mut twins = 0;
        for block in &blocks {
            if block.marker != Some(Marker::Test { exit: 0 }) {
                continue;
            }
            let lines: Vec<&str> = block.script.lines().collect();
            for (i, piped) in lines.iter().enumerate() {
                if !piped.contains("| jq ") {
                    continue;
                }
                let line = block.line + 1 + i;
                let comment = lines[..i]
                    .iter()
                    .rev()
                    .take_while(|l| l.starts_with('#'))
                    .any(|l| l.contains("--jq"));
                let twin = lines.get(i + 1).copied().unwrap_or_default();
                if !twin.contains(" --jq ") {
                    assert!(
                        comment,
                        "README.md line {line}: put the --jq form of `{piped}` on the next line"
                    );
                    continue;
                }
                let expected = example_shell(&server, "sh", piped).run().code(0);
                let run = example_shell(&server, "sh", twin).run();
                assert_eq!(
                    (run.code, &run.stdout, &run.stderr),
                    (0, &expected.stdout, &String::new()),
                    "README.md line {}: `{twin}` does not print what `{piped}` does",
                    line + 1
                );
                twins += 1;
            }
        }
        assert!(twins > 0, "README.md has no recipe with --jq");
    }

    #[test]
    fn example_server_knows_the_example_tasks_and_nothing_else() {
        let server = example_server();
        let script = format!(
            "beam-task status --json --exit-zero {} {} {}\nbeam-task status unknown-task",
            EXAMPLE_TASKS[0].0, EXAMPLE_TASKS[1].0, EXAMPLE_TASKS[2].0
        );
        let run = example_shell(&server, "sh", &script).run().code(66);
        let tasks = run.json();
        let seen: Vec<(&str, &str)> = tasks
            .as_array()
            .expect("an array")
            .iter()
            .map(|task| {
                (
                    task["id"].as_str().unwrap(),
                    task["status"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(seen, EXAMPLE_TASKS);
        assert!(run.stderr.contains("unknown-task"), "{}", run.stderr);
    }
}

#[test]
fn markers_are_read_from_the_line_before_the_block() {
    let markdown = "\
<!-- readme-test -->
```sh
beam-task --version
```

<!-- readme-test exit=8 -->

```bash
beam-task status x
```
<!-- illustrative: needs a real token -->
```sh
beam-task status <id>
```
```ini
[default]
```
```sh
echo unmarked
```
";
    let blocks = shell_blocks(markdown).unwrap();
    let markers: Vec<_> = blocks.iter().map(|b| (b.line, b.marker)).collect();
    assert_eq!(
        markers,
        [
            (2, Some(Marker::Test { exit: 0 })),
            (8, Some(Marker::Test { exit: 8 })),
            (12, Some(Marker::Illustrative)),
            (18, None),
        ]
    );
    assert_eq!(blocks[1].script, "beam-task status x\n");
    assert_eq!(blocks[1].language, "bash");
}

#[test]
fn an_unmarked_shell_block_is_a_problem_naming_its_line() {
    let blocks = shell_blocks("text\n\n```sh\necho hi\n```\n").unwrap();
    let problem = marking_problem(&blocks[0]).expect("a problem");
    assert!(problem.contains("line 3"), "{problem}");
    assert!(problem.contains("<!-- readme-test -->"), "{problem}");
}

#[test]
fn a_zsh_block_can_only_be_illustrative() {
    let blocks = shell_blocks("<!-- readme-test -->\n```zsh\nautoload compinit\n```\n").unwrap();
    assert!(marking_problem(&blocks[0]).is_some());
}

#[test]
fn a_malformed_marker_is_an_error() {
    assert!(shell_blocks("<!-- readme-test exit=x -->\n```sh\ntrue\n```\n").is_err());
    assert!(shell_blocks("<!-- readme-test exit=1 more -->\n```sh\ntrue\n```\n").is_err());
}
