//! The exit codes: a public contract that scripts branch on.
//!
//! Each code has exactly one meaning. Task statuses map to 0 and 8–14; the
//! tool's own failures to the sysexits-style codes 64–78; `wait` adds 124
//! (like `timeout(1)`) and 130 (interrupted, 128 + SIGINT), which `download`
//! shares.
//!
//! The help's and the man page's exit-code tables are made here, from each
//! code's meaning in each command ([`help`]). README.md's exit-code table
//! lists the same codes: a test compares them.

use std::process;

/// Declares [`ExitCode`] and its [`ExitCode::ALL`] from one list, so that
/// no variant can be left out of `ALL`.
macro_rules! exit_codes {
    (
        $(#[$meta:meta])*
        pub enum ExitCode { $($(#[$doc:meta])* $name:ident = $code:literal,)* }
    ) => {
        $(#[$meta])*
        pub enum ExitCode { $($(#[$doc])* $name = $code,)* }

        impl ExitCode {
            /// Every code, as declared: in increasing order (a test checks).
            pub const ALL: [ExitCode; [$($code),*].len()] = [$(ExitCode::$name),*];
        }
    };
}

exit_codes! {
    /// Why the process ended. The discriminant is the exit code.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[repr(u8)]
    pub enum ExitCode {
        /// Every task is COMPLETE (or `--exit-zero` and every task was fetched).
        Success = 0,
        /// An unexpected internal error (a bug).
        Internal = 1,
        /// A usage error, including an invalid task ID.
        Usage = 2,
        /// A task has not finished: PENDING, RUNNING or RETRY.
        NotFinished = 8,
        /// A task FAILED (or ERROR, beta9's name for it).
        Failed = 10,
        /// A task was CANCELLED.
        Cancelled = 11,
        /// A task hit its TIMEOUT.
        TimedOut = 12,
        /// A task EXPIRED in the queue.
        Expired = 13,
        /// A status this version does not know.
        UnknownStatus = 14,
        /// The `--jq` filter failed on an item, such as `.a` of a number
        /// (EX_DATAERR).
        DataError = 65,
        /// The task was not found (HTTP 404).
        NotFound = 66,
        /// The API could not be reached or kept failing.
        Unreachable = 69,
        /// A folder or file could not be created (`download`; EX_CANTCREAT).
        CantCreate = 73,
        /// Stdout could not be written: a full disk, a closed stdout (EX_IOERR).
        /// A closed pipe (`| head -1`) is not an error: the reader has all it
        /// wanted.
        IoError = 74,
        /// The response was not understood.
        BadResponse = 76,
        /// The token was refused (HTTP 401 or 403).
        Unauthorized = 77,
        /// A configuration error: no token, missing context, bad config or URL.
        Config = 78,
        /// `wait --timeout` passed before every task finished.
        WaitDeadline = 124,
        /// Interrupted by Ctrl-C. On Unix the process ends by SIGINT itself
        /// (after the cleanup), which a shell reads as 130; SIGTERM and SIGHUP
        /// during a wait end it by themselves likewise (143, 129).
        Interrupted = 130,
    }
}

impl ExitCode {
    /// The number the process exits with.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// How much a task-status code weighs when several tasks are combined:
    /// the most severe wins (10 > 12 > 13 > 11 > 14 > 124 > 8 > 0).
    /// Codes that are not about a task's status weigh nothing here: request
    /// errors are ranked before statuses by the caller.
    fn status_severity(self) -> u8 {
        match self {
            ExitCode::Failed => 7,
            ExitCode::TimedOut => 6,
            ExitCode::Expired => 5,
            ExitCode::Cancelled => 4,
            ExitCode::UnknownStatus => 3,
            ExitCode::WaitDeadline => 2,
            ExitCode::NotFinished => 1,
            _ => 0,
        }
    }

    /// True for the codes that describe a task's status (8 to 14, and 124),
    /// the ones that `--exit-zero` turns into 0.
    pub fn is_task_status(self) -> bool {
        self.status_severity() > 0
    }

    /// The most severe of several task-status codes; `Success` when empty.
    pub fn most_severe(codes: impl IntoIterator<Item = ExitCode>) -> ExitCode {
        codes
            .into_iter()
            .max_by_key(|c| c.status_severity())
            .filter(|c| c.is_task_status())
            .unwrap_or(ExitCode::Success)
    }
}

/// The exit-code tables of the help and the man page: `status`, `wait` and
/// the top level share the general one; the other commands have their own,
/// of the codes they can end with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpTable {
    General,
    Cancel,
    List,
    Result,
    Download,
}

impl ExitCode {
    /// What the code means in `table`'s command, or `None` if that command
    /// never ends with it. A meaning may go on on further lines.
    fn meaning(self, table: HelpTable) -> Option<&'static str> {
        use HelpTable::*;
        let meaning = match (self, table) {
            (ExitCode::Success, General) => "every task COMPLETE",
            (ExitCode::Success, Cancel) => {
                "every task has finished: cancelled now, or finished before\n\
                 (with --dry-run: every task was read)"
            }
            (ExitCode::Success, List) => "the listing succeeded, even if no task matched",
            (ExitCode::Success, Result) => "the task is COMPLETE",
            (ExitCode::Success, Download) => {
                "every output of every task saved (or already there), every task COMPLETE"
            }
            (ExitCode::Internal, General) => "unexpected internal error",
            (ExitCode::Internal, _) => return None,
            (ExitCode::Usage, List) => "usage error: an unknown status, a bad --since or --until",
            (ExitCode::Usage, _) => "usage error, including an invalid task ID",
            (ExitCode::NotFinished, General) => "a task has not finished (PENDING, RUNNING, RETRY)",
            (ExitCode::NotFinished, Cancel) => {
                "a task still runs when --timeout passes (the cancel did not take)"
            }
            (ExitCode::NotFinished, List) => return None,
            (ExitCode::NotFinished, Result) => {
                "the task has not finished (PENDING, RUNNING, RETRY)"
            }
            (ExitCode::NotFinished, Download) => {
                "a task has not finished (PENDING, RUNNING, RETRY): nothing of it downloaded"
            }
            (
                ExitCode::Failed
                | ExitCode::Cancelled
                | ExitCode::TimedOut
                | ExitCode::Expired
                | ExitCode::UnknownStatus,
                Cancel | List,
            ) => return None,
            (ExitCode::Failed, Download) => {
                "FAILED, or ERROR (its outputs are saved all the same, as for 11 to 14)"
            }
            (ExitCode::Failed, _) => "FAILED, or ERROR",
            (ExitCode::Cancelled, _) => "CANCELLED",
            (ExitCode::TimedOut, _) => "TIMEOUT",
            (ExitCode::Expired, _) => "EXPIRED",
            (ExitCode::UnknownStatus, General) => {
                "a status this version does not know (shown as received)"
            }
            (ExitCode::UnknownStatus, _) => "a status this version does not know",
            (ExitCode::DataError, _) => {
                "--jq: the filter failed on an item (such as .a of a number)"
            }
            (ExitCode::NotFound, List) => return None,
            (ExitCode::NotFound, _) => "task not found (HTTP 404)",
            (ExitCode::Unreachable, Download) => {
                "API or storage host unreachable or failing, a body cut short, a link\n\
                 refused even when fresh: after the retries"
            }
            (ExitCode::Unreachable, _) => {
                "API unreachable or failing: connection, DNS, TLS, timeout, HTTP 5xx, 429"
            }
            (ExitCode::CantCreate, General) => "download: a folder or file cannot be created",
            (ExitCode::CantCreate, Download) => {
                "a folder or file cannot be created (permissions, disk full, a folder\n\
                 in the way)"
            }
            (ExitCode::CantCreate, _) => return None,
            (ExitCode::IoError, _) => {
                "stdout could not be written: disk full, stdout closed (not a closed pipe)"
            }
            (ExitCode::BadResponse, General) => {
                "response not understood: not JSON, no status string, or too large"
            }
            (ExitCode::BadResponse, List) => {
                "response not understood: not a page of tasks, or a page cursor repeated"
            }
            (ExitCode::BadResponse, Download) => {
                "response not understood, or an output name refused (empty, ., ..,\n\
                 a path, a control character)"
            }
            (ExitCode::BadResponse, _) => "response not understood",
            (ExitCode::Unauthorized, List | Result) => {
                "token refused (HTTP 401 or 403), or it cannot see the --workspace"
            }
            (ExitCode::Unauthorized, _) => "token refused (HTTP 401 or 403)",
            (ExitCode::Config, General) => {
                "configuration error: no token, missing context, unreadable config, bad --api-url,\n\
                 a bad proxy URL or one asking for credentials (HTTP 407)"
            }
            (ExitCode::Config, _) => "configuration error",
            (ExitCode::WaitDeadline, General) => {
                "wait: --timeout passed before every task finished"
            }
            (ExitCode::WaitDeadline, _) => return None,
            (ExitCode::Interrupted, General) => {
                "wait, download: interrupted (Ctrl-C; the process ends by SIGINT, read as 130)"
            }
            (ExitCode::Interrupted, Download) => {
                "interrupted (Ctrl-C; the process ends by SIGINT, read as 130): no\n\
                 partial or temporary file is left"
            }
            (ExitCode::Interrupted, _) => return None,
        };
        Some(meaning)
    }
}

/// The exit-code table of `table`'s `--help` (`after_long_help`): each code
/// the command can end with, then how several tasks' codes combine.
pub fn help(table: HelpTable) -> String {
    let mut text = String::from(match table {
        HelpTable::Result => "Exit codes (the task's status, as for `status`):",
        _ => "Exit codes:",
    });
    for code in ExitCode::ALL {
        let Some(meaning) = code.meaning(table) else {
            continue;
        };
        let mut lines = meaning.lines();
        let first = lines.next().unwrap_or_default();
        text += &format!("\n{:>5}  {first}", code.code());
        for line in lines {
            text += &format!("\n{:7}{line}", "");
        }
    }
    let severity = severity_order(table);
    match table {
        HelpTable::General => {
            text += &format!(
                "\n\nWith several tasks, a request error outranks any status (the first in the order\n\
                 given); among statuses the most severe wins: {severity}.\n\
                 --exit-zero turns the status codes (8 to 14, 124) into 0."
            );
        }
        HelpTable::Cancel => {
            text += "\n\nA request error outranks any status (the first in the order given).";
        }
        HelpTable::Download => {
            text += &format!(
                "\n\nA failure outranks any status (the first in the order given, tasks then their\n\
                 outputs); among statuses the most severe wins: {severity}."
            );
        }
        HelpTable::List | HelpTable::Result => {}
    }
    text
}

/// `10 > 12 > … > 0`: the task-status codes of `table`, most severe first,
/// as [`ExitCode::most_severe`] ranks them.
fn severity_order(table: HelpTable) -> String {
    let mut codes: Vec<ExitCode> = ExitCode::ALL
        .into_iter()
        .filter(|code| code.is_task_status() && code.meaning(table).is_some())
        .collect();
    codes.sort_by_key(|code| std::cmp::Reverse(code.status_severity()));
    codes.push(ExitCode::Success);
    let numbers: Vec<String> = codes.iter().map(|code| code.code().to_string()).collect();
    numbers.join(" > ")
}

impl From<ExitCode> for process::ExitCode {
    fn from(code: ExitCode) -> Self {
        process::ExitCode::from(code.code())
    }
}

#[cfg(test)]
mod tests {
    use super::ExitCode::*;
    use super::*;

    #[test]
    fn codes_are_the_documented_numbers() {
        let table = [
            (Success, 0),
            (Internal, 1),
            (Usage, 2),
            (NotFinished, 8),
            (Failed, 10),
            (Cancelled, 11),
            (TimedOut, 12),
            (Expired, 13),
            (UnknownStatus, 14),
            (NotFound, 66),
            (Unreachable, 69),
            (CantCreate, 73),
            (IoError, 74),
            (BadResponse, 76),
            (Unauthorized, 77),
            (Config, 78),
            (WaitDeadline, 124),
            (Interrupted, 130),
        ];
        for (code, number) in table {
            assert_eq!(code.code(), number, "{code:?}");
        }
    }

    #[test]
    fn most_severe_follows_the_documented_order() {
        let order = [
            Failed,
            TimedOut,
            Expired,
            Cancelled,
            UnknownStatus,
            WaitDeadline,
            NotFinished,
            Success,
        ];
        for (i, stronger) in order.iter().enumerate() {
            for weaker in &order[i..] {
                assert_eq!(ExitCode::most_severe([*weaker, *stronger]), *stronger);
                assert_eq!(ExitCode::most_severe([*stronger, *weaker]), *stronger);
            }
        }
    }

    #[test]
    fn most_severe_of_nothing_is_success() {
        assert_eq!(ExitCode::most_severe([]), Success);
        assert_eq!(ExitCode::most_severe([Success, Success]), Success);
    }

    #[test]
    fn only_status_codes_are_task_statuses() {
        for code in [
            NotFinished,
            Failed,
            Cancelled,
            TimedOut,
            Expired,
            UnknownStatus,
            WaitDeadline,
        ] {
            assert!(code.is_task_status(), "{code:?}");
        }
        for code in [
            Success,
            Internal,
            Usage,
            NotFound,
            Unreachable,
            CantCreate,
            IoError,
            BadResponse,
            Unauthorized,
            Config,
            Interrupted,
        ] {
            assert!(!code.is_task_status(), "{code:?}");
        }
    }

    /// The codes in the first column of the first table after `heading`
    /// in a Markdown text.
    fn table_codes(markdown: &str, heading: &str) -> Vec<u8> {
        let section = &markdown[markdown.find(heading).expect("the heading")..];
        section
            .lines()
            .skip_while(|line| !line.starts_with('|'))
            .take_while(|line| line.starts_with('|'))
            .filter_map(|line| line.split('|').nth(1)?.trim().parse().ok())
            .collect()
    }

    fn every_code() -> Vec<u8> {
        ExitCode::ALL.iter().map(|c| c.code()).collect()
    }

    /// `ALL` is declared with the enum (`exit_codes!`), so it holds every
    /// variant; this checks the order the tables and README follow.
    #[test]
    fn all_is_every_code_once_in_order() {
        let codes = every_code();
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "{codes:?}");
    }

    #[test]
    fn the_readme_exit_code_table_lists_every_code_of_the_enum() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));
        assert_eq!(
            table_codes(readme, "## Exit codes and failures"),
            every_code(),
            "README.md's exit-code table and src/exit_codes.rs differ"
        );
    }

    #[test]
    fn the_help_exit_code_table_lists_every_code_of_the_enum() {
        let codes: Vec<u8> = help(HelpTable::General)
            .lines()
            .skip(1)
            .take_while(|line| !line.trim().is_empty())
            // A meaning may go on on a line of its own.
            .filter_map(|line| line.split_whitespace().next()?.parse().ok())
            .collect();
        assert_eq!(
            codes,
            every_code(),
            "the general help table and the enum differ"
        );
    }
}
