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

/// `beam-task ARGS` in a terminal `columns` wide, colors off; the lines it
/// wrote.
fn lines_at(server: &mockito::ServerGuard, columns: usize, args: &str) -> Vec<String> {
    let script =
        format!("script -qec 'stty cols {columns}; beam-task --color never {args}' /dev/null");
    let run = Beam::shell(&server.url(), "sh", &script).run();
    run.stdout
        .lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect()
}

const IDS: [&str; 2] = [
    "07ce4078-bccc-4a42-b530-5f2653484a6a",
    "5d1e0b7e-2c55-4a3e-9a51-0c4b9e0a7f13",
];

fn two_tasks() -> mockito::ServerGuard {
    let mut server = mockito::Server::new();
    mock_task(&mut server, IDS[0], 200, &task_json("COMPLETE"));
    mock_task(&mut server, IDS[1], 200, &task_json("FAILED"));
    server
}

/// From 60 columns up no line is wider than the terminal: whole columns
/// are left out, never cut to "…", and IDs stay whole.
#[test]
fn the_table_never_wraps_and_leaves_out_whole_columns() {
    let server = two_tasks();
    let ids = IDS.join(" ");
    for (columns, header) in [
        // The fixture's tasks are years old: CREATED ("859 days ago") is
        // too wide here, DURATION, after it, is not.
        (60, "ID STATUS DURATION"),
        (80, "ID STATUS CREATED DURATION"),
        (120, "ID STATUS STUB CREATED DURATION"),
        (200, "ID STATUS STUB CREATED DURATION CONTAINER"),
    ] {
        let lines = lines_at(&server, columns, &format!("status {ids}"));
        assert_eq!(
            lines.len(),
            3,
            "{columns}: one header, two rows: {lines:#?}"
        );
        assert_eq!(
            lines[0].split_whitespace().collect::<Vec<_>>().join(" "),
            header,
            "{columns}"
        );
        for line in &lines {
            assert!(line.chars().count() <= columns, "{columns}: {line:?}");
            assert!(!line.contains('…'), "{columns}: {line:?}");
        }
        assert!(lines[1].starts_with(&format!("{}  ✓ COMPLETE", IDS[0])));
        assert!(lines[2].starts_with(&format!("{}  ✗ FAILED", IDS[1])));
    }
}

/// Narrower than an ID and a status: each task is its ID, then its status.
#[test]
fn a_narrow_terminal_gets_the_ids_and_statuses_on_lines_of_their_own() {
    let server = two_tasks();
    let lines = lines_at(&server, 40, &format!("status {}", IDS.join(" ")));
    assert_eq!(lines, [IDS[0], "  ✓ COMPLETE", IDS[1], "  ✗ FAILED"]);
}

/// The card fits too: from 60 columns up no line passes the width.
#[test]
fn the_card_never_wraps() {
    let server = two_tasks();
    for columns in [60, 80, 120, 200] {
        let lines = lines_at(&server, columns, &format!("status {}", IDS[0]));
        assert_eq!(lines[0], IDS[0]);
        assert!(
            lines.iter().any(|l| l == "Status     ✓ COMPLETE"),
            "{lines:#?}"
        );
        for line in &lines {
            assert!(line.chars().count() <= columns, "{columns}: {line:?}");
        }
    }
    let lines = lines_at(&server, 60, &format!("status {}", IDS[0]));
    let container = lines.iter().position(|l| l == "Container").unwrap();
    assert_eq!(
        lines[container + 1],
        "  endpoint-d327e987-759d-493e-b3e4-005774bcf998-8b747792"
    );
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
pub fn running_then_complete() -> mockito::ServerGuard {
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
