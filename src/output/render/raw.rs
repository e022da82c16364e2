//! Raw output: each response body exactly as received.

use crate::api::task::Task;

/// The body, byte for byte, followed by a newline unless it already ends
/// with one.
pub fn render_raw(task: &Task) -> Vec<u8> {
    let mut out = task.body().to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
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
        assert_eq!(
            render_raw(&task("{\"status\":\"RUNNING\"}")),
            b"{\"status\":\"RUNNING\"}\n"
        );
        assert_eq!(
            render_raw(&task("{\"status\" : \"COMPLETE\"}\r\n")),
            b"{\"status\" : \"COMPLETE\"}\r\n"
        );
        assert_eq!(
            render_raw(&task("\n{\"status\":\"FAILED\"}\n")),
            b"\n{\"status\":\"FAILED\"}\n"
        );
    }
}
