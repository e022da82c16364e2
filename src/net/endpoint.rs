//! Where requests go: a base URL checked once (https, or http to
//! loopback), the proxy to reach it through and the CAs to trust; and the
//! links that point elsewhere (an output's pre-signed URL), checked alike.

use std::fmt;
use std::net::IpAddr;

use ureq::http::Uri;
use ureq::tls::RootCerts;

use crate::failure::Failure;
use crate::net::{proxy, tls};

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

/// A link to fetch as it is, on a host that is not Beam's API (an
/// output's pre-signed URL on a storage host): checked as a base URL is
/// (https, or http to loopback; no user or password), with the proxy for
/// its host. Its query holds the link's signature: it is sent, and never
/// shown ([`Link::shown`], `Debug`).
#[derive(Clone)]
pub struct Link {
    uri: Uri,
    /// `host[:port]`, for messages.
    pub host: String,
    pub proxy: Option<proxy::ProxySetting>,
}

impl fmt::Debug for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Link")
            .field("url", &self.shown())
            .field("proxy", &self.proxy)
            .finish()
    }
}

impl Link {
    /// Checks `url`; a link that cannot be used is an answer not
    /// understood (exit 76), a bad proxy variable a configuration error.
    pub fn resolve(url: &str) -> Result<Link, Failure> {
        const REFUSED: &str = "the link is not usable";
        let uri = url
            .parse()
            .map_err(|_| Failure::BadResponse(format!("{REFUSED}: not a URL")))?;
        Link::checked(uri, REFUSED)
    }

    /// Checks `url`, where `from` (`host[:port]`) redirected a link, as
    /// [`Link::resolve`] checks a link: a redirect is never a way around
    /// the checks (plain http to another host, a user or password).
    pub fn redirected(url: Uri, from: &str) -> Result<Link, Failure> {
        Link::checked(
            url,
            &format!("{from} redirected to a link that is not usable"),
        )
    }

    /// The checks, a refusal told as `refused: why`.
    fn checked(uri: Uri, refused: &str) -> Result<Link, Failure> {
        let bad = |why: &str| Failure::BadResponse(format!("{refused}: {why}"));
        if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
            return Err(bad("it holds a user or password"));
        }
        let host = uri
            .host()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("no host"))?;
        match uri.scheme_str() {
            Some("https") => {}
            Some("http") if is_loopback(host) => {}
            Some("http") => {
                return Err(bad(&format!(
                    "plain http to {host} would carry the file in clear text; only https is used"
                )));
            }
            _ => return Err(bad("the scheme is not https")),
        }
        let proxy = if is_loopback(host) {
            None
        } else {
            proxy::from_env(&uri)?
        };
        Ok(Link {
            host: host_and_port(&uri),
            uri,
            proxy,
        })
    }

    /// The URL to send.
    pub fn uri(&self) -> &Uri {
        &self.uri
    }

    /// The URL without its query (the signature) or fragment: what
    /// messages and `--verbose` show.
    pub fn shown(&self) -> String {
        without_query(&self.uri.to_string())
    }
}

/// A URL (or a `Location`, which may be relative) without its query or
/// fragment, which may hold a link's signature: `?…` in their place.
pub fn without_query(url: &str) -> String {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let mut shown = url[..end].to_string();
    if end < url.len() {
        shown.push_str("?…");
    }
    shown
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

/// `host[:port]` of a URL, for messages: never a user or password.
pub fn host_and_port(uri: &Uri) -> String {
    match (uri.host(), uri.port_u16()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        _ => "the API".to_string(),
    }
}

/// Whether `host` (as in a URL, an IPv6 address in brackets) is this
/// machine: `localhost`, 127.0.0.0/8 or `::1`, and 127.0.0.0/8 written as
/// IPv6 (`::ffff:127.0.0.1`, IPv4-mapped).
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.to_canonical().is_loopback())
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
            "http://[::ffff:127.0.0.1]:99",
            "http://[::ffff:7f01:203]",
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
            "http://[::ffff:10.0.0.1]",
            "http://[::127.0.0.1]",
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
            "http://[::ffff:127.0.0.1]:9",
        ] {
            let endpoint = Endpoint::resolve(url, "--api-url").unwrap();
            assert!(endpoint.proxy.is_none(), "{url}");
            assert!(endpoint.trusted_roots.is_none(), "{url}");
        }
    }

    #[test]
    fn links_are_https_or_loopback_http_and_never_show_their_query() {
        let link =
            Link::resolve("https://files.example.com/a/b.png?X-Amz-Signature=s3cr3t").unwrap();
        assert_eq!(link.host, "files.example.com");
        assert_eq!(link.shown(), "https://files.example.com/a/b.png?…");
        assert!(!format!("{link:?}").contains("s3cr3t"));
        assert_eq!(
            Link::resolve("http://127.0.0.1:8080/x").unwrap().shown(),
            "http://127.0.0.1:8080/x"
        );
        for bad in [
            "http://files.example.com/a",
            "ftp://127.0.0.1/a",
            "https://user:pw@files.example.com/a",
            "/relative/path",
            "not a url",
            "",
        ] {
            let failure = Link::resolve(bad).unwrap_err();
            assert!(
                matches!(failure, Failure::BadResponse(_)),
                "{bad}: {failure}"
            );
            assert!(!failure.to_string().contains("pw@"), "{failure}");
        }
    }

    #[test]
    fn messages_name_host_and_port_only() {
        let (_, uri) = check_base_url("http://127.0.0.1:8080/base", "--api-url").unwrap();
        assert_eq!(host_and_port(&uri), "127.0.0.1:8080");
        let (_, uri) = check_base_url("https://api.beam.cloud", "--api-url").unwrap();
        assert_eq!(host_and_port(&uri), "api.beam.cloud");
    }
}
