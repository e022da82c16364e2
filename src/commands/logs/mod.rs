//! `beam-task logs`: a task's output lines, every page of them (or the
//! last `--tail`), then with `-f` its live stream until it has finished;
//! the exit code is the task's status, as for `status`.

mod follow;
mod history;
mod lines;

use std::io;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;
use jiff::{SignedDuration, Timestamp};

use crate::api::{self, LogStart};
use crate::clock;
use crate::commands::input;
use crate::commands::session::Session;
use crate::config::settings::{LogsSettings, REQUEST_RETRIES};
use crate::exit_codes::ExitCode;
use crate::failure::Failure;
use crate::net::client::Client;
use crate::output::report::Reporter;
use crate::output::status_code;

use self::follow::Follow;
use self::history::Source;
use self::lines::Printer;

/// With no line so far, the stream starts this long before the history
/// was asked for: a line written meanwhile is not missed (nor printed
/// twice: there was none before).
const BEFORE_THE_HISTORY: SignedDuration = SignedDuration::from_secs(60);

pub fn run(session: &Session, settings: &LogsSettings, reporter: &Reporter) -> Result<ExitCode> {
    let id = input::one_id(&settings.id, "logs", io::stdin().lock())?;
    let started = Instant::now();
    let deadline = settings
        .timeout
        .and_then(|timeout| Some((started.checked_add(clock::real(timeout))?, timeout)));
    let app = Arc::new(session.app(1, REQUEST_RETRIES)?);
    let api = Arc::new(session.api(1, REQUEST_RETRIES)?);
    let workspace = session.workspace(&app)?;
    let mut printer = Printer::new(settings.lines);
    let asked_at = Timestamp::now();
    let source = Source {
        app: &app,
        workspace: &workspace,
        id: &id,
        since: settings.since,
    };
    if let Err(err) = history::print(&source, settings.tail, &mut printer) {
        // What was printed stays whole; the failure is what counts.
        let _ = printer.flush();
        return Err(explain(err, &api, &id));
    }
    let code = if settings.follow && !printer.closed() {
        let start =
            match printer.last() {
                Some(seq) => LogStart::After(seq),
                None => LogStart::At(settings.since.unwrap_or_else(|| {
                    asked_at.checked_sub(BEFORE_THE_HISTORY).unwrap_or(asked_at)
                })),
            };
        let follow = Follow {
            app,
            api,
            workspace,
            id,
            start,
            deadline,
        };
        follow.run(&mut printer, reporter)?
    } else {
        status_code(api::get_task(&api, &id)?.status(), ExitCode::NotFinished)
    };
    Ok(match code {
        ExitCode::Interrupted => code,
        _ if settings.exit_zero => ExitCode::Success,
        _ => code,
    })
}

/// A failed read of the history, explained: a 404 on the logs route is a
/// task that is not there, unless the task API knows it (then the route
/// is what is missing); anything else says whose logs it was about.
fn explain(err: anyhow::Error, api: &Client, id: &str) -> anyhow::Error {
    let not_found = err
        .chain()
        .any(|cause| matches!(cause.downcast_ref(), Some(Failure::NotFound { .. })));
    if !not_found {
        return err.context(format!("cannot read the logs of task {id}"));
    }
    match api::get_task(api, id) {
        Ok(_) => Failure::NoLogs {
            reason: format!("the logs route answered 404 for task {id}, which the task API knows"),
        }
        .into(),
        Err(failure) => failure.into(),
    }
}
