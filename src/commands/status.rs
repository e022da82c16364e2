//! `beam-task status`: fetch tasks once, show them, and say how they are.

use anyhow::Result;

use crate::commands::batch::{self, BatchReads};
use crate::commands::session::Session;
use crate::config::settings::StatusSettings;
use crate::exit_codes::ExitCode;
use crate::output::Presenter;
use crate::output::report::Reporter;

pub fn run(session: &Session, settings: &StatusSettings, reporter: &Reporter) -> Result<ExitCode> {
    let super::Tasks { ids, jobs, client } =
        super::tasks(session, &settings.tasks, settings.output, settings.retries)?;
    let rule = super::status_rule(settings.exit_zero, ExitCode::NotFinished);
    // `--json` and `--raw` print the task API's bodies: read there.
    let batches = if batch::prints_bodies(&settings.output) {
        None
    } else {
        BatchReads::open(session, &ids, jobs, settings.retries, &client)?
    };
    let mut presenter = Presenter::new(settings.output, reporter, rule);
    let handle = |index: usize, result| presenter.push(&ids[index], result);
    match batches {
        Some(batches) => batch::read_tasks(&client, batches, &ids, jobs, handle)?,
        None => super::read_tasks(&client, &ids, jobs, handle)?,
    }
    presenter.finish()
}
