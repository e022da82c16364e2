//! `wait` on the workspace API's subscribe stream: a local Beam whose
//! stream sends the task at once and again on a change (Server-Sent
//! Events), and whose task API decides the end.

use std::time::Duration;

use crate::support::{Beam, Reply, Request, Run, Server, task_json};

const WORKSPACE: &str = "/api/v1/workspace/current";

/// `event: status` with the task in `status` as its data.
fn event(status: &str) -> String {
    let task: serde_json::Value = serde_json::from_str(&task_json(status)).unwrap();
    format!("event: status\ndata: {task}\n\n")
}

/// An event sent after `ms` milliseconds.
fn after(ms: u64, text: String) -> (Duration, String) {
    (Duration::from_millis(ms), text)
}

fn workspace() -> Reply {
    Reply::json(r#"{"external_id":"ws-1"}"#)
}

/// The stream of task `id` in workspace `ws-1`.
fn stream_of(id: &str) -> String {
    format!("/api/v1/task/ws-1/{id}/subscribe")
}

/// What the wait heard of task `id`, as its plain lines on stderr tell it
/// (one per status change, times left out), is `statuses`.
fn assert_heard(run: &Run, id: &str, statuses: &[&str]) {
    let told: Vec<&str> = run
        .stderr
        .lines()
        .filter_map(|line| line.split_once(' ').map(|(_, change)| change))
        .filter(|change| change.starts_with(&format!("{id} ")))
        .collect();
    let mut expected = vec![format!("{id} {}", statuses[0])];
    for pair in statuses.windows(2) {
        expected.push(format!("{id} {} -> {}", pair[0], pair[1]));
    }
    assert_eq!(told, expected, "{}", run.stderr);
}

/// What the wait printed: the task in `status` (one ID asked).
fn assert_shown(run: &Run, status: &str) {
    assert_eq!(run.json()["status"], status, "{}", run.stdout);
}

fn count(server: &Server, path: &str) -> usize {
    server.requests_to(path)
}

/// The task API's answer: `before` for its first `reads` reads, `then`
/// after.
fn read(request: &Request, reads: usize, before: &str, then: &str) -> Reply {
    let status = if request.target_index < reads {
        before
    } else {
        then
    };
    Reply::json(task_json(status))
}

#[test]
fn a_change_pushed_on_the_stream_ends_the_wait_without_polling_on_schedule() {
    let server = Server::http(|r| match r.path() {
        WORKSPACE => workspace(),
        "/api/v1/task/ws-1/t1/subscribe" => Reply::events(
            vec![after(0, event("RUNNING")), after(600, event("COMPLETE"))],
            false,
        ),
        // The first poll, at the start; the read after COMPLETE.
        _ => read(r, 1, "RUNNING", "COMPLETE"),
    });
    let run = Beam::new(&server.url())
        .args(["wait", "t1", "--json"])
        .run()
        .code(0);
    assert_eq!(run.json()["status"], "COMPLETE");
    assert_eq!(count(&server, &stream_of("t1")), 1);
    // Polling on the test's scaled clock (10 ms, growing to 100 ms) would
    // have asked many times in 600 ms.
    let reads = count(&server, "/v2/task/t1/");
    assert!((2..=3).contains(&reads), "{reads} reads of the task API");
}

#[test]
fn a_silent_stream_is_opened_again() {
    let server = Server::http(|r| match r.path() {
        WORKSPACE => workspace(),
        // Silence (0.6 s on the scaled clock) ends the first stream.
        "/api/v1/task/ws-1/t1/subscribe" if r.target_index == 0 => {
            Reply::events(vec![after(0, event("RUNNING"))], true)
        }
        "/api/v1/task/ws-1/t1/subscribe" => Reply::events(vec![after(0, event("COMPLETE"))], false),
        _ => read(r, 1, "RUNNING", "COMPLETE"),
    });
    let run = Beam::new(&server.url())
        .args(["wait", "t1", "--json"])
        .run()
        .code(0);
    assert_eq!(count(&server, &stream_of("t1")), 2);
    assert_heard(&run, "t1", &["RUNNING", "COMPLETE"]);
    assert_shown(&run, "COMPLETE");
}

#[test]
fn a_stream_cut_mid_event_is_followed_by_a_read_then_opened_again() {
    let server = Server::http(|r| match r.path() {
        WORKSPACE => workspace(),
        "/api/v1/task/ws-1/t1/subscribe" if r.target_index == 0 => Reply::events(
            vec![after(
                0,
                "event: status\ndata: {\"status\":\"RUN".to_string(),
            )],
            false,
        ),
        "/api/v1/task/ws-1/t1/subscribe" => Reply::events(
            vec![after(0, event("RUNNING")), after(100, event("COMPLETE"))],
            false,
        ),
        // The first poll and the read after the cut; the final read.
        _ => read(r, 2, "RUNNING", "COMPLETE"),
    });
    let run = Beam::new(&server.url())
        .args(["wait", "t1", "--json"])
        .run()
        .code(0);
    assert_eq!(count(&server, &stream_of("t1")), 2);
    assert_heard(&run, "t1", &["RUNNING", "COMPLETE"]);
    assert_shown(&run, "COMPLETE");
}

#[test]
fn a_route_that_is_not_there_leaves_the_task_to_polling() {
    for refusal in [
        Reply::status(404).close(),
        Reply::status(405).close(),
        Reply::status(501).close(),
        // Not a stream of events at all.
        Reply::json("{}").close(),
    ] {
        let server = Server::http(move |r| match r.path() {
            WORKSPACE => workspace(),
            "/api/v1/task/ws-1/t1/subscribe" => refusal.clone(),
            _ => read(r, 3, "RUNNING", "COMPLETE"),
        });
        let run = Beam::new(&server.url())
            .args(["wait", "t1", "--json"])
            .run()
            .code(0);
        assert_heard(&run, "t1", &["RUNNING", "COMPLETE"]);
        assert_shown(&run, "COMPLETE");
        assert_eq!(
            count(&server, &stream_of("t1")),
            1,
            "the stream is not asked again"
        );
        assert!(count(&server, "/v2/task/t1/") >= 4, "polled to the end");
    }
}

#[test]
fn a_stream_that_fails_never_turns_a_missing_task_into_69() {
    // beta9 answers 500 to a stream of another workspace's task, which the
    // task API says is not there.
    let server = Server::http(|r| match r.path() {
        WORKSPACE => workspace(),
        "/api/v1/task/ws-1/gone/subscribe" => Reply::status(500).close(),
        _ => Reply::status(404).body(r#"{"message":""}"#).close(),
    });
    let run = Beam::new(&server.url())
        .args(["wait", "gone"])
        .run()
        .code(66);
    assert!(run.stderr.contains("task gone not found"), "{}", run.stderr);
}

#[test]
fn a_failed_event_stops_a_fail_fast_wait_with_10() {
    let server = Server::http(|r| match r.path() {
        WORKSPACE => workspace(),
        "/api/v1/task/ws-1/slow/subscribe" => Reply::events(vec![after(0, event("RUNNING"))], true),
        "/api/v1/task/ws-1/bad/subscribe" => Reply::events(
            vec![after(0, event("RUNNING")), after(200, event("ERROR"))],
            false,
        ),
        "/v2/task/bad/" => read(r, 1, "RUNNING", "ERROR"),
        _ => Reply::json(task_json("RUNNING")),
    });
    let run = Beam::new(&server.url())
        .args(["wait", "slow", "bad", "--fail-fast", "--json"])
        .run()
        .code(10);
    assert_heard(&run, "bad", &["RUNNING", "ERROR"]);
    assert_heard(&run, "slow", &["RUNNING"]);
    assert_eq!(run.json()[0]["status"], "RUNNING", "{}", run.stdout);
    assert_eq!(run.json()[1]["status"], "ERROR", "{}", run.stdout);
}

#[test]
fn poll_and_interval_never_open_a_stream() {
    for flag in [["--poll", "-q"], ["--interval", "100ms"]] {
        let server = Server::http(|r| match r.path() {
            WORKSPACE => workspace(),
            _ => read(r, 2, "RUNNING", "COMPLETE"),
        });
        Beam::new(&server.url())
            .args(["wait", "t1"])
            .args(flag)
            .run()
            .code(0);
        assert_eq!(count(&server, WORKSPACE), 0, "{flag:?}");
        assert_eq!(count(&server, &stream_of("t1")), 0, "{flag:?}");
    }
}

#[test]
fn a_workspace_that_cannot_be_found_means_polling() {
    let server = Server::http(|r| match r.path() {
        WORKSPACE => Reply::status(500).close(),
        _ => read(r, 3, "RUNNING", "COMPLETE"),
    });
    let run = Beam::new(&server.url())
        .args(["wait", "t1", "--json"])
        .run()
        .code(0);
    assert_eq!(count(&server, &stream_of("t1")), 0);
    assert_heard(&run, "t1", &["RUNNING", "COMPLETE"]);
    assert_shown(&run, "COMPLETE");
}

#[test]
fn the_workspace_flag_skips_the_lookup_and_status_wait_listens_too() {
    let server = Server::http(|r| match r.path() {
        "/api/v1/task/ws-2/t1/subscribe" => Reply::events(
            vec![after(0, event("RUNNING")), after(100, event("COMPLETE"))],
            false,
        ),
        _ => read(r, 1, "RUNNING", "COMPLETE"),
    });
    let run = Beam::new(&server.url())
        .args(["status", "--wait", "t1", "--workspace", "ws-2", "--json"])
        .run()
        .code(0);
    assert_heard(&run, "t1", &["RUNNING", "COMPLETE"]);
    assert_shown(&run, "COMPLETE");
    assert_eq!(count(&server, WORKSPACE), 0);
    assert_eq!(count(&server, "/api/v1/task/ws-2/t1/subscribe"), 1);
}

#[test]
fn verbose_says_why_a_task_is_polled() {
    let server = Server::http(|r| match r.path() {
        WORKSPACE => workspace(),
        "/api/v1/task/ws-1/t1/subscribe" => Reply::status(404).close(),
        _ => read(r, 1, "RUNNING", "COMPLETE"),
    });
    let run = Beam::new(&server.url())
        .args(["wait", "t1", "-q", "-v"])
        .run()
        .code(0);
    assert!(
        run.stderr.contains(
            "* task t1: the subscribe route answered HTTP 404 Not Found; polling instead"
        ),
        "{}",
        run.stderr
    );
}

/// The first poll of `t1` is slow; meanwhile its stream says it finished,
/// and the read confirms it. The late poll answer (RUNNING) must not undo
/// that: the wait ends when `t2` (polled: no stream for it) finishes, 2 s
/// in. (Undone, `t1` would never be asked again, and the wait would hang.)
#[test]
fn a_late_poll_answer_cannot_undo_a_finished_task() {
    let started = std::time::Instant::now();
    let server = Server::http(move |r| match r.path() {
        WORKSPACE => workspace(),
        "/api/v1/task/ws-1/t1/subscribe" => Reply::events(
            vec![after(0, event("RUNNING")), after(200, event("COMPLETE"))],
            false,
        ),
        "/api/v1/task/ws-1/t2/subscribe" => Reply::status(404).close(),
        "/v2/task/t1/" if r.target_index == 0 => {
            Reply::json(task_json("RUNNING")).after(Duration::from_millis(1500))
        }
        "/v2/task/t1/" => Reply::json(task_json("COMPLETE")),
        _ if started.elapsed() < Duration::from_secs(2) => Reply::json(task_json("RUNNING")),
        _ => Reply::json(task_json("COMPLETE")),
    });
    let run = Beam::new(&server.url())
        .args(["wait", "t1", "t2", "--json"])
        .run()
        .code(0);
    assert_heard(&run, "t1", &["RUNNING", "COMPLETE"]);
    assert_heard(&run, "t2", &["RUNNING", "COMPLETE"]);
    assert_eq!(run.json()[0]["status"], "COMPLETE", "{}", run.stdout);
    assert_eq!(run.json()[1]["status"], "COMPLETE", "{}", run.stdout);
}

/// The stream says finished, but the task API is down for a while: the
/// task is polled, on polling's schedule, which rides the outage out.
#[test]
fn an_outage_after_a_finished_event_is_ridden_out_by_polling() {
    let outage = std::sync::Mutex::new(None::<std::time::Instant>);
    let server = Server::http(move |r| match r.path() {
        WORKSPACE => workspace(),
        "/api/v1/task/ws-1/t1/subscribe" => Reply::events(vec![after(0, event("COMPLETE"))], false),
        _ if r.target_index == 0 => Reply::json(task_json("RUNNING")),
        _ => {
            let started = *outage
                .lock()
                .unwrap()
                .get_or_insert_with(std::time::Instant::now);
            if started.elapsed() < Duration::from_secs(1) {
                Reply::status(503).close()
            } else {
                Reply::json(task_json("COMPLETE"))
            }
        }
    });
    let run = Beam::new(&server.url())
        .args(["wait", "t1", "--json"])
        .run()
        .code(0);
    assert_heard(&run, "t1", &["RUNNING", "COMPLETE"]);
    assert_shown(&run, "COMPLETE");
}

/// A stream cut after each first event backs off and, after `--retries`
/// failures in a row, leaves the task to polling: it is not opened again
/// and again.
#[test]
fn a_stream_cut_after_each_event_backs_off_then_gives_way_to_polling() {
    let started = std::time::Instant::now();
    let server = Server::http(move |r| match r.path() {
        WORKSPACE => workspace(),
        "/api/v1/task/ws-1/t1/subscribe" => Reply::events(vec![after(0, event("RUNNING"))], false),
        _ if started.elapsed() < Duration::from_millis(1500) => Reply::json(task_json("RUNNING")),
        _ => Reply::json(task_json("COMPLETE")),
    });
    let run = Beam::new(&server.url())
        .args(["wait", "t1", "--json", "--retries", "4"])
        .run()
        .code(0);
    assert_heard(&run, "t1", &["RUNNING", "COMPLETE"]);
    assert_shown(&run, "COMPLETE");
    let opened = count(&server, &stream_of("t1"));
    assert!(opened <= 5, "opened {opened} times");
}

#[test]
fn a_stream_refused_with_retry_after_is_not_opened_sooner() {
    let started = std::time::Instant::now();
    let server = Server::http(move |r| match r.path() {
        WORKSPACE => workspace(),
        // 300 ms on the test's clock; the stream's own backoff would open it
        // again after 5, 10, 20, 40, 80 and 160 ms.
        "/api/v1/task/ws-1/t1/subscribe" => Reply::status(429).header("retry-after", "30").close(),
        _ if started.elapsed() < Duration::from_millis(450) => Reply::json(task_json("RUNNING")),
        _ => Reply::json(task_json("COMPLETE")),
    });
    let run = Beam::new(&server.url())
        .args(["wait", "t1", "--json"])
        .run()
        .code(0);
    assert_heard(&run, "t1", &["RUNNING", "COMPLETE"]);
    assert_shown(&run, "COMPLETE");
    let opened = count(&server, &stream_of("t1"));
    assert!(opened <= 3, "opened {opened} times");
}

/// What is shown at the end is the task API's object, as `status` shows
/// it, even for a task last heard of on its stream.
#[test]
fn the_output_is_the_task_api_s_object_not_the_stream_s() {
    let tagged = |status: &str, from: &str| {
        let mut task: serde_json::Value = serde_json::from_str(&task_json(status)).unwrap();
        task["from"] = from.into();
        task.to_string()
    };
    let server = Server::http(move |r| match r.path() {
        WORKSPACE => workspace(),
        "/api/v1/task/ws-1/slow/subscribe" => Reply::events(
            vec![after(
                0,
                format!("data: {}\n\n", tagged("RUNNING", "stream")),
            )],
            true,
        ),
        "/api/v1/task/ws-1/bad/subscribe" => Reply::events(vec![after(300, event("ERROR"))], false),
        "/v2/task/bad/" => read(r, 1, "RUNNING", "ERROR"),
        _ => Reply::json(tagged("PENDING", "api")),
    });
    let run = Beam::new(&server.url())
        .args(["wait", "slow", "bad", "--fail-fast", "--json"])
        .run()
        .code(10);
    assert_eq!(run.json()[0]["from"], "api", "{}", run.stdout);
    assert_heard(&run, "bad", &["RUNNING", "ERROR"]);
}

/// A wait against another task API (a self-hosted beta9) does not send
/// the token to Beam's workspace API unless `--app-url` names one.
#[test]
fn another_api_url_without_an_app_url_never_listens() {
    let server = Server::http(|r| read(r, 1, "RUNNING", "COMPLETE"));
    let run = Beam::new(&server.url())
        .env_remove("BEAM_APP_URL")
        .args(["wait", "t1", "-q", "-v"])
        .run()
        .code(0);
    assert!(
        run.stderr
            .contains("no subscribe streams: --api-url is not Beam's"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("app.beam.cloud"), "{}", run.stderr);
}

/// At most 64 streams at once: the 65th task is polled.
#[test]
fn the_65th_task_is_polled_not_streamed() {
    let ids: Vec<String> = (1..=65).map(|n| format!("t{n}")).collect();
    let server = Server::http(|r| match r.path() {
        WORKSPACE => workspace(),
        path if path.ends_with("/subscribe") => {
            Reply::events(vec![after(0, event("COMPLETE"))], false)
        }
        _ => read(r, 1, "RUNNING", "COMPLETE"),
    });
    Beam::new(&server.url())
        .args(["wait", "-q", "-j", "8", "-"])
        .stdin(&ids.join(" "))
        .run()
        .code(0);
    let streamed: std::collections::HashSet<String> = server
        .requests()
        .iter()
        .filter(|r| r.path().ends_with("/subscribe"))
        .map(|r| r.path().to_string())
        .collect();
    assert_eq!(streamed.len(), 64);
    assert!(!streamed.contains(&stream_of("t65")));
    assert!(
        count(&server, "/v2/task/t65/") >= 2,
        "t65 is polled to the end"
    );
}
