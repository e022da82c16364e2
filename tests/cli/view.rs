//! What the table and the card show a person: text a server sent that
//! could fool the eye, and times that make sense whichever way they point.

use jiff::{SignedDuration, Timestamp};

use crate::support::{Beam, mock_task, task_json};

/// A task whose stub name hides a right-to-left override (it would show
/// `app:handler.exe` as `app:exe.reldnah`), created 3 hours ahead of this
/// machine's clock.
fn tricky_task() -> String {
    let ahead = Timestamp::now() + SignedDuration::from_secs(3 * 3600 + 60);
    let mut task: serde_json::Value = serde_json::from_str(&task_json("RUNNING")).unwrap();
    task["stub"]["name"] = "app:\u{202e}exe.reldnah\u{202c}".into();
    task["created_at"] = ahead.to_string().into();
    task["ended_at"] = serde_json::Value::Null;
    task.to_string()
}

#[test]
fn bidirectional_controls_and_future_times_in_the_card() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "t1", 200, &tricky_task());
    let run = Beam::new(&server.url())
        .args(["status", "t1"])
        .run()
        .code(8);
    assert!(!run.stdout.contains('\u{202e}'), "{:?}", run.stdout);
    assert!(
        run.stdout.contains("app:\u{fffd}exe.reldnah\u{fffd}"),
        "{}",
        run.stdout
    );
    let created = run
        .stdout
        .lines()
        .find(|l| l.starts_with("Created"))
        .unwrap();
    assert!(created.ends_with("(in 3 h)"), "{created}");
}

#[test]
fn bidirectional_controls_and_future_times_in_the_table() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "t1", 200, &tricky_task());
    mock_task(&mut server, "t2", 200, &task_json("COMPLETE"));
    let run = Beam::new(&server.url())
        .args(["status", "t1", "t2"])
        .run()
        .code(8);
    assert!(!run.stdout.contains('\u{202e}'), "{:?}", run.stdout);
    let row = run.stdout.lines().find(|l| l.starts_with("t1 ")).unwrap();
    assert!(row.contains("app:\u{fffd}exe.reldnah\u{fffd}"), "{row}");
    assert!(row.contains("in 3 h"), "{row}");
}

/// `beam-task ARGS` in a terminal (script(1)) whose `TERM` is dumb;
/// everything it wrote.
#[cfg(target_os = "linux")]
fn in_a_dumb_terminal(server: &mockito::ServerGuard, args: &str) -> String {
    let script = format!("script -qec 'stty cols 120; TERM=dumb beam-task {args}' /dev/null");
    Beam::shell(&server.url(), "sh", &script).run().stdout
}

/// `TERM=dumb` takes no escape sequence: the wait prints one plain line
/// per status change, and the result without colors.
#[cfg(target_os = "linux")]
#[test]
fn a_dumb_terminal_gets_plain_lines_and_no_escape_at_all() {
    let server = crate::terminal::running_then_complete();
    let out = in_a_dumb_terminal(&server, "wait t1");
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(out.contains(" t1 RUNNING\r\n"), "{out:?}");
    assert!(out.contains(" t1 RUNNING -> COMPLETE\r\n"), "{out:?}");
    assert!(out.contains("Status     ✓ COMPLETE"), "{out:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_dumb_terminal_gets_no_colors_unless_asked() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "t1", 200, &task_json("FAILED"));
    mock_task(&mut server, "gone", 404, "");
    let plain = in_a_dumb_terminal(&server, "status t1 gone");
    assert!(plain.contains("✗ FAILED"), "{plain:?}");
    assert!(plain.contains("error: task gone not found"), "{plain:?}");
    assert!(!plain.contains('\u{1b}'), "{plain:?}");
    let forced = in_a_dumb_terminal(&server, "--color always status t1");
    assert!(forced.contains('\u{1b}'), "{forced:?}");
}
