//! An answer whose body is read as it comes: a stream of events (the
//! subscribe stream), opened with the token like any request, but bounded
//! only by each silence, not by the whole request.

use std::io::{self, Read};
use std::time::Duration;

use ureq::http::{self, Method, Response, Uri};

use crate::clock;
use crate::failure::Failure;
use crate::log;
use crate::net::classify::{classify_error, status_line};
use crate::net::client::Client;
use crate::net::endpoint::host_and_port;
use crate::net::proxy;

impl Client {
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
        self.log_request(&built);
        let timeout = Some(clock::real(self.options.request_timeout));
        let request = self
            .agent
            .configure_request(built)
            .timeout_global(None)
            .timeout_recv_response(timeout)
            .timeout_per_read(Some(clock::real(silence)))
            .build();
        let response = self
            .agent
            .run(request)
            .map_err(|e| self.classify_error(e, &host))?;
        log::response(&response, |_, value| self.redact(value));
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
