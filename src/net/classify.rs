//! What a failed request means: an error of the connection, TLS, a proxy
//! or the body, or an answer other than 2xx, turned into a [`Failure`]
//! whose variant decides the exit code, with words that name the host (or
//! the proxy) that failed.

use std::io;
use std::time::Duration;

use ureq::http::{Response, StatusCode};

use crate::failure::{Failure, Retry, detail};
use crate::net::client::{MAX_BODY_BYTES, connect_timeout};
use crate::net::proxy;
use crate::net::retry::come_back_later;
use crate::text::one_line;

/// A failure of a request to `host` (an API's, where it redirected, or a
/// link's host), made through `proxy` if any, bounded by `request_timeout`.
pub fn classify_error(
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
            human_seconds(connect_timeout(request_timeout))
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

/// A status other than 2xx (and other than a refused token), from `who`
/// (`the API`, or a link's host): 429 and 5xx may pass, any other is
/// [`Failure::HttpStatus`].
pub fn status_failure(
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

/// An error answer's body: read only for a message, and only a little.
pub fn error_body(response: &mut Response<ureq::Body>) -> Vec<u8> {
    response
        .body_mut()
        .with_config()
        .limit(64 * 1024)
        .read_to_vec()
        .unwrap_or_default()
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

/// rustls reports a refused certificate during the handshake as an I/O
/// error; trying again would only be refused again.
fn is_tls_failure(error: &io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.is::<rustls::Error>())
}

/// A refused certificate or a failed handshake: trying again cannot help.
fn tls_failure(host: &str, error: &dyn std::fmt::Display) -> Failure {
    Failure::Unreachable {
        reason: format!("TLS with {host} failed: {}", one_line(&error.to_string())),
        retry_after: None,
        retry: Retry::Never,
    }
}

/// The `message` of a JSON error body; nothing for HTML or other bodies,
/// which would only flood the terminal.
pub fn error_message(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let message = value.get("message")?.as_str()?;
    let message = one_line(message);
    let shortened: String = message.chars().take(300).collect();
    (!shortened.is_empty()).then_some(shortened)
}

pub fn status_line(status: StatusCode) -> String {
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
    fn human_seconds_drops_useless_decimals() {
        assert_eq!(human_seconds(Duration::from_secs(30)), "30 s");
        assert_eq!(human_seconds(Duration::from_millis(1500)), "1.5 s");
    }
}
