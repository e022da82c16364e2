//! What to work on: task IDs from the arguments and from stdin.

use std::collections::HashSet;
use std::io::Read;

use crate::api::task::{TASK_ID_RULE, is_valid_task_id};
use crate::failure::Failure;

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
    // An empty stdin is no task, not a mistake: `list -o ids | cancel -`
    // where nothing matched has nothing to do, and succeeds.
    let mut seen = HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    Ok(ids)
}

/// The one ID a command takes (`result`, `logs`): the argument, or the one
/// ID read from stdin for `-`.
pub fn one_id(arg: &str, command: &str, stdin: impl Read) -> Result<String, Failure> {
    match collect_ids(std::slice::from_ref(&arg.to_string()), stdin)? {
        ids if ids.len() == 1 => Ok(ids.into_iter().next().unwrap_or_default()),
        ids => Err(Failure::Usage(format!(
            "{command} takes one task ID; {} were given",
            ids.len()
        ))),
    }
}

/// The longest part of a bad word that an error message shows: an ID is at
/// most 128 characters, and a binary file sent by mistake should not flood
/// the terminal.
const SHOWN_WORD_CHARS: usize = 140;

fn id_from_stdin(word: &[u8]) -> Result<String, Failure> {
    match std::str::from_utf8(word) {
        Ok(id) if is_valid_task_id(id) => Ok(id.to_string()),
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
                TASK_ID_RULE
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit_codes::ExitCode;
    use std::io;

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
    fn empty_stdin_is_no_task() {
        assert!(ids(&["-"], "  \n").unwrap().is_empty());
    }

    #[test]
    fn a_word_on_stdin_that_is_not_utf8_is_a_usage_error_shown_lossily() {
        let err = ids(&["-"], b"good \xff\xfeab\n").unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::Usage);
        assert_eq!(
            err.to_string(),
            format!(
                "invalid task ID \"\u{fffd}\u{fffd}ab\" on stdin: {}",
                TASK_ID_RULE
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
