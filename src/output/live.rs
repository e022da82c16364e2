//! What `wait` shows on stderr while it waits: a live view on a terminal (a
//! line per task, redrawn in place), one plain line per status change
//! elsewhere, or nothing.
//!
//! Between two draws, the live view keeps the cursor on the first column of
//! its first line. A draw writes every line from there down, each clearing
//! the rest of its row, clears whatever is under the last, and goes back
//! up; clearing the view is one "erase to the end of the screen" from
//! there. So nothing depends on how many rows the lines took once drawn:
//! neither the `^C` that the terminal echoes where the cursor is, nor a
//! window narrowed under lines that the terminal then rewraps. Lines stay 3
//! columns short of the width, so that not even an echo in the middle of a
//! draw can wrap one. With more tasks than rows, the view shows as many as
//! fit and counts the others on its last line.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use jiff::Timestamp;
use owo_colors::{AnsiColors, OwoColorize};
use unicode_width::UnicodeWidthStr;

use crate::api::task::{Task, TaskStatus};
use crate::clock;
use crate::failure::Failure;
use crate::output::render::human;
use crate::output::render::table::{cut, status_badge, status_plain};
use crate::term::{self, Size};
use crate::text::one_line;

/// How often the spinners and the times move, and a new size is noticed.
const TICK: Duration = Duration::from_millis(125);

/// The tick on the process's clock; never under 50 ms: twenty frames a
/// second are all a spinner needs, and each draw is a chance to be caught
/// by a resize between reading the size and writing the lines.
fn tick() -> Duration {
    clock::real(TICK).max(Duration::from_millis(50))
}
/// The spinner's frames.
const SPINNER: [&str; 8] = ["⠁", "⠂", "⠄", "⡀", "⢀", "⠠", "⠐", "⠈"];
/// Columns left free at the end of every line: room for a `^C` echo.
const MARGIN: usize = 3;
/// The width assumed when the terminal does not tell its own.
const DEFAULT_COLUMNS: usize = 80;

const HIDE_CURSOR: &str = "\x1b[?25l";
const SHOW_CURSOR: &str = "\x1b[?25h";
const CLEAR_TO_END_OF_LINE: &str = "\x1b[K";
const CLEAR_TO_END_OF_SCREEN: &str = "\x1b[J";

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
    /// `--quiet` silences progress; live lines need a terminal that can
    /// move its cursor (not `TERM=dumb`), and would be torn by
    /// `--verbose`'s request lines.
    pub fn choose(quiet: bool, verbose: bool, stderr_is_live: bool, color: bool) -> Feedback {
        if quiet {
            Feedback::Silent
        } else if stderr_is_live && !verbose {
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
            View::Live(live) => live.update(index, |shown| {
                shown.status = Some(task.status().clone());
                shown.since = Some(task.in_status_since().unwrap_or_else(Timestamp::now));
                shown.retrying = None;
            }),
        }
    }

    /// A poll of task `index` failed and will be tried again.
    pub fn retrying(&mut self, index: usize, _last_seen: Option<&TaskStatus>, failure: &Failure) {
        if let View::Live(live) = &mut self.view {
            live.update(index, |shown| {
                shown.retrying = Some(one_line(&failure.to_string()));
            });
        }
    }

    /// The wait is over: the live lines make way for the result, and the
    /// cursor comes back.
    pub fn finish(&mut self) {
        if let View::Live(live) = &mut self.view {
            live.clear();
        }
        self.view = View::Silent;
    }

    /// Interrupted (Ctrl-C): the same clearing, which takes the terminal's
    /// `^C` echo along.
    pub fn interrupted(&mut self) {
        self.finish();
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

/// The live view: its state, drawn on every change and by a ticker thread.
struct Live {
    screen: Arc<Mutex<Screen>>,
    /// Dropping it stops the ticker.
    stop_ticker: Option<Sender<()>>,
    ticker: Option<JoinHandle<()>>,
}

impl Live {
    fn start(ids: &[String], color: bool) -> Live {
        let screen = Arc::new(Mutex::new(Screen {
            tasks: ids.iter().map(|id| Shown::new(id)).collect(),
            color,
            frame: 0,
            cleared: false,
        }));
        write_stderr(HIDE_CURSOR);
        lock(&screen).draw();
        let (stop_ticker, stopped) = mpsc::channel::<()>();
        let ticking = Arc::clone(&screen);
        let ticker = thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(tick()) {
                    let mut screen = lock(&ticking);
                    screen.frame = screen.frame.wrapping_add(1);
                    screen.draw();
                }
            })
            .ok();
        Live {
            screen,
            stop_ticker: Some(stop_ticker),
            ticker,
        }
    }

    fn update(&mut self, index: usize, change: impl FnOnce(&mut Shown)) {
        let mut screen = lock(&self.screen);
        if let Some(shown) = screen.tasks.get_mut(index) {
            change(shown);
        }
        screen.draw();
    }

    /// Stops the ticker first, so that nothing is drawn after the clearing;
    /// then erases from the view's first line down and shows the cursor.
    fn clear(&mut self) {
        drop(self.stop_ticker.take());
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
        let mut screen = lock(&self.screen);
        if !screen.cleared {
            screen.cleared = true;
            write_stderr(&format!("\r{CLEAR_TO_END_OF_SCREEN}{SHOW_CURSOR}"));
        }
    }
}

fn lock(screen: &Mutex<Screen>) -> MutexGuard<'_, Screen> {
    screen.lock().unwrap_or_else(PoisonError::into_inner)
}

fn write_stderr(text: &str) {
    let mut stderr = io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
}

/// What the live view shows.
struct Screen {
    tasks: Vec<Shown>,
    color: bool,
    /// The spinner's frame.
    frame: usize,
    /// Cleared for good: nothing more is drawn.
    cleared: bool,
}

impl Screen {
    /// Draws the view at the terminal's size of the moment.
    fn draw(&self) {
        if self.cleared {
            return;
        }
        let lines = view_lines(
            &self.tasks,
            self.frame,
            Timestamp::now(),
            term::stderr_size(),
            self.color,
        );
        write_stderr(&frame_text(&lines));
    }
}

/// One task as the live view knows it.
#[derive(Debug, Clone)]
struct Shown {
    id: String,
    /// As last seen; `None` until the first answer.
    status: Option<TaskStatus>,
    /// Since when it has been in that status.
    since: Option<Timestamp>,
    /// Why the last poll failed, while it is tried again.
    retrying: Option<String>,
}

impl Shown {
    fn new(id: &str) -> Shown {
        Shown {
            id: id.to_string(),
            status: None,
            since: None,
            retrying: None,
        }
    }

    fn is_finished(&self) -> bool {
        self.status.as_ref().is_some_and(TaskStatus::is_finished)
    }

    /// Which tasks the view keeps when not all fit: those that ended other
    /// than COMPLETE first (they call for action), then those still under
    /// way, then the COMPLETE ones (nothing more to see).
    fn rank(&self) -> u8 {
        match &self.status {
            Some(TaskStatus::Complete) => 2,
            Some(status) if status.is_finished() => 0,
            _ => 1,
        }
    }
}

/// The text that draws `lines` from the view's first line, cursor there,
/// and brings the cursor back there.
fn frame_text(lines: &[String]) -> String {
    let mut out = String::from("\r");
    for (n, line) in lines.iter().enumerate() {
        if n > 0 {
            out.push_str("\r\n");
        }
        out.push_str(line);
        out.push_str(CLEAR_TO_END_OF_LINE);
    }
    out.push_str(CLEAR_TO_END_OF_SCREEN);
    if lines.len() > 1 {
        let _ = write!(out, "\x1b[{}A", lines.len() - 1);
    }
    out.push('\r');
    out
}

/// The view's lines on a terminal of `size`: a line per task, or, with
/// more tasks than rows, as many as fit above a line that counts the rest.
fn view_lines(
    tasks: &[Shown],
    frame: usize,
    now: Timestamp,
    size: Size,
    color: bool,
) -> Vec<String> {
    let room = size
        .columns
        .unwrap_or(DEFAULT_COLUMNS)
        .saturating_sub(MARGIN)
        .max(1);
    let id_width = tasks.iter().map(|t| t.id.width()).max().unwrap_or(0);
    let mut shown: Vec<usize> = (0..tasks.len()).collect();
    if let Some(rows) = size.rows.filter(|&rows| tasks.len() > rows) {
        shown.sort_by_key(|&i| (tasks[i].rank(), i));
        shown.truncate(rows.saturating_sub(1));
        shown.sort_unstable();
    }
    let mut lines: Vec<String> = shown
        .iter()
        .map(|&i| task_line(&tasks[i], id_width, frame, now, room, color))
        .collect();
    if shown.len() < tasks.len() {
        let hidden = tasks
            .iter()
            .enumerate()
            .filter(|(i, _)| shown.binary_search(i).is_err())
            .map(|(_, task)| task);
        let summary = summary(hidden);
        lines.push(styled(&[(summary, Style::Dim)], room, color));
    }
    lines
}

/// How a piece of a line looks.
#[derive(Debug, Clone, Copy)]
enum Style {
    Plain,
    Dim,
    Status(AnsiColors),
}

/// `⠋ abc ● RUNNING for 12.3s`, `  abc ✓ COMPLETE`, `⠋ abc asking…`.
fn task_line(
    task: &Shown,
    id_width: usize,
    frame: usize,
    now: Timestamp,
    room: usize,
    color: bool,
) -> String {
    let spinner = if task.is_finished() {
        " "
    } else {
        SPINNER[frame % SPINNER.len()]
    };
    let mut pieces = vec![(format!("{spinner} {:<id_width$} ", task.id), Style::Plain)];
    match &task.status {
        None => pieces.push(("asking…".to_string(), Style::Plain)),
        Some(status) => pieces.push((status_plain(status), Style::Status(status_badge(status).1))),
    }
    if let Some(why) = &task.retrying {
        pieces.push((format!(" (retrying: {why})"), Style::Plain));
    } else if let Some(since) = task
        .since
        .filter(|_| task.status.is_some() && !task.is_finished())
    {
        let time = human::duration(now.duration_since(since));
        pieces.push((format!(" for {time}"), Style::Plain));
    }
    styled(&pieces, room, color)
}

/// The pieces, cut to `room` columns (ending with `…` when cut), styled
/// when `color`.
fn styled(pieces: &[(String, Style)], room: usize, color: bool) -> String {
    let whole: String = pieces.iter().map(|(text, _)| text.as_str()).collect();
    let fitted = cut(&whole, room);
    let was_cut = fitted != whole;
    // The characters of `whole` that stay (`cut` adds one, the `…`).
    let mut left = fitted.chars().count() - usize::from(was_cut);
    let mut out = String::new();
    for (text, style) in pieces {
        let piece: String = text.chars().take(left).collect();
        left -= piece.chars().count();
        if piece.is_empty() {
            break;
        }
        match style {
            _ if !color => out.push_str(&piece),
            Style::Plain => out.push_str(&piece),
            Style::Dim => out.push_str(&piece.dimmed().to_string()),
            Style::Status(ansi) => out.push_str(&piece.color(*ansi).bold().to_string()),
        }
    }
    if was_cut {
        out.push('…');
    }
    out
}

/// `+21 more: 15 running, 6 pending`: the tasks not shown, by status, the
/// ones under way first.
fn summary<'a>(hidden: impl Iterator<Item = &'a Shown>) -> String {
    let mut counts: Vec<(usize, String, usize)> = Vec::new();
    let mut total = 0;
    for task in hidden {
        total += 1;
        let (order, name) = summary_key(task.status.as_ref());
        match counts.iter_mut().find(|(_, n, _)| *n == name) {
            Some((_, _, count)) => *count += 1,
            None => counts.push((order, name, 1)),
        }
    }
    counts.sort();
    let counts: Vec<String> = counts
        .into_iter()
        .map(|(_, name, count)| format!("{count} {name}"))
        .collect();
    format!("+{total} more: {}", counts.join(", "))
}

/// Where a status comes in the summary, and its name there.
fn summary_key(status: Option<&TaskStatus>) -> (usize, String) {
    let Some(status) = status else {
        return (3, "asking".to_string());
    };
    let order = match status {
        TaskStatus::Running => 0,
        TaskStatus::Retry => 1,
        TaskStatus::Pending => 2,
        TaskStatus::Failed => 4,
        TaskStatus::Error => 5,
        TaskStatus::Timeout => 6,
        TaskStatus::Cancelled => 7,
        TaskStatus::Expired => 8,
        TaskStatus::Unknown(_) => 9,
        TaskStatus::Complete => 10,
    };
    (order, status.as_str().to_lowercase())
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

    fn now() -> Timestamp {
        "2026-05-04T12:00:00Z".parse().unwrap()
    }

    fn shown(id: &str, status: Option<TaskStatus>) -> Shown {
        Shown {
            id: id.to_string(),
            status,
            since: Some("2026-05-04T11:59:48Z".parse().unwrap()),
            retrying: None,
        }
    }

    fn size(columns: usize, rows: usize) -> Size {
        Size {
            columns: Some(columns),
            rows: Some(rows),
        }
    }

    #[test]
    fn a_line_per_task_spinning_until_it_finishes() {
        let tasks = [
            shown("abc", Some(TaskStatus::Running)),
            shown("de", Some(TaskStatus::Complete)),
            shown("f", None),
        ];
        let lines = view_lines(&tasks, 1, now(), size(80, 24), false);
        assert_eq!(
            lines,
            [
                "⠂ abc ● RUNNING for 12.0s",
                "  de  ✓ COMPLETE",
                "⠂ f   asking…"
            ]
        );
    }

    #[test]
    fn lines_stay_three_columns_short_of_the_width() {
        let mut task = shown("abcdefghij", Some(TaskStatus::Running));
        task.retrying = Some("the API answered HTTP 503 Service Unavailable".into());
        for columns in [1, 5, 20, 40] {
            let lines = view_lines(&[task.clone()], 0, now(), size(columns, 24), true);
            let plain = view_lines(&[task.clone()], 0, now(), size(columns, 24), false);
            assert!(
                plain[0].width() <= columns.saturating_sub(MARGIN).max(1),
                "{columns}: {plain:?}"
            );
            assert!(plain[0].ends_with('…'), "{plain:?}");
            assert!(lines[0].contains('…'), "{lines:?}");
        }
    }

    #[test]
    fn more_tasks_than_rows_end_in_a_line_that_counts_the_rest() {
        let mut tasks: Vec<Shown> = (0..50)
            .map(|n| {
                let status = if n >= 44 {
                    TaskStatus::Pending
                } else {
                    TaskStatus::Running
                };
                shown(&format!("t{n:02}"), Some(status))
            })
            .collect();
        let lines = view_lines(&tasks, 0, now(), size(80, 30), false);
        assert_eq!(lines.len(), 30);
        assert!(lines[0].starts_with("⠁ t00 ● RUNNING"), "{lines:?}");
        assert!(lines[28].starts_with("⠁ t28 ● RUNNING"), "{lines:?}");
        assert_eq!(lines[29], "+21 more: 15 running, 6 pending");

        // Tasks that finished COMPLETE make room; one that FAILED stays.
        tasks[0].status = Some(TaskStatus::Complete);
        tasks[1].status = Some(TaskStatus::Failed);
        tasks[49].status = Some(TaskStatus::Error);
        let lines = view_lines(&tasks, 0, now(), size(80, 30), false);
        assert_eq!(lines.len(), 30);
        assert!(lines[0].starts_with("  t01 ✗ FAILED"), "{lines:?}");
        assert!(lines[28].starts_with("  t49 ✗ ERROR"), "{lines:?}");
        assert_eq!(lines[29], "+21 more: 15 running, 5 pending, 1 complete");
    }

    #[test]
    fn all_tasks_show_when_the_terminal_does_not_tell_its_height() {
        let tasks: Vec<Shown> = (0..50).map(|n| shown(&format!("t{n}"), None)).collect();
        let size = Size {
            columns: None,
            rows: None,
        };
        assert_eq!(view_lines(&tasks, 0, now(), size, false).len(), 50);
    }

    #[test]
    fn a_frame_draws_down_from_the_first_line_and_returns_there() {
        let lines = ["one".to_string(), "two".to_string(), "three".to_string()];
        assert_eq!(
            frame_text(&lines),
            "\rone\x1b[K\r\ntwo\x1b[K\r\nthree\x1b[K\x1b[J\x1b[2A\r"
        );
        assert_eq!(frame_text(&lines[..1]), "\rone\x1b[K\x1b[J\r");
    }
}
