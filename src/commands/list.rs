//! `beam-task list`: the workspace's tasks, newest first, page by page.
//!
//! Each page is shown as soon as it arrives (the table keeps the first
//! page's column widths), so the first rows come after one request and
//! memory stays small over any number of pages.

use std::collections::HashSet;
use std::io::{self, Write};

use anyhow::Result;

use crate::api;
use crate::api::task::Task;
use crate::commands::session::Session;
use crate::config::settings::{ListSettings, REQUEST_RETRIES};
use crate::exit_codes::ExitCode;
use crate::failure::Failure;
use crate::net::client::Client;
use crate::output::render::OutputMode;
use crate::output::report::Reporter;
use crate::output::{self, Presenter, StatusRule};

/// The largest page asked for.
const PAGE_SIZE: u64 = 100;

pub fn run(session: &Session, settings: &ListSettings, reporter: &Reporter) -> Result<ExitCode> {
    let found = session
        .app(1, REQUEST_RETRIES)
        .and_then(|app| Ok((session.workspace(&app)?, app)));
    let (workspace, app) = match found {
        Ok(found) => found,
        Err(err) => return Err(output::failed_before_any_task(settings.output, err)),
    };
    let mut presenter = Presenter::new(settings.output, reporter, StatusRule::Ignored);
    let mut count = Count::new(settings.show_count);
    let listed = list_pages(&app, &workspace, settings, &mut presenter, &mut count);
    count.clear();
    if let Err(err) = listed {
        // What was shown stays whole: a JSON array is closed.
        presenter.abandon();
        return Err(err);
    }
    if presenter.shown() == 0 && settings.output.mode == OutputMode::Table {
        reporter.note("no tasks match");
    }
    presenter.finish()
}

/// Asks for the pages one after the other, each shown as it comes.
fn list_pages(
    app: &Client,
    workspace: &str,
    settings: &ListSettings,
    presenter: &mut Presenter,
    count: &mut Count,
) -> Result<()> {
    let mut cursors = HashSet::new();
    let mut cursor: Option<String> = None;
    let mut remaining = settings.limit;
    loop {
        let size = remaining.map_or(PAGE_SIZE, |r| r.min(PAGE_SIZE));
        let page = api::list_tasks(app, workspace, &settings.filter, size, cursor.as_deref())?;
        let page_was_empty = page.tasks.is_empty();
        for value in page
            .tasks
            .into_iter()
            .take(usize::try_from(size).unwrap_or(usize::MAX))
        {
            let task = Task::from_value(value).map_err(|f| match f {
                Failure::BadResponse(why) => {
                    Failure::BadResponse(format!("a task in the listing: {why}"))
                }
                other => other,
            })?;
            let id = task.id().unwrap_or_else(|| "-".to_string());
            presenter.push(&id, Ok(task))?;
            remaining = remaining.map(|r| r.saturating_sub(1));
        }
        // The count leaves the line before the page's rows take it.
        count.clear();
        presenter.page_done()?;
        count.show(presenter.shown());
        match page.next {
            Some(_) if remaining == Some(0) => return Ok(()),
            // A page with nothing on it is the last, whatever it says next:
            // endless empty pages would never end the listing.
            Some(_) if page_was_empty => {
                return Err(Failure::BadResponse(
                    "the API sent an empty page that is not the last: the listing would never end"
                        .into(),
                )
                .into());
            }
            Some(next) => {
                if !cursors.insert(next.clone()) {
                    return Err(Failure::BadResponse(
                        "the API sent a page cursor it had sent before: the listing would never end"
                            .into(),
                    )
                    .into());
                }
                cursor = Some(next);
            }
            None => return Ok(()),
        }
    }
}

/// `listed 1200 tasks…` on stderr while a long listing pages, redrawn in
/// place, and gone at the end.
struct Count {
    on: bool,
    drawn: bool,
}

impl Count {
    fn new(on: bool) -> Count {
        Count { on, drawn: false }
    }

    fn show(&mut self, tasks: usize) {
        if self.on {
            let noun = if tasks == 1 { "task" } else { "tasks" };
            let _ = write!(io::stderr().lock(), "\r\x1b[2Klisted {tasks} {noun}…");
            self.drawn = true;
        }
    }

    fn clear(&mut self) {
        if self.drawn {
            let _ = write!(io::stderr().lock(), "\r\x1b[2K");
            self.drawn = false;
        }
    }
}
