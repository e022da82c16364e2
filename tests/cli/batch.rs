//! `status` and `wait` reading tasks a hundred at a time on the workspace
//! API's list (`task_ids`), and the hazards of beta9's handling: IDs that
//! are not UUIDs dropped from the filter (and with none left, the whole
//! workspace answered), tasks not asked for, tasks left out, ERROR for
//! FAILED, and a workspace API that is not there.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::support::{Beam, Reply, Request, Run, Server, task_json};

const WORKSPACE: &str = "/api/v1/workspace/current";
const LIST: &str = "/api/v1/task/ws-1";
const FIXTURE_ID: &str = "07ce4078-bccc-4a42-b530-5f2653484a6a";

/// The `n`th task ID, a UUID.
fn uuid(n: usize) -> String {
    format!("5c9a1e0d-4b7f-4d2e-9f3a-{n:012}")
}

/// The task `id` in `status`, as the task API sends it (marked so).
fn v2_task(id: &str, status: &str) -> String {
    let mut task: serde_json::Value =
        serde_json::from_str(&task_json(status).replace(FIXTURE_ID, id)).unwrap();
    task["from"] = "v2".into();
    task.to_string()
}

/// The task `id` in `status`, as the list sends it.
fn listed_task(id: &str, status: &str) -> serde_json::Value {
    let mut task: serde_json::Value =
        serde_json::from_str(&task_json(status).replace(FIXTURE_ID, id)).unwrap();
    task["external_id"] = id.into();
    task
}

/// The value of query parameter `name` in a request.
fn query<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    let (_, query) = request.target.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
}

/// A local Beam: the task API knows `v2` (ID to status; any other is 404),
/// the list knows `listed` and answers those asked for, plus `extra` (tasks
/// no one asked for).
struct Beta {
    v2: HashMap<String, String>,
    listed: HashMap<String, String>,
    extra: Vec<String>,
}

impl Beta {
    fn same(ids: &[String], status: &str) -> Beta {
        let all: HashMap<String, String> = ids
            .iter()
            .map(|id| (id.clone(), status.to_string()))
            .collect();
        Beta {
            v2: all.clone(),
            listed: all,
            extra: Vec::new(),
        }
    }

    fn serve(self) -> Server {
        let beta = Arc::new(self);
        Server::http(move |r| beta.answer(r))
    }

    fn answer(&self, r: &Request) -> Reply {
        match r.path() {
            WORKSPACE => Reply::json(r#"{"external_id":"ws-1"}"#),
            LIST => {
                let asked: Vec<&str> = query(r, "task_ids")
                    .map(|ids| ids.split(',').collect())
                    .unwrap_or_default();
                let mut data: Vec<serde_json::Value> = asked
                    .iter()
                    .filter_map(|id| Some(listed_task(id, self.listed.get(*id)?)))
                    .collect();
                data.extend(self.extra.iter().map(|id| listed_task(id, "COMPLETE")));
                Reply::json(serde_json::json!({"data": data, "next": ""}).to_string())
            }
            path => {
                let id = path
                    .strip_prefix("/v2/task/")
                    .and_then(|rest| rest.strip_suffix('/'))
                    .unwrap_or_default();
                match self.v2.get(id) {
                    Some(status) => Reply::json(v2_task(id, status)),
                    None => Reply::status(404).body(r#"{"message":""}"#),
                }
            }
        }
    }
}

fn count(server: &Server, path: &str) -> usize {
    server.requests_to(path)
}

/// `beam-task ARGS -` with `ids` on stdin, exiting with `code`.
fn run_on(server: &Server, args: &[&str], ids: &[String], code: i32) -> Run {
    Beam::new(&server.url())
        .args(args.iter().chain(&["-"]))
        .stdin(&ids.join("\n"))
        .run()
        .code(code)
}

fn v2_reads(server: &Server) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.path().starts_with("/v2/task/"))
        .count()
}

/// The IDs the table shows, in order.
fn shown_ids(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn a_thousand_tasks_take_ten_list_reads_and_show_in_the_order_asked() {
    let ids: Vec<String> = (1..=1000).rev().map(uuid).collect();
    let server = Beta::same(&ids, "COMPLETE").serve();
    let run = run_on(&server, &["status"], &ids, 0);
    assert_eq!(shown_ids(&run.stdout), ids);
    assert_eq!(count(&server, WORKSPACE), 1);
    assert_eq!(count(&server, LIST), 10);
    assert_eq!(v2_reads(&server), 0);
    for request in server.requests().iter().filter(|r| r.path() == LIST) {
        assert!(request.target.len() < 4096, "{}", request.target.len());
        assert_eq!(query(request, "limit"), Some("100"));
        assert_eq!(query(request, "skip_details"), Some("true"));
    }
}

#[test]
fn ids_that_are_not_uuids_never_reach_task_ids() {
    let upper = uuid(9).to_uppercase();
    let mut ids: Vec<String> = vec!["abc".into(), uuid(1), "t1".into(), uuid(2), upper.clone()];
    ids.push(uuid(3));
    let beta = Beta::same(&ids, "COMPLETE");
    let server = beta.serve();
    let run = run_on(&server, &["status"], &ids, 0);
    assert_eq!(shown_ids(&run.stdout), ids);
    let lists: Vec<Request> = server
        .requests()
        .into_iter()
        .filter(|r| r.path() == LIST)
        .collect();
    assert_eq!(lists.len(), 1);
    assert_eq!(
        query(&lists[0], "task_ids"),
        Some(format!("{},{},{}", uuid(1), uuid(2), uuid(3)).as_str())
    );
    for other in ["abc", "t1", upper.as_str()] {
        assert_eq!(count(&server, &format!("/v2/task/{other}/")), 1, "{other}");
    }
    assert_eq!(v2_reads(&server), 3);
}

#[test]
fn tasks_not_asked_for_are_ignored() {
    let ids: Vec<String> = (1..=3).map(uuid).collect();
    let mut beta = Beta::same(&ids, "RUNNING");
    // As beta9 answers with the filter dropped: the whole workspace.
    beta.extra = (100..110).map(uuid).collect();
    let server = beta.serve();
    let run = run_on(&server, &["status"], &ids, 8);
    assert_eq!(shown_ids(&run.stdout), ids);
    assert_eq!(v2_reads(&server), 0);
}

#[test]
fn a_task_left_out_of_the_answer_is_settled_by_the_task_api() {
    let ids: Vec<String> = (1..=4).map(uuid).collect();
    let mut beta = Beta::same(&ids, "COMPLETE");
    // Left out: one the task API knows, one it does not.
    beta.listed.remove(&ids[1]);
    beta.listed.remove(&ids[2]);
    beta.v2.remove(&ids[2]);
    let server = beta.serve();
    let run = run_on(&server, &["status"], &ids, 66);
    assert_eq!(
        shown_ids(&run.stdout),
        [ids[0].clone(), ids[1].clone(), ids[3].clone()]
    );
    assert!(
        run.stderr.contains(&format!("task {} not found", ids[2])),
        "{}",
        run.stderr
    );
    assert_eq!(count(&server, &format!("/v2/task/{}/", ids[1])), 1);
    assert_eq!(count(&server, &format!("/v2/task/{}/", ids[2])), 1);
    assert_eq!(v2_reads(&server), 2);
}

/// The list says ERROR; the task API says FAILED (or ERROR): the table
/// shows the task API's word, for one read of it, and the exit code is 10
/// either way.
#[test]
fn error_on_the_list_shows_and_exits_as_the_task_api_says() {
    let ids: Vec<String> = (1..=5).map(uuid).collect();
    for word in ["FAILED", "ERROR"] {
        let mut beta = Beta::same(&ids, "ERROR");
        beta.v2 = ids
            .iter()
            .map(|id| (id.clone(), word.to_string()))
            .collect();
        let server = beta.serve();
        let run = run_on(&server, &["status", "-j", "1"], &ids, 10);
        let words: Vec<&str> = run
            .stdout
            .lines()
            .skip(1)
            .filter_map(|line| line.split_whitespace().nth(2))
            .collect();
        assert_eq!(words, [word; 5], "{}", run.stdout);
        assert_eq!(v2_reads(&server), 1, "{word}");
        assert_eq!(count(&server, LIST), 1);
    }
}

#[test]
fn without_the_workspace_api_each_task_is_read_on_the_task_api_decided_once() {
    let ids: Vec<String> = (1..=250).map(uuid).collect();
    // `workspace/current` not there.
    let beta = Arc::new(Beta::same(&ids, "COMPLETE"));
    let answers = Arc::clone(&beta);
    let server = Server::http(move |r| match r.path() {
        WORKSPACE => Reply::status(404).body(r#"{"message":""}"#),
        _ => answers.answer(r),
    });
    let run = run_on(&server, &["status", "-q", "-v"], &ids, 0);
    assert!(run.stderr.contains("* no batch reads ("), "{}", run.stderr);
    assert_eq!(count(&server, WORKSPACE), 1);
    assert_eq!(count(&server, LIST), 0);
    assert_eq!(v2_reads(&server), 250);

    // The list not there, with eight reads at once: asked once.
    let answers = Arc::clone(&beta);
    let server = Server::http(move |r| match r.path() {
        LIST => Reply::status(404).body(r#"{"message":""}"#),
        _ => answers.answer(r),
    });
    for command in ["status", "wait"] {
        let run = run_on(
            &server,
            &[command, "-q", "-v", "-j", "8", "--workspace", "ws-1"],
            &ids,
            0,
        );
        let said = run.stderr.matches("* no batch reads (").count();
        assert_eq!(said, 1, "{command}: {}", run.stderr);
    }
    assert_eq!(count(&server, LIST), 2, "once per run");
    assert_eq!(count(&server, WORKSPACE), 0);
}

#[test]
fn a_token_the_workspace_api_refuses_is_a_token_problem() {
    let ids: Vec<String> = (1..=3).map(uuid).collect();
    let server = Server::http(|r| match r.path() {
        WORKSPACE => Reply::status(401).body(r#"{"message":"Unauthorized"}"#),
        _ => Reply::json(task_json("COMPLETE")),
    });
    let run = run_on(&server, &["status"], &ids, 77);
    assert!(run.stderr.contains("HTTP 401"), "{}", run.stderr);
}

#[test]
fn another_api_url_without_an_app_url_never_reads_in_batches() {
    let ids: Vec<String> = (1..=3).map(uuid).collect();
    let server = Beta::same(&ids, "COMPLETE").serve();
    let run = Beam::new(&server.url())
        .env_remove("BEAM_APP_URL")
        .args(["status", "-q", "-v", "-"])
        .stdin(&ids.join(" "))
        .run()
        .code(0);
    assert!(
        run.stderr
            .contains("no batch reads: --api-url is not Beam's"),
        "{}",
        run.stderr
    );
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.path().starts_with("/v2/")),
        "the workspace API asked"
    );
}

/// `--json` and `--raw` print the task API's bodies, byte for byte: `status`
/// reads there, and `wait` reads each task there once it has finished.
#[test]
fn json_and_raw_print_the_task_api_s_bodies() {
    let ids: Vec<String> = (1..=3).map(uuid).collect();
    let expected_raw: String = ids
        .iter()
        .map(|id| format!("{}\n", v2_task(id, "COMPLETE")))
        .collect();
    for command in ["status", "wait"] {
        let server = Beta::same(&ids, "COMPLETE").serve();
        let raw = run_on(&server, &[command, "--raw"], &ids, 0);
        assert_eq!(raw.stdout, expected_raw, "{command}");
        let json = run_on(&server, &[command, "--json"], &ids, 0);
        let shown = json.json();
        for (task, id) in shown.as_array().unwrap().iter().zip(&ids) {
            assert_eq!(task["id"], id.as_str(), "{command}");
            assert_eq!(task["from"], "v2", "{command}");
        }
    }
}

/// A wait polls the list in rounds: a hundred tasks a request, the task
/// API asked for none of them in the table's output.
#[test]
fn a_wait_polls_many_tasks_in_rounds_on_the_list() {
    let ids: Vec<String> = (1..=150).map(uuid).collect();
    let list_reads = AtomicUsize::new(0);
    let server = Server::http(move |r| match r.path() {
        WORKSPACE => Reply::json(r#"{"external_id":"ws-1"}"#),
        LIST => {
            // RUNNING for three rounds of two reads, then COMPLETE.
            let read = list_reads.fetch_add(1, Ordering::SeqCst);
            let status = if read < 6 { "RUNNING" } else { "COMPLETE" };
            let data: Vec<serde_json::Value> = query(r, "task_ids")
                .unwrap_or_default()
                .split(',')
                .map(|id| listed_task(id, status))
                .collect();
            Reply::json(serde_json::json!({"data": data, "next": ""}).to_string())
        }
        path if path.ends_with("/subscribe") => Reply::status(404),
        _ => Reply::status(500),
    });
    let run = run_on(&server, &["wait"], &ids, 0);
    assert_eq!(shown_ids(&run.stdout), ids);
    assert_eq!(v2_reads(&server), 0);
    let lists = count(&server, LIST);
    assert!((7..=12).contains(&lists), "{lists} list reads");
}
