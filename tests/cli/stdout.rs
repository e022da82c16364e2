//! When stdout cannot take the output: a full disk or a closed stdout is
//! exit 74 (EX_IOERR) with one `error:` line, for every command; a closed
//! pipe (`| head -1`) is not an error. Unix shells only (redirections).
#![cfg(unix)]

use crate::support::{Beam, mock_task, task_json};

/// Every kind of command that writes to stdout: clap's own output, the
/// generated texts, and a command that asks the API.
const COMMANDS: [&str; 7] = [
    "--help",
    "--version",
    "help status",
    "man",
    "completions bash",
    "status abc",
    "status --json abc def",
];

/// `beam-task ARGS REDIRECTION` in sh, against a server that knows `abc`
/// and `def`.
fn run_redirected(args: &str, redirection: &str) -> crate::support::Run {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "abc", 200, &task_json("COMPLETE"));
    mock_task(&mut server, "def", 200, &task_json("COMPLETE"));
    Beam::shell(
        &server.url(),
        "sh",
        &format!("beam-task {args} {redirection}"),
    )
    .run()
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_exits_74_with_one_error_line_for_every_command() {
    for args in COMMANDS {
        let run = run_redirected(args, "> /dev/full");
        assert_eq!(run.code, 74, "{args}: {run:#?}");
        assert_eq!(
            run.stderr, "error: cannot write to stdout: No space left on device (os error 28)\n",
            "{args}"
        );
    }
}

#[test]
fn a_closed_stdout_exits_74_with_one_error_line_for_every_command() {
    for args in COMMANDS {
        let run = run_redirected(args, ">&-");
        assert_eq!(run.code, 74, "{args}: {run:#?}");
        assert!(
            run.stderr
                .starts_with("error: cannot write to stdout: Bad file descriptor"),
            "{args}: {}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1, "{args}: {}", run.stderr);
    }
}

/// `-q` writes nothing, so a closed stdout does not matter to it.
#[test]
fn quiet_with_a_closed_stdout_keeps_the_status_code() {
    let run = run_redirected("status -q abc", ">&-").code(0);
    assert_eq!(run.stderr, "");
}

#[test]
fn a_closed_pipe_stays_silent_for_every_command() {
    for args in COMMANDS {
        // bash, for PIPESTATUS: beam-task's own exit code.
        let mut server = mockito::Server::new();
        mock_task(&mut server, "abc", 200, &task_json("COMPLETE"));
        mock_task(&mut server, "def", 200, &task_json("COMPLETE"));
        let script =
            format!("beam-task {args} | head -c 1 >/dev/null; echo \"${{PIPESTATUS[0]}}\"");
        let run = Beam::shell(&server.url(), "bash", &script).run();
        assert_eq!(run.stderr, "", "{args}");
        assert_eq!(run.stdout.trim(), "0", "{args}");
    }
}
