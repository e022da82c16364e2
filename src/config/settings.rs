//! The command line turned into plain settings, once (as fd's
//! `construct_config`): nothing below `main` knows clap, and every decision
//! that depends on the environment (color, terminals, the test clock) is
//! taken here.

use std::ffi::OsStr;
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::time::Duration;

use clap::ArgMatches;
use clap::parser::ValueSource;
use clap_complete::Shell;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::api::ListFilter;
use crate::api::task::TaskStatus;
use crate::cli::{
    self, Cli, ColorChoice, Command, DownloadArgs, ListArgs, ListFormat, LogsArgs, OutputFormat,
    StatusArgs, TaskArgs, WaitArgs, When,
};
use crate::config::token::TokenInputs;
use crate::failure::Failure;
use crate::output::OutputSettings;
use crate::output::jq::Jq;
use crate::output::live::Feedback;
use crate::output::render::OutputMode;
use crate::term;

/// Further tries of a request after a transient failure, unless `--retries`
/// says otherwise (and for the commands that have no `--retries`).
pub const REQUEST_RETRIES: u32 = 3;

/// Further tries of a waited task after transient failures in a row, unless
/// `--retries` says otherwise: with the backoff of `retry::backoff`, at
/// least 2½ minutes of failures are ridden out (0.5 + 1 + 2 + … + 30 s,
/// without jitter), and 503s or refused connections give up within about
/// 4 minutes (with the most jitter).
pub const WAIT_RETRIES: u32 = 10;

/// Everything a run needs to know, resolved from the arguments.
#[derive(Debug)]
pub struct Settings {
    pub global: GlobalSettings,
    pub command: CommandSettings,
}

/// What every command shares.
#[derive(Debug)]
pub struct GlobalSettings {
    pub token: TokenInputs,
    pub api_url: String,
    /// The workspace API's base URL (`--app-url`).
    pub app_url: String,
    /// Whether the workspace API may be asked without being named: with
    /// `--app-url`/`BEAM_APP_URL` given, or the task API Beam's own. A
    /// `wait` against another `--api-url` (a self-hosted beta9) does not
    /// send the token to Beam's cloud unasked.
    pub app_url_fits: bool,
    /// The workspace to list and read tasks in; `None` asks the API for the
    /// token's own.
    pub workspace: Option<String>,
    /// The bound on each whole request, connection included.
    pub request_timeout: Duration,
    /// Print request and response lines on stderr: `main` turns the
    /// process's logger on with it.
    pub verbose: bool,
    /// Whether `error:` and `hint:` on stderr are colored.
    pub stderr_color: bool,
    /// The process's clock runs this much faster than real time (see
    /// [`time_scale`]); `main` sets it.
    pub time_scale: f64,
}

#[derive(Debug)]
pub enum CommandSettings {
    Status(StatusSettings),
    Wait(WaitSettings),
    Cancel(CancelSettings),
    List(ListSettings),
    Result(ResultSettings),
    Download(DownloadSettings),
    Logs(LogsSettings),
    Completions(Shell),
    Man,
}

/// Which tasks: the arguments as typed (`-` reads stdin).
#[derive(Debug)]
pub struct TaskSelection {
    pub ids: Vec<String>,
    /// Requests made at once.
    pub jobs: usize,
}

#[derive(Debug)]
pub struct StatusSettings {
    pub tasks: TaskSelection,
    pub output: OutputSettings,
    /// Only request failures count toward the exit code.
    pub exit_zero: bool,
    /// Further tries of a request after a transient failure.
    pub retries: u32,
}

#[derive(Debug)]
pub struct CancelSettings {
    pub tasks: TaskSelection,
    pub output: OutputSettings,
    /// Further tries of a request after a transient failure.
    pub retries: u32,
    /// How long tasks that still run after the cancel are read again.
    pub timeout: Duration,
    /// Read and show the tasks; cancel nothing.
    pub dry_run: bool,
}

#[derive(Debug)]
pub struct ListSettings {
    pub filter: ListFilter,
    /// How many tasks at most; `None` for every one (`--all`).
    pub limit: Option<u64>,
    pub output: OutputSettings,
    /// Show a count on stderr while paging (a terminal, `--all`).
    pub show_count: bool,
}

#[derive(Debug)]
pub struct ResultSettings {
    pub id: String,
    /// `--jq`: the result through this filter.
    pub jq: Option<&'static Jq>,
}

#[derive(Debug)]
pub struct DownloadSettings {
    pub tasks: TaskSelection,
    /// Further tries of a request after a transient failure.
    pub retries: u32,
    /// The folder to save into, as given (empty: the current folder).
    pub dir: PathBuf,
    /// A subfolder per task: several IDs were typed, or `-`.
    pub per_task: bool,
    /// Replace files that exist.
    pub force: bool,
    /// A JSON array on stdout rather than one path a line.
    pub json: bool,
    /// `--jq`: each file's record through this filter instead.
    pub jq: Option<&'static Jq>,
    /// Nothing on stdout, no progress and no notes on stderr.
    pub quiet: bool,
    pub feedback: Feedback,
}

#[derive(Debug)]
pub struct LogsSettings {
    /// The task, as typed (`-` reads it from stdin).
    pub id: String,
    /// After the history, follow the stream until the task finishes.
    pub follow: bool,
    /// Only the last this many lines.
    pub tail: Option<u64>,
    /// Only lines at or after this time.
    pub since: Option<Timestamp>,
    /// Give up following after this long.
    pub timeout: Option<Duration>,
    /// Only request failures count toward the exit code.
    pub exit_zero: bool,
    pub lines: LogLines,
}

/// How log lines are printed.
#[derive(Debug, Clone, Copy)]
pub struct LogLines {
    /// Each record as JSON, as sent, rather than its message.
    pub json: bool,
    /// `--jq`: each record through this filter instead.
    pub jq: Option<&'static Jq>,
    /// Each message after its time.
    pub timestamps: bool,
    /// Nothing on stdout.
    pub quiet: bool,
    /// Stdout is a terminal: messages cannot drive it, stderr lines are
    /// marked.
    pub terminal: bool,
    /// Colors on stdout: a task's own SGR colors pass (on a terminal).
    pub color: bool,
}

#[derive(Debug)]
pub struct WaitSettings {
    pub tasks: TaskSelection,
    pub output: OutputSettings,
    /// Only request failures count toward the exit code.
    pub exit_zero: bool,
    pub plan: WaitPlan,
    pub feedback: Feedback,
}

/// How to wait.
#[derive(Debug, Clone)]
pub struct WaitPlan {
    /// Give up after this long; `None` waits for ever.
    pub timeout: Option<Duration>,
    /// Poll at this fixed interval instead of the adaptive one.
    pub interval: Option<Duration>,
    /// Stop as soon as a task ends in a status other than COMPLETE.
    pub fail_fast: bool,
    /// Further tries of a task after transient failures in a row; one more
    /// failure ends the wait.
    pub retries: u32,
    /// Listen to each task's subscribe stream (the workspace API), and poll
    /// only where it is not there: unless `--poll` or `--interval`.
    pub listen: bool,
}

impl Settings {
    /// `-q`: nothing on stdout, and no notes on stderr (errors are still
    /// written).
    pub fn quiet(&self) -> bool {
        match &self.command {
            CommandSettings::Status(status) => status.output.quiet,
            CommandSettings::Wait(wait) => wait.output.quiet,
            CommandSettings::Cancel(cancel) => cancel.output.quiet,
            CommandSettings::List(list) => list.output.quiet,
            CommandSettings::Download(download) => download.quiet,
            CommandSettings::Logs(logs) => logs.lines.quiet,
            CommandSettings::Result(_) | CommandSettings::Completions(_) | CommandSettings::Man => {
                false
            }
        }
    }

    /// Builds the settings from the parsed arguments and the matches they
    /// came from (which tell whether the token came from `BEAM_TOKEN`).
    /// A `--jq` filter that does not compile is a usage error, before any
    /// request.
    pub fn from_cli(cli: Cli, matches: &ArgMatches) -> Result<Settings, Rejected> {
        let global = &cli.global;
        let time_scale = time_scale();
        let stderr_is_terminal = io::stderr().is_terminal();
        // A terminal that can be redrawn in place: the wait's live view,
        // the download's bars, the count of a long listing.
        let stderr_is_live = stderr_is_terminal && term::stderr_moves_the_cursor();
        let stderr_color = use_color(global.color, stderr_is_terminal);
        let stdout_color = use_color(global.color, io::stdout().is_terminal());
        let rejected = |failure| Rejected {
            failure,
            stderr_color,
        };
        let command = match cli.command {
            Command::Status(args) if !args.wait => CommandSettings::Status(StatusSettings {
                tasks: selection(&args.tasks),
                output: output_settings(&args.tasks, stdout_color).map_err(rejected)?,
                exit_zero: args.exit_zero,
                retries: args.retries.unwrap_or(REQUEST_RETRIES),
            }),
            // `status --wait` is `wait`.
            Command::Status(StatusArgs {
                tasks,
                wait_options,
                exit_zero,
                retries,
                ..
            })
            | Command::Wait(WaitArgs {
                tasks,
                wait_options,
                exit_zero,
                retries,
            }) => CommandSettings::Wait(WaitSettings {
                tasks: selection(&tasks),
                output: output_settings(&tasks, stdout_color).map_err(rejected)?,
                exit_zero,
                plan: WaitPlan {
                    timeout: wait_options.timeout,
                    interval: wait_options.interval,
                    fail_fast: wait_options.fail_fast,
                    retries: retries.unwrap_or(WAIT_RETRIES),
                    listen: !wait_options.poll && wait_options.interval.is_none(),
                },
                feedback: Feedback::choose(
                    tasks.quiet,
                    global.verbose,
                    stderr_is_live,
                    stderr_color,
                ),
            }),
            Command::Cancel(args) => CommandSettings::Cancel(CancelSettings {
                tasks: selection(&args.tasks),
                output: output_settings(&args.tasks, stdout_color).map_err(rejected)?,
                retries: args.retries,
                timeout: args.timeout,
                dry_run: args.dry_run,
            }),
            Command::List(args) => CommandSettings::List(list_settings(
                &args,
                jq(args.jq.as_deref()).map_err(rejected)?,
                stdout_color,
                stderr_is_live,
                Timestamp::now(),
                &TimeZone::system(),
            )),
            Command::Result(args) => CommandSettings::Result(ResultSettings {
                jq: jq(args.jq.as_deref()).map_err(rejected)?,
                id: args.id,
            }),
            Command::Download(args) => CommandSettings::Download(download_settings(
                jq(args.jq.as_deref()).map_err(rejected)?,
                args,
                global.verbose,
                stderr_is_live,
                stderr_color,
            )),
            Command::Logs(args) => CommandSettings::Logs(logs_settings(
                jq(args.jq.as_deref()).map_err(rejected)?,
                args,
                stdout_color,
                io::stdout().is_terminal(),
                Timestamp::now(),
                &TimeZone::system(),
            )),
            Command::Completions { shell } => CommandSettings::Completions(shell),
            Command::Man => CommandSettings::Man,
        };
        Ok(Settings {
            global: GlobalSettings {
                token: TokenInputs {
                    value: cli.global.token.as_deref().map(text),
                    from_env: token_came_from_env(matches),
                    context: cli.global.context.as_deref().map(text),
                    config_path: cli.global.config,
                },
                api_url: text(&cli.global.api_url),
                app_url_fits: given(matches, "app_url")
                    || !given(matches, "api_url")
                        && text(&cli.global.api_url) == cli::DEFAULT_API_URL,
                app_url: text(&cli.global.app_url),
                workspace: cli.global.workspace.as_deref().map(text),
                request_timeout: cli.global.request_timeout,
                verbose: cli.global.verbose,
                stderr_color,
                time_scale,
            },
            command,
        })
    }
}

/// Arguments clap took that still mean nothing (a `--jq` filter that does
/// not compile): a usage error, with how to show it.
#[derive(Debug)]
pub struct Rejected {
    pub failure: Failure,
    /// Whether `error:` on stderr is colored.
    pub stderr_color: bool,
}

/// `--jq`, compiled when given (a run without it compiles nothing). The
/// filter lives as long as the process, so that the output settings that
/// name it stay `Copy`.
fn jq(expression: Option<&str>) -> Result<Option<&'static Jq>, Failure> {
    expression
        .map(|expression| Ok(&*Box::leak(Box::new(Jq::compile(expression)?))))
        .transpose()
}

/// A value as text. One that is not UTF-8 is read lossily (with U+FFFD),
/// so that it fails where it is used (a token with non-ASCII characters,
/// a URL that is not one), and only there: a command that does not use
/// it is not stopped by it.
fn text(value: &OsStr) -> String {
    value.to_string_lossy().into_owned()
}

fn selection(args: &TaskArgs) -> TaskSelection {
    TaskSelection {
        ids: args.ids.clone(),
        jobs: usize::from(args.jobs),
    }
}

fn output_settings(args: &TaskArgs, stdout_color: bool) -> Result<OutputSettings, Failure> {
    let mode = if args.json || args.jq.is_some() {
        OutputMode::Json
    } else if args.raw {
        OutputMode::Raw
    } else {
        match args.output {
            OutputFormat::Table => OutputMode::Table,
            OutputFormat::Json => OutputMode::Json,
            OutputFormat::Raw => OutputMode::Raw,
        }
    };
    Ok(OutputSettings {
        mode,
        quiet: args.quiet,
        color: stdout_color && mode == OutputMode::Table,
        single: matches!(args.ids.as_slice(), [id] if id != "-"),
        jq: jq(args.jq.as_deref())?,
    })
}

fn download_settings(
    jq: Option<&'static Jq>,
    args: DownloadArgs,
    verbose: bool,
    stderr_is_live: bool,
    stderr_color: bool,
) -> DownloadSettings {
    DownloadSettings {
        per_task: !matches!(args.ids.as_slice(), [id] if id != "-"),
        tasks: TaskSelection {
            ids: args.ids,
            jobs: usize::from(args.jobs),
        },
        retries: args.retries,
        dir: args.dir.unwrap_or_default(),
        force: args.force,
        json: args.json || jq.is_some(),
        jq,
        quiet: args.quiet,
        feedback: Feedback::choose(args.quiet, verbose, stderr_is_live, stderr_color),
    }
}

fn list_settings(
    args: &ListArgs,
    jq: Option<&'static Jq>,
    stdout_color: bool,
    stderr_is_live: bool,
    now: Timestamp,
    zone: &TimeZone,
) -> ListSettings {
    let mut statuses: Vec<String> = Vec::new();
    for status in &args.statuses {
        // The server stores FAILED as ERROR, and fails on FAILED.
        let name = match status {
            TaskStatus::Failed => TaskStatus::Error.as_str(),
            other => other.as_str(),
        };
        if !statuses.iter().any(|s| s == name) {
            statuses.push(name.to_string());
        }
    }
    let mode = match (args.json || jq.is_some(), args.output) {
        (true, _) | (false, ListFormat::Json) => OutputMode::Json,
        (false, ListFormat::Table) => OutputMode::Table,
        (false, ListFormat::Ids) => OutputMode::Ids,
    };
    ListSettings {
        filter: ListFilter {
            statuses,
            stubs: args.stubs.clone(),
            created_from: args.since.map(|w| instant(w, Edge::Start, now, zone)),
            created_until: args.until.map(|w| instant(w, Edge::End, now, zone)),
        },
        limit: (!args.all).then_some(args.limit),
        output: OutputSettings {
            mode,
            quiet: args.quiet,
            color: stdout_color && mode == OutputMode::Table,
            single: false,
            jq,
        },
        show_count: args.all && stderr_is_live && !args.quiet,
    }
}

fn logs_settings(
    jq: Option<&'static Jq>,
    args: LogsArgs,
    stdout_color: bool,
    stdout_is_terminal: bool,
    now: Timestamp,
    zone: &TimeZone,
) -> LogsSettings {
    LogsSettings {
        id: args.id,
        follow: args.follow,
        tail: args.tail,
        since: args.since.map(|w| instant(w, Edge::Start, now, zone)),
        timeout: args.timeout,
        exit_zero: args.exit_zero,
        lines: LogLines {
            json: args.json || jq.is_some(),
            jq,
            timestamps: args.timestamps,
            quiet: args.quiet,
            terminal: stdout_is_terminal,
            color: stdout_color,
        },
    }
}

/// Which end of a day a date stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    Start,
    End,
}

/// The instant `when` names: a date is its first moment in the local time
/// zone for `--since`, its last (to the microsecond the server keeps) for
/// `--until`, so that the day is included.
fn instant(when: When, edge: Edge, now: Timestamp, zone: &TimeZone) -> Timestamp {
    match when {
        When::At(at) => at,
        When::Ago(ago) => now.checked_sub(ago).unwrap_or(Timestamp::MIN),
        When::Day(day) => {
            let start = |day: jiff::civil::Date| {
                day.to_zoned_datetime(zone.clone())
                    .map(|z| z.timestamp())
                    .unwrap_or(Timestamp::MIN)
            };
            match edge {
                Edge::Start => start(day),
                Edge::End => day.tomorrow().map_or(Timestamp::MAX, |next| {
                    start(next)
                        .checked_sub(SignedDuration::from_micros(1))
                        .unwrap_or(Timestamp::MIN)
                }),
            }
        }
    }
}

/// Color only on a terminal that is not dumb, unless forced; `NO_COLOR`
/// turns `auto` off.
fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal
                && !term::is_dumb()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Global options are read by the subcommand's matches as well.
fn token_came_from_env(matches: &ArgMatches) -> bool {
    let mut current = Some(matches);
    while let Some(m) = current {
        if let Some(source) = m.value_source("token") {
            return source == ValueSource::EnvVariable;
        }
        current = m.subcommand().map(|(_, sub)| sub);
    }
    false
}

/// Whether option `id` was given (on the command line or in its variable)
/// rather than left to its default; global options are read by the
/// subcommand's matches as well.
fn given(matches: &ArgMatches, id: &str) -> bool {
    let mut current = Some(matches);
    while let Some(m) = current {
        if m.value_source(id)
            .is_some_and(|source| source != ValueSource::DefaultValue)
        {
            return true;
        }
        current = m.subcommand().map(|(_, sub)| sub);
    }
    false
}

/// The scale of the process's clock (`clock.rs`): every wait the tool makes
/// takes this fraction of its time. Only the test suite sets
/// `BEAM_TASK_TIME_SCALE` (for example to 0.01) so that minutes take
/// moments; it is deliberately left out of `--help`.
fn time_scale() -> f64 {
    std::env::var("BEAM_TASK_TIME_SCALE")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v > 0.0 && *v <= 1.0)
        .unwrap_or(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_covers_the_whole_local_day() {
        let zone = TimeZone::get("Europe/Paris").unwrap();
        let now = Timestamp::now();
        let day = When::Day("2026-11-28".parse().unwrap());
        assert_eq!(
            instant(day, Edge::Start, now, &zone).to_string(),
            "2026-11-27T23:00:00Z"
        );
        assert_eq!(
            instant(day, Edge::End, now, &zone).to_string(),
            "2026-11-28T22:59:59.999999Z"
        );
    }

    #[test]
    fn a_duration_counts_back_from_now() {
        let now: Timestamp = "2026-11-29T12:00:00Z".parse().unwrap();
        let when = When::Ago(SignedDuration::from_hours(6));
        assert_eq!(
            instant(when, Edge::Start, now, &TimeZone::UTC).to_string(),
            "2026-11-29T06:00:00Z"
        );
    }
}
