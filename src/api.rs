//! Beam's endpoints, one function each: which request a call is, and what
//! its answers mean (a 404 on a task's path means the task is not there).

use crate::failure::Failure;
use crate::request::{Client, Request};
use crate::task::Task;

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
    let body = serde_json::json!({ "task_ids": ids });
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
