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

#[cfg(test)]
mod tests {
    use super::*;

    fn task(body: &str) -> Task {
        Task::parse(body.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn each_body_is_kept_whole_on_its_own_line() {
        let a = task("{\"status\":\"RUNNING\"}");
        let b = task("{\"status\" : \"COMPLETE\"}\r\n");
        let c = task("\n{\"status\":\"FAILED\"}\n");
        let out = render_raw(&[("a", &a), ("b", &b), ("c", &c)]);
        assert_eq!(
            out,
            b"{\"status\":\"RUNNING\"}\n{\"status\" : \"COMPLETE\"}\r\n\n{\"status\":\"FAILED\"}\n"
        );
    }
}
