//! `beam-task cancel` against a local Beam whose tasks change when the
//! cancel request names them (or, for one test, do not).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::support::{Beam, TOKEN, task_json};

/// A local Beam with tasks in given statuses. `DELETE /v2/task/cancel/`
/// records its body and, when `obeys`, turns each named PENDING, RUNNING or
/// RETRY task CANCELLED.
struct Beam2 {
    server: mockito::ServerGuard,
    statuses: Arc<Mutex<HashMap<String, String>>>,
    cancels: Arc<Mutex<Vec<serde_json::Value>>>,
}

impl Beam2 {
    fn new(tasks: &[(&str, &str)], obeys: bool) -> Beam2 {
        let mut server = mockito::Server::new();
        let statuses: Arc<Mutex<HashMap<String, String>>> = Arc::new(Mutex::new(
            tasks
                .iter()
                .map(|(id, status)| (id.to_string(), status.to_string()))
                .collect(),
        ));
        let cancels = Arc::new(Mutex::new(Vec::new()));
        let answer = {
            let statuses = Arc::clone(&statuses);
            move |path: &str| {
                let id = path
                    .strip_prefix("/v2/task/")
                    .and_then(|rest| rest.strip_suffix('/'))
                    .unwrap_or_default();
                match statuses.lock().unwrap().get(id) {
                    Some(status) => (200, task_json(status)),
                    None => (404, r#"{"message":""}"#.to_string()),
                }
            }
        };
        let status_of = answer.clone();
        server
            .mock("GET", mockito::Matcher::Regex("^/v2/task/[^/]+/$".into()))
            .with_header("content-type", "application/json")
            .with_status_code_from_request(move |request| status_of(request.path()).0)
            .with_body_from_request(move |request| answer(request.path()).1.into_bytes())
            .expect_at_least(0)
            .create();
        {
            let statuses = Arc::clone(&statuses);
            let cancels = Arc::clone(&cancels);
            server
                .mock("DELETE", "/v2/task/cancel/")
                .match_header("authorization", format!("Bearer {TOKEN}").as_str())
                .match_header("content-type", "application/json")
                .with_header("content-type", "application/json")
                .with_body_from_request(move |request| {
                    let body: serde_json::Value =
                        serde_json::from_slice(request.body().unwrap()).unwrap();
                    if obeys {
                        let mut statuses = statuses.lock().unwrap();
                        for id in body["task_ids"].as_array().unwrap() {
                            let status = statuses.get_mut(id.as_str().unwrap()).unwrap();
                            if ["PENDING", "RUNNING", "RETRY"].contains(&status.as_str()) {
                                *status = "CANCELLED".to_string();
                            }
                        }
                    }
                    cancels.lock().unwrap().push(body);
                    b"{}".to_vec()
                })
                .expect_at_least(0)
                .create();
        }
        Beam2 {
            server,
            statuses,
            cancels,
        }
    }

    fn beam(&self) -> Beam {
        Beam::new(&self.server.url())
    }

    /// The IDs of each cancel request, in order.
    fn cancelled(&self) -> Vec<Vec<String>> {
        self.cancels
            .lock()
            .unwrap()
            .iter()
            .map(|body| {
                body["task_ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|id| id.as_str().unwrap().to_string())
                    .collect()
            })
            .collect()
    }

    fn status(&self, id: &str) -> String {
        self.statuses.lock().unwrap()[id].clone()
    }
}

#[test]
fn cancel_sends_the_ids_as_json_and_exits_0_once_they_show_cancelled() {
    let beam = Beam2::new(&[("a", "RUNNING"), ("b", "PENDING")], true);
    let run = beam
        .beam()
        .args(["cancel", "a", "b", "--json"])
        .run()
        .code(0);
    assert_eq!(beam.cancelled(), [vec!["a", "b"]]);
    assert_eq!(beam.status("a"), "CANCELLED");
    let tasks = run.json();
    let statuses: Vec<&str> = tasks
        .as_array()
        .unwrap()
        .iter()
        .map(|task| task["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["CANCELLED", "CANCELLED"]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn more_than_100_ids_go_in_several_requests_of_at_most_100() {
    let ids: Vec<String> = (0..150).map(|i| format!("task-{i}")).collect();
    let tasks: Vec<(&str, &str)> = ids.iter().map(|id| (id.as_str(), "RUNNING")).collect();
    let beam = Beam2::new(&tasks, true);
    beam.beam()
        .args(["cancel", "-", "-q"])
        .stdin(&ids.join("\n"))
        .run()
        .code(0);
    let batches = beam.cancelled();
    assert_eq!(
        batches.iter().map(Vec::len).collect::<Vec<_>>(),
        [100, 50],
        "{batches:?}"
    );
    assert_eq!(batches.concat(), ids);
}

#[test]
fn a_server_that_ignores_the_cancel_exits_8_and_says_which_task_still_runs() {
    let beam = Beam2::new(&[("stubborn", "RUNNING")], false);
    let run = beam
        .beam()
        .args(["cancel", "stubborn", "--timeout", "300ms"])
        .run()
        .code(8);
    assert_eq!(beam.cancelled(), [vec!["stubborn"]]);
    assert!(run.stdout.contains("● RUNNING"), "{}", run.stdout);
    assert!(
        run.stderr.contains("task stubborn is still RUNNING"),
        "{}",
        run.stderr
    );
}

#[test]
fn finished_tasks_are_left_alone_with_a_note_and_count_as_stopped() {
    let beam = Beam2::new(
        &[("done", "COMPLETE"), ("bad", "FAILED"), ("run", "RUNNING")],
        true,
    );
    let run = beam
        .beam()
        .args(["cancel", "done", "bad", "run", "--json"])
        .run()
        .code(0);
    assert_eq!(beam.cancelled(), [vec!["run"]]);
    assert!(
        run.stderr
            .contains("task done had already finished (COMPLETE): nothing to cancel"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("task bad had already finished (FAILED): nothing to cancel"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_task_already_finished_sends_no_cancel() {
    let beam = Beam2::new(&[("done", "COMPLETE")], true);
    beam.beam().args(["cancel", "done", "-q"]).run().code(0);
    assert!(beam.cancelled().is_empty());
}

#[test]
fn an_unknown_id_exits_66_and_is_not_sent_while_the_others_are_cancelled() {
    let beam = Beam2::new(&[("run", "RUNNING")], true);
    let run = beam
        .beam()
        .args(["cancel", "run", "ghost", "--json"])
        .run()
        .code(66);
    assert_eq!(beam.cancelled(), [vec!["run"]]);
    assert!(
        run.stderr.contains("task ghost not found"),
        "{}",
        run.stderr
    );
    assert_eq!(run.json()[0]["status"], "CANCELLED");
}

#[test]
fn dry_run_reads_the_tasks_says_what_would_be_cancelled_and_sends_nothing() {
    let beam = Beam2::new(&[("run", "RUNNING"), ("done", "COMPLETE")], true);
    let run = beam
        .beam()
        .args(["cancel", "run", "done", "--dry-run"])
        .run()
        .code(0);
    assert!(beam.cancelled().is_empty());
    assert_eq!(beam.status("run"), "RUNNING");
    assert!(
        run.stderr.contains("task run would be cancelled (RUNNING)"),
        "{}",
        run.stderr
    );
}

#[test]
fn ids_from_stdin_are_checked_before_any_request() {
    let beam = Beam2::new(&[("run", "RUNNING")], true);
    let run = beam
        .beam()
        .args(["cancel", "-"])
        .stdin("run ../etc")
        .run()
        .code(2);
    assert!(run.stderr.contains("invalid task ID"), "{}", run.stderr);
    assert!(beam.cancelled().is_empty());
    assert_eq!(beam.status("run"), "RUNNING");
}

#[test]
fn exit_zero_is_not_an_option_of_cancel() {
    Beam::new("http://127.0.0.1:9")
        .args(["cancel", "a", "--exit-zero"])
        .run()
        .code(2);
}

#[test]
fn a_503_on_the_cancel_is_retried() {
    let mut server = mockito::Server::new();
    let cancels = Arc::new(Mutex::new(0));
    server
        .mock("GET", "/v2/task/run/")
        .with_body_from_request({
            let cancels = Arc::clone(&cancels);
            move |_| {
                let status = if *cancels.lock().unwrap() >= 2 {
                    "CANCELLED"
                } else {
                    "RUNNING"
                };
                task_json(status).into_bytes()
            }
        })
        .create();
    server
        .mock("DELETE", "/v2/task/cancel/")
        .with_status_code_from_request({
            let cancels = Arc::clone(&cancels);
            move |_| {
                let mut cancels = cancels.lock().unwrap();
                *cancels += 1;
                if *cancels == 1 { 503 } else { 200 }
            }
        })
        .with_body("{}")
        .create();
    Beam::new(&server.url())
        .args(["cancel", "run", "-q"])
        .run()
        .code(0);
    assert_eq!(*cancels.lock().unwrap(), 2);
}

#[test]
fn quiet_silences_the_notes_but_not_the_errors() {
    let beam = Beam2::new(&[("done", "COMPLETE")], true);
    let run = beam
        .beam()
        .args(["cancel", "done", "ghost", "-q"])
        .run()
        .code(66);
    assert_eq!(run.stdout, "");
    assert!(!run.stderr.contains("already finished"), "{}", run.stderr);
    assert!(
        run.stderr.contains("task ghost not found"),
        "{}",
        run.stderr
    );
}

/// 150 IDs go in two requests; the second is refused: its 50 tasks fail
/// (69), and the 100 cancelled are still confirmed and shown.
#[test]
fn a_refused_batch_fails_its_tasks_and_the_others_are_still_shown() {
    let ids: Vec<String> = (0..150).map(|i| format!("task-{i}")).collect();
    let mut server = mockito::Server::new();
    let cancelled = Arc::new(Mutex::new(std::collections::HashSet::<String>::new()));
    server
        .mock("GET", mockito::Matcher::Regex("^/v2/task/[^/]+/$".into()))
        .with_body_from_request({
            let cancelled = Arc::clone(&cancelled);
            move |request| {
                let id = request.path().split('/').nth(3).unwrap_or_default();
                let status = if cancelled.lock().unwrap().contains(id) {
                    "CANCELLED"
                } else {
                    "RUNNING"
                };
                task_json(status).into_bytes()
            }
        })
        .create();
    let batches = Arc::new(Mutex::new(0));
    server
        .mock("DELETE", "/v2/task/cancel/")
        .with_status_code_from_request({
            let cancelled = Arc::clone(&cancelled);
            let batches = Arc::clone(&batches);
            move |request| {
                let mut batches = batches.lock().unwrap();
                *batches += 1;
                if *batches > 1 {
                    return 500;
                }
                let body: serde_json::Value =
                    serde_json::from_slice(request.body().unwrap()).unwrap();
                for id in body["task_ids"].as_array().unwrap() {
                    cancelled
                        .lock()
                        .unwrap()
                        .insert(id.as_str().unwrap().into());
                }
                200
            }
        })
        .with_body("{}")
        .create();
    let run = Beam::new(&server.url())
        .args(["cancel", "-", "--json", "--retries", "0"])
        .stdin(&ids.join("\n"))
        .run()
        .code(69);
    assert_eq!(run.json().as_array().unwrap().len(), 100);
    assert!(
        run.stderr
            .contains("task task-100: the cancel request failed: the API answered HTTP 500"),
        "{}",
        run.stderr
    );
}

/// A task that still runs after the cancel is read again, on a short
/// schedule, for `--timeout` and no longer (the default would be 10 s:
/// hundreds of reads on the test's scaled clock).
#[test]
fn a_task_still_running_is_read_again_until_the_timeout_only() {
    let mut server = mockito::Server::new();
    let reads = Arc::new(Mutex::new(0));
    server
        .mock("GET", "/v2/task/stubborn/")
        .with_body_from_request({
            let reads = Arc::clone(&reads);
            move |_| {
                *reads.lock().unwrap() += 1;
                task_json("RUNNING").into_bytes()
            }
        })
        .create();
    server
        .mock("DELETE", "/v2/task/cancel/")
        .with_body("{}")
        .create();
    Beam::new(&server.url())
        .args(["cancel", "stubborn", "--timeout", "30s", "-q"])
        .run()
        .code(8);
    let reads = *reads.lock().unwrap();
    assert!((3..=100).contains(&reads), "{reads} reads");
}
