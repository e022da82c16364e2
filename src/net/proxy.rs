//! The proxy to reach the API through, from the environment, read the way
//! curl reads it.
//!
//! ureq's own reading takes the first of `ALL_PROXY`, `HTTPS_PROXY` and
//! `HTTP_PROXY` for every URL, and matches `NO_PROXY` entries only as exact
//! names (`beam.cloud` would not cover `api.beam.cloud`). Users expect
//! curl's rules, so the choice is made here and handed to ureq.
//!
//! The HTTP `CONNECT` tunnel is made here too ([`Tunnel`], in place of
//! ureq's), so that `--verbose` shows it and a proxy's failure is told
//! apart from the API's: unreachable, asking for credentials (407), or
//! refusing the tunnel. SOCKS proxies (`socks4://`, `socks4a://`,
//! `socks5://`, `socks5h://`) are ureq's; a SOCKS5 reply other than
//! success is named here ([`socks_refusal`]), final or retried.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::IpAddr;

use base64::prelude::{BASE64_STANDARD, Engine as _};
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, NextTimeout, Transport, TransportAdapter,
};
use ureq::{Proxy, ProxyProtocol};

use crate::failure::{Failure, Retry};
use crate::log;

/// The proxy to go through, and the variable it came from (named in
/// messages; its value, which may hold a password, never is).
#[derive(Clone, Debug)]
pub struct ProxySetting {
    pub proxy: Proxy,
    pub variable: &'static str,
}

impl ProxySetting {
    /// `127.0.0.1:3128 (from HTTPS_PROXY)`.
    pub fn shown(&self) -> String {
        format!(
            "{}:{} (from {})",
            self.proxy.host(),
            self.proxy.port(),
            self.variable
        )
    }

    pub fn is_socks(&self) -> bool {
        !matches!(
            self.proxy.protocol(),
            ProxyProtocol::Http | ProxyProtocol::Https
        )
    }
}

/// The schemes a proxy URL may have, as curl takes them; none is `http`.
const SCHEMES: [&str; 6] = ["http", "https", "socks4", "socks4a", "socks5", "socks5h"];

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
pub fn from_env(url: &Uri) -> Result<Option<ProxySetting>, Failure> {
    let lookup = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    choose(url, lookup)
}

fn choose(
    url: &Uri,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Option<ProxySetting>, Failure> {
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
    let bad = |why: &str| Failure::Config {
        message: format!("{name} {why}"),
        hint: Some(format!(
            "set {name} to a URL like http://proxy.example.com:3128 (or socks5h://…)"
        )),
    };
    let value = value.trim();
    check_proxy_url(value).map_err(bad)?;
    let proxy = Proxy::new(value).map_err(|_| bad("is not a proxy URL"))?;
    Ok(Some(ProxySetting {
        proxy,
        variable: name,
    }))
}

/// What ureq lets through silently: a port that is no port (`:99999` would
/// become port 80, where the URL's credentials would go), or no host.
fn check_proxy_url(value: &str) -> Result<(), &'static str> {
    let (scheme, rest) = value.split_once("://").unwrap_or(("http", value));
    if !SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)) {
        return Err(
            "is not a proxy URL: its scheme must be http, https, socks4, socks4a, socks5 or socks5h",
        );
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let (host, port) = match host_port.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((host, after)) => (host, after.strip_prefix(':')),
            None => return Err("is not a proxy URL"),
        },
        None => match host_port.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        },
    };
    if host.is_empty() {
        return Err("is not a proxy URL: it names no host");
    }
    match port.map(str::parse::<u16>) {
        Some(Ok(0) | Err(_)) => Err("has an invalid port: it must be a number from 1 to 65535"),
        _ => Ok(()),
    }
}

/// How a proxy failed a connection, for the request path to tell.
#[derive(Debug)]
pub enum ProxyFailure {
    /// The proxy could not be reached: its host, the connection, TLS.
    Unreachable(ureq::Error),
    /// The exchange with the proxy broke before its answer was whole.
    Broken(io::Error),
    /// The proxy answered the `CONNECT` with something else than 2xx.
    Refused {
        status: u16,
        /// As the proxy sent it, made safe (`HTTP/1.1 403 Forbidden`).
        status_line: String,
    },
}

impl fmt::Display for ProxyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyFailure::Unreachable(e) => write!(f, "the proxy cannot be reached: {e}"),
            ProxyFailure::Broken(e) => write!(f, "the proxy's answer broke off: {e}"),
            ProxyFailure::Refused { status_line, .. } => {
                write!(f, "the proxy refused the tunnel: {status_line}")
            }
        }
    }
}

impl std::error::Error for ProxyFailure {}

/// A SOCKS5 proxy's answer to `CONNECT` other than success (RFC 1928):
/// its code, what it means, and whether it is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocksReply {
    pub code: u8,
    pub name: &'static str,
    /// The proxy's own rules or abilities said no: asking again changes
    /// nothing, as with a proxy's 403. Otherwise the proxy could not reach
    /// the host, which is retried as a direct connection would be.
    pub is_final: bool,
}

/// ureq's text for each reply, the reply, and whether it is final.
const SOCKS_REPLIES: [(&str, u8, &str, bool); 8] = [
    ("general SOCKS server failure", 1, "general failure", false),
    (
        "connection not allowed by ruleset",
        2,
        "connection not allowed by its rules",
        true,
    ),
    ("network unreachable", 3, "network unreachable", false),
    ("host unreachable", 4, "host unreachable", false),
    ("connection refused", 5, "connection refused", false),
    ("TTL expired", 6, "TTL expired", false),
    ("command not supported", 7, "command not supported", true),
    (
        "address kind not supported",
        8,
        "address type not supported",
        true,
    ),
];

/// The SOCKS5 reply that a failed connection through a SOCKS proxy
/// carried, if it carried one. ureq tells a reply only by an I/O error of
/// kind `Other` whose text is the reply's meaning: that text is read here,
/// and nowhere else.
pub fn socks_reply(error: &io::Error) -> Option<SocksReply> {
    if error.kind() != io::ErrorKind::Other || error.get_ref().is_none() {
        return None;
    }
    let text = error.to_string();
    SOCKS_REPLIES
        .iter()
        .find(|(said, ..)| *said == text)
        .map(|&(_, code, name, is_final)| SocksReply {
            code,
            name,
            is_final,
        })
}

/// The failure of a request to `host` whose SOCKS proxy gave a reply other
/// than success; `None` when `error` is no such reply.
pub fn socks_refusal(proxy: &ProxySetting, error: &io::Error, host: &str) -> Option<Failure> {
    let reply = socks_reply(error)?;
    let (what, retry) = if reply.is_final {
        ("refused the connection to", Retry::Never)
    } else {
        ("could not connect to", Retry::Soon)
    };
    Some(Failure::Unreachable {
        reason: format!(
            "the SOCKS proxy {} {what} {host}: {} (SOCKS reply {})",
            proxy.shown(),
            reply.name,
            reply.code
        ),
        retry_after: None,
        retry,
    })
}

/// The most a proxy's answer to `CONNECT` may take.
const MAX_CONNECT_ANSWER: usize = 16 * 1024;

/// The HTTP `CONNECT` tunnel through an `http://` or `https://` proxy, in
/// ureq's connector chain where ureq's own would be. It tells the proxy's
/// failures apart ([`ProxyFailure`]) and shows the exchange in `--verbose`
/// (the credentials as `***`).
pub struct Tunnel {
    /// The agent's configuration without its proxy, to reach the proxy.
    direct: Config,
    user_agent: &'static str,
}

impl fmt::Debug for Tunnel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tunnel").finish_non_exhaustive()
    }
}

impl Tunnel {
    pub fn new(direct: Config, user_agent: &'static str) -> Tunnel {
        Tunnel { direct, user_agent }
    }
}

impl<In: Transport> Connector<In> for Tunnel {
    type Out = Either<In, Box<dyn Transport>>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        if let Some(transport) = chained {
            return Ok(Some(Either::A(transport)));
        }
        let Some(proxy) = details
            .config
            .proxy()
            .filter(|p| matches!(p.protocol(), ProxyProtocol::Http | ProxyProtocol::Https))
        else {
            return Ok(None);
        };
        let unreachable = |e| ureq::Error::Other(Box::new(ProxyFailure::Unreachable(e)));
        let broken = |e| ureq::Error::Other(Box::new(ProxyFailure::Broken(e)));

        let addrs = details
            .resolver
            .resolve(proxy.uri(), &self.direct, details.timeout)
            .map_err(unreachable)?;
        let to_proxy = ConnectionDetails {
            uri: proxy.uri(),
            addrs,
            config: &self.direct,
            request_level: details.request_level,
            resolver: details.resolver,
            now: details.now,
            timeout: details.timeout,
            current_time: details.current_time.clone(),
            run_connector: details.run_connector.clone(),
            register_shutdown: details.register_shutdown.clone(),
        };
        let transport = (details.run_connector)(&to_proxy).map_err(unreachable)?;
        let mut stream = TransportAdapter::new(transport, details.current_time.clone());
        stream.set_timeout(details.timeout);

        let host = details.uri.host().unwrap_or_default();
        let port = details
            .uri
            .port_u16()
            .unwrap_or(if details.uri.scheme_str() == Some("http") {
                80
            } else {
                443
            });
        let mut lines = vec![
            format!("CONNECT {host}:{port} HTTP/1.1"),
            format!("Host: {host}:{port}"),
            format!("User-Agent: {}", self.user_agent),
        ];
        let mut shown = lines.clone();
        if proxy.username().is_some() || proxy.password().is_some() {
            let credentials = format!(
                "{}:{}",
                proxy.username().unwrap_or_default(),
                proxy.password().unwrap_or_default()
            );
            lines.push(format!(
                "Proxy-Authorization: Basic {}",
                BASE64_STANDARD.encode(credentials)
            ));
            shown.push("Proxy-Authorization: Basic ***".to_string());
        }
        for line in &shown {
            log::line(&format!("> {line}"));
        }
        let request = format!("{}\r\n\r\n", lines.join("\r\n"));
        stream
            .write_all(request.as_bytes())
            .and_then(|()| stream.flush())
            .map_err(broken)?;

        let head = read_head(&mut stream).map_err(broken)?;
        let head = String::from_utf8_lossy(&head);
        let mut answer = head.lines().map(crate::text::one_line);
        let status_line = answer.next().unwrap_or_default();
        log::line(&format!("< {status_line}"));
        for line in answer.filter(|line| !line.is_empty()) {
            log::line(&format!("< {line}"));
        }
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse::<u16>().ok())
            .filter(|_| status_line.starts_with("HTTP/"));
        match status {
            Some(200..=299) => Ok(Some(Either::B(Box::new(Tunneled(stream.into_inner()))))),
            Some(status) => Err(ureq::Error::Other(Box::new(ProxyFailure::Refused {
                status,
                status_line: status_line.chars().take(200).collect(),
            }))),
            None => Err(broken(io::Error::new(
                io::ErrorKind::InvalidData,
                "not an HTTP answer",
            ))),
        }
    }
}

/// The head of the proxy's answer, up to its blank line; what follows it is
/// the tunnel's, left unread.
fn read_head(stream: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut byte = [0];
    while !head.ends_with(b"\r\n\r\n") && !head.ends_with(b"\n\n") {
        if head.len() >= MAX_CONNECT_ANSWER {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "an answer head over 16 KiB",
            ));
        }
        if stream.read(&mut byte)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        head.push(byte[0]);
    }
    Ok(head)
}

/// A connection through the tunnel: not TLS yet, even through an `https://`
/// proxy, so that the API's TLS goes on top.
#[derive(Debug)]
struct Tunneled(Box<dyn Transport>);

impl Transport for Tunneled {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.0.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.0.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.0.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.0.is_open()
    }

    fn is_tls(&self) -> bool {
        false
    }
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

    #[test]
    fn socks_replies_are_read_from_ureq_s_errors_only() {
        let reply = |text: &str| socks_reply(&io::Error::other(text.to_string()));
        let rules = reply("connection not allowed by ruleset").unwrap();
        assert_eq!((rules.code, rules.is_final), (2, true));
        assert_eq!(rules.name, "connection not allowed by its rules");
        let refused = reply("connection refused").unwrap();
        assert_eq!((refused.code, refused.is_final), (5, false));
        let finals: Vec<u8> = SOCKS_REPLIES
            .iter()
            .filter(|(.., is_final)| *is_final)
            .map(|&(_, code, ..)| code)
            .collect();
        assert_eq!(finals, [2, 7, 8]);
        assert_eq!(reply("no acceptable auth methods"), None);
        let os_refused = io::Error::from(io::ErrorKind::ConnectionRefused);
        assert_eq!(socks_reply(&os_refused), None);
        let refused_as_data = io::Error::new(io::ErrorKind::InvalidData, "connection refused");
        assert_eq!(socks_reply(&refused_as_data), None);
    }

    fn proxy_for(api_url: &str, vars: &[(&str, &str)]) -> Option<String> {
        let lookup = |name: &str| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        };
        choose(&api_url.parse().unwrap(), lookup)
            .expect("valid proxy")
            .map(|p| format!("{}:{}", p.proxy.host(), p.proxy.port()))
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

    /// A link's storage host (`download`) is chosen for as an API's is;
    /// its query (the signature) changes nothing.
    #[test]
    fn no_proxy_covers_a_link_s_storage_host() {
        let link = "https://files.beam.test/a?X-Amz-Signature=s";
        let proxy = ("HTTPS_PROXY", "http://s:1");
        assert_eq!(proxy_for(link, &[proxy]), Some("s:1".into()));
        assert_eq!(proxy_for(link, &[proxy, ("NO_PROXY", "beam.test")]), None);
    }

    fn refused(value: &str) -> Option<String> {
        let lookup = |name: &str| (name == "HTTPS_PROXY").then(|| value.to_string());
        choose(&"https://api.beam.cloud".parse().unwrap(), lookup)
            .err()
            .map(|e| e.to_string())
    }

    #[test]
    fn a_proxy_port_that_is_no_port_or_a_url_without_host_is_refused() {
        for value in [
            "http://user:pw@proxy:99999",
            "http://proxy:65536",
            "http://proxy:abc",
            "http://proxy:0",
            "http://proxy:",
        ] {
            let said = refused(value).unwrap_or_else(|| panic!("{value} accepted"));
            assert!(
                said.contains("HTTPS_PROXY has an invalid port"),
                "{value}: {said}"
            );
            assert!(!said.contains("pw"), "{said}");
        }
        for value in ["http://:3128", "http://user:pw@:3128", "socks5h://"] {
            let said = refused(value).unwrap_or_else(|| panic!("{value} accepted"));
            assert!(said.contains("names no host"), "{value}: {said}");
        }
        for value in [
            "http://proxy:3128",
            "proxy:3128",
            "https://user:p%40ss@proxy.example.com",
            "socks5h://127.0.0.1:1080",
            "socks4a://[::1]:1080",
            "HTTP://Proxy:8080/",
        ] {
            assert_eq!(refused(value), None, "{value}");
        }
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
