//! Beam's endpoints, one function each: which request a call is, and what
//! its answers mean (a 404 on a task's path means the task is not there).

pub mod batch;
pub mod task;
mod wire;

use std::time::Duration;

use jiff::Timestamp;
use serde_json::Value;

use crate::api::task::Task;
use crate::api::task::is_valid_task_id;
use crate::api::wire::{CancelRequest, Field, Workspace, from_object};
use crate::failure::Failure;
use crate::net::client::{Client, Request};
use crate::net::stream::Streamed;

/// `GET /v2/task/{id}/`, retried on transient failures.
pub fn get_task(client: &Client, id: &str) -> Result<Task, Failure> {
    let body = client
        .send(&task_request(id))
        .map_err(|f| task_failure(id, f))?;
    Task::parse(body)
}

/// `GET /v2/task/{id}/`, once: for callers that keep their own schedule of
/// tries (a wait).
pub fn get_task_once(client: &Client, id: &str) -> Result<Task, Failure> {
    let body = client
        .send_once(&task_request(id))
        .map_err(|f| task_failure(id, f))?;
    Task::parse(body)
}

/// `DELETE /v2/task/cancel/` with `{"task_ids": [...]}`, retried on
/// transient failures (cancelling twice is harmless). Beam answers `200 {}`
/// whether or not anything was cancelled: only reading the tasks tells.
pub fn cancel_tasks(client: &Client, ids: &[String]) -> Result<(), Failure> {
    let body =
        serde_json::to_value(CancelRequest { task_ids: ids }).expect("a list of strings is JSON");
    client.send(&Request::delete("/v2/task/cancel/").json(&body))?;
    Ok(())
}

fn task_request(id: &str) -> Request {
    Request::get(format!("/v2/task/{id}/"))
}

/// A 404 on a task's path: the task does not exist, or is in another
/// workspace (Beam answers both alike).
fn task_failure(id: &str, failure: Failure) -> Failure {
    match failure {
        Failure::HttpStatus {
            status: 404,
            message,
            ..
        } => Failure::NotFound {
            id: id.to_string(),
            message,
        },
        other => other,
    }
}

/// What `list` asks the API for, as it must be sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Status names as the API stores them (FAILED is ERROR), once each.
    pub statuses: Vec<String>,
    pub stubs: Vec<String>,
    pub created_from: Option<Timestamp>,
    pub created_until: Option<Timestamp>,
}

/// One page of a listing: the task objects as sent, and the cursor of the
/// next page (`None` on the last).
#[derive(Debug)]
pub struct TaskPage {
    pub tasks: Vec<Value>,
    pub next: Option<String>,
}

/// `GET /api/v1/workspace/current`: the external ID of the token's own
/// workspace.
pub fn current_workspace(client: &Client) -> Result<String, Failure> {
    let body = client.send(&Request::get("/api/v1/workspace/current"))?;
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| Failure::BadResponse(format!("the workspace answer is not JSON ({e})")))?;
    let workspace = from_object::<Workspace>(value).map_or(Field::Absent, |w| w.external_id);
    match workspace {
        Field::Is(id) if is_valid_task_id(&id) => Ok(id),
        Field::Is(_) => Err(Failure::BadResponse(
            "the workspace answer's \"external_id\" is not a workspace ID".into(),
        )),
        _ => Err(Failure::BadResponse(
            "the workspace answer has no \"external_id\"".into(),
        )),
    }
}

/// One page of `GET /api/v1/task/{ws}`, newest first: at most `limit`
/// tasks, from `cursor` on. Each filter goes as one comma-separated
/// parameter (beta9 splits one value on commas and ignores a repeated one).
pub fn list_tasks(
    client: &Client,
    workspace: &str,
    filter: &ListFilter,
    limit: u64,
    cursor: Option<&str>,
) -> Result<TaskPage, Failure> {
    let mut request = Request::get(format!("/api/v1/task/{workspace}"));
    if !filter.statuses.is_empty() {
        request = request.query("status", filter.statuses.join(","));
    }
    if !filter.stubs.is_empty() {
        request = request.query("stub_names", filter.stubs.join(","));
    }
    if let Some(from) = filter.created_from {
        request = request.query("created_at_start", from.to_string());
    }
    if let Some(until) = filter.created_until {
        request = request.query("created_at_end", until.to_string());
    }
    request = request.query("limit", limit.to_string());
    if let Some(cursor) = cursor {
        request = request.query("cursor", cursor);
    }
    let body = client
        .send(&request)
        .map_err(|f| workspace_failure(workspace, f))?;
    parse_page(&body)
}

/// `GET /api/v1/task/{ws}/{id}`: the task with the workspace API's fields
/// (`result` among them).
pub fn get_workspace_task(client: &Client, workspace: &str, id: &str) -> Result<Task, Failure> {
    let body = client
        .send(&Request::get(format!("/api/v1/task/{workspace}/{id}")))
        .map_err(|f| task_failure(id, workspace_failure(workspace, f)))?;
    Task::parse(body)
}

/// `GET /api/v1/task/{ws}/{id}/subscribe`: the task's stream of events,
/// each read waiting `silence` at most. Its answer, of any status, is the
/// caller's to judge (see `subscribe.rs`).
pub fn subscribe(
    client: &Client,
    workspace: &str,
    id: &str,
    silence: Duration,
) -> Result<Streamed, Failure> {
    client.open_stream(&format!("/api/v1/task/{workspace}/{id}/subscribe"), silence)
}

/// A 401 on a workspace route says that the token cannot see that
/// workspace, not that it is refused.
fn workspace_failure(workspace: &str, failure: Failure) -> Failure {
    match failure {
        Failure::Unauthorized {
            status: 401,
            token_source,
            ..
        } => Failure::WorkspaceRefused {
            workspace: workspace.to_string(),
            token_source,
        },
        other => other,
    }
}

/// `{"next": "<cursor>", "data": [task, ...]}`; anything else is not a page.
fn parse_page(body: &[u8]) -> Result<TaskPage, Failure> {
    let not_a_page = |why: &str| {
        Failure::BadResponse(format!(
            "the answer is not a page of tasks ({why}): expected {{\"next\": …, \"data\": […]}}"
        ))
    };
    let value: Value =
        serde_json::from_slice(body).map_err(|e| not_a_page(&format!("not JSON: {e}")))?;
    let Some(page) = from_object::<wire::Page>(value) else {
        return Err(not_a_page("not an object"));
    };
    let tasks = match page.data {
        Field::Is(tasks) => tasks,
        Field::Null => Vec::new(),
        _ => return Err(not_a_page("no \"data\" array")),
    };
    let next = match page.next {
        Field::Is(next) if next.is_empty() => None,
        Field::Is(next) => Some(next),
        Field::Null => None,
        _ => return Err(not_a_page("no \"next\" cursor")),
    };
    Ok(TaskPage { tasks, next })
}

/// One page of a task's log lines: the records as sent, how many lines
/// match in all (`total_expected`), and the next page's number (`None` on
/// the last).
#[derive(Debug)]
pub struct LogPage {
    pub records: Vec<Value>,
    pub total: u64,
    pub next: Option<u64>,
}

/// The most lines a page of logs holds (beta9 caps `limit` there).
pub const MAX_LOG_PAGE: u64 = 1000;

/// Page `page` (of `limit` lines) of `GET /api/v1/logs/{ws}` for task `id`,
/// from `since` on, asked once: the caller retries (see [`logs_failure`]:
/// a server without a log store says so for good).
pub fn task_log_page(
    client: &Client,
    workspace: &str,
    id: &str,
    since: Option<Timestamp>,
    limit: u64,
    page: u64,
) -> Result<LogPage, Failure> {
    let mut request = Request::get(format!("/api/v1/logs/{workspace}"))
        .query("object_type", "BETA9_TASK")
        .query("object_id", id);
    if let Some(since) = since {
        request = request.query("start_time", since.to_string());
    }
    request = request
        .query("limit", limit.to_string())
        .query("page", page.to_string());
    let body = client
        .send_once(&request)
        .map_err(|f| logs_failure(workspace, id, f))?;
    parse_log_page(&body)
}

/// Where a task's log stream starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogStart {
    /// After the line with this `seq_num` (`seq_num` = it + 1).
    After(u64),
    /// At the first line written at or after this time.
    At(Timestamp),
}

/// `GET /api/v1/logs/{ws}/stream` for task `id`, from `start`: a live tail
/// in Server-Sent Events that never ends by itself, each read waiting
/// `silence` at most. Its answer, of any status, is the caller's to judge.
pub fn task_log_stream(
    client: &Client,
    workspace: &str,
    id: &str,
    start: LogStart,
    silence: Duration,
) -> Result<Streamed, Failure> {
    let from = match start {
        LogStart::After(seq) => format!("seq_num={}", seq.saturating_add(1)),
        // RFC 3339 in UTC: `Z`, never a `+` to escape.
        LogStart::At(at) => format!("start_time={at}"),
    };
    client.open_stream(
        &format!("/api/v1/logs/{workspace}/stream?object_type=BETA9_TASK&object_id={id}&{from}"),
        silence,
    )
}

/// What a refused logs request means: a 404, that the task is not there
/// (or is in another workspace); a 503 saying that log reads or streams
/// "are not configured", that the server keeps no logs, which waiting
/// cannot change (beta9 without a log store). That message is the only
/// sign of it: any other 503 may pass.
pub fn logs_failure(workspace: &str, id: &str, failure: Failure) -> Failure {
    match workspace_failure(workspace, failure) {
        Failure::Unreachable { reason, .. }
            if reason.contains("HTTP 503") && reason.contains("not configured") =>
        {
            Failure::NoLogs { reason }
        }
        other => task_failure(id, other),
    }
}

/// `{"logs": [...], "total_expected": N, "next_cursor": "<page>"}`;
/// anything else is not a page of logs.
fn parse_log_page(body: &[u8]) -> Result<LogPage, Failure> {
    let not_a_page = |why: &str| {
        Failure::BadResponse(format!(
            "the answer is not a page of logs ({why}): expected {{\"logs\": […], \"total_expected\": …}}"
        ))
    };
    let value: Value =
        serde_json::from_slice(body).map_err(|e| not_a_page(&format!("not JSON: {e}")))?;
    let Value::Object(mut page) = value else {
        return Err(not_a_page("not an object"));
    };
    let records = match page.remove("logs") {
        Some(Value::Array(records)) => records,
        Some(Value::Null) | None => Vec::new(),
        _ => return Err(not_a_page("\"logs\" is not an array")),
    };
    let total = match page.get("total_expected") {
        Some(total) => total
            .as_u64()
            .ok_or_else(|| not_a_page("\"total_expected\" is not a count"))?,
        None => records.len() as u64,
    };
    let next = match page.get("next_cursor") {
        None | Some(Value::Null) => None,
        Some(Value::String(next)) if next.is_empty() => None,
        Some(Value::String(next)) => Some(
            next.parse()
                .map_err(|_| not_a_page("\"next_cursor\" is not a page number"))?,
        ),
        Some(next) => Some(
            next.as_u64()
                .ok_or_else(|| not_a_page("\"next_cursor\" is not a page number"))?,
        ),
    };
    Ok(LogPage {
        records,
        total,
        next,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_has_data_and_next() {
        let page = parse_page(br#"{"data":[{"id":"a"}],"next":"Y3Vyc29y"}"#).unwrap();
        assert_eq!(page.tasks.len(), 1);
        assert_eq!(page.next.as_deref(), Some("Y3Vyc29y"));
        let last = parse_page(br#"{"data":[],"next":""}"#).unwrap();
        assert_eq!(last.next, None);
    }

    #[test]
    fn anything_else_is_not_a_page() {
        for body in [
            &b"[]"[..],
            b"{}",
            br#"{"data":{},"next":""}"#,
            br#"{"data":[]}"#,
            br#"{"data":[],"next":3}"#,
            b"<html>",
        ] {
            let err = parse_page(body).unwrap_err();
            assert!(matches!(err, Failure::BadResponse(_)), "{body:?}");
        }
    }

    #[test]
    fn a_page_of_logs_has_records_a_total_and_the_next_page() {
        let page = parse_log_page(
            br#"{"logs":[{"seq_num":1}],"next_cursor":"3","object_id":"t","total_expected":4000}"#,
        )
        .unwrap();
        assert_eq!(
            (page.records.len(), page.total, page.next),
            (1, 4000, Some(3))
        );
        let last = parse_log_page(br#"{"logs":null,"total_expected":0}"#).unwrap();
        assert_eq!((last.records.len(), last.next), (0, None));
        for body in [
            &b"[]"[..],
            br#"{"logs":{}}"#,
            br#"{"logs":[],"total_expected":-1}"#,
            br#"{"logs":[],"next_cursor":"Y3Vyc29y"}"#,
        ] {
            assert!(parse_log_page(body).is_err(), "{body:?}");
        }
    }
}
