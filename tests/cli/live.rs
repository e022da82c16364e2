//! The wait's live view in a real terminal: tmux runs `beam-task` in a pane
//! of a given size, and the test types into it (Ctrl-C), resizes it and
//! reads the screen back, as a person would see it (Linux only: tmux).
#![cfg(target_os = "linux")]

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::support::{Beam, Reply, Server, task_json};

/// How long a test waits for the screen to show what it expects before it
/// fails: a bound on a hang, not a measure of speed.
const PATIENCE: Duration = Duration::from_secs(30);

/// A tmux server of its own (its socket in a temp folder) with one pane
/// running a shell script, in the environment of [`Beam::shell`]. The pane
/// stays after the script ends, so that its screen can still be read; the
/// server is stopped when the `Pane` is dropped.
struct Pane {
    dir: TempDir,
}

impl Pane {
    /// `script` (sh) in a `width` × `height` pane. `$DONE` names a file the
    /// script's end writes its exit code to (see [`Pane::wait_for_exit`]).
    fn start(api_url: &str, width: u16, height: u16, script: &str) -> Pane {
        let dir = tempfile::tempdir().expect("temp folder");
        let pane = Pane { dir };
        // No status line: the pane is the whole window. A trap (not an
        // ignored signal) keeps the script alive through the pane's Ctrl-C
        // without passing SIG_IGN on to beam-task.
        std::fs::write(pane.path("tmux.conf"), "set -g status off\n").unwrap();
        let body = format!("trap true INT\n{script}\necho $? > \"$DONE\"\nexec sleep 600\n",);
        std::fs::write(pane.path("pane.sh"), body).unwrap();
        let start = format!(
            "cd '{dir}' && DONE='{done}' exec tmux -S '{socket}' -f '{conf}' \
             new-session -d -s beam -c '{dir}' -x {width} -y {height} \"sh '{script}'\"",
            dir = pane.dir.path().display(),
            done = pane.path("done").display(),
            socket = pane.socket().display(),
            conf = pane.path("tmux.conf").display(),
            script = pane.path("pane.sh").display(),
        );
        Beam::shell(api_url, "sh", &start).run().code(0);
        pane
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn socket(&self) -> PathBuf {
        self.path("tmux.sock")
    }

    /// Runs a tmux command against this pane's server; returns its stdout.
    fn tmux(&self, args: &[&str]) -> String {
        let output = Command::new("tmux")
            .arg("-S")
            .arg(self.socket())
            .args(args)
            .output()
            .expect("tmux runs");
        assert!(
            output.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The screen, one string per row, trailing spaces removed.
    fn screen(&self) -> Vec<String> {
        self.tmux(&["capture-pane", "-p", "-t", "beam"])
            .lines()
            .map(|line| line.trim_end().to_string())
            .collect()
    }

    /// Waits until the screen satisfies `ready`, and returns it.
    fn wait_for_screen(&self, what: &str, ready: impl Fn(&[String]) -> bool) -> Vec<String> {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the screen never showed {what}:\n{}",
                screen.join("\n")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for the script's command to end; returns its exit code.
    fn wait_for_exit(&self) -> i32 {
        let start = Instant::now();
        loop {
            if let Ok(code) = std::fs::read_to_string(self.path("done"))
                && let Ok(code) = code.trim().parse()
            {
                return code;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the command never ended; the screen:\n{}",
                self.screen().join("\n")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether the pane's cursor is visible.
    fn cursor_visible(&self) -> bool {
        self.tmux(&["display-message", "-p", "-t", "beam", "#{cursor_flag}"])
            .trim()
            == "1"
    }

    fn keys(&self, keys: &str) {
        self.tmux(&["send-keys", "-t", "beam", keys]);
    }

    fn resize(&self, width: u16, height: u16) {
        self.tmux(&[
            "resize-window",
            "-t",
            "beam",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
        ]);
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-S")
            .arg(self.socket())
            .arg("kill-server")
            .output();
    }
}

/// Task IDs as Beam makes them (36 columns), so that a live line is wider
/// than a narrowed pane.
fn uuid(n: usize) -> String {
    format!("5c9a1e0d-4b7f-4d2e-9f3a-{n:012}")
}

/// A wait in a pane for tasks that run until [`Waiting::complete`], then
/// complete.
struct Waiting {
    done: Arc<AtomicBool>,
    pane: Pane,
    _server: Server,
}

impl Waiting {
    /// `command` (`beam-task wait`, maybe behind `timeout 2`) with `ids`, in
    /// a `width` × 24 pane.
    fn start(width: u16, command: &str, ids: &[String]) -> Waiting {
        let done = Arc::new(AtomicBool::new(false));
        let answers = Arc::clone(&done);
        let server = Server::http(move |_| {
            let status = if answers.load(Ordering::SeqCst) {
                "COMPLETE"
            } else {
                "RUNNING"
            };
            Reply::json(task_json(status))
        });
        let script = format!("{command} {}", ids.join(" "));
        let pane = Pane::start(&server.url(), width, 24, &script);
        Waiting {
            done,
            pane,
            _server: server,
        }
    }

    fn complete(&self) {
        self.done.store(true, Ordering::SeqCst);
    }
}

impl Pane {
    /// Types Ctrl-C: the wait ends with 130 and leaves a blank screen, the
    /// cursor visible.
    fn interrupt(&self) {
        self.keys("C-c");
        assert_eq!(self.wait_for_exit(), 130);
        self.assert_blank();
    }

    /// Nothing on the screen, and the cursor visible.
    fn assert_blank(&self) {
        let screen = self.screen();
        assert!(
            screen.iter().all(|row| row.is_empty()),
            "the screen is not blank:\n{}",
            screen.join("\n")
        );
        assert!(self.cursor_visible());
    }
}

/// How many rows show a task running.
fn running(screen: &[String]) -> usize {
    screen.iter().filter(|row| row.contains("● RUN")).count()
}

/// Ctrl-C typed in the terminal: the terminal echoes `^C` where the cursor
/// is, then the wait ends; nothing of the live view stays, the echo
/// included, and the cursor is back.
#[test]
fn ctrl_c_typed_in_the_terminal_leaves_a_blank_screen() {
    let wait = Waiting::start(80, "beam-task wait", &[uuid(1)]);
    wait.pane
        .wait_for_screen("the live line", |s| running(s) == 1);
    wait.pane.interrupt();
}

/// The same with a live line as wide as the view lets it be (a long ID):
/// the echo cannot wrap it.
#[test]
fn ctrl_c_after_a_line_as_wide_as_the_terminal_leaves_a_blank_screen() {
    // "⠁ " + 45 + " ● RUNNING for 859d 14h": 70 columns, cut to fit in 60.
    let id = format!("{}-{}", uuid(2), "x".repeat(8));
    let wait = Waiting::start(60, "beam-task wait", &[id]);
    let screen = wait
        .pane
        .wait_for_screen("the live line", |s| running(s) == 1);
    assert!(screen[0].ends_with('…'), "{}", screen[0]);
    wait.pane.interrupt();
}

/// SIGTERM (as `timeout` sends it) clears the view as Ctrl-C does.
#[test]
fn sigterm_leaves_a_blank_screen() {
    let wait = Waiting::start(80, "timeout 2 beam-task wait", &[uuid(1), uuid(2)]);
    wait.pane.wait_for_exit();
    wait.pane.assert_blank();
}

/// The pane narrows from 80 to 50 columns while the wait shows lines wider
/// than 50: the terminal rewraps them, and yet when the tasks finish the
/// screen holds the result and no live line.
#[test]
fn a_resize_during_the_wait_leaves_no_live_line() {
    let ids = [uuid(1), uuid(2), uuid(3)];
    let wait = Waiting::start(80, "beam-task wait --color never", &ids);
    wait.pane
        .wait_for_screen("three live lines", |s| running(s) == 3);
    wait.pane.resize(50, 24);
    wait.pane
        .wait_for_screen("the live lines redrawn at 50 columns", |s| {
            running(s) == 3 && s.iter().all(|r| r.chars().count() < 50)
        });
    wait.complete();
    assert_eq!(wait.pane.wait_for_exit(), 0);
    let screen = wait.pane.screen();
    assert!(
        screen
            .iter()
            .all(|row| !row.contains("RUN") && !row.contains('⠁')),
        "a live line was left:\n{}",
        screen.join("\n")
    );
    let rows: Vec<&String> = screen.iter().filter(|r| r.contains("✓ COMPLETE")).collect();
    assert_eq!(rows.len(), 3, "the result:\n{}", screen.join("\n"));
    assert!(wait.pane.cursor_visible());
}

/// Narrowed, then Ctrl-C at once: still nothing left.
#[test]
fn ctrl_c_right_after_a_resize_leaves_a_blank_screen() {
    let wait = Waiting::start(80, "beam-task wait", &[uuid(1), uuid(2)]);
    wait.pane
        .wait_for_screen("two live lines", |s| running(s) == 2);
    wait.pane.resize(50, 24);
    wait.pane.interrupt();
}

/// 50 tasks in a 30-row pane: as many lines as fit, and one line that
/// counts the rest.
#[test]
fn more_tasks_than_rows_end_in_a_summary_line() {
    let ids: Vec<String> = (0..50).map(uuid).collect();
    let pending: Vec<String> = ids[44..].to_vec();
    let server = Server::http(move |request| {
        let pending = pending
            .iter()
            .any(|id| request.path() == format!("/v2/task/{id}/"));
        Reply::json(task_json(if pending { "PENDING" } else { "RUNNING" }))
    });
    let pane = Pane::start(
        &server.url(),
        100,
        30,
        &format!("beam-task wait --color never {}", ids.join(" ")),
    );
    let summary = "+21 more: 15 running, 6 pending";
    let screen = pane.wait_for_screen("the summary line", |s| s.iter().any(|r| r == summary));
    assert_eq!(screen.len(), 30, "{}", screen.join("\n"));
    for (row, id) in screen[..29].iter().zip(&ids) {
        assert!(
            row.contains(&format!("{id} ● RUNNING for")),
            "{row} for {id}"
        );
    }
    assert_eq!(screen[29], summary);
    pane.interrupt();
}
