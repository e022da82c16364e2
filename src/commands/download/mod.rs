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
//! Ctrl-C is handled on its own thread, at once: it takes the lock under
//! which temporary files are made and renamed, removes every one, and exits
//! 130, so that no partial file is left, neither under its name nor under a
//! temporary one.

use std::collections::{BTreeSet, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Seek, Write};
use std::panic;
use std::path::{Component, Path, PathBuf};
use std::process;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::api;
use crate::api::task::{OutputLink, Task, TaskStatus};
use crate::commands::input;
use crate::commands::session::Session;
use crate::config::settings::DownloadSettings;
use crate::exit_codes::ExitCode;
use crate::failure::{Failure, Retry};
use crate::net::client::Client;
use crate::net::endpoint::Link;
use crate::net::link::{LinkClient, Sink};
use crate::net::pool::{Done, Pool};
use crate::output::render::{OutputMode, json};
use crate::output::report::Reporter;
use crate::output::transfers::{FileProgress, Transfers};
use crate::output::{self, OutputSettings, StatusRule, Verdict};
use crate::term::signals;

/// What a symbolic link already in the way is called in notes.
const SYMLINK: &str = "a symbolic link";

/// A link with less than this left before it expires is refreshed before
/// it is used: it could expire before its answer begins.
const EXPIRY_MARGIN: Duration = Duration::from_secs(5);

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
    let _catching = on_interrupt(&temps, &view).map_err(failed)?;

    let worker = Worker {
        api: Arc::clone(&api),
        links,
        temps,
        view: Arc::clone(&view),
        force: settings.force,
    };
    let (answers, done) = mpsc::channel::<Answer>();
    let pool =
        Pool::start(jobs, move |job: &FileJob| worker.save(job), &answers).map_err(failed)?;
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
    };
    let downloaded = run.download(&api, jobs, &done);
    run.finish(downloaded)
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

/// A file on disk at the end: saved now, or there already.
#[derive(Debug)]
struct Saved {
    path: PathBuf,
    /// Its size; `None` for what is not a regular file (a link, a folder).
    bytes: Option<u64>,
    /// False when the file was there already and kept.
    saved: bool,
    /// What was there already, when it is not a plain file.
    kind: Option<&'static str>,
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
}

impl Downloads<'_> {
    /// Reads the tasks, saves their files and shows each task's when its
    /// turn comes.
    fn download(&mut self, api: &Arc<Client>, jobs: usize, done: &Receiver<Answer>) -> Result<()> {
        let ids = self.ids;
        super::read_tasks(api, ids, jobs.min(ids.len()), |index, result| {
            self.plan(index, result)?;
            self.take_ready(done)
        })?;
        while self.pending > 0 {
            let answer = done.recv().context("the workers stopped")?;
            self.record(answer);
            self.show_ready()?;
        }
        Ok(())
    }

    /// Decides about a task just read: a note, a failure, or its files for
    /// the workers.
    fn plan(&mut self, index: usize, result: Result<Task, Failure>) -> Result<()> {
        let id = &self.ids[index];
        let task = match result {
            Ok(task) => task,
            Err(failure) => {
                self.tasks[index] = Some(Plan::Failed(failure));
                return Ok(());
            }
        };
        let status = task.status().as_str().to_string();
        let finished = task.status().is_finished();
        let complete = *task.status() == TaskStatus::Complete;
        let outputs = task.output_links();
        // Statuses count as they come; failures in the order asked, when
        // shown.
        self.verdict.count(&Ok(task));
        let plan = if !finished {
            Plan::Note(format!(
                "task {id} is {status}: nothing downloaded; wait for it first (beam-task wait {id})"
            ))
        } else if outputs.is_empty() {
            Plan::Note(format!("task {id} has no outputs"))
        } else {
            let note = (!complete)
                .then(|| format!("task {id} is {status}: its outputs are saved all the same"));
            self.plan_files(index, outputs, note)?
        };
        self.tasks[index] = Some(plan);
        Ok(())
    }

    /// Checks a finished task's outputs and hands the good ones to the
    /// workers. The folder is made first: DIR once (failing the run if it
    /// cannot be), DIR/<task-id> for each task when there are several.
    fn plan_files(
        &mut self,
        index: usize,
        mut outputs: Vec<OutputLink>,
        note: Option<String>,
    ) -> Result<Plan> {
        let id = &self.ids[index];
        let dir = &self.settings.dir;
        if !self.folder_made {
            make_folder(dir)?;
            self.folder_made = true;
        }
        let folder = if self.settings.per_task {
            let folder = dir.join(id);
            if let Err(failure) = make_task_folder(&folder) {
                return Ok(Plan::Failed(failure));
            }
            folder
        } else {
            dir.clone()
        };
        let links = Arc::new(TaskLinks::new(id, outputs.clone()));
        // The API lists them in another order on each read: by name, the
        // listing is the same from run to run.
        outputs.sort_by(|a, b| a.name.cmp(&b.name));
        let mut names = HashSet::new();
        let mut files = Vec::with_capacity(outputs.len());
        for output in outputs {
            let name = output.name.unwrap_or_default();
            let refused = match check_name(&name) {
                Err(why) => Some(Failure::UnsafeName {
                    name: format!("{name:?}"),
                    why,
                }),
                Ok(()) if !names.insert(name.clone()) => Some(Failure::UnsafeName {
                    name: format!("{name:?}"),
                    why: "another output of the task has the same name",
                }),
                Ok(()) if output.url.is_none() => {
                    Some(Failure::BadResponse("the task gives it no link".into()))
                }
                Ok(()) => None,
            };
            if refused.is_none() {
                self.pool.submit(FileJob {
                    task: index,
                    file: files.len(),
                    name: name.clone(),
                    folder: folder.clone(),
                    links: Arc::clone(&links),
                });
                self.pending += 1;
                self.view.expect(1);
            }
            files.push(FileEntry {
                name,
                result: refused.map(Err),
            });
        }
        Ok(Plan::Files { note, files })
    }

    /// Records the answers already in, and shows what is ready.
    fn take_ready(&mut self, done: &Receiver<Answer>) -> Result<()> {
        while let Ok(answer) = done.try_recv() {
            self.record(answer);
        }
        self.show_ready()
    }

    fn record(&mut self, answer: Answer) {
        let Done { job, answer } = answer;
        let result = answer.unwrap_or_else(|p| panic::resume_unwind(p));
        self.pending -= 1;
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
    fn finish(self, downloaded: Result<()>) -> Result<ExitCode> {
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
        downloaded?;
        closed?;
        Ok(self.verdict.exit_code())
    }
}

/// Why `name` cannot be a file's name in the folder, if it cannot: it must
/// be one plain component, with nothing that could lead elsewhere or
/// drive a terminal.
fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("it is empty");
    }
    if name == "." || name == ".." {
        return Err("it names a folder, not a file");
    }
    if name.contains(['/', '\\']) {
        return Err("it is a path, not a file name");
    }
    if name.chars().any(char::is_control) {
        return Err("it holds a control character");
    }
    if cfg!(windows) && windows_special(name) {
        return Err("Windows gives it a special meaning");
    }
    let mut components = Path::new(name).components();
    match (components.next(), components.next()) {
        (Some(Component::Normal(part)), None) if part == name => Ok(()),
        _ => Err("it would not stay in the folder"),
    }
}

/// A name that Windows does not take as a plain file name: a stream
/// (`a:b`), a device (`CON`, `nul.txt`, `COM1`), or one ending in a dot or
/// a space (which Windows drops).
fn windows_special(name: &str) -> bool {
    const DEVICES: [&str; 4] = ["CON", "PRN", "AUX", "NUL"];
    let base = name.split('.').next().unwrap_or_default().trim_end();
    let upper = base.to_ascii_uppercase();
    let numbered = (upper.starts_with("COM") || upper.starts_with("LPT"))
        && upper.len() == 4
        && upper.as_bytes()[3].is_ascii_digit();
    name.contains(':')
        || name.ends_with(['.', ' '])
        || DEVICES.contains(&upper.as_str())
        || numbered
}

/// Makes DIR (and its parents) when it is missing. DIR is the user's: a
/// symbolic link to a folder is followed there.
fn make_folder(dir: &Path) -> Result<(), Failure> {
    if dir.as_os_str().is_empty() {
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(|e| Failure::cannot_create(dir, &e))
}

/// Makes DIR/<task-id>, or takes the folder already there; a symbolic link
/// there is not followed.
fn make_task_folder(folder: &Path) -> Result<(), Failure> {
    let refused = |reason: &str| Failure::CannotCreate {
        path: folder.display().to_string(),
        reason: reason.to_string(),
    };
    match fs::create_dir(folder) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => match fs::symlink_metadata(folder) {
            Ok(meta) if meta.is_dir() => Ok(()),
            Ok(meta) if meta.file_type().is_symlink() => {
                Err(refused("a symbolic link is there, and it is not followed"))
            }
            Ok(_) => Err(refused("a file is in the way")),
            Err(e) => Err(Failure::cannot_create(folder, &e)),
        },
        Err(e) => Err(Failure::cannot_create(folder, &e)),
    }
}

/// What is at `path` already, if anything, without following a symbolic
/// link.
fn already_there(path: &Path) -> Result<Option<Saved>, Failure> {
    match fs::symlink_metadata(path) {
        Ok(meta) => {
            let kind = if meta.file_type().is_symlink() {
                Some(SYMLINK)
            } else if meta.is_dir() {
                Some("a folder")
            } else if meta.is_file() {
                None
            } else {
                Some("not a regular file")
            };
            Ok(Some(Saved {
                path: path.to_path_buf(),
                bytes: meta.is_file().then_some(meta.len()),
                saved: false,
                kind,
            }))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Failure::cannot_create(path, &e)),
    }
}

/// What every worker shares.
struct Worker {
    api: Arc<Client>,
    links: LinkClient,
    temps: Arc<TempFiles>,
    view: Arc<Transfers>,
    force: bool,
}

impl Worker {
    /// Downloads one file to its place, or finds it there already.
    fn save(&self, job: &FileJob) -> Result<Saved, Failure> {
        let path = job.folder.join(&job.name);
        if !self.force
            && let Some(there) = already_there(&path)?
        {
            return Ok(there);
        }
        let mut sink = FileSink {
            temps: &self.temps,
            folder: &job.folder,
            path: &path,
            temp: None,
            progress: self.view.file(&path),
        };
        let mut link = job.links.current(&job.name)?;
        let mut refreshed = false;
        let bytes = loop {
            if !refreshed && link.expired() {
                link = job.links.refresh(&self.api, &job.name, link.generation)?;
                refreshed = true;
            }
            let resolved = Link::resolve(&link.url)?;
            match self.links.fetch(&resolved, &mut sink) {
                Ok(bytes) => break bytes,
                Err(Failure::HttpStatus {
                    status: 400 | 403 | 404,
                    ..
                }) if !refreshed => {
                    link = job.links.refresh(&self.api, &job.name, link.generation)?;
                    refreshed = true;
                }
                Err(Failure::HttpStatus {
                    status_line,
                    message,
                    ..
                }) => {
                    return Err(Failure::Unreachable {
                        reason: format!(
                            "{} refused the download with {status_line}{}{}",
                            resolved.host,
                            crate::failure::detail(&message),
                            if refreshed {
                                ", even with a fresh link"
                            } else {
                                ""
                            }
                        ),
                        retry_after: None,
                        retry: Retry::Never,
                    });
                }
                Err(failure) => return Err(failure),
            }
        };
        let saved = sink.persist(self.force, bytes)?;
        if saved.saved {
            self.view.saved(&saved.path, bytes);
        }
        Ok(saved)
    }
}

/// A task's links, as last read, shared by the workers on its files: the
/// first to need fresh links reads the task again, and the others use what
/// it read.
struct TaskLinks {
    id: String,
    state: Mutex<LinkState>,
}

struct LinkState {
    /// How many times the task was read again.
    generation: u32,
    read_at: Instant,
    outputs: Vec<OutputLink>,
}

/// One output's link from one read of its task.
struct CurrentLink {
    url: String,
    /// When it expires, as far as `expires_in` tells.
    expires_at: Option<Instant>,
    generation: u32,
}

impl CurrentLink {
    fn expired(&self) -> bool {
        self.expires_at
            .is_some_and(|at| Instant::now() + EXPIRY_MARGIN >= at)
    }
}

impl TaskLinks {
    fn new(id: &str, outputs: Vec<OutputLink>) -> TaskLinks {
        TaskLinks {
            id: id.to_string(),
            state: Mutex::new(LinkState {
                generation: 0,
                read_at: Instant::now(),
                outputs,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, LinkState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The link of output `name` as last read.
    fn current(&self, name: &str) -> Result<CurrentLink, Failure> {
        self.lock().link(name)
    }

    /// A fresh link for output `name`, to replace one from read
    /// `generation`: the task is read again, unless another file did so
    /// since. The outputs may come in another order: they are matched by
    /// name.
    fn refresh(&self, api: &Client, name: &str, generation: u32) -> Result<CurrentLink, Failure> {
        let mut state = self.lock();
        if state.generation == generation {
            let task = api::get_task(api, &self.id)?;
            state.outputs = task.output_links();
            state.read_at = Instant::now();
            state.generation += 1;
        }
        state.link(name)
    }
}

impl LinkState {
    fn link(&self, name: &str) -> Result<CurrentLink, Failure> {
        let output = self
            .outputs
            .iter()
            .find(|o| o.name.as_deref() == Some(name))
            .ok_or_else(|| {
                Failure::BadResponse("the task read again no longer lists this output".into())
            })?;
        let url = output
            .url
            .clone()
            .ok_or_else(|| Failure::BadResponse("the task read again gives it no link".into()))?;
        let expires_at = output
            .expires_in
            .and_then(|seconds| Duration::try_from_secs_f64(seconds.max(0.0)).ok())
            .and_then(|life| self.read_at.checked_add(life));
        Ok(CurrentLink {
            url,
            expires_at,
            generation: self.generation,
        })
    }
}

/// The file a download is written to: a temporary file in the same
/// folder, made on the first answer, started over on each retry, renamed to
/// its name once whole.
struct FileSink<'a> {
    temps: &'a TempFiles,
    folder: &'a Path,
    /// The file's name in its folder, for messages and the rename.
    path: &'a Path,
    temp: Option<TempFile<'a>>,
    progress: FileProgress,
}

impl Sink for FileSink<'_> {
    fn start(&mut self, length: Option<u64>) -> Result<(), Failure> {
        let cannot = |e: io::Error| Failure::cannot_create(self.path, &e);
        match &mut self.temp {
            None => self.temp = Some(self.temps.create(self.folder).map_err(cannot)?),
            Some(temp) => temp.start_over().map_err(cannot)?,
        }
        self.progress.start(length);
        Ok(())
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        if let Some(temp) = &mut self.temp {
            temp.file
                .write_all(bytes)
                .map_err(|e| Failure::cannot_create(self.path, &e))?;
        }
        self.progress.advance(bytes.len() as u64);
        Ok(())
    }
}

impl FileSink<'_> {
    /// Renames the whole file to its name; without `force`, a file that
    /// appeared there meanwhile is kept and the download dropped.
    fn persist(self, force: bool, bytes: u64) -> Result<Saved, Failure> {
        let FileSink {
            path,
            temp,
            progress,
            ..
        } = self;
        let cannot = |e: io::Error| Failure::cannot_create(path, &e);
        if !force && let Some(there) = already_there(path)? {
            return Ok(there);
        }
        match temp {
            Some(temp) => temp.persist(path).map_err(cannot)?,
            // An empty body with no answer's start cannot be: `start` comes
            // first. Should it, the empty file is made here.
            None => {
                File::create(path).map_err(cannot)?;
            }
        }
        progress.done();
        Ok(Saved {
            path: path.to_path_buf(),
            bytes: Some(bytes),
            saved: true,
            kind: None,
        })
    }
}

/// Every temporary file of the run, so that Ctrl-C can remove them. Files
/// are made and renamed under its lock, which Ctrl-C takes for good.
#[derive(Default)]
struct TempFiles {
    paths: Mutex<BTreeSet<PathBuf>>,
}

impl TempFiles {
    fn lock(&self) -> MutexGuard<'_, BTreeSet<PathBuf>> {
        self.paths.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A new temporary file in `folder`: `.beam-task-<random>.part`, made
    /// only if no file has that name (never through a symbolic link).
    fn create(&self, folder: &Path) -> io::Result<TempFile<'_>> {
        let folder = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        let mut paths = self.lock();
        loop {
            let path = folder.join(format!(".beam-task-{:016x}.part", fastrand::u64(..)));
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    paths.insert(path.clone());
                    return Ok(TempFile {
                        owner: self,
                        path,
                        file,
                        kept: false,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Removes every temporary file, and returns the lock: held until the
    /// process exits, no file is made or renamed any more.
    fn remove_all(&self) -> MutexGuard<'_, BTreeSet<PathBuf>> {
        let paths = self.lock();
        for path in paths.iter() {
            let _ = fs::remove_file(path);
        }
        paths
    }
}

/// A temporary file, removed when dropped unless it was renamed.
struct TempFile<'a> {
    owner: &'a TempFiles,
    path: PathBuf,
    file: File,
    kept: bool,
}

impl TempFile<'_> {
    /// Empties the file for a new try.
    fn start_over(&mut self) -> io::Result<()> {
        self.file.set_len(0)?;
        self.file.rewind()?;
        Ok(())
    }

    /// Renames the file to `path` (replacing what is there, a symbolic
    /// link itself rather than what it points to).
    fn persist(mut self, path: &Path) -> io::Result<()> {
        let mut paths = self.owner.lock();
        fs::rename(&self.path, path)?;
        paths.remove(&self.path);
        self.kept = true;
        Ok(())
    }
}

impl Drop for TempFile<'_> {
    fn drop(&mut self) {
        if !self.kept {
            let mut paths = self.owner.lock();
            let _ = fs::remove_file(&self.path);
            paths.remove(&self.path);
        }
    }
}

/// Ctrl-C (or SIGTERM, SIGHUP): every temporary file is removed, the bars
/// cleared, and the process ends by that signal at once, even in the
/// middle of a download (exit 130 where there are no signals).
fn on_interrupt(temps: &Arc<TempFiles>, view: &Arc<Transfers>) -> Result<signals::Catching> {
    let temps = Arc::clone(temps);
    let view = Arc::clone(view);
    signals::catch(move || {
        let _held = temps.remove_all();
        view.interrupted();
        signals::end_by_caught_signal();
        process::exit(i32::from(ExitCode::Interrupted.code()));
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_file_names_are_taken() {
        for good in [
            "a.png",
            "result",
            ".hidden",
            "a b.txt",
            "été.csv",
            "...x",
            "x..y",
        ] {
            assert_eq!(check_name(good), Ok(()), "{good:?}");
        }
        for bad in [
            "",
            ".",
            "..",
            "../../x",
            "a/b",
            "/etc/passwd",
            "a\\b",
            "..\\x",
            "a\nb",
            "a\0b",
            "\u{1b}[31mred",
            "tab\there",
            "del\u{7f}",
            "c1\u{85}",
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn windows_special_names() {
        for special in ["CON", "nul.txt", "Com1", "lpt9.log", "a:b", "x.", "y "] {
            assert!(windows_special(special), "{special:?}");
        }
        for plain in ["console", "COM", "COM10", "a.txt", "nul_file"] {
            assert!(!windows_special(plain), "{plain:?}");
        }
    }

    #[test]
    fn links_expire_by_expires_in_from_the_read_with_a_margin() {
        let output = |expires_in| OutputLink {
            name: Some("a".into()),
            url: Some("https://x/a".into()),
            expires_in,
        };
        let links = |expires_in| TaskLinks::new("t", vec![output(expires_in)]);
        assert!(!links(Some(3600.0)).current("a").unwrap().expired());
        assert!(!links(None).current("a").unwrap().expired());
        assert!(links(Some(0.0)).current("a").unwrap().expired());
        assert!(links(Some(-5.0)).current("a").unwrap().expired());
        assert!(links(Some(3.0)).current("a").unwrap().expired());
        assert!(links(Some(f64::NAN)).current("a").is_ok());
        assert!(links(Some(3600.0)).current("b").is_err());
    }
}
