//! What a person sees in a terminal: runs under `script(1)`, which gives
//! the command a pseudo-terminal for stdout and stderr (Linux only).
#![cfg(target_os = "linux")]

use std::time::Duration;

use crate::support::{Beam, Reply, Run, Server, mock_task, task_json};

const ESC: char = '\u{1b}';

/// `beam-task ARGS` with a terminal for stdout and stderr; everything it
/// wrote comes back on stdout.
fn in_terminal(beam: impl FnOnce(&str) -> Beam, args: &str) -> Run {
    beam(&format!(
        "script -qec 'stty cols 120; beam-task {args}' /dev/null"
    ))
    .run()
}

#[test]
fn a_terminal_gets_color_by_default() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "t1", 200, &task_json("FAILED"));
    let run = in_terminal(|s| Beam::shell(&server.url(), "sh", s), "status t1");
    assert!(run.stdout.contains("✗ FAILED"), "{}", run.stdout);
    assert!(run.stdout.contains(ESC), "{:?}", run.stdout);
}

/// On a narrow terminal the table is cut to its width: rows are cut short
/// ("…"), never wrapped, and IDs stay whole.
#[test]
fn the_table_follows_the_terminal_width() {
    let mut server = mockito::Server::new();
    for id in ["task-aaaa-1111", "task-bbbb-2222"] {
        mock_task(&mut server, id, 200, &task_json("RUNNING"));
    }
    let script = "script -qec 'stty cols 60; beam-task status --color never task-aaaa-1111 task-bbbb-2222' /dev/null";
    let run = Beam::shell(&server.url(), "sh", script).run();
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .collect();
    assert_eq!(
        lines.len(),
        3,
        "one header and two rows, none wrapped: {}",
        run.stdout
    );
    for line in &lines {
        assert!(
            line.chars().count() <= 60,
            "{} columns: {line:?}",
            line.chars().count()
        );
    }
    assert!(lines[1].starts_with("task-aaaa-1111 "), "{}", lines[1]);
    assert!(lines[1].contains('…'), "{}", lines[1]);
}

#[test]
fn no_color_turns_color_off_on_a_terminal() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "t1", 200, &task_json("FAILED"));
    mock_task(&mut server, "gone", 404, "");
    let run = in_terminal(
        |s| Beam::shell(&server.url(), "sh", s).env("NO_COLOR", "1"),
        "status t1 gone",
    );
    assert!(
        run.stdout.contains("error: task gone not found"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains(ESC), "{:?}", run.stdout);
}

#[test]
fn color_never_also_covers_error_lines() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "gone", 404, "");
    let colored = in_terminal(|s| Beam::shell(&server.url(), "sh", s), "status gone");
    assert!(
        colored.stdout.contains(ESC),
        "errors are colored on a terminal"
    );
    let plain = in_terminal(
        |s| Beam::shell(&server.url(), "sh", s),
        "--color never status gone",
    );
    assert!(
        plain.stdout.contains("error: task gone not found"),
        "{}",
        plain.stdout
    );
    assert!(!plain.stdout.contains(ESC), "{:?}", plain.stdout);
}

/// A server whose task is RUNNING twice, then COMPLETE.
fn running_then_complete() -> mockito::ServerGuard {
    let mut server = mockito::Server::new();
    server
        .mock("GET", "/v2/task/t1/")
        .with_body(task_json("RUNNING"))
        .expect(2)
        .create();
    mock_task(&mut server, "t1", 200, &task_json("COMPLETE"));
    server
}

#[test]
fn quiet_wait_on_a_terminal_prints_nothing_at_all() {
    let server = running_then_complete();
    let run = in_terminal(|s| Beam::shell(&server.url(), "sh", s), "wait t1 -q");
    assert_eq!(run.stdout, "", "no live lines, no result");
}

/// `--verbose` request lines would tear the live lines: plain lines instead.
#[test]
fn verbose_wait_on_a_terminal_uses_plain_lines() {
    let server = running_then_complete();
    let run = in_terminal(|s| Beam::shell(&server.url(), "sh", s), "wait t1 -v --json");
    assert!(
        !run.stdout.contains("\u{1b}[?25l"),
        "no live lines: {:?}",
        run.stdout
    );
    assert!(run.stdout.contains("> GET "), "{}", run.stdout);
    assert!(
        run.stdout.contains("t1 RUNNING -> COMPLETE"),
        "{}",
        run.stdout
    );
}

#[test]
fn wait_draws_live_lines_and_gives_the_cursor_back() {
    let server = running_then_complete();
    let run = in_terminal(|s| Beam::shell(&server.url(), "sh", s), "wait t1");
    assert!(
        run.stdout.contains("\u{1b}[?25l"),
        "the cursor is hidden: {:?}",
        run.stdout
    );
    let shown = run
        .stdout
        .rfind("\u{1b}[?25h")
        .expect("the cursor comes back");
    let hidden = run.stdout.rfind("\u{1b}[?25l").unwrap();
    assert!(shown > hidden, "{:?}", run.stdout);
    assert!(run.stdout.contains("✓ COMPLETE"), "{}", run.stdout);
}

/// `signal` while a live wait's request hangs: the live lines go and the
/// cursor comes back at once, whatever the request is doing; then the
/// process ends by that signal, which script(1) reports as 128 + its
/// number, as a shell does.
fn signal_a_live_wait(signal: &str) -> Run {
    // Takes the request and never answers.
    let silent = Server::http(|_| Reply::silent());
    // `exec` keeps the shell's PID, written first, for beam-task (in the
    // temp HOME: a spawned command does not start there); the timeout only
    // bounds the run if the signal were lost.
    let started = Beam::shell(
        &silent.url(),
        "sh",
        "script -qec 'stty cols 120; echo $$ > \"$HOME/pid\"; \
         exec beam-task wait t1 --timeout 30s' /dev/null",
    );
    let pid_file = started.home().join("pid");
    let started = started.spawn();
    // The signal handlers and the live lines are in place before the first
    // request.
    silent.wait_for_requests(1, Duration::from_secs(30));
    let pid = std::fs::read_to_string(&pid_file).expect("the PID was written");
    crate::support::kill(signal, pid.trim());
    let run = started.finish();
    let hidden = run
        .stdout
        .rfind("\u{1b}[?25l")
        .expect("the cursor was hidden");
    let shown = run.stdout.rfind("\u{1b}[?25h");
    assert!(
        shown.is_some_and(|shown| shown > hidden),
        "the cursor stays hidden: {:?}",
        run.stdout
    );
    run
}

#[test]
fn ctrl_c_during_a_live_wait_exits_130_and_gives_the_cursor_back() {
    signal_a_live_wait("INT").code(130);
}

#[test]
fn sigterm_during_a_live_wait_gives_the_cursor_back_and_ends_by_sigterm() {
    signal_a_live_wait("TERM").code(143);
}

#[test]
fn sighup_during_a_live_wait_gives_the_cursor_back_and_ends_by_sighup() {
    signal_a_live_wait("HUP").code(129);
}
