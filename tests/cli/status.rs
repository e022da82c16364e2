//! `beam-task status` against a local mock of Beam's API.

use std::time::Duration;

use crate::support::{Beam, Reply, Run, Server, TOKEN, fixture, mock_task, task_json};

#[test]
fn seed_example_prints_a_card_and_exits_0() {
    let mut server = mockito::Server::new();
    let mock = mock_task(&mut server, "abc", 200, &fixture("seed_complete.json"));
    let run = Beam::new(&server.url())
        .args(["status", "abc"])
        .run()
        .code(0);
    mock.assert();
    assert!(run.stdout.contains("✓ COMPLETE"), "{}", run.stdout);
    assert!(run.stdout.contains("endpoint/deployment/app:squared"));
    assert!(run.stdout.contains("2024-07-22 14:02:28 UTC"));
    assert!(
        run.stdout
            .contains("endpoint-d327e987-759d-493e-b3e4-005774bcf998-8b747792")
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn request_sends_bearer_token_accept_and_user_agent() {
    let mut server = mockito::Server::new();
    let mock = server
        .mock("GET", "/v2/task/abc/")
        .match_header("authorization", format!("Bearer {TOKEN}").as_str())
        .match_header("accept", "application/json")
        .match_header(
            "user-agent",
            format!("beam-task/{}", env!("CARGO_PKG_VERSION")).as_str(),
        )
        .with_body(task_json("COMPLETE"))
        .create();
    Beam::new(&server.url())
        .args(["status", "abc"])
        .run()
        .code(0);
    mock.assert();
}

// ---- statuses and their exit codes ----

fn status_exit_code(status: &str) -> i32 {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "t1", 200, &task_json(status));
    let run = Beam::new(&server.url()).args(["status", "t1"]).run();
    assert!(run.stdout.contains(status), "{status}: {}", run.stdout);
    run.code
}

#[test]
fn each_status_exits_with_its_code() {
    let table = [
        ("COMPLETE", 0),
        ("PENDING", 8),
        ("RUNNING", 8),
        ("RETRY", 8),
        ("FAILED", 10),
        ("ERROR", 10),
        ("CANCELLED", 11),
        ("TIMEOUT", 12),
        ("EXPIRED", 13),
    ];
    for (status, code) in table {
        assert_eq!(status_exit_code(status), code, "{status}");
    }
}

#[test]
fn unknown_status_is_shown_as_received_and_exits_14() {
    assert_eq!(status_exit_code("PAUSED_BY_ADMIN"), 14);
}

#[test]
fn quiet_prints_nothing_and_keeps_the_exit_code() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "t1", 200, &task_json("FAILED"));
    let run = Beam::new(&server.url())
        .args(["status", "-q", "t1"])
        .run()
        .code(10);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "");
}

#[test]
fn exit_zero_turns_statuses_into_0() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "t1", 200, &task_json("FAILED"));
    mock_task(&mut server, "t2", 200, &task_json("RUNNING"));
    Beam::new(&server.url())
        .args(["status", "--exit-zero", "t1", "t2"])
        .run()
        .code(0);
}

#[test]
fn exit_zero_keeps_request_errors() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "t1", 200, &task_json("FAILED"));
    mock_task(&mut server, "gone", 404, r#"{"message":""}"#);
    Beam::new(&server.url())
        .args(["status", "--exit-zero", "t1", "gone"])
        .run()
        .code(66);
}

// ---- the task object ----

#[test]
fn null_and_zero_times_show_as_dash_never_year_1() {
    let mut server = mockito::Server::new();
    let body = task_json("PENDING")
        .replace(
            r#""started_at": "2024-07-22T14:02:28.466278Z""#,
            r#""started_at": null"#,
        )
        .replace(
            r#""ended_at": "2024-07-22T14:02:28.475954Z""#,
            r#""ended_at": "0001-01-01T00:00:00Z""#,
        );
    mock_task(&mut server, "t1", 200, &body);
    let run = Beam::new(&server.url())
        .args(["status", "t1"])
        .run()
        .code(8);
    assert!(!run.stdout.contains("0001"), "{}", run.stdout);
    let line = |label: &str| {
        run.stdout
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label} line in\n{}", run.stdout))
            .to_string()
    };
    assert_eq!(line("Started").split_whitespace().nth(1), Some("-"));
    assert_eq!(line("Ended").split_whitespace().nth(1), Some("-"));
    assert_eq!(line("Queued").split_whitespace().nth(1), Some("-"));
}

#[test]
fn times_with_any_number_of_fractional_digits_are_read() {
    let mut server = mockito::Server::new();
    let body = r#"{"id":"t1","status":"COMPLETE",
        "created_at":"2024-07-22T14:02:28Z",
        "started_at":"2024-07-22T14:02:30.4662781Z",
        "ended_at":"2024-07-22T14:02:40.466278123Z"}"#;
    mock_task(&mut server, "t1", 200, body);
    let run = Beam::new(&server.url())
        .args(["status", "t1"])
        .run()
        .code(0);
    assert!(
        run.stdout.contains("2024-07-22 14:02:28 UTC"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("2024-07-22 14:02:30 UTC"));
    assert!(run.stdout.contains("2024-07-22 14:02:40 UTC"));
    assert!(run.stdout.contains("Queued     2.5s"), "{}", run.stdout);
    assert!(run.stdout.contains("Ran        10.0s"), "{}", run.stdout);
}

#[test]
fn minimal_task_with_only_a_status_is_shown() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "t1", 200, r#"{"status":"RUNNING"}"#);
    let run = Beam::new(&server.url())
        .args(["status", "t1"])
        .run()
        .code(8);
    assert!(run.stdout.contains("● RUNNING"), "{}", run.stdout);
    assert!(run.stdout.contains("Container  -"), "{}", run.stdout);
}

#[test]
fn failure_reason_and_outputs_are_on_the_card() {
    let mut server = mockito::Server::new();
    let body = r#"{"id":"t1","status":"ERROR","failure_reason":"retry limit exceeded",
        "outputs":[{"name":"image.png","url":"https://files.example/image.png?sig=1","expires_in":3600}]}"#;
    mock_task(&mut server, "t1", 200, body);
    let run = Beam::new(&server.url())
        .args(["status", "t1"])
        .run()
        .code(10);
    assert!(run.stdout.contains("✗ ERROR"), "{}", run.stdout);
    assert!(run.stdout.contains("retry limit exceeded"));
    assert!(
        run.stdout.contains("image.png (link expires in 1h 00m)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("https://files.example/image.png?sig=1"));
}

#[test]
fn json_keeps_every_field_in_api_order_and_decodes_stub_config() {
    let mut server = mockito::Server::new();
    let body = r#"{"zz_first":1,"status":"COMPLETE","external_id":"e-1","stub":{"name":"n","config":"{\"runtime\":{\"cpu\":1000}}"},"a_last":[true]}"#;
    mock_task(&mut server, "t1", 200, body);
    let run = Beam::new(&server.url())
        .args(["status", "t1", "--json"])
        .run()
        .code(0);
    let json = run.json();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["zz_first", "status", "external_id", "stub", "a_last"]
    );
    assert_eq!(json["stub"]["config"]["runtime"]["cpu"], 1000);
    assert!(!run.stdout.contains('\u{1b}'), "JSON is never colored");
}

#[test]
fn json_leaves_empty_or_invalid_stub_config_as_a_string() {
    for config in ["", "{not json"] {
        let mut server = mockito::Server::new();
        let body = serde_json::json!({"status": "COMPLETE", "stub": {"config": config}});
        mock_task(&mut server, "t1", 200, &body.to_string());
        let run = Beam::new(&server.url())
            .args(["status", "t1", "-o", "json"])
            .run()
            .code(0);
        assert_eq!(run.json()["stub"]["config"], config);
    }
}

#[test]
fn json_of_the_seed_example_is_the_api_object() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "abc", 200, &fixture("seed_complete.json"));
    let run = Beam::new(&server.url())
        .args(["status", "abc", "--json", "--color", "always"])
        .run()
        .code(0);
    let mut expected: serde_json::Value =
        serde_json::from_str(&fixture("seed_complete.json")).unwrap();
    let config = expected["stub"]["config"].as_str().unwrap().to_string();
    expected["stub"]["config"] = serde_json::from_str(&config).unwrap();
    assert_eq!(run.json(), expected);
}

#[test]
fn raw_prints_the_body_byte_for_byte() {
    let mut server = mockito::Server::new();
    let body = "{\"status\" :\"RUNNING\",  \"weird\":1e400 }";
    mock_task(&mut server, "t1", 200, body);
    let run = Beam::new(&server.url())
        .args(["status", "t1", "--raw"])
        .run()
        .code(8);
    assert_eq!(run.stdout, format!("{body}\n"));
}

// ---- several tasks ----

#[test]
fn several_ids_keep_their_order_and_are_fetched_once() {
    let mut server = mockito::Server::new();
    let a = mock_task(
        &mut server,
        "a",
        200,
        &task_json("COMPLETE").replace("07ce4078", "aaaa"),
    )
    .expect(1);
    let b = mock_task(
        &mut server,
        "b",
        200,
        &task_json("RUNNING").replace("07ce4078", "bbbb"),
    )
    .expect(1);
    let run = Beam::new(&server.url())
        .args(["status", "b", "a", "b", "--json"])
        .run()
        .code(8);
    a.assert();
    b.assert();
    let json = run.json();
    let ids: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(
        ids[0].starts_with("bbbb") && ids[1].starts_with("aaaa"),
        "{ids:?}"
    );
}

#[test]
fn several_ids_show_one_row_each() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "a", 200, &task_json("COMPLETE"));
    mock_task(&mut server, "b", 200, &task_json("CANCELLED"));
    let run = Beam::new(&server.url())
        .args(["status", "a", "b"])
        .run()
        .code(11);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(lines[0].starts_with("ID") && lines[0].contains("STATUS"));
    assert!(lines[1].starts_with("a ") && lines[1].contains("✓ COMPLETE"));
    assert!(lines[2].starts_with("b ") && lines[2].contains("⊘ CANCELLED"));
}

#[test]
fn most_severe_status_wins() {
    let mut server = mockito::Server::new();
    for (id, status) in [
        ("a", "RUNNING"),
        ("b", "EXPIRED"),
        ("c", "TIMEOUT"),
        ("d", "PAUSED"),
    ] {
        mock_task(&mut server, id, 200, &task_json(status));
    }
    Beam::new(&server.url())
        .args(["status", "a", "b", "c", "d", "-q"])
        .run()
        .code(12);
}

#[test]
fn first_request_error_outranks_statuses_and_failed_tasks_are_left_out_of_stdout() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "a", 200, &task_json("FAILED"));
    mock_task(&mut server, "b", 401, r#"{"message":"Unauthorized"}"#);
    mock_task(&mut server, "c", 404, "");
    let run = Beam::new(&server.url())
        .args(["status", "a", "b", "c", "--json", "--retries", "0"])
        .run()
        .code(77);
    assert_eq!(run.json().as_array().unwrap().len(), 1);
    assert!(
        run.stderr.contains("task b: the API refused the token"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("task c not found"), "{}", run.stderr);
}

#[test]
fn ids_are_read_from_stdin_with_dash() {
    let mut server = mockito::Server::new();
    for id in ["a", "b", "c"] {
        mock_task(&mut server, id, 200, &task_json("COMPLETE")).expect(1);
    }
    let run = Beam::new(&server.url())
        .args(["status", "a", "-"])
        .stdin("b\n  c\ta\n")
        .run()
        .code(0);
    let rows: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(rows, ["a", "b", "c"]);
}

#[test]
fn jobs_one_fetches_every_id_in_turn() {
    let mut server = mockito::Server::new();
    let mocks: Vec<_> = (0..5)
        .map(|i| mock_task(&mut server, &format!("t{i}"), 200, &task_json("COMPLETE")).expect(1))
        .collect();
    Beam::new(&server.url())
        .args(["status", "-j", "1", "t0", "t1", "t2", "t3", "t4", "-q"])
        .run()
        .code(0);
    mocks.iter().for_each(|m| m.assert());
}

// ---- IDs ----

#[test]
fn invalid_ids_are_usage_errors_before_any_request() {
    let mut server = mockito::Server::new();
    let any = server.mock("GET", mockito::Matcher::Any).expect(0).create();
    for bad in ["..", "a/b", "?x", "a b", "", "%2e%2e"] {
        let run = Beam::new(&server.url()).args(["status", bad]).run().code(2);
        assert!(run.stderr.contains("task ID"), "{bad}: {}", run.stderr);
    }
    let run = Beam::new(&server.url())
        .args(["status", "-"])
        .stdin("good ../../admin")
        .run()
        .code(2);
    assert!(run.stderr.contains("\"../../admin\""), "{}", run.stderr);
    any.assert();
}

#[cfg(unix)]
#[test]
fn stdin_that_is_not_utf8_is_a_usage_error_before_any_request() {
    let mut server = mockito::Server::new();
    let any = server.mock("GET", mockito::Matcher::Any).expect(0).create();
    // sh's printf turns the octal escapes into the bytes 0xff 0xfe.
    let script = "printf 'good \\377\\376x\\n' | beam-task status -; echo \"exit $?\"";
    let run = Beam::shell(&server.url(), "sh", script).run();
    assert_eq!(run.stdout, "exit 2\n", "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "error: invalid task ID \"\u{fffd}\u{fffd}x\" on stdin: \
         a task ID is 1 to 128 ASCII letters, digits, '-' or '_'"
    );
    any.assert();
}

// ---- output manners ----

#[cfg(unix)]
#[test]
fn closed_stdout_ends_quietly() {
    let mut server = mockito::Server::new();
    let ids: Vec<String> = (0..200).map(|i| format!("t{i}")).collect();
    server
        .mock("GET", mockito::Matcher::Regex("^/v2/task/t[0-9]+/$".into()))
        .with_body(task_json("COMPLETE"))
        .create();
    let bin = assert_cmd::cargo::cargo_bin("beam-task");
    let script = format!(
        "{} status --raw {} | head -c 1 >/dev/null; echo \"${{PIPESTATUS[0]}}\"",
        bin.display(),
        ids.join(" ")
    );
    let run = Beam::shell(&server.url(), "bash", &script).run();
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(run.stdout.trim(), "0");
}

#[test]
fn color_only_when_asked_or_on_a_terminal() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "t1", 200, &task_json("FAILED"));
    let plain = Beam::new(&server.url())
        .args(["status", "t1"])
        .run()
        .code(10);
    assert!(
        !plain.stdout.contains('\u{1b}'),
        "piped output has no color"
    );
    let forced = Beam::new(&server.url())
        .args(["status", "t1", "--color", "always"])
        .env("NO_COLOR", "1")
        .run()
        .code(10);
    assert!(
        forced.stdout.contains("\u{1b}["),
        "--color always colors a pipe"
    );
    let never = Beam::new(&server.url())
        .args(["status", "t1", "--color", "never"])
        .run()
        .code(10);
    assert!(!never.stdout.contains('\u{1b}'));
}

#[test]
fn help_shows_the_exit_code_table() {
    let run = Beam::new("http://127.0.0.1:9")
        .args(["status", "--help"])
        .run()
        .code(0);
    for line in [
        "0  every task COMPLETE",
        "14  a status this version does not know",
        "77  token refused",
        "10 > 12 > 13 > 11 > 14",
    ] {
        assert!(run.stdout.contains(line), "{line}: {}", run.stdout);
    }
    assert!(
        !run.stdout.contains(TOKEN),
        "help never shows BEAM_TOKEN's value"
    );
}

// ---- error answers ----

fn answer(status: usize, body: &str, content_type: &str) -> Run {
    let mut server = mockito::Server::new();
    server
        .mock("GET", "/v2/task/t1/")
        .with_status(status)
        .with_header("content-type", content_type)
        .with_body(body)
        .create();
    Beam::new(&server.url())
        .args(["status", "t1", "--retries", "0"])
        .run()
}

#[test]
fn not_found_exits_66() {
    let run = answer(404, r#"{"message":""}"#, "application/json").code(66);
    assert_eq!(run.stderr.lines().next(), Some("error: task t1 not found"));
    assert_eq!(run.stdout, "");
}

#[test]
fn server_error_exits_69_with_the_status_line() {
    let run = answer(500, r#"{"message":"database is down"}"#, "application/json").code(69);
    assert!(
        run.stderr
            .contains("HTTP 500 Internal Server Error: database is down"),
        "{}",
        run.stderr
    );
}

#[test]
fn html_error_page_shows_the_status_line_not_the_page() {
    let page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let run = answer(502, page, "text/html").code(69);
    assert!(
        run.stderr.contains("HTTP 502 Bad Gateway"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("<html>"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn html_with_200_exits_76() {
    let run = answer(200, "<html>maintenance</html>", "text/html").code(76);
    assert!(run.stderr.contains("not JSON"), "{}", run.stderr);
}

#[test]
fn empty_200_body_exits_76() {
    let run = answer(200, "", "application/json").code(76);
    assert!(run.stderr.contains("empty"), "{}", run.stderr);
}

#[test]
fn unreachable_api_exits_69() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let run = Beam::new(&format!("http://127.0.0.1:{port}"))
        .args(["status", "t1", "--retries", "0"])
        .run()
        .code(69);
    assert!(run.stderr.contains("127.0.0.1"), "{}", run.stderr);
}

#[test]
fn output_shape_follows_the_arguments_not_the_data() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "a", 200, &task_json("COMPLETE"));
    let run = Beam::new(&server.url())
        .args(["status", "--json", "-"])
        .stdin("a\n")
        .run()
        .code(0);
    assert_eq!(run.json().as_array().map(Vec::len), Some(1));
    let run = Beam::new(&server.url())
        .args(["status", "--json", "a", "a"])
        .run()
        .code(0);
    assert_eq!(
        run.json().as_array().map(Vec::len),
        Some(1),
        "two ID arguments give an array, even of one task"
    );
}

/// With several IDs (or `-`), `--json` prints an array whatever happens,
/// `[]` when no task could be shown: `jq length` always works.
#[test]
fn json_prints_an_empty_array_when_every_task_failed() {
    let mut server = mockito::Server::new();
    for id in ["a", "b"] {
        mock_task(&mut server, id, 404, r#"{"message":""}"#);
    }
    server
        .mock("DELETE", "/v2/task/cancel/")
        .with_status(400)
        .create();
    let runs = [
        (vec!["status", "--json", "a", "b"], None, 66),
        (vec!["status", "--json", "-"], Some("a b"), 66),
        // The tasks are read; then the cancel itself fails.
        (vec!["cancel", "--json", "a", "b"], None, 66),
    ];
    for (args, stdin, code) in runs {
        let mut beam = Beam::new(&server.url()).args(&args);
        if let Some(stdin) = stdin {
            beam = beam.stdin(stdin);
        }
        let run = beam.run().code(code);
        assert_eq!(run.stdout, "[]\n", "{args:?}");
    }
    // No token at all: no task could be asked.
    for command in ["status", "wait", "cancel"] {
        let run = Beam::new(&server.url())
            .env_remove("BEAM_TOKEN")
            .args([command, "--json", "a", "b"])
            .run()
            .code(78);
        assert_eq!(run.stdout, "[]\n", "{command}");
        // One ID gives an object, or nothing.
        let run = Beam::new(&server.url())
            .env_remove("BEAM_TOKEN")
            .args([command, "--json", "a"])
            .run()
            .code(78);
        assert_eq!(run.stdout, "", "{command}");
    }
}

#[test]
fn json_prints_an_empty_array_when_the_cancel_request_fails() {
    let mut server = mockito::Server::new();
    for id in ["a", "b"] {
        mock_task(&mut server, id, 200, &task_json("RUNNING"));
    }
    let cancel = server
        .mock("DELETE", "/v2/task/cancel/")
        .with_status(400)
        .create();
    let run = Beam::new(&server.url())
        .args(["cancel", "--json", "a", "b"])
        .run()
        .code(76);
    cancel.assert();
    assert_eq!(run.stdout, "[]\n");
    assert!(
        run.stderr
            .contains("task a: the cancel request failed: unexpected answer HTTP 400"),
        "{}",
        run.stderr
    );
}

/// A server that answers every task COMPLETE after `delay`, on connections
/// kept alive.
fn slow_server(delay: Duration) -> Server {
    Server::http(move |_| Reply::json(task_json("COMPLETE")).after(delay))
}

#[test]
fn jobs_sets_how_many_tasks_are_fetched_at_once() {
    for (jobs, expected) in [("1", 1..=1), ("4", 2..=4)] {
        let server = slow_server(Duration::from_millis(100));
        let ids: Vec<String> = (0..8).map(|i| format!("t{i}")).collect();
        Beam::new(&server.url())
            .args(["status", "-q", "--jobs", jobs])
            .args(&ids)
            .run()
            .code(0);
        assert_eq!(server.requests().len(), 8);
        let most = server.most_in_flight();
        assert!(
            expected.contains(&most),
            "--jobs {jobs}: {most} requests at once"
        );
    }
}

#[test]
fn connections_are_reused_across_tasks() {
    let server = slow_server(Duration::ZERO);
    let ids: Vec<String> = (0..60).map(|i| format!("t{i}")).collect();
    Beam::new(&server.url())
        .args(["status", "-q", "--jobs", "6"])
        .args(&ids)
        .run()
        .code(0);
    assert_eq!(server.requests().len(), 60);
    let opened = server.connections();
    assert!(
        (1..=6).contains(&opened),
        "60 tasks on 6 jobs opened {opened} connections"
    );
}

/// `beam-task list … -o ids | beam-task cancel -` where nothing matched:
/// no task, nothing to do, and no failure; `--json` still an array.
#[test]
fn an_empty_stdin_is_no_task_for_every_command() {
    let server = mockito::Server::new();
    for command in ["status", "wait", "cancel", "download"] {
        let run = Beam::new(&server.url())
            .args([command, "-", "--json"])
            .stdin("")
            .run()
            .code(0);
        assert_eq!(run.stdout, "[]\n", "{command}");
        assert_eq!(run.stderr, "", "{command}");
    }
}
