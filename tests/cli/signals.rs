//! Signals as a shell sees them: Ctrl-C ends beam-task by SIGINT (after the
//! cleanup), so that `$?` reads 130 and a calling loop stops; a signal the
//! parent ignored stays ignored. Real shells in process groups of their
//! own, signalled as a terminal would. The live view's cleanup on a
//! terminal is in `terminal.rs`.
#![cfg(unix)]

use std::time::Duration;

use crate::support::{Beam, Reply, Server, task_json};

const SIGINT: i32 = 2;

/// A server that answers every task RUNNING, or never answers at all.
fn running() -> Server {
    Server::http(|_| Reply::json(task_json("RUNNING")).close())
}

/// The tasks asked for, in order, by `/v2/task/{id}/`.
fn asked(server: &Server) -> Vec<String> {
    server
        .requests()
        .iter()
        .filter_map(|r| r.path().strip_prefix("/v2/task/"))
        .filter_map(|rest| rest.split('/').next().map(str::to_string))
        .collect()
}

/// `for id in t1 t2 t3; do beam-task ARGS "$id"; echo "after $id"; done`
/// in bash, Ctrl-C'd once the first task was asked for.
fn interrupt_a_loop(server: &Server, args: &str) -> crate::support::Run {
    let script =
        format!("for id in t1 t2 t3; do beam-task {args} \"$id\"; echo \"after $id\"; done");
    let started = Beam::shell(&server.url(), "bash", &script).spawn_in_own_group();
    server.wait_for_requests(1, Duration::from_secs(30));
    // The wait's handlers are set before its first request.
    started.signal_group("INT");
    started.finish()
}

#[test]
fn ctrl_c_stops_a_shell_loop_of_waits() {
    let server = running();
    // --timeout only bounds the loop were the Ctrl-C taken as handled.
    let run = interrupt_a_loop(&server, "wait --timeout 3s");
    assert_eq!(run.signal, Some(SIGINT), "{run:#?}");
    assert_eq!(run.stdout, "", "the loop went on: {run:#?}");
    assert!(
        asked(&server).iter().all(|id| id == "t1"),
        "{:?}",
        asked(&server)
    );
}

#[test]
fn ctrl_c_stops_a_shell_loop_of_status_checks_mid_fetch() {
    // Every answer takes its time: the Ctrl-C comes mid-fetch.
    let server = Server::http(|_| Reply::json(task_json("RUNNING")).after(Duration::from_secs(3)));
    let run = interrupt_a_loop(&server, "status --request-timeout 5s a b c d e f g h i");
    assert_eq!(run.signal, Some(SIGINT), "{run:#?}");
    assert_eq!(run.stdout, "", "{run:#?}");
}

/// With job control, the job is signalled alone; the shell reads `$?`.
#[test]
fn after_ctrl_c_a_wait_s_exit_status_reads_130() {
    let server = running();
    let started = Beam::shell(
        &server.url(),
        "bash",
        "set -m; beam-task wait t1 --timeout 30s & echo $! > \"$HOME/pid\"; \
         wait $!; echo \"exit $?\"",
    );
    let pid_file = started.home().join("pid");
    let started = started.spawn();
    server.wait_for_requests(1, Duration::from_secs(30));
    let pid = std::fs::read_to_string(&pid_file).expect("the PID was written");
    crate::support::kill("INT", pid.trim());
    let run = started.finish().code(0);
    assert_eq!(run.stdout, "exit 130\n");
}

/// As `nohup` leaves SIGHUP, and a script its background jobs' SIGINT.
#[test]
fn a_signal_ignored_from_the_start_stays_ignored() {
    let server = running();
    let started = Beam::shell(
        &server.url(),
        "bash",
        "trap '' HUP; echo $$ > \"$HOME/pid\"; exec beam-task wait t1 --timeout 2s -q",
    );
    let pid_file = started.home().join("pid");
    let started = started.spawn();
    server.wait_for_requests(1, Duration::from_secs(30));
    let pid = std::fs::read_to_string(&pid_file).expect("the PID was written");
    crate::support::kill("HUP", pid.trim());
    // The wait goes on to its --timeout.
    started.finish().code(124);
}
