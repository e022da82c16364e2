//! Renderers: turn tasks into what stdout shows. They only format; writing
//! and ordering are `output.rs`'s.

#[cfg(test)]
mod hostile_bodies;
pub mod human;
pub mod json;
#[cfg(test)]
mod layouts;
pub mod raw;
pub mod table;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The output formats of `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputMode {
    /// A card for one task, a table for several.
    Table,
    /// The task object as JSON (an array for several tasks).
    Json,
    /// Each response body exactly as received, one per line.
    Raw,
    /// One task ID per line.
    Ids,
}

/// What the table and the card need besides the tasks.
#[derive(Debug, Clone)]
pub struct RenderContext {
    pub color: bool,
    /// The time that ages and running times count to.
    pub now: Timestamp,
    /// The time zone that times are shown in.
    pub zone: TimeZone,
    /// The terminal's width in columns, when stdout is one.
    pub width: Option<usize>,
}
