//! JSON output: the task object as the API sent it, for `jq`.

use serde_json::Value;

use super::RenderContext;
use crate::task::Task;

/// One task asked for: an object; several: an array in the order asked.
/// Pretty-printed, never colored.
pub fn render_json(tasks: &[(&str, &Task)], context: &RenderContext) -> String {
    let value = match tasks {
        [(_, task)] if context.single => task.to_json(),
        _ => Value::Array(tasks.iter().map(|(_, task)| task.to_json()).collect()),
    };
    let mut text = serde_json::to_string_pretty(&value).expect("a JSON value always serializes");
    text.push('\n');
    text
}
