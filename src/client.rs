//! The HTTP client: one blocking GET per task, on one shared agent.
//!
//! `fetch` returns the body of a 2xx answer and classifies everything else
//! as a [`Failure`]. Transient failures (connection errors, timeouts, 429,
//! 500, 502, 503, 504, a body cut short) are retried with exponential
//! backoff and jitter; a `Retry-After` is honoured, never shortened.

use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use ureq::Agent;
use ureq::config::RedirectAuthHeaders;
use ureq::http::{HeaderMap, Response, StatusCode};
use ureq::tls::TlsConfig;

use crate::config::Settings;
use crate::failure::{Failure, Retry, detail};
use crate::text::one_line;
use crate::tls;

/// Bodies larger than this are refused (exit 76) rather than read whole.
pub const MAX_BODY_BYTES: u64 = 10 * 1024 * 1024;

/// The connection alone must be made within this.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A `Retry-After` longer than this is not waited for.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The first backoff; it doubles on each further try.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);

/// The backoff stops doubling here, so that many retries never mean hours.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

const USER_AGENT: &str = concat!("beam-task/", env!("CARGO_PKG_VERSION"));

/// How the client behaves, beyond where it connects.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Further tries after a transient failure.
    pub retries: u32,
    /// The bound on each whole request, connection included.
    pub request_timeout: Duration,
    /// Print request and response lines on stderr.
    pub verbose: bool,
    /// Multiplies every backoff (tests shrink it; see `config::time_scale`).
    pub time_scale: f64,
    /// Requests made at once (`--jobs`): as many connections are kept for
    /// reuse, so that no request pays for a new TLS handshake.
    pub parallel: usize,
}

pub struct Client {
    agent: Agent,
    settings: Settings,
    options: ClientOptions,
    /// `host[:port]` of the API, for messages.
    host: String,
}

/// Shows what the client was set up with; [`Settings`] hides the token and
/// a proxy's password, and the agent (which never holds the token) is left
/// out for brevity.
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("settings", &self.settings)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(settings: Settings, options: ClientOptions) -> Client {
        let roots = match &settings.trusted_roots {
            Some(roots) => roots.clone(),
            None => tls::bundled_root_certs(),
        };
        // ureq is built without a provider of its own (see Cargo.toml).
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = TlsConfig::builder()
            .root_certs(roots)
            .unversioned_rustls_crypto_provider(provider);
        let agent = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(options.request_timeout))
            .timeout_connect(Some(CONNECT_TIMEOUT.min(options.request_timeout)))
            .user_agent(USER_AGENT)
            .accept("application/json")
            .max_redirects(5)
            .max_idle_connections(options.parallel.max(1))
            .max_idle_connections_per_host(options.parallel.max(1))
            // A redirect, even to the same host, is followed without the
            // token: it could lead anywhere, plain http included.
            .redirect_auth_headers(RedirectAuthHeaders::Never)
            .proxy(settings.proxy.clone())
            .tls_config(tls.build())
            .build()
            .new_agent();
        Client {
            host: host_of(&settings.api_url),
            agent,
            settings,
            options,
        }
    }

    /// The schedule scale the client was set up with (see
    /// `config::time_scale`), for a wait's own schedule.
    pub fn time_scale(&self) -> f64 {
        self.options.time_scale
    }

    pub fn task_url(&self, id: &str) -> String {
        format!("{}/v2/task/{id}/", self.settings.api_url)
    }

    /// Fetches a task's body, retrying transient failures.
    pub fn fetch(&self, id: &str) -> Result<Vec<u8>, Failure> {
        let mut attempt = 0;
        loop {
            match self.fetch_once(id) {
                Err(failure) if failure.is_transient() && attempt < self.options.retries => {
                    let pause = self.pause_before_retry(attempt, &failure);
                    if self.options.verbose {
                        self.log(&format!(
                            "* {failure}; retrying in {:.1} s",
                            pause.as_secs_f64()
                        ));
                    }
                    thread::sleep(pause);
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    /// The pause before retry number `attempt + 1`; see [`pause`].
    fn pause_before_retry(&self, attempt: u32, failure: &Failure) -> Duration {
        pause(attempt, failure, self.options.time_scale, fastrand::f64())
    }

    /// One request, no retry.
    pub fn fetch_once(&self, id: &str) -> Result<Vec<u8>, Failure> {
        let url = self.task_url(id);
        if self.options.verbose {
            if let Some(proxy) = &self.settings.proxy {
                self.log(&format!(
                    "* through proxy {}:{}",
                    proxy.host(),
                    proxy.port()
                ));
            }
            self.log(&format!("> GET {url}"));
            self.log("> authorization: Bearer ***");
            self.log("> accept: application/json");
            self.log(&format!("> user-agent: {USER_AGENT}"));
        }
        let response = self
            .agent
            .get(&url)
            .header(
                "Authorization",
                format!("Bearer {}", self.settings.token.expose()),
            )
            .call()
            .map_err(|e| self.classify_error(e))?;
        if self.options.verbose {
            self.log(&format!("< {:?} {}", response.version(), response.status()));
            for (name, value) in response.headers() {
                let value = self.redact(value.to_str().unwrap_or("<binary>"));
                self.log(&format!("< {name}: {value}"));
            }
        }
        self.classify_response(id, response)
    }

    fn classify_response(
        &self,
        id: &str,
        mut response: Response<ureq::Body>,
    ) -> Result<Vec<u8>, Failure> {
        let status = response.status();
        if status.is_success() {
            return response
                .body_mut()
                .with_config()
                .limit(MAX_BODY_BYTES)
                .read_to_vec()
                .map_err(|e| self.classify_error(e));
        }
        let retry_after = retry_after(response.headers());
        // Error bodies are read only for a message, and only a little.
        let body = response
            .body_mut()
            .with_config()
            .limit(64 * 1024)
            .read_to_vec()
            .unwrap_or_default();
        let message = error_message(&body).map(|m| self.redact(&m));
        let status_line = status_line(status);
        match status.as_u16() {
            401 | 403 => Err(Failure::Unauthorized {
                status: status.as_u16(),
                source_name: self.settings.token_source.clone(),
                message,
            }),
            404 => Err(Failure::NotFound {
                id: id.to_string(),
                message,
            }),
            code @ (429 | 500..=599) => {
                let reason = format!("the API answered {status_line}{}", detail(&message));
                let retry = match code {
                    429 | 500 | 502 | 503 | 504 => Retry::Soon,
                    _ => Retry::Later,
                };
                Err(come_back_later(reason, retry_after, retry))
            }
            _ => Err(Failure::BadResponse(format!(
                "unexpected answer {status_line}{}",
                detail(&message)
            ))),
        }
    }

    fn classify_error(&self, error: ureq::Error) -> Failure {
        let host = &self.host;
        match error {
            ureq::Error::Timeout(ureq::Timeout::Connect) => Failure::unreachable(format!(
                "could not connect to {host} within {}",
                human_seconds(CONNECT_TIMEOUT.min(self.options.request_timeout))
            )),
            ureq::Error::Timeout(_) => Failure::unreachable(format!(
                "the request to {host} timed out after {}",
                human_seconds(self.options.request_timeout)
            )),
            ureq::Error::HostNotFound => {
                Failure::unreachable(format!("cannot resolve host {host}"))
            }
            ureq::Error::ConnectionFailed => {
                Failure::unreachable(format!("cannot connect to {host}"))
            }
            ureq::Error::Io(e) if is_tls_failure(&e) => tls_failure(host, &e),
            // ureq reports a reset mid-answer the same way as a clean close.
            ureq::Error::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => Failure::unreachable(
                format!("{host} closed the connection before the answer was complete"),
            ),
            ureq::Error::Io(e) => Failure::unreachable(format!(
                "connection to {host} failed: {}",
                one_line(&e.to_string())
            )),
            ureq::Error::BodyExceedsLimit(_) => Failure::BadResponse(format!(
                "the response is larger than {} MB",
                MAX_BODY_BYTES / 1024 / 1024
            )),
            ureq::Error::Protocol(e) => {
                Failure::unreachable(format!("{host} broke the HTTP protocol: {e}"))
            }
            e @ (ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_)) => {
                tls_failure(host, &e)
            }
            e @ (ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed) => {
                Failure::Unreachable {
                    reason: format!("the API's redirects failed: {e}"),
                    retry_after: None,
                    retry: Retry::Never,
                }
            }
            e => Failure::unreachable(format!(
                "request to {host} failed: {}",
                one_line(&e.to_string())
            )),
        }
    }

    /// A server may echo the token back (in a header or an error message);
    /// what it says is shown with the token masked.
    fn redact(&self, text: &str) -> String {
        text.replace(self.settings.token.expose(), "***")
    }

    fn log(&self, line: &str) {
        // Whole lines, so that lines from several threads do not interleave.
        let _ = writeln!(io::stderr().lock(), "{line}");
    }
}

/// Exponential backoff from 0.5 s (at most 30 s) with up to 50 % jitter
/// (`jitter` in 0..1), or the server's `Retry-After` when that is longer.
/// Only the backoff follows the time scale: a `Retry-After` is the server's.
fn pause(attempt: u32, failure: &Failure, time_scale: f64, jitter: f64) -> Duration {
    let backoff = FIRST_BACKOFF
        .saturating_mul(1 << attempt.min(16))
        .min(MAX_BACKOFF);
    let scaled = backoff.mul_f64((1.0 + jitter * 0.5) * time_scale);
    scaled.max(failure.retry_after().unwrap_or_default())
}

/// rustls reports a refused certificate during the handshake as an I/O
/// error; trying again would only be refused again.
fn is_tls_failure(error: &io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.is::<rustls::Error>())
}

/// An answer that asks to be tried again. A `Retry-After` beyond a minute
/// is not waited for, whatever the status and whoever would retry: the
/// failure is final, and says when the server asked to come back.
fn come_back_later(reason: String, retry_after: Option<Duration>, retry: Retry) -> Failure {
    match retry_after {
        Some(wait) if wait > MAX_RETRY_AFTER => Failure::Unreachable {
            reason: format!(
                "{reason}, and asked to come back in {} s (at {})",
                wait.as_secs(),
                jiff::Timestamp::now()
                    .saturating_add(wait)
                    .unwrap_or(jiff::Timestamp::MAX)
                    .strftime("%Y-%m-%d %H:%M:%S UTC")
            ),
            retry_after: Some(wait),
            retry: Retry::Never,
        },
        _ => Failure::Unreachable {
            reason,
            retry_after,
            retry,
        },
    }
}

/// A refused certificate or a failed handshake: trying again cannot help.
fn tls_failure(host: &str, error: &dyn std::fmt::Display) -> Failure {
    Failure::Unreachable {
        reason: format!("TLS with {host} failed: {}", one_line(&error.to_string())),
        retry_after: None,
        retry: Retry::Never,
    }
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let wait = at.duration_since(jiff::Timestamp::now());
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

/// The `message` of a JSON error body; nothing for HTML or other bodies,
/// which would only flood the terminal.
fn error_message(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let message = value.get("message")?.as_str()?;
    let message = one_line(message);
    let shortened: String = message.chars().take(300).collect();
    (!shortened.is_empty()).then_some(shortened)
}

fn status_line(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("HTTP {} {reason}", status.as_u16()),
        None => format!("HTTP {}", status.as_u16()),
    }
}

/// `host[:port]` of the API, for messages: never a user or password.
fn host_of(url: &str) -> String {
    let Ok(uri) = url.parse::<ureq::http::Uri>() else {
        return "the API".to_string();
    };
    match (uri.host(), uri.port_u16()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        _ => "the API".to_string(),
    }
}

fn human_seconds(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds.fract() == 0.0 {
        format!("{seconds:.0} s")
    } else {
        format!("{seconds:.1} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            "retry-after",
            "Sun, 06 Nov 1994 08:49:37 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn error_message_only_from_json() {
        assert_eq!(
            error_message(br#"{"message":"Unauthorized"}"#).as_deref(),
            Some("Unauthorized")
        );
        assert_eq!(error_message(br#"{"message":""}"#), None);
        assert_eq!(error_message(b"<html><body>502</body></html>"), None);
        assert_eq!(error_message(b""), None);
    }

    #[test]
    fn backoff_doubles_from_half_a_second_with_jitter_up_to_30_s() {
        let failure = Failure::unreachable("connection refused");
        let secs = |attempt, jitter| pause(attempt, &failure, 1.0, jitter).as_secs_f64();
        assert_eq!(secs(0, 0.0), 0.5);
        assert_eq!(secs(0, 1.0), 0.75);
        assert_eq!(secs(1, 0.0), 1.0);
        assert_eq!(secs(3, 0.5), 5.0);
        assert_eq!(secs(6, 0.0), 30.0);
        assert_eq!(secs(u32::MAX, 1.0), 45.0);
    }

    #[test]
    fn retry_after_is_honoured_and_not_scaled() {
        let failure = Failure::Unreachable {
            reason: "429".into(),
            retry_after: Some(Duration::from_secs(7)),
            retry: Retry::Soon,
        };
        assert_eq!(pause(0, &failure, 0.01, 0.5), Duration::from_secs(7));
        let short = Failure::Unreachable {
            reason: "503".into(),
            retry_after: Some(Duration::ZERO),
            retry: Retry::Soon,
        };
        assert_eq!(pause(2, &short, 1.0, 0.0), Duration::from_secs(2));
    }

    #[test]
    fn debug_of_a_client_hides_the_token() {
        use clap::Parser;
        let cli = crate::cli::Cli::try_parse_from([
            "beam-task",
            "--token",
            "client-secret-4c1d",
            "--api-url",
            "http://127.0.0.1:9",
            "status",
            "abc",
        ])
        .unwrap();
        let settings = crate::config::resolve(&cli.global).unwrap();
        let options = ClientOptions {
            retries: 0,
            request_timeout: Duration::from_secs(1),
            verbose: true,
            time_scale: 1.0,
            parallel: 1,
        };
        let client = Client::new(settings, options);
        let shown = format!("{client:?}");
        assert!(!shown.contains("client-secret-4c1d"), "{shown}");
        assert!(shown.contains("Token(***)"), "{shown}");
    }

    #[test]
    fn host_of_never_shows_credentials() {
        assert_eq!(
            host_of("https://user:pw@api.example:8443/x"),
            "api.example:8443"
        );
        assert_eq!(host_of("https://api.beam.cloud"), "api.beam.cloud");
    }

    #[test]
    fn human_seconds_drops_useless_decimals() {
        assert_eq!(human_seconds(Duration::from_secs(30)), "30 s");
        assert_eq!(human_seconds(Duration::from_millis(1500)), "1.5 s");
    }
}
