//! The wait's polls as reads: tasks whose IDs the list takes are asked a
//! hundred at a time (see `commands/batch.rs`), the others one by one.
//!
//! Each task keeps its own schedule (`gap` in `mod.rs`), but when one task
//! of the list is due, every other task of the list in good standing rides
//! along: a read of a hundred costs one request whatever the hundred, so
//! the tasks are asked in rounds, as often as the task that changed last
//! needs (1 s after a change, growing to 10 s). A task backing off after a
//! failure, or held back by a `Retry-After`, waits for its own time: its
//! failures count toward `--retries` at the pace the backoff promises.

use std::time::Instant;

use crate::api;
use crate::commands::batch::{BatchReads, Found, Job};
use crate::commands::wait::Watch;
use crate::net::client::Client;

/// The reads due at `now` (at the deadline, the last checks), each task in
/// them marked as being asked.
pub(super) fn due(
    watches: &mut [Watch],
    ids: &[String],
    batches: Option<&BatchReads>,
    now: Instant,
    at_deadline: bool,
) -> Vec<Job> {
    // The last checks of `--json` and `--raw` give the task API's objects.
    let batches = batches.filter(|b| !(at_deadline && b.decides_on_task_api()));
    let listed = |i: usize| batches.is_some_and(|b| b.takes(&ids[i]));
    let mut asked: Vec<usize> = (0..watches.len())
        .filter(|&i| watches[i].is_due(now, at_deadline))
        .collect();
    if asked.iter().any(|&i| listed(i)) {
        asked.extend((0..watches.len()).filter(|&i| listed(i) && rides_along(&watches[i], now)));
        asked.sort_unstable();
        asked.dedup();
    }
    for &i in &asked {
        watches[i].asking = true;
    }
    let tasks = asked.into_iter().map(|i| (i, ids[i].clone()));
    match batches {
        Some(batches) => batches.plan(tasks),
        None => tasks.map(|(i, id)| Job::One(i, id)).collect(),
    }
}

/// A task asked along with a round though not due itself: polled on
/// schedule, and not backing off.
fn rides_along(watch: &Watch, now: Instant) -> bool {
    !watch.asking
        && !watch.is_finished()
        && !watch.streaming
        && watch.failures_in_a_row == 0
        && watch.not_before <= now
}

/// One read, on a worker: a task on the task API, once (the wait owns the
/// retries), or a batch on the list.
pub(super) fn poll(api: &Client, batches: Option<&BatchReads>, job: &Job) -> Vec<(usize, Found)> {
    match (job, batches) {
        (Job::Batch(tasks), Some(batches)) => batches.read(tasks),
        (job, _) => job
            .tasks()
            .into_iter()
            .map(|(i, id)| (i, Found::Read(api::get_task_once(api, id))))
            .collect(),
    }
}
