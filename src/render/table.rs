//! Table output for people: a card for one task (like `gh run view`), a
//! table with one row per task for several.

use std::fmt::Write;

use comfy_table::{
    Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Row, Table, presets,
};
use jiff::{SignedDuration, Timestamp};
use owo_colors::{AnsiColors, OwoColorize};

use super::RenderContext;
use super::human;
use crate::task::{Task, TaskStatus, TaskTime};

/// Shown for a value that is absent, null or zero.
const NONE: &str = "-";

pub fn render_table(tasks: &[(&str, &Task)], context: &RenderContext) -> String {
    match tasks {
        [(id, task)] if context.single => render_card(id, task, context),
        _ => render_rows(tasks, context),
    }
}

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
        ("Created", time_text(&task.time("created_at"), now)),
        ("Started", time_text(&task.time("started_at"), now)),
        ("Ended", time_text(&task.time("ended_at"), now)),
        ("Queued", duration_text(task.queued_for())),
        ("Ran", ran_text(task, now)),
        ("Container", text_or_none(task, &["container_id"])),
        ("Queue", queue_text(task)),
    ];
    if let Some(reason) = task.text(&["failure_reason"]) {
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

/// Several tasks: one row each. Width follows the terminal when stdout is
/// one; otherwise rows are never wrapped.
pub fn render_rows(tasks: &[(&str, &Task)], context: &RenderContext) -> String {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_truncation_indicator("…")
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header({
            let mut header =
                Row::from(["ID", "STATUS", "STUB", "CREATED", "DURATION", "CONTAINER"]);
            header.max_height(1);
            header
        });
    if context.color {
        table.enforce_styling();
    }
    for (id, task) in tasks {
        let (symbol, ansi) = status_badge(task.status());
        let mut status = Cell::new(format!("{symbol} {}", task.status().as_str()));
        if context.color {
            status = status.fg(comfy_color(ansi));
        }
        let created = match task.time("created_at") {
            TaskTime::At(t) => human::age(t, context.now),
            other => time_text(&other, context.now),
        };
        let mut row = Row::from(vec![
            Cell::new(id),
            status,
            Cell::new(text_or_none(task, &["stub", "name"])),
            Cell::new(created),
            Cell::new(ran_text(task, context.now)).set_alignment(CellAlignment::Right),
            Cell::new(text_or_none(task, &["container_id"])),
        ]);
        // On a narrow terminal a row is cut short ("…"), never wrapped.
        row.max_height(1);
        table.add_row(row);
    }
    // No borders: columns are parted by two spaces, flush left like `gh`.
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    // ID, status and times stay whole; stub and container give way.
    for index in [0, 1, 3, 4] {
        if let Some(column) = table.column_mut(index) {
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    let mut out = table.trim_fmt();
    out.push('\n');
    out
}

fn comfy_color(ansi: AnsiColors) -> Color {
    match ansi {
        AnsiColors::Green => Color::Green,
        AnsiColors::Red => Color::Red,
        AnsiColors::Yellow => Color::Yellow,
        AnsiColors::Cyan => Color::Cyan,
        AnsiColors::Blue => Color::Blue,
        AnsiColors::Magenta => Color::Magenta,
        _ => Color::Reset,
    }
}

/// A text field as shown (the model has made it safe for a terminal).
fn text_or_none(task: &Task, path: &[&str]) -> String {
    task.text(path).unwrap_or_else(|| NONE.to_string())
}

fn stub_text(task: &Task) -> String {
    let name = task.text(&["stub", "name"]);
    let kind = task.text(&["stub", "type"]);
    match (name, kind) {
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
    let depth = task.integer(&["stats", "queue_depth"]);
    let active = task.integer(&["stats", "active_containers"]);
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
