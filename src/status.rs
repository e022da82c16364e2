//! `beam-task status`: fetch tasks once, show them, and say how they are.

use std::collections::HashSet;
use std::io::{self, Read, Write};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use anyhow::{Context, Result};
use jiff::Timestamp;

use crate::cli::{self, OutputMode};
use crate::client::Client;
use crate::exit_codes::{self, ExitCode};
use crate::failure::{self, Failure};
use crate::render::{self, RenderContext};
use crate::task::Task;

/// How the final result is shown.
#[derive(Debug, Clone, Copy)]
pub struct Presentation {
    pub mode: OutputMode,
    pub quiet: bool,
    pub color: bool,
    pub exit_zero: bool,
    /// One task ID was given (not `-`): a card and a JSON object. The
    /// shape follows what was typed, never the data: IDs from stdin, or two
    /// arguments that are the same ID, still give a table and an array.
    pub single: bool,
}

/// The IDs to fetch, in order, once each: `-` is replaced by the IDs read
/// from stdin, separated by ASCII white space. Stdin is read as bytes, so
/// that a word that is not UTF-8 is a bad ID like any other.
pub fn collect_ids(args: &[String], stdin: impl Read) -> Result<Vec<String>, Failure> {
    let mut stdin = Some(stdin);
    let mut ids = Vec::new();
    for arg in args {
        if arg != "-" {
            ids.push(arg.clone());
            continue;
        }
        let Some(mut reader) = stdin.take() else {
            continue;
        };
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::Usage(format!("cannot read task IDs from stdin: {e}")))?;
        for word in bytes
            .split(u8::is_ascii_whitespace)
            .filter(|word| !word.is_empty())
        {
            ids.push(id_from_stdin(word)?);
        }
    }
    if ids.is_empty() {
        return Err(Failure::Usage(
            "no task IDs were given (stdin was empty)".into(),
        ));
    }
    let mut seen = HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    Ok(ids)
}

/// The longest part of a bad word that an error message shows: an ID is at
/// most 128 characters, and a binary file sent by mistake should not flood
/// the terminal.
const SHOWN_WORD_CHARS: usize = 140;

fn id_from_stdin(word: &[u8]) -> Result<String, Failure> {
    match std::str::from_utf8(word) {
        Ok(id) if cli::is_valid_task_id(id) => Ok(id.to_string()),
        _ => {
            let lossy = String::from_utf8_lossy(word);
            let mut shown: String = lossy.chars().take(SHOWN_WORD_CHARS).collect();
            if shown.len() < lossy.len() {
                shown.push_str("...");
            }
            // `{:?}` escapes control characters: a terminal escape on stdin
            // is shown, not played.
            Err(Failure::Usage(format!(
                "invalid task ID {shown:?} on stdin: {}",
                cli::TASK_ID_RULE
            )))
        }
    }
}

/// Fetches and parses every task, `jobs` at a time, on the one client.
/// Results come back in the order of `ids`.
fn fetch_all(client: &Client, ids: &[String], jobs: usize) -> Vec<Result<Task, Failure>> {
    let fetch = |id: &str| client.fetch(id).and_then(Task::parse);
    let fetch = &fetch;
    let workers = jobs.clamp(1, ids.len().max(1));
    if workers == 1 {
        return ids.iter().map(|id| fetch(id)).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<OnceLock<Result<Task, Failure>>> = ids.iter().map(|_| OnceLock::new()).collect();
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(id) = ids.get(i) else { break };
                    let _ = slots[i].set(fetch(id));
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .expect("every ID is fetched by some worker")
        })
        .collect()
}

/// Shows the result: failures on stderr, tasks on stdout; returns the exit
/// code.
pub fn present(
    ids: &[String],
    results: &[Result<Task, Failure>],
    presentation: Presentation,
    unfinished: ExitCode,
) -> Result<ExitCode> {
    for (id, result) in ids.iter().zip(results) {
        if let Err(failure) = result {
            failure::report_task(id, failure);
        }
    }
    if !presentation.quiet {
        let tasks: Vec<(&str, &Task)> = ids
            .iter()
            .zip(results)
            .filter_map(|(id, result)| Some((id.as_str(), result.as_ref().ok()?)))
            .collect();
        if !tasks.is_empty() {
            let context = RenderContext {
                color: presentation.color && presentation.mode == OutputMode::Table,
                now: Timestamp::now(),
                single: presentation.single,
            };
            write_stdout(&render::render(presentation.mode, &tasks, &context))?;
        }
    }
    Ok(exit_codes::outcome(
        results,
        unfinished,
        presentation.exit_zero,
    ))
}

/// `beam-task status`.
pub fn run_status(
    client: &Client,
    ids: &[String],
    jobs: usize,
    presentation: Presentation,
) -> Result<ExitCode> {
    let results = fetch_all(client, ids, jobs);
    present(ids, &results, presentation, ExitCode::NotFinished)
}

/// Writes to stdout. A closed pipe (`| head -1`) is not an error: the
/// reader has all it wanted.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e).context("cannot write to stdout"),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(args: &[&str], stdin: impl AsRef<[u8]>) -> Result<Vec<String>, Failure> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        collect_ids(&args, stdin.as_ref())
    }

    #[test]
    fn duplicates_are_fetched_once_in_first_order() {
        assert_eq!(
            ids(&["b", "a", "b", "c", "a"], "").unwrap(),
            ["b", "a", "c"]
        );
    }

    #[test]
    fn dash_reads_whitespace_separated_ids_in_place() {
        assert_eq!(
            ids(&["x", "-", "y"], " a\nb\tc \n").unwrap(),
            ["x", "a", "b", "c", "y"]
        );
    }

    #[test]
    fn bad_id_on_stdin_is_a_usage_error() {
        let err = ids(&["-"], "good ../etc").unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Usage);
        assert!(err.to_string().contains("\"../etc\""));
    }

    #[test]
    fn empty_stdin_is_a_usage_error() {
        let err = ids(&["-"], "  \n").unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Usage);
    }

    #[test]
    fn a_word_on_stdin_that_is_not_utf8_is_a_usage_error_shown_lossily() {
        let err = ids(&["-"], b"good \xff\xfeab\n").unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Usage);
        assert_eq!(
            err.to_string(),
            format!(
                "invalid task ID \"\u{fffd}\u{fffd}ab\" on stdin: {}",
                cli::TASK_ID_RULE
            )
        );
    }

    #[test]
    fn control_characters_of_a_bad_word_are_escaped() {
        let err = ids(&["-"], b"a\x1b]52;c;x\x07b").unwrap_err();
        assert!(
            err.to_string()
                .starts_with(r#"invalid task ID "a\u{1b}]52;c;x\u{7}b" on stdin"#),
            "{err}"
        );
    }

    #[test]
    fn a_long_bad_word_is_shown_cut() {
        let err = ids(&["-"], "x".repeat(10_000) + "/").unwrap_err();
        let shown = format!("\"{}...\"", "x".repeat(SHOWN_WORD_CHARS));
        assert!(err.to_string().contains(&shown), "{err}");
    }

    #[test]
    fn stdin_is_split_on_ascii_white_space_only() {
        assert_eq!(ids(&["-"], "a\r\nb\x0cc").unwrap(), ["a", "b", "c"]);
        // A no-break space is not a separator: the word is a bad ID.
        let err = ids(&["-"], "a\u{a0}b").unwrap_err();
        assert!(err.to_string().contains(r#""a\u{a0}b""#), "{err}");
    }

    /// A reader that fails, as stdin does when it is a directory.
    struct FailingReader;

    impl Read for FailingReader {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::other("Is a directory"))
        }
    }

    #[test]
    fn a_stdin_that_cannot_be_read_is_a_usage_error() {
        let args = vec!["-".to_string()];
        let err = collect_ids(&args, FailingReader).unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Usage);
        assert!(
            err.to_string()
                .starts_with("cannot read task IDs from stdin: "),
            "{err}"
        );
    }
}
