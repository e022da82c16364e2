//! `beam-task status`: fetch tasks once, show them, and say how they are.

use std::io;
use std::sync::Arc;

use anyhow::Result;

use crate::exit_codes::ExitCode;
use crate::input;
use crate::output::{self, Presenter};
use crate::report::Reporter;
use crate::settings::{GlobalSettings, StatusSettings};

pub fn run(
    global: &GlobalSettings,
    settings: &StatusSettings,
    reporter: &Reporter,
) -> Result<ExitCode> {
    let ids = input::collect_ids(&settings.tasks.ids, io::stdin().lock())?;
    let jobs = settings.tasks.jobs.clamp(1, ids.len());
    let client = match super::api_client(global, jobs, settings.retries) {
        Ok(client) => Arc::new(client),
        Err(err) => return output::failed_before_any_task(settings.output, err),
    };
    let rule = super::status_rule(settings.exit_zero, ExitCode::NotFinished);
    let mut presenter = Presenter::new(settings.output, reporter, rule);
    super::read_tasks(&client, &ids, jobs, |index, result| {
        presenter.push(&ids[index], result)
    })?;
    presenter.finish()
}
