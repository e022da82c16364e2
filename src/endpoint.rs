//! Where requests go: a base URL checked once (https, or http to
//! loopback), the proxy to reach it through and the CAs to trust.

use std::fmt;
use std::net::IpAddr;

use ureq::http::Uri;
use ureq::tls::RootCerts;

use crate::failure::Failure;
use crate::{proxy, tls};

/// A base URL with everything needed to reach it.
#[derive(Clone)]
pub struct Endpoint {
    /// The base URL, without a trailing slash.
    pub base_url: String,
    /// The proxy to go through, from the environment (see `proxy.rs`).
    pub proxy: Option<proxy::ProxySetting>,
    /// The CAs to trust (see `tls.rs`); `None` for a plain-http loopback
    /// URL, which needs none, so that no trust store is read for it.
    pub trusted_roots: Option<RootCerts>,
}

/// A proxy's password is hidden (ureq's `Debug`), and the trusted roots are
/// summed up rather than dumped.
impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("base_url", &self.base_url)
            .field("proxy", &self.proxy)
            .field("trusted_roots", &self.trusted_roots.as_ref().map(|_| ".."))
            .finish()
    }
}

impl Endpoint {
    /// Checks `url`, given with `option` (`--api-url`), and finds how to
    /// reach it; fails (exit 78) on the first thing that is wrong.
    pub fn resolve(url: &str, option: &str) -> Result<Endpoint, Failure> {
        let (base_url, uri) = check_base_url(url, option)?;
        let host = uri.host().unwrap_or_default();
        // A loopback URL is never proxied: a local API is local, and a token
        // sent over plain http must not leave the machine.
        let proxy = if is_loopback(host) {
            None
        } else {
            proxy::from_env(&uri)?
        };
        let trusted_roots = if uri.scheme_str() == Some("https") {
            Some(tls::root_certs()?)
        } else {
            None
        };
        Ok(Endpoint {
            base_url,
            proxy,
            trusted_roots,
        })
    }
}

/// Checks a base URL and returns it without a trailing slash. Plain
/// `http://` is allowed only to loopback, so a token never crosses a network
/// in clear text.
fn check_base_url(url: &str, option: &str) -> Result<(String, Uri), Failure> {
    let bad = |why: &str| Failure::Config {
        message: format!("bad {option} {url:?}: {why}"),
        hint: Some("use a URL like https://api.beam.cloud".into()),
    };
    let uri: Uri = url.parse().map_err(|_| bad("not a URL"))?;
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        // Not even the URL is echoed: it holds a password.
        return Err(Failure::Config {
            message: format!("bad {option}: a user or password in the URL is not allowed"),
            hint: Some("give the API token with --token or BEAM_TOKEN".into()),
        });
    }
    let host = uri.host().ok_or_else(|| bad("no host"))?;
    if uri.query().is_some() || url.contains('#') {
        // The request's path is appended: a query or fragment would swallow it.
        return Err(bad("a query string or #fragment is not allowed"));
    }
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") if is_loopback(host) => {}
        Some("http") => {
            return Err(bad(
                "plain http would send the token in clear text; use https (http is allowed only for localhost)",
            ));
        }
        _ => return Err(bad("the scheme must be https")),
    }
    Ok((url.trim_end_matches('/').to_string(), uri))
}

pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str) -> Result<String, Failure> {
        check_base_url(url, "--api-url").map(|(base, _)| base)
    }

    #[test]
    fn base_url_accepts_https_and_loopback_http() {
        for url in [
            "https://api.beam.cloud",
            "https://api.beam.cloud/",
            "http://localhost:8080",
            "http://127.0.0.1:1234",
            "http://127.8.9.10",
            "http://[::1]:99",
            "https://proxy.example.com/beam/",
        ] {
            let checked = check(url).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert!(!checked.ends_with('/'), "{checked}");
        }
    }

    #[test]
    fn base_url_refuses_clear_text_and_nonsense() {
        for url in [
            "http://api.beam.cloud",
            "http://10.0.0.1",
            "ftp://x",
            "api.beam.cloud",
            "",
            "https://x/?a=b",
            "http://127.0.0.1:8080#frag",
            "https://user:pw@api.beam.cloud",
            "http://localhost.evil.com",
        ] {
            assert!(check(url).is_err(), "{url}");
        }
    }

    #[test]
    fn a_password_in_the_url_is_never_echoed() {
        let err = check("https://user:s3cret@api.beam.cloud").unwrap_err();
        assert!(!err.to_string().contains("s3cret"), "{err}");
        assert!(err.to_string().contains("--api-url"), "{err}");
    }

    #[test]
    fn loopback_is_never_proxied() {
        for url in [
            "http://localhost:8080",
            "http://127.0.0.1:1",
            "http://[::1]:9",
        ] {
            let endpoint = Endpoint::resolve(url, "--api-url").unwrap();
            assert!(endpoint.proxy.is_none(), "{url}");
            assert!(endpoint.trusted_roots.is_none(), "{url}");
        }
    }
}
