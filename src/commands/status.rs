//! `beam-task status`: fetch tasks once, show them, and say how they are.

use std::collections::BTreeMap;
use std::io;
use std::panic;
use std::sync::Arc;
use std::sync::mpsc;

use anyhow::{Context, Result};

use crate::api;
use crate::exit_codes::ExitCode;
use crate::failure::Failure;
use crate::input;
use crate::output::Presenter;
use crate::pool::{Done, Pool};
use crate::report::Reporter;
use crate::settings::{GlobalSettings, StatusSettings};
use crate::task::Task;

/// How many tasks may be fetched ahead of the first one not yet shown, per
/// request at once: enough to keep every worker busy past a slow answer,
/// few enough that memory stays small with thousands of IDs.
const AHEAD_PER_JOB: usize = 4;

pub fn run(
    global: &GlobalSettings,
    settings: &StatusSettings,
    reporter: &Reporter,
) -> Result<ExitCode> {
    let ids = input::collect_ids(&settings.tasks.ids, io::stdin().lock())?;
    let jobs = settings.tasks.jobs.clamp(1, ids.len());
    let client = Arc::new(super::api_client(global, jobs, settings.retries)?);
    let mut presenter = Presenter::new(settings.output, reporter, ExitCode::NotFinished);

    let (answers, done) = mpsc::channel::<Done<(usize, String), Result<Task, Failure>>>();
    let pool = Pool::start(
        jobs,
        move |(_, id): &(usize, String)| api::get_task(&client, id),
        &answers,
    )?;
    let ahead = jobs * AHEAD_PER_JOB;
    let mut waiting: BTreeMap<usize, Result<Task, Failure>> = BTreeMap::new();
    let mut submitted = 0;
    let mut shown = 0;
    while shown < ids.len() {
        while submitted < ids.len() && submitted < shown + ahead {
            pool.submit((submitted, ids[submitted].clone()));
            submitted += 1;
        }
        let Done {
            job: (index, _),
            answer,
        } = done.recv().context("the workers stopped")?;
        waiting.insert(index, answer.unwrap_or_else(|p| panic::resume_unwind(p)));
        while let Some(result) = waiting.remove(&shown) {
            presenter.push(&ids[shown], result)?;
            shown += 1;
        }
    }
    presenter.finish()
}
