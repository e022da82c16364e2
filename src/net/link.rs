//! Links to other hosts (an output's pre-signed URL on a storage host),
//! fetched the way the API is asked (retries, redirects, failures
//! classified, `--verbose`), but never with the token, each hop through its
//! own host's proxy, and the body streamed to a [`Sink`].

use std::borrow::Cow;
use std::io::{self, Read};

use ureq::Agent;
use ureq::http::{self, Response};
use ureq::tls::RootCerts;

use crate::clock;
use crate::failure::{Failure, Retry};
use crate::log;
use crate::net::classify::{classify_error, error_body, status_failure};
use crate::net::client::{ClientOptions, USER_AGENT, connect_timeout, tls_config};
use crate::net::endpoint::{Link, without_query};
use crate::net::redirect::{MAX_REDIRECTS, host_header, redirect_location, redirect_target};
use crate::net::retry::{retry_after, retrying};
use crate::text::one_line;

/// A download is copied to its sink this much at a time.
const COPY_BUFFER: usize = 256 * 1024;

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
        let tls = tls_config(roots);
        let agent = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(clock::real(connect_timeout(options.request_timeout))))
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
        retrying(self.options.retries, || self.fetch_once(link, sink))
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
        // The link's query (its signature) is never shown.
        log::request(
            link.proxy.as_ref().map(|p| p.shown()),
            &request,
            &link.shown(),
            |_, value| value.to_string(),
        );
        let given = self.options.request_timeout;
        let timeout = clock::real(given);
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
            .map_err(|e| classify_error(e, &link.host, link.proxy.as_ref(), given))?;
        // A redirect's Location may hold the next link's signature.
        log::response(&response, |name, value| {
            if name == http::header::LOCATION {
                without_query(value)
            } else {
                value.to_string()
            }
        });
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
