//! The process's one logger: `--verbose`'s lines on stderr, each written
//! whole so that lines from several threads do not interleave. Set once by
//! `main`; nothing passes "verbose" down.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use ureq::http::{self, Response};

static VERBOSE: AtomicBool = AtomicBool::new(false);

/// Turns the verbose lines on (`--verbose`), once, before any request.
pub fn set_verbose(on: bool) {
    VERBOSE.store(on, Ordering::Relaxed);
}

pub fn verbose() -> bool {
    VERBOSE.load(Ordering::Relaxed)
}

/// Writes a verbose line, when `--verbose` is on.
pub fn line(text: &str) {
    if verbose() {
        let _ = writeln!(io::stderr().lock(), "{text}");
    }
}

/// The verbose lines of a request as built: the proxy it goes through (as
/// it may be shown), then
/// `> METHOD url` (`url` as it may be shown) and each header, each value
/// through `shown`.
pub fn request(
    proxy: Option<String>,
    request: &http::Request<()>,
    url: &str,
    shown: impl Fn(&http::HeaderName, &str) -> String,
) {
    if !verbose() {
        return;
    }
    if let Some(proxy) = proxy {
        line(&format!("* through proxy {proxy}"));
    }
    line(&format!("> {} {url}", request.method()));
    for (name, value) in request.headers() {
        let value = shown(name, value.to_str().unwrap_or("<binary>"));
        line(&format!("> {name}: {value}"));
    }
}

/// The verbose lines of an answer's head, each value through `shown`
/// (with its header's name).
pub fn response(
    response: &Response<ureq::Body>,
    shown: impl Fn(&http::HeaderName, &str) -> String,
) {
    if !verbose() {
        return;
    }
    line(&format!("< {:?} {}", response.version(), response.status()));
    for (name, value) in response.headers() {
        let value = shown(name, value.to_str().unwrap_or("<binary>"));
        line(&format!("< {name}: {value}"));
    }
}
