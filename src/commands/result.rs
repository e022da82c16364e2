//! `beam-task result`: what a task's function returned, as JSON on stdout;
//! the exit code is the task's status, as for `status`.

use anyhow::Result;

use crate::api;
use crate::exit_codes::ExitCode;
use crate::output::{self, status_code};
use crate::settings::{GlobalSettings, REQUEST_RETRIES, ResultSettings};

pub fn run(global: &GlobalSettings, settings: &ResultSettings) -> Result<ExitCode> {
    let app = super::app_client(global, 1, REQUEST_RETRIES)?;
    let workspace = super::workspace(global, &app)?;
    let task = api::get_workspace_task(&app, &workspace, &settings.id)?;
    let mut text = serde_json::to_string_pretty(&task.result())?;
    text.push('\n');
    output::print(text.as_bytes())?;
    Ok(status_code(task.status(), ExitCode::NotFinished))
}
