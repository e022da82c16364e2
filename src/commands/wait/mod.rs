//! `beam-task wait` (and `status --wait`): poll tasks until they finish,
//! then show them as `status` would.
//!
//! Each task has its own schedule: re-checked after 1 s, then about 1.5×
//! longer each time (with jitter) up to 10 s, and back to 1 s when its status
//! changes. Polls are single requests: this loop owns the retries, so a
//! transient failure is tried again after a backoff (0.5 s, 1 s, 2 s, … up
//! to 30 s, as `status --retries`; never sooner than a `Retry-After`) and
//! ends the wait only after `--retries` more in a row.
//!
//! A wait that stops early (`--fail-fast`, a failure that ends it) shows
//! what it saw; a task it never saw is noted as not checked, and counts for
//! nothing in the exit code: the cause of the stop is the real one.
//!
//! `--jobs` long-lived workers (see `pool.rs`) take the tasks to ask from a queue and
//! send each answer back on the one channel the main thread waits on, which
//! Ctrl-C (SIGTERM, SIGHUP) feeds too. The main thread hands every task that is due, and not
//! already being asked, to the queue; it handles each answer as it comes
//! (records it, updates the progress, reschedules that task only) and
//! otherwise sleeps on the channel until the next task is due, the deadline,
//! or an event. So a slow answer delays only its own task, and Ctrl-C ends
//! the wait at once, even in the middle of a request.
//!
//! Unless `--poll` or `--interval`, the first [`MAX_STREAMS`] tasks are also
//! followed on their subscribe streams (see `subscribe.rs`), which tell of
//! a change within a second: a task heard of on its stream is no longer
//! polled on schedule, and a stream that is not there (or keeps failing)
//! leaves its task to polling again. Every task is polled once at the
//! start, so no stream waits for the workspace to be found.
//!
//! Tasks with UUIDs are polled a hundred a request on the workspace API's
//! list, in rounds (see `rounds.rs` and `commands/batch.rs`): the workspace
//! is then found first. With `--json` or `--raw`, a task seen finished
//! there is read once on the task API, whose object is printed.
//!
//! At the deadline, every unfinished task that is not being asked gets a last
//! check (unless its `Retry-After` forbids it); the answers still to come are
//! waited for [`LAST_ANSWERS_GRACE`] at most, and the wait ends with what it
//! last saw. Workers still in a request are left behind: the process exits.

mod rounds;
pub mod subscribe;

use std::panic;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::api::task::{Task, TaskStatus};
use crate::clock;
use crate::commands::batch::{self, BatchReads, Found, Job};
use crate::commands::session::{Session, resolve_workspace};
use crate::commands::wait::subscribe::{Follow, Heard};
use crate::config::settings::{WaitPlan, WaitSettings};
use crate::exit_codes::ExitCode;
use crate::failure::{Failure, Retry};
use crate::log;
use crate::net::client::Client;
use crate::net::pool::{Done, Pool};
use crate::net::retry;
use crate::output::Presenter;
use crate::output::live::Progress;
use crate::output::render::human;
use crate::output::report::Reporter;
use crate::term::signals;
use crate::text::one_line;

/// The first re-check of a task, and again after its status changes.
const FIRST_GAP: Duration = Duration::from_secs(1);
/// The adaptive gap never grows beyond this.
const MAX_GAP: Duration = Duration::from_secs(10);
/// Each unchanged poll makes the next gap this much longer.
const GROWTH: f64 = 1.5;
/// Each grown gap is moved by up to this fraction either way, so that many
/// waiting clients do not poll in step.
const JITTER: f64 = 0.1;
/// How long the answers still to come at the deadline (the last checks, and
/// requests already under way) are waited for. An API that is up answers a
/// task in a fraction of a second, so a second is enough for the last check
/// to count; a server that does not answer by then holds `--timeout` back by
/// this much at most.
const LAST_ANSWERS_GRACE: Duration = Duration::from_secs(1);
/// Tasks followed on their subscribe streams at most; the others are
/// polled.
const MAX_STREAMS: usize = 64;

/// The pause after a task's poll, `polls_since_change` polls after its
/// status last changed (0 for the poll that saw the change).
pub(crate) fn gap(plan: &WaitPlan, polls_since_change: u32) -> Duration {
    if let Some(interval) = plan.interval {
        return interval;
    }
    if polls_since_change == 0 {
        FIRST_GAP
    } else {
        let grown = FIRST_GAP.as_secs_f64() * GROWTH.powi(polls_since_change.min(32) as i32);
        let jittered = grown * (1.0 + JITTER * (2.0 * fastrand::f64() - 1.0));
        Duration::from_secs_f64(jittered.min(MAX_GAP.as_secs_f64()))
    }
}

/// Waits for the tasks and prints the final result; returns the exit code.
pub fn run(session: &Session, settings: &WaitSettings, reporter: &Reporter) -> Result<ExitCode> {
    // Each poll is one request: the wait owns the retries.
    let super::Tasks { ids, jobs, client } =
        super::tasks(session, &settings.tasks, settings.output, 0)?;
    if ids.is_empty() {
        // Nothing to wait for (an empty stdin).
        let rule = super::status_rule(settings.exit_zero, ExitCode::NotFinished);
        return Presenter::new(settings.output, reporter, rule).finish();
    }
    let plan = &settings.plan;
    // Ctrl-C is caught before the progress display hides the cursor.
    let events = Events::listen()?;
    let batches = BatchReads::open(session, &ids, jobs, 0, &client)?.map(|batches| {
        let batches = if batch::prints_bodies(&settings.output) {
            batches.deciding_on_task_api()
        } else {
            batches
        };
        Arc::new(batches)
    });
    if plan.listen {
        let workspace = batches.as_ref().map(|b| b.workspace().to_string());
        listen(session, plan, &ids, &client, workspace, &events.sender);
    }
    let pollers = {
        let batches = batches.clone();
        Pool::start(
            jobs,
            move |job: &Job| rounds::poll(&client, batches.as_deref(), job),
            &events.sender,
        )?
    };
    let mut progress = Progress::start(settings.feedback, &ids);
    let start = Instant::now();
    let deadline = plan.timeout.and_then(|t| start.checked_add(clock::real(t)));
    let mut watches: Vec<Watch> = ids.iter().map(|_| Watch::new(start)).collect();
    // Set once the last checks are sent, at the deadline.
    let mut grace_ends: Option<Instant> = None;

    let stop = loop {
        let now = Instant::now();
        if grace_ends.is_none() {
            let at_deadline = deadline.is_some_and(|d| now >= d);
            let due = rounds::due(&mut watches, &ids, batches.as_deref(), now, at_deadline);
            for job in due {
                pollers.submit(job);
            }
            if at_deadline {
                grace_ends = Some(later(now, LAST_ANSWERS_GRACE));
            }
        }
        // Tasks still being asked then stay as last seen.
        if let Some(grace_ends) = grace_ends
            && (now >= grace_ends || !watches.iter().any(|w| w.asking))
        {
            break Stop::Deadline;
        }
        let wake = grace_ends.or_else(|| {
            let next_due = watches
                .iter()
                .filter(|w| !w.asking && !w.is_finished() && !w.streaming)
                .map(|w| w.due)
                .min();
            match (next_due, deadline) {
                (Some(due), Some(deadline)) => Some(due.min(deadline)),
                (due, deadline) => due.or(deadline),
            }
        });
        // The answers to record, from a poll or from a stream.
        let answers = match events.next(wake) {
            Some(Event::Interrupted) => {
                // main ends the process by the signal caught.
                progress.interrupted();
                return Ok(ExitCode::Interrupted);
            }
            Some(Event::Heard(i, heard)) => {
                let watch = &mut watches[i];
                if watch.is_finished() {
                    // Decided already: nothing said late can undo it.
                    watch.asking = false;
                    continue;
                }
                match heard {
                    // The task API decides a finished status: its read comes
                    // next, and the wait waits for it.
                    Heard::Event(task) if task.status().is_finished() => {
                        watch.asking = true;
                        continue;
                    }
                    Heard::Event(task) => {
                        watch.streaming = true;
                        vec![(i, Ok(task))]
                    }
                    Heard::Read(result) => {
                        watch.asking = false;
                        watch.keep_read(&result);
                        vec![(i, result)]
                    }
                    Heard::NotHere => {
                        watch.streaming = false;
                        watch.due = Instant::now();
                        continue;
                    }
                }
            }
            Some(Event::Polled(Done { job, answer })) => {
                let from_list = matches!(job, Job::Batch(_));
                let found = answer.unwrap_or_else(|panic| panic::resume_unwind(panic));
                let mut answers = Vec::with_capacity(found.len());
                for (i, found) in found {
                    let watch = &mut watches[i];
                    match found {
                        // Still being asked: on the task API now.
                        Found::AskTaskApi if !watch.is_finished() => {
                            pollers.submit(Job::One(i, ids[i].clone()));
                        }
                        // A late answer (asked before its stream said it
                        // finished) cannot undo what was decided.
                        _ if watch.is_finished() => watch.asking = false,
                        Found::Read(result) => {
                            watch.asking = false;
                            if from_list {
                                // Newer than any read kept: shown as seen,
                                // and not held twice.
                                watch.read = None;
                            } else {
                                watch.keep_read(&result);
                            }
                            answers.push((i, result));
                        }
                        Found::AskTaskApi => watch.asking = false,
                    }
                }
                answers
            }
            // Time to look at the schedule again.
            None => continue,
        };
        let now = Instant::now();
        for (i, result) in answers {
            let watch = &mut watches[i];
            let previous = watch.status().cloned();
            match watch.record(result, plan, now) {
                Poll::Changed => {
                    if let Some(task) = &watch.seen {
                        progress.changed(i, previous.as_ref(), task);
                    }
                }
                Poll::Retrying(failure) => {
                    progress.retrying(i, previous.as_ref(), failure);
                }
                Poll::Unchanged | Poll::Fatal => {}
            }
        }
        if let Some(stop) = stopped(&watches, plan) {
            break stop;
        }
    };

    progress.finish();
    // From here on a signal ends the process at once: no view to clean.
    events.catching.release();
    // Notes are silenced by -q in the reporter.
    let unfinished = if stop == Stop::Deadline {
        let count = watches.iter().filter(|w| !w.is_finished()).count();
        if count > 0 {
            reporter.note(&deadline_note(plan.timeout, count, ids.len()));
        }
        ExitCode::WaitDeadline
    } else {
        ExitCode::NotFinished
    };
    let rule = super::status_rule(settings.exit_zero, unfinished);
    let mut presenter = Presenter::new(settings.output, reporter, rule);
    for (id, watch) in ids.iter().zip(watches) {
        match watch.into_outcome(stop) {
            Outcome::Seen(result) => presenter.push(id, result)?,
            Outcome::NotChecked(last) => reporter.note(&not_checked_note(id, last.as_ref())),
        }
    }
    presenter.finish()
}

/// Whether the wait is over before its deadline, and why.
fn stopped(watches: &[Watch], plan: &WaitPlan) -> Option<Stop> {
    if watches.iter().all(Watch::is_finished) {
        Some(Stop::AllFinished)
    } else if watches.iter().any(Watch::is_fatal)
        || (plan.fail_fast && watches.iter().any(Watch::finished_badly))
    {
        Some(Stop::Early)
    } else {
        None
    }
}

/// Follows the first [`MAX_STREAMS`] tasks on their subscribe streams, from
/// a thread of its own: the workspace is found first (`--workspace`, else
/// asked of the workspace API), and a wait that cannot find it polls, as
/// without streams. What each stream hears comes as [`Event::Heard`].
fn listen(
    session: &Session,
    plan: &WaitPlan,
    ids: &[String],
    api: &Arc<Client>,
    workspace: Option<String>,
    events: &Sender<Event>,
) {
    let say = |line: &str| log::line(&format!("* {}", one_line(line)));
    if !session.global.app_url_fits {
        say("no subscribe streams: --api-url is not Beam's, and --app-url is not given; polling");
        return;
    }
    let followed: Vec<String> = ids.iter().take(MAX_STREAMS).cloned().collect();
    // Each stream keeps a connection; a failed open is the stream's own
    // business (see `subscribe.rs`): no retries of the request itself.
    let app = match session.app(followed.len(), 0) {
        Ok(app) => Arc::new(app),
        Err(err) => {
            say(&format!("no subscribe streams ({err:#}); polling"));
            return;
        }
    };
    // The workspace the batch reads found, else `--workspace`.
    let given = workspace.or_else(|| session.global.workspace.clone());
    let api = Arc::clone(api);
    let events = events.clone();
    let retries = plan.retries;
    let started = thread::Builder::new().name("listen".into()).spawn(move || {
        let workspace = match resolve_workspace(given.as_deref(), &app) {
            Ok(workspace) => workspace,
            Err(err) => {
                say(&format!("no subscribe streams ({err:#}); polling"));
                return;
            }
        };
        for (i, id) in followed.into_iter().enumerate() {
            let follow = Follow {
                app: Arc::clone(&app),
                api: Arc::clone(&api),
                workspace: workspace.clone(),
                id,
                retries,
            };
            let events = events.clone();
            let spawned = thread::Builder::new().name("stream".into()).spawn(move || {
                follow.run(|heard| events.send(Event::Heard(i, heard)).is_ok());
            });
            if spawned.is_err() {
                say("cannot start a thread for a stream; polling");
            }
        }
    });
    if started.is_err() {
        say("cannot start a thread for the streams; polling");
    }
}

/// Why the wait loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// Every task has finished.
    AllFinished,
    /// `--timeout` passed (after the last checks).
    Deadline,
    /// `--fail-fast`, or a failure that ends the wait, before every task
    /// was seen finished.
    Early,
}

/// What became of a task when the wait ended.
enum Outcome {
    /// The task as last seen, or the failure that counts for it.
    Seen(Result<Task, Failure>),
    /// Never seen before the wait stopped early: not a failure of the API
    /// for this task, so it counts for nothing. The last transient failure
    /// of its polls, if any.
    NotChecked(Option<Failure>),
}

/// `the --timeout (30m 00s) passed with 2 of 3 tasks unfinished`.
fn deadline_note(timeout: Option<Duration>, unfinished: usize, total: usize) -> String {
    let timeout = timeout
        .and_then(|t| jiff::SignedDuration::try_from(t).ok())
        .map_or_else(String::new, |t| format!(" ({})", human::duration(t)));
    let tasks = if total == 1 { "task" } else { "tasks" };
    format!("the --timeout{timeout} passed with {unfinished} of {total} {tasks} unfinished")
}

/// `task abc: not checked (the wait stopped first)`.
fn not_checked_note(id: &str, last: Option<&Failure>) -> String {
    match last {
        None => format!("task {id}: not checked (the wait stopped before its answer came)"),
        Some(failure) => format!(
            "task {id}: not checked (the wait stopped before it was asked again; last try: {failure})"
        ),
    }
}

/// What one poll of a task changed.
enum Poll<'a> {
    /// First sighting, or a new status.
    Changed,
    Unchanged,
    /// A transient failure; the task will be asked again.
    Retrying(&'a Failure),
    /// A failure that ends the wait.
    Fatal,
}

/// One task being waited for.
struct Watch {
    /// The task as last seen, by a poll or on its stream.
    seen: Option<Task>,
    /// The task as the task API last answered it: what is shown at the
    /// end, as `status` would show it (a stream's event is the workspace
    /// API's object).
    read: Option<Task>,
    /// The last poll's failure, if it failed.
    failure: Option<Failure>,
    failures_in_a_row: u32,
    polls_since_change: u32,
    /// When the task is asked again.
    due: Instant,
    /// Not asked before this, whatever happens (the server's Retry-After).
    not_before: Instant,
    /// Handed to a poller, or its stream's read under way: its answer not
    /// back yet.
    asking: bool,
    /// Heard of on its subscribe stream: not polled on schedule.
    streaming: bool,
}

impl Watch {
    fn new(now: Instant) -> Watch {
        Watch {
            seen: None,
            read: None,
            failure: None,
            failures_in_a_row: 0,
            polls_since_change: 0,
            due: now,
            not_before: now,
            asking: false,
            streaming: false,
        }
    }

    /// Keeps what the task API answered, for the end.
    fn keep_read(&mut self, result: &Result<Task, Failure>) {
        if let Ok(task) = result {
            self.read = Some(task.clone());
        }
    }

    fn status(&self) -> Option<&TaskStatus> {
        self.seen.as_ref().map(Task::status)
    }

    fn is_finished(&self) -> bool {
        self.status().is_some_and(TaskStatus::is_finished)
    }

    fn finished_badly(&self) -> bool {
        self.status()
            .is_some_and(|s| s.is_finished() && *s != TaskStatus::Complete)
    }

    fn is_fatal(&self) -> bool {
        self.failure.as_ref().is_some_and(|f| !f.may_pass_in_time())
    }

    /// To be asked now; at the deadline every unfinished task is asked a
    /// last time, unless the server asked us to wait longer. Never while it
    /// is being asked already.
    fn is_due(&self, now: Instant, at_deadline: bool) -> bool {
        !self.asking
            && !self.is_finished()
            && ((!self.streaming && self.due <= now) || (at_deadline && self.not_before <= now))
    }

    fn record(&mut self, result: Result<Task, Failure>, plan: &WaitPlan, now: Instant) -> Poll<'_> {
        match result {
            Ok(task) => {
                let changed = self.status() != Some(task.status());
                self.polls_since_change = if changed {
                    0
                } else {
                    self.polls_since_change.saturating_add(1)
                };
                self.failure = None;
                self.failures_in_a_row = 0;
                self.seen = Some(task);
                self.not_before = now;
                self.due = later(now, gap(plan, self.polls_since_change));
                if changed {
                    Poll::Changed
                } else {
                    Poll::Unchanged
                }
            }
            Err(failure) if failure.may_pass_in_time() => {
                if self.failures_in_a_row >= plan.retries {
                    self.failure = Some(give_up(failure, self.failures_in_a_row + 1));
                    return Poll::Fatal;
                }
                let pause = retry::backoff(self.failures_in_a_row, &failure, fastrand::f64());
                self.failures_in_a_row += 1;
                self.not_before = later(now, failure.retry_after().unwrap_or_default());
                self.due = later(now, pause);
                Poll::Retrying(self.failure.insert(failure))
            }
            Err(failure) => {
                self.failure = Some(failure);
                Poll::Fatal
            }
        }
    }

    /// What to show: the failure that ended the wait, else the task as last
    /// seen. A task never seen is not checked when the wait stopped early;
    /// at the deadline, its last failure (or the silence) is the API's.
    fn into_outcome(self, stop: Stop) -> Outcome {
        match (self.failure, self.seen) {
            (Some(failure), _) if !failure.may_pass_in_time() => Outcome::Seen(Err(failure)),
            (_, Some(task)) => Outcome::Seen(Ok(self.read.unwrap_or(task))),
            (last, None) if stop != Stop::Deadline => Outcome::NotChecked(last),
            (Some(failure), None) => Outcome::Seen(Err(failure)),
            (None, None) => Outcome::Seen(Err(Failure::unreachable(
                "the API did not answer before the --timeout passed",
            ))),
        }
    }
}

/// The failure that ends a wait after `tries` transient failures in a row.
pub(crate) fn give_up(failure: Failure, tries: u32) -> Failure {
    match failure {
        Failure::Unreachable {
            reason,
            retry_after,
            ..
        } => Failure::Unreachable {
            reason: format!("{reason} (gave up after {tries} failed tries in a row)"),
            retry_after,
            retry: Retry::Never,
        },
        other => other,
    }
}

/// `now + pause` on the process's clock, or far in the future when that
/// overflows.
fn later(now: Instant, pause: Duration) -> Instant {
    now.checked_add(clock::real(pause))
        .or_else(|| now.checked_add(Duration::from_secs(u64::from(u32::MAX))))
        .unwrap_or(now)
}

/// What the main thread wakes up for.
enum Event {
    /// The answers of a read came back (or its worker panicked).
    Polled(Done<Job, Vec<(usize, Found)>>),
    /// The subscribe stream of task `index` told something.
    Heard(usize, Heard),
    /// Ctrl-C, SIGTERM or SIGHUP: the process is to end by it.
    Interrupted,
}

impl From<Done<Job, Vec<(usize, Found)>>> for Event {
    fn from(done: Done<Job, Vec<(usize, Found)>>) -> Event {
        Event::Polled(done)
    }
}

/// The one channel the main thread waits on, fed by the signals that end a
/// wait and by the workers.
struct Events {
    sender: Sender<Event>,
    receiver: Receiver<Event>,
    /// Signals are caught while the wait runs (see `signals.rs`).
    catching: signals::Catching,
}

impl Events {
    fn listen() -> Result<Events> {
        let (sender, receiver) = mpsc::channel();
        let on_signal = sender.clone();
        let catching = signals::catch(move || {
            let _ = on_signal.send(Event::Interrupted);
        })?;
        Ok(Events {
            sender,
            receiver,
            catching,
        })
    }

    /// The next event, or `None` when `wake` comes first; without `wake`,
    /// waits for the next event. The channel never closes: `self` holds a
    /// sender.
    fn next(&self, wake: Option<Instant>) -> Option<Event> {
        match wake {
            Some(wake) => self
                .receiver
                .recv_timeout(wake.saturating_duration_since(Instant::now()))
                .ok(),
            None => self.receiver.recv().ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(interval: Option<Duration>) -> WaitPlan {
        WaitPlan {
            timeout: None,
            interval,
            fail_fast: false,
            retries: crate::config::settings::WAIT_RETRIES,
            listen: false,
        }
    }

    fn task(status: &str) -> Result<Task, Failure> {
        Task::parse(format!(r#"{{"status":"{status}"}}"#).into_bytes())
    }

    fn unavailable(retry_after: Option<Duration>) -> Result<Task, Failure> {
        Err(Failure::Unreachable {
            reason: "the API answered HTTP 503 Service Unavailable".into(),
            retry_after,
            retry: Retry::Soon,
        })
    }

    #[test]
    fn adaptive_gap_starts_at_1s_grows_about_1_5x_up_to_10s() {
        let plan = plan(None);
        assert_eq!(gap(&plan, 0), Duration::from_secs(1));
        for n in 1..12 {
            let expected = 1.5f64.powi(n as i32).min(10.0);
            let gap = gap(&plan, n).as_secs_f64();
            assert!(gap <= 10.0, "poll {n}: {gap}");
            assert!(
                gap >= (expected * 0.9).min(9.0) && gap <= expected * 1.1,
                "poll {n}: {gap} for about {expected}"
            );
        }
        assert!(gap(&plan, 1000) <= MAX_GAP);
    }

    #[test]
    fn an_interval_is_the_gap_whatever_the_polls() {
        assert_eq!(gap(&plan(None), 0), Duration::from_secs(1));
        let fixed = plan(Some(Duration::from_secs(3)));
        assert_eq!(gap(&fixed, 0), Duration::from_secs(3));
        assert_eq!(gap(&fixed, 7), Duration::from_secs(3));
    }

    #[test]
    fn a_status_change_brings_the_gap_back_to_1s() {
        let plan = plan(None);
        let now = Instant::now();
        let mut watch = Watch::new(now);
        assert!(matches!(
            watch.record(task("PENDING"), &plan, now),
            Poll::Changed
        ));
        for _ in 0..4 {
            assert!(matches!(
                watch.record(task("PENDING"), &plan, now),
                Poll::Unchanged
            ));
        }
        assert!(watch.due - now > Duration::from_secs(4));
        assert!(matches!(
            watch.record(task("RUNNING"), &plan, now),
            Poll::Changed
        ));
        assert_eq!(watch.due - now, Duration::from_secs(1));
    }

    fn seen(watch: Watch) -> Result<Task, Failure> {
        match watch.into_outcome(Stop::AllFinished) {
            Outcome::Seen(result) => result,
            Outcome::NotChecked(_) => panic!("not checked"),
        }
    }

    #[test]
    fn retry_after_is_never_shortened() {
        let plan = plan(None);
        let now = Instant::now();
        let mut watch = Watch::new(now);
        watch.record(unavailable(Some(Duration::from_secs(7))), &plan, now);
        assert_eq!(watch.due - now, Duration::from_secs(7));
        assert!(!watch.is_due(now + Duration::from_secs(6), true));
        assert!(watch.is_due(now + Duration::from_secs(7), false));
    }

    #[test]
    fn the_deadline_asks_every_unfinished_task_once_more() {
        let plan = plan(None);
        let now = Instant::now();
        let mut running = Watch::new(now);
        running.record(task("RUNNING"), &plan, now);
        assert!(!running.is_due(now, false));
        assert!(running.is_due(now, true));
        let mut done = Watch::new(now);
        done.record(task("COMPLETE"), &plan, now);
        assert!(!done.is_due(now + MAX_GAP, true));
    }

    #[test]
    fn a_task_being_asked_is_not_asked_again_even_at_the_deadline() {
        let plan = plan(None);
        let now = Instant::now();
        let mut watch = Watch::new(now);
        assert!(watch.is_due(now, false));
        watch.asking = true;
        assert!(!watch.is_due(now, false));
        assert!(!watch.is_due(now + MAX_GAP, true));
        watch.asking = false;
        watch.record(task("RUNNING"), &plan, now);
        assert!(watch.is_due(now + MAX_GAP, false));
    }

    #[test]
    fn retries_plus_one_transient_failures_in_a_row_end_the_wait() {
        let plan = plan(None);
        let now = Instant::now();
        let mut watch = Watch::new(now);
        watch.record(task("RUNNING"), &plan, now);
        for _ in 0..plan.retries {
            assert!(matches!(
                watch.record(unavailable(None), &plan, now),
                Poll::Retrying(_)
            ));
            assert!(!watch.is_fatal());
        }
        assert!(matches!(
            watch.record(unavailable(None), &plan, now),
            Poll::Fatal
        ));
        let failure = seen(watch).unwrap_err();
        assert_eq!(failure.exit_code(), ExitCode::Unreachable);
        assert!(failure.to_string().contains("HTTP 503"), "{failure}");
        assert!(failure.to_string().contains("11 failed tries"), "{failure}");
    }

    #[test]
    fn failed_tries_back_off_from_half_a_second_doubling() {
        let plan = plan(None);
        let now = Instant::now();
        let mut watch = Watch::new(now);
        for doubled in [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0] {
            watch.record(unavailable(None), &plan, now);
            let pause = (watch.due - now).as_secs_f64();
            assert!(
                pause >= doubled && pause <= doubled * 1.5,
                "{pause} s for {doubled} s"
            );
        }
    }

    #[test]
    fn with_no_retries_the_first_transient_failure_ends_the_wait() {
        let plan = WaitPlan {
            retries: 0,
            ..plan(None)
        };
        let now = Instant::now();
        let mut watch = Watch::new(now);
        assert!(matches!(
            watch.record(unavailable(None), &plan, now),
            Poll::Fatal
        ));
    }

    #[test]
    fn a_success_resets_the_failure_count() {
        let plan = plan(None);
        let now = Instant::now();
        let mut watch = Watch::new(now);
        for _ in 0..3 {
            for _ in 0..plan.retries {
                watch.record(unavailable(None), &plan, now);
            }
            watch.record(task("RUNNING"), &plan, now);
        }
        assert!(!watch.is_fatal());
        assert!(seen(watch).is_ok());
    }

    #[test]
    fn a_task_never_seen_is_not_checked_after_an_early_stop_only() {
        let plan = plan(None);
        let now = Instant::now();
        let unasked = Watch::new(now);
        assert!(matches!(
            unasked.into_outcome(Stop::Early),
            Outcome::NotChecked(None)
        ));
        let mut failing = Watch::new(now);
        failing.record(unavailable(None), &plan, now);
        assert!(matches!(
            failing.into_outcome(Stop::Early),
            Outcome::NotChecked(Some(_))
        ));
        let silent = Watch::new(now);
        match silent.into_outcome(Stop::Deadline) {
            Outcome::Seen(Err(failure)) => {
                assert_eq!(failure.exit_code(), ExitCode::Unreachable)
            }
            _ => panic!("at the deadline, silence is the API's failure"),
        }
    }

    #[test]
    fn the_deadline_note_says_how_long_and_how_many() {
        assert_eq!(
            deadline_note(Some(Duration::from_secs(1800)), 2, 3),
            "the --timeout (30m 00s) passed with 2 of 3 tasks unfinished"
        );
        assert_eq!(
            deadline_note(Some(Duration::from_secs(2)), 1, 1),
            "the --timeout (2.0s) passed with 1 of 1 task unfinished"
        );
    }

    #[test]
    fn a_task_is_shown_as_last_seen_after_a_transient_failure() {
        let plan = plan(None);
        let now = Instant::now();
        let mut watch = Watch::new(now);
        watch.record(task("RUNNING"), &plan, now);
        watch.record(unavailable(None), &plan, now);
        assert_eq!(seen(watch).unwrap().status(), &TaskStatus::Running);
    }

    #[test]
    fn not_found_ends_the_wait_at_once() {
        let plan = plan(None);
        let now = Instant::now();
        let mut watch = Watch::new(now);
        watch.record(task("RUNNING"), &plan, now);
        let gone = Err(Failure::NotFound {
            id: "abc".into(),
            message: None,
        });
        assert!(matches!(watch.record(gone, &plan, now), Poll::Fatal));
        assert_eq!(seen(watch).unwrap_err().exit_code(), ExitCode::NotFound);
    }

    #[test]
    fn failed_and_unknown_statuses_finish_a_task_complete_is_not_bad() {
        let plan = plan(None);
        let now = Instant::now();
        for (status, badly) in [("COMPLETE", false), ("ERROR", true), ("PAUSED", true)] {
            let mut watch = Watch::new(now);
            watch.record(task(status), &plan, now);
            assert!(watch.is_finished(), "{status}");
            assert_eq!(watch.finished_badly(), badly, "{status}");
        }
    }
}
