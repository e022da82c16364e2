//! The proxy to reach the API through, from the environment, read the way
//! curl reads it.
//!
//! ureq's own reading takes the first of `ALL_PROXY`, `HTTPS_PROXY` and
//! `HTTP_PROXY` for every URL, and matches `NO_PROXY` entries only as exact
//! names (`beam.cloud` would not cover `api.beam.cloud`). Users expect
//! curl's rules, so the choice is made here and handed to ureq.

use std::net::IpAddr;

use ureq::Proxy;
use ureq::http::Uri;

use crate::failure::Failure;

/// The variables that name a proxy for a scheme, in the order they count.
fn proxy_variables(scheme: &str) -> [&'static str; 4] {
    if scheme == "http" {
        ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
    } else {
        ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
    }
}

/// The proxy for requests to `url` (already checked, and not loopback), or
/// none.
pub fn from_env(url: &Uri) -> Result<Option<Proxy>, Failure> {
    let lookup = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    choose(url, lookup)
}

fn choose(url: &Uri, lookup: impl Fn(&str) -> Option<String>) -> Result<Option<Proxy>, Failure> {
    let (Some(host), Some(scheme)) = (url.host(), url.scheme_str()) else {
        return Ok(None);
    };
    let no_proxy = lookup("no_proxy").or_else(|| lookup("NO_PROXY"));
    if no_proxy.is_some_and(|list| bypasses(&list, host)) {
        return Ok(None);
    }
    let Some((name, value)) = proxy_variables(scheme)
        .into_iter()
        .find_map(|name| lookup(name).map(|value| (name, value)))
    else {
        return Ok(None);
    };
    // The value is not shown: it may carry a password.
    Proxy::new(value.trim())
        .map(Some)
        .map_err(|_| Failure::Config {
            message: format!("{name} is not a proxy URL"),
            hint: Some(format!(
                "set {name} to a URL like http://proxy.example.com:3128"
            )),
        })
}

/// True when a `NO_PROXY` list covers `host`: `*`, the host itself, or a
/// domain it is in (`beam.cloud`, `.beam.cloud` and `*.beam.cloud` all cover
/// `api.beam.cloud`). Entries may carry a port, which is ignored.
fn bypasses(no_proxy: &str, host: &str) -> bool {
    let host = bare_host(host).to_ascii_lowercase();
    // An IP address has no domains: only the address itself covers it.
    let has_domains = host.parse::<IpAddr>().is_err();
    no_proxy
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .any(|entry| {
            if entry == "*" {
                return true;
            }
            let domain = entry.trim_start_matches('*').trim_start_matches('.');
            let domain = bare_host(without_port(domain)).to_ascii_lowercase();
            !domain.is_empty()
                && (host == domain || (has_domains && host.ends_with(&format!(".{domain}"))))
        })
}

fn bare_host(host: &str) -> &str {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
}

/// `example.com:8080` -> `example.com`, `[::1]:80` -> `[::1]`; a bare IPv6
/// address keeps its colons.
fn without_port(entry: &str) -> &str {
    if entry.parse::<IpAddr>().is_ok() {
        return entry;
    }
    match entry.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => entry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxy_for(api_url: &str, vars: &[(&str, &str)]) -> Option<String> {
        let lookup = |name: &str| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        };
        choose(&api_url.parse().unwrap(), lookup)
            .expect("valid proxy")
            .map(|p| format!("{}:{}", p.host(), p.port()))
    }

    #[test]
    fn https_uses_https_proxy_then_all_proxy_never_http_proxy() {
        let api = "https://api.beam.cloud";
        assert_eq!(
            proxy_for(
                api,
                &[("HTTPS_PROXY", "http://s:1"), ("ALL_PROXY", "http://a:2")]
            ),
            Some("s:1".into())
        );
        assert_eq!(
            proxy_for(api, &[("ALL_PROXY", "http://a:2")]),
            Some("a:2".into())
        );
        assert_eq!(proxy_for(api, &[("HTTP_PROXY", "http://h:3")]), None);
    }

    #[test]
    fn lowercase_names_come_first() {
        let vars = [
            ("https_proxy", "http://low:1"),
            ("HTTPS_PROXY", "http://up:2"),
        ];
        assert_eq!(
            proxy_for("https://api.beam.cloud", &vars),
            Some("low:1".into())
        );
    }

    #[test]
    fn no_proxy_covers_hosts_and_their_domains() {
        for list in [
            "*",
            "api.beam.cloud",
            "beam.cloud",
            ".beam.cloud",
            "*.beam.cloud",
            "other.example, BEAM.cloud",
            "beam.cloud:443",
            "api.beam.cloud.",
        ] {
            assert!(bypasses(list, "api.beam.cloud"), "{list}");
        }
        for list in [
            "",
            "eam.cloud",
            "api.beam.cloud.evil",
            "cloud.beam",
            "10.0.0.1",
        ] {
            assert!(!bypasses(list, "api.beam.cloud"), "{list}");
        }
        assert!(bypasses("10.1.2.3", "10.1.2.3"));
        assert!(!bypasses("2.3", "10.1.2.3"));
        assert!(bypasses("[fd00::1]:443", "[fd00::1]"));
        assert!(bypasses("fd00::1", "[fd00::1]"));
    }

    #[test]
    fn no_proxy_turns_the_proxy_off() {
        let vars = [
            ("HTTPS_PROXY", "http://s:1"),
            ("NO_PROXY", "localhost,.beam.cloud"),
        ];
        assert_eq!(proxy_for("https://api.beam.cloud", &vars), None);
        assert_eq!(
            proxy_for("https://api.example.com", &vars),
            Some("s:1".into())
        );
    }

    #[test]
    fn a_bad_proxy_url_is_a_config_error_that_hides_its_value() {
        let lookup = |name: &str| (name == "HTTPS_PROXY").then(|| "ftp://user:pw@x".to_string());
        let err = choose(&"https://api.beam.cloud".parse().unwrap(), lookup).unwrap_err();
        assert!(matches!(err, Failure::Config { .. }));
        assert!(err.to_string().contains("HTTPS_PROXY"), "{err}");
        assert!(!err.to_string().contains("pw"), "{err}");
    }
}
