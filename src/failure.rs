//! What went wrong, classified: each kind of failure has one exit code.
//!
//! Modules return a [`Failure`] for every failure a user can cause or meet;
//! `anyhow` only adds context on the way up. How a failure is shown is
//! `report.rs`'s business.

use std::time::Duration;

use crate::exit_codes::ExitCode;

/// Whether trying an unreachable API again may help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Connection errors, timeouts, an answer cut short, HTTP 429, 500,
    /// 502, 503 and 504: a request is tried again after a short backoff.
    Soon,
    /// Any other 5xx (501, 505, a proxy's 520–524): not worth a request's
    /// quick retries, but a wait, polling for minutes, may outlast it.
    Later,
    /// Trying again cannot help: a refused certificate, broken redirects, a
    /// `Retry-After` too far away, or a wait that has given up.
    Never,
}

/// A classified failure. The variant decides the exit code.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Failure {
    #[error("{0}")]
    Usage(String),

    #[error("{message}")]
    Config {
        message: String,
        hint: Option<String>,
    },

    #[error("task {id} not found{}", detail(.message))]
    NotFound { id: String, message: Option<String> },

    /// `token_source` names where the token came from, never its value.
    #[error("the API refused the token from {token_source} (HTTP {status}){}", detail(.message))]
    Unauthorized {
        status: u16,
        token_source: String,
        message: Option<String>,
    },

    /// A 401 on a workspace route: the token is not of that workspace.
    #[error("the token from {token_source} cannot see workspace {workspace} (HTTP 401)")]
    WorkspaceRefused {
        workspace: String,
        token_source: String,
    },

    #[error("{reason}")]
    Unreachable {
        reason: String,
        /// How long the server asked us to wait before the next try.
        retry_after: Option<Duration>,
        /// Whether trying again may help, and how soon.
        retry: Retry,
    },

    /// An HTTP status that the request path gives no meaning to (a 404
    /// among them): the caller of an endpoint decides what it means, and
    /// until then it is an answer not understood.
    #[error("unexpected answer {status_line}{}", detail(.message))]
    HttpStatus {
        status: u16,
        status_line: String,
        message: Option<String>,
    },

    #[error("{0}")]
    BadResponse(String),

    /// A folder or file that could not be made on disk (`download`).
    #[error("cannot create {path}: {reason}")]
    CannotCreate { path: String, reason: String },

    /// An output's name that is not written to disk (`download`): `name`
    /// is shown escaped, as a Rust string literal, so that nothing in it
    /// reaches the terminal.
    #[error("output name {name} refused: {why}")]
    UnsafeName { name: String, why: &'static str },
    /// A server that keeps no task logs (beta9 without a log store: 503
    /// `Log reads are not configured`): final, asking again cannot help.
    #[error("{reason}")]
    NoLogs { reason: String },

    /// Stdout could not be written (a full disk, a closed stdout); the
    /// reason is the system's.
    #[error("cannot write to stdout: {0}")]
    Stdout(String),

    /// The `--jq` filter failed on an item (`.a` of a number): the item
    /// and jaq's reason.
    #[error("--jq: {0}")]
    Filter(String),
}

/// `: message`, or nothing when there is no message.
pub fn detail(message: &Option<String>) -> String {
    match message {
        Some(m) if !m.is_empty() => format!(": {m}"),
        _ => String::new(),
    }
}

impl Failure {
    pub fn config(message: impl Into<String>) -> Self {
        Failure::Config {
            message: message.into(),
            hint: None,
        }
    }

    /// A folder or file that could not be created, and why (an OS error).
    pub fn cannot_create(path: &std::path::Path, error: &std::io::Error) -> Self {
        Failure::CannotCreate {
            path: path.display().to_string(),
            reason: error.to_string(),
        }
    }

    pub fn unreachable(reason: impl Into<String>) -> Self {
        Failure::Unreachable {
            reason: reason.into(),
            retry_after: None,
            retry: Retry::Soon,
        }
    }

    /// The one place where a failure becomes an exit code.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Usage(_) => ExitCode::Usage,
            Failure::Config { .. } => ExitCode::Config,
            Failure::NotFound { .. } => ExitCode::NotFound,
            Failure::Unauthorized { .. } | Failure::WorkspaceRefused { .. } => {
                ExitCode::Unauthorized
            }
            Failure::Unreachable { .. } | Failure::NoLogs { .. } => ExitCode::Unreachable,
            Failure::HttpStatus { .. } | Failure::BadResponse(_) | Failure::UnsafeName { .. } => {
                ExitCode::BadResponse
            }
            Failure::CannotCreate { .. } => ExitCode::CantCreate,
            Failure::Stdout(_) => ExitCode::IoError,
            Failure::Filter(_) => ExitCode::DataError,
        }
    }

    /// True when the same request may succeed if tried again soon: what a
    /// request's `--retries` are for.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Failure::Unreachable {
                retry: Retry::Soon,
                ..
            }
        )
    }

    /// How long the server asked us to wait before trying again.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Failure::Unreachable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// True when the failure may pass with time: what a wait outlasts.
    pub fn may_pass_in_time(&self) -> bool {
        matches!(
            self,
            Failure::Unreachable {
                retry: Retry::Soon | Retry::Later,
                ..
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unauthorized_names_the_source_not_the_token() {
        let failure = Failure::Unauthorized {
            status: 401,
            token_source: "BEAM_TOKEN".into(),
            message: Some("Unauthorized".into()),
        };
        assert_eq!(
            failure.to_string(),
            "the API refused the token from BEAM_TOKEN (HTTP 401): Unauthorized"
        );
    }

    #[test]
    fn a_status_without_a_meaning_is_a_response_not_understood() {
        let failure = Failure::HttpStatus {
            status: 404,
            status_line: "HTTP 404 Not Found".into(),
            message: None,
        };
        assert_eq!(failure.exit_code(), ExitCode::BadResponse);
        assert_eq!(failure.to_string(), "unexpected answer HTTP 404 Not Found");
    }
}
