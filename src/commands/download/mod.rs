//! `beam-task download`: save the output files of finished tasks.
//!
//! The tasks are read in the order given, `--jobs` at a time. Each finished
//! task's outputs are checked (their names come from the server: nothing
//! but a plain file name reaches the disk) and handed to `--jobs` workers
//! (see `pool.rs`). A worker streams its file into a temporary file in the
//! same folder and renames it to its name once whole; a link refused as
//! expired (400, 403 or 404), or past its `expires_in`, is replaced by a
//! fresh one, the task read again once and its outputs matched by name.
//!
//! What happened is shown in the order asked, task by task (a task's files
//! by name), each as soon as its files, and every task's before it, are
//! done: the paths on stdout, notes and errors on stderr.
//!
//! Ctrl-C (SIGTERM, SIGHUP) is caught on its own thread, at once: it takes
//! for good the lock under which temporary files are made and renamed, and
//! removes every one, so that no partial file is left, neither under its
//! name nor under a temporary one. The main thread, which waits on one
//! channel for the reads, the workers and the signal, then shows the files
//! saved so far (a JSON array closed, stdout flushed), and the process ends
//! by the signal (see `main.rs`). A second signal ends it at once.

mod disk;
mod links;
mod plan;
mod worker;

use std::io;
use std::panic;
use std::path::PathBuf;
use std::process;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use anyhow::{Context, Result, anyhow};

use self::disk::{SYMLINK, Saved, TempFiles};
use self::links::TaskLinks;
use self::worker::Worker;
use crate::api::task::Task;
use crate::commands::input;
use crate::commands::session::Session;
use crate::config::settings::DownloadSettings;
use crate::exit_codes::ExitCode;
use crate::failure::Failure;
use crate::net::client::Client;
use crate::net::link::LinkClient;
use crate::net::pool::{Done, Pool};
use crate::output::render::{OutputMode, json};
use crate::output::report::Reporter;
use crate::output::transfers::Transfers;
use crate::output::{self, OutputSettings, StatusRule, Verdict};
use crate::term::signals;

pub fn run(
    session: &Session,
    settings: &DownloadSettings,
    reporter: &Reporter,
) -> Result<ExitCode> {
    let ids = input::collect_ids(&settings.tasks.ids, io::stdin().lock())?;
    let jobs = settings.tasks.jobs.max(1);
    // A run that fails before it starts keeps the shape of `--json`.
    let failed = |err| output::failed_before_any_task(shape(settings), err);
    let (api, links) = clients(session, jobs, settings.retries).map_err(failed)?;
    let view = Arc::new(Transfers::start(settings.feedback));
    let temps = Arc::new(TempFiles::default());
    let (sender, events) = mpsc::channel::<Event>();
    let catching = on_interrupt(&temps, &view, sender.clone()).map_err(failed)?;

    let worker = Worker {
        api: Arc::clone(&api),
        links,
        temps,
        view: Arc::clone(&view),
        force: settings.force,
    };
    let pool = Pool::start(jobs, move |job: &FileJob| worker.save(job), &sender).map_err(failed)?;
    read_in_turn(&api, &ids, jobs, sender).map_err(failed)?;
    let mut run = Downloads {
        ids: &ids,
        settings,
        reporter,
        view: &view,
        pool,
        tasks: ids.iter().map(|_| None).collect(),
        shown: 0,
        pending: 0,
        folder_made: false,
        verdict: Verdict::new(StatusRule::Own {
            unfinished: ExitCode::NotFinished,
        }),
        json_elements: 0,
        renamed: 0,
    };
    let downloaded = run.download(&events);
    // From here on a signal ends the process at once: no file is under way.
    catching.release();
    let caught_just_before = events
        .try_iter()
        .any(|event| matches!(event, Event::Interrupted { .. }));
    let downloaded = if caught_just_before {
        Ok(Ended::Interrupted)
    } else {
        downloaded
    };
    run.finish(downloaded)
}

/// Reads the tasks on a thread of their own, each handed on in the order
/// asked, so that the main thread waits on one channel only.
fn read_in_turn(
    api: &Arc<Client>,
    ids: &[String],
    jobs: usize,
    events: Sender<Event>,
) -> Result<()> {
    let api = Arc::clone(api);
    let ids = ids.to_vec();
    thread::Builder::new()
        .name("reads".into())
        .spawn(move || {
            let read = super::read_tasks(&api, &ids, jobs.min(ids.len()), |index, result| {
                events
                    .send(Event::Read(index, result))
                    .map_err(|_| anyhow!("the run stopped"))
            });
            let _ = events.send(Event::ReadsDone(read));
        })
        .context("cannot start a thread")?;
    Ok(())
}

/// The task API's client, and the links' client (which trusts what it
/// trusts).
fn clients(session: &Session, jobs: usize, retries: u32) -> Result<(Arc<Client>, LinkClient)> {
    let api = Arc::new(session.api(jobs, retries)?);
    let links = session.links(&api, jobs, retries)?;
    Ok((api, links))
}

/// What stdout looks like: paths, or a JSON array whatever the number of
/// IDs.
fn shape(settings: &DownloadSettings) -> OutputSettings {
    OutputSettings {
        mode: if settings.json {
            OutputMode::Json
        } else {
            OutputMode::Ids
        },
        quiet: settings.quiet,
        color: false,
        single: false,
        jq: settings.jq,
    }
}

/// A file to download: where its answer goes, and what it needs.
struct FileJob {
    task: usize,
    file: usize,
    name: String,
    /// The file's folder (DIR, or DIR/<task-id>).
    folder: PathBuf,
    links: Arc<TaskLinks>,
}

type Answer = Done<FileJob, Result<Saved, Failure>>;

/// What the main thread wakes up for.
enum Event {
    /// Task `index` was read; the tasks come in the order asked.
    Read(usize, Result<Task, Failure>),
    /// Every task was read, or the reads stopped.
    ReadsDone(Result<()>),
    /// A worker is done with a file.
    Saved(Answer),
    /// Ctrl-C, SIGTERM or SIGHUP, once `renamed` files were saved under
    /// their names: no more will be.
    Interrupted { renamed: usize },
}

impl From<Answer> for Event {
    fn from(answer: Answer) -> Event {
        Event::Saved(answer)
    }
}

/// How the download ended.
enum Ended {
    /// Every file was answered.
    Done,
    /// By a signal, the files saved so far shown.
    Interrupted,
}

/// What a task's read came to, for its turn to be shown.
enum Plan {
    /// The read failed, or the task's folder could not be made.
    Failed(Failure),
    /// A note, and nothing to download.
    Note(String),
    /// Its outputs, each with its result once known, after a note if
    /// there is one (a task that did not complete).
    Files {
        note: Option<String>,
        files: Vec<FileEntry>,
    },
}

struct FileEntry {
    name: String,
    result: Option<Result<Saved, Failure>>,
}

/// The run's state on the main thread.
struct Downloads<'a> {
    ids: &'a [String],
    settings: &'a DownloadSettings,
    reporter: &'a Reporter,
    view: &'a Transfers,
    pool: Pool<FileJob>,
    /// Each task's plan once read; `None` before.
    tasks: Vec<Option<Plan>>,
    /// Tasks shown so far: the next to show is `tasks[shown]`.
    shown: usize,
    /// Files handed to the workers and not yet answered.
    pending: usize,
    folder_made: bool,
    verdict: Verdict,
    json_elements: usize,
    /// Files saved under their names, of the answers in.
    renamed: usize,
}

impl Downloads<'_> {
    /// Plans each task as it is read, saves their files and shows each
    /// task's when its turn comes, until every file is answered or a
    /// signal comes.
    fn download(&mut self, events: &Receiver<Event>) -> Result<Ended> {
        let mut reading = true;
        while reading || self.pending > 0 {
            match events.recv().context("the workers stopped")? {
                Event::Read(index, result) => self.plan(index, result)?,
                Event::ReadsDone(read) => {
                    read?;
                    reading = false;
                }
                Event::Saved(answer) => self.record(answer),
                Event::Interrupted { renamed } => {
                    self.show_saved(renamed, events)?;
                    return Ok(Ended::Interrupted);
                }
            }
            self.show_ready()?;
        }
        Ok(Ended::Done)
    }

    fn record(&mut self, answer: Answer) {
        let Done { job, answer } = answer;
        let result = answer.unwrap_or_else(|p| panic::resume_unwind(p));
        self.pending -= 1;
        if let Ok(saved) = &result
            && saved.saved
        {
            self.renamed += 1;
        }
        if let Some(Plan::Files { files, .. }) = &mut self.tasks[job.task] {
            files[job.file].result = Some(result);
        }
    }

    /// Shows every task whose turn has come and whose files are all done.
    fn show_ready(&mut self) -> Result<()> {
        while let Some(Some(plan)) = self.tasks.get(self.shown) {
            if let Plan::Files { files, .. } = plan
                && files.iter().any(|f| f.result.is_none())
            {
                return Ok(());
            }
            let Some(plan) = self.tasks[self.shown].take() else {
                return Ok(());
            };
            let id = self.ids[self.shown].clone();
            self.view.suspend(|| self.show(&id, plan))?;
            self.shown += 1;
        }
        Ok(())
    }

    /// A signal came once `renamed` files were saved: their answers are
    /// awaited (each on its way), then every file on disk not shown yet is,
    /// in the order asked, whether or not its task's turn has come. Notes
    /// and failures are not.
    fn show_saved(&mut self, renamed: usize, events: &Receiver<Event>) -> Result<()> {
        while self.renamed < renamed {
            if let Event::Saved(answer) = events.recv().context("the workers stopped")? {
                self.record(answer);
            }
        }
        for index in self.shown..self.tasks.len() {
            let Some(Plan::Files { files, .. }) = self.tasks[index].take() else {
                continue;
            };
            let id = self.ids[index].clone();
            for file in files {
                if let Some(Ok(saved)) = file.result {
                    self.view
                        .suspend(|| self.show_file(&id, &file.name, &saved))?;
                }
            }
        }
        Ok(())
    }

    fn show(&mut self, id: &str, plan: Plan) -> Result<()> {
        match plan {
            Plan::Failed(failure) => {
                self.reporter.report_task(id, &failure);
                self.verdict.count(&Err(failure));
            }
            Plan::Note(note) => self.reporter.note(&note),
            Plan::Files { note, files } => {
                if let Some(note) = note {
                    self.reporter.note(&note);
                }
                for file in files {
                    match file.result {
                        Some(Ok(saved)) => self.show_file(id, &file.name, &saved)?,
                        Some(Err(failure)) => {
                            let about = match failure {
                                Failure::UnsafeName { .. } => id.to_string(),
                                _ => format!("{id}: output {:?}", file.name),
                            };
                            self.reporter.report_task(&about, &failure);
                            self.verdict.count(&Err(failure));
                        }
                        None => {}
                    }
                }
            }
        }
        Ok(())
    }

    fn show_file(&mut self, id: &str, name: &str, saved: &Saved) -> Result<()> {
        let path = saved.path.display().to_string();
        if !saved.saved {
            let what = saved.kind.unwrap_or("a file");
            self.reporter.note(&format!(
                "task {id}: {path} is already there ({what}): kept{}",
                if saved.kind == Some(SYMLINK) {
                    ", not followed; --force replaces the link itself"
                } else {
                    "; --force replaces it"
                }
            ));
        }
        if self.settings.quiet {
            return Ok(());
        }
        if !self.settings.json {
            return Ok(output::print(format!("{path}\n").as_bytes())?);
        }
        let element = serde_json::json!({
            "task": id,
            "name": name,
            "path": path,
            "bytes": saved.bytes,
            "saved": saved.saved,
        });
        if let Some(jq) = self.settings.jq {
            let item = format!("task {id}: output {name:?}");
            return Ok(jq.print(&element, &item, output::print)?);
        }
        let lead = if self.json_elements == 0 {
            json::ARRAY_START
        } else {
            json::ARRAY_SEPARATOR
        };
        self.json_elements += 1;
        Ok(output::print(format!("{lead}  {element}").as_bytes())?)
    }

    /// Ends the run, `downloaded` as the download came to: the bars go, and a
    /// JSON array is closed (`[]` if nothing was shown), even when the run
    /// failed, so that stdout stays valid JSON.
    fn finish(self, downloaded: Result<Ended>) -> Result<ExitCode> {
        self.view.finish();
        let closed = if self.settings.json && self.settings.jq.is_none() && !self.settings.quiet {
            let end = if self.json_elements > 0 {
                json::ARRAY_END
            } else {
                "[]\n"
            };
            output::print(end.as_bytes())
        } else {
            Ok(())
        };
        // The failure that ended the run comes first.
        let ended = downloaded?;
        closed?;
        Ok(match ended {
            // main ends the process by the signal caught.
            Ended::Interrupted => ExitCode::Interrupted,
            Ended::Done => self.verdict.exit_code(),
        })
    }
}

/// Ctrl-C (or SIGTERM, SIGHUP): every temporary file is removed for good
/// and the bars cleared, even in the middle of a download, and the main
/// thread is told. A second signal ends the process at once (exit 130
/// where there are no signals).
fn on_interrupt(
    temps: &Arc<TempFiles>,
    view: &Arc<Transfers>,
    events: Sender<Event>,
) -> Result<signals::Catching> {
    let temps = Arc::clone(temps);
    let view = Arc::clone(view);
    let told = AtomicBool::new(false);
    signals::catch(move || {
        if told.swap(true, Ordering::SeqCst) {
            signals::end_by_caught_signal();
            process::exit(i32::from(ExitCode::Interrupted.code()));
        }
        let renamed = temps.remove_all_for_good();
        view.interrupted();
        let _ = events.send(Event::Interrupted { renamed });
    })
}
