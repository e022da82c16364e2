//! `beam-task result`: what a task's function returned, as JSON on stdout;
//! the exit code is the task's status, as for `status`.

use std::io;

use anyhow::Result;

use crate::api;
use crate::commands::input;
use crate::commands::session::Session;
use crate::config::settings::{REQUEST_RETRIES, ResultSettings};
use crate::exit_codes::ExitCode;
use crate::output::{self, status_code};

pub fn run(session: &Session, settings: &ResultSettings) -> Result<ExitCode> {
    // `-` reads the ID from stdin, as every command does; one task only.
    let id = input::one_id(&settings.id, "result", io::stdin().lock())?;
    let app = session.app(1, REQUEST_RETRIES)?;
    let workspace = session.workspace(&app)?;
    let task = api::get_workspace_task(&app, &workspace, &id)?;
    if let Some(jq) = settings.jq {
        jq.print(
            &task.result(),
            &format!("the result of task {id}"),
            output::print,
        )?;
        return Ok(status_code(task.status(), ExitCode::NotFinished));
    }
    let mut text = serde_json::to_string_pretty(&task.result())?;
    text.push('\n');
    output::print(text.as_bytes())?;
    Ok(status_code(task.status(), ExitCode::NotFinished))
}
