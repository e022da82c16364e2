//! `beam-task cancel`: ask Beam to cancel tasks, then read them until they
//! show as stopped.
//!
//! Beam answers the cancel with `200 {}` whether or not anything was
//! cancelled, and skips tasks that had finished: so every task is read
//! first (to leave finished ones alone and say so), and the cancelled ones
//! are read again afterwards, on a short growing schedule up to
//! `--timeout`, until they show a finished status. The exit code says
//! whether every task has stopped.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::api;
use crate::api::task::Task;
use crate::clock;
use crate::commands::session::Session;
use crate::config::settings::CancelSettings;
use crate::exit_codes::ExitCode;
use crate::failure::Failure;
use crate::net::client::Client;
use crate::output::render::human;
use crate::output::report::Reporter;
use crate::output::{Presenter, StatusRule};

/// Beam takes at most this many IDs in one cancel request.
const MAX_IDS_PER_REQUEST: usize = 100;
/// The first read after the cancel; each next one comes this much later
/// than the one before, up to `MAX_GAP`.
const FIRST_GAP: Duration = Duration::from_millis(250);
const GROWTH: f64 = 1.5;
const MAX_GAP: Duration = Duration::from_secs(2);

pub fn run(session: &Session, settings: &CancelSettings, reporter: &Reporter) -> Result<ExitCode> {
    let super::Tasks { ids, jobs, client } =
        super::tasks(session, &settings.tasks, settings.output, settings.retries)?;

    let mut results = Vec::with_capacity(ids.len());
    super::read_tasks(&client, &ids, jobs, |_, result| {
        results.push(result);
        Ok(())
    })?;
    let running = unfinished(&results);
    for (id, result) in ids.iter().zip(&results) {
        if let Ok(task) = result
            && task.status().is_finished()
        {
            reporter.note(&format!(
                "task {id} had already finished ({}): nothing to cancel",
                task.status().as_str()
            ));
        }
    }

    let rule = if settings.dry_run {
        for &i in &running {
            reporter.note(&format!(
                "task {} would be cancelled ({})",
                ids[i],
                status_of(&results[i])
            ));
        }
        StatusRule::Ignored
    } else {
        for batch in running.chunks(MAX_IDS_PER_REQUEST) {
            let batch_ids: Vec<String> = batch.iter().map(|&i| ids[i].clone()).collect();
            // A batch refused is the failure of its tasks; the other
            // batches were cancelled, and are confirmed and shown.
            if let Err(failure) = api::cancel_tasks(&client, &batch_ids) {
                let failure = cancel_failed(failure);
                for &i in batch {
                    results[i] = Err(failure.clone());
                }
            }
        }
        confirm(&client, &ids, jobs, &mut results, settings)?;
        for i in unfinished(&results) {
            reporter.note(&format!(
                "task {} is still {} {} after the cancel",
                ids[i],
                status_of(&results[i]),
                human::duration(settings.timeout.try_into().unwrap_or_default())
            ));
        }
        StatusRule::Finished
    };

    let mut presenter = Presenter::new(settings.output, reporter, rule);
    for (id, result) in ids.iter().zip(results) {
        presenter.push(id, result)?;
    }
    presenter.finish()
}

/// Reads the tasks that still run again, until each has finished or the
/// `--timeout` has passed; their results replace the ones before.
fn confirm(
    client: &Arc<Client>,
    ids: &[String],
    jobs: usize,
    results: &mut [Result<Task, Failure>],
    settings: &CancelSettings,
) -> Result<()> {
    let deadline = Instant::now() + clock::real(settings.timeout);
    let mut gap = FIRST_GAP;
    loop {
        let running = unfinished(results);
        let now = Instant::now();
        if running.is_empty() || now >= deadline {
            return Ok(());
        }
        thread::sleep(clock::real(gap).min(deadline - now));
        let again: Vec<String> = running.iter().map(|&i| ids[i].clone()).collect();
        super::read_tasks(client, &again, jobs, |k, result| {
            results[running[k]] = result;
            Ok(())
        })?;
        gap = gap.mul_f64(GROWTH).min(MAX_GAP);
    }
}

/// A cancel request that failed, said as such where the failure is the
/// API's answer (the variant, and so the exit code, stays: 69 or 76).
fn cancel_failed(failure: Failure) -> Failure {
    let said = |what: &dyn std::fmt::Display| format!("the cancel request failed: {what}");
    match failure {
        Failure::Unreachable {
            reason,
            retry_after,
            retry,
        } => Failure::Unreachable {
            reason: said(&reason),
            retry_after,
            retry,
        },
        failure @ (Failure::HttpStatus { .. } | Failure::BadResponse(_)) => {
            Failure::BadResponse(said(&failure))
        }
        other => other,
    }
}

/// The indices of the tasks read as not finished.
fn unfinished(results: &[Result<Task, Failure>]) -> Vec<usize> {
    results
        .iter()
        .enumerate()
        .filter(|(_, result)| matches!(result, Ok(task) if !task.status().is_finished()))
        .map(|(i, _)| i)
        .collect()
}

fn status_of(result: &Result<Task, Failure>) -> &str {
    result.as_ref().map_or("?", |task| task.status().as_str())
}
