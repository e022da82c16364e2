//! `logs -f`: after the history, the task's log stream
//! (`GET /api/v1/logs/{ws}/stream`), until the task has finished and the
//! stream has gone quiet.
//!
//! Three threads tell the main one what they hear, on one channel:
//! - the stream's reader: each line, from the one after the last printed;
//!   a cut stream is opened again after the last line seen, with the
//!   subscribe stream's backoff, and a line seen twice is dropped;
//! - the task's watcher: reads of `GET /v2/task/{id}/` on the wait's
//!   adaptive schedule, until one says that the task has finished;
//! - the signals (Ctrl-C).
//!
//! The stream never ends by itself: once the task has finished, lines are
//! read until the stream has been quiet for [`QUIET`], so that the last
//! ones (written just before the end, shipped just after) are not lost.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use anyhow::Result;
use serde_json::Value;

use crate::api::task::Task;
use crate::api::{self, LogStart};
use crate::clock;
use crate::commands::logs::lines::{Printer, seq_num};
use crate::commands::wait::subscribe::{Backoff, SILENCE};
use crate::commands::wait::{gap, give_up};
use crate::config::settings::{WAIT_RETRIES, WaitPlan};
use crate::exit_codes::ExitCode;
use crate::failure::Failure;
use crate::log;
use crate::net::client::Client;
use crate::net::retry;
use crate::net::sse;
use crate::net::stream::StreamEnd;
use crate::output::render::human;
use crate::output::{self, report::Reporter};
use crate::term::signals;
use crate::text::one_line;

/// How long the stream must stay quiet, once the task has finished, before
/// the follow ends.
pub const QUIET: Duration = Duration::from_secs(1);

/// How long a finished task's stream is given to open, when it is down,
/// before the follow ends without it.
const OPEN_GRACE: Duration = Duration::from_secs(5);

/// The most messages handled before what they printed is written out.
const BATCH: usize = 1000;

/// Where and how to follow one task.
pub struct Follow {
    /// The workspace API, for the stream.
    pub app: Arc<Client>,
    /// The task API, for the task's status.
    pub api: Arc<Client>,
    pub workspace: String,
    pub id: String,
    /// Where the stream starts: after the last line of the history.
    pub start: LogStart,
    /// When to give up (`--timeout`), and the timeout as given.
    pub deadline: Option<(Instant, Duration)>,
}

/// What the main thread hears.
enum Heard {
    Line(Value),
    /// A stream is open: lines from now on come on it.
    Opened,
    /// The task has finished.
    Finished(Task),
    /// Following cannot go on.
    Failed(Failure),
    /// Ctrl-C, SIGTERM or SIGHUP: the process is to end by it.
    Interrupted,
}

/// How one stream ended.
enum Ended {
    /// Quiet for [`SILENCE`]: open it again at once.
    Silent,
    /// Cut, closed, or failing for a while: back off, open it again.
    Cut(Failure),
    /// Refused for good.
    Final(Failure),
    /// Nobody listens any more.
    Stop,
}

impl Follow {
    /// Follows until the task has finished and its stream gone quiet (its
    /// status's exit code), `--timeout` (124) or a signal (130).
    pub fn run(self, printer: &mut Printer, reporter: &Reporter) -> Result<ExitCode> {
        let (sender, receiver) = mpsc::channel();
        let on_signal = sender.clone();
        let _catching = signals::catch(move || {
            let _ = on_signal.send(Heard::Interrupted);
        })?;
        let deadline = self.deadline;
        let api = Arc::clone(&self.api);
        let id = self.id.clone();
        self.start_threads(sender)?;
        let mut state = State::default();
        loop {
            let wake = [deadline.map(|(at, _)| at), state.quiet_end()]
                .into_iter()
                .flatten()
                .min();
            let mut heard = next(&receiver, wake);
            let mut handled = 0;
            while let Some(message) = heard {
                if let Some(end) = state.handle(message, printer)? {
                    printer.flush()?;
                    return Ok(end);
                }
                handled += 1;
                heard = (handled < BATCH)
                    .then(|| receiver.try_recv().ok())
                    .flatten();
            }
            printer.flush()?;
            let now = Instant::now();
            if let Some(task) = &state.finished
                && state.quiet_end().is_some_and(|end| now >= end)
            {
                return Ok(output::status_code(task.status(), ExitCode::NotFinished));
            }
            if let Some((at, timeout)) = deadline
                && now >= at
            {
                reporter.note(&deadline_note(timeout, &id));
                return Ok(ExitCode::WaitDeadline);
            }
            if printer.closed() {
                // Nobody reads any more: the task's status as it is now.
                let task = api::get_task(&api, &id)?;
                return Ok(output::status_code(task.status(), ExitCode::NotFinished));
            }
        }
    }

    fn start_threads(self, sender: Sender<Heard>) -> Result<()> {
        let Follow {
            app,
            api,
            workspace,
            id,
            start,
            ..
        } = self;
        let lines = sender.clone();
        let stream_id = id.clone();
        std::thread::Builder::new()
            .name("log stream".into())
            .spawn(move || read_stream(&app, &workspace, &stream_id, start, &lines))?;
        std::thread::Builder::new()
            .name("task status".into())
            .spawn(move || watch_status(&api, &id, &sender))?;
        Ok(())
    }
}

/// What the main thread knows.
struct State {
    /// The task's final read, once it has finished.
    finished: Option<Task>,
    /// A stream has opened since the task finished, or before.
    opened: bool,
    /// The last line, the stream's opening, or the finish: the quiet since.
    heard_at: Instant,
    finished_at: Instant,
}

impl Default for State {
    fn default() -> State {
        State {
            finished: None,
            opened: false,
            heard_at: Instant::now(),
            finished_at: Instant::now(),
        }
    }
}

impl State {
    /// When the follow ends, the stream staying quiet: only once the task
    /// has finished.
    fn quiet_end(&self) -> Option<Instant> {
        self.finished.as_ref()?;
        Some(if self.opened {
            self.heard_at + clock::real(QUIET)
        } else {
            self.finished_at + clock::real(OPEN_GRACE)
        })
    }

    /// Takes one message; returns the exit code when it ends the follow.
    fn handle(&mut self, heard: Heard, printer: &mut Printer) -> Result<Option<ExitCode>> {
        let now = Instant::now();
        match heard {
            Heard::Line(record) => {
                printer.push(&record, true)?;
                self.heard_at = now;
            }
            Heard::Opened => {
                self.opened = true;
                self.heard_at = now;
            }
            Heard::Finished(task) => {
                self.finished = Some(task);
                self.finished_at = now;
                self.heard_at = now;
            }
            Heard::Failed(failure) => return Err(failure.into()),
            Heard::Interrupted => return Ok(Some(ExitCode::Interrupted)),
        }
        Ok(None)
    }
}

/// The next message, or `None` once `wake` has come.
fn next(receiver: &Receiver<Heard>, wake: Option<Instant>) -> Option<Heard> {
    match wake {
        Some(wake) => receiver
            .recv_timeout(wake.saturating_duration_since(Instant::now()))
            .ok(),
        // The signals' sender lives as long as the process.
        None => receiver.recv().ok(),
    }
}

/// `the --timeout (10m 00s) passed before task abc finished`.
fn deadline_note(timeout: Duration, id: &str) -> String {
    let timeout = jiff::SignedDuration::try_from(timeout)
        .map_or_else(|_| String::new(), |t| format!(" ({})", human::duration(t)));
    format!("the --timeout{timeout} passed before task {id} finished")
}

/// Reads the stream from `start`, opening it again after each cut, after
/// the last line seen, until following fails for good or nobody listens.
fn read_stream(app: &Client, workspace: &str, id: &str, mut start: LogStart, tell: &Sender<Heard>) {
    let mut backoff = Backoff::default();
    loop {
        match read_once(app, workspace, id, &mut start, tell, &mut backoff) {
            Ended::Silent => backoff = Backoff::default(),
            Ended::Stop => return,
            Ended::Final(failure) => {
                let _ = tell.send(Heard::Failed(failure));
                return;
            }
            Ended::Cut(failure) => {
                backoff.failures_in_a_row += 1;
                say(id, &format!("{failure}; opening it again"));
                if backoff.failures_in_a_row > WAIT_RETRIES {
                    let _ = tell.send(Heard::Failed(give_up(failure, backoff.failures_in_a_row)));
                    return;
                }
                // Never sooner than the server asked.
                clock::sleep(backoff.pause.max(failure.retry_after().unwrap_or_default()));
                backoff.grow();
            }
        }
    }
}

/// Opens the stream once and reads it to its end; `start` moves past each
/// line heard.
fn read_once(
    app: &Client,
    workspace: &str,
    id: &str,
    start: &mut LogStart,
    tell: &Sender<Heard>,
    backoff: &mut Backoff,
) -> Ended {
    let mut stream = match api::task_log_stream(app, workspace, id, *start, SILENCE) {
        Ok(stream) => stream,
        Err(failure) if failure.may_pass_in_time() => return Ended::Cut(failure),
        Err(failure) => return Ended::Final(failure),
    };
    match stream.status() {
        200..=299 if stream.is_event_stream() => {}
        200..=299 => {
            return Ended::Final(Failure::BadResponse(format!(
                "the log stream answered {}, not text/event-stream",
                stream.content_type().unwrap_or("no content type")
            )));
        }
        _ => {
            let failure = api::logs_failure(workspace, id, app.refusal(stream));
            return if failure.may_pass_in_time() {
                Ended::Cut(failure)
            } else {
                Ended::Final(failure)
            };
        }
    }
    if tell.send(Heard::Opened).is_err() {
        return Ended::Stop;
    }
    let mut parser = sse::Parser::new();
    let mut buffer = vec![0; 64 * 1024];
    let mut lines_heard = 0;
    loop {
        let read = match stream.read(&mut buffer) {
            Ok(read) => read,
            Err(StreamEnd::Silent) => return Ended::Silent,
            Err(StreamEnd::Closed) => {
                return Ended::Cut(Failure::unreachable("the log stream closed"));
            }
            Err(StreamEnd::Broken(failure)) => return Ended::Cut(failure),
        };
        let events = match parser.feed(&buffer[..read]) {
            Ok(events) => events,
            Err(why) => return Ended::Cut(Failure::BadResponse(why)),
        };
        for event in events {
            match event.kind.as_str() {
                "log" => {}
                "error" => return Ended::Cut(Failure::unreachable(server_error(&event.data))),
                _ => continue,
            }
            let record: Value = match serde_json::from_str(&event.data) {
                Ok(record) => record,
                Err(e) => {
                    return Ended::Cut(Failure::BadResponse(format!(
                        "a line of the log stream is not JSON ({e})"
                    )));
                }
            };
            // Resumed after the furthest line: a line sent again is not a
            // step back.
            if let Some(seq) = seq_num(&record)
                && !matches!(*start, LogStart::After(last) if last >= seq)
            {
                *start = LogStart::After(seq);
            }
            lines_heard += 1;
            // A second line on one connection: the stream holds.
            if lines_heard == 2 {
                *backoff = Backoff::default();
            }
            if tell.send(Heard::Line(record)).is_err() {
                return Ended::Stop;
            }
        }
    }
}

/// `the log stream failed: <the server's error>`.
fn server_error(data: &str) -> String {
    let error = serde_json::from_str::<Value>(data)
        .ok()
        .and_then(|value| value.get("error")?.as_str().map(one_line))
        .unwrap_or_else(|| one_line(data));
    format!("the log stream failed: {error}")
}

/// Reads the task on its adaptive schedule until it has finished, or the
/// reads fail for good (after `WAIT_RETRIES` transient failures in a row).
fn watch_status(api: &Client, id: &str, tell: &Sender<Heard>) {
    let plan = WaitPlan {
        timeout: None,
        interval: None,
        fail_fast: false,
        retries: WAIT_RETRIES,
        listen: false,
    };
    let mut seen = None;
    let mut polls_since_change = 0;
    let mut failures = 0;
    loop {
        let pause = match api::get_task_once(api, id) {
            Ok(task) if task.status().is_finished() => {
                let _ = tell.send(Heard::Finished(task));
                return;
            }
            Ok(task) => {
                failures = 0;
                if seen.as_ref() == Some(task.status()) {
                    polls_since_change += 1;
                } else {
                    polls_since_change = 0;
                    seen = Some(task.status().clone());
                }
                gap(&plan, polls_since_change)
            }
            Err(failure) if failure.may_pass_in_time() && failures < WAIT_RETRIES => {
                failures += 1;
                say(id, &format!("{failure}; reading the task again"));
                retry::backoff(failures - 1, &failure, fastrand::f64())
            }
            Err(failure) => {
                let _ = tell.send(Heard::Failed(failure));
                return;
            }
        };
        clock::sleep(pause);
    }
}

/// Says on stderr, with `--verbose`, why a stream ended.
fn say(id: &str, line: &str) {
    log::line(&format!("* task {id}: {}", one_line(line)));
}
