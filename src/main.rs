//! beam-task: check on Beam tasks from the command line.
//!
//! `main` parses the arguments, turns them into settings once, runs the
//! command and maps whatever ended it to the exit code, in one place. See
//! ARCHITECTURE.md for the rooms and the flow.

mod api;
mod cli;
mod clock;
mod commands;
mod config;
mod exit_codes;
mod failure;
mod generate;
mod log;
mod net;
mod output;
mod term;
mod text;

use std::io;
use std::panic;
use std::process;

use anyhow::Result;
use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};

use crate::cli::Cli;
use crate::commands::session::Session;
use crate::config::settings::{CommandSettings, Settings};
use crate::exit_codes::ExitCode;
use crate::output::report::Reporter;

fn main() -> process::ExitCode {
    // A variable set but empty counts as unset (CI templates set them
    // empty): its option takes its default, and help shows it as unset.
    // clap reads a variable's value when its argument is defined: the
    // command to parse is built after.
    for name in cli::env_variables(&Cli::command()) {
        if std::env::var_os(&name).is_some_and(|value| value.is_empty()) {
            // SAFETY: nothing else runs yet: no thread has been started.
            unsafe { std::env::remove_var(&name) };
        }
    }
    let parsed = cli::command()
        .try_get_matches()
        .or_else(|e| match e.kind() {
            // Help is rendered by a command that has its exit-code tables.
            ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                cli::command_with_help().try_get_matches()
            }
            _ => Err(e),
        })
        .and_then(|matches| Ok((Cli::from_arg_matches(&matches)?, matches)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => return clap_exit(&e),
    };
    let settings = match Settings::from_cli(cli, &matches) {
        Ok(settings) => settings,
        Err(rejected) => {
            let err = anyhow::Error::from(rejected.failure);
            Reporter::new(rejected.stderr_color).report(&err);
            return output::report::exit_code(&err).into();
        }
    };
    // One clock and one logger for the process, set before anything waits
    // or asks.
    clock::set_scale(settings.global.time_scale);
    log::set_verbose(settings.global.verbose);
    let mut reporter = Reporter::new(settings.global.stderr_color);
    if settings.quiet() {
        reporter = reporter.without_notes();
    }

    panic::set_hook(Box::new(|info| {
        output::report::report_panic(info, &mut io::stderr().lock())
    }));
    let code = match panic::catch_unwind(|| run(&settings, &reporter)) {
        Ok(Ok(code)) => code,
        Ok(Err(err)) => {
            reporter.report(&err);
            output::report::exit_code(&err)
        }
        Err(_) => ExitCode::Internal,
    };
    if code == ExitCode::Interrupted {
        // The view is clean: end by the signal, as shells expect.
        term::signals::end_by_caught_signal();
    }
    code.into()
}

/// What clap has to say instead of a run: `--help` and `--version` on
/// stdout (exit 0, or 74 when stdout cannot take them), a usage error on
/// stderr (exit 2).
fn clap_exit(e: &clap::Error) -> process::ExitCode {
    if e.use_stderr() {
        let _ = e.print();
        return process::ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
    }
    match output::write_with(|| e.print()) {
        Ok(_) => ExitCode::Success.into(),
        Err(failure) => {
            let err = anyhow::Error::from(failure);
            Reporter::new(false).report(&err);
            output::report::exit_code(&err).into()
        }
    }
}

fn run(settings: &Settings, reporter: &Reporter) -> Result<ExitCode> {
    let session = &Session::new(&settings.global);
    match &settings.command {
        CommandSettings::Status(status) => commands::status::run(session, status, reporter),
        CommandSettings::Wait(wait) => commands::wait::run(session, wait, reporter),
        CommandSettings::Cancel(cancel) => commands::cancel::run(session, cancel, reporter),
        CommandSettings::List(list) => commands::list::run(session, list, reporter),
        CommandSettings::Result(result) => commands::result::run(session, result),
        CommandSettings::Download(download) => commands::download::run(session, download, reporter),
        CommandSettings::Logs(logs) => commands::logs::run(session, logs, reporter),
        CommandSettings::Completions(shell) => {
            output::print(&generate::completion_script(*shell))?;
            Ok(ExitCode::Success)
        }
        CommandSettings::Man => {
            output::print(&generate::man_page()?)?;
            Ok(ExitCode::Success)
        }
    }
}
