//! One room per command, over the shared parts: a command reads its
//! settings, asks through the request path and hands what it learnt to the
//! output, which decides the exit code.

pub mod batch;
pub mod cancel;
pub mod download;
pub mod input;
pub mod list;
pub mod logs;
pub mod result;
pub mod session;
pub mod status;
pub mod wait;

use std::collections::BTreeMap;
use std::io;
use std::panic;
use std::sync::Arc;
use std::sync::mpsc;

use anyhow::{Context, Result};

use crate::api;
use crate::api::task::Task;
use crate::commands::session::Session;
use crate::config::settings::TaskSelection;
use crate::exit_codes::ExitCode;
use crate::failure::Failure;
use crate::net::client::Client;
use crate::net::pool::{Done, Pool};
use crate::output::{self, OutputSettings, StatusRule};

/// How many tasks may be read ahead of the first one not yet handed on, per
/// request at once: enough to keep every worker busy past a slow answer,
/// few enough that memory stays small with thousands of IDs.
const AHEAD_PER_JOB: usize = 4;

/// The tasks a command works on, and a client to read them with.
pub struct Tasks {
    /// In the order given, once each.
    pub ids: Vec<String>,
    /// Requests made at once: `--jobs`, at most one per task.
    pub jobs: usize,
    pub client: Arc<Client>,
}

/// Reads the IDs (checked first: a bad one is a usage error before any
/// request), then sets up the task API's client, each request tried again
/// `retries` times. A client that cannot be set up (no token, a bad URL)
/// ends the run, the shape of `--json` kept (see
/// [`output::failed_before_any_task`]).
pub fn tasks(
    session: &Session,
    selection: &TaskSelection,
    output: OutputSettings,
    retries: u32,
) -> Result<Tasks> {
    let ids = input::collect_ids(&selection.ids, io::stdin().lock())?;
    let jobs = selection.jobs.clamp(1, ids.len().max(1));
    match session.api(jobs, retries) {
        Ok(client) => Ok(Tasks {
            ids,
            jobs,
            client: Arc::new(client),
        }),
        Err(err) => Err(output::failed_before_any_task(output, err)),
    }
}

/// How statuses count toward the exit code of `status` and `wait`.
pub fn status_rule(exit_zero: bool, unfinished: ExitCode) -> StatusRule {
    if exit_zero {
        StatusRule::Ignored
    } else {
        StatusRule::Own { unfinished }
    }
}

/// Reads the tasks `ids`, `jobs` at a time, and hands each result to
/// `handle` with its index, in the order of `ids`, as soon as it and all
/// before it are known.
pub fn read_tasks(
    client: &Arc<Client>,
    ids: &[String],
    jobs: usize,
    mut handle: impl FnMut(usize, Result<Task, Failure>) -> Result<()>,
) -> Result<()> {
    let (answers, done) = mpsc::channel::<Done<(usize, String), Result<Task, Failure>>>();
    let client = Arc::clone(client);
    let pool = Pool::start(
        jobs,
        move |(_, id): &(usize, String)| api::get_task(&client, id),
        &answers,
    )?;
    let ahead = jobs.max(1) * AHEAD_PER_JOB;
    let mut waiting = BTreeMap::new();
    let mut submitted = 0;
    let mut handed = 0;
    while handed < ids.len() {
        while submitted < ids.len() && submitted < handed + ahead {
            pool.submit((submitted, ids[submitted].clone()));
            submitted += 1;
        }
        let Done {
            job: (index, _),
            answer,
        } = done.recv().context("the workers stopped")?;
        waiting.insert(index, answer.unwrap_or_else(|p| panic::resume_unwind(p)));
        while let Some(result) = waiting.remove(&handed) {
            handle(handed, result)?;
            handed += 1;
        }
    }
    Ok(())
}
