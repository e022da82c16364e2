//! Tasks read a hundred at a time, through the workspace API's list with
//! `task_ids` (`api/batch.rs`), for `status` and `wait`'s polls.
//!
//! What the list answers is matched to what was asked by ID: a task not
//! asked for is ignored, and a task asked for and not in the answer is read
//! on the task API (`GET /v2/task/{id}/`), which decides (not found, or its
//! status). IDs that are not UUIDs are never sent (beta9 would drop them,
//! and with none left answer the whole workspace): they are read on the task
//! API one by one, as without batches.
//!
//! The list names FAILED `ERROR`; the task API may say FAILED. The first
//! task the list says is ERROR is read on the task API, and the word it
//! says is then given to every other (so the table shows what a read of the
//! task would, and the exit code is the same either way).
//!
//! Where the workspace API is not there (404, 405 or 501 on
//! `workspace/current` or the list, or an answer that is not a page), every
//! task is read on the task API, decided once per run. With `--workspace`
//! (no lookup showed the API is there) the first list read goes alone and
//! the others wait for its answer; after a lookup, reads go at once.

use std::collections::{BTreeMap, HashMap};
use std::panic;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{Context, Result};
use serde_json::Value;

use crate::api;
use crate::api::batch::{get_tasks, ids_per_request, is_uuid};
use crate::api::task::{Task, TaskStatus};
use crate::commands::session::{Session, resolve_workspace};
use crate::failure::Failure;
use crate::log;
use crate::net::client::Client;
use crate::net::pool::{Done, Pool};
use crate::output::OutputSettings;
use crate::output::render::OutputMode;
use crate::text::one_line;

/// Batches pay from this many UUIDs on (one fewer with `--workspace`,
/// which saves the workspace's lookup): below it, reading each task costs
/// no more requests.
const FEWEST_UUIDS: usize = 3;

/// Tasks read ahead of the first one not yet handed on, per worker: two
/// full batches each, so that every worker stays busy.
const AHEAD_PER_JOB: usize = 2 * api::batch::MAX_IDS;

/// What one read of the list said of a task.
#[derive(Debug)]
pub enum Found {
    /// The task, or the failure of the read, which counts for it.
    Read(Result<Task, Failure>),
    /// Not in the answer, or not to be decided by the list: read it on the
    /// task API.
    AskTaskApi,
}

/// The workspace API's list, for reading many tasks at once, and what this
/// run learnt of it.
pub struct BatchReads {
    app: Client,
    /// The task API, for the reads that learn what ERROR is called.
    api: Arc<Client>,
    workspace: String,
    per_request: usize,
    /// A task seen finished is read on the task API, whose object is what
    /// `--json` and `--raw` print.
    finished_from_task_api: bool,
    /// The list is not there: every read goes to the task API.
    absent: AtomicBool,
    /// True once a list read has answered; held for the first read.
    probed: Mutex<bool>,
    /// What the task API calls the list's ERROR, once a read told.
    error_word: OnceLock<String>,
}

/// A read to make: one task on the task API, or up to a hundred on the list,
/// each with its index in the IDs.
#[derive(Debug, Clone)]
pub enum Job {
    One(usize, String),
    Batch(Vec<(usize, String)>),
}

impl Job {
    /// The tasks it reads.
    pub fn tasks(&self) -> Vec<(usize, &str)> {
        match self {
            Job::One(i, id) => vec![(*i, id.as_str())],
            Job::Batch(tasks) => tasks.iter().map(|(i, id)| (*i, id.as_str())).collect(),
        }
    }
}

impl BatchReads {
    /// The list for the tasks `ids`, or `None` where batches would not pay,
    /// may not be sent (the token is never sent to Beam's workspace API
    /// unasked: see `GlobalSettings::app_url_fits`), or the workspace
    /// cannot be found (`--verbose` says why). A token the workspace API
    /// refuses ends the run (exit 77).
    pub fn open(
        session: &Session,
        ids: &[String],
        jobs: usize,
        retries: u32,
        api: &Arc<Client>,
    ) -> Result<Option<BatchReads>> {
        let given = session.global.workspace.as_deref();
        let fewest = FEWEST_UUIDS - usize::from(given.is_some());
        if ids.iter().filter(|id| is_uuid(id)).count() < fewest {
            return Ok(None);
        }
        if !session.global.app_url_fits {
            say("no batch reads: --api-url is not Beam's, and --app-url is not given");
            return Ok(None);
        }
        let app = match session.app(jobs, retries) {
            Ok(app) => app,
            Err(err) => {
                say(&format!("no batch reads ({err:#})"));
                return Ok(None);
            }
        };
        let workspace = match resolve_workspace(given, &app) {
            Ok(workspace) => workspace,
            Err(err) if refuses_the_token(&err) => return Err(err),
            Err(err) => {
                say(&format!("no batch reads ({err:#})"));
                return Ok(None);
            }
        };
        Ok(Some(BatchReads {
            app,
            api: Arc::clone(api),
            per_request: ids_per_request(&workspace),
            workspace,
            finished_from_task_api: false,
            absent: AtomicBool::new(false),
            // A lookup that answered shows the workspace API is there.
            probed: Mutex::new(given.is_none()),
            error_word: OnceLock::new(),
        }))
    }

    /// Tasks seen finished are read on the task API (for `wait --json`).
    pub fn deciding_on_task_api(mut self) -> BatchReads {
        self.finished_from_task_api = true;
        self
    }

    /// Whether a finished task is read on the task API.
    pub fn decides_on_task_api(&self) -> bool {
        self.finished_from_task_api
    }

    /// The workspace the list reads.
    pub fn workspace(&self) -> &str {
        &self.workspace
    }

    /// Whether the task `id` may be read on the list.
    pub fn takes(&self, id: &str) -> bool {
        is_uuid(id) && !self.absent.load(Ordering::Relaxed)
    }

    /// The reads for `tasks` (index and ID, in order): UUIDs in batches of
    /// up to a hundred, each other ID alone; in the order of their first
    /// task.
    pub fn plan(&self, tasks: impl IntoIterator<Item = (usize, String)>) -> Vec<Job> {
        let mut jobs = Vec::new();
        // Where the batch being filled sits in `jobs`.
        let mut open: Option<usize> = None;
        for (i, id) in tasks {
            if !self.takes(&id) {
                jobs.push(Job::One(i, id));
                continue;
            }
            match open.map(|at| &mut jobs[at]) {
                Some(Job::Batch(batch)) if batch.len() < self.per_request => batch.push((i, id)),
                _ => {
                    open = Some(jobs.len());
                    jobs.push(Job::Batch(vec![(i, id)]));
                }
            }
        }
        jobs
    }

    /// One read of the list for `tasks`: what it said of each, in order.
    pub fn read(&self, tasks: &[(usize, String)]) -> Vec<(usize, Found)> {
        let ask_each = || tasks.iter().map(|(i, _)| (*i, Found::AskTaskApi)).collect();
        if self.absent.load(Ordering::Relaxed) {
            return ask_each();
        }
        let ids: Vec<&str> = tasks.iter().map(|(_, id)| id.as_str()).collect();
        // The first read goes alone: the others wait for what it tells.
        let first = {
            let mut probed = self.probed.lock().unwrap_or_else(|p| p.into_inner());
            if *probed {
                None
            } else {
                let answer = self.judge(get_tasks(&self.app, &self.workspace, &ids));
                *probed = true;
                Some(answer)
            }
        };
        let answer = match first {
            Some(answer) => answer,
            None if self.absent.load(Ordering::Relaxed) => return ask_each(),
            None => self.judge(get_tasks(&self.app, &self.workspace, &ids)),
        };
        match answer {
            Ok(listed) => self.match_answer(tasks, listed),
            Err(failure) if not_there(&failure) => ask_each(),
            Err(failure) => tasks
                .iter()
                .map(|(i, _)| (*i, Found::Read(Err(failure.clone()))))
                .collect(),
        }
    }

    /// Notes an answer that says the list is not there (once per run).
    fn judge(&self, answer: Result<Vec<Value>, Failure>) -> Result<Vec<Value>, Failure> {
        if let Err(failure) = &answer
            && not_there(failure)
            && !self.absent.swap(true, Ordering::Relaxed)
        {
            say(&format!(
                "no batch reads ({failure}); reading each task on the task API"
            ));
        }
        answer
    }

    /// The answer's tasks matched to those asked; any other is ignored.
    fn match_answer(&self, tasks: &[(usize, String)], listed: Vec<Value>) -> Vec<(usize, Found)> {
        let mut by_id: HashMap<String, Value> = HashMap::with_capacity(listed.len());
        for value in listed {
            if let Some(id) = listed_id(&value) {
                by_id.insert(id, value);
            }
        }
        tasks
            .iter()
            .map(|(i, id)| {
                let found = match by_id.remove(id) {
                    Some(value) => self.task_of(id, value),
                    None => Found::AskTaskApi,
                };
                (*i, found)
            })
            .collect()
    }

    /// The list's object as the task API would show it.
    fn task_of(&self, id: &str, mut value: Value) -> Found {
        if value.get("status").and_then(Value::as_str) == Some(TaskStatus::Error.as_str()) {
            match self.error_word.get() {
                Some(word) => value["status"] = Value::String(word.clone()),
                None if !self.finished_from_task_api => return Found::Read(self.learn(id)),
                None => {}
            }
        }
        match Task::from_value(value) {
            Ok(task) if self.finished_from_task_api && task.status().is_finished() => {
                Found::AskTaskApi
            }
            Ok(task) => Found::Read(Ok(task)),
            Err(Failure::BadResponse(why)) => Found::Read(Err(Failure::BadResponse(format!(
                "task {id} in the listing: {why}"
            )))),
            Err(other) => Found::Read(Err(other)),
        }
    }

    /// Reads the task `id` (ERROR on the list) on the task API, which
    /// decides it, and keeps the word it says for a failed task.
    fn learn(&self, id: &str) -> Result<Task, Failure> {
        let read = api::get_task(&self.api, id);
        if let Ok(task) = &read
            && matches!(task.status(), TaskStatus::Failed | TaskStatus::Error)
        {
            let _ = self.error_word.set(task.status().as_str().to_string());
        }
        read
    }
}

/// Reads the tasks `ids` over `jobs` workers, through `batches` where it
/// may, and hands each result to `handle` with its index, in the order of
/// `ids`, as soon as it and all before it are known (as
/// `commands::read_tasks`).
pub fn read_tasks(
    api: &Arc<Client>,
    batches: BatchReads,
    ids: &[String],
    jobs: usize,
    mut handle: impl FnMut(usize, Result<Task, Failure>) -> Result<()>,
) -> Result<()> {
    let batches = Arc::new(batches);
    let plan = batches.plan(ids.iter().cloned().enumerate());
    let (answers, done) = mpsc::channel::<Done<Job, Vec<(usize, Found)>>>();
    let pool = {
        let api = Arc::clone(api);
        let batches = Arc::clone(&batches);
        Pool::start(jobs, move |job: &Job| run(&api, &batches, job), &answers)?
    };
    let ahead = jobs.max(1) * AHEAD_PER_JOB;
    let mut waiting = BTreeMap::new();
    let mut plan = plan.into_iter().peekable();
    let mut in_flight = 0;
    let mut handed = 0;
    while handed < ids.len() {
        while let Some(job) = plan.next_if(|job| first_index(job) < handed + ahead) {
            pool.submit(job);
            in_flight += 1;
        }
        let Done { answer, .. } = done.recv().context("the workers stopped")?;
        in_flight -= 1;
        for (i, found) in answer.unwrap_or_else(|p| panic::resume_unwind(p)) {
            match found {
                Found::Read(result) => {
                    waiting.insert(i, result);
                }
                Found::AskTaskApi => {
                    pool.submit(Job::One(i, ids[i].clone()));
                    in_flight += 1;
                }
            }
        }
        while let Some(result) = waiting.remove(&handed) {
            handle(handed, result)?;
            handed += 1;
        }
        if in_flight == 0 && plan.peek().is_none() && handed < ids.len() {
            anyhow::bail!("a task was never read");
        }
    }
    Ok(())
}

/// Whether the output is the task API's bodies (`--json`, `--raw`), which
/// only a read of each task on the task API gives.
pub fn prints_bodies(output: &OutputSettings) -> bool {
    let bodies = match output.mode {
        OutputMode::Json | OutputMode::Raw => true,
        OutputMode::Table | OutputMode::Ids => false,
    };
    bodies && !output.quiet
}

/// Runs one read: a task on the task API (`get_task`, retried as the
/// client is), or a batch on the list.
pub fn run(api: &Client, batches: &BatchReads, job: &Job) -> Vec<(usize, Found)> {
    match job {
        Job::One(i, id) => vec![(*i, Found::Read(api::get_task(api, id)))],
        Job::Batch(tasks) => batches.read(tasks),
    }
}

fn first_index(job: &Job) -> usize {
    match job {
        Job::One(i, _) => *i,
        Job::Batch(tasks) => tasks.first().map_or(0, |(i, _)| *i),
    }
}

/// The ID a task of the list goes by (`id`, else `external_id`).
fn listed_id(value: &Value) -> Option<String> {
    ["id", "external_id"]
        .iter()
        .find_map(|key| value.get(*key)?.as_str().map(str::to_string))
}

/// A failure of the list that says it is not there.
fn not_there(failure: &Failure) -> bool {
    match failure {
        Failure::HttpStatus { status, .. } => matches!(status, 404 | 405 | 501),
        Failure::BadResponse(_) => true,
        _ => false,
    }
}

/// Whether the workspace's lookup failed on the token.
fn refuses_the_token(err: &anyhow::Error) -> bool {
    matches!(
        err.downcast_ref::<Failure>(),
        Some(Failure::Unauthorized { .. } | Failure::WorkspaceRefused { .. })
    )
}

/// Says on stderr, with `--verbose`, why tasks are read one by one.
fn say(line: &str) {
    log::line(&format!("* {}", one_line(line)));
}
