//! `beam-task status`: fetch tasks once, show them, and say how they are.

use anyhow::Result;

use crate::commands::session::Session;
use crate::config::settings::StatusSettings;
use crate::exit_codes::ExitCode;
use crate::output::Presenter;
use crate::output::report::Reporter;

pub fn run(session: &Session, settings: &StatusSettings, reporter: &Reporter) -> Result<ExitCode> {
    let super::Tasks { ids, jobs, client } =
        super::tasks(session, &settings.tasks, settings.output, settings.retries)?;
    let rule = super::status_rule(settings.exit_zero, ExitCode::NotFinished);
    let mut presenter = Presenter::new(settings.output, reporter, rule);
    super::read_tasks(&client, &ids, jobs, |index, result| {
        presenter.push(&ids[index], result)
    })?;
    presenter.finish()
}
