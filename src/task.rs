//! The task model: what the API said about one task.
//!
//! The object is kept whole (in the API's field order) so that JSON output
//! loses nothing; typed accessors read the fields the renderers need and
//! treat every field as optional.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Map, Value};

use crate::failure::Failure;
use crate::text::{one_line, printable};

/// A task's status. ERROR is beta9's name for FAILED; a status this version
/// does not know is kept as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskStatus {
    Pending,
    Running,
    Retry,
    Complete,
    Failed,
    Error,
    Cancelled,
    Timeout,
    Expired,
    Unknown(String),
}

impl TaskStatus {
    /// Every status this version knows, as the API spells it.
    #[cfg(test)]
    pub const KNOWN: [&'static str; 9] = [
        "PENDING",
        "RUNNING",
        "RETRY",
        "COMPLETE",
        "FAILED",
        "ERROR",
        "CANCELLED",
        "TIMEOUT",
        "EXPIRED",
    ];

    pub fn parse(text: &str) -> TaskStatus {
        match text {
            "PENDING" => TaskStatus::Pending,
            "RUNNING" => TaskStatus::Running,
            "RETRY" => TaskStatus::Retry,
            "COMPLETE" => TaskStatus::Complete,
            "FAILED" => TaskStatus::Failed,
            "ERROR" => TaskStatus::Error,
            "CANCELLED" => TaskStatus::Cancelled,
            "TIMEOUT" => TaskStatus::Timeout,
            "EXPIRED" => TaskStatus::Expired,
            // Shown on terminals and in logs: a server's escape sequence or
            // newline must not reach them.
            other => TaskStatus::Unknown(printable(other)),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            TaskStatus::Pending => "PENDING",
            TaskStatus::Running => "RUNNING",
            TaskStatus::Retry => "RETRY",
            TaskStatus::Complete => "COMPLETE",
            TaskStatus::Failed => "FAILED",
            TaskStatus::Error => "ERROR",
            TaskStatus::Cancelled => "CANCELLED",
            TaskStatus::Timeout => "TIMEOUT",
            TaskStatus::Expired => "EXPIRED",
            TaskStatus::Unknown(text) => text,
        }
    }

    /// Finished means the task will not change by itself any more (as far as
    /// a client can tell). An unknown status counts as finished so that a
    /// wait never hangs on it.
    pub fn is_finished(&self) -> bool {
        !matches!(
            self,
            TaskStatus::Pending | TaskStatus::Running | TaskStatus::Retry
        )
    }
}

/// One of a task's outputs: a file and a pre-signed link to download it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskOutput {
    pub name: Option<String>,
    pub url: Option<String>,
    pub expires_in: Option<i64>,
}

/// A time field as sent: absent, null and Go's zero time all mean "not set";
/// text that is not RFC 3339 is kept so it can be shown as it came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskTime {
    Unset,
    At(Timestamp),
    Unreadable(String),
}

impl TaskTime {
    pub fn timestamp(&self) -> Option<Timestamp> {
        match self {
            TaskTime::At(t) => Some(*t),
            _ => None,
        }
    }
}

/// A task, parsed from one response body. Every text it hands out for
/// display is made safe for a terminal ([`one_line`]); only [`Task::body`]
/// and [`Task::to_json`] give what the server sent.
#[derive(Debug, Clone)]
pub struct Task {
    status: TaskStatus,
    fields: Map<String, Value>,
    body: Vec<u8>,
}

impl Task {
    /// Parses a response body. Fails (exit 76) when the body is not a JSON
    /// object with a string `status`.
    pub fn parse(body: Vec<u8>) -> Result<Task, Failure> {
        let value: Value = serde_json::from_slice(&body).map_err(|e| {
            if body.iter().all(u8::is_ascii_whitespace) {
                Failure::BadResponse("the response body is empty".into())
            } else {
                Failure::BadResponse(format!("the response is not JSON ({e})"))
            }
        })?;
        let Value::Object(fields) = value else {
            return Err(Failure::BadResponse(format!(
                "the response is JSON but not an object (it is {})",
                kind_of(&value)
            )));
        };
        let status = match fields.get("status") {
            Some(Value::String(s)) => TaskStatus::parse(s),
            Some(other) => {
                return Err(Failure::BadResponse(format!(
                    "the response's \"status\" is {}, not a string",
                    kind_of(other)
                )));
            }
            None => {
                return Err(Failure::BadResponse(
                    "the response has no \"status\" field".into(),
                ));
            }
        };
        Ok(Task {
            status,
            fields,
            body,
        })
    }

    pub fn status(&self) -> &TaskStatus {
        &self.status
    }

    /// The body exactly as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The text at a path of object keys, when it is a non-empty string,
    /// folded onto one line and safe for a terminal.
    pub fn text(&self, path: &[&str]) -> Option<String> {
        match self.lookup(path)? {
            Value::String(s) if !s.trim().is_empty() => Some(one_line(s)),
            _ => None,
        }
    }

    /// The integer at a path of object keys.
    pub fn integer(&self, path: &[&str]) -> Option<i64> {
        self.lookup(path)?.as_i64()
    }

    /// A time field of the task, such as `created_at`.
    pub fn time(&self, field: &str) -> TaskTime {
        match self.fields.get(field) {
            Some(Value::String(s)) => parse_time(s),
            _ => TaskTime::Unset,
        }
    }

    /// Time spent queued: from creation until the task started.
    pub fn queued_for(&self) -> Option<SignedDuration> {
        let created = self.time("created_at").timestamp()?;
        let started = self.time("started_at").timestamp()?;
        Some(started.duration_since(created))
    }

    /// Time spent running: until it ended, or until `now` while it is
    /// still counting (see [`Task::is_counting`]).
    pub fn ran_for(&self, now: Timestamp) -> Option<SignedDuration> {
        let started = self.time("started_at").timestamp()?;
        let end = match self.time("ended_at").timestamp() {
            Some(ended) => ended,
            None if self.is_counting() => now,
            None => return None,
        };
        Some(end.duration_since(started))
    }

    /// True while the run time goes on: no end time and not finished.
    pub fn is_counting(&self) -> bool {
        self.time("ended_at").timestamp().is_none() && !self.status.is_finished()
    }

    pub fn outputs(&self) -> Vec<TaskOutput> {
        let Some(Value::Array(items)) = self.fields.get("outputs") else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(Value::as_object)
            .map(|item| TaskOutput {
                name: item.get("name").and_then(Value::as_str).map(one_line),
                url: item.get("url").and_then(Value::as_str).map(one_line),
                expires_in: item.get("expires_in").and_then(Value::as_i64),
            })
            .collect()
    }

    /// The object for JSON output: every field as sent, in order, except
    /// that `stub.config` is decoded from its string when it holds JSON.
    pub fn to_json(&self) -> Value {
        let mut fields = self.fields.clone();
        if let Some(Value::Object(stub)) = fields.get_mut("stub")
            && let Some(Value::String(config)) = stub.get("config")
            && let Ok(decoded) = serde_json::from_str::<Value>(config)
        {
            stub.insert("config".to_string(), decoded);
        }
        Value::Object(fields)
    }

    fn lookup(&self, path: &[&str]) -> Option<&Value> {
        let (first, rest) = path.split_first()?;
        let mut value = self.fields.get(*first)?;
        for key in rest {
            value = value.as_object()?.get(*key)?;
        }
        Some(value)
    }
}

/// Go's zero time, which beta9 sends for "not set".
const GO_ZERO_TIME: Timestamp = Timestamp::constant(-62_135_596_800, 0);

fn parse_time(text: &str) -> TaskTime {
    match text.parse::<Timestamp>() {
        Ok(t) if t <= GO_ZERO_TIME => TaskTime::Unset,
        Ok(t) => TaskTime::At(t),
        Err(_) if text.trim().is_empty() => TaskTime::Unset,
        Err(_) => TaskTime::Unreadable(one_line(text)),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(json: &str) -> Task {
        Task::parse(json.as_bytes().to_vec()).expect("parses")
    }

    fn bad(body: &str) -> String {
        match Task::parse(body.as_bytes().to_vec()) {
            Err(Failure::BadResponse(message)) => message,
            other => panic!("expected BadResponse, got {other:?}"),
        }
    }

    #[test]
    fn known_statuses_round_trip() {
        for text in TaskStatus::KNOWN {
            let status = TaskStatus::parse(text);
            assert!(!matches!(status, TaskStatus::Unknown(_)), "{text}");
            assert_eq!(status.as_str(), text);
        }
    }

    #[test]
    fn unknown_status_is_kept_as_received_and_counts_as_finished() {
        let status = TaskStatus::parse("PAUSED");
        assert_eq!(status, TaskStatus::Unknown("PAUSED".into()));
        assert_eq!(status.as_str(), "PAUSED");
        assert!(status.is_finished());
    }

    #[test]
    fn only_pending_running_and_retry_are_unfinished() {
        for text in TaskStatus::KNOWN {
            let unfinished = ["PENDING", "RUNNING", "RETRY"].contains(&text);
            assert_eq!(TaskStatus::parse(text).is_finished(), !unfinished, "{text}");
        }
    }

    #[test]
    fn rejects_bodies_that_are_not_a_task() {
        assert!(bad("").contains("empty"));
        assert!(bad("<html>oops</html>").contains("not JSON"));
        assert!(bad("[1,2]").contains("not an object"));
        assert!(bad("{}").contains("no \"status\""));
        assert!(bad(r#"{"status": 3}"#).contains("not a string"));
        assert!(bad(r#"{"status": null}"#).contains("null"));
    }

    #[test]
    fn deeply_nested_json_is_an_error_not_a_crash() {
        let body = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(bad(&body).contains("not JSON"));
    }

    #[test]
    fn times_accept_any_number_of_fractional_digits() {
        for text in [
            "2024-07-22T14:02:28Z",
            "2024-07-22T14:02:28.4Z",
            "2024-07-22T14:02:28.466278Z",
            "2024-07-22T14:02:28.466278123Z",
        ] {
            assert!(matches!(parse_time(text), TaskTime::At(_)), "{text}");
        }
    }

    #[test]
    fn null_missing_and_zero_times_are_unset() {
        let t =
            task(r#"{"status":"PENDING","created_at":"0001-01-01T00:00:00Z","started_at":null}"#);
        assert_eq!(t.time("created_at"), TaskTime::Unset);
        assert_eq!(t.time("started_at"), TaskTime::Unset);
        assert_eq!(t.time("ended_at"), TaskTime::Unset);
    }

    #[test]
    fn unreadable_time_is_kept_as_text() {
        let t = task(r#"{"status":"PENDING","created_at":"yesterday"}"#);
        assert_eq!(
            t.time("created_at"),
            TaskTime::Unreadable("yesterday".into())
        );
    }

    #[test]
    fn durations_queued_and_run() {
        let t = task(
            r#"{"status":"COMPLETE","created_at":"2024-07-22T14:02:28Z",
                "started_at":"2024-07-22T14:02:30Z","ended_at":"2024-07-22T14:03:30Z"}"#,
        );
        assert_eq!(t.queued_for(), Some(SignedDuration::from_secs(2)));
        assert_eq!(
            t.ran_for(Timestamp::now()),
            Some(SignedDuration::from_secs(60))
        );
    }

    #[test]
    fn running_task_has_run_until_now() {
        let t = task(r#"{"status":"RUNNING","started_at":"2024-07-22T14:00:00Z"}"#);
        let now: Timestamp = "2024-07-22T14:05:00Z".parse().unwrap();
        assert_eq!(t.ran_for(now), Some(SignedDuration::from_mins(5)));
    }

    #[test]
    fn json_keeps_every_field_in_order_and_decodes_stub_config() {
        let t = task(
            r#"{"zeta":1,"status":"COMPLETE","alpha":{"x":[1]},"stub":{"config":"{\"b\":1,\"a\":2}","name":"n"}}"#,
        );
        let json = serde_json::to_string(&t.to_json()).unwrap();
        assert_eq!(
            json,
            r#"{"zeta":1,"status":"COMPLETE","alpha":{"x":[1]},"stub":{"config":{"b":1,"a":2},"name":"n"}}"#
        );
    }

    #[test]
    fn stub_config_that_is_not_json_stays_a_string() {
        for config in ["", "not json", "{\"a\":"] {
            let body = serde_json::json!({"status": "COMPLETE", "stub": {"config": config}});
            let t = task(&body.to_string());
            assert_eq!(t.to_json()["stub"]["config"], Value::String(config.into()));
        }
    }

    #[test]
    fn outputs_tolerate_missing_parts() {
        let t = task(
            r#"{"status":"COMPLETE","outputs":[{"name":"a.png","url":"https://x/a","expires_in":3600},{"name":"b"},3]}"#,
        );
        let outputs = t.outputs();
        assert_eq!(outputs.len(), 2);
        assert_eq!(outputs[0].expires_in, Some(3600));
        assert_eq!(outputs[1].url, None);
    }
}
