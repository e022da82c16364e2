//! Table output for people: a card for one task (like `gh run view`), a
//! table with one row per task for several.

use std::fmt::Write;

use jiff::{SignedDuration, Timestamp};
use owo_colors::{AnsiColors, OwoColorize};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::RenderContext;
use super::human;
use crate::task::{Task, TaskStatus, TaskTime};

/// Shown for a value that is absent, null or zero.
const NONE: &str = "-";

/// The symbol and color that stand for a status.
pub fn status_badge(status: &TaskStatus) -> (&'static str, AnsiColors) {
    match status {
        TaskStatus::Complete => ("✓", AnsiColors::Green),
        TaskStatus::Failed | TaskStatus::Error | TaskStatus::Timeout => ("✗", AnsiColors::Red),
        TaskStatus::Cancelled | TaskStatus::Expired => ("⊘", AnsiColors::Yellow),
        TaskStatus::Running => ("●", AnsiColors::Cyan),
        TaskStatus::Pending => ("○", AnsiColors::Blue),
        TaskStatus::Retry => ("↻", AnsiColors::Magenta),
        TaskStatus::Unknown(_) => ("?", AnsiColors::Default),
    }
}
/// `✓ COMPLETE`, colored when asked.
pub fn status_text(status: &TaskStatus, color: bool) -> String {
    let (symbol, ansi) = status_badge(status);
    let text = format!("{symbol} {}", status.as_str());
    if color {
        text.color(ansi).bold().to_string()
    } else {
        text
    }
}

/// One task as a vertical card of labelled lines. Values are never wrapped,
/// so that IDs and download URLs stay whole for copying.
pub fn render_card(id: &str, task: &Task, context: &RenderContext) -> String {
    let now = context.now;
    let mut lines: Vec<(&str, String)> = vec![
        ("Status", status_text(task.status(), context.color)),
        ("Stub", stub_text(task)),
        ("Created", time_text(&task.created_at(), now)),
        ("Started", time_text(&task.started_at(), now)),
        ("Ended", time_text(&task.ended_at(), now)),
        ("Queued", duration_text(task.queued_for())),
        ("Ran", ran_text(task, now)),
        ("Container", or_none(task.container_id())),
        ("Queue", queue_text(task)),
    ];
    if let Some(reason) = task.failure_reason() {
        lines.push(("Failure", reason));
    }

    let dim = |text: String| {
        if context.color {
            text.dimmed().to_string()
        } else {
            text
        }
    };
    let label = |text: &str| dim(format!("{text:<10}"));
    let mut out = String::new();
    let title = if context.color {
        id.bold().to_string()
    } else {
        id.to_string()
    };
    let _ = writeln!(out, "{title}");
    for (name, value) in &lines {
        let _ = writeln!(out, "{} {value}", label(name));
    }
    let outputs = task.outputs();
    if !outputs.is_empty() {
        let _ = writeln!(out, "{}", dim("Outputs".to_string()));
        for output in outputs {
            let name = output.name.as_deref().unwrap_or("(unnamed)");
            let expiry = match output.expires_in {
                Some(secs) if secs > 0 => format!(
                    " (link expires in {})",
                    human::duration(SignedDuration::from_secs(secs))
                ),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {name}{expiry}");
            if let Some(url) = output.url {
                let _ = writeln!(out, "    {url}");
            }
        }
    }
    out
}

/// The columns of the table, in order.
const HEADER: [&str; 6] = ["ID", "STATUS", "STUB", "CREATED", "DURATION", "CONTAINER"];
const ID_COLUMN: usize = 0;
const STATUS_COLUMN: usize = 1;
const DURATION_COLUMN: usize = 4;
/// On a narrow terminal these columns are cut short ("…"), widest first; ID,
/// status and times stay whole.
const COLUMNS_THAT_GIVE_WAY: [usize; 2] = [2, 5];
/// Columns are parted by two spaces, flush left like `gh`.
const GAP: usize = 2;

/// One task's row of the table, as text: small enough to keep while the
/// other tasks arrive, since column widths need every row.
#[derive(Debug, Clone)]
pub struct Row {
    cells: [String; 6],
    status_color: AnsiColors,
}

impl Row {
    pub fn new(id: &str, task: &Task, now: Timestamp) -> Row {
        let (symbol, status_color) = status_badge(task.status());
        let created = match task.created_at() {
            TaskTime::At(t) => human::age(t, now),
            other => time_text(&other, now),
        };
        Row {
            cells: [
                id.to_string(),
                format!("{symbol} {}", task.status().as_str()),
                or_none(task.stub_name()),
                created,
                ran_text(task, now),
                or_none(task.container_id()),
            ],
            status_color,
        }
    }
}

/// Several tasks make a table: one row each, under a header, never wrapped:
/// on a terminal the columns that give way are cut to fit. The widths of the
/// columns are set by the first rows: later rows (the next page of a
/// listing) are laid out the same, cut to fit.
#[derive(Debug, Clone)]
pub struct Layout {
    widths: [usize; 6],
}

impl Layout {
    /// Widths that hold the header and `rows`, narrowed to `width` columns
    /// when given.
    pub fn fit(rows: &[Row], width: Option<usize>) -> Layout {
        let mut widths = HEADER.map(UnicodeWidthStr::width);
        for row in rows {
            for (column, cell) in row.cells.iter().enumerate() {
                widths[column] = widths[column].max(cell.width());
            }
        }
        if let Some(width) = width {
            fit(&mut widths, width);
        }
        Layout { widths }
    }

    /// The rows, under the header when `header`.
    pub fn render(&self, rows: &[Row], color: bool, header: bool) -> String {
        let mut out = String::new();
        if header {
            out.push_str(&line(&HEADER.map(String::from), &self.widths, None));
        }
        for row in rows {
            let color = color.then_some(row.status_color);
            out.push_str(&line(&row.cells, &self.widths, color));
        }
        out
    }
}

/// Narrows the columns that give way, the widest first, until the line fits
/// in `width` (or they are one character each).
fn fit(widths: &mut [usize; 6], width: usize) {
    let total = |widths: &[usize; 6]| widths.iter().sum::<usize>() + GAP * (widths.len() - 1);
    while total(widths) > width {
        let Some(widest) = COLUMNS_THAT_GIVE_WAY
            .into_iter()
            .filter(|&column| widths[column] > 1)
            .max_by_key(|&column| widths[column])
        else {
            break;
        };
        widths[widest] -= 1;
    }
}

/// One line of the table, without trailing spaces.
fn line(cells: &[String; 6], widths: &[usize; 6], status_color: Option<AnsiColors>) -> String {
    let mut out = String::new();
    for (column, cell) in cells.iter().enumerate() {
        // The ID stays whole, always: people copy it.
        let text = if column == ID_COLUMN {
            cell.clone()
        } else {
            cut(cell, widths[column])
        };
        let padding = " ".repeat(widths[column].saturating_sub(text.width()));
        let text = match status_color {
            Some(color) if column == STATUS_COLUMN => text.color(color).to_string(),
            _ => text,
        };
        if column == DURATION_COLUMN {
            out.push_str(&padding);
            out.push_str(&text);
        } else {
            out.push_str(&text);
            out.push_str(&padding);
        }
        out.push_str(&" ".repeat(GAP));
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

/// The text cut to `width` columns, ending with "…" when it was cut.
fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// A text field as shown (the model has made it safe for a terminal).
fn or_none(text: Option<String>) -> String {
    text.unwrap_or_else(|| NONE.to_string())
}

fn stub_text(task: &Task) -> String {
    match (task.stub_name(), task.stub_type()) {
        (Some(name), Some(kind)) => format!("{name} ({kind})"),
        (Some(name), None) => name,
        (None, Some(kind)) => format!("({kind})"),
        (None, None) => NONE.to_string(),
    }
}
fn time_text(time: &TaskTime, now: Timestamp) -> String {
    match time {
        TaskTime::Unset => NONE.to_string(),
        TaskTime::At(t) => format!("{} ({})", human::local_time(*t), human::age(*t, now)),
        TaskTime::Unreadable(text) => text.clone(),
    }
}

fn duration_text(d: Option<SignedDuration>) -> String {
    d.map_or_else(|| NONE.to_string(), human::duration)
}

/// The run time; "so far" only when it is counted up to now.
fn ran_text(task: &Task, now: Timestamp) -> String {
    match task.ran_for(now) {
        Some(ran) if task.is_counting() => format!("{} so far", human::duration(ran)),
        ran => duration_text(ran),
    }
}

fn queue_text(task: &Task) -> String {
    let depth = task.queue_depth();
    let active = task.active_containers();
    if depth.is_none() && active.is_none() {
        return NONE.to_string();
    }
    let show = |n: Option<i64>| n.map_or_else(|| NONE.to_string(), |n| n.to_string());
    format!(
        "{} in queue, {} active containers",
        show(depth),
        show(active)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutting_keeps_the_width_and_marks_the_cut() {
        assert_eq!(cut("endpoint/app", 20), "endpoint/app");
        assert_eq!(cut("endpoint/app", 5), "endp…");
        assert_eq!(cut("✓✓✓", 2), "✓…");
        assert_eq!(cut("abc", 1), "…");
    }

    #[test]
    fn fitting_narrows_stub_and_container_only_widest_first() {
        let mut widths = [14, 10, 20, 9, 8, 30];
        fit(&mut widths, 80);
        assert_eq!(widths[..2], [14, 10]);
        assert_eq!(widths[3..5], [9, 8]);
        assert_eq!(widths.iter().sum::<usize>() + GAP * 5, 80);
        assert!(widths[2].abs_diff(widths[5]) <= 1, "{widths:?}");
    }

    #[test]
    fn rows_are_columns_parted_by_two_spaces_without_trailing_space() {
        let task = Task::parse(br#"{"status":"RUNNING"}"#.to_vec()).unwrap();
        let now = Timestamp::now();
        let rows = [Row::new("t1", &task, now)];
        let out = Layout::fit(&rows, None).render(&rows, false, true);
        assert_eq!(
            out,
            "ID  STATUS     STUB  CREATED  DURATION  CONTAINER\n\
             t1  ● RUNNING  -     -               -  -\n"
        );
    }
}
