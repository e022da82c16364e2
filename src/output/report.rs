//! How failures reach the user: one `error:` line on stderr (and a `hint:`
//! line when one helps), and the exit code of an error that ended the run.

use std::io::{self, Write};
use std::panic;

use owo_colors::OwoColorize;

use crate::exit_codes::ExitCode;
use crate::failure::Failure;
use crate::text::one_line;

/// The exit code for an error that ended the run: the code of the first
/// [`Failure`] in its chain, or `Internal` when nothing classified it.
pub fn exit_code(err: &anyhow::Error) -> ExitCode {
    classified(err).map_or(ExitCode::Internal, Failure::exit_code)
}

fn classified(err: &anyhow::Error) -> Option<&Failure> {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<Failure>())
}

/// Writes errors on stderr, colored or not as decided once from `--color`,
/// `NO_COLOR` and whether stderr is a terminal.
#[derive(Debug, Clone, Copy)]
pub struct Reporter {
    color: bool,
    /// Whether notes are written; errors always are.
    notes: bool,
}

impl Reporter {
    pub fn new(color: bool) -> Reporter {
        Reporter { color, notes: true }
    }

    /// The same, writing no notes: `-q` (errors are still written).
    pub fn without_notes(self) -> Reporter {
        Reporter {
            notes: false,
            ..self
        }
    }

    /// An error that ended the run.
    pub fn report(&self, err: &anyhow::Error) {
        self.print(&format!("{err:#}"), classified(err).and_then(hint));
    }

    /// The failure of one task among several.
    pub fn report_task(&self, id: &str, failure: &Failure) {
        let message = match failure {
            // The message already names the task.
            Failure::NotFound { .. } => failure.to_string(),
            _ => format!("task {id}: {failure}"),
        };
        self.print(&message, hint(failure));
    }

    /// A line that is not an error: something worth knowing about a task.
    pub fn note(&self, message: &str) {
        if self.notes {
            let _ = writeln!(io::stderr().lock(), "{}", one_line(message));
        }
    }

    fn print(&self, message: &str, hint: Option<&str>) {
        // Messages are one line: a body or an OS error may carry newlines.
        let message = one_line(message);
        let mut stderr = io::stderr().lock();
        let _ = if self.color {
            writeln!(stderr, "{} {message}", "error:".red().bold())
        } else {
            writeln!(stderr, "error: {message}")
        };
        if let Some(hint) = hint {
            let _ = if self.color {
                writeln!(stderr, "{} {hint}", "hint:".cyan())
            } else {
                writeln!(stderr, "hint: {hint}")
            };
        }
    }
}

/// What to do about a failure, when there is something to say.
fn hint(failure: &Failure) -> Option<&str> {
    match failure {
        Failure::Config { hint, .. } => hint.as_deref(),
        Failure::Unauthorized { .. } => {
            Some("check the token, or create a new one in the Beam dashboard")
        }
        Failure::WorkspaceRefused { .. } => Some(
            "check --workspace or BEAM_WORKSPACE, or leave it out to use the token's own workspace",
        ),
        Failure::NotFound { .. } => {
            Some("check the ID, and that the token belongs to the task's workspace")
        }
        Failure::NoLogs { .. } => {
            Some("this Beam server keeps no task logs; see them in the Beam dashboard")
        }
        _ => None,
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
            report.starts_with("error: internal error at src/output/report.rs:"),
            "{report}"
        );
        assert!(!report.contains(secret), "{report}");
    }
}
