//! The request path: every request to Beam's APIs goes through
//! [`Client::send`], whatever its method, path, query or body; every link
//! to another host (an output's pre-signed URL) through
//! [`LinkClient::fetch`].
//!
//! One place for the token (sent, never shown), verbose lines, timeouts,
//! retries, size limits and the classification of failures. A 2xx answer
//! gives its body; everything else is a [`Failure`]: 401 and 403 refuse the
//! token, 429 and 5xx come back later, and any other status (404 among
//! them) is [`Failure::HttpStatus`], whose meaning the caller decides.
//! Transient failures (connection errors, timeouts, 429, 500, 502, 503,
//! 504, a body cut short) are retried with exponential backoff and jitter; a
//! `Retry-After` is honoured, never shortened.
//!
//! A link is fetched the same way, with the same proxy rules, trusted roots
//! and retries, but never with the token, and its body is streamed to a
//! [`Sink`] (a file) rather than read into memory: no size limit, and
//! `--request-timeout` bounds the wait for the answer and each silence in
//! the body, not the whole transfer, so that a long download that keeps
//! coming is never cut off.

use std::fmt;
use std::io::{self, Read, Write};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use ureq::config::RedirectAuthHeaders;
use ureq::http::{self, HeaderMap, Method, Response, StatusCode};
use ureq::tls::{RootCerts, TlsConfig};
use ureq::{Agent, Proxy};

use crate::config::{Token, TokenSource};
use crate::endpoint::{Endpoint, Link};
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

/// A link's body is read and written in pieces of this size.
const COPY_BUFFER: usize = 256 * 1024;

/// The token and where it came from (named in messages, never shown).
#[derive(Debug, Clone)]
pub struct Auth {
    token: Token,
    source: TokenSource,
}

impl Auth {
    pub fn new(token: Token, source: TokenSource) -> Auth {
        Auth { token, source }
    }
}

/// How the client behaves, beyond where it connects.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Further tries after a transient failure.
    pub retries: u32,
    /// The bound on each whole request, connection included.
    pub request_timeout: Duration,
    /// Print request and response lines on stderr.
    pub verbose: bool,
    /// Multiplies every backoff (tests shrink it).
    pub time_scale: f64,
    /// Requests made at once (`--jobs`): as many connections are kept for
    /// reuse, so that no request pays for a new TLS handshake.
    pub parallel: usize,
}

/// One request: a method, a path under the endpoint's base URL, a query and
/// an optional JSON body.
#[derive(Debug, Clone)]
pub struct Request {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    json: Option<Vec<u8>>,
}

impl Request {
    pub fn get(path: impl Into<String>) -> Request {
        Request::new(Method::GET, path)
    }

    /// Adds a query parameter; the value is percent-encoded when sent.
    pub fn query(mut self, name: &str, value: impl Into<String>) -> Request {
        self.query.push((name.to_string(), value.into()));
        self
    }

    pub fn delete(path: impl Into<String>) -> Request {
        Request::new(Method::DELETE, path)
    }

    /// Sends `body` as JSON.
    pub fn json(mut self, body: &serde_json::Value) -> Request {
        self.json = Some(body.to_string().into_bytes());
        self
    }

    fn new(method: Method, path: impl Into<String>) -> Request {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            json: None,
        }
    }

    /// The path with its query, percent-encoded.
    fn path_and_query(&self) -> String {
        let mut target = self.path.clone();
        for (i, (name, value)) in self.query.iter().enumerate() {
            target.push(if i == 0 { '?' } else { '&' });
            target.push_str(&percent_encode(name));
            target.push('=');
            target.push_str(&percent_encode(value));
        }
        target
    }
}

/// Percent-encodes all but unreserved characters and commas (list values
/// stay readable; a server decodes `%2C` to the same comma). A `+` is
/// encoded: unescaped, it would reach the server as a space.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~,".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A client for one endpoint (one base URL), on one agent whose
/// connections are kept for reuse.
pub struct Client {
    agent: Agent,
    endpoint: Endpoint,
    auth: Auth,
    options: ClientOptions,
}

/// Shows what the client was set up with; the token shows as `***`, and
/// the agent (which never holds the token) is left out for brevity.
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.endpoint)
            .field("auth", &self.auth)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(endpoint: Endpoint, auth: Auth, options: ClientOptions) -> Client {
        let roots = match &endpoint.trusted_roots {
            Some(roots) => roots.clone(),
            None => tls::bundled_root_certs(),
        };
        let agent = new_agent(
            roots,
            endpoint.proxy.clone(),
            &options,
            Some(options.request_timeout),
            "application/json",
        );
        Client {
            agent,
            endpoint,
            auth,
            options,
        }
    }

    /// Sends a request and returns the body of its 2xx answer, retrying
    /// transient failures up to the client's `retries`.
    pub fn send(&self, request: &Request) -> Result<Vec<u8>, Failure> {
        retrying(&self.options, || self.send_once(request))
    }

    /// The CAs the API is reached with; `None` for a plain-http loopback
    /// API, which read none.
    pub fn trusted_roots(&self) -> Option<&RootCerts> {
        self.endpoint.trusted_roots.as_ref()
    }

    /// One request, no retry.
    pub fn send_once(&self, request: &Request) -> Result<Vec<u8>, Failure> {
        let url = format!("{}{}", self.endpoint.base_url, request.path_and_query());
        if self.options.verbose {
            log_proxy(self.endpoint.proxy.as_ref());
            log(&format!("> {} {url}", request.method));
            log("> authorization: Bearer ***");
            log("> accept: application/json");
            if request.json.is_some() {
                log("> content-type: application/json");
            }
            log(&format!("> user-agent: {USER_AGENT}"));
        }
        let builder = http::Request::builder()
            .method(request.method.clone())
            .uri(&url)
            .header(
                "Authorization",
                format!("Bearer {}", self.auth.token.expose()),
            );
        let sent = match &request.json {
            Some(body) => builder
                .header("Content-Type", "application/json")
                .body(body.as_slice())
                .map(|r| self.agent.run(r)),
            None => builder.body(()).map(|r| self.agent.run(r)),
        };
        let response = sent
            .map_err(|e| Failure::config(format!("cannot build the request to {url}: {e}")))?
            .map_err(|e| self.classify_error(e))?;
        if self.options.verbose {
            log_response(&response, |value| self.redact(value));
        }
        self.classify_response(response)
    }

    fn classify_response(&self, mut response: Response<ureq::Body>) -> Result<Vec<u8>, Failure> {
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
        let body = error_body(&mut response);
        let message = error_message(&body).map(|m| self.redact(&m));
        match status.as_u16() {
            401 | 403 => Err(Failure::Unauthorized {
                status: status.as_u16(),
                token_source: self.auth.source.to_string(),
                message,
            }),
            _ => Err(status_failure("the API", status, retry_after, message)),
        }
    }

    fn classify_error(&self, error: ureq::Error) -> Failure {
        Client::classify_error_at(
            &self.endpoint.host,
            "the API",
            self.options.request_timeout,
            error,
        )
    }

    /// A failure to get an answer from `host` (`who` names it where the
    /// message is not about the connection): for the API and for links.
    fn classify_error_at(
        host: &str,
        who: &str,
        request_timeout: Duration,
        error: ureq::Error,
    ) -> Failure {
        match error {
            ureq::Error::Timeout(ureq::Timeout::Connect) => Failure::unreachable(format!(
                "could not connect to {host} within {}",
                human_seconds(CONNECT_TIMEOUT.min(request_timeout))
            )),
            ureq::Error::Timeout(ureq::Timeout::PerRead) => Failure::unreachable(format!(
                "{host} sent nothing for {}",
                human_seconds(request_timeout)
            )),
            ureq::Error::Timeout(_) => Failure::unreachable(format!(
                "the request to {host} timed out after {}",
                human_seconds(request_timeout)
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
                    reason: format!("{who}'s redirects failed: {e}"),
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
        text.replace(self.auth.token.expose(), "***")
    }
}

/// Receives a link's body as it comes. Each try of the request begins with
/// [`Sink::start`] (a retry starts the body over); a failure of the sink
/// itself (the disk) ends the fetch at once: it is never retried.
pub trait Sink {
    /// An answer is coming, of `length` bytes when the server said so.
    fn start(&mut self, length: Option<u64>) -> Result<(), Failure>;
    /// The next bytes of the body.
    fn write(&mut self, bytes: &[u8]) -> Result<(), Failure>;
}

/// A client for links to other hosts (an output's pre-signed URL on a
/// storage host): one agent, without the token, whose connections are kept
/// for reuse per host and proxy.
pub struct LinkClient {
    agent: Agent,
    options: ClientOptions,
}

impl LinkClient {
    /// A client trusting `roots`. `--request-timeout` bounds connecting
    /// (alone at most 10 s), sending the request and receiving the answer's
    /// head, and then each wait for more of the body: a download that keeps
    /// coming is never cut off, one that stalls is.
    pub fn new(roots: RootCerts, options: ClientOptions) -> LinkClient {
        let agent = new_agent(roots, None, &options, None, "*/*");
        LinkClient { agent, options }
    }

    /// Fetches `link` into `sink`, retrying transient failures (a body cut
    /// short among them) up to the client's `retries`; returns the bytes
    /// written. An answer other than 2xx, 429 and 5xx is
    /// [`Failure::HttpStatus`], for the caller to decide about (an expired
    /// link answers 400, 403 or 404).
    pub fn fetch(&self, link: &Link, sink: &mut dyn Sink) -> Result<u64, Failure> {
        retrying(&self.options, || self.fetch_once(link, sink))
    }

    fn fetch_once(&self, link: &Link, sink: &mut dyn Sink) -> Result<u64, Failure> {
        if self.options.verbose {
            log_proxy(link.proxy.as_ref());
            log(&format!("> GET {}", link.shown()));
            log(&format!("> user-agent: {USER_AGENT}"));
        }
        let host = &link.host;
        let request = http::Request::get(link.url()).body(()).map_err(|_| {
            Failure::BadResponse(format!("the link {} is not usable", link.shown()))
        })?;
        // The proxy is the link host's (curl's rules, NO_PROXY), per request.
        // No bound on the whole request: only on the wait for the answer,
        // and for each read of the body.
        let timeout = Some(self.options.request_timeout);
        let request = self
            .agent
            .configure_request(request)
            .proxy(link.proxy.clone())
            .timeout_resolve(timeout)
            .timeout_send_request(timeout)
            .timeout_recv_response(timeout)
            .timeout_per_read(timeout)
            // The file as it is stored: no compression asked for.
            .accept_encoding("")
            .build();
        let mut response = self
            .agent
            .run(request)
            .map_err(|e| Client::classify_error_at(host, host, self.options.request_timeout, e))?;
        if self.options.verbose {
            log_response(&response, str::to_string);
        }
        let status = response.status();
        if !status.is_success() {
            let retry_after = retry_after(response.headers());
            let body = error_body(&mut response);
            return Err(status_failure(
                host,
                status,
                retry_after,
                link_error_message(&body),
            ));
        }
        // A decoded body (Content-Encoding) differs in length from what
        // Content-Length counts; ureq checks that count itself then.
        let encoded = response
            .headers()
            .get("content-encoding")
            .is_some_and(|v| !v.as_bytes().eq_ignore_ascii_case(b"identity"));
        let length = response.body().content_length().filter(|_| !encoded);
        sink.start(length)?;
        let mut reader = response.into_body().into_reader();
        let mut buffer = vec![0; COPY_BUFFER];
        let mut received: u64 = 0;
        loop {
            let read = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => read,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let error = ureq::Error::from(e);
                    return Err(Client::classify_error_at(
                        host,
                        host,
                        self.options.request_timeout,
                        error,
                    ));
                }
            };
            sink.write(&buffer[..read])?;
            received += read as u64;
        }
        match length {
            Some(length) if received != length => Err(Failure::unreachable(format!(
                "{host} sent {received} of the {length} bytes it announced"
            ))),
            _ => Ok(received),
        }
    }
}

/// An agent: the trusted roots, the proxy, the connect timeout and a bound
/// on each whole request (`global`), redirects (followed without the
/// token), kept connections.
fn new_agent(
    roots: RootCerts,
    proxy: Option<Proxy>,
    options: &ClientOptions,
    global: Option<Duration>,
    accept: &str,
) -> Agent {
    // ureq is built without a provider of its own (see Cargo.toml).
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = TlsConfig::builder()
        .root_certs(roots)
        .unversioned_rustls_crypto_provider(provider);
    Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(CONNECT_TIMEOUT.min(options.request_timeout)))
        .user_agent(USER_AGENT)
        .max_redirects(5)
        .max_idle_connections(options.parallel.max(1))
        .max_idle_connections_per_host(options.parallel.max(1))
        // A redirect, even to the same host, is followed without the
        // token: it could lead anywhere, plain http included.
        .redirect_auth_headers(RedirectAuthHeaders::Never)
        .proxy(proxy)
        .tls_config(tls.build())
        .timeout_global(global)
        .accept(accept)
        .build()
        .new_agent()
}

/// Runs `once` until it succeeds, fails for good, or has been retried
/// `options.retries` times after transient failures.
fn retrying<T>(
    options: &ClientOptions,
    mut once: impl FnMut() -> Result<T, Failure>,
) -> Result<T, Failure> {
    let mut attempt = 0;
    loop {
        match once() {
            Err(failure) if failure.is_transient() && attempt < options.retries => {
                let pause = pause(attempt, &failure, options.time_scale, fastrand::f64());
                if options.verbose {
                    log(&format!(
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

/// An error answer's body: read only for a message, and only a little.
fn error_body(response: &mut Response<ureq::Body>) -> Vec<u8> {
    response
        .body_mut()
        .with_config()
        .limit(64 * 1024)
        .read_to_vec()
        .unwrap_or_default()
}

/// The verbose line that says a request goes through a proxy: its host
/// and port, never its password.
fn log_proxy(proxy: Option<&Proxy>) {
    if let Some(proxy) = proxy {
        log(&format!(
            "* through proxy {}:{}",
            proxy.host(),
            proxy.port()
        ));
    }
}

/// The verbose lines of an answer's head, each value through `shown`.
fn log_response(response: &Response<ureq::Body>, shown: impl Fn(&str) -> String) {
    log(&format!("< {:?} {}", response.version(), response.status()));
    for (name, value) in response.headers() {
        let value = shown(value.to_str().unwrap_or("<binary>"));
        log(&format!("< {name}: {value}"));
    }
}

/// A status other than 2xx (and other than a refused token), from `who`
/// (`the API`, or a link's host): 429 and 5xx may pass, any other is
/// [`Failure::HttpStatus`].
fn status_failure(
    who: &str,
    status: StatusCode,
    retry_after: Option<Duration>,
    message: Option<String>,
) -> Failure {
    let status_line = status_line(status);
    match status.as_u16() {
        code @ (429 | 500..=599) => {
            let reason = format!("{who} answered {status_line}{}", detail(&message));
            let retry = match code {
                429 | 500 | 502 | 503 | 504 => Retry::Soon,
                _ => Retry::Later,
            };
            come_back_later(reason, retry_after, retry)
        }
        code => Failure::HttpStatus {
            status: code,
            status_line,
            message,
        },
    }
}

/// Writes a verbose line, whole, so that lines from several threads do not
/// interleave.
fn log(line: &str) {
    let _ = writeln!(io::stderr().lock(), "{line}");
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

/// What a link's host says in an error body: the `message` or `error` of
/// a JSON body (beta9 answers `{"error": "invalid output id"}`), or the
/// `<Message>` of S3's XML (`Request has expired`).
fn link_error_message(body: &[u8]) -> Option<String> {
    let from_json = || {
        let value: serde_json::Value = serde_json::from_slice(body).ok()?;
        let text = ["message", "error"]
            .iter()
            .find_map(|key| value.get(key)?.as_str())?;
        Some(text.to_string())
    };
    let from_xml = || {
        let text = std::str::from_utf8(body).ok()?;
        let start = text.find("<Message>")? + "<Message>".len();
        let end = start + text[start..].find("</Message>")?;
        Some(text[start..end].to_string())
    };
    let message = one_line(&from_json().or_else(from_xml)?);
    let shortened: String = message.chars().take(300).collect();
    (!shortened.is_empty()).then_some(shortened)
}

fn status_line(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("HTTP {} {reason}", status.as_u16()),
        None => format!("HTTP {}", status.as_u16()),
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
        let endpoint = Endpoint::resolve("http://127.0.0.1:9", "--api-url").unwrap();
        let auth = Auth::new(Token::new("client-secret-4c1d"), TokenSource::Flag);
        let options = ClientOptions {
            retries: 0,
            request_timeout: Duration::from_secs(1),
            verbose: true,
            time_scale: 1.0,
            parallel: 1,
        };
        let client = Client::new(endpoint, auth, options);
        let shown = format!("{client:?}");
        assert!(!shown.contains("client-secret-4c1d"), "{shown}");
        assert!(shown.contains("Token(***)"), "{shown}");
    }

    #[test]
    fn query_values_are_percent_encoded_but_commas_kept() {
        let mut request = Request::get("/api/v1/task/ws");
        request.query = vec![
            ("status".into(), "RUNNING,PENDING".into()),
            (
                "created_at_start".into(),
                "2026-11-28T00:00:00+01:00".into(),
            ),
        ];
        assert_eq!(
            request.path_and_query(),
            "/api/v1/task/ws?status=RUNNING,PENDING&created_at_start=2026-11-28T00%3A00%3A00%2B01%3A00"
        );
    }

    #[test]
    fn link_errors_show_the_message_of_json_or_s3_xml() {
        assert_eq!(
            link_error_message(br#"{"error":"invalid output id"}"#).as_deref(),
            Some("invalid output id")
        );
        let s3 = b"<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code>\
                   <Message>Request has expired</Message></Error>";
        assert_eq!(
            link_error_message(s3).as_deref(),
            Some("Request has expired")
        );
        assert_eq!(link_error_message(b"<html>403</html>"), None);
    }

    #[test]
    fn human_seconds_drops_useless_decimals() {
        assert_eq!(human_seconds(Duration::from_secs(30)), "30 s");
        assert_eq!(human_seconds(Duration::from_millis(1500)), "1.5 s");
    }
}
