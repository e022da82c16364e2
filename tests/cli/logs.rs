//! `logs`: a local Beam whose logs route answers pages of a made-up task
//! log, whose stream sends lines as Server-Sent Events, and whose task API
//! says how the task is.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use crate::support::{Beam, Reply, Request, Server, task_json};

const WORKSPACE: &str = "/api/v1/workspace/current";
const LOGS: &str = "/api/v1/logs/ws-1";
const STREAM: &str = "/api/v1/logs/ws-1/stream";

fn workspace() -> Reply {
    Reply::json(r#"{"external_id":"ws-1"}"#)
}

/// Line `seq` of the made-up log: `line <seq>`, on stdout (odd lines on
/// stderr), its fields in the order beta9 sends them.
fn record(seq: u64) -> serde_json::Value {
    let stream = if seq % 2 == 1 { "stderr" } else { "stdout" };
    serde_json::json!({
        "seq_num": seq,
        "stored_at_ns": 1_764_840_000_000_000_000u64 + seq,
        "timestamp": format!("2026-12-04T09:00:{:02}.25Z", seq % 60),
        "message": format!("line {seq}\n"),
        "stream": stream,
        "container_id": "taskqueue-abc",
        "task_id": "t1",
    })
}

/// The value of query parameter `name`, if sent.
fn param<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    let (_, query) = request.target.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

/// The page a request asks for of a log of `total` lines, as beta9 pages
/// it: `limit` lines from `page × limit`, and the next page while more
/// remain.
fn page_of(request: &Request, total: u64) -> Reply {
    let number = |name: &str, default: u64| {
        param(request, name).map_or(default, |v| v.parse().expect("a number"))
    };
    let limit = number("limit", 100).min(1000);
    let page = number("page", 0);
    let first = (page * limit).min(total);
    let last = ((page + 1) * limit).min(total);
    let logs: Vec<serde_json::Value> = (first..last).map(record).collect();
    let mut body = serde_json::json!({
        "logs": logs,
        "object_id": "t1",
        "object_type": "BETA9_TASK",
        "streams": ["ws-1/task-logs"],
        "total_expected": total,
    });
    if last < total {
        body["next_cursor"] = serde_json::json!((page + 1).to_string());
    }
    Reply::json(body.to_string())
}

/// `id: <seq>`, `event: log`, `data: <record>`, as beta9 writes a line.
fn event(seq: u64) -> String {
    format!("id: {seq}\nevent: log\ndata: {}\n\n", record(seq))
}

/// A stream of `events`, each after `gap`, after `: connected`; held open
/// afterwards when `hold`.
fn stream(events: Vec<String>, gap: Duration, hold: bool) -> Reply {
    let mut parts = vec![(Duration::ZERO, ": connected\n\n".to_string())];
    parts.extend(events.into_iter().map(|text| (gap, text)));
    Reply::events(parts, hold)
}

/// `line a`, ..., `line b` (inclusive), one a line.
fn lines(range: std::ops::RangeInclusive<u64>) -> String {
    range.map(|seq| format!("line {seq}\n")).collect()
}

fn requests_to(server: &Server, path: &str) -> Vec<Request> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.path() == path)
        .collect()
}

/// A Beam with a log of `total` lines, the task in `status`, and a stream
/// that sends nothing.
fn beam_with_log(total: u64, status: &'static str) -> Server {
    Server::http(move |r| match r.path() {
        WORKSPACE => workspace(),
        LOGS => page_of(r, total),
        STREAM => stream(Vec::new(), Duration::ZERO, true),
        _ => Reply::json(task_json(status)),
    })
}

#[test]
fn every_page_is_printed_in_order_and_the_exit_code_is_the_status() {
    let server = beam_with_log(2500, "COMPLETE");
    let run = Beam::new(&server.url()).args(["logs", "t1"]).run().code(0);
    assert_eq!(run.stdout, lines(0..=2499));
    let asked = requests_to(&server, LOGS);
    let asked: Vec<_> = asked
        .iter()
        .map(|r| (param(r, "limit"), param(r, "page")))
        .collect();
    assert_eq!(
        asked,
        [
            (Some("1000"), Some("0")),
            (Some("1000"), Some("1")),
            (Some("1000"), Some("2"))
        ]
    );
    let first = &requests_to(&server, LOGS)[0];
    assert_eq!(param(first, "object_type"), Some("BETA9_TASK"));
    assert_eq!(param(first, "object_id"), Some("t1"));
    assert!(requests_to(&server, STREAM).is_empty(), "no -f, no stream");
}

#[test]
fn the_exit_code_is_the_task_s_status_unless_exit_zero() {
    for (status, code) in [("RUNNING", 8), ("FAILED", 10), ("CANCELLED", 11)] {
        let server = beam_with_log(3, status);
        let run = Beam::new(&server.url()).args(["logs", "t1"]).run();
        assert_eq!(run.code, code, "{status}: {run:#?}");
        assert_eq!(run.stdout, lines(0..=2), "{status}");
        Beam::new(&server.url())
            .args(["logs", "t1", "--exit-zero"])
            .run()
            .code(0);
    }
}

#[test]
fn tail_reads_the_count_then_the_last_page_only() {
    let server = beam_with_log(4000, "COMPLETE");
    let run = Beam::new(&server.url())
        .args(["logs", "t1", "--tail", "50"])
        .run()
        .code(0);
    assert_eq!(run.stdout, lines(3950..=3999));
    let asked: Vec<_> = requests_to(&server, LOGS)
        .iter()
        .map(|r| {
            (
                param(r, "limit").unwrap().to_string(),
                param(r, "page").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        asked,
        [("1".into(), "0".into()), ("50".into(), "79".into())],
        "one line for the count, then the page holding the last 50"
    );
}

#[test]
fn a_tail_longer_than_the_log_prints_it_all_and_zero_prints_none() {
    let server = beam_with_log(30, "COMPLETE");
    let all = Beam::new(&server.url())
        .args(["logs", "t1", "--tail", "100"])
        .run()
        .code(0);
    assert_eq!(all.stdout, lines(0..=29));
    let none = Beam::new(&server.url())
        .args(["logs", "t1", "--tail", "0"])
        .run()
        .code(0);
    assert_eq!(none.stdout, "");
}

#[test]
fn json_is_one_record_a_line_as_sent() {
    let server = beam_with_log(3, "COMPLETE");
    let run = Beam::new(&server.url())
        .args(["logs", "t1", "--json"])
        .run()
        .code(0);
    let expected: String = (0..3).map(|seq| format!("{}\n", record(seq))).collect();
    assert_eq!(run.stdout, expected);
    assert!(run.stdout.starts_with("{\"seq_num\":0,\"stored_at_ns\":"));
}

#[test]
fn timestamps_lead_each_line_and_since_narrows_the_read() {
    let server = beam_with_log(2, "COMPLETE");
    let run = Beam::new(&server.url())
        .args([
            "logs",
            "t1",
            "--timestamps",
            "--since",
            "2026-12-04T08:00:00+01:00",
        ])
        .run()
        .code(0);
    assert_eq!(
        run.stdout,
        "2026-12-04T09:00:00.25Z line 0\n2026-12-04T09:00:01.25Z line 1\n"
    );
    let first = &requests_to(&server, LOGS)[0];
    assert_eq!(
        param(first, "start_time").map(|t| t.replace("%3A", ":")),
        Some("2026-12-04T07:00:00Z".to_string())
    );
}

#[test]
fn quiet_prints_nothing_and_the_id_may_come_from_stdin() {
    let server = beam_with_log(3, "FAILED");
    let run = Beam::new(&server.url())
        .args(["logs", "-", "-q"])
        .stdin("t1\n")
        .run()
        .code(10);
    assert_eq!(run.stdout, "");
    assert_eq!(requests_to(&server, LOGS).len(), 1);
}

#[test]
fn a_pipe_gets_the_bytes_as_sent() {
    let hostile = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}[31mred\u{1b}[0m";
    let server = Server::http(move |r| match r.path() {
        WORKSPACE => workspace(),
        LOGS => Reply::json(
            serde_json::json!({
                "logs": [{"seq_num": 0, "message": hostile, "stream": "stderr"}],
                "total_expected": 1,
            })
            .to_string(),
        ),
        _ => Reply::json(task_json("COMPLETE")),
    });
    let run = Beam::new(&server.url()).args(["logs", "t1"]).run().code(0);
    assert_eq!(run.stdout, format!("{hostile}\n"));
}

/// A hostile line on a terminal (a pseudo-terminal from `script(1)`):
/// its colors pass, the title, the clearing and the cursor moves do not;
/// its stderr is marked.
#[cfg(target_os = "linux")]
#[test]
fn a_terminal_gets_colors_but_no_other_escape() {
    let hostile = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}[31mred\u{1b}[0m\u{1b}[5A\rend";
    let server = Server::http(move |r| match r.path() {
        WORKSPACE => workspace(),
        LOGS => Reply::json(
            serde_json::json!({
                "logs": [
                    {"seq_num": 0, "message": hostile, "stream": "stderr"},
                    {"seq_num": 1, "message": "plain", "stream": "stdout"},
                ],
                "total_expected": 2,
            })
            .to_string(),
        ),
        _ => Reply::json(task_json("COMPLETE")),
    });
    let run = Beam::shell(
        &server.url(),
        "sh",
        "script -qec 'beam-task logs t1' /dev/null",
    )
    .run()
    .code(0);
    let shown = run.stdout.replace("\r\n", "\n");
    assert!(!shown.contains("\u{1b}]"), "{shown:?}");
    assert!(!shown.contains("\u{1b}[2J"), "{shown:?}");
    assert!(!shown.contains("\u{1b}[5A"), "{shown:?}");
    assert!(!shown.contains('\u{7}'), "{shown:?}");
    assert!(!shown.contains('\r'), "{shown:?}");
    assert!(
        shown.contains("\u{1b}[31mstderr\u{1b}[0m \u{fffd}]0;owned\u{fffd}\u{fffd}[2J\u{1b}[31mred\u{1b}[0m\u{fffd}[5A\u{fffd}end\u{1b}[0m\n"),
        "{shown:?}"
    );
    assert!(shown.ends_with("\nplain\n"), "{shown:?}");
}

#[test]
fn follow_goes_on_after_the_history_and_ends_after_the_last_lines() {
    // The task has finished; lines still arrive on the stream (shipped
    // late), then it goes quiet but stays open, as beta9's does.
    let server = Server::http(|r| match r.path() {
        WORKSPACE => workspace(),
        LOGS => page_of(r, 3),
        STREAM => stream(vec![event(3), event(4)], Duration::from_millis(30), true),
        _ => Reply::json(task_json("FAILED")),
    });
    let run = Beam::new(&server.url())
        .env("BEAM_TASK_TIME_SCALE", "0.2")
        .args(["logs", "-f", "t1"])
        .run()
        .code(10);
    assert_eq!(run.stdout, lines(0..=4));
    let streams = requests_to(&server, STREAM);
    assert_eq!(streams.len(), 1);
    assert_eq!(
        param(&streams[0], "seq_num"),
        Some("3"),
        "after the history"
    );
}

#[test]
fn a_cut_stream_resumes_after_the_last_line_none_twice_none_lost() {
    let streams = Arc::new(AtomicUsize::new(0));
    let second = Arc::new(AtomicBool::new(false));
    let opened = Arc::clone(&second);
    let server = Server::http(move |r| match r.path() {
        WORKSPACE => workspace(),
        LOGS => page_of(r, 3),
        // A server error ends the first stream (left open), a close the
        // second; the third sends a line again, then new ones.
        STREAM => match streams.fetch_add(1, Ordering::SeqCst) {
            0 => {
                let mut events = vec![event(3), event(4)];
                events.push("event: error\ndata: {\"error\":\"read failed\"}\n\n".into());
                stream(events, Duration::ZERO, true)
            }
            1 => stream(vec![event(5)], Duration::ZERO, false),
            _ => {
                opened.store(true, Ordering::SeqCst);
                stream(
                    vec![event(5), event(6), event(7)],
                    Duration::from_millis(5),
                    true,
                )
            }
        },
        _ if second.load(Ordering::SeqCst) => Reply::json(task_json("COMPLETE")),
        _ => Reply::json(task_json("RUNNING")),
    });
    let run = Beam::new(&server.url())
        .env("BEAM_TASK_TIME_SCALE", "0.1")
        .args(["logs", "-f", "t1"])
        .run()
        .code(0);
    assert_eq!(run.stdout, lines(0..=7));
    let resumed: Vec<_> = requests_to(&server, STREAM)
        .iter()
        .map(|r| param(r, "seq_num").map(str::to_string))
        .collect();
    assert_eq!(
        resumed,
        [Some("3".into()), Some("5".into()), Some("6".into())]
    );
}

#[test]
fn with_no_history_the_stream_starts_from_a_time_not_the_tail() {
    let server = Server::http(|r| match r.path() {
        WORKSPACE => workspace(),
        LOGS => page_of(r, 0),
        STREAM => stream(vec![event(0)], Duration::ZERO, true),
        _ => Reply::json(task_json("COMPLETE")),
    });
    let run = Beam::new(&server.url())
        .env("BEAM_TASK_TIME_SCALE", "0.1")
        .args(["logs", "-f", "t1"])
        .run()
        .code(0);
    assert_eq!(run.stdout, "line 0\n");
    let asked = &requests_to(&server, STREAM)[0];
    assert!(param(asked, "start_time").is_some(), "{}", asked.target);
    assert_eq!(param(asked, "seq_num"), None);
}

#[test]
fn the_deadline_ends_a_follow_with_124() {
    let server = beam_with_log(2, "RUNNING");
    let run = Beam::new(&server.url())
        .args(["logs", "-f", "t1", "--timeout", "30s"])
        .run()
        .code(124);
    assert_eq!(run.stdout, lines(0..=1));
    assert!(
        run.stderr
            .contains("the --timeout (30.0s) passed before task t1 finished"),
        "{}",
        run.stderr
    );
    Beam::new(&server.url())
        .args(["logs", "-f", "t1", "--timeout", "30s", "--exit-zero"])
        .run()
        .code(0);
}

#[test]
fn an_unknown_task_exits_66() {
    let server = Server::http(|r| match r.path() {
        WORKSPACE => workspace(),
        _ => Reply::status(404).body(r#"{"message":""}"#),
    });
    let run = Beam::new(&server.url())
        .args(["logs", "gone"])
        .run()
        .code(66);
    assert!(run.stderr.contains("task gone not found"), "{}", run.stderr);
}

#[test]
fn a_logs_route_missing_for_a_known_task_exits_69() {
    let server = Server::http(|r| match r.path() {
        WORKSPACE => workspace(),
        LOGS => Reply::status(404).body(r#"{"message":""}"#),
        _ => Reply::json(task_json("COMPLETE")),
    });
    let run = Beam::new(&server.url()).args(["logs", "t1"]).run().code(69);
    assert!(
        run.stderr.contains("logs route answered 404"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_server_without_a_log_store_exits_69_at_once() {
    for follow in [false, true] {
        let server = Server::http(|r| match r.path() {
            WORKSPACE => workspace(),
            LOGS => Reply::status(503).body(r#"{"message":"Log reads are not configured"}"#),
            _ => Reply::json(task_json("COMPLETE")),
        });
        let mut args = vec!["logs", "t1"];
        if follow {
            args.push("-f");
        }
        let run = Beam::new(&server.url()).args(args).run().code(69);
        assert_eq!(requests_to(&server, LOGS).len(), 1, "no retries");
        assert!(
            run.stderr
                .contains("cannot read the logs of task t1: the API answered HTTP 503"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("Log reads are not configured"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("hint: this Beam server keeps no task logs"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_stream_without_a_log_store_exits_69_at_once() {
    let server = Server::http(|r| match r.path() {
        WORKSPACE => workspace(),
        LOGS => page_of(r, 1),
        STREAM => Reply::status(503).body(r#"{"message":"Log streams are not configured"}"#),
        _ => Reply::json(task_json("RUNNING")),
    });
    let run = Beam::new(&server.url())
        .args(["logs", "-f", "t1"])
        .run()
        .code(69);
    assert_eq!(run.stdout, "line 0\n");
    assert_eq!(requests_to(&server, STREAM).len(), 1, "no retries");
    assert!(
        run.stderr.contains("Log streams are not configured"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_ends_a_follow_by_sigint() {
    let server = beam_with_log(2, "RUNNING");
    let started = Beam::new(&server.url()).args(["logs", "-f", "t1"]).spawn();
    server.wait_for_requests(5, Duration::from_secs(20));
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while requests_to(&server, STREAM).is_empty() {
        assert!(std::time::Instant::now() < deadline, "no stream asked");
        std::thread::sleep(Duration::from_millis(10));
    }
    started.interrupt();
    let run = started.finish();
    assert_eq!(run.signal, Some(2), "{run:#?}");
    assert_eq!(run.stdout, lines(0..=1));
}
