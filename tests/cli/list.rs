//! `beam-task list` and `beam-task result` against a local mock of Beam's
//! workspace API.

use std::sync::{Arc, Mutex};

use mockito::Matcher;

use crate::support::{Beam, TOKEN};

const WORKSPACE: &str = "ws-7f3a";

/// A task as the workspace API lists it.
fn listed(id: &str, status: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "status": status,
        "created_at": "2026-11-28T10:00:00Z",
        "stub": {"name": "app:handler", "config": "{\"gpu\":\"T4\"}"},
    })
}

fn page(tasks: &[serde_json::Value], next: &str) -> String {
    serde_json::json!({"data": tasks, "next": next}).to_string()
}

/// `GET /api/v1/workspace/current`, answered once.
fn mock_workspace(server: &mut mockito::ServerGuard) -> mockito::Mock {
    server
        .mock("GET", "/api/v1/workspace/current")
        .match_header("authorization", format!("Bearer {TOKEN}").as_str())
        .with_header("content-type", "application/json")
        .with_body(format!(r#"{{"external_id":"{WORKSPACE}","name":"team"}}"#))
        .expect(1)
        .create()
}

/// `beam-task` with both base URLs on the local server.
fn beam(server: &mockito::ServerGuard) -> Beam {
    Beam::new(&server.url()).env("BEAM_APP_URL", server.url())
}

fn list_path() -> String {
    format!("/api/v1/task/{WORKSPACE}")
}

#[test]
fn list_finds_the_workspace_then_sends_the_filters_as_one_parameter_each() {
    let mut server = mockito::Server::new();
    let workspace = mock_workspace(&mut server);
    let listing = server
        .mock("GET", list_path().as_str())
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("status".into(), "ERROR,RUNNING".into()),
            Matcher::UrlEncoded("stub_names".into(), "app:a,app:b".into()),
            Matcher::UrlEncoded("created_at_start".into(), "2026-11-28T00:00:00Z".into()),
            Matcher::UrlEncoded(
                "created_at_end".into(),
                "2026-11-28T23:59:59.999999Z".into(),
            ),
            Matcher::UrlEncoded("limit".into(), "50".into()),
        ]))
        .with_body(page(&[listed("t1", "ERROR")], ""))
        .create();
    let run = beam(&server)
        .args([
            "list",
            "--status",
            "failed,Running",
            "--status",
            "ERROR",
            "--stub",
            "app:a",
            "--stub",
            "app:b",
            "--since",
            "2026-11-28",
            "--until",
            "2026-11-28",
        ])
        .run()
        .code(0);
    workspace.assert();
    listing.assert();
    assert!(
        run.stdout.contains("t1  ✗ ERROR  app:handler"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_time_with_an_offset_is_sent_in_utc_and_percent_encoded() {
    let mut server = mockito::Server::new();
    let listing = server
        .mock("GET", list_path().as_str())
        .match_query(Matcher::Regex(
            "created_at_start=2026-11-28T08%3A00%3A00Z".into(),
        ))
        .with_body(page(&[], ""))
        .create();
    beam(&server)
        .args([
            "list",
            "--workspace",
            WORKSPACE,
            "--since",
            "2026-11-28T09:00:00+01:00",
        ])
        .run()
        .code(0);
    listing.assert();
}

#[test]
fn all_follows_the_cursor_over_every_page() {
    let mut server = mockito::Server::new();
    mock_workspace(&mut server);
    let pages = [
        (
            None,
            vec![listed("t1", "RUNNING"), listed("t2", "COMPLETE")],
            "c2",
        ),
        (Some("c2"), vec![listed("t3", "ERROR")], "c3"),
        (Some("c3"), vec![listed("t4", "PENDING")], ""),
    ];
    let mocks: Vec<mockito::Mock> = pages
        .iter()
        .map(|(cursor, tasks, next)| {
            let query = match cursor {
                Some(cursor) => Matcher::AllOf(vec![
                    Matcher::UrlEncoded("cursor".into(), cursor.to_string()),
                    Matcher::UrlEncoded("limit".into(), "100".into()),
                ]),
                None => Matcher::Exact("limit=100".into()),
            };
            server
                .mock("GET", list_path().as_str())
                .match_query(query)
                .with_body(page(tasks, next))
                .expect(1)
                .create()
        })
        .collect();
    let run = beam(&server)
        .args(["list", "--all", "-o", "ids"])
        .run()
        .code(0);
    for mock in &mocks {
        mock.assert();
    }
    assert_eq!(run.stdout, "t1\nt2\nt3\nt4\n");
}

#[test]
fn limit_asks_for_no_more_than_it_shows() {
    let mut server = mockito::Server::new();
    mock_workspace(&mut server);
    let tasks: Vec<serde_json::Value> = (0..100)
        .map(|i| listed(&format!("t{i}"), "RUNNING"))
        .collect();
    let first = server
        .mock("GET", list_path().as_str())
        .match_query(Matcher::Exact("limit=100".into()))
        .with_body(page(&tasks, "c2"))
        .expect(1)
        .create();
    let second = server
        .mock("GET", list_path().as_str())
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("cursor".into(), "c2".into()),
            Matcher::UrlEncoded("limit".into(), "20".into()),
        ]))
        .with_body(page(&tasks[..20], "c3"))
        .expect(1)
        .create();
    let run = beam(&server)
        .args(["list", "--limit", "120", "-o", "ids"])
        .run()
        .code(0);
    first.assert();
    second.assert();
    assert_eq!(run.stdout.lines().count(), 120);
}

#[test]
fn a_page_that_repeats_a_cursor_exits_76_instead_of_looping() {
    let mut server = mockito::Server::new();
    mock_workspace(&mut server);
    server
        .mock("GET", list_path().as_str())
        .match_query(Matcher::Any)
        .with_body(page(&[listed("t1", "RUNNING")], "same"))
        .expect(2)
        .create();
    let run = beam(&server)
        .args(["list", "--all", "-o", "ids"])
        .run()
        .code(76);
    assert!(run.stderr.contains("page cursor"), "{}", run.stderr);
}

#[test]
fn an_answer_that_is_not_a_page_exits_76() {
    let mut server = mockito::Server::new();
    mock_workspace(&mut server);
    server
        .mock("GET", list_path().as_str())
        .match_query(Matcher::Any)
        .with_body(r#"[{"id":"t1","status":"RUNNING"}]"#)
        .create();
    let run = beam(&server).args(["list"]).run().code(76);
    assert!(run.stderr.contains("not a page of tasks"), "{}", run.stderr);
}

#[test]
fn a_401_on_the_workspace_says_the_token_cannot_see_it_and_exits_77() {
    let mut server = mockito::Server::new();
    server
        .mock("GET", "/api/v1/task/other-ws")
        .match_query(Matcher::Any)
        .with_status(401)
        .with_body(r#"{"message":"Unauthorized"}"#)
        .create();
    let run = beam(&server)
        .args(["list", "--workspace", "other-ws"])
        .run()
        .code(77);
    assert!(
        run.stderr.contains("cannot see workspace other-ws"),
        "{}",
        run.stderr
    );
}

#[test]
fn workspace_from_the_environment_skips_the_lookup() {
    let mut server = mockito::Server::new();
    let lookup = server
        .mock("GET", "/api/v1/workspace/current")
        .expect(0)
        .create();
    server
        .mock("GET", list_path().as_str())
        .match_query(Matcher::Any)
        .with_body(page(&[], ""))
        .create();
    beam(&server)
        .env("BEAM_WORKSPACE", WORKSPACE)
        .args(["list"])
        .run()
        .code(0);
    lookup.assert();
}

#[test]
fn an_empty_listing_exits_0_with_an_empty_array_or_a_note() {
    let mut server = mockito::Server::new();
    server
        .mock("GET", list_path().as_str())
        .match_query(Matcher::Any)
        .with_body(page(&[], ""))
        .create();
    let run = beam(&server)
        .env("BEAM_WORKSPACE", WORKSPACE)
        .args(["list", "--json"])
        .run()
        .code(0);
    assert_eq!(run.stdout, "[]\n");
    let run = beam(&server)
        .env("BEAM_WORKSPACE", WORKSPACE)
        .args(["list", "-o", "ids"])
        .run()
        .code(0);
    assert_eq!(run.stdout, "");
    let run = beam(&server)
        .env("BEAM_WORKSPACE", WORKSPACE)
        .args(["list"])
        .run()
        .code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "no tasks match\n");
}

#[test]
fn json_is_one_array_of_the_tasks_with_the_stub_config_decoded() {
    let mut server = mockito::Server::new();
    server
        .mock("GET", list_path().as_str())
        .match_query(Matcher::Any)
        .with_body(page(&[listed("t1", "RUNNING"), listed("t2", "ERROR")], ""))
        .create();
    let run = beam(&server)
        .env("BEAM_WORKSPACE", WORKSPACE)
        .args(["list", "--json"])
        .run()
        .code(0);
    let tasks = run.json();
    assert_eq!(tasks[1]["id"], "t2");
    assert_eq!(tasks[0]["stub"]["config"]["gpu"], "T4");
}

#[test]
fn an_unknown_status_is_a_usage_error_naming_the_valid_ones() {
    let run = Beam::new("http://127.0.0.1:9")
        .args(["list", "--status", "RUNNING,DONE"])
        .run()
        .code(2);
    assert!(
        run.stderr.contains(
            "PENDING, RUNNING, RETRY, COMPLETE, FAILED, ERROR, CANCELLED, TIMEOUT, EXPIRED"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_since_is_a_usage_error() {
    Beam::new("http://127.0.0.1:9")
        .args(["list", "--since", "yesterday"])
        .run()
        .code(2);
}

fn mock_result(server: &mut mockito::ServerGuard, id: &str, status: &str, result: &str) {
    server
        .mock("GET", format!("/api/v1/task/{WORKSPACE}/{id}").as_str())
        .with_header("content-type", "application/json")
        .with_body(format!(
            r#"{{"id":"{id}","status":"{status}","result":{result}}}"#
        ))
        .create();
}

#[test]
fn result_prints_the_result_as_json_and_exits_0_when_complete() {
    let mut server = mockito::Server::new();
    mock_workspace(&mut server);
    mock_result(
        &mut server,
        "t1",
        "COMPLETE",
        r#"{"answer":42,"big":12345678901234567890}"#,
    );
    let run = beam(&server).args(["result", "t1"]).run().code(0);
    assert_eq!(run.json()["answer"], 42);
    assert!(
        run.stdout.contains("12345678901234567890"),
        "{}",
        run.stdout
    );
}

#[test]
fn result_exits_with_the_tasks_status_code() {
    let mut server = mockito::Server::new();
    for (id, status) in [("f", "ERROR"), ("r", "RUNNING"), ("c", "CANCELLED")] {
        mock_result(&mut server, id, status, "null");
    }
    for (id, code) in [("f", 10), ("r", 8), ("c", 11)] {
        let run = beam(&server)
            .env("BEAM_WORKSPACE", WORKSPACE)
            .args(["result", id])
            .run()
            .code(code);
        assert_eq!(run.stdout, "null\n");
    }
}

#[test]
fn result_keeps_the_base64_form_as_it_came() {
    let mut server = mockito::Server::new();
    mock_result(
        &mut server,
        "t1",
        "COMPLETE",
        r#"{"base64":"gASVCAAAAAAAAACMBGRvbmWULg=="}"#,
    );
    let run = beam(&server)
        .env("BEAM_WORKSPACE", WORKSPACE)
        .args(["result", "t1"])
        .run()
        .code(0);
    assert_eq!(run.json()["base64"], "gASVCAAAAAAAAACMBGRvbmWULg==");
}

#[test]
fn result_of_an_unknown_task_exits_66() {
    let mut server = mockito::Server::new();
    server
        .mock("GET", format!("/api/v1/task/{WORKSPACE}/ghost").as_str())
        .with_status(404)
        .with_body(r#"{"message":""}"#)
        .create();
    let run = beam(&server)
        .env("BEAM_WORKSPACE", WORKSPACE)
        .args(["result", "ghost"])
        .run()
        .code(66);
    assert!(
        run.stderr.contains("task ghost not found"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_workspace_is_asked_once_per_run() {
    let mut server = mockito::Server::new();
    let workspace = mock_workspace(&mut server);
    let calls = Arc::new(Mutex::new(0));
    server
        .mock("GET", list_path().as_str())
        .match_query(Matcher::Any)
        .with_body_from_request({
            let calls = Arc::clone(&calls);
            move |_| {
                let mut calls = calls.lock().unwrap();
                *calls += 1;
                let next = if *calls < 3 {
                    format!("c{calls}")
                } else {
                    String::new()
                };
                page(&[listed(&format!("t{calls}"), "RUNNING")], &next).into_bytes()
            }
        })
        .create();
    beam(&server).args(["list", "--all", "-q"]).run().code(0);
    workspace.assert();
    assert_eq!(*calls.lock().unwrap(), 3);
}

#[test]
fn json_stays_valid_json_when_a_later_page_fails() {
    let mut server = mockito::Server::new();
    server
        .mock("GET", list_path().as_str())
        .match_query(Matcher::Exact("limit=100".into()))
        .with_body(page(&[listed("t1", "RUNNING")], "c2"))
        .create();
    server
        .mock("GET", list_path().as_str())
        .match_query(Matcher::UrlEncoded("cursor".into(), "c2".into()))
        .with_status(500)
        .create();
    let run = beam(&server)
        .env("BEAM_WORKSPACE", WORKSPACE)
        .args(["list", "--all", "--json"])
        .run()
        .code(69);
    assert_eq!(run.json()[0]["id"], "t1");
}

#[test]
fn json_prints_an_empty_array_when_the_listing_fails_before_any_task() {
    let run = Beam::new("http://127.0.0.1:9")
        .env_remove("BEAM_TOKEN")
        .args(["list", "--json"])
        .run()
        .code(78);
    assert_eq!(run.stdout, "[]\n");
}

#[test]
fn quiet_silences_the_no_tasks_note() {
    let mut server = mockito::Server::new();
    server
        .mock("GET", list_path().as_str())
        .match_query(Matcher::Any)
        .with_body(page(&[], ""))
        .create();
    let run = beam(&server)
        .env("BEAM_WORKSPACE", WORKSPACE)
        .args(["list", "-q"])
        .run()
        .code(0);
    assert_eq!(run.stderr, "");
}

/// On a terminal, `--all` counts the tasks on stderr while it pages; the
/// count is gone before each page's rows, which never share its line.
#[cfg(target_os = "linux")]
#[test]
fn the_count_of_a_long_listing_never_shares_a_line_with_the_rows() {
    let mut server = mockito::Server::new();
    server
        .mock("GET", list_path().as_str())
        .match_query(Matcher::Exact("limit=100".into()))
        .with_body(page(&[listed("t1", "RUNNING")], "c2"))
        .create();
    server
        .mock("GET", list_path().as_str())
        .match_query(Matcher::UrlEncoded("cursor".into(), "c2".into()))
        .with_body(page(&[listed("t2", "ERROR")], ""))
        .create();
    let script = "script -qec 'stty cols 120; beam-task list --all --color never' /dev/null";
    let run = Beam::shell(&server.url(), "sh", script)
        .env("BEAM_APP_URL", server.url())
        .env("BEAM_WORKSPACE", WORKSPACE)
        .run()
        .code(0);
    assert!(run.stdout.contains("listed 1 task…"), "{:?}", run.stdout);
    for (at, _) in run.stdout.match_indices("task…") {
        let next = run.stdout[at + "task…".len()..].chars().next();
        assert_eq!(next, Some('\r'), "{:?}", run.stdout);
    }
    assert!(run.stdout.contains("t2  ✗ ERROR"), "{:?}", run.stdout);
}

#[test]
fn endless_empty_pages_exit_76_instead_of_looping() {
    let mut server = mockito::Server::new();
    let calls = Arc::new(Mutex::new(0));
    server
        .mock("GET", list_path().as_str())
        .match_query(Matcher::Any)
        .with_body_from_request({
            let calls = Arc::clone(&calls);
            move |_| {
                let mut calls = calls.lock().unwrap();
                *calls += 1;
                page(&[], &format!("c{calls}")).into_bytes()
            }
        })
        .create();
    let run = beam(&server)
        .env("BEAM_WORKSPACE", WORKSPACE)
        .args(["list", "--all", "-o", "ids"])
        .run()
        .code(76);
    assert!(run.stderr.contains("empty page"), "{}", run.stderr);
}

#[test]
fn result_reads_its_one_id_from_stdin_with_a_dash() {
    let mut server = mockito::Server::new();
    mock_result(&mut server, "t1", "COMPLETE", r#"{"answer":42}"#);
    let run = beam(&server)
        .env("BEAM_WORKSPACE", WORKSPACE)
        .args(["result", "-"])
        .stdin("t1\n")
        .run()
        .code(0);
    assert_eq!(run.json()["answer"], 42);
    beam(&server)
        .env("BEAM_WORKSPACE", WORKSPACE)
        .args(["result", "-"])
        .stdin("t1 t2\n")
        .run()
        .code(2);
}
