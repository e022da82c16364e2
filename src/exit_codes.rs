//! The exit codes: a public contract that scripts branch on.
//!
//! Each code has exactly one meaning. Task statuses map to 0 and 8–14; the
//! tool's own failures to the sysexits-style codes 64–78; `wait` adds 124
//! (like `timeout(1)`) and 130 (interrupted, 128 + SIGINT), which `download`
//! shares.
//!
//! README.md's exit-code table lists the same codes: a test compares them.

use std::process;

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

impl ExitCode {
    /// Every code, in increasing order.
    pub const ALL: [ExitCode; 19] = [
        ExitCode::Success,
        ExitCode::Internal,
        ExitCode::Usage,
        ExitCode::NotFinished,
        ExitCode::Failed,
        ExitCode::Cancelled,
        ExitCode::TimedOut,
        ExitCode::Expired,
        ExitCode::UnknownStatus,
        ExitCode::DataError,
        ExitCode::NotFound,
        ExitCode::Unreachable,
        ExitCode::CantCreate,
        ExitCode::IoError,
        ExitCode::BadResponse,
        ExitCode::Unauthorized,
        ExitCode::Config,
        ExitCode::WaitDeadline,
        ExitCode::Interrupted,
    ];

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
            (DataError, 65),
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
            DataError,
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

    #[test]
    fn all_is_every_code_once_in_order() {
        let codes = every_code();
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "{codes:?}");
        for code in ExitCode::ALL {
            // A new variant left out of ALL fails to compile here.
            match code {
                Success | Internal | Usage | NotFinished | Failed | Cancelled | TimedOut
                | Expired | UnknownStatus | DataError | NotFound | Unreachable | CantCreate
                | IoError | BadResponse | Unauthorized | Config | WaitDeadline | Interrupted => {}
            }
        }
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
        let codes: Vec<u8> = crate::cli::EXIT_CODES_HELP
            .lines()
            .skip(1)
            .take_while(|line| !line.trim().is_empty())
            // A meaning may go on on a line of its own.
            .filter_map(|line| line.split_whitespace().next()?.parse().ok())
            .collect();
        assert_eq!(codes, every_code(), "EXIT_CODES_HELP and the enum differ");
    }
}
