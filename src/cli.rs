//! The command line, as clap types, and the one `clap::Command` made of
//! them ([`command`]). Nothing here does any other work.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::api::task::{self, TaskStatus};
use crate::exit_codes::{HelpTable, help};

pub const LOGS_EXIT_CODES_HELP: &str = "\
Exit codes (the task's status, as for `status`, read after its lines):
    0  the task is COMPLETE
    2  usage error, including an invalid task ID
    8  the task has not finished (PENDING, RUNNING, RETRY; without -f)
   10  FAILED, or ERROR
   11  CANCELLED
   12  TIMEOUT
   13  EXPIRED
   14  a status this version does not know
   66  task not found (HTTP 404)
   69  API unreachable or failing, after the retries; or a server that keeps no
       logs (HTTP 503 \"Log reads are not configured\"), at once
   74  stdout could not be written: disk full, stdout closed (not a closed pipe)
   76  response not understood
   77  token refused (HTTP 401 or 403), or it cannot see the --workspace
   78  configuration error
  124  -f: --timeout passed before the task finished
  130  -f: interrupted (Ctrl-C; the process ends by SIGINT, read as 130)

--exit-zero turns the status codes (8 to 14, 124) into 0.";

/// Beam's task API: `--api-url`'s default.
pub const DEFAULT_API_URL: &str = "https://api.beam.cloud";

/// Check on Beam tasks from the command line.
#[derive(Debug, Parser)]
#[command(name = "beam-task", version, about)]
pub struct Cli {
    #[command(flatten, next_help_heading = "Global options")]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// The command line as it runs: [`Cli`]'s definition, each command's usage
/// line fixed to its general form, `beam-task status [OPTIONS] <ID>...`.
/// Otherwise clap writes, after an error, a usage line made of the
/// arguments it was given, the environment's included, as if they were
/// required (`beam-task status --json --token <TOKEN> --api-url <URL>
/// <ID>...`); and the man page's synopsis, which takes this line, would
/// name each option without its value and `<ID>` without its `...`.
pub fn command() -> clap::Command {
    // Usage lines are rendered by a built copy (built, a command has its
    // `help` subcommand and its global options in every subcommand).
    let mut built = Cli::command();
    built.build();
    let usage = |command: &mut clap::Command| {
        let usage = command.render_usage().to_string();
        let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
        usage.trim().to_string()
    };
    let top = usage(&mut built);
    let mut cli = Cli::command().override_usage(top);
    for sub in built.get_subcommands_mut() {
        let name = sub.get_name().to_string();
        if cli.find_subcommand(&name).is_some() {
            let usage = usage(sub);
            cli = cli.mut_subcommand(name, |sub| sub.override_usage(usage));
        }
    }
    cli
}

/// [`command`] with the exit-code table of each command at the end of its
/// long help (`--help`, the man page). The tables are made from
/// [`ExitCode`](crate::exit_codes::ExitCode) when a help is shown, not on
/// every start: made three times a run, they were a quarter of its start.
pub fn command_with_help() -> clap::Command {
    let table = |name: &str| match name {
        "status" | "wait" => Some(HelpTable::General),
        "cancel" => Some(HelpTable::Cancel),
        "list" => Some(HelpTable::List),
        "result" => Some(HelpTable::Result),
        "download" => Some(HelpTable::Download),
        _ => None,
    };
    command()
        .after_long_help(help(HelpTable::General))
        .mut_subcommands(|sub| match table(sub.get_name()) {
            Some(table) => sub.after_long_help(help(table)),
            None => sub,
        })
}

/// The environment variables that options read (`BEAM_TOKEN`, …), once
/// each: `main` treats one set but empty as unset.
pub fn env_variables(command: &clap::Command) -> Vec<OsString> {
    fn gather(command: &clap::Command, names: &mut Vec<OsString>) {
        for name in command.get_arguments().filter_map(clap::Arg::get_env) {
            if !names.iter().any(|known| known == name) {
                names.push(name.to_os_string());
            }
        }
        for sub in command.get_subcommands() {
            gather(sub, names);
        }
    }
    let mut names = Vec::new();
    gather(command, &mut names);
    names
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the status of one or more tasks
    Status(StatusArgs),
    /// Wait until tasks finish, then show their status
    Wait(WaitArgs),
    /// Cancel tasks, then read them until they show as stopped
    Cancel(CancelArgs),
    /// List the workspace's tasks, newest first
    List(ListArgs),
    /// Print what a task returned, as JSON
    Result(ResultArgs),
    /// Save the output files of finished tasks
    Download(DownloadArgs),
    /// Print a task's output lines; with -f, until the task ends
    #[command(after_long_help = LOGS_EXIT_CODES_HELP)]
    Logs(LogsArgs),
    /// Print the completion script for a shell
    Completions {
        /// The shell to complete in
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
}

/// Options that every subcommand takes. Its `Debug` hides the token. Help
/// names each option's variable, never its value: `[env: BEAM_API_URL]`
/// (clap would print `[env: BEAM_API_URL=]` while it is unset, and the
/// value, a path or a workspace, into help text pasted in a bug report).
#[derive(Args)]
pub struct GlobalArgs {
    /// API token [default: the token in the config file]
    #[arg(
        long,
        env = "BEAM_TOKEN",
        global = true,
        hide_env_values = true,
        allow_hyphen_values = true,
        value_parser = clap::value_parser!(OsString)
    )]
    pub token: Option<OsString>,

    /// Config-file context (section) to take the token from [default: default]
    #[arg(
        long,
        env = "BEAM_CONFIG_CONTEXT",
        global = true,
        hide_env_values = true,
        value_name = "NAME",
        value_parser = clap::value_parser!(OsString)
    )]
    pub context: Option<OsString>,

    /// Config file [default: ~/.beam/config.ini]
    #[arg(
        long,
        env = "BEAM_CONFIG_PATH",
        global = true,
        hide_env_values = true,
        value_name = "PATH"
    )]
    pub config: Option<PathBuf>,

    /// Base URL of Beam's API
    #[arg(
        long,
        env = "BEAM_API_URL",
        global = true,
        hide_env_values = true,
        value_name = "URL",
        default_value = DEFAULT_API_URL,
        value_parser = clap::value_parser!(OsString)
    )]
    pub api_url: OsString,

    /// Base URL of Beam's workspace API (list, result)
    #[arg(
        long,
        env = "BEAM_APP_URL",
        global = true,
        hide_env_values = true,
        value_name = "URL",
        default_value = "https://app.beam.cloud",
        value_parser = clap::value_parser!(OsString)
    )]
    pub app_url: OsString,

    /// Workspace to list and read tasks in [default: the token's own]
    #[arg(
        long,
        env = "BEAM_WORKSPACE",
        global = true,
        hide_env_values = true,
        value_name = "ID",
        value_parser = clap::value_parser!(OsString)
    )]
    pub workspace: Option<OsString>,

    /// When to color the output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print each request and response line on stderr (the token as ***)
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Bound on each whole request, connection included (e.g. 30s, 2m); on
    /// a download, on the wait for the answer and each silence in the file
    #[arg(long, global = true, default_value = "30s", value_parser = parse_duration, value_name = "DURATION")]
    pub request_timeout: Duration,
}

impl fmt::Debug for GlobalArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GlobalArgs")
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("context", &self.context)
            .field("config", &self.config)
            .field("api_url", &self.api_url)
            .field("app_url", &self.app_url)
            .field("workspace", &self.workspace)
            .field("color", &self.color)
            .field("verbose", &self.verbose)
            .field("request_timeout", &self.request_timeout)
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A card for one task, a table for several
    Table,
    /// The task object as JSON (an array for several tasks)
    Json,
    /// Each response body exactly as received, one per line
    Raw,
}

/// Which tasks, and how to show them.
#[derive(Debug, Args)]
pub struct TaskArgs {
    /// Task IDs; "-" reads whitespace-separated IDs from stdin
    #[arg(required = true, value_name = "ID", value_parser = parse_task_id_arg)]
    pub ids: Vec<String>,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Table, value_name = "FORMAT")]
    pub output: OutputFormat,

    /// Shorthand for --output json
    #[arg(long, conflicts_with_all = ["output", "raw"])]
    pub json: bool,

    /// Shorthand for --output raw
    #[arg(long, conflicts_with_all = ["output", "json"])]
    pub raw: bool,

    /// Run a jq filter on each task and print its results, one a line:
    /// strings raw, anything else as compact JSON (implies --json)
    #[arg(long, value_name = "EXPR", conflicts_with_all = ["output", "raw"])]
    pub jq: Option<String>,

    /// Print nothing on stdout; the exit code says it all
    #[arg(short, long)]
    pub quiet: bool,

    /// How many tasks to fetch at once
    #[arg(short, long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
}

/// How long and how to wait for tasks to finish.
#[derive(Debug, Clone, Args)]
pub struct WaitOptions {
    /// Give up after this long (e.g. 90s, 10m, 2h, 1h30m) [default: no limit]
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Option<Duration>,

    /// Poll at this fixed interval instead of the adaptive one (1 s growing
    /// to 10 s); at least 100ms
    #[arg(long, value_parser = parse_interval, value_name = "DURATION")]
    pub interval: Option<Duration>,

    /// Stop as soon as any task ends in a non-COMPLETE status
    #[arg(long)]
    pub fail_fast: bool,

    /// Poll the task API instead of listening to each task's subscribe
    /// stream (--interval polls too)
    #[arg(long)]
    pub poll: bool,
}

// The wait options mean nothing to a one-shot check: on `status` they need
// `--wait` (a usage error otherwise).
#[derive(Debug, Args)]
#[command(mut_group("WaitOptions", |group| group.requires("wait")))]
pub struct StatusArgs {
    #[command(flatten)]
    pub tasks: TaskArgs,

    /// Exit 0 whenever every task was fetched, whatever its status
    #[arg(long)]
    pub exit_zero: bool,

    /// Further tries for each request after a connection error, a timeout,
    /// 429, 500, 502, 503 or 504 [default: 3; with --wait: 10 in a row for
    /// each task, as for `beam-task wait`]
    #[arg(long, value_name = "N")]
    pub retries: Option<u32>,

    /// Wait until every task finishes, like `beam-task wait`
    #[arg(long)]
    pub wait: bool,

    #[command(flatten, next_help_heading = "Options with --wait")]
    pub wait_options: WaitOptions,
}

#[derive(Debug, Args)]
pub struct WaitArgs {
    #[command(flatten)]
    pub tasks: TaskArgs,

    /// Exit 0 whenever every task was fetched, whatever its status
    #[arg(long)]
    pub exit_zero: bool,

    /// Further tries of a task after transient failures in a row (a
    /// connection error, a timeout, 429, 5xx), 0.5 s, 1 s, 2 s, ... up to
    /// 30 s apart: the default rides out an outage of 2 minutes or more
    /// [default: 10]
    #[arg(long, value_name = "N")]
    pub retries: Option<u32>,

    #[command(flatten)]
    pub wait_options: WaitOptions,
}

/// `beam-task cancel`.
#[derive(Debug, Args)]
pub struct CancelArgs {
    #[command(flatten)]
    pub tasks: TaskArgs,

    /// Further tries for each request after a connection error, a timeout,
    /// 429, 500, 502, 503 or 504
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub retries: u32,

    /// How long to keep reading tasks that still run after the cancel
    #[arg(long, default_value = "10s", value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Duration,

    /// Read the tasks and show which would be cancelled; cancel nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// `beam-task list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only tasks with this status (repeat it, or separate with commas)
    #[arg(long = "status", value_name = "STATUS", value_delimiter = ',', value_parser = parse_status)]
    pub statuses: Vec<TaskStatus>,

    /// Only tasks of this stub (repeat it, or separate with commas)
    #[arg(long = "stub", value_name = "NAME", value_delimiter = ',')]
    pub stubs: Vec<String>,

    /// Only tasks created at or after WHEN: a duration back from now (90m,
    /// 6h, 7d), an RFC 3339 time, or a local date (2026-11-28: from its
    /// start)
    #[arg(long, value_name = "WHEN", value_parser = parse_when)]
    pub since: Option<When>,

    /// Only tasks created at or before WHEN, as for --since (a date: to its
    /// end)
    #[arg(long, value_name = "WHEN", value_parser = parse_when)]
    pub until: Option<When>,

    /// How many tasks to list, newest first
    #[arg(long, default_value_t = 50, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: u64,

    /// List every matching task
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = ListFormat::Table, value_name = "FORMAT")]
    pub output: ListFormat,

    /// Shorthand for --output json
    #[arg(long, conflicts_with = "output")]
    pub json: bool,

    /// Run a jq filter on each task and print its results, one a line:
    /// strings raw, anything else as compact JSON (implies --json)
    #[arg(long, value_name = "EXPR", conflicts_with = "output")]
    pub jq: Option<String>,

    /// Print nothing on stdout; the exit code says it all
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// One row per task
    Table,
    /// An array of the task objects as the API sent them
    Json,
    /// One task ID per line, for `status -`, `wait -` and `cancel -`
    Ids,
}

/// `beam-task result`.
#[derive(Debug, Args)]
pub struct ResultArgs {
    /// The task's ID; "-" reads it from stdin
    #[arg(value_name = "ID", value_parser = parse_task_id_arg)]
    pub id: String,

    /// Run a jq filter on the result and print its results, one a line:
    /// strings raw, anything else as compact JSON
    #[arg(long, value_name = "EXPR")]
    pub jq: Option<String>,
}

/// `beam-task download`.
#[derive(Debug, Args)]
pub struct DownloadArgs {
    /// Task IDs; "-" reads whitespace-separated IDs from stdin
    #[arg(required = true, value_name = "ID", value_parser = parse_task_id_arg)]
    pub ids: Vec<String>,

    /// Folder to save into, created if missing [default: the current
    /// folder]; with several tasks (or IDs from stdin), a subfolder per task
    #[arg(short = 'd', long = "dir", value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Replace files that already exist (a symbolic link is replaced
    /// itself, never followed)
    #[arg(long)]
    pub force: bool,

    /// Print the files as a JSON array of {"task", "name", "path", "bytes",
    /// "saved"} instead of one path a line
    #[arg(long)]
    pub json: bool,

    /// Run a jq filter on each file's {"task", "name", "path", "bytes",
    /// "saved"} and print its results, one a line: strings raw, anything
    /// else as compact JSON (implies --json)
    #[arg(long, value_name = "EXPR")]
    pub jq: Option<String>,

    /// Print nothing on stdout, and no progress or notes on stderr; the exit
    /// code says it all
    #[arg(short, long)]
    pub quiet: bool,

    /// How many files to download (and tasks to read) at once
    #[arg(short, long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,

    /// Further tries for each request after a connection error, a timeout,
    /// a body cut short, 429, 500, 502, 503 or 504
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub retries: u32,
}

/// `beam-task logs`.
#[derive(Debug, Args)]
pub struct LogsArgs {
    /// The task's ID; "-" reads it from stdin
    #[arg(value_name = "ID", value_parser = parse_task_id_arg)]
    pub id: String,

    /// After the lines so far, print new ones as they come, until the task
    /// finishes (then its last lines, and its exit code)
    #[arg(short, long)]
    pub follow: bool,

    /// Only the last N lines (0: none; with -f, only new ones)
    #[arg(long, value_name = "N")]
    pub tail: Option<u64>,

    /// Only lines written at or after WHEN: a duration back from now (10m,
    /// 6h, 7d), an RFC 3339 time, or a local date (from its start)
    #[arg(long, value_name = "WHEN", value_parser = parse_when)]
    pub since: Option<When>,

    /// Begin each line with its time (RFC 3339, UTC) and a space
    #[arg(long, conflicts_with = "json")]
    pub timestamps: bool,

    /// One log record per line, as JSON, as the API sent it (for jq -c)
    #[arg(long)]
    pub json: bool,

    /// Run a jq filter on each log record and print its results, one a
    /// line: strings raw, anything else as compact JSON (implies --json)
    #[arg(long, value_name = "EXPR", conflicts_with = "timestamps")]
    pub jq: Option<String>,

    /// With -f: give up after this long (e.g. 90s, 10m, 2h; exit 124)
    /// [default: no limit]
    #[arg(long, requires = "follow", value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Option<Duration>,

    /// Exit 0 whenever the lines were read, whatever the task's status
    #[arg(long)]
    pub exit_zero: bool,

    /// Print nothing on stdout; the exit code says it all
    #[arg(short, long)]
    pub quiet: bool,
}

/// A point in time as typed, resolved against the clock and the time zone
/// by the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// This long before now.
    Ago(jiff::SignedDuration),
    At(jiff::Timestamp),
    /// A calendar day in the local time zone.
    Day(jiff::civil::Date),
}

/// `90m`, `6h`, `7d`, `1h30m`; an RFC 3339 time; or a date.
fn parse_when(text: &str) -> Result<When, String> {
    if let Ok(at) = text.parse::<jiff::Timestamp>() {
        return Ok(When::At(at));
    }
    if let Ok(day) = text.parse::<jiff::civil::Date>() {
        return Ok(When::Day(day));
    }
    let ago = text
        .parse::<jiff::Span>()
        .ok()
        .and_then(|span| {
            span.to_duration(jiff::SpanRelativeTo::days_are_24_hours())
                .ok()
        })
        .filter(|d| {
            d.is_positive()
                && *d <= jiff::SignedDuration::try_from(MAX_DURATION).unwrap_or_default()
        });
    ago.map(When::Ago).ok_or_else(|| {
        "expected a duration back from now (90m, 6h, 7d), an RFC 3339 time \
         (2026-11-28T09:00:00Z) or a date (2026-11-28)"
            .to_string()
    })
}

/// A status word for `--status`, in any case. Only the nine statuses the
/// API knows are taken: the server fails on anything else.
fn parse_status(text: &str) -> Result<TaskStatus, String> {
    let upper = text.trim().to_ascii_uppercase();
    TaskStatus::KNOWN
        .into_iter()
        .find(|status| status.as_str() == upper)
        .ok_or_else(|| {
            let names: Vec<&str> = TaskStatus::KNOWN.iter().map(TaskStatus::as_str).collect();
            format!("expected one of {}", names.join(", "))
        })
}

fn parse_task_id_arg(id: &str) -> Result<String, String> {
    if id == "-" || task::is_valid_task_id(id) {
        Ok(id.to_string())
    } else {
        Err(task::TASK_ID_RULE.to_string())
    }
}

/// The longest duration an option takes. Far beyond any wait or timeout
/// anyone means, and small enough that adding it to `Instant::now()` can
/// never overflow (a huge `--request-timeout` used to panic).
const MAX_DURATION: Duration = Duration::from_secs(366 * 24 * 60 * 60);

/// The shortest `--interval`: polling faster would only load the API.
const MIN_INTERVAL: Duration = Duration::from_millis(100);

/// `--interval`: a duration of at least 100 ms.
fn parse_interval(text: &str) -> Result<Duration, String> {
    let interval = parse_duration(text)?;
    if interval < MIN_INTERVAL {
        return Err("the interval must be at least 100ms".to_string());
    }
    Ok(interval)
}

/// Parses a duration such as `90s`, `10m`, `2h` or `1h30m`: more than zero,
/// at most 366 days.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let signed: jiff::SignedDuration = text
        .parse()
        .map_err(|_| "expected a duration such as 90s, 10m, 2h or 1h30m".to_string())?;
    let duration = Duration::try_from(signed)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| "the duration must be more than zero".to_string())?;
    if duration > MAX_DURATION {
        return Err("the duration must be at most 366 days (8784h)".to_string());
    }
    Ok(duration)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("beam-task").chain(args.iter().copied()))
    }

    #[test]
    fn wait_options_on_status_need_wait() {
        for option in [
            &["--timeout", "5s"][..],
            &["--interval", "2s"],
            &["--fail-fast"],
        ] {
            let mut args = vec!["status", "abc"];
            args.extend_from_slice(option);
            let err = parse(&args).unwrap_err();
            assert_eq!(
                err.kind(),
                clap::error::ErrorKind::MissingRequiredArgument,
                "{option:?}"
            );
            assert!(err.to_string().contains("--wait"), "{err}");
            args.push("--wait");
            assert!(parse(&args).is_ok(), "{args:?}");
        }
    }

    #[test]
    fn wait_takes_the_wait_options_alone() {
        let cli = parse(&[
            "wait",
            "abc",
            "--timeout",
            "1h30m",
            "--interval",
            "250ms",
            "--fail-fast",
        ])
        .unwrap();
        let Command::Wait(args) = cli.command else {
            panic!("not wait: {cli:?}")
        };
        assert_eq!(args.wait_options.timeout, Some(Duration::from_secs(5400)));
        assert_eq!(args.wait_options.interval, Some(Duration::from_millis(250)));
        assert!(args.wait_options.fail_fast);
    }

    #[test]
    fn debug_of_the_arguments_hides_the_token() {
        let cli =
            Cli::try_parse_from(["beam-task", "--token", "s3cret-value", "status", "abc"]).unwrap();
        let shown = format!("{cli:?}");
        assert!(!shown.contains("s3cret-value"), "{shown}");
        assert!(shown.contains("token: Some(\"***\")"), "{shown}");
    }

    #[test]
    fn task_ids() {
        for ok in [
            "a",
            "07ce4078-bccc-4a42-b530-5f2653484a6a",
            "A_b-9",
            &"x".repeat(128),
        ] {
            assert!(task::is_valid_task_id(ok), "{ok}");
        }
        for bad in [
            "",
            "..",
            "a/b",
            "?x",
            "a b",
            "é",
            "a.b",
            "%2e",
            &"x".repeat(129),
        ] {
            assert!(!task::is_valid_task_id(bad), "{bad}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("-5s").is_err());
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn durations_stop_at_366_days() {
        assert_eq!(parse_duration("8784h"), Ok(MAX_DURATION));
        assert_eq!(
            parse_duration("8784h 1ns"),
            Err("the duration must be at most 366 days (8784h)".to_string())
        );
        assert_eq!(
            parse_duration("9223372036854775807s"),
            Err("the duration must be at most 366 days (8784h)".to_string())
        );
    }

    #[test]
    fn a_huge_request_timeout_is_a_usage_error() {
        let err = parse(&["--request-timeout", "9223372036854775807s", "status", "x"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation);
        assert!(err.to_string().contains("at most 366 days"), "{err}");
    }
}
