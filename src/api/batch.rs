//! Many tasks in one read: the workspace API's list with `task_ids`
//! (`GET /api/v1/task/{ws}?task_ids=a,b,c&limit=N&skip_details=true`).
//!
//! beta9 drops the IDs that are not UUIDs from the filter, and with none
//! left it drops the filter: the answer is then the whole workspace. So
//! only IDs that [`is_uuid`] says are sent, and the answer is the caller's
//! to match by ID (see `commands/batch.rs`).

use serde_json::Value;

use crate::api::{parse_page, workspace_failure};
use crate::failure::Failure;
use crate::net::client::{Client, Request};

/// The most IDs one request names.
pub const MAX_IDS: usize = 100;

/// The path and query of one request stay under this many bytes: proxies
/// and servers commonly refuse request lines past 4 or 8 KB.
const TARGET_BUDGET: usize = 4000;

/// A UUID as Beam writes task IDs: 8-4-4-4-12 lower-case hex digits. Other
/// spellings that beta9 would parse (upper case, no dashes) are not sent:
/// it compares the text as stored, and such an ID would not come back.
pub fn is_uuid(id: &str) -> bool {
    id.len() == 36
        && id.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
}

/// How many UUIDs one request in `workspace` may name, within
/// [`TARGET_BUDGET`].
pub fn ids_per_request(workspace: &str) -> usize {
    let fixed = request("", workspace, MAX_IDS).len();
    // Each ID and its comma.
    (TARGET_BUDGET.saturating_sub(fixed) / 37).clamp(1, MAX_IDS)
}

/// One read of the tasks `ids` (UUIDs, at most [`ids_per_request`]) in
/// `workspace`, without their outputs and stats, retried as the client
/// is. The answer's tasks, as sent: any of them may be one not asked for.
pub fn get_tasks(client: &Client, workspace: &str, ids: &[&str]) -> Result<Vec<Value>, Failure> {
    if ids.is_empty() {
        // An empty filter would ask for the whole workspace.
        return Ok(Vec::new());
    }
    let request = Request::get(format!("/api/v1/task/{workspace}"))
        .query("task_ids", ids.join(","))
        .query("limit", ids.len().to_string())
        .query("skip_details", "true");
    let body = client
        .send(&request)
        .map_err(|f| workspace_failure(workspace, f))?;
    Ok(parse_page(&body)?.tasks)
}

/// The path and query of a read of `count` IDs like `sample`, for sizing.
fn request(sample: &str, workspace: &str, count: usize) -> String {
    let ids = vec![sample; count].join(",");
    format!("/api/v1/task/{workspace}?task_ids={ids}&limit={count}&skip_details=true")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lower_case_dashed_uuids_are_sent() {
        assert!(is_uuid("07ce4078-bccc-4a42-b530-5f2653484a6a"));
        for id in [
            "t1",
            "abc",
            "07CE4078-BCCC-4A42-B530-5F2653484A6A",
            "07ce4078bccc4a42b5305f2653484a6a",
            "07ce4078-bccc-4a42-b530-5f2653484a6",
            "07ce4078-bccc-4a42-b530-5f2653484a6g",
            "07ce4078_bccc-4a42-b530-5f2653484a6a",
        ] {
            assert!(!is_uuid(id), "{id}");
        }
    }

    #[test]
    fn a_full_request_stays_within_the_budget() {
        let uuid = "07ce4078-bccc-4a42-b530-5f2653484a6a";
        for workspace in ["ws", &"w".repeat(128)] {
            let per = ids_per_request(workspace);
            assert_eq!(per, MAX_IDS, "{workspace}");
            assert!(request(uuid, workspace, per).len() <= TARGET_BUDGET);
        }
    }
}
