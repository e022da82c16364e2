//! Raw output: each response body exactly as received.

use crate::task::Task;

/// The bodies, byte for byte, each followed by a newline unless it already
/// ends with one.
pub fn render_raw(tasks: &[(&str, &Task)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (_, task) in tasks {
        out.extend_from_slice(task.body());
        if !task.body().ends_with(b"\n") {
            out.push(b'\n');
        }
    }
    out
}
