//! What went wrong, classified: each kind of failure has one exit code.
//!
//! Modules return a [`Failure`] for every failure a user can cause or meet;
//! `anyhow` only adds context on the way up. [`exit_code`] finds the
//! `Failure` in an error chain, so the code never depends on message text.

use std::fmt;
use std::io::{self, Write};
use std::panic;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use owo_colors::OwoColorize;

use crate::exit_codes::ExitCode;
use crate::text::one_line;

/// Where the token in use came from, named in messages (never its value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    Flag,
    Env,
    ConfigFile { path: String, context: String },
}

impl fmt::Display for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSource::Flag => f.write_str("--token"),
            TokenSource::Env => f.write_str("BEAM_TOKEN"),
            TokenSource::ConfigFile { path, context } => {
                write!(f, "context [{context}] of {path}")
            }
        }
    }
}

/// Whether trying an unreachable API again may help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Connection errors, timeouts, an answer cut short, HTTP 429, 500,
    /// 502, 503 and 504: a request is tried again after a short backoff.
    Soon,
    /// Any other 5xx (501, 505, a proxy's 520–524): not worth a request's
    /// quick retries, but a wait, polling for minutes, may outlast it.
    Later,
    /// Trying again cannot help: a refused certificate, broken redirects, a
    /// `Retry-After` too far away, or a wait that has given up.
    Never,
}

/// A classified failure. The variant decides the exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("{0}")]
    Usage(String),

    #[error("{message}")]
    Config {
        message: String,
        hint: Option<String>,
    },

    #[error("task {id} not found{}", detail(.message))]
    NotFound { id: String, message: Option<String> },

    #[error("the API refused the token from {source_name} (HTTP {status}){}", detail(.message))]
    Unauthorized {
        status: u16,
        source_name: TokenSource,
        message: Option<String>,
    },

    #[error("{reason}")]
    Unreachable {
        reason: String,
        /// How long the server asked us to wait before the next try.
        retry_after: Option<Duration>,
        /// Whether trying again may help, and how soon.
        retry: Retry,
    },

    #[error("{0}")]
    BadResponse(String),
}

/// `: message`, or nothing when there is no message.
pub fn detail(message: &Option<String>) -> String {
    match message {
        Some(m) if !m.is_empty() => format!(": {m}"),
        _ => String::new(),
    }
}

impl Failure {
    pub fn config(message: impl Into<String>) -> Self {
        Failure::Config {
            message: message.into(),
            hint: None,
        }
    }

    pub fn unreachable(reason: impl Into<String>) -> Self {
        Failure::Unreachable {
            reason: reason.into(),
            retry_after: None,
            retry: Retry::Soon,
        }
    }

    /// The one place where a failure becomes an exit code.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Usage(_) => ExitCode::Usage,
            Failure::Config { .. } => ExitCode::Config,
            Failure::NotFound { .. } => ExitCode::NotFound,
            Failure::Unauthorized { .. } => ExitCode::Unauthorized,
            Failure::Unreachable { .. } => ExitCode::Unreachable,
            Failure::BadResponse(_) => ExitCode::BadResponse,
        }
    }

    /// True when the same request may succeed if tried again soon: what a
    /// request's `--retries` are for.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Failure::Unreachable {
                retry: Retry::Soon,
                ..
            }
        )
    }

    /// How long the server asked us to wait before trying again.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Failure::Unreachable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// True when the failure may pass with time: what a wait outlasts.
    pub fn may_pass_in_time(&self) -> bool {
        matches!(
            self,
            Failure::Unreachable {
                retry: Retry::Soon | Retry::Later,
                ..
            }
        )
    }

    fn hint(&self) -> Option<&str> {
        match self {
            Failure::Config { hint, .. } => hint.as_deref(),
            Failure::Unauthorized { .. } => {
                Some("check the token, or create a new one in the Beam dashboard")
            }
            Failure::NotFound { .. } => {
                Some("check the ID, and that the token belongs to the task's workspace")
            }
            _ => None,
        }
    }
}

/// The exit code for an error that ended `run`: the code of the first
/// [`Failure`] in its chain, or `Internal` when nothing classified it.
pub fn exit_code(err: &anyhow::Error) -> ExitCode {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<Failure>())
        .map_or(ExitCode::Internal, Failure::exit_code)
}

/// Prints an error on stderr: one `error:` line, and a `hint:` line when one
/// helps.
pub fn report(err: &anyhow::Error) {
    let hint = err
        .chain()
        .find_map(|cause| cause.downcast_ref::<Failure>())
        .and_then(Failure::hint);
    print_error(&format!("{err:#}"), hint);
}

/// Prints one failure of one task among several, after a task-ID prefix.
pub fn report_task(id: &str, failure: &Failure) {
    let message = match failure {
        // The message already names the task.
        Failure::NotFound { .. } => failure.to_string(),
        _ => format!("task {id}: {failure}"),
    };
    print_error(&message, failure.hint());
}

/// Whether `error:` and `hint:` are colored: set once by `main`, from
/// `--color`, `NO_COLOR` and whether stderr is a terminal.
static COLOR_ERRORS: AtomicBool = AtomicBool::new(false);

pub fn color_errors(on: bool) {
    COLOR_ERRORS.store(on, Ordering::Relaxed);
}

/// Whether stderr is colored, as `main` decided.
pub fn errors_colored() -> bool {
    COLOR_ERRORS.load(Ordering::Relaxed)
}

fn print_error(message: &str, hint: Option<&str>) {
    let color = errors_colored();
    // Messages are one line: a body or an OS error may carry newlines.
    let message = one_line(message);
    let mut stderr = io::stderr().lock();
    let _ = if color {
        writeln!(stderr, "{} {message}", "error:".red().bold())
    } else {
        writeln!(stderr, "error: {message}")
    };
    if let Some(hint) = hint {
        let _ = if color {
            writeln!(stderr, "{} {hint}", "hint:".cyan())
        } else {
            writeln!(stderr, "hint: {hint}")
        };
    }
}

/// A panic prints where it happened and nothing of its message, which
/// could hold anything, the token included.
pub fn report_panic(info: &panic::PanicHookInfo<'_>, out: &mut dyn Write) {
    let location = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "error: internal error{location}; please report this bug"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;
    use std::sync::{Arc, Mutex};
    use std::thread;

    #[test]
    fn exit_code_comes_from_the_failure_under_context() {
        let err = Err::<(), _>(Failure::BadResponse("not JSON".into()))
            .context("reading task abc")
            .unwrap_err();
        assert_eq!(exit_code(&err), ExitCode::BadResponse);
    }

    #[test]
    fn unclassified_errors_are_internal() {
        let err = anyhow::anyhow!("task not found");
        assert_eq!(exit_code(&err), ExitCode::Internal);
    }

    #[test]
    fn unauthorized_names_the_source_not_the_token() {
        let failure = Failure::Unauthorized {
            status: 401,
            source_name: TokenSource::Env,
            message: Some("Unauthorized".into()),
        };
        assert_eq!(
            failure.to_string(),
            "the API refused the token from BEAM_TOKEN (HTTP 401): Unauthorized"
        );
    }

    #[test]
    fn a_panic_report_shows_the_location_but_not_the_message() {
        let secret = "token-in-a-panic-5f1e";
        let report = Arc::new(Mutex::new(Vec::new()));
        // The hook is process-wide: panics of other test threads go on to
        // the harness's hook.
        let previous: Arc<dyn Fn(&panic::PanicHookInfo<'_>) + Send + Sync> =
            Arc::from(panic::take_hook());
        let this_thread = thread::current().id();
        {
            let report = Arc::clone(&report);
            let previous = Arc::clone(&previous);
            panic::set_hook(Box::new(move |info| {
                if thread::current().id() == this_thread {
                    report_panic(info, &mut *report.lock().unwrap());
                } else {
                    previous(info);
                }
            }));
        }
        let result = panic::catch_unwind(|| panic!("the token is {secret}"));
        drop(panic::take_hook());
        panic::set_hook(Box::new(move |info| previous(info)));

        assert!(result.is_err());
        let report = String::from_utf8(report.lock().unwrap().clone()).unwrap();
        assert!(
            report.starts_with("error: internal error at src/failure.rs:"),
            "{report}"
        );
        assert!(!report.contains(secret), "{report}");
    }
}
