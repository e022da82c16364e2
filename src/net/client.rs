//! The request path: every request to Beam's APIs goes through
//! [`Client::send`], whatever its method, path, query or body.
//!
//! One place for the token (sent, never shown), verbose lines, timeouts,
//! retries (`retry.rs`), size limits and the classification of failures
//! (`classify.rs`). A 2xx answer gives its body; everything else is a
//! [`Failure`]: 401 and 403 refuse the token, 429 and 5xx come back later,
//! and any other status (404 among them) is [`Failure::HttpStatus`], whose
//! meaning the caller decides. Redirects are followed here, hop by hop
//! (`redirect.rs`).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use ureq::http::{self, HeaderMap, Method, Response, Uri};
use ureq::tls::{RootCerts, TlsConfig};
use ureq::unversioned::resolver::DefaultResolver;
use ureq::unversioned::transport::{Connector, RustlsConnector, SocksConnector, TcpConnector};
use ureq::{Agent, Proxy};

use crate::clock;
use crate::failure::{Failure, Retry};
use crate::log;
use crate::net::auth::{Auth, Token};
use crate::net::classify::{self, error_body, error_message, status_failure};
use crate::net::endpoint::{Endpoint, host_and_port};
use crate::net::redirect::{MAX_REDIRECTS, host_header, redirect_location, redirect_target};
use crate::net::retry::{retry_after, retrying};
use crate::net::{proxy, tls};

/// Bodies larger than this are refused (exit 76) rather than read whole.
pub const MAX_BODY_BYTES: u64 = 10 * 1024 * 1024;

/// Each connection's input and output buffers, in each of its transports.
const CONNECTION_BUFFER: usize = 16 * 1024;

/// The connection alone must be made within this.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

pub const USER_AGENT: &str = concat!("beam-task/", env!("CARGO_PKG_VERSION"));

/// How the client behaves, beyond where it connects.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Further tries after a transient failure.
    pub retries: u32,
    /// The bound on each whole request, connection included.
    pub request_timeout: Duration,
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
            target.extend(utf8_percent_encode(name, QUERY_VALUE));
            target.push('=');
            target.extend(utf8_percent_encode(value, QUERY_VALUE));
        }
        target
    }
}

/// What a query's names and values keep unencoded: unreserved characters
/// and commas (list values stay readable; a server decodes `%2C` to the
/// same comma). A `+` is encoded: unescaped, it would reach the server as a
/// space.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b',');

/// A client for one endpoint (one base URL), on one agent whose
/// connections are kept for reuse.
pub struct Client {
    pub(super) agent: Agent,
    pub(super) endpoint: Endpoint,
    pub(super) auth: Auth,
    pub(super) options: ClientOptions,
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
        let tls = tls_config(roots);
        let config = |proxy: Option<Proxy>| {
            Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(clock::real(options.request_timeout)))
                .timeout_connect(Some(clock::real(connect_timeout(options.request_timeout))))
                .user_agent(USER_AGENT)
                // Redirects are followed by `send_once`.
                .max_redirects(0)
                .max_idle_connections(options.parallel.max(1))
                .max_idle_connections_per_host(options.parallel.max(1))
                // ureq's 128 KiB each way, per transport (TCP and TLS), is
                // half a megabyte a connection; a task's answer fits in far
                // less, and the input buffer grows when one does not.
                .input_buffer_size(CONNECTION_BUFFER)
                .output_buffer_size(CONNECTION_BUFFER)
                .proxy(proxy)
                .tls_config(tls.clone())
                .build()
        };
        // ureq's default chain, with the CONNECT tunnel made here.
        let connector =
            ().chain(SocksConnector::default())
                .chain(proxy::Tunnel::new(config(None), USER_AGENT))
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
        retrying(self.options.retries, || self.send_once(request))
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
            self.log_request(&built);
            let remaining =
                clock::real(self.options.request_timeout).saturating_sub(started.elapsed());
            let response = self
                .run(built, body, hop > 0, remaining)
                .map_err(|e| self.classify_error(e, &host))?;
            log::response(&response, |_, value| self.redact(value));
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
    pub(super) fn build(
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
    pub(super) fn log_request(&self, request: &http::Request<()>) {
        log::request(
            self.endpoint.proxy.as_ref().map(|p| p.shown()),
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
    pub(super) fn refused(&self, mut response: Response<ureq::Body>) -> Failure {
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

    /// A failure of the request to `host` (the API's, or where it
    /// redirected).
    pub(super) fn classify_error(&self, error: ureq::Error, host: &str) -> Failure {
        classify::classify_error(
            error,
            host,
            self.endpoint.proxy.as_ref(),
            self.options.request_timeout,
        )
    }

    /// A server may echo the token back (in a header or an error message);
    /// what it says is shown with the token masked.
    pub(super) fn redact(&self, text: &str) -> String {
        text.replace(self.auth.token().expose(), "***")
    }
}

/// The connection alone must be made within this, or `request_timeout` if
/// that is shorter.
pub(super) fn connect_timeout(request_timeout: Duration) -> Duration {
    CONNECT_TIMEOUT.min(request_timeout)
}

/// TLS trusting `roots`, with ring as the crypto provider: ureq is built
/// without a provider of its own (see Cargo.toml).
pub(super) fn tls_config(roots: RootCerts) -> TlsConfig {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    TlsConfig::builder()
        .root_certs(roots)
        .unversioned_rustls_crypto_provider(provider)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::auth::TokenSource;

    #[test]
    fn debug_of_a_client_hides_the_token() {
        let endpoint = Endpoint::resolve("http://127.0.0.1:9", "--api-url").unwrap();
        let auth = Auth::new(
            Token::from_secret("client-secret-4c1d".into()),
            TokenSource::Flag,
        );
        let options = ClientOptions {
            retries: 0,
            request_timeout: Duration::from_secs(1),
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
        let odd = Request::get("/p").query("a b", "x-y_z.~é&=/?#%");
        assert_eq!(
            odd.path_and_query(),
            "/p?a%20b=x-y_z.~%C3%A9%26%3D%2F%3F%23%25"
        );
    }
}
