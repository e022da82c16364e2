//! Test helpers: run the real binary against a local server, in an
//! environment that owes nothing to the user's.
//!
//! Some helpers serve only the Unix-only tests (shell pipes, signals).
#![cfg_attr(not(unix), allow(dead_code))]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};

use assert_cmd::Command;
use tempfile::TempDir;

pub use relay::Relay;
pub use server::{Reply, Request, Server};

mod relay;
mod server;

/// The token every test uses. [`Beam::run`] checks that it never appears
/// in any output.
pub const TOKEN: &str = "beam-test-token-7d3f9a";

/// A fixture from `tests/fixtures/`.
pub fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A task body with the given status (the seed page's example otherwise).
pub fn task_json(status: &str) -> String {
    fixture("seed_complete.json").replace("\"COMPLETE\"", &format!("\"{status}\""))
}

/// A `beam-task` command against `api_url`, with `BEAM_TOKEN` set to
/// [`TOKEN`], `HOME` in a fresh temp folder, `TZ=UTC`, and no `BEAM_*`,
/// proxy, color or TLS variables from the outside.
pub struct Beam {
    cmd: Command,
    home: TempDir,
}

impl Beam {
    pub fn new(api_url: &str) -> Beam {
        Beam::isolated(
            Command::cargo_bin("beam-task").expect("binary built"),
            api_url,
        )
    }

    /// `shell -c script` (for pipes and README examples), run in the temp
    /// `HOME`, with the built `beam-task` first on `PATH` and the same
    /// environment as [`Beam::new`].
    pub fn shell(api_url: &str, shell: &str, script: &str) -> Beam {
        let bin_dir = Path::new(env!("CARGO_BIN_EXE_beam-task"))
            .parent()
            .expect("the binary is in a folder");
        let path = std::env::var_os("PATH").unwrap_or_default();
        let path = std::env::join_paths(
            std::iter::once(bin_dir.to_path_buf()).chain(std::env::split_paths(&path)),
        )
        .expect("PATH entries without separators");
        let mut cmd = Command::new(shell);
        cmd.args(["-c", script]).env("PATH", path);
        let mut beam = Beam::isolated(cmd, api_url);
        beam.cmd.current_dir(beam.home.path());
        beam
    }

    fn isolated(mut cmd: Command, api_url: &str) -> Beam {
        let home = tempfile::tempdir().expect("temp HOME");
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy().to_string();
            let upper = name.to_ascii_uppercase();
            if upper.starts_with("BEAM_")
                || upper.ends_with("_PROXY")
                || upper == "NO_COLOR"
                || upper == "CLICOLOR_FORCE"
                || upper.starts_with("SSL_CERT")
                || upper == "TZ"
                || upper == "COLUMNS"
            {
                cmd.env_remove(&name);
            }
        }
        cmd.env("HOME", home.path())
            .env("USERPROFILE", home.path())
            .env("TZ", "UTC")
            .env("BEAM_API_URL", api_url)
            // Every base URL is local: no test looks up a real host.
            .env("BEAM_APP_URL", api_url)
            .env("BEAM_TOKEN", TOKEN)
            .env("BEAM_TASK_TIME_SCALE", "0.01");
        Beam { cmd, home }
    }

    /// The temp folder the command sees as `HOME`.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Writes `~/.beam/config.ini` in the temp HOME and returns its path.
    pub fn config_file(&self, text: &str) -> PathBuf {
        let dir = self.home.path().join(".beam");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.ini");
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn args<I, S>(mut self, args: I) -> Beam
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub fn env(mut self, name: &str, value: impl AsRef<OsStr>) -> Beam {
        self.cmd.env(name, value);
        self
    }

    pub fn env_remove(mut self, name: &str) -> Beam {
        self.cmd.env_remove(name);
        self
    }

    pub fn stdin(mut self, input: &str) -> Beam {
        self.cmd.write_stdin(input.to_string());
        self
    }

    /// Starts the command without waiting for it (stdin empty, stdout and
    /// stderr captured), for tests that signal the process.
    pub fn spawn(self) -> Started {
        self.start(false)
    }

    /// As [`Beam::spawn`], in a process group of its own, as a terminal
    /// puts a shell's foreground job: [`Started::signal_group`] then
    /// signals it the way Ctrl-C does.
    #[cfg(unix)]
    pub fn spawn_in_own_group(self) -> Started {
        self.start(true)
    }

    fn start(self, own_group: bool) -> Started {
        let mut cmd = std::process::Command::new(self.cmd.get_program());
        cmd.args(self.cmd.get_args());
        for (name, value) in self.cmd.get_envs() {
            match value {
                Some(value) => cmd.env(name, value),
                None => cmd.env_remove(name),
            };
        }
        if let Some(dir) = self.cmd.get_current_dir() {
            cmd.current_dir(dir);
        }
        #[cfg(unix)]
        if own_group {
            std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        }
        #[cfg(not(unix))]
        let _ = own_group;
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        Started {
            child,
            _home: self.home,
        }
    }

    /// Runs to the end (at most 60 s) and checks that the token leaked
    /// nowhere.
    pub fn run(mut self) -> Run {
        self.cmd.timeout(std::time::Duration::from_secs(60));
        let output = self.cmd.output().expect("runs");
        Run::from(output)
    }
}

/// A command started by [`Beam::spawn`].
pub struct Started {
    child: Child,
    _home: TempDir,
}

impl Started {
    /// Sends SIGINT to the process.
    #[cfg(unix)]
    pub fn interrupt(&self) {
        kill("INT", &self.child.id().to_string());
    }

    /// Sends `signal` (`INT`, `TERM`, …) to the process's group, as a
    /// terminal's Ctrl-C does to its foreground job.
    #[cfg(unix)]
    pub fn signal_group(&self, signal: &str) {
        kill(signal, &format!("-{}", self.child.id()));
    }

    /// Waits for the end and checks that the token leaked nowhere.
    pub fn finish(self) -> Run {
        Run::from(self.child.wait_with_output().expect("waits"))
    }
}

/// `kill -SIGNAL -- TARGET`, with bash's own `kill` (the kill binary,
/// procps, may be missing; dash's takes no `--` before a group).
#[cfg(unix)]
pub fn kill(signal: &str, target: &str) {
    let status = std::process::Command::new("bash")
        .args(["-c", &format!("kill -{signal} -- {target}")])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{signal} -- {target} failed");
}

/// What a run left behind.
#[derive(Debug)]
pub struct Run {
    /// The exit code; -1 when a signal ended the process.
    pub code: i32,
    /// The signal that ended the process, if one did.
    pub signal: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        #[cfg(unix)]
        let signal = std::os::unix::process::ExitStatusExt::signal(&output.status);
        #[cfg(not(unix))]
        let signal = None;
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            signal,
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(
            !run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
            "the token leaked into the output:\n{run:#?}"
        );
        run
    }
}

impl Run {
    /// Asserts the exit code, showing the whole run when it differs.
    pub fn code(self, expected: i32) -> Run {
        assert_eq!(self.code, expected, "unexpected exit code:\n{self:#?}");
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// A port on loopback where nothing listens.
pub fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A mockito server answering GET /v2/task/{id}/ with `status` and `body`.
pub fn mock_task(
    server: &mut mockito::ServerGuard,
    id: &str,
    status: usize,
    body: &str,
) -> mockito::Mock {
    server
        .mock("GET", format!("/v2/task/{id}/").as_str())
        .with_status(status)
        .with_header("content-type", "application/json")
        .with_body(body)
        .create()
}
