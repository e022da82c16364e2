//! Renderers: turn fetched tasks into what stdout shows.

#[cfg(test)]
mod hostile_bodies;
pub mod human;
pub mod json;
pub mod raw;
pub mod table;

use jiff::Timestamp;

use crate::cli::OutputMode;
use crate::task::Task;

/// What every renderer may need besides the tasks.
#[derive(Debug, Clone, Copy)]
pub struct RenderContext {
    pub color: bool,
    pub now: Timestamp,
    /// True when a single task was asked for: a card, a JSON object.
    pub single: bool,
}

/// Renders the tasks (in the order asked) in the chosen mode.
pub fn render(mode: OutputMode, tasks: &[(&str, &Task)], context: &RenderContext) -> Vec<u8> {
    match mode {
        OutputMode::Table => table::render_table(tasks, context).into_bytes(),
        OutputMode::Json => json::render_json(tasks, context).into_bytes(),
        OutputMode::Raw => raw::render_raw(tasks),
    }
}
