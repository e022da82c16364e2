//! What `wait` shows on stderr while it waits: a live line per task on a
//! terminal, one plain line per status change elsewhere, or nothing.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use console::Term;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use jiff::Timestamp;

use crate::failure::Failure;
use crate::render::human;
use crate::render::table::status_text;
use crate::task::{Task, TaskStatus};
use crate::text::one_line;

/// How often the live lines' spinners and times move.
const TICK: Duration = Duration::from_millis(125);

/// Which kind of progress to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feedback {
    /// Live lines redrawn in place (stderr is a terminal).
    Live { color: bool },
    /// One line per status change.
    Lines,
    /// Nothing (`--quiet`).
    Silent,
}

impl Feedback {
    /// `--quiet` silences progress; live lines need a terminal, and would be
    /// torn by `--verbose`'s request lines.
    pub fn choose(quiet: bool, verbose: bool, stderr_is_terminal: bool, color: bool) -> Feedback {
        if quiet {
            Feedback::Silent
        } else if stderr_is_terminal && !verbose {
            Feedback::Live { color }
        } else {
            Feedback::Lines
        }
    }
}

/// The progress display of one wait.
pub struct Progress {
    ids: Vec<String>,
    view: View,
}

enum View {
    Silent,
    Lines,
    Live(Live),
}

impl Progress {
    pub fn start(feedback: Feedback, ids: &[String]) -> Progress {
        let view = match feedback {
            Feedback::Silent => View::Silent,
            Feedback::Lines => View::Lines,
            Feedback::Live { color } => View::Live(Live::start(ids, color)),
        };
        Progress {
            ids: ids.to_vec(),
            view,
        }
    }

    /// Task `index` was seen for the first time, or with a new status.
    pub fn changed(&mut self, index: usize, previous: Option<&TaskStatus>, task: &Task) {
        match &mut self.view {
            View::Silent => {}
            View::Lines => {
                let line = change_line(Timestamp::now(), &self.ids[index], previous, task.status());
                let _ = writeln!(io::stderr().lock(), "{line}");
            }
            View::Live(live) => live.changed(index, task),
        }
    }

    /// A poll of task `index` failed and will be tried again.
    pub fn retrying(&mut self, index: usize, last_seen: Option<&TaskStatus>, failure: &Failure) {
        if let View::Live(live) = &mut self.view {
            live.retrying(index, last_seen, failure);
        }
    }

    /// The wait is over: the live lines make way for the result.
    pub fn finish(&mut self) {
        if let View::Live(live) = &mut self.view {
            live.clear();
        }
        self.view = View::Silent;
    }

    /// Ctrl-C: the live lines and the echoed `^C` go, the cursor comes back.
    pub fn interrupted(&mut self) {
        if let View::Live(live) = &mut self.view {
            live.clear();
            let _ = live.term.clear_line();
        }
        self.view = View::Silent;
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// `2026-05-04T12:00:03Z abc RUNNING -> COMPLETE`, or `... abc PENDING` for
/// a first sighting.
fn change_line(
    now: Timestamp,
    id: &str,
    previous: Option<&TaskStatus>,
    status: &TaskStatus,
) -> String {
    let mut line = format!("{} {id} ", now.strftime("%Y-%m-%dT%H:%M:%SZ"));
    if let Some(previous) = previous {
        let _ = write!(line, "{} -> ", previous.as_str());
    }
    line.push_str(status.as_str());
    line
}

/// The live lines: one spinner per task, redrawn by one ticker thread.
struct Live {
    multi: MultiProgress,
    bars: Vec<ProgressBar>,
    color: bool,
    term: Term,
    /// Dropping it stops the ticker.
    stop_ticker: Option<Sender<()>>,
    ticker: Option<JoinHandle<()>>,
}

impl Live {
    fn start(ids: &[String], color: bool) -> Live {
        let term = Term::stderr();
        let _ = term.hide_cursor();
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let width = ids.iter().map(String::len).max().unwrap_or(0);
        let bars: Vec<ProgressBar> = ids
            .iter()
            .map(|id| {
                let bar = multi.add(ProgressBar::new_spinner());
                bar.set_style(spinner_style(None));
                bar.set_prefix(format!("{id:<width$}"));
                bar.set_message("asking…");
                bar.tick();
                bar
            })
            .collect();
        let (stop_ticker, stopped) = mpsc::channel::<()>();
        let ticking = bars.clone();
        let ticker = thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(TICK) {
                    for bar in ticking.iter().filter(|bar| !bar.is_finished()) {
                        bar.tick();
                    }
                }
            })
            .ok();
        Live {
            multi,
            bars,
            color,
            term,
            stop_ticker: Some(stop_ticker),
            ticker,
        }
    }

    fn changed(&mut self, index: usize, task: &Task) {
        let bar = &self.bars[index];
        let status = task.status();
        let text = status_text(status, self.color);
        if status.is_finished() {
            bar.set_style(finished_style());
            bar.finish_with_message(text);
        } else {
            bar.set_style(spinner_style(Some(since(task))));
            bar.set_message(text);
        }
    }

    fn retrying(&mut self, index: usize, last_seen: Option<&TaskStatus>, failure: &Failure) {
        let status = last_seen.map_or_else(|| "…".to_string(), |s| status_text(s, self.color));
        self.bars[index].set_message(format!(
            "{status} (retrying: {})",
            one_line(&failure.to_string())
        ));
    }

    /// Stops the ticker first, so that no line is drawn again after the
    /// clearing; then clears the lines and shows the cursor.
    fn clear(&mut self) {
        drop(self.stop_ticker.take());
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
        let _ = self.multi.clear();
        self.multi.set_draw_target(ProgressDrawTarget::hidden());
        let _ = self.term.show_cursor();
    }
}

/// Since when a task has been in its status, as far as it says, else now.
fn since(task: &Task) -> Timestamp {
    task.in_status_since().unwrap_or_else(Timestamp::now)
}

/// `⠋ abc ● RUNNING for 12.3s`.
fn spinner_style(since: Option<Timestamp>) -> ProgressStyle {
    let style = ProgressStyle::with_template("{spinner} {prefix} {msg}{since}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    style.with_key(
        "since",
        move |_: &ProgressState, out: &mut dyn std::fmt::Write| {
            if let Some(since) = since {
                let time = human::duration(Timestamp::now().duration_since(since));
                let _ = write!(out, " for {time}");
            }
        },
    )
}

/// `  abc ✓ COMPLETE`.
fn finished_style() -> ProgressStyle {
    ProgressStyle::with_template("  {prefix} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_lines_name_time_id_and_statuses() {
        let now: Timestamp = "2026-05-04T12:00:03.25Z".parse().unwrap();
        assert_eq!(
            change_line(now, "abc", None, &TaskStatus::Pending),
            "2026-05-04T12:00:03Z abc PENDING"
        );
        assert_eq!(
            change_line(
                now,
                "abc",
                Some(&TaskStatus::Running),
                &TaskStatus::Complete
            ),
            "2026-05-04T12:00:03Z abc RUNNING -> COMPLETE"
        );
    }

    #[test]
    fn quiet_silences_and_live_needs_a_terminal_without_verbose() {
        assert_eq!(Feedback::choose(true, false, true, true), Feedback::Silent);
        assert_eq!(
            Feedback::choose(false, false, true, true),
            Feedback::Live { color: true }
        );
        assert_eq!(Feedback::choose(false, true, true, true), Feedback::Lines);
        assert_eq!(Feedback::choose(false, false, false, true), Feedback::Lines);
    }
}
