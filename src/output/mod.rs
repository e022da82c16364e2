//! What a command shows and how it ends: tasks on stdout in the chosen
//! format, failures on stderr, and the exit rule that turns both into one
//! exit code.
//!
//! Results are handed over in the order asked, each as soon as it and all
//! before it are known, and nothing is kept once printed, except a small row
//! of text per task for a table (whose column widths need every row).

pub mod jq;
pub mod live;
pub mod render;
pub mod report;
pub mod transfers;

use std::io::{self, Write};

use anyhow::Result;
use jiff::Timestamp;
use jiff::tz::TimeZone;

use self::jq::Jq;
use self::render::{OutputMode, RenderContext, table};
use crate::api::task::{Task, TaskStatus};
use crate::exit_codes::ExitCode;
use crate::failure::Failure;
use crate::output::report::Reporter;
use crate::term;

/// How the tasks are shown on stdout.
#[derive(Debug, Clone, Copy)]
pub struct OutputSettings {
    pub mode: OutputMode,
    pub quiet: bool,
    /// Tables and cards are colored.
    pub color: bool,
    /// One task ID was given (not `-`): a card and a JSON object. The
    /// shape follows what was typed, never the data: IDs from stdin, or two
    /// arguments that are the same ID, still give a table and an array.
    pub single: bool,
    /// `--jq`: with `Json`, each task through this filter, its results a
    /// line each, instead of the object or the array.
    pub jq: Option<&'static Jq>,
}

/// Shows the results of one command, in order, and keeps the verdict.
pub struct Presenter<'a> {
    output: OutputSettings,
    reporter: &'a Reporter,
    verdict: Verdict,
    stdout: Stdout,
    context: RenderContext,
    /// The rows of a table, kept until every row (or every row of a page) is
    /// known.
    rows: Vec<table::Row>,
    /// The table's column widths, once its first rows are written.
    layout: Option<table::Layout>,
    /// Tasks shown so far.
    shown: usize,
    /// Elements of a JSON array written so far.
    json_elements: usize,
}

impl<'a> Presenter<'a> {
    pub fn new(output: OutputSettings, reporter: &'a Reporter, rule: StatusRule) -> Self {
        Presenter {
            output,
            reporter,
            verdict: Verdict::new(rule),
            stdout: Stdout::default(),
            context: RenderContext {
                color: output.color,
                now: Timestamp::now(),
                zone: TimeZone::system(),
                width: term::stdout_size().columns,
            },
            rows: Vec::new(),
            layout: None,
            shown: 0,
            json_elements: 0,
        }
    }

    /// The next result, in the order asked.
    pub fn push(&mut self, id: &str, result: Result<Task, Failure>) -> Result<()> {
        self.verdict.count(&result);
        let task = match result {
            Ok(task) => task,
            Err(failure) => {
                self.reporter.report_task(id, &failure);
                return Ok(());
            }
        };
        self.shown += 1;
        if self.output.quiet {
            return Ok(());
        }
        if let (OutputMode::Json, Some(jq)) = (self.output.mode, self.output.jq) {
            let stdout = &mut self.stdout;
            jq.print(&task.to_json(), &format!("task {id}"), |line| {
                stdout.write(line)
            })?;
            return Ok(());
        }
        let single = self.output.single;
        match self.output.mode {
            OutputMode::Table if single => {
                let card = table::render_card(id, &task, &self.context);
                self.stdout.write(card.as_bytes())?;
            }
            OutputMode::Table => self.rows.push(table::Row::new(id, &task, self.context.now)),
            OutputMode::Json if single => {
                self.stdout
                    .write(render::json::render_object(&task).as_bytes())?;
            }
            OutputMode::Json => {
                let lead = if self.json_elements == 0 {
                    render::json::ARRAY_START
                } else {
                    render::json::ARRAY_SEPARATOR
                };
                let element = render::json::render_array_element(&task);
                self.stdout.write(format!("{lead}{element}").as_bytes())?;
                self.json_elements += 1;
            }
            OutputMode::Raw => self.stdout.write(&render::raw::render_raw(&task))?,
            OutputMode::Ids => self.stdout.write(format!("{id}\n").as_bytes())?,
        }
        Ok(())
    }

    /// How many tasks were shown (or would have been, with `--quiet`).
    pub fn shown(&self) -> usize {
        self.shown
    }

    /// A page of a listing is complete: its table rows are written, laid out
    /// as the first page's.
    pub fn page_done(&mut self) -> Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let header = self.layout.is_none();
        let layout = self
            .layout
            .get_or_insert_with(|| table::Layout::fit(&self.rows, self.context.width));
        let text = layout.render(&self.rows, self.context.color, header);
        self.rows.clear();
        Ok(self.stdout.write(text.as_bytes())?)
    }

    /// The run failed part way: what was shown is left whole (the rows of a
    /// table written, an open JSON array closed), so that stdout stays
    /// readable; the failure is what the user must hear of.
    pub fn abandon(mut self) {
        let _ = self.page_done();
        if self.json_elements > 0 {
            let _ = self.stdout.write(render::json::ARRAY_END.as_bytes());
        }
    }

    /// Writes what waited for every result, and returns the exit code.
    pub fn finish(mut self) -> Result<ExitCode> {
        self.page_done()?;
        let array =
            self.output.mode == OutputMode::Json && !self.output.single && self.output.jq.is_none();
        if self.json_elements > 0 {
            self.stdout.write(render::json::ARRAY_END.as_bytes())?;
        } else if array && !self.output.quiet {
            // The shape follows what was asked, even when nothing came.
            self.stdout.write(b"[]\n")?;
        }
        Ok(self.verdict.exit_code())
    }
}

/// The run failed before it could show any task (no token, an API that
/// cannot be asked, a cancel refused): the failure ends it, but the shape
/// still follows what was typed, so several IDs give `[]` with `--json`
/// (`jq length` says 0). Returns the failure, to end the run with.
pub fn failed_before_any_task(output: OutputSettings, err: anyhow::Error) -> anyhow::Error {
    if output.mode == OutputMode::Json && !output.single && !output.quiet && output.jq.is_none() {
        // The failure is what the user must hear of, not this write's.
        let _ = print(b"[]\n");
    }
    err
}

/// How a task's status counts toward the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusRule {
    /// Each status has its own code (`status`, `wait`); `unfinished` is the
    /// code for a task that has not finished: `NotFinished` for a one-shot
    /// check, `WaitDeadline` when a wait ran out of time.
    Own { unfinished: ExitCode },
    /// Only whether the task finished, whatever its status (`cancel`).
    Finished,
    /// Not at all: only request failures count (`--exit-zero`,
    /// `cancel --dry-run`).
    Ignored,
}

/// The exit rule, kept as results arrive in the order asked: the first
/// request failure if there is one; otherwise the most severe status.
#[derive(Debug)]
pub struct Verdict {
    rule: StatusRule,
    first_failure: Option<ExitCode>,
    statuses: ExitCode,
}

impl Verdict {
    pub fn new(rule: StatusRule) -> Verdict {
        Verdict {
            rule,
            first_failure: None,
            statuses: ExitCode::Success,
        }
    }

    pub fn count(&mut self, result: &Result<Task, Failure>) {
        match result {
            Ok(task) => {
                let code = match self.rule {
                    StatusRule::Own { unfinished } => status_code(task.status(), unfinished),
                    StatusRule::Finished if !task.status().is_finished() => ExitCode::NotFinished,
                    StatusRule::Finished | StatusRule::Ignored => ExitCode::Success,
                };
                self.statuses = ExitCode::most_severe([self.statuses, code]);
            }
            Err(failure) => {
                self.first_failure.get_or_insert(failure.exit_code());
            }
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        self.first_failure.unwrap_or(self.statuses)
    }
}

/// The exit code that a task's status stands for; `unfinished` for one
/// that has not finished.
pub fn status_code(status: &TaskStatus, unfinished: ExitCode) -> ExitCode {
    match status {
        TaskStatus::Complete => ExitCode::Success,
        TaskStatus::Pending | TaskStatus::Running | TaskStatus::Retry => unfinished,
        TaskStatus::Failed | TaskStatus::Error => ExitCode::Failed,
        TaskStatus::Cancelled => ExitCode::Cancelled,
        TaskStatus::Timeout => ExitCode::TimedOut,
        TaskStatus::Expired => ExitCode::Expired,
        TaskStatus::Unknown(_) => ExitCode::UnknownStatus,
    }
}

/// Stdout. A closed pipe (`| head -1`) is not an error: the reader has all
/// it wanted, and nothing more is written. Any other failure to write (a
/// full disk, a closed stdout) is [`Failure::Stdout`].
#[derive(Debug, Default)]
struct Stdout {
    closed: bool,
}

impl Stdout {
    fn write(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        if self.closed {
            return Ok(());
        }
        let written = write_with(|| {
            let mut stdout = io::stdout().lock();
            stdout.write_all(bytes)?;
            stdout.flush()
        });
        self.closed = matches!(written, Ok(false));
        written.map(|_| ())
    }
}

/// Runs `write`, which writes to stdout, then flushes stdout. `Ok(false)`
/// when the reader has gone (a closed pipe), which is not an error.
pub fn write_with(write: impl FnOnce() -> io::Result<()>) -> Result<bool, Failure> {
    let written = if closed_stdout::at_start() {
        // Rust's runtime put /dev/null in its place: writes would vanish.
        Err(closed_stdout::error())
    } else {
        write().and_then(|()| io::stdout().lock().flush())
    };
    match written {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(Failure::Stdout(crate::text::one_line(&e.to_string()))),
    }
}

/// Writes a whole output (a completion script, the man page) to stdout.
pub fn print(bytes: &[u8]) -> Result<(), Failure> {
    Stdout::default().write(bytes)
}

/// Whether stdout was closed when the process started (`>&-`). Rust's
/// runtime then opens /dev/null in its place before `main`, so that writes
/// would vanish without an error: a check made before that, while the C
/// runtime runs the program's constructors, tells.
#[cfg(unix)]
mod closed_stdout {
    use std::io;
    use std::sync::atomic::{AtomicBool, Ordering};

    static CLOSED: AtomicBool = AtomicBool::new(false);

    pub fn at_start() -> bool {
        CLOSED.load(Ordering::Relaxed)
    }

    pub fn error() -> io::Error {
        io::Error::from_raw_os_error(libc::EBADF)
    }

    extern "C" fn check() {
        // SAFETY: fcntl(F_GETFD) only reads the descriptor's flags; on a
        // closed descriptor it fails with EBADF and changes nothing.
        let closed = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) } == -1
            && io::Error::last_os_error().raw_os_error() == Some(libc::EBADF);
        CLOSED.store(closed, Ordering::Relaxed);
    }

    // Run by the C runtime before Rust's own start-up code.
    #[used]
    #[cfg_attr(
        target_vendor = "apple",
        unsafe(link_section = "__DATA,__mod_init_func")
    )]
    #[cfg_attr(not(target_vendor = "apple"), unsafe(link_section = ".init_array"))]
    static CHECK: extern "C" fn() = check;
}

/// Elsewhere a closed stdout is not told apart.
#[cfg(not(unix))]
mod closed_stdout {
    pub fn at_start() -> bool {
        false
    }

    pub fn error() -> std::io::Error {
        std::io::Error::other("stdout is closed")
    }
}

#[cfg(test)]
mod tests {
    use super::ExitCode::*;
    use super::*;

    fn task(status: &str) -> Result<Task, Failure> {
        Ok(Task::parse(format!(r#"{{"status":"{status}"}}"#).into_bytes()).unwrap())
    }

    fn outcome(results: Vec<Result<Task, Failure>>, unfinished: ExitCode, zero: bool) -> ExitCode {
        let rule = if zero {
            StatusRule::Ignored
        } else {
            StatusRule::Own { unfinished }
        };
        let mut verdict = Verdict::new(rule);
        for result in &results {
            verdict.count(result);
        }
        verdict.exit_code()
    }

    #[test]
    fn each_status_has_its_code() {
        let table = [
            ("COMPLETE", Success),
            ("PENDING", NotFinished),
            ("RUNNING", NotFinished),
            ("RETRY", NotFinished),
            ("FAILED", Failed),
            ("ERROR", Failed),
            ("CANCELLED", Cancelled),
            ("TIMEOUT", TimedOut),
            ("EXPIRED", Expired),
            ("SOMETHING_NEW", UnknownStatus),
        ];
        for (status, code) in table {
            assert_eq!(
                outcome(vec![task(status)], NotFinished, false),
                code,
                "{status}"
            );
        }
    }

    #[test]
    fn request_failures_outrank_statuses_first_one_wins() {
        let results = || {
            vec![
                task("FAILED"),
                Err(Failure::NotFound {
                    id: "a".into(),
                    message: None,
                }),
                Err(Failure::unreachable("down")),
            ]
        };
        assert_eq!(outcome(results(), NotFinished, false), NotFound);
        assert_eq!(outcome(results(), NotFinished, true), NotFound);
    }

    #[test]
    fn exit_zero_clears_statuses_only() {
        let results = || vec![task("FAILED"), task("RUNNING")];
        assert_eq!(outcome(results(), NotFinished, false), Failed);
        assert_eq!(outcome(results(), NotFinished, true), Success);
    }

    #[test]
    fn unfinished_tasks_take_the_callers_code() {
        let results = vec![task("COMPLETE"), task("RUNNING")];
        assert_eq!(outcome(results, WaitDeadline, false), WaitDeadline);
        let results = vec![task("PAUSED"), task("RUNNING")];
        assert_eq!(outcome(results, WaitDeadline, false), UnknownStatus);
    }

    #[test]
    fn the_finished_rule_asks_only_whether_each_task_finished() {
        let verdict = |statuses: &[&str]| {
            let mut verdict = Verdict::new(StatusRule::Finished);
            for status in statuses {
                verdict.count(&task(status));
            }
            verdict.exit_code()
        };
        assert_eq!(
            verdict(&["CANCELLED", "COMPLETE", "FAILED", "PAUSED"]),
            Success
        );
        assert_eq!(verdict(&["CANCELLED", "RUNNING"]), NotFinished);
    }
}
