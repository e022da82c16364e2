//! Table output for people: a card for one task (like `gh run view`), a
//! table with one row per task for several. Both fit the terminal: from 60
//! columns up no line is wider than it, except a download link, printed
//! whole on a line of its own (a cut link is useless). Task IDs are never
//! cut: people copy them.
//!
//! What fits and what each cell says is decided here; comfy-table places
//! and pads the cells: the table's columns, and the card's labels with
//! their values beside them.

use std::fmt::Write;

use comfy_table::presets::NOTHING;
use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Table, Width};
use jiff::{SignedDuration, Timestamp};
use owo_colors::{AnsiColors, OwoColorize};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::RenderContext;
use super::human;
use crate::api::task::{Task, TaskStatus, TaskTime};

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

/// `✓ COMPLETE`, without color.
pub fn status_plain(status: &TaskStatus) -> String {
    let (symbol, _) = status_badge(status);
    format!("{symbol} {}", status.as_str())
}

/// The text in bold `color`, or as it is.
fn paint(text: &str, color: Option<AnsiColors>) -> String {
    match color {
        Some(color) => text.color(color).bold().to_string(),
        None => text.to_string(),
    }
}

// ---- the card ----

/// The labels' column; values start one space after it.
const LABEL_WIDTH: usize = 10;
/// The indent of a value put under its label, and of an output's lines.
const INDENT: usize = 2;

/// One task as a vertical card of labelled lines. A value too wide for the
/// terminal is wrapped at its natural breaks, under itself; one with a word
/// too wide even for that (a container ID) goes under its label instead.
pub fn render_card(id: &str, task: &Task, context: &RenderContext) -> String {
    let now = context.now;
    let zone = &context.zone;
    let status = task.status();
    // Label, value in parts, color.
    let mut fields: Vec<(&str, Vec<String>, Option<AnsiColors>)> = vec![
        (
            "Status",
            vec![status_plain(status)],
            context.color.then_some(status_badge(status).1),
        ),
        ("Stub", stub_parts(task), None),
        ("Created", time_parts(&task.created_at(), now, zone), None),
        ("Started", time_parts(&task.started_at(), now, zone), None),
        ("Ended", time_parts(&task.ended_at(), now, zone), None),
        ("Queued", vec![duration_text(task.queued_for())], None),
        ("Ran", vec![ran_text(task, now)], None),
        ("Container", vec![or_none(task.container_id())], None),
        ("Queue", queue_parts(task), None),
    ];
    if let Some(reason) = task.failure_reason() {
        fields.push(("Failure", words(&reason), None));
    }

    let dim = |text: &str| {
        if context.color {
            text.dimmed().to_string()
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    let title = if context.color {
        id.bold().to_string()
    } else {
        id.to_string()
    };
    let _ = writeln!(out, "{title}");
    for (label, value, color) in &fields {
        // A container ID is copied, as a task ID is: never cut in two.
        let words = if *label == "Container" {
            Words::Whole
        } else {
            Words::MayBreak
        };
        match field_lines(value, context.width, words) {
            FieldLines::Beside(lines) => {
                out.push_str(&beside(label, &lines, dim, |line| paint(line, *color)));
            }
            FieldLines::Under(lines) => {
                let _ = writeln!(out, "{}", dim(label));
                for line in &lines {
                    let _ = writeln!(out, "{:INDENT$}{}", "", paint(line, *color));
                }
            }
        }
    }
    let outputs = task.outputs();
    if !outputs.is_empty() {
        let _ = writeln!(out, "{}", dim("Outputs"));
        let room = context.width.map(|w| w.saturating_sub(INDENT));
        for output in outputs {
            let mut parts = vec![output.name.unwrap_or_else(|| "(unnamed)".to_string())];
            if let Some(secs) = output.expires_in.filter(|&secs| secs > 0) {
                let expiry = human::duration(SignedDuration::from_secs(secs));
                parts.push(format!("(link expires in {expiry})"));
            }
            for line in wrap(&parts, room, Words::MayBreak) {
                let _ = writeln!(out, "{:INDENT$}{line}", "");
            }
            if let Some(url) = output.url {
                let _ = writeln!(out, "{:width$}{url}", "", width = 2 * INDENT);
            }
        }
    }
    out
}

/// A label with its value's lines beside it: comfy-table pads the label to
/// its column and puts each line of the value under the one before. The
/// label is `dim`med with its padding, the value `paint`ed without the
/// padding that comfy-table gives each line up to the widest.
fn beside(
    label: &str,
    lines: &[String],
    dim: impl Fn(&str) -> String,
    paint: impl Fn(&str) -> String,
) -> String {
    let columns = [Place::left(LABEL_WIDTH, 1), Place::left(0, 0)];
    let grid = grid([vec![label.to_string(), lines.join("\n")]], &columns);
    let mut out = String::new();
    let start = LABEL_WIDTH + 1;
    for (n, (line, value)) in grid.lines().zip(lines).enumerate() {
        // The label's column (the label, ASCII, and spaces), the gap, the
        // value; then only padding.
        let (Some(lead), Some(gap), Some(value)) = (
            line.get(..LABEL_WIDTH),
            line.get(LABEL_WIDTH..start),
            line.get(start..start + value.len()),
        ) else {
            continue;
        };
        let lead = if n == 0 { dim(lead) } else { lead.to_string() };
        let _ = writeln!(out, "{lead}{gap}{}", paint(value));
    }
    out
}

/// Where a card's value goes.
#[derive(Debug, PartialEq, Eq)]
enum FieldLines {
    /// Beside its label; further lines under its first.
    Beside(Vec<String>),
    /// Under its label, indented.
    Under(Vec<String>),
}

/// Whether a word too wide for a whole line may be cut into pieces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Words {
    MayBreak,
    /// Left whole, wider than the line: an ID, whose pieces would be
    /// copied apart.
    Whole,
}

/// The lines of a value made of `parts` (pieces that read best unbroken,
/// such as a date, or `(3 min ago)`), in a terminal `width` columns wide.
fn field_lines(parts: &[String], width: Option<usize>, words: Words) -> FieldLines {
    let Some(width) = width else {
        return FieldLines::Beside(vec![parts.join(" ")]);
    };
    let room = width.saturating_sub(LABEL_WIDTH + 1);
    let widest_word = parts
        .iter()
        .flat_map(|part| part.split(' '))
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0);
    if widest_word <= room {
        FieldLines::Beside(wrap(parts, Some(room), words))
    } else {
        FieldLines::Under(wrap(parts, Some(width.saturating_sub(INDENT)), words))
    }
}

/// `parts` joined by spaces in lines of at most `room` columns: a part that
/// does not fit on the current line starts the next; one wider than a whole
/// line is broken at its spaces, and a word wider than a whole line is cut
/// into pieces as wide as the line (unless `words` keeps it whole). Without
/// `room`, one line.
fn wrap(parts: &[String], room: Option<usize>, words: Words) -> Vec<String> {
    let Some(room) = room else {
        return vec![parts.join(" ")];
    };
    let room = room.max(1);
    let mut lines = Lines {
        room,
        done: Vec::new(),
        line: String::new(),
    };
    for part in parts {
        if part.width() <= room {
            lines.place(part);
            continue;
        }
        for word in part.split(' ').filter(|w| !w.is_empty()) {
            if word.width() <= room || words == Words::Whole {
                lines.place(word);
            } else {
                for piece in pieces(word, room) {
                    lines.place(&piece);
                }
            }
        }
    }
    if !lines.line.is_empty() || lines.done.is_empty() {
        lines.done.push(lines.line);
    }
    lines.done
}

/// Lines being filled, each up to `room` columns.
struct Lines {
    room: usize,
    done: Vec<String>,
    line: String,
}

impl Lines {
    /// Puts `piece` on the current line after a space, or on a new line
    /// when it does not fit there.
    fn place(&mut self, piece: &str) {
        if !self.line.is_empty() {
            if self.line.width() + 1 + piece.width() > self.room {
                self.done.push(std::mem::take(&mut self.line));
            } else {
                self.line.push(' ');
            }
        }
        self.line.push_str(piece);
    }
}

/// `word` cut into pieces of at most `room` columns.
fn pieces(word: &str, room: usize) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut used = 0;
    for c in word.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room && used > 0 {
            pieces.push(String::new());
            used = 0;
        }
        if let Some(piece) = pieces.last_mut() {
            piece.push(c);
        }
        used += w;
    }
    pieces
}

fn words(text: &str) -> Vec<String> {
    text.split(' ').map(str::to_string).collect()
}

// ---- the table ----

/// A column of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    Status,
    Stub,
    Created,
    Duration,
    Container,
}

impl Column {
    /// Every column, in the order shown.
    const ALL: [Column; 6] = [
        Column::Id,
        Column::Status,
        Column::Stub,
        Column::Created,
        Column::Duration,
        Column::Container,
    ];

    fn header(self) -> &'static str {
        match self {
            Column::Id => "ID",
            Column::Status => "STATUS",
            Column::Stub => "STUB",
            Column::Created => "CREATED",
            Column::Duration => "DURATION",
            Column::Container => "CONTAINER",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The columns by use, most useful first. On a terminal too narrow for all
/// of them, each is kept in this order if it still fits, and left out whole
/// otherwise (never cut to `…`):
///
/// - ID and STATUS are what the table is for;
/// - CREATED tells tasks apart, and orders a listing, in 10 columns;
/// - DURATION tells a task that is slow from one that is stuck, in 13;
/// - STUB names the function: often 30 columns or more, and the same for
///   most tasks of one batch;
/// - CONTAINER only matters to look up logs, and takes 50.
const PRIORITY: [Column; 6] = [
    Column::Id,
    Column::Status,
    Column::Created,
    Column::Duration,
    Column::Stub,
    Column::Container,
];

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
        let created = match task.created_at() {
            TaskTime::At(t) => human::age(t, now),
            TaskTime::Unset => NONE.to_string(),
            TaskTime::Unreadable(text) => text,
        };
        Row {
            cells: [
                id.to_string(),
                status_plain(task.status()),
                or_none(task.stub_name()),
                created,
                ran_text(task, now),
                or_none(task.container_id()),
            ],
            status_color: status_badge(task.status()).1,
        }
    }
}

/// The shape of a table: which columns, how wide. Set by the first rows
/// (the first page of a listing) and kept for the rows after them.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The columns shown, in order, with their widths.
    columns: Vec<(Column, usize)>,
    /// Not even the ID and the status fit side by side: each task takes
    /// two lines, its ID, then its status under it.
    stacked: bool,
    /// The terminal's width, if there is one.
    width: Option<usize>,
}

impl Layout {
    /// The columns that fit in `width` columns (all of them without a
    /// width), each as wide as its widest cell in `rows`.
    pub fn fit(rows: &[Row], width: Option<usize>) -> Layout {
        let widest = Column::ALL.map(|column| {
            rows.iter()
                .map(|row| row.cells[column.index()].width())
                .fold(column.header().width(), usize::max)
        });
        let mut kept = [width.is_none(); 6];
        let mut stacked = false;
        if let Some(width) = width {
            kept[Column::Id.index()] = true;
            let mut used = widest[Column::Id.index()];
            for column in PRIORITY.into_iter().skip(1) {
                let more = GAP + widest[column.index()];
                if used + more <= width {
                    kept[column.index()] = true;
                    used += more;
                } else if column == Column::Status {
                    kept[column.index()] = true;
                    stacked = true;
                    break;
                }
            }
        }
        Layout {
            columns: Column::ALL
                .into_iter()
                .filter(|column| kept[column.index()])
                .map(|column| (column, widest[column.index()]))
                .collect(),
            stacked,
            width,
        }
    }

    /// The rows, under the header when `header`.
    pub fn render(&self, rows: &[Row], color: bool, header: bool) -> String {
        let mut out = String::new();
        if self.stacked {
            let room = self.width.map(|w| w.saturating_sub(INDENT));
            for row in rows {
                let status = &row.cells[Column::Status.index()];
                let status = room.map_or_else(|| status.clone(), |room| cut(status, room));
                let status = paint_plain(&status, color.then_some(row.status_color));
                let _ = writeln!(out, "{}", row.cells[Column::Id.index()]);
                let _ = writeln!(out, "{:INDENT$}{status}", "");
            }
            return out;
        }
        if header {
            let cells = Column::ALL.map(|column| column.header().to_string());
            out.push_str(&self.line(&cells, None));
        }
        for row in rows {
            out.push_str(&self.line(&row.cells, color.then_some(row.status_color)));
        }
        out
    }

    /// One line of the table, without trailing spaces. A cell wider than
    /// its column (in a later page) is cut to it on a terminal, except the
    /// ID, whole, and the last column, which may use the rest of the line.
    fn line(&self, cells: &[String; 6], status_color: Option<AnsiColors>) -> String {
        let mut texts = Vec::with_capacity(self.columns.len());
        let mut places = Vec::with_capacity(self.columns.len());
        let mut position = 0;
        let last = self.columns.len() - 1;
        for (n, &(column, width)) in self.columns.iter().enumerate() {
            let cell = &cells[column.index()];
            let text = match self.width {
                Some(_) if column == Column::Id => cell.clone(),
                Some(line) if n == last => cut(cell, width.max(line.saturating_sub(position))),
                Some(_) => cut(cell, width),
                None => cell.clone(),
            };
            let gap = if n == last { 0 } else { GAP };
            position += text.width().max(width) + gap;
            places.push(match column {
                Column::Duration => Place::right(width, gap),
                _ => Place::left(width, gap),
            });
            texts.push(text);
        }
        let id = texts[0].clone();
        let status = texts.get(1).cloned().unwrap_or_default();
        // A grid of its own: a later page's ID wider than its column pushes
        // only its own line on.
        let mut out = String::new();
        for line in grid([texts], &places).lines() {
            let line = match status_color {
                Some(color) => paint_status(&line, &id, &status, color),
                None => line,
            };
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// A table `line` with its status, the cell after the ID's, in `color`.
fn paint_status(line: &str, id: &str, status: &str, color: AnsiColors) -> String {
    let Some(rest) = line.strip_prefix(id) else {
        return line.to_string();
    };
    let from_status = rest.trim_start_matches(' ');
    let Some(after) = from_status.strip_prefix(status) else {
        return line.to_string();
    };
    let gap = &rest[..rest.len() - from_status.len()];
    format!("{id}{gap}{}{after}", paint_plain(status, Some(color)))
}

/// The text in `color` (not bold: a table's column of bold words is loud).
fn paint_plain(text: &str, color: Option<AnsiColors>) -> String {
    match color {
        Some(color) => text.color(color).to_string(),
        None => text.to_string(),
    }
}

/// The text cut to `width` columns, ending with "…" when it was cut.
pub fn cut(text: &str, width: usize) -> String {
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

// ---- the grid ----

/// Where a column's cells go in a grid.
#[derive(Debug, Clone, Copy)]
struct Place {
    /// The least width of the cells; a wider one widens the column.
    width: usize,
    /// The spaces after the column.
    gap: usize,
    alignment: CellAlignment,
}

impl Place {
    fn left(width: usize, gap: usize) -> Place {
        Place {
            width,
            gap,
            alignment: CellAlignment::Left,
        }
    }

    fn right(width: usize, gap: usize) -> Place {
        Place {
            alignment: CellAlignment::Right,
            ..Place::left(width, gap)
        }
    }
}

/// `rows` in borderless columns placed and padded by comfy-table, each as
/// wide as its widest cell and at least as its `places` say. The cells are
/// plain text: comfy-table measures a color's escape as text unless its
/// `custom_styling` feature is on, which brings crossterm, so colors are
/// put in afterwards, at the cells' places in the lines.
fn grid(rows: impl IntoIterator<Item = Vec<String>>, places: &[Place]) -> Table {
    let to_u16 = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
    let mut table = Table::new();
    table
        .load_style(NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .add_rows(rows);
    for (column, place) in table.column_iter_mut().zip(places) {
        column
            .set_padding((0, to_u16(place.gap)))
            .set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(to_u16(
                place.width + place.gap,
            ))));
        column.set_cell_alignment(place.alignment);
    }
    table
}

// ---- values ----

/// A text field as shown (the model has made it safe for a terminal).
fn or_none(text: Option<String>) -> String {
    text.unwrap_or_else(|| NONE.to_string())
}

fn stub_parts(task: &Task) -> Vec<String> {
    match (task.stub_name(), task.stub_type()) {
        (Some(name), Some(kind)) => vec![name, format!("({kind})")],
        (Some(name), None) => vec![name],
        (None, Some(kind)) => vec![format!("({kind})")],
        (None, None) => vec![NONE.to_string()],
    }
}

/// `2026-11-28 19:39:21 CET`, then `(3 min ago)`.
fn time_parts(time: &TaskTime, now: Timestamp, zone: &jiff::tz::TimeZone) -> Vec<String> {
    match time {
        TaskTime::Unset => vec![NONE.to_string()],
        TaskTime::At(t) => vec![
            human::local_time(*t, zone),
            format!("({})", human::age(*t, now)),
        ],
        TaskTime::Unreadable(text) => words(text),
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

/// `0 in queue,` then `0 active containers`.
fn queue_parts(task: &Task) -> Vec<String> {
    let depth = task.queue_depth();
    let active = task.active_containers();
    if depth.is_none() && active.is_none() {
        return vec![NONE.to_string()];
    }
    let show = |n: Option<i64>| n.map_or_else(|| NONE.to_string(), |n| n.to_string());
    vec![
        format!("{} in queue,", show(depth)),
        format!("{} active containers", show(active)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A task as Beam sends it, with a UUID for an ID.
    fn task(status: &str) -> Task {
        let body = serde_json::json!({
            "status": status,
            "created_at": "2026-11-28T18:39:21Z",
            "started_at": "2026-11-28T18:39:25Z",
            "container_id": "endpoint-d327e987-759d-493e-b3e4-005774bcf998-8b747792",
            "stub": {"name": "endpoint/deployment/app:squared", "type": "endpoint/deployment"},
        });
        Task::parse(body.to_string().into_bytes()).unwrap()
    }

    const ID: &str = "07ce4078-bccc-4a42-b530-5f2653484a6a";

    fn now() -> Timestamp {
        "2026-11-28T18:42:41Z".parse().unwrap()
    }

    fn headers(layout: &Layout) -> Vec<&'static str> {
        layout.columns.iter().map(|(c, _)| c.header()).collect()
    }

    #[test]
    fn cutting_keeps_the_width_and_marks_the_cut() {
        assert_eq!(cut("endpoint/app", 20), "endpoint/app");
        assert_eq!(cut("endpoint/app", 5), "endp…");
        assert_eq!(cut("✓✓✓", 2), "✓…");
        assert_eq!(cut("abc", 1), "…");
    }

    #[test]
    fn columns_are_left_out_whole_least_useful_first() {
        let rows = [Row::new(ID, &task("RUNNING"), now())];
        let shown = |width| headers(&Layout::fit(&rows, Some(width)));
        assert_eq!(
            shown(200),
            ["ID", "STATUS", "STUB", "CREATED", "DURATION", "CONTAINER"]
        );
        assert_eq!(shown(120), ["ID", "STATUS", "STUB", "CREATED", "DURATION"]);
        assert_eq!(shown(80), ["ID", "STATUS", "CREATED", "DURATION"]);
        assert_eq!(shown(70), ["ID", "STATUS", "CREATED"]);
        assert_eq!(shown(57), ["ID", "STATUS"]);
        assert!(!Layout::fit(&rows, Some(47)).stacked);
        assert!(Layout::fit(&rows, Some(46)).stacked);
        assert!(Layout::fit(&rows, Some(40)).stacked);
        let all = headers(&Layout::fit(&rows, None));
        assert_eq!(all.len(), 6);
    }

    #[test]
    fn a_column_lower_down_is_kept_when_it_fits_where_a_wider_one_does_not() {
        let mut short = task("RUNNING");
        short = Task::parse(
            String::from_utf8(short.body().to_vec())
                .unwrap()
                .replace("endpoint/deployment/app:squared", "f")
                .into_bytes(),
        )
        .unwrap();
        let rows = [Row::new(ID, &short, now())];
        // ID 36 + STATUS 9 + CREATED 9: 58; DURATION (13) does not fit in
        // 70, STUB (4, its header) does.
        let layout = Layout::fit(&rows, Some(70));
        assert_eq!(headers(&layout), ["ID", "STATUS", "STUB", "CREATED"]);
    }

    #[test]
    fn the_stacked_form_has_the_id_then_the_status() {
        let rows = [
            Row::new(ID, &task("RUNNING"), now()),
            Row::new("t2", &task("FAILED"), now()),
        ];
        let out = Layout::fit(&rows, Some(40)).render(&rows, false, true);
        assert_eq!(out, format!("{ID}\n  ● RUNNING\nt2\n  ✗ FAILED\n"));
    }

    #[test]
    fn later_rows_keep_the_layout_cut_to_it_but_the_last_column_and_ids() {
        let first = [Row::new("t1", &task("RUNNING"), now())];
        let layout = Layout::fit(&first, Some(60));
        assert_eq!(headers(&layout), ["ID", "STATUS", "CREATED", "DURATION"]);
        let long = Task::parse(
            br#"{"status":"SOMETHING_NEW_AND_LONG","started_at":"2026-11-27T18:39:25Z"}"#.to_vec(),
        )
        .unwrap();
        let later = [Row::new("a-longer-id", &long, now())];
        let out = layout.render(&later, false, false);
        // CREATED pads to 9, DURATION is flush right in 13.
        let gap = " ".repeat(8 + GAP + 12);
        assert_eq!(out, format!("a-longer-id  ? SOMETH…  -{gap}-\n"));
        let out = Layout::fit(&first, None).render(&later, false, false);
        assert!(out.contains("? SOMETHING_NEW_AND_LONG"), "{out}");
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

    fn parts(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn wrapping_breaks_between_parts_then_words_then_inside_words() {
        let date = parts(&["2026-11-28 19:39:21 CET", "(3 min ago)"]);
        let wrap = |parts: &[String], room| wrap(parts, room, Words::MayBreak);
        assert_eq!(
            wrap(&date, Some(40)),
            ["2026-11-28 19:39:21 CET (3 min ago)"]
        );
        assert_eq!(
            wrap(&date, Some(29)),
            ["2026-11-28 19:39:21 CET", "(3 min ago)"]
        );
        assert_eq!(
            wrap(&date, Some(12)),
            ["2026-11-28", "19:39:21 CET", "(3 min ago)"]
        );
        assert_eq!(
            wrap(&parts(&["abcdefgh ij"]), Some(3)),
            ["abc", "def", "gh", "ij"]
        );
        assert_eq!(wrap(&date, None), ["2026-11-28 19:39:21 CET (3 min ago)"]);
    }

    #[test]
    fn a_value_goes_under_its_label_when_a_word_is_too_wide_beside_it() {
        let container = parts(&["endpoint-d327e987-759d-493e-b3e4-005774bcf998-8b747792"]);
        let whole = |width| field_lines(&container, Some(width), Words::Whole);
        assert_eq!(whole(80), FieldLines::Beside(container.clone()));
        assert_eq!(whole(60), FieldLines::Under(container.clone()));
        assert_eq!(whole(40), FieldLines::Under(container.clone()));
        let reason = parts(&["exit", &"x".repeat(60)]);
        assert_eq!(
            field_lines(&reason, Some(40), Words::MayBreak),
            FieldLines::Under(vec!["exit".to_string(), "x".repeat(38), "x".repeat(22)])
        );
        let stub = parts(&["endpoint/deployment/app:squared", "(endpoint/deployment)"]);
        assert_eq!(
            field_lines(&stub, Some(60), Words::MayBreak),
            FieldLines::Beside(parts(&[
                "endpoint/deployment/app:squared",
                "(endpoint/deployment)"
            ]))
        );
    }
}
