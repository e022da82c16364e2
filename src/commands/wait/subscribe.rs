//! Following a task on the workspace API's subscribe stream
//! (`GET /api/v1/task/{ws}/{id}/subscribe`), a Server-Sent Events stream
//! that sends the task at once and again on every change of status.
//!
//! One thread follows one task and tells the wait what it hears:
//! - each event's task, which the wait shows as it would a poll's;
//! - after a finished status, or after the stream failed, one read of
//!   `GET /v2/task/{id}/`, which decides as a poll does (so the final
//!   output and exit code are those of `status`, and a stream never turns a
//!   missing task into 69);
//! - that the stream is not there for this task (404 or 405 on the route,
//!   501, an answer that is not `text/event-stream`, a proxy that will not
//!   pass it): the wait polls the task instead.
//!
//! The stream can be silent for hours, so it is opened again after
//! [`SILENCE`] without an event (the server answers the current status at
//! once), and after a dropped connection, with backoff on failures.

use std::sync::Arc;
use std::time::Duration;

use crate::api;
use crate::api::task::Task;
use crate::clock;
use crate::failure::Failure;
use crate::log;
use crate::net::client::Client;
use crate::net::sse;
use crate::net::stream::StreamEnd;
use crate::text::one_line;

/// The longest a stream may stay silent before it is opened again.
pub const SILENCE: Duration = Duration::from_secs(60);

/// The first pause after a failed stream; it doubles each time, up to
/// `MAX_BACKOFF`, and starts again once a stream held (see [`Backoff`]).
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// What following a task tells the wait.
#[derive(Debug)]
pub enum Heard {
    /// The task as an event of the stream carried it.
    Event(Task),
    /// A read of `GET /v2/task/{id}/`, after a finished status or a failed
    /// stream: it counts as a poll.
    Read(Result<Task, Failure>),
    /// The stream is not there for this task (`--verbose` says why): poll
    /// it instead.
    NotHere,
}

/// Where and how to follow one task.
pub struct Follow {
    /// The workspace API, for the stream.
    pub app: Arc<Client>,
    /// The task API, for the reads that decide.
    pub api: Arc<Client>,
    pub workspace: String,
    pub id: String,
    /// Failed streams in a row (a stream that held resets the count) before
    /// the task
    /// is polled instead: `--retries`.
    pub retries: u32,
}

/// The pause before a failed stream is opened again, and the failures in a
/// row so far. Only a stream that held (a second event on one connection,
/// or a whole silence) starts them over: the event a server sends as soon as
/// a stream opens says nothing of whether it will hold.
#[derive(Debug)]
pub(crate) struct Backoff {
    pub(crate) pause: Duration,
    pub(crate) failures_in_a_row: u32,
}

impl Backoff {
    /// The pause after the next failure: twice this one, up to
    /// `MAX_BACKOFF`.
    pub(crate) fn grow(&mut self) {
        self.pause = (self.pause * 2).min(MAX_BACKOFF);
    }
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff {
            pause: FIRST_BACKOFF,
            failures_in_a_row: 0,
        }
    }
}

/// What a read of the task API decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    /// The task finished, or the read failed for good: the wait has it.
    Decided,
    /// Not finished yet, or a failure that may pass.
    Undecided,
    /// The wait is over (nobody listens any more).
    Stop,
}

/// How a stream ended.
enum Ended {
    /// A read decided the task (see [`Read::Decided`]).
    Decided,
    /// Quiet for [`SILENCE`]: open it again at once.
    Silent,
    /// Cut, closed early, or refused for a while: read the task, back off,
    /// open it again.
    Failed(Failure),
    /// Not there for this task, or refused for good: poll it instead.
    NotHere(String),
    /// The wait is over (nobody listens any more).
    Stop,
}

impl Follow {
    /// Follows the task until a read decides it, the stream is not there
    /// (or failed more than `retries` times in a row), or `tell` returns
    /// false (the wait is over).
    pub fn run(&self, tell: impl Fn(Heard) -> bool) {
        let mut backoff = Backoff::default();
        loop {
            match self.follow_once(&tell, &mut backoff) {
                // Open the whole silence: the stream works, whatever came
                // before.
                Ended::Silent => backoff = Backoff::default(),
                Ended::Decided | Ended::Stop => return,
                Ended::NotHere(why) => {
                    self.say(&format!("{why}; polling instead"));
                    tell(Heard::NotHere);
                    return;
                }
                Ended::Failed(failure) => {
                    backoff.failures_in_a_row += 1;
                    self.say(&format!("{failure}; reading the task"));
                    if backoff.failures_in_a_row > self.retries {
                        let why = format!(
                            "the stream failed {} times in a row",
                            backoff.failures_in_a_row
                        );
                        self.say(&format!("{why}; polling instead"));
                        tell(Heard::NotHere);
                        return;
                    }
                    if self.read_and_tell(&tell) != Read::Undecided {
                        return;
                    }
                    // Never sooner than the server asked.
                    let pause = backoff.pause.max(failure.retry_after().unwrap_or_default());
                    clock::sleep(pause);
                    backoff.grow();
                }
            }
        }
    }

    /// Reads the task once on the task API and tells the wait what came.
    fn read_and_tell(&self, tell: &impl Fn(Heard) -> bool) -> Read {
        let read = api::get_task_once(&self.api, &self.id);
        let decided = match &read {
            Ok(task) => task.status().is_finished(),
            Err(failure) => !failure.may_pass_in_time(),
        };
        if !tell(Heard::Read(read)) {
            Read::Stop
        } else if decided {
            Read::Decided
        } else {
            Read::Undecided
        }
    }

    /// Opens the stream once and reads it to its end.
    fn follow_once(&self, tell: &impl Fn(Heard) -> bool, backoff: &mut Backoff) -> Ended {
        let mut stream = match api::subscribe(&self.app, &self.workspace, &self.id, SILENCE) {
            Ok(stream) => stream,
            // A proxy that will not pass it, a certificate refused: for good.
            Err(failure) if !failure.may_pass_in_time() => {
                return Ended::NotHere(format!("the subscribe stream: {failure}"));
            }
            Err(failure) => return Ended::Failed(failure),
        };
        match stream.status() {
            200..=299 if stream.is_event_stream() => {}
            200..=299 => {
                return Ended::NotHere(format!(
                    "the subscribe route answered {}, not text/event-stream",
                    stream.content_type().unwrap_or("no content type")
                ));
            }
            // The route does not exist, or cannot stream, here.
            404 | 405 | 501 => {
                return Ended::NotHere(format!(
                    "the subscribe route answered {}",
                    stream.status_line()
                ));
            }
            _ => {
                let failure = self.app.refusal(stream);
                if failure.may_pass_in_time() {
                    return Ended::Failed(failure);
                }
                return Ended::NotHere(format!("the subscribe stream: {failure}"));
            }
        }
        let mut parser = sse::Parser::new();
        let mut buffer = vec![0; 16 * 1024];
        let mut events_heard = 0;
        loop {
            let read = match stream.read(&mut buffer) {
                Ok(read) => read,
                Err(StreamEnd::Silent) => return Ended::Silent,
                Err(StreamEnd::Closed) => {
                    return Ended::Failed(Failure::unreachable(
                        "the subscribe stream closed before a finished status",
                    ));
                }
                Err(StreamEnd::Broken(failure)) => return Ended::Failed(failure),
            };
            let events = match parser.feed(&buffer[..read]) {
                Ok(events) => events,
                Err(why) => return Ended::Failed(Failure::BadResponse(why)),
            };
            for event in events {
                let task = match Task::parse(event.data.into_bytes()) {
                    Ok(task) => task,
                    Err(failure) => return Ended::Failed(failure),
                };
                events_heard += 1;
                if events_heard > 1 {
                    *backoff = Backoff::default();
                }
                let finished = task.status().is_finished();
                if !tell(Heard::Event(task)) {
                    return Ended::Stop;
                }
                if finished {
                    return match self.read_and_tell(tell) {
                        Read::Decided => Ended::Decided,
                        Read::Stop => Ended::Stop,
                        // The task API does not say so yet, and the stream
                        // ends after a finished status: polling, whose
                        // schedule and retries fit, takes the task over.
                        Read::Undecided => {
                            Ended::NotHere("the stream said finished, the task API not yet".into())
                        }
                    };
                }
            }
        }
    }

    /// Says on stderr, with `--verbose`, why a stream ended or is not used.
    fn say(&self, line: &str) {
        log::line(&format!("* task {}: {}", self.id, one_line(line)));
    }
}
