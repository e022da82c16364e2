//! The task model: what the API said about one task.
//!
//! The object is kept whole (in the API's field order) so that JSON output
//! loses nothing; typed accessors read the fields the renderers need and
//! treat every field as optional.

use std::borrow::Cow;

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
    /// Every status this version knows: a new status is one more variant,
    /// one more line here and in [`TaskStatus::as_str`], and the compiler
    /// points at every other place that must decide about it.
    pub const KNOWN: [TaskStatus; 9] = [
        TaskStatus::Pending,
        TaskStatus::Running,
        TaskStatus::Retry,
        TaskStatus::Complete,
        TaskStatus::Failed,
        TaskStatus::Error,
        TaskStatus::Cancelled,
        TaskStatus::Timeout,
        TaskStatus::Expired,
    ];

    pub fn parse(text: &str) -> TaskStatus {
        match Self::KNOWN.iter().find(|known| known.as_str() == text) {
            Some(known) => known.clone(),
            // Shown on terminals and in logs: a server's escape sequence or
            // newline must not reach them.
            None => TaskStatus::Unknown(printable(text)),
        }
    }

    /// The status as the API spells it.
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
        match self {
            TaskStatus::Pending | TaskStatus::Running | TaskStatus::Retry => false,
            TaskStatus::Complete
            | TaskStatus::Failed
            | TaskStatus::Error
            | TaskStatus::Cancelled
            | TaskStatus::Timeout
            | TaskStatus::Expired
            | TaskStatus::Unknown(_) => true,
        }
    }
}

/// One of a task's outputs: a file and a pre-signed link to download it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskOutput {
    pub name: Option<String>,
    pub url: Option<String>,
    pub expires_in: Option<i64>,
}

/// One of a task's outputs as sent: see [`Task::output_links`].
#[derive(Debug, Clone, PartialEq)]
pub struct OutputLink {
    pub name: Option<String>,
    pub url: Option<String>,
    /// Seconds from when the task was read.
    pub expires_in: Option<f64>,
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
    /// The response body, when the task was one; `None` for an element of
    /// a listing.
    body: Option<Vec<u8>>,
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
        Task::from_parts(value, Some(body))
    }

    /// A task from a JSON value already parsed (an element of a listing):
    /// it came with no body of its own (see [`Task::body`]).
    pub fn from_value(value: Value) -> Result<Task, Failure> {
        Task::from_parts(value, None)
    }

    fn from_parts(value: Value, body: Option<Vec<u8>>) -> Result<Task, Failure> {
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

    /// The body exactly as received; for a task that came inside a
    /// listing, its object written out (made only when asked for).
    pub fn body(&self) -> Cow<'_, [u8]> {
        match &self.body {
            Some(body) => Cow::Borrowed(body),
            None => Cow::Owned(Value::Object(self.fields.clone()).to_string().into_bytes()),
        }
    }

    /// The task's ID as the API names it (`id`, else `external_id`).
    pub fn id(&self) -> Option<String> {
        self.text(&["id"]).or_else(|| self.text(&["external_id"]))
    }

    /// What the task's function returned (the workspace API's `result`):
    /// JSON, `{"base64": "…"}` for a value that is not JSON, or null.
    pub fn result(&self) -> Value {
        self.fields.get("result").cloned().unwrap_or(Value::Null)
    }

    /// The stub's name, such as `endpoint/deployment/app:squared`.
    pub fn stub_name(&self) -> Option<String> {
        self.text(&["stub", "name"])
    }

    /// The stub's type, such as `endpoint/deployment`.
    pub fn stub_type(&self) -> Option<String> {
        self.text(&["stub", "type"])
    }

    pub fn container_id(&self) -> Option<String> {
        self.text(&["container_id"])
    }

    /// Why the task failed, as beta9 words it.
    pub fn failure_reason(&self) -> Option<String> {
        self.text(&["failure_reason"])
    }

    /// The stub's tasks in flight.
    pub fn queue_depth(&self) -> Option<i64> {
        self.integer(&["stats", "queue_depth"])
    }

    /// The stub's running containers.
    pub fn active_containers(&self) -> Option<i64> {
        self.integer(&["stats", "active_containers"])
    }

    pub fn created_at(&self) -> TaskTime {
        self.time("created_at")
    }

    pub fn started_at(&self) -> TaskTime {
        self.time("started_at")
    }

    pub fn ended_at(&self) -> TaskTime {
        self.time("ended_at")
    }

    /// Since when the task has been in its status, as far as it says:
    /// created for PENDING, started for RUNNING, else last updated.
    pub fn in_status_since(&self) -> Option<Timestamp> {
        let field = match self.status {
            TaskStatus::Pending => "created_at",
            TaskStatus::Running => "started_at",
            _ => "updated_at",
        };
        self.time(field).timestamp()
    }

    /// Time spent queued: from creation until the task started.
    pub fn queued_for(&self) -> Option<SignedDuration> {
        let created = self.created_at().timestamp()?;
        let started = self.started_at().timestamp()?;
        Some(started.duration_since(created))
    }

    /// Time spent running: until it ended, or until `now` while it is
    /// still counting (see [`Task::is_counting`]).
    pub fn ran_for(&self, now: Timestamp) -> Option<SignedDuration> {
        let started = self.started_at().timestamp()?;
        let end = match self.ended_at().timestamp() {
            Some(ended) => ended,
            None if self.is_counting() => now,
            None => return None,
        };
        Some(end.duration_since(started))
    }

    /// True while the run time goes on: no end time and not finished.
    pub fn is_counting(&self) -> bool {
        self.ended_at().timestamp().is_none() && !self.status.is_finished()
    }

    pub fn outputs(&self) -> Vec<TaskOutput> {
        self.output_objects()
            .map(|item| TaskOutput {
                name: item.get("name").and_then(Value::as_str).map(one_line),
                url: item.get("url").and_then(Value::as_str).map(one_line),
                expires_in: item.get("expires_in").and_then(Value::as_i64),
            })
            .collect()
    }

    /// The outputs exactly as sent, names and links not made safe: for
    /// `download`, which checks each name itself before it comes near the
    /// disk, and sends each link as it is.
    pub fn output_links(&self) -> Vec<OutputLink> {
        self.output_objects()
            .map(|item| OutputLink {
                name: item.get("name").and_then(Value::as_str).map(str::to_string),
                url: item.get("url").and_then(Value::as_str).map(str::to_string),
                expires_in: item.get("expires_in").and_then(Value::as_f64),
            })
            .collect()
    }

    /// The elements of `outputs` that are objects.
    fn output_objects(&self) -> impl Iterator<Item = &Map<String, Value>> {
        let items = match self.fields.get("outputs") {
            Some(Value::Array(items)) => items.as_slice(),
            _ => &[],
        };
        items.iter().filter_map(Value::as_object)
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

    /// The text at a path of object keys, when it is a non-empty string,
    /// folded onto one line and safe for a terminal.
    fn text(&self, path: &[&str]) -> Option<String> {
        match self.lookup(path)? {
            Value::String(s) if !s.trim().is_empty() => Some(one_line(s)),
            _ => None,
        }
    }

    fn integer(&self, path: &[&str]) -> Option<i64> {
        self.lookup(path)?.as_i64()
    }

    fn time(&self, field: &str) -> TaskTime {
        match self.fields.get(field) {
            Some(Value::String(s)) => parse_time(s),
            _ => TaskTime::Unset,
        }
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

/// The rule for a task ID: 1 to 128 ASCII letters, digits, '-' and '_'.
/// Nothing a user types can then change the request's path.
pub fn is_valid_task_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub const TASK_ID_RULE: &str = "a task ID is 1 to 128 ASCII letters, digits, '-' or '_'";

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
        for known in TaskStatus::KNOWN {
            let status = TaskStatus::parse(known.as_str());
            assert!(!matches!(status, TaskStatus::Unknown(_)), "{known:?}");
            assert_eq!(status, known);
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
        for known in TaskStatus::KNOWN {
            let unfinished = ["PENDING", "RUNNING", "RETRY"].contains(&known.as_str());
            assert_eq!(known.is_finished(), !unfinished, "{known:?}");
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
        assert_eq!(t.created_at(), TaskTime::Unset);
        assert_eq!(t.started_at(), TaskTime::Unset);
        assert_eq!(t.ended_at(), TaskTime::Unset);
    }

    #[test]
    fn unreadable_time_is_kept_as_text() {
        let t = task(r#"{"status":"PENDING","created_at":"yesterday"}"#);
        assert_eq!(t.created_at(), TaskTime::Unreadable("yesterday".into()));
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

    #[test]
    fn output_links_keep_names_and_links_as_sent() {
        let t = task(
            r#"{"status":"COMPLETE","outputs":[{"name":"a\nb","url":"https://x/a?s=1 ","expires_in":3600},{"name":"../x"},7]}"#,
        );
        let links = t.output_links();
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].name.as_deref(), Some("a\nb"));
        assert_eq!(links[0].url.as_deref(), Some("https://x/a?s=1 "));
        assert_eq!(links[0].expires_in, Some(3600.0));
        assert_eq!(links[1].name.as_deref(), Some("../x"));
        assert_eq!(links[1].url, None);
    }
}
