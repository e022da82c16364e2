//! JSON output: the task object as the API sent it, for `jq`.

use crate::api::task::Task;

/// One task asked for: the object, pretty-printed, never colored.
pub fn render_object(task: &Task) -> String {
    let mut text =
        serde_json::to_string_pretty(&task.to_json()).expect("a JSON value always serializes");
    text.push('\n');
    text
}

/// Several tasks make one array, written an element at a time so that
/// nothing is kept once printed: this is one element, indented as
/// `serde_json`'s pretty printer indents the elements of an array (JSON text
/// has no raw newline inside a string, so indenting each line is exact).
pub fn render_array_element(task: &Task) -> String {
    let text =
        serde_json::to_string_pretty(&task.to_json()).expect("a JSON value always serializes");
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("  ");
        out.push_str(line);
    }
    out
}

/// Opens the array (before the first element), parts two elements, and closes
/// it (after the last).
pub const ARRAY_START: &str = "[\n";
pub const ARRAY_SEPARATOR: &str = ",\n";
pub const ARRAY_END: &str = "\n]\n";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn task(json: &str) -> Task {
        Task::parse(json.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn an_array_written_element_by_element_is_what_serde_json_prints() {
        let tasks = [
            task(r#"{"status":"RUNNING","a":{"b":[1,2,{"c":"x\ny"}]},"e":[]}"#),
            task(r#"{"status":"COMPLETE","stub":{"config":"{\"k\":{}}"}}"#),
        ];
        let mut streamed = String::from(ARRAY_START);
        for (i, task) in tasks.iter().enumerate() {
            if i > 0 {
                streamed.push_str(ARRAY_SEPARATOR);
            }
            streamed.push_str(&render_array_element(task));
        }
        streamed.push_str(ARRAY_END);
        let whole = Value::Array(tasks.iter().map(Task::to_json).collect());
        let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
        assert_eq!(streamed, expected);
    }
}
