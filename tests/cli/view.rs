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
