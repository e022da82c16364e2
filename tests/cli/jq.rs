//! `--jq EXPR`: each item the JSON output shows (a task, a saved file's
//! record, a result) run through a jq filter in process, each result on a
//! line: strings raw, anything else compact JSON.

use serde_json::json;

use crate::support::{Beam, Reply, Server, mock_task, task_json};

const WORKSPACE: &str = "ws-jq";

/// A task body: `id`, `status`, then `extra`'s fields in their order.
fn task(id: &str, status: &str, extra: &str) -> String {
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(",{extra}")
    };
    format!(r#"{{"id":"{id}","status":"{status}"{extra}}}"#)
}

/// A local Beam answering each (id, status, extra fields).
fn api(tasks: &[(&str, &str, &str)]) -> mockito::ServerGuard {
    let mut server = mockito::Server::new();
    for (id, status, extra) in tasks {
        mock_task(&mut server, id, 200, &task(id, status, extra));
    }
    server
}

fn error_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("error:")).collect()
}

#[test]
fn a_string_is_printed_raw_and_one_task_gives_its_results_alone() {
    let server = api(&[("t1", "COMPLETE", r#""name":"a \"quoted\"\tname""#)]);
    let run = Beam::new(&server.url())
        .args(["status", "t1", "--jq", ".status, .name"])
        .run()
        .code(0);
    assert_eq!(run.stdout, "COMPLETE\na \"quoted\"\tname\n");
}

#[test]
fn anything_else_is_compact_json_with_the_apis_key_order() {
    let server = api(&[("t1", "COMPLETE", r#""z":{"b":[1,2],"a":null},"ok":true"#)]);
    let run = Beam::new(&server.url())
        .args(["status", "t1", "--jq", ".z, .ok, {ok, id}, ."])
        .run()
        .code(0);
    assert_eq!(
        run.stdout,
        concat!(
            "{\"b\":[1,2],\"a\":null}\n",
            "true\n",
            "{\"ok\":true,\"id\":\"t1\"}\n",
            "{\"id\":\"t1\",\"status\":\"COMPLETE\",\"z\":{\"b\":[1,2],\"a\":null},\"ok\":true}\n",
        )
    );
}

#[test]
fn several_outputs_of_each_task_come_in_the_order_asked() {
    let server = api(&[("a", "COMPLETE", r#""n":1"#), ("b", "RUNNING", r#""n":2"#)]);
    let run = Beam::new(&server.url())
        .args(["status", "b", "a", "--jq", ".id, .n"])
        .run()
        .code(8);
    assert_eq!(run.stdout, "b\n2\na\n1\n");
}

#[test]
fn big_numbers_keep_their_digits() {
    let server = api(&[(
        "t1",
        "COMPLETE",
        r#""big":123456789012345678901234567890,"huge":1e400,"f":0.10"#,
    )]);
    let run = Beam::new(&server.url())
        .args(["status", "t1", "--jq", ".big, .huge, .f, [.big], .big + 1"])
        .run()
        .code(0);
    // `1e+400` as `--json` prints it (serde_json writes the exponent's sign).
    assert_eq!(
        run.stdout,
        "123456789012345678901234567890\n1e+400\n0.10\n[123456789012345678901234567890]\n\
         123456789012345678901234567891\n"
    );
    let json = Beam::new(&server.url())
        .args(["status", "t1", "--json"])
        .run()
        .code(0);
    assert!(json.stdout.contains("\"huge\": 1e+400"), "{}", json.stdout);
}

#[test]
fn the_exit_code_stays_the_tasks() {
    let server = api(&[("f", "FAILED", ""), ("c", "COMPLETE", "")]);
    let run = Beam::new(&server.url())
        .args(["status", "c", "f", "--jq", ".status"])
        .run()
        .code(10);
    assert_eq!(run.stdout, "COMPLETE\nFAILED\n");
}

#[test]
fn a_filter_that_does_not_parse_exits_2_before_any_request() {
    let mut server = mockito::Server::new();
    let never = server.mock("GET", mockito::Matcher::Any).expect(0).create();
    for (filter, message) in [
        (
            ".id |",
            "error: --jq: column 6: expected term, found the end",
        ),
        (
            "[.id",
            "error: --jq: column 5: expected closing bracket (opened at column 1), found the end",
        ),
        (
            ".id | nosuch",
            "error: --jq: column 7: undefined filter nosuch/0",
        ),
        (
            "env.BEAM_TOKEN",
            "error: --jq: column 1: undefined filter env/0",
        ),
        ("$ENV", "error: --jq: column 1: undefined variable $ENV"),
    ] {
        for command in [
            &["status", "t1", "t2"][..],
            &["wait", "t1"],
            &["cancel", "t1"],
            &["list"],
            &["result", "t1"],
            &["download", "t1"],
        ] {
            let run = Beam::new(&server.url())
                .env("BEAM_APP_URL", server.url())
                .args(command)
                .args(["--jq", filter])
                .run()
                .code(2);
            assert_eq!(run.stderr, format!("{message}\n"), "{command:?} {filter}");
            assert_eq!(run.stdout, "", "{command:?} {filter}");
        }
    }
    never.assert();
}

#[test]
fn a_filter_that_fails_on_a_task_exits_65_naming_it_after_what_was_printed() {
    let server = api(&[
        ("a", "COMPLETE", r#""z":{"x":"first"}"#),
        ("b", "FAILED", r#""z":1"#),
        ("c", "COMPLETE", r#""z":{"x":"never"}"#),
    ]);
    let run = Beam::new(&server.url())
        .args(["status", "a", "b", "c", "--jq", ".id, .z.x", "-j", "1"])
        .run()
        .code(65);
    assert_eq!(run.stdout, "a\nfirst\nb\n");
    assert_eq!(
        error_lines(&run.stderr),
        ["error: --jq: task b: cannot index 1 with \"x\""]
    );
}

#[test]
fn jq_conflicts_with_other_formats_and_prints_no_empty_array() {
    let server = api(&[]);
    for other in [&["--raw"][..], &["-o", "table"]] {
        Beam::new(&server.url())
            .args(["status", "a", "--jq", ".id"])
            .args(other)
            .run()
            .code(2);
    }
    // No token: no task, and no `[]` either (there is no array).
    let run = Beam::new(&server.url())
        .env_remove("BEAM_TOKEN")
        .args(["status", "a", "b", "--jq", ".id"])
        .run()
        .code(78);
    assert_eq!(run.stdout, "");
}

#[test]
fn wait_and_cancel_take_it_too() {
    let server = api(&[("t1", "COMPLETE", ""), ("t2", "CANCELLED", "")]);
    let run = Beam::new(&server.url())
        .args([
            "wait",
            "t1",
            "t2",
            "--poll",
            "--jq",
            r#""\(.id) \(.status)""#,
        ])
        .run()
        .code(11);
    assert_eq!(run.stdout, "t1 COMPLETE\nt2 CANCELLED\n");
    let run = Beam::new(&server.url())
        .args(["cancel", "t1", "t2", "--dry-run", "--jq", ".id"])
        .run()
        .code(0);
    assert_eq!(run.stdout, "t1\nt2\n");
}

/// The workspace API: the workspace, a listing of `tasks`, and `t1`'s
/// result.
fn workspace_api(tasks: &[serde_json::Value], result: &str) -> mockito::ServerGuard {
    let mut server = mockito::Server::new();
    server
        .mock("GET", "/api/v1/workspace/current")
        .with_header("content-type", "application/json")
        .with_body(format!(r#"{{"external_id":"{WORKSPACE}"}}"#))
        .create();
    server
        .mock("GET", format!("/api/v1/task/{WORKSPACE}").as_str())
        .match_query(mockito::Matcher::Any)
        .with_header("content-type", "application/json")
        .with_body(json!({"data": tasks, "next": ""}).to_string())
        .create();
    server
        .mock("GET", format!("/api/v1/task/{WORKSPACE}/t1").as_str())
        .with_header("content-type", "application/json")
        .with_body(format!(
            r#"{{"id":"t1","status":"COMPLETE","result":{result}}}"#
        ))
        .create();
    server
}

fn workspace_beam(server: &mockito::ServerGuard) -> Beam {
    Beam::new(&server.url()).env("BEAM_APP_URL", server.url())
}

#[test]
fn list_runs_the_filter_on_each_task_and_prints_nothing_when_none_match() {
    let tasks = [
        json!({"id": "t1", "status": "COMPLETE", "stub": {"name": "app:a"}}),
        json!({"id": "t2", "status": "ERROR", "stub": {"name": "app:b"}}),
    ];
    let server = workspace_api(&tasks, "null");
    let run = workspace_beam(&server)
        .args(["list", "--jq", "select(.status == \"ERROR\") | .stub.name"])
        .run()
        .code(0);
    assert_eq!(run.stdout, "app:b\n");
    let empty = workspace_api(&[], "null");
    let run = workspace_beam(&empty)
        .args(["list", "--jq", ".id"])
        .run()
        .code(0);
    assert_eq!(run.stdout, "");
}

#[test]
fn list_stops_at_a_task_the_filter_fails_on() {
    let tasks = [
        json!({"id": "t1", "status": "COMPLETE", "n": 2}),
        json!({"id": "t2", "status": "COMPLETE", "n": "two"}),
    ];
    let server = workspace_api(&tasks, "null");
    let run = workspace_beam(&server)
        .args(["list", "--jq", ".n - 1"])
        .run()
        .code(65);
    assert_eq!(run.stdout, "1\n");
    let errors = error_lines(&run.stderr);
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("error: --jq: task t2: cannot calculate"),
        "{}",
        run.stderr
    );
}

#[test]
fn result_runs_the_filter_on_the_result() {
    let server = workspace_api(
        &[],
        r#"{"answer":42,"big":123456789012345678901234567890,"words":["a","b"]}"#,
    );
    let run = workspace_beam(&server)
        .args(["result", "t1", "--jq", ".answer, .big, .words[]"])
        .run()
        .code(0);
    assert_eq!(run.stdout, "42\n123456789012345678901234567890\na\nb\n");
    let run = workspace_beam(&server)
        .args(["result", "t1", "--jq", ".answer.x"])
        .run()
        .code(65);
    assert_eq!(
        error_lines(&run.stderr),
        ["error: --jq: the result of task t1: cannot index 42 with \"x\""]
    );
}

#[test]
fn download_runs_the_filter_on_each_saved_files_record() {
    let files = Server::http(|request| match request.path() {
        "/files/0" => Reply::status(200).body(b"12345".to_vec()),
        _ => Reply::status(200).body(b"abc".to_vec()),
    });
    let mut body: serde_json::Value = serde_json::from_str(&task_json("COMPLETE")).unwrap();
    body["outputs"] = json!([
        {"name": "a.bin", "url": format!("{}/files/0", files.url()), "expires_in": 3600},
        {"name": "b.txt", "url": format!("{}/files/1", files.url()), "expires_in": 3600},
    ]);
    let mut server = mockito::Server::new();
    mock_task(&mut server, "t1", 200, &body.to_string());
    let dir = tempfile::tempdir().unwrap();
    let download = |filter: &str| {
        Beam::new(&server.url())
            .args(["download", "t1", "--jq", filter])
            .args([std::ffi::OsStr::new("-d"), dir.path().as_os_str()])
            .run()
    };
    let run = download(r#""\(.task) \(.name) \(.bytes) \(.saved)""#).code(0);
    assert_eq!(run.stdout, "t1 a.bin 5 true\nt1 b.txt 3 true\n");
    let run = download(".path").code(0);
    let a = dir.path().join("a.bin").to_string_lossy().into_owned();
    let b = dir.path().join("b.txt").to_string_lossy().into_owned();
    assert_eq!(run.stdout, format!("{a}\n{b}\n"));
    let run = download("if .name == \"b.txt\" then .bytes.x else .name end").code(65);
    assert_eq!(run.stdout, "a.bin\n");
    assert_eq!(
        error_lines(&run.stderr),
        ["error: --jq: task t1: output \"b.txt\": cannot index 3 with \"x\""]
    );
}
