//! `beam-task wait` against local mocks whose answer changes from call to
//! call. The helper sets BEAM_TASK_TIME_SCALE=0.01, so that the tool's
//! clock runs 100 times faster: the schedule, `--interval`, `--timeout`,
//! `--request-timeout` and `Retry-After` alike. Tests that count polls
//! within a span, or bound how late a wait ends, run at [`SCALE`].

use std::time::{Duration, Instant};

use crate::support::{Beam, Reply, Server, task_json};
use mockito::{Mock, ServerGuard};

/// The clock scale of the tests that measure: a second of the tool's time
/// takes 100 ms, well above what a request costs on loopback.
const SCALE: f64 = 0.1;

/// The real time that `duration` of the tool's time takes at [`SCALE`].
fn real(duration: Duration) -> Duration {
    duration.mul_f64(SCALE)
}

/// The latest a wait with `--timeout deadline` may end: the deadline, the
/// 1 s the last answers are waited for, and the process's own start.
fn latest_end(deadline: Duration) -> Duration {
    real(deadline + Duration::from_secs(1)) + Duration::from_millis(400)
}

/// A command at [`SCALE`].
fn measured(url: &str) -> Beam {
    Beam::new(url).env("BEAM_TASK_TIME_SCALE", SCALE.to_string())
}

/// The next `times` answers for task `id` (mockito answers with the first
/// mock, in creation order, that has not had all its calls; once every mock
/// has, with the last one). `assert()` then checks that there were exactly
/// `times` calls.
fn answer(server: &mut ServerGuard, id: &str, status: usize, body: &str, times: usize) -> Mock {
    server
        .mock("GET", format!("/v2/task/{id}/").as_str())
        .with_status(status)
        .with_header("content-type", "application/json")
        .with_body(body)
        .expect(times)
        .create()
}

fn answer_status(server: &mut ServerGuard, id: &str, status: &str, times: usize) -> Mock {
    answer(server, id, 200, &task_json(status), times)
}

fn unavailable(server: &mut ServerGuard, id: &str, times: usize) -> Mock {
    answer(server, id, 503, r#"{"message":"try again later"}"#, times)
}

/// A server that answers every task RUNNING, each request after the pause
/// that `pause(id, n)` gives for the `n`-th request (from 0) for task `id`:
/// it can hold one task's answers back for seconds while it answers the
/// others at once.
fn pausing_server(pause: impl Fn(&str, usize) -> Duration + Send + Sync + 'static) -> Server {
    Server::http(move |request| {
        let id = task_id(&request.target);
        Reply::json(task_json("RUNNING"))
            .close()
            .after(pause(id, request.target_index))
    })
}

/// The task of a request target, `/v2/task/{id}/`.
fn task_id(target: &str) -> &str {
    target.split('/').nth(3).unwrap_or_default()
}

/// The requests for task `id` so far, answered or not.
fn requests_for(server: &Server, id: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|request| task_id(&request.target) == id)
        .count()
}

#[test]
fn pending_running_complete_exits_0_after_three_requests() {
    let mut server = mockito::Server::new();
    let mocks = [
        answer_status(&mut server, "abc", "PENDING", 1),
        answer_status(&mut server, "abc", "RUNNING", 1),
        answer_status(&mut server, "abc", "COMPLETE", 1),
    ];
    let run = Beam::new(&server.url()).args(["wait", "abc"]).run().code(0);
    for mock in &mocks {
        mock.assert();
    }
    assert!(run.stdout.contains("✓ COMPLETE"), "{}", run.stdout);
}

#[test]
fn running_then_failed_exits_10() {
    let mut server = mockito::Server::new();
    let running = answer_status(&mut server, "abc", "RUNNING", 2);
    let failed = answer_status(&mut server, "abc", "FAILED", 1);
    let run = Beam::new(&server.url())
        .args(["wait", "abc"])
        .run()
        .code(10);
    running.assert();
    failed.assert();
    assert!(run.stdout.contains("✗ FAILED"), "{}", run.stdout);
}

#[test]
fn status_wait_is_the_same_as_wait() {
    let mut server = mockito::Server::new();
    let running = answer_status(&mut server, "abc", "RUNNING", 1);
    let error = answer_status(&mut server, "abc", "ERROR", 1);
    let run = Beam::new(&server.url())
        .args(["status", "--wait", "abc", "--json"])
        .run()
        .code(10);
    running.assert();
    error.assert();
    assert_eq!(run.json()["status"], "ERROR");
}

#[test]
fn wait_options_on_status_without_wait_are_a_usage_error() {
    let server = mockito::Server::new();
    let run = Beam::new(&server.url())
        .args(["status", "abc", "--timeout", "5s"])
        .run()
        .code(2);
    assert!(run.stderr.contains("--wait"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

/// `--retries` means for a wait what it means for `status`: further tries
/// after a transient failure, here per task and in a row.
#[test]
fn wait_takes_retries_as_status_does() {
    for args in [
        ["wait", "abc", "--retries", "1"],
        ["status", "abc", "--wait", "--retries=1"],
    ] {
        let mut server = mockito::Server::new();
        let failing = unavailable(&mut server, "abc", 2);
        let _never = answer_status(&mut server, "abc", "COMPLETE", 0);
        let run = Beam::new(&server.url()).args(args).run().code(69);
        failing.assert();
        assert!(run.stderr.contains("2 failed tries"), "{}", run.stderr);
    }
}

#[test]
fn task_that_never_finishes_exits_124_at_the_timeout() {
    let mut server = mockito::Server::new();
    let running = server
        .mock("GET", "/v2/task/abc/")
        .with_body(task_json("RUNNING"))
        .expect_at_least(2)
        .create();
    let started = Instant::now();
    let run = measured(&server.url())
        .args(["wait", "abc", "--timeout", "2s", "--json"])
        .run()
        .code(124);
    let elapsed = started.elapsed();
    assert!(elapsed >= real(Duration::from_secs(2)), "{elapsed:?}");
    assert!(elapsed <= latest_end(Duration::from_secs(2)), "{elapsed:?}");
    running.assert();
    assert_eq!(run.json()["status"], "RUNNING");
}

/// A server that takes the connection and never answers: the request's own
/// timeout (an hour here) is not waited for, the wait ends soon after its
/// deadline (a wait that did not would outlast the harness's minute).
#[test]
fn silent_server_cannot_hold_the_wait_past_its_deadline() {
    let silent = Server::http(|_| Reply::silent());
    let started = Instant::now();
    let run = measured(&silent.url())
        .args(["wait", "abc", "--timeout", "1s", "--request-timeout", "1h"])
        .run()
        .code(69);
    let elapsed = started.elapsed();
    assert!(elapsed >= real(Duration::from_secs(1)), "{elapsed:?}");
    assert!(elapsed <= latest_end(Duration::from_secs(1)), "{elapsed:?}");
    assert!(
        run.stderr.contains("did not answer before the --timeout"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
    assert!(!silent.requests().is_empty(), "the request was made");
}

/// A server that answers once, then not for a minute: the task is shown as
/// last seen, and the wait ends soon after its deadline (one that did not
/// would outlast the harness's minute).
#[test]
fn a_server_gone_silent_leaves_the_task_as_last_seen_at_the_deadline() {
    let server = pausing_server(|_, n| {
        if n == 0 {
            Duration::ZERO
        } else {
            Duration::from_secs(60)
        }
    });
    let started = Instant::now();
    let run = measured(&server.url())
        .args(["wait", "abc", "--timeout", "1s", "--json"])
        .args(["--request-timeout", "1h"])
        .run()
        .code(124);
    let elapsed = started.elapsed();
    assert!(elapsed >= real(Duration::from_secs(1)), "{elapsed:?}");
    assert!(elapsed <= latest_end(Duration::from_secs(1)), "{elapsed:?}");
    assert_eq!(run.json()["status"], "RUNNING");
    assert!(requests_for(&server, "abc") >= 2);
}

/// Each task has its own schedule: while one answer takes 2 s, the other
/// task is asked every 200 ms. Polled in rounds, it would have been asked
/// at most 3 times (at 0 s, 2.2 s and at the deadline).
#[test]
fn a_slow_answer_does_not_hold_back_other_tasks() {
    let server = pausing_server(|id, _| {
        if id == "slow" {
            real(Duration::from_secs(2))
        } else {
            Duration::ZERO
        }
    });
    let run = measured(&server.url())
        .args([
            "wait",
            "slow",
            "fast",
            "--interval",
            "200ms",
            "--timeout",
            "3s",
            "--json",
        ])
        .run()
        .code(124);
    let (slow, fast) = (requests_for(&server, "slow"), requests_for(&server, "fast"));
    assert!(fast >= 6, "fast asked {fast} times, slow {slow} times");
    assert!(
        fast > 2 * slow,
        "fast asked {fast} times, slow {slow} times"
    );
    assert_eq!(run.json()[0]["status"], "RUNNING");
    assert_eq!(run.json()[1]["status"], "RUNNING");
}

/// With a 10-minute interval, only the deadline can end the sleep: the run
/// ends, after exactly one more request made at the deadline.
#[test]
fn sleep_stops_at_the_deadline_for_a_last_check() {
    let mut server = mockito::Server::new();
    let running = answer_status(&mut server, "abc", "RUNNING", 2);
    let started = Instant::now();
    measured(&server.url())
        .args(["wait", "abc", "--interval", "10m", "--timeout", "2s"])
        .run()
        .code(124);
    let elapsed = started.elapsed();
    assert!(elapsed >= real(Duration::from_secs(2)), "{elapsed:?}");
    assert!(elapsed <= latest_end(Duration::from_secs(2)), "{elapsed:?}");
    running.assert();
}

#[test]
fn a_task_finished_at_the_last_check_is_not_a_timeout() {
    let mut server = mockito::Server::new();
    let running = answer_status(&mut server, "abc", "RUNNING", 1);
    let complete = answer_status(&mut server, "abc", "COMPLETE", 1);
    Beam::new(&server.url())
        .args(["wait", "abc", "--interval", "10m", "--timeout", "1s"])
        .run()
        .code(0);
    running.assert();
    complete.assert();
}

#[test]
fn exit_zero_turns_the_timeout_into_0() {
    let mut server = mockito::Server::new();
    let _running = answer_status(&mut server, "abc", "RUNNING", 2);
    Beam::new(&server.url())
        .args([
            "wait",
            "abc",
            "--interval",
            "10m",
            "--timeout",
            "1s",
            "--exit-zero",
        ])
        .run()
        .code(0);
}

#[test]
fn fail_fast_stops_when_one_task_fails_and_shows_the_other_as_last_seen() {
    let mut server = mockito::Server::new();
    let bad_running = answer_status(&mut server, "bad", "RUNNING", 1);
    let bad_failed = answer_status(&mut server, "bad", "FAILED", 1);
    // Never finishes: without --fail-fast the run would not end.
    let _slow = server
        .mock("GET", "/v2/task/slow/")
        .with_body(task_json("RUNNING"))
        .expect_at_least(1)
        .create();
    let run = Beam::new(&server.url())
        .args(["wait", "bad", "slow", "--fail-fast", "--json"])
        .run()
        .code(10);
    bad_running.assert();
    bad_failed.assert();
    let tasks = run.json();
    assert_eq!(tasks[0]["status"], "FAILED");
    assert_eq!(tasks[1]["status"], "RUNNING");
}

#[test]
fn without_fail_fast_the_wait_goes_on_after_a_failure() {
    let mut server = mockito::Server::new();
    let _bad = answer_status(&mut server, "bad", "FAILED", 1);
    let slow_running = answer_status(&mut server, "slow", "RUNNING", 3);
    let slow_complete = answer_status(&mut server, "slow", "COMPLETE", 1);
    let run = Beam::new(&server.url())
        .args(["wait", "bad", "slow", "--json"])
        .run()
        .code(10);
    slow_running.assert();
    slow_complete.assert();
    assert_eq!(run.json()[1]["status"], "COMPLETE");
}

#[test]
fn finished_tasks_are_not_asked_again() {
    let mut server = mockito::Server::new();
    let done = answer_status(&mut server, "done", "COMPLETE", 1);
    let _slow_running = answer_status(&mut server, "slow", "RUNNING", 4);
    let _slow_complete = answer_status(&mut server, "slow", "COMPLETE", 1);
    Beam::new(&server.url())
        .args(["wait", "done", "slow"])
        .run()
        .code(0);
    done.assert();
}

#[test]
fn two_transient_503s_then_complete_exits_0() {
    let mut server = mockito::Server::new();
    let failing = unavailable(&mut server, "abc", 2);
    let complete = answer_status(&mut server, "abc", "COMPLETE", 1);
    let run = Beam::new(&server.url()).args(["wait", "abc"]).run().code(0);
    failing.assert();
    complete.assert();
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
}

/// Issue 3: 5xx answers do not end a wait, whatever their number (a
/// proxy's 520, a 501); only `status --retries` keeps to 500/502/503/504.
#[test]
fn other_5xx_answers_do_not_end_a_wait() {
    let mut server = mockito::Server::new();
    let odd = answer(&mut server, "abc", 520, "<html>origin error</html>", 1);
    let unimplemented = answer(&mut server, "abc", 501, "", 1);
    let complete = answer_status(&mut server, "abc", "COMPLETE", 1);
    Beam::new(&server.url()).args(["wait", "abc"]).run().code(0);
    odd.assert();
    unimplemented.assert();
    complete.assert();
}

#[test]
fn retries_plus_one_503s_in_a_row_exit_69_naming_the_last() {
    let mut server = mockito::Server::new();
    let running = answer_status(&mut server, "abc", "RUNNING", 1);
    let failing = unavailable(&mut server, "abc", 3);
    let _fourth = unavailable(&mut server, "abc", 1);
    let run = Beam::new(&server.url())
        .args(["wait", "abc", "--retries", "2"])
        .run()
        .code(69);
    running.assert();
    failing.assert();
    assert!(run.stderr.contains("error: task abc:"), "{}", run.stderr);
    assert!(run.stderr.contains("HTTP 503"), "{}", run.stderr);
    assert!(run.stderr.contains("3 failed tries"), "{}", run.stderr);
}

/// An outage of `minutes` (on the test's clock, 100 times faster than the
/// real one) from the first request on, as `during` answers; the task is
/// COMPLETE after it.
fn outage(minutes: f64, during: impl Fn() -> Reply + Send + Sync + 'static) -> Server {
    let ends = Duration::from_secs_f64(minutes * 60.0 * 0.01);
    let started = std::sync::OnceLock::new();
    Server::http(move |_| {
        let started = started.get_or_init(Instant::now);
        if started.elapsed() < ends {
            during()
        } else {
            Reply::json(task_json("COMPLETE")).close()
        }
    })
}

#[test]
fn a_wait_rides_out_a_two_minute_outage_of_503s() {
    let server = outage(2.0, || Reply::status(503).close());
    Beam::new(&server.url()).args(["wait", "abc"]).run().code(0);
    assert!(server.requests().len() > 2);
}

#[test]
fn a_wait_rides_out_two_minutes_of_refused_connections() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let started = Beam::new(&format!("http://127.0.0.1:{port}"))
        .args(["wait", "abc"])
        .spawn();
    // Two minutes on the test's clock.
    std::thread::sleep(Duration::from_millis(1200));
    let server = Server::http_at(port, |_| Reply::json(task_json("COMPLETE")).close());
    started.finish().code(0);
    assert_eq!(server.requests().len(), 1);
}

/// Were the wait still trying after ten minutes, the task would be
/// COMPLETE (0): 69 says that it gave up before.
#[test]
fn a_wait_gives_up_on_a_ten_minute_outage_with_69() {
    let server = outage(10.0, || Reply::status(503).close());
    let run = Beam::new(&server.url())
        .args(["wait", "abc"])
        .run()
        .code(69);
    assert!(
        run.stderr.contains("HTTP 503") && run.stderr.contains("11 failed tries"),
        "{}",
        run.stderr
    );
}

/// A `Retry-After` beyond the deadline is not waited for: the wait ends
/// at its deadline, without a try after it.
#[test]
fn failures_never_make_a_wait_sleep_past_its_timeout() {
    let server = Server::http(|_| Reply::status(503).header("retry-after", "50").close());
    Beam::new(&server.url())
        .args(["wait", "abc", "--timeout", "1s"])
        .run()
        .code(69);
    let polls = server
        .requests()
        .iter()
        .filter(|r| r.path().starts_with("/v2/task/"))
        .count();
    assert_eq!(polls, 1);
}

#[test]
fn retry_after_is_honoured_even_with_a_fast_schedule() {
    let mut server = mockito::Server::new();
    let limited = server
        .mock("GET", "/v2/task/abc/")
        .with_status(429)
        .with_header("retry-after", "2")
        .expect(1)
        .create();
    let complete = answer_status(&mut server, "abc", "COMPLETE", 1);
    let started = Instant::now();
    measured(&server.url()).args(["wait", "abc"]).run().code(0);
    let elapsed = started.elapsed();
    assert!(elapsed >= real(Duration::from_secs(2)), "{elapsed:?}");
    limited.assert();
    complete.assert();
}

#[test]
fn retry_after_beyond_a_minute_ends_the_wait_with_69() {
    let mut server = mockito::Server::new();
    let limited = server
        .mock("GET", "/v2/task/abc/")
        .with_status(503)
        .with_header("retry-after", "3600")
        .expect(1)
        .create();
    let run = Beam::new(&server.url())
        .args(["wait", "abc"])
        .run()
        .code(69);
    limited.assert();
    assert!(run.stderr.contains("3600 s"), "{}", run.stderr);
}

#[test]
fn not_found_mid_wait_exits_66() {
    let mut server = mockito::Server::new();
    let running = answer_status(&mut server, "abc", "RUNNING", 1);
    let gone = answer(&mut server, "abc", 404, r#"{"message":""}"#, 1);
    let run = Beam::new(&server.url())
        .args(["wait", "abc"])
        .run()
        .code(66);
    running.assert();
    gone.assert();
    assert!(run.stderr.contains("task abc not found"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn token_refused_mid_wait_exits_77() {
    let mut server = mockito::Server::new();
    let _running = answer_status(&mut server, "abc", "RUNNING", 1);
    let refused = answer(&mut server, "abc", 401, r#"{"message":"Unauthorized"}"#, 1);
    Beam::new(&server.url())
        .args(["wait", "abc"])
        .run()
        .code(77);
    refused.assert();
}

#[test]
fn unknown_status_counts_as_finished_and_exits_14() {
    let mut server = mockito::Server::new();
    let _running = answer_status(&mut server, "abc", "RUNNING", 1);
    let paused = answer_status(&mut server, "abc", "PAUSED", 1);
    Beam::new(&server.url())
        .args(["wait", "abc"])
        .run()
        .code(14);
    paused.assert();
}

#[test]
fn interval_is_respected() {
    let mut server = mockito::Server::new();
    let running = answer_status(&mut server, "abc", "RUNNING", 2);
    let complete = answer_status(&mut server, "abc", "COMPLETE", 1);
    let started = Instant::now();
    measured(&server.url())
        .args(["wait", "abc", "--interval", "1s"])
        .run()
        .code(0);
    // Three polls, two gaps of 1 s, not the adaptive schedule's first gaps.
    let elapsed = started.elapsed();
    assert!(elapsed >= real(Duration::from_secs(2)), "{elapsed:?}");
    running.assert();
    complete.assert();
}

#[test]
fn stderr_without_a_terminal_has_one_line_per_status_change() {
    let mut server = mockito::Server::new();
    let _pending = answer_status(&mut server, "abc", "PENDING", 2);
    let _running = answer_status(&mut server, "abc", "RUNNING", 3);
    let _complete = answer_status(&mut server, "abc", "COMPLETE", 1);
    let run = Beam::new(&server.url())
        .args(["wait", "abc", "--json"])
        .run()
        .code(0);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stderr);
    for (line, change) in lines.iter().zip([
        "abc PENDING",
        "abc PENDING -> RUNNING",
        "abc RUNNING -> COMPLETE",
    ]) {
        let (time, rest) = line.split_once(' ').unwrap();
        assert!(time.parse::<jiff::Timestamp>().is_ok(), "{line}");
        assert!(time.ends_with('Z'), "{line}");
        assert_eq!(rest, change);
    }
    // stdout has the final result only.
    assert_eq!(run.json()["status"], "COMPLETE");
}

/// A status is the server's text: an escape sequence or a newline in it
/// must neither drive the terminal nor forge a log line.
#[test]
fn a_hostile_status_cannot_forge_log_lines_or_drive_the_terminal() {
    let mut server = mockito::Server::new();
    let hostile = r"RUN\u001b[31mNING\n2099-01-01T00:00:00Z abc COMPLETE";
    let body = format!(r#"{{"id":"abc","status":"{hostile}"}}"#);
    let _hostile = answer(&mut server, "abc", 200, &body, 1);
    let run = Beam::new(&server.url())
        .args(["wait", "abc"])
        .run()
        .code(14);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    assert!(!run.stdout.contains('\u{1b}'), "{:?}", run.stdout);
    assert!(
        run.stderr.contains("RUN\u{fffd}[31mNING\u{fffd}2099"),
        "{}",
        run.stderr
    );
}

#[test]
fn quiet_prints_nothing_while_waiting_or_after() {
    let mut server = mockito::Server::new();
    let _running = answer_status(&mut server, "abc", "RUNNING", 1);
    let _complete = answer_status(&mut server, "abc", "COMPLETE", 1);
    let run = Beam::new(&server.url())
        .args(["wait", "abc", "--quiet"])
        .run()
        .code(0);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn ids_from_stdin_are_waited_for_in_order() {
    let mut server = mockito::Server::new();
    let _a = answer_status(&mut server, "a", "COMPLETE", 1);
    let _b_running = answer_status(&mut server, "b", "RUNNING", 1);
    let _b_complete = answer_status(&mut server, "b", "CANCELLED", 1);
    let run = Beam::new(&server.url())
        .args(["wait", "-", "--json"])
        .stdin("b a")
        .run()
        .code(11);
    let tasks = run.json();
    assert_eq!(tasks[0]["status"], "CANCELLED");
    assert_eq!(tasks[1]["status"], "COMPLETE");
}

/// The process ends by SIGINT itself, which a shell reads as 130 (see
/// `signals.rs` for the shell's side).
#[cfg(unix)]
#[test]
fn ctrl_c_ends_a_wait_by_sigint_and_prints_nothing_on_stdout() {
    let mut server = mockito::Server::new();
    let running = server
        .mock("GET", "/v2/task/abc/")
        .with_body(task_json("RUNNING"))
        .expect_at_least(1)
        .create();
    // The timeout only bounds the run if the interrupt were lost.
    let started = Beam::new(&server.url())
        .args(["wait", "abc", "--timeout", "30s"])
        .spawn();
    // The Ctrl-C handler is in place before the first request.
    let asked_since = Instant::now();
    while !running.matched() {
        assert!(
            asked_since.elapsed() < Duration::from_secs(30),
            "never asked"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    started.interrupt();
    let run = started.finish();
    assert_eq!(run.signal, Some(2), "{run:#?}");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

// A wait that stops early says why, with the real cause's code.

/// `bad` answers FAILED at once; `gone…` is not found; any other task
/// RUNNING after 3 s.
fn early_stop_server() -> Server {
    Server::http(|request| match task_id(&request.target) {
        "bad" => Reply::json(task_json("FAILED")).close(),
        id if id.starts_with("gone") => Reply::status(404)
            .header("content-type", "application/json")
            .body(r#"{"message":""}"#)
            .close(),
        _ => Reply::json(task_json("RUNNING"))
            .after(Duration::from_secs(3))
            .close(),
    })
}

#[test]
fn a_wait_stopped_by_fail_fast_exits_with_the_failed_status_not_69() {
    for jobs in ["8", "1"] {
        let server = early_stop_server();
        let run = Beam::new(&server.url())
            .args(["wait", "bad", "slow", "--fail-fast", "--json", "-j", jobs])
            .run()
            .code(10);
        let tasks = run.json();
        assert_eq!(tasks.as_array().map(Vec::len), Some(1), "-j {jobs}");
        assert_eq!(tasks[0]["status"], "FAILED");
        assert!(
            run.stderr.contains("task slow: not checked"),
            "-j {jobs}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("error:"), "-j {jobs}: {}", run.stderr);
        assert!(
            !run.stderr.contains("--timeout"),
            "-j {jobs}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_wait_stopped_by_a_missing_task_exits_66_not_69() {
    let server = early_stop_server();
    let run = Beam::new(&server.url())
        .args(["wait", "slow", "gone"])
        .run()
        .code(66);
    assert!(run.stderr.contains("task gone not found"), "{}", run.stderr);
    assert!(
        run.stderr.contains("task slow: not checked"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("did not answer"), "{}", run.stderr);
}

#[test]
fn a_wait_where_every_task_is_missing_prints_an_empty_array_and_exits_66() {
    let server = early_stop_server();
    let run = Beam::new(&server.url())
        .args(["wait", "gone", "gone2", "--json"])
        .run();
    // Either task's 404 may come first: both are 66.
    let run = run.code(66);
    assert_eq!(run.stdout, "[]\n");
}

#[test]
fn quiet_leaves_out_the_not_checked_note() {
    let server = early_stop_server();
    let run = Beam::new(&server.url())
        .args(["wait", "bad", "slow", "--fail-fast", "-q"])
        .run()
        .code(10);
    assert_eq!(run.stderr, "");
}

#[test]
fn a_wait_that_times_out_says_so_in_one_stderr_line() {
    let mut server = mockito::Server::new();
    let _running = server
        .mock("GET", mockito::Matcher::Regex("^/v2/task/".into()))
        .with_body(task_json("RUNNING"))
        .create();
    let run = Beam::new(&server.url())
        .args(["wait", "a", "b", "--timeout", "1s", "--json"])
        .run()
        .code(124);
    let notes: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.contains("--timeout"))
        .collect();
    assert_eq!(
        notes,
        ["the --timeout (1.0s) passed with 2 of 2 tasks unfinished"],
        "{}",
        run.stderr
    );
    let quiet = Beam::new(&server.url())
        .args(["wait", "a", "--timeout", "1s", "-q"])
        .run()
        .code(124);
    assert_eq!(quiet.stderr, "");
}

#[test]
fn an_interval_below_100ms_is_a_usage_error() {
    let mut server = mockito::Server::new();
    let mock = answer_status(&mut server, "abc", "COMPLETE", 1);
    for interval in ["1ms", "99ms", "1ns"] {
        let run = Beam::new(&server.url())
            .args(["wait", "abc", "--interval", interval])
            .run()
            .code(2);
        assert!(run.stderr.contains("at least 100ms"), "{}", run.stderr);
    }
    Beam::new(&server.url())
        .args(["wait", "abc", "--interval", "100ms"])
        .run()
        .code(0);
    mock.assert();
}
