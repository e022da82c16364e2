//! The card and the table as a person sees them, pinned by snapshots
//! (`snapshots/`): a finished, a running and a failed task and one with
//! outputs, at 40, 80, 120 and 200 columns, without and with colors, at a
//! fixed time in a fixed time zone.
//!
//! After a change to the layout, `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test`) rewrites them; read the diff.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::RenderContext;
use super::table::{self, Layout, Row};
use crate::api::task::Task;

/// The moment every age and running time counts to.
const NOW: &str = "2026-11-28T18:42:41Z";
const WIDTHS: [usize; 4] = [40, 80, 120, 200];

/// The tasks, named, in the table's order.
fn tasks() -> Vec<(&'static str, &'static str, Task)> {
    let task = |json: serde_json::Value| Task::parse(json.to_string().into_bytes()).unwrap();
    let stub = serde_json::json!({
        "name": "endpoint/deployment/app:squared",
        "type": "endpoint/deployment",
    });
    let stats = serde_json::json!({"active_containers": 0, "queue_depth": 0});
    vec![
        (
            "outputs",
            "07ce4078-bccc-4a42-b530-5f2653484a6a",
            task(serde_json::json!({
                "id": "07ce4078-bccc-4a42-b530-5f2653484a6a",
                "status": "COMPLETE",
                "created_at": "2026-11-28T18:39:21Z",
                "started_at": "2026-11-28T18:39:25Z",
                "ended_at": "2026-11-28T18:42:21Z",
                "container_id": "endpoint-d327e987-759d-493e-b3e4-005774bcf998-8b747792",
                "stub": stub,
                "stats": stats,
                "outputs": [{
                    "name": "result.png",
                    "url": "https://files.beam.cloud/07ce4078/result.png?X-Amz-Signature=...",
                    "expires_in": 3600,
                }],
            })),
        ),
        (
            "running",
            "5d1e0b7e-2c55-4a3e-9a51-0c4b9e0a7f13",
            task(serde_json::json!({
                "id": "5d1e0b7e-2c55-4a3e-9a51-0c4b9e0a7f13",
                "status": "RUNNING",
                "created_at": "2026-11-28T18:41:17Z",
                "started_at": "2026-11-28T18:41:21Z",
                "ended_at": null,
                "container_id": "endpoint-d327e987-759d-493e-b3e4-005774bcf998-1c0ffee0",
                "stub": stub,
                "stats": {"active_containers": 2, "queue_depth": 1},
                "outputs": [],
            })),
        ),
        (
            "failed",
            "9f3b2a10-7c1d-4e2b-8f00-3a5e6b7c8d9e",
            task(serde_json::json!({
                "id": "9f3b2a10-7c1d-4e2b-8f00-3a5e6b7c8d9e",
                "status": "FAILED",
                "created_at": "2026-11-28T17:42:41Z",
                "started_at": "2026-11-28T17:42:45Z",
                "ended_at": "2026-11-28T17:45:55Z",
                "container_id": "endpoint-d327e987-759d-493e-b3e4-005774bcf998-0ddba11",
                "stub": stub,
                "stats": stats,
                "failure_reason": "the handler raised ModuleNotFoundError: No module named 'torch' (exit code 1)",
                "outputs": [],
            })),
        ),
        (
            "finished",
            "2b7f9c1e-8a4d-4e6b-b3f0-9d1c5e7a2f48",
            task(serde_json::json!({
                "id": "2b7f9c1e-8a4d-4e6b-b3f0-9d1c5e7a2f48",
                "status": "COMPLETE",
                "created_at": "2026-11-28T16:12:02Z",
                "started_at": "2026-11-28T16:12:03Z",
                "ended_at": "2026-11-28T16:12:09Z",
                "container_id": "endpoint-d327e987-759d-493e-b3e4-005774bcf998-5eed1e55",
                "stub": stub,
                "stats": stats,
                "outputs": [],
            })),
        ),
    ]
}

fn context(color: bool, width: Option<usize>) -> RenderContext {
    RenderContext {
        color,
        now: NOW.parse::<Timestamp>().unwrap(),
        zone: TimeZone::get("Europe/Paris").unwrap(),
        width,
    }
}

fn card(id: &str, task: &Task, color: bool, width: usize) -> String {
    table::render_card(id, task, &context(color, Some(width)))
}

fn table(tasks: &[(&str, &str, Task)], color: bool, width: usize) -> String {
    let now = context(color, None).now;
    let rows: Vec<Row> = tasks
        .iter()
        .map(|(_, id, task)| Row::new(id, task, now))
        .collect();
    Layout::fit(&rows, Some(width)).render(&rows, color, true)
}

/// The plain text, then the colored one with ESC shown as `␛`.
fn both(render: impl Fn(bool) -> String) -> String {
    let plain = render(false);
    let colored = render(true).replace('\u{1b}', "␛");
    format!("{plain}── with colors ──\n{colored}")
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn cards() {
    for (name, id, task) in tasks() {
        for width in WIDTHS {
            let text = both(|color| card(id, &task, color, width));
            snapshot(&format!("card_{name}_{width}"), &text);
        }
    }
}

#[test]
fn tables() {
    let tasks = tasks();
    for width in WIDTHS {
        snapshot(
            &format!("table_{width}"),
            &both(|color| table(&tasks, color, width)),
        );
    }
}

/// The README's examples are this output at 120 columns.
#[test]
fn the_readme_shows_the_card_and_the_table_as_they_are() {
    let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));
    let tasks = tasks();
    let (_, id, task) = &tasks[0];
    let card = format!("$ beam-task status {id}\n{}", card(id, task, false, 120));
    assert!(readme.contains(&card), "README.md should show:\n{card}");
    let three = &tasks[..3];
    let ids: Vec<&str> = three.iter().map(|(_, id, _)| *id).collect();
    let table = format!(
        "$ beam-task status {}\n{}",
        ids.join(" "),
        table(three, false, 120)
    );
    assert!(readme.contains(&table), "README.md should show:\n{table}");
}
