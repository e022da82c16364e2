//! beam-task: check on Beam tasks from the command line.

mod cli;
mod client;
mod config;
mod exit_codes;
mod failure;
mod generate;
mod ini;
mod progress;
mod proxy;
mod render;
mod status;
mod task;
mod text;
mod tls;
mod wait;

use std::io::{self, IsTerminal};
use std::panic;
use std::process;

use anyhow::Result;
use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, ColorChoice, Command, GlobalArgs, TaskArgs, WaitOptions};
use crate::client::{Client, ClientOptions};
use crate::exit_codes::ExitCode;
use crate::progress::Feedback;
use crate::status::Presentation;
use crate::wait::WaitPlan;

fn main() -> process::ExitCode {
    let matches = Cli::command().get_matches();
    let mut cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    cli.global.token_is_from_env = token_came_from_env(&matches);
    failure::color_errors(use_color(cli.global.color, io::stderr().is_terminal()));

    panic::set_hook(Box::new(|info| {
        failure::report_panic(info, &mut io::stderr().lock())
    }));
    let code = match panic::catch_unwind(|| run(cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(err)) => {
            failure::report(&err);
            failure::exit_code(&err)
        }
        Err(_) => ExitCode::Internal,
    };
    code.into()
}

fn run(cli: Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Status(args) if args.wait => wait(&cli.global, &args.tasks, &args.wait_options),
        Command::Status(args) => status(&cli.global, &args.tasks, args.retries),
        Command::Wait(args) => wait(&cli.global, &args.tasks, &args.wait_options),
        Command::Completions { shell } => print(&generate::completion_script(*shell)),
        Command::Man => print(&generate::man_page()?),
    }
}

fn print(bytes: &[u8]) -> Result<ExitCode> {
    status::write_stdout(bytes)?;
    Ok(ExitCode::Success)
}

fn status(global: &GlobalArgs, args: &TaskArgs, retries: u32) -> Result<ExitCode> {
    let (ids, client) = connect(global, args, retries)?;
    let jobs = usize::from(args.jobs);
    status::run_status(&client, &ids, jobs, presentation(global, args))
}

fn wait(global: &GlobalArgs, args: &TaskArgs, options: &WaitOptions) -> Result<ExitCode> {
    // Each poll is one request: the wait loop owns the retries.
    let (ids, client) = connect(global, args, 0)?;
    let plan = WaitPlan {
        timeout: options.timeout,
        interval: options.interval,
        fail_fast: options.fail_fast,
        jobs: usize::from(args.jobs),
        time_scale: client.time_scale(),
    };
    let stderr_is_terminal = io::stderr().is_terminal();
    let feedback = Feedback::choose(
        args.quiet,
        global.verbose,
        stderr_is_terminal,
        failure::errors_colored(),
    );
    wait::run_wait(client, &ids, &plan, feedback, presentation(global, args))
}

/// The task IDs (checked first), then the client.
fn connect(global: &GlobalArgs, args: &TaskArgs, retries: u32) -> Result<(Vec<String>, Client)> {
    let ids = status::collect_ids(&args.ids, io::stdin().lock())?;
    let settings = config::resolve(global)?;
    let client = Client::new(settings, client_options(global, args, retries));
    Ok((ids, client))
}

fn client_options(global: &GlobalArgs, args: &TaskArgs, retries: u32) -> ClientOptions {
    ClientOptions {
        parallel: usize::from(args.jobs),
        retries,
        request_timeout: global.request_timeout,
        verbose: global.verbose,
        time_scale: config::time_scale(),
    }
}

fn presentation(global: &GlobalArgs, args: &TaskArgs) -> Presentation {
    Presentation {
        mode: args.output_mode(),
        quiet: args.quiet,
        color: use_color(global.color, io::stdout().is_terminal()),
        exit_zero: args.exit_zero,
        single: matches!(args.ids.as_slice(), [id] if id != "-"),
    }
}

/// Color only on a terminal, unless forced; `NO_COLOR` turns `auto` off.
fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Global options are read by the subcommand's matches as well.
fn token_came_from_env(matches: &clap::ArgMatches) -> bool {
    let mut current = Some(matches);
    while let Some(m) = current {
        if let Some(source) = m.value_source("token") {
            return source == ValueSource::EnvVariable;
        }
        current = m.subcommand().map(|(_, sub)| sub);
    }
    false
}
