//! The request path: every request to Beam's APIs goes through
//! [`Client::send`], whatever its method, path, query or body.
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
//! [`LinkClient`] fetches a link to another host (an output's pre-signed
//! URL) the same way, without the token, its body streamed to a [`Sink`].

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Read, Write};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use ureq::http::{self, HeaderMap, Method, Response, StatusCode, Uri};
use ureq::tls::{RootCerts, TlsConfig};
use ureq::unversioned::resolver::DefaultResolver;
use ureq::unversioned::transport::{Connector, RustlsConnector, SocksConnector, TcpConnector};
use ureq::{Agent, Proxy};

use crate::failure::{Failure, Retry, detail};
use crate::net::auth::{Auth, Token};
use crate::net::endpoint::{Endpoint, Link, host_and_port, without_query};
use crate::net::{proxy, tls};
use crate::text::one_line;

/// Bodies larger than this are refused (exit 76) rather than read whole.
pub const MAX_BODY_BYTES: u64 = 10 * 1024 * 1024;

/// The connection alone must be made within this.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A `Retry-After` longer than this is not waited for.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Redirects followed for one request (or one link), at most.
const MAX_REDIRECTS: u32 = 5;

/// The first backoff; it doubles on each further try.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);

/// The backoff stops doubling here, so that many retries never mean hours.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// A download is copied to its sink this much at a time.
const COPY_BUFFER: usize = 256 * 1024;

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
        // ureq is built without a provider of its own (see Cargo.toml).
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = TlsConfig::builder()
            .root_certs(roots)
            .unversioned_rustls_crypto_provider(provider)
            .build();
        let config = |proxy: Option<Proxy>| {
            Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(options.request_timeout))
                .timeout_connect(Some(CONNECT_TIMEOUT.min(options.request_timeout)))
                .user_agent(USER_AGENT)
                // Redirects are followed by `send_once`.
                .max_redirects(0)
                .max_idle_connections(options.parallel.max(1))
                .max_idle_connections_per_host(options.parallel.max(1))
                .proxy(proxy)
                .tls_config(tls.clone())
                .build()
        };
        let log: Option<proxy::Log> = options.verbose.then_some(log);
        // ureq's default chain, with the CONNECT tunnel made here.
        let connector =
            ().chain(SocksConnector::default())
                .chain(proxy::Tunnel::new(config(None), USER_AGENT, log))
                .chain(TcpConnector::default())
                .chain(RustlsConnector::default());
        let agent = Agent::with_parts(
            config(endpoint.proxy.as_ref().map(|p| p.proxy.clone())),
            connector,
            DefaultResolver::default(),
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

    /// The token this client sends, and where it came from.
    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    /// The CAs the API is reached with; `None` for a plain-http loopback
    /// API, which read none.
    pub fn trusted_roots(&self) -> Option<&RootCerts> {
        self.endpoint.trusted_roots.as_ref()
    }

    /// One request, no retry. A redirect (301, 302, 303, 307, 308) is
    /// followed here, at most [`MAX_REDIRECTS`] times, without the token:
    /// so that each hop shows in `--verbose`, a failure names the host that
    /// failed, and a redirect to a scheme other than http(s) is refused.
    pub fn send_once(&self, request: &Request) -> Result<Vec<u8>, Failure> {
        let first = format!("{}{}", self.endpoint.base_url, request.path_and_query());
        let mut url: Uri = first
            .parse()
            .map_err(|e| Failure::config(format!("cannot build the request to {first}: {e}")))?;
        let mut method = request.method.clone();
        let mut body = request.json.as_deref();
        let started = Instant::now();
        for hop in 0..=MAX_REDIRECTS {
            let host = host_and_port(&url);
            // The token goes to the API only, never where it redirects.
            let token = (hop == 0).then_some(self.auth.token());
            let built = self.build(&method, &url, body, token);
            if self.options.verbose {
                self.log_request(&built);
            }
            let remaining = self
                .options
                .request_timeout
                .saturating_sub(started.elapsed());
            let response = self
                .run(built, body, hop > 0, remaining)
                .map_err(|e| self.classify_error(e, &host))?;
            if self.options.verbose {
                log_response(&response, |_, value| self.redact(value));
            }
            let Some(location) = redirect_location(&response) else {
                return self.classify_response(response, &host);
            };
            if hop == MAX_REDIRECTS {
                break;
            }
            let status = response.status().as_u16();
            url = redirect_target(&url, location, "the API")?;
            // As curl: 303 turns any method into GET, 301 and 302 any but
            // GET and HEAD; 307 and 308 keep the method and the body.
            let keeps = matches!(status, 307 | 308)
                || (status != 303 && matches!(method, Method::GET | Method::HEAD));
            if !keeps {
                if method != Method::HEAD {
                    method = Method::GET;
                }
                body = None;
            }
        }
        Err(Failure::Unreachable {
            reason: format!("the API redirected more than {MAX_REDIRECTS} times"),
            retry_after: None,
            retry: Retry::Never,
        })
    }

    /// The request as sent, every header in it: ureq adds none of its own
    /// when these are there, so that `--verbose` shows what goes out.
    fn build(
        &self,
        method: &Method,
        url: &Uri,
        body: Option<&[u8]>,
        token: Option<&Token>,
    ) -> http::Request<()> {
        let mut headers = HeaderMap::new();
        let mut add = |name: http::HeaderName, value: &str| {
            if let Ok(value) = http::HeaderValue::from_str(value) {
                headers.append(name, value);
            }
        };
        add(http::header::HOST, &host_header(url));
        if let Some(token) = token {
            add(
                http::header::AUTHORIZATION,
                &format!("Bearer {}", token.expose()),
            );
        }
        add(http::header::ACCEPT, "application/json");
        add(http::header::ACCEPT_ENCODING, "gzip");
        add(http::header::USER_AGENT, USER_AGENT);
        if let Some(body) = body {
            add(http::header::CONTENT_TYPE, "application/json");
            add(http::header::CONTENT_LENGTH, &body.len().to_string());
        }
        let mut built = http::Request::new(());
        *built.method_mut() = method.clone();
        *built.uri_mut() = url.clone();
        *built.headers_mut() = headers;
        built
    }

    /// `> GET url` and each header of the request as built, the token as
    /// `***`.
    fn log_request(&self, request: &http::Request<()>) {
        log_request(
            self.endpoint.proxy.as_ref(),
            request,
            &request.uri().to_string(),
            |name, value| {
                if name == http::header::AUTHORIZATION {
                    "Bearer ***".to_string()
                } else {
                    self.redact(value)
                }
            },
        );
    }

    /// Sends one hop. A hop after a redirect gets what is left of the
    /// request's time, so that the whole request stays within its bound.
    fn run(
        &self,
        request: http::Request<()>,
        body: Option<&[u8]>,
        redirected: bool,
        remaining: Duration,
    ) -> Result<Response<ureq::Body>, ureq::Error> {
        let (parts, ()) = request.into_parts();
        match body {
            Some(body) => self.run_with(
                http::Request::from_parts(parts, body),
                redirected,
                remaining,
            ),
            None => self.run_with(http::Request::from_parts(parts, ()), redirected, remaining),
        }
    }

    fn run_with<S: ureq::AsSendBody>(
        &self,
        request: http::Request<S>,
        redirected: bool,
        remaining: Duration,
    ) -> Result<Response<ureq::Body>, ureq::Error> {
        if redirected {
            let request = self
                .agent
                .configure_request(request)
                .timeout_global(Some(remaining))
                .build();
            self.agent.run(request)
        } else {
            self.agent.run(request)
        }
    }

    fn classify_response(
        &self,
        mut response: Response<ureq::Body>,
        host: &str,
    ) -> Result<Vec<u8>, Failure> {
        let status = response.status();
        if status.is_success() {
            return response
                .body_mut()
                .with_config()
                .limit(MAX_BODY_BYTES)
                .read_to_vec()
                .map_err(|e| self.classify_error(e, host));
        }
        Err(self.refused(response))
    }

    /// An answer other than 2xx: 401 and 403 refuse the token, 429 and 5xx
    /// may pass, any other is [`Failure::HttpStatus`].
    fn refused(&self, mut response: Response<ureq::Body>) -> Failure {
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let body = error_body(&mut response);
        let message = error_message(&body).map(|m| self.redact(&m));
        match status.as_u16() {
            401 | 403 => Failure::Unauthorized {
                status: status.as_u16(),
                token_source: self.auth.source().to_string(),
                message,
            },
            _ => status_failure("the API", status, retry_after, message),
        }
    }

    /// Opens a stream of events at `path` (`GET`, with the token), whose
    /// body is then read as it comes: no bound on the whole request, but
    /// each read waits `silence` at most. Fails only when no answer came
    /// (the connection, TLS, a proxy); an answer of any status is given, for
    /// the caller to decide about (see [`Client::refusal`]).
    pub fn open_stream(&self, path: &str, silence: Duration) -> Result<Streamed, Failure> {
        let url = format!("{}{path}", self.endpoint.base_url);
        let uri: Uri = url
            .parse()
            .map_err(|e| Failure::config(format!("cannot build the request to {url}: {e}")))?;
        let host = host_and_port(&uri);
        let mut built = self.build(&Method::GET, &uri, None, Some(self.auth.token()));
        built.headers_mut().insert(
            http::header::ACCEPT,
            http::HeaderValue::from_static("text/event-stream"),
        );
        // An event is small and comes when it comes: no compression.
        built.headers_mut().insert(
            http::header::ACCEPT_ENCODING,
            http::HeaderValue::from_static("identity"),
        );
        if self.options.verbose {
            self.log_request(&built);
        }
        let timeout = Some(self.options.request_timeout);
        let request = self
            .agent
            .configure_request(built)
            .timeout_global(None)
            .timeout_recv_response(timeout)
            .timeout_per_read(Some(silence))
            .build();
        let response = self
            .agent
            .run(request)
            .map_err(|e| self.classify_error(e, &host))?;
        if self.options.verbose {
            log_response(&response, |_, value| self.redact(value));
        }
        Ok(Streamed {
            response: Some(response),
            body: None,
            host,
            proxy: self.endpoint.proxy.clone(),
            request_timeout: self.options.request_timeout,
        })
    }

    /// The failure that a refused stream stands for, as [`Client::send`]
    /// would classify the same answer.
    pub fn refusal(&self, mut streamed: Streamed) -> Failure {
        match streamed.response.take() {
            Some(response) => self.refused(response),
            None => Failure::unreachable(format!("{} ended the stream", streamed.host)),
        }
    }

    /// A failure of the request to `host` (the API's, or where it
    /// redirected).
    fn classify_error(&self, error: ureq::Error, host: &str) -> Failure {
        classify_error(
            error,
            host,
            self.endpoint.proxy.as_ref(),
            self.options.request_timeout,
        )
    }

    /// A server may echo the token back (in a header or an error message);
    /// what it says is shown with the token masked.
    fn redact(&self, text: &str) -> String {
        text.replace(self.auth.token().expose(), "***")
    }
}

/// A failure of a request to `host` (an API's, where it redirected, or a
/// link's host), made through `proxy` if any, bounded by `request_timeout`.
fn classify_error(
    error: ureq::Error,
    host: &str,
    proxy: Option<&proxy::ProxySetting>,
    request_timeout: Duration,
) -> Failure {
    let error = match (proxy, error) {
        (Some(proxy), ureq::Error::Other(other)) => match other.downcast::<proxy::ProxyFailure>() {
            Ok(failure) => return proxy_failure(proxy, *failure, host),
            Err(other) => ureq::Error::Other(other),
        },
        // A SOCKS proxy is the only host connected to.
        (Some(proxy), ureq::Error::Io(e))
            if proxy.is_socks() && e.kind() == io::ErrorKind::ConnectionRefused =>
        {
            return proxy_failure(proxy, proxy::ProxyFailure::Unreachable(e.into()), host);
        }
        (Some(proxy), ureq::Error::Io(e))
            if proxy.is_socks() && e.kind() == io::ErrorKind::PermissionDenied =>
        {
            return Failure::Config {
                message: format!(
                    "the proxy {} refused the connection: {}",
                    proxy.shown(),
                    one_line(&e.to_string())
                ),
                hint: Some(format!(
                    "give the proxy's credentials in {} as socks5://user:password@host:port",
                    proxy.variable
                )),
            };
        }
        (Some(proxy), ureq::Error::Io(e)) if proxy.is_socks() => {
            match proxy::socks_refusal(proxy, &e, host) {
                Some(failure) => return failure,
                None => ureq::Error::Io(e),
            }
        }
        (_, error) => error,
    };
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
        ureq::Error::HostNotFound => Failure::unreachable(format!("cannot resolve host {host}")),
        ureq::Error::ConnectionFailed => Failure::unreachable(format!("cannot connect to {host}")),
        // Not gzip at all: the same answer would come again.
        ureq::Error::Decompress(encoding, e)
            if matches!(
                e.kind(),
                io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput
            ) =>
        {
            Failure::BadResponse(format!(
                "the response says it is {encoding}-encoded, but it is not ({})",
                one_line(&e.to_string())
            ))
        }
        // The connection failed while the body was being decoded.
        ureq::Error::Decompress(_, e) => {
            classify_error(ureq::Error::Io(e), host, proxy, request_timeout)
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
        e => Failure::unreachable(format!(
            "request to {host} failed: {}",
            one_line(&e.to_string())
        )),
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
        // ureq is built without a provider of its own (see Cargo.toml).
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = TlsConfig::builder()
            .root_certs(roots)
            .unversioned_rustls_crypto_provider(provider)
            .build();
        let agent = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(CONNECT_TIMEOUT.min(options.request_timeout)))
            .user_agent(USER_AGENT)
            .accept("*/*")
            // Redirects are followed by `fetch_once`, each hop checked.
            .max_redirects(0)
            .max_idle_connections(options.parallel.max(1))
            .max_idle_connections_per_host(options.parallel.max(1))
            .tls_config(tls)
            .build()
            .new_agent();
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

    /// One try: the link, and each redirect (301, 302, 303, 307, 308) it
    /// leads to, at most [`MAX_REDIRECTS`]. Each `Location` is read against
    /// the URL that answered with it and checked as a link is (https, or
    /// http to loopback: a redirect refused is exit 76, and not followed),
    /// and fetched through its own host's proxy, each hop shown by
    /// `--verbose`.
    fn fetch_once(&self, link: &Link, sink: &mut dyn Sink) -> Result<u64, Failure> {
        let mut hop = Cow::Borrowed(link);
        for redirects in 0..=MAX_REDIRECTS {
            let mut response = self.get(&hop)?;
            let Some(location) = redirect_location(&response) else {
                return self.receive(&hop, response, sink);
            };
            if redirects == MAX_REDIRECTS {
                break;
            }
            let target = redirect_target(hop.uri(), location, &hop.host)?;
            let next = Link::redirected(target, &hop.host)?;
            // Read (a little of) it, so that the connection may be reused.
            error_body(&mut response);
            hop = Cow::Owned(next);
        }
        Err(Failure::Unreachable {
            reason: format!(
                "the link to {} redirected more than {MAX_REDIRECTS} times",
                link.host
            ),
            retry_after: None,
            retry: Retry::Never,
        })
    }

    /// Sends the request for one hop, and gives the head of its answer.
    fn get(&self, link: &Link) -> Result<Response<ureq::Body>, Failure> {
        // Every header it carries, so that ureq adds none of its own and
        // `--verbose` shows what goes out. The file as it is stored: no
        // compression asked for. No token: the link goes to a storage host.
        let request = http::Request::get(link.uri().clone())
            .header(http::header::HOST, host_header(link.uri()))
            .header(http::header::ACCEPT, "*/*")
            .header(http::header::ACCEPT_ENCODING, "identity")
            .header(http::header::USER_AGENT, USER_AGENT)
            .body(())
            .map_err(|_| {
                Failure::BadResponse(format!("the link {} is not usable", link.shown()))
            })?;
        if self.options.verbose {
            // The link's query (its signature) is never shown.
            log_request(link.proxy.as_ref(), &request, &link.shown(), |_, value| {
                value.to_string()
            });
        }
        let timeout = self.options.request_timeout;
        // The proxy is the link host's (curl's rules, NO_PROXY), per request.
        // No bound on the whole request: only on the wait for the answer,
        // and for each read of the body.
        let request = self
            .agent
            .configure_request(request)
            .proxy(link.proxy.as_ref().map(|p| p.proxy.clone()))
            .timeout_resolve(Some(timeout))
            .timeout_send_request(Some(timeout))
            .timeout_recv_response(Some(timeout))
            .timeout_per_read(Some(timeout))
            .build();
        let response = self
            .agent
            .run(request)
            .map_err(|e| classify_error(e, &link.host, link.proxy.as_ref(), timeout))?;
        if self.options.verbose {
            // A redirect's Location may hold the next link's signature.
            log_response(&response, |name, value| {
                if name == http::header::LOCATION {
                    without_query(value)
                } else {
                    value.to_string()
                }
            });
        }
        Ok(response)
    }

    /// The answer of the link's last hop: its body into `sink` when it is
    /// a 2xx.
    fn receive(
        &self,
        link: &Link,
        mut response: Response<ureq::Body>,
        sink: &mut dyn Sink,
    ) -> Result<u64, Failure> {
        let host = &link.host;
        let timeout = self.options.request_timeout;
        let classify = |e| classify_error(e, host, link.proxy.as_ref(), timeout);
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
                Err(e) => return Err(classify(ureq::Error::from(e))),
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
                let pause = backoff(attempt, &failure, options.time_scale, fastrand::f64());
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

/// The verbose lines of a request as built: the proxy it goes through, then
/// `> METHOD url` (`url` as it may be shown) and each header, each value
/// through `shown`.
fn log_request(
    proxy: Option<&proxy::ProxySetting>,
    request: &http::Request<()>,
    url: &str,
    shown: impl Fn(&http::HeaderName, &str) -> String,
) {
    if let Some(proxy) = proxy {
        log(&format!("* through proxy {}", proxy.shown()));
    }
    log(&format!("> {} {url}", request.method()));
    for (name, value) in request.headers() {
        let value = shown(name, value.to_str().unwrap_or("<binary>"));
        log(&format!("> {name}: {value}"));
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

/// The verbose lines of an answer's head, each value through `shown`
/// (with its header's name).
fn log_response(
    response: &Response<ureq::Body>,
    shown: impl Fn(&http::HeaderName, &str) -> String,
) {
    log(&format!("< {:?} {}", response.version(), response.status()));
    for (name, value) in response.headers() {
        let value = shown(name, value.to_str().unwrap_or("<binary>"));
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

/// An answer whose body is read as it comes: a stream of events.
pub struct Streamed {
    /// The answer, until its body is first read.
    response: Option<Response<ureq::Body>>,
    body: Option<ureq::BodyReader<'static>>,
    host: String,
    proxy: Option<proxy::ProxySetting>,
    request_timeout: Duration,
}

/// Why reading a stream stopped.
#[derive(Debug)]
pub enum StreamEnd {
    /// The server closed it.
    Closed,
    /// Nothing came for the `silence` the stream was opened with.
    Silent,
    /// The connection failed.
    Broken(Failure),
}

impl Streamed {
    pub fn status(&self) -> u16 {
        self.response.as_ref().map_or(200, |r| r.status().as_u16())
    }

    /// `HTTP 404 Not Found`.
    pub fn status_line(&self) -> String {
        self.response
            .as_ref()
            .map_or_else(String::new, |r| status_line(r.status()))
    }

    /// The media type of the body, without its parameters.
    pub fn content_type(&self) -> Option<&str> {
        let value = self
            .response
            .as_ref()?
            .headers()
            .get(http::header::CONTENT_TYPE)?
            .to_str()
            .ok()?;
        value.split(';').next().map(str::trim)
    }

    pub fn is_event_stream(&self) -> bool {
        self.content_type()
            .is_some_and(|media| media.eq_ignore_ascii_case("text/event-stream"))
    }

    /// The next bytes of the body, as many as have come (at most
    /// `buffer.len()`).
    pub fn read(&mut self, buffer: &mut [u8]) -> Result<usize, StreamEnd> {
        if self.body.is_none() {
            let Some(response) = self.response.take() else {
                return Err(StreamEnd::Closed);
            };
            self.body = Some(response.into_body().into_reader());
        }
        let body = self.body.as_mut().ok_or(StreamEnd::Closed)?;
        loop {
            return match body.read(buffer) {
                Ok(0) => Err(StreamEnd::Closed),
                Ok(read) => Ok(read),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => match ureq::Error::from(e) {
                    ureq::Error::Timeout(ureq::Timeout::PerRead) => Err(StreamEnd::Silent),
                    error => Err(StreamEnd::Broken(classify_error(
                        error,
                        &self.host,
                        self.proxy.as_ref(),
                        self.request_timeout,
                    ))),
                },
            };
        }
    }
}

/// Where a redirect leads: the `Location` of a 301, 302, 303, 307 or 308.
/// Other answers (304, a 3xx without `Location`) are answers.
fn redirect_location(response: &Response<ureq::Body>) -> Option<&http::HeaderValue> {
    matches!(response.status().as_u16(), 301 | 302 | 303 | 307 | 308)
        .then(|| response.headers().get(http::header::LOCATION))
        .flatten()
}

/// The URL a `Location` names, read against the URL that answered with it
/// (`who`, in messages: `the API`, a link's host). Only http and https are
/// followed: anything else is an answer not understood (76), final.
fn redirect_target(from: &Uri, location: &http::HeaderValue, who: &str) -> Result<Uri, Failure> {
    let bad = |why: &str| Failure::BadResponse(format!("{who} redirected {why}"));
    let location = location
        .to_str()
        .map_err(|_| bad("to a Location that is not text"))?
        .trim();
    let scheme = from.scheme_str().unwrap_or("https");
    let authority = from.authority().map_or("", |a| a.as_str());
    let named_scheme = location
        .split_once(':')
        .map(|(name, _)| name)
        .filter(|name| {
            name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
    let absolute = if let Some(named) = named_scheme {
        if !["http", "https"]
            .iter()
            .any(|s| named.eq_ignore_ascii_case(s))
        {
            return Err(bad(&format!(
                "to a {}: URL; only http and https are followed",
                one_line(named)
            )));
        }
        location.to_string()
    } else if location.starts_with("//") {
        format!("{scheme}:{location}")
    } else if location.starts_with('/') {
        format!("{scheme}://{authority}{location}")
    } else {
        let path = from.path();
        let folder = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        let folder = if folder.is_empty() { "/" } else { folder };
        format!("{scheme}://{authority}{folder}{location}")
    };
    let target: Uri = absolute
        .parse()
        .map_err(|_| bad("to a Location that is not a URL"))?;
    match target.scheme_str() {
        Some("http" | "https") if target.host().is_some_and(|h| !h.is_empty()) => Ok(target),
        Some("http" | "https") => Err(bad("to a URL without a host")),
        Some(other) => Err(bad(&format!(
            "to a {}: URL; only http and https are followed",
            one_line(other)
        ))),
        None => Err(bad("to a Location that is not a URL")),
    }
}

/// The `Host` header: the host, and the port unless it is the scheme's own.
fn host_header(url: &Uri) -> String {
    let default = match url.scheme_str() {
        Some("http") => Some(80),
        Some("https") => Some(443),
        _ => None,
    };
    match (url.host(), url.port_u16()) {
        (Some(host), Some(port)) if Some(port) != default => format!("{host}:{port}"),
        (Some(host), _) => host.to_string(),
        _ => String::new(),
    }
}

/// A failure of the proxy, told as the proxy's, never as the API's: so
/// that nobody concludes that the API is down.
fn proxy_failure(proxy: &proxy::ProxySetting, failure: proxy::ProxyFailure, host: &str) -> Failure {
    let shown = proxy.shown();
    match failure {
        proxy::ProxyFailure::Unreachable(error) => {
            let why = match error {
                ureq::Error::Io(e) => one_line(&e.to_string()),
                ureq::Error::Timeout(_) => "no connection in time".to_string(),
                ureq::Error::HostNotFound => "cannot resolve its host".to_string(),
                other => one_line(&other.to_string()),
            };
            Failure::unreachable(format!("could not connect to the proxy {shown}: {why}"))
        }
        proxy::ProxyFailure::Broken(e) => Failure::unreachable(format!(
            "the proxy {shown} broke off before the tunnel to {host} was open: {}",
            one_line(&e.to_string())
        )),
        proxy::ProxyFailure::Refused { status: 407, .. } => Failure::config(format!(
            "the proxy {shown} asks for credentials, or refused them: give them in {} as \
             http://user:password@host:port",
            proxy.variable
        )),
        // The proxy's answer, not the API's: asking again changes nothing.
        proxy::ProxyFailure::Refused { status_line, .. } => Failure::Unreachable {
            reason: format!("the proxy {shown} refused the tunnel to {host}: {status_line}"),
            retry_after: None,
            retry: Retry::Never,
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
pub fn backoff(attempt: u32, failure: &Failure, time_scale: f64, jitter: f64) -> Duration {
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
            reason: match jiff::Timestamp::now().checked_add(wait) {
                Ok(at) => format!(
                    "{reason}, and asked to come back in {} s (at {})",
                    wait.as_secs(),
                    at.strftime("%Y-%m-%d %H:%M:%S UTC")
                ),
                Err(_) => format!("{reason}, and asked to come back after the year 9999"),
            },
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
    // Seconds beyond any number: beyond a minute all the same.
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::MAX);
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
        headers.insert("retry-after", "-5".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn a_retry_after_too_large_for_a_number_is_beyond_a_minute() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "99999999999999999999999".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::MAX));
        let failure = come_back_later(
            "the API answered HTTP 503".into(),
            Some(Duration::MAX),
            Retry::Soon,
        );
        assert!(!failure.may_pass_in_time());
        assert_eq!(
            failure.to_string(),
            "the API answered HTTP 503, and asked to come back after the year 9999"
        );
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
        let secs = |attempt, jitter| backoff(attempt, &failure, 1.0, jitter).as_secs_f64();
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
        assert_eq!(backoff(0, &failure, 0.01, 0.5), Duration::from_secs(7));
        let short = Failure::Unreachable {
            reason: "503".into(),
            retry_after: Some(Duration::ZERO),
            retry: Retry::Soon,
        };
        assert_eq!(backoff(2, &short, 1.0, 0.0), Duration::from_secs(2));
    }

    #[test]
    fn debug_of_a_client_hides_the_token() {
        let endpoint = Endpoint::resolve("http://127.0.0.1:9", "--api-url").unwrap();
        let auth = Auth::new(
            Token::from_secret("client-secret-4c1d".into()),
            crate::net::auth::TokenSource::Flag,
        );
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
    fn the_host_header_has_the_port_unless_it_is_the_scheme_s_own() {
        let header = |url: &str| host_header(&url.parse().unwrap());
        assert_eq!(header("https://api.beam.cloud/x"), "api.beam.cloud");
        assert_eq!(header("https://api.beam.cloud:443/x"), "api.beam.cloud");
        assert_eq!(header("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
        assert_eq!(header("http://[::1]:80/x"), "[::1]");
    }

    #[test]
    fn a_location_is_read_against_the_url_that_answered() {
        let from: Uri = "https://api.beam.cloud/v2/task/a/?x=1".parse().unwrap();
        let target = |location: &str| {
            redirect_target(
                &from,
                &http::HeaderValue::from_str(location).unwrap(),
                "the API",
            )
            .map(|u| u.to_string())
        };
        assert_eq!(
            target("https://other.example/p").unwrap(),
            "https://other.example/p"
        );
        assert_eq!(
            target("//other.example/p").unwrap(),
            "https://other.example/p"
        );
        assert_eq!(
            target("/v3/task/a/").unwrap(),
            "https://api.beam.cloud/v3/task/a/"
        );
        assert_eq!(target("b/").unwrap(), "https://api.beam.cloud/v2/task/a/b/");
        for refused in [
            "ftp://files.example/a",
            "file:///etc/passwd",
            "javascript:alert(1)",
        ] {
            let err = target(refused).unwrap_err();
            assert_eq!(
                err.exit_code(),
                crate::exit_codes::ExitCode::BadResponse,
                "{refused}"
            );
        }
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
