//! `beam-task list`: the workspace's tasks, newest first, page by page.
//!
//! Each page is shown as soon as it arrives (the table keeps the first
//! page's column widths), so the first rows come after one request and
//! memory stays small over any number of pages.

use std::collections::HashSet;
use std::io::{self, Write};

use anyhow::Result;

use crate::api;
use crate::exit_codes::ExitCode;
use crate::failure::Failure;
use crate::output::{Presenter, StatusRule};
use crate::report::Reporter;
use crate::settings::{GlobalSettings, ListSettings, REQUEST_RETRIES};
use crate::task::Task;

/// The largest page asked for.
const PAGE_SIZE: u64 = 100;

pub fn run(
    global: &GlobalSettings,
    settings: &ListSettings,
    reporter: &Reporter,
) -> Result<ExitCode> {
    let app = super::app_client(global, 1, REQUEST_RETRIES)?;
    let workspace = super::workspace(global, &app)?;
    let mut presenter = Presenter::new(settings.output, reporter, StatusRule::Ignored);
    let mut count = Count::new(settings.show_count);
    let mut cursors = HashSet::new();
    let mut cursor: Option<String> = None;
    let mut remaining = settings.limit;
    loop {
        let size = remaining.map_or(PAGE_SIZE, |r| r.min(PAGE_SIZE));
        let page = api::list_tasks(&app, &workspace, &settings.filter, size, cursor.as_deref())?;
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
        presenter.page_done()?;
        count.show(presenter.shown());
        match page.next {
            Some(_) if remaining == Some(0) => break,
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
            None => break,
        }
    }
    count.clear();
    if presenter.shown() == 0 && settings.output.mode == crate::render::OutputMode::Table {
        reporter.note("no tasks match");
    }
    presenter.finish()
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
            let _ = write!(io::stderr().lock(), "\r\x1b[2Klisted {tasks} tasks…");
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
