//! Configuration: which API to ask, and with which token.
//!
//! The token comes from `--token`, then `BEAM_TOKEN`, then the `token` key of
//! the chosen context in Beam's own config file (`~/.beam/config.ini`, INI,
//! `[default]` keys inherited by every other section, as Python's
//! configparser reads it).

use std::collections::HashSet;
use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use ini::{Ini, ParseOption};
use ureq::Proxy;
use ureq::http::Uri;
use ureq::tls::RootCerts;

use crate::cli::GlobalArgs;
use crate::failure::{Failure, TokenSource};
use crate::{proxy, tls};

pub const DEFAULT_CONTEXT: &str = "default";

/// How the default config file is named in messages: the same words as
/// Beam's documentation, whatever `HOME` is.
const DEFAULT_CONFIG_SHOWN: &str = "~/.beam/config.ini";

/// An API token. Its `Debug` never shows the value, and it has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// The value, for the `Authorization` header and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// Everything the client needs to know about where and how to ask.
#[derive(Clone)]
pub struct Settings {
    /// The API's base URL, without a trailing slash.
    pub api_url: String,
    pub token: Token,
    pub token_source: TokenSource,
    /// The proxy to go through, from the environment (see `proxy.rs`).
    pub proxy: Option<Proxy>,
    /// The CAs to trust (see `tls.rs`); `None` for a plain-http loopback
    /// API, which needs none, so that no trust store is read for it.
    pub trusted_roots: Option<RootCerts>,
}

/// The token is hidden, a proxy's password too (ureq's `Debug`), and the
/// trusted roots are summed up rather than dumped.
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("api_url", &self.api_url)
            .field("token", &self.token)
            .field("token_source", &self.token_source)
            .field("proxy", &self.proxy)
            .field("trusted_roots", &self.trusted_roots.as_ref().map(|_| ".."))
            .finish()
    }
}

/// Resolves every setting, or fails (exit 78) on the first that is wrong.
pub fn resolve(args: &GlobalArgs) -> Result<Settings, Failure> {
    let api_url = check_api_url(&args.api_url)?;
    let (token, token_source) = resolve_token(args)?;
    let proxy = proxy::from_env(&api_url)?;
    let trusted_roots = if api_url.starts_with("https://") {
        Some(tls::root_certs()?)
    } else {
        None
    };
    Ok(Settings {
        api_url,
        token,
        token_source,
        proxy,
        trusted_roots,
    })
}

/// Finds the token: `--token`, then `BEAM_TOKEN` (clap reads both into
/// `args.token`), then the config file.
pub fn resolve_token(args: &GlobalArgs) -> Result<(Token, TokenSource), Failure> {
    let (value, source) = match non_empty(args.token.as_deref()) {
        Some(value) => {
            let source = if args.token_is_from_env {
                TokenSource::Env
            } else {
                TokenSource::Flag
            };
            (value.to_string(), source)
        }
        None => token_from_config_file(args)?,
    };
    check_token(&value, &source)?;
    Ok((Token(value), source))
}

fn token_from_config_file(args: &GlobalArgs) -> Result<(String, TokenSource), Failure> {
    // A context named with --context or BEAM_CONFIG_CONTEXT must exist, even
    // when it is `default`; only the implicit default may be absent.
    let chosen_context = non_empty(args.context.as_deref());
    let context = chosen_context.unwrap_or(DEFAULT_CONTEXT);
    let in_context = |file: &str| match chosen_context {
        Some(context) => format!("context [{context}] of {file}"),
        None => file.to_string(),
    };
    let (path, shown_in_no_token) = match &args.config {
        Some(path) => (path.clone(), path.display().to_string()),
        None => {
            let path = default_config_path()
                .ok_or_else(|| no_token(&in_context(DEFAULT_CONFIG_SHOWN), None))?;
            (path, DEFAULT_CONFIG_SHOWN.to_string())
        }
    };
    let shown = path.display().to_string();
    if !path.exists() {
        if args.config.is_some() {
            return Err(Failure::Config {
                message: format!("config file {shown} does not exist"),
                hint: Some("check --config or BEAM_CONFIG_PATH".into()),
            });
        }
        return Err(no_token(&in_context(&shown_in_no_token), None));
    }
    let ini = read_config_file(&path)?;
    let token = match config_value(&ini, context, "token") {
        ContextValue::Found(token) => token,
        ContextValue::NoContext if chosen_context.is_some() => {
            return Err(Failure::Config {
                message: format!("context [{context}] is not in {shown}"),
                hint: Some(file_contents_hint(&ini)),
            });
        }
        ContextValue::NoContext => {
            return Err(no_token(
                &format!("{shown_in_no_token}, which has no [{DEFAULT_CONTEXT}] context"),
                Some(format!(
                    "choose a context with --context or BEAM_CONFIG_CONTEXT ({})",
                    file_contents_hint(&ini)
                )),
            ));
        }
        ContextValue::NoKey => {
            return Err(no_token(
                &format!("context [{context}] of {shown_in_no_token}"),
                None,
            ));
        }
    };
    Ok((
        token,
        TokenSource::ConfigFile {
            path: shown,
            context: context.to_string(),
        },
    ))
}

fn read_config_file(path: &Path) -> Result<Ini, Failure> {
    let cannot_read = |why: &str| {
        Failure::config(format!(
            "cannot read config file {}: {}",
            path.display(),
            crate::text::one_line(why)
        ))
    };
    let text = std::fs::read_to_string(path).map_err(|e| cannot_read(&e.to_string()))?;
    parse_config(&text).map_err(|why| cannot_read(&why))
}

/// Parses the config file's text as Beam's own tools read it.
///
/// Beam writes and reads the file with Python's configparser in its default
/// strict mode, which refuses a section or a key (keys compare
/// case-insensitively) that appears twice in the file. rust-ini would keep
/// both and answer with the first, where configparser's non-strict mode
/// takes the last: rather than guess which token the user meant, a
/// duplicate is refused here too, naming it (exit 78).
fn parse_config(text: &str) -> Result<Ini, String> {
    let options = ParseOption {
        enabled_quote: true,
        enabled_escape: false,
        ..ParseOption::default()
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let ini = Ini::load_from_str_opt(text, options).map_err(|e| e.to_string())?;
    let mut sections = HashSet::new();
    for (section, properties) in ini.iter() {
        let Some(section) = section else { continue };
        if !sections.insert(section) {
            return Err(format!("section [{section}] appears twice"));
        }
        let mut keys = HashSet::new();
        for (key, _) in properties.iter() {
            if !keys.insert(key.to_ascii_lowercase()) {
                return Err(format!("key {key:?} appears twice in [{section}]"));
            }
        }
    }
    Ok(ini)
}

enum ContextValue {
    Found(String),
    NoKey,
    NoContext,
}

/// A key of a context, falling back to `[default]` as configparser does.
/// Keys match case-insensitively (configparser lowercases them).
fn config_value(ini: &Ini, context: &str, key: &str) -> ContextValue {
    let lookup = |section: &str| {
        ini.section(Some(section)).map(|props| {
            props
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| unquote(v.trim()).to_string())
                .filter(|v| !v.is_empty())
        })
    };
    let in_context = lookup(context);
    let in_default = lookup(DEFAULT_CONTEXT);
    match (in_context, in_default) {
        (None, _) => ContextValue::NoContext,
        (Some(Some(value)), _) | (Some(None), Some(Some(value))) => ContextValue::Found(value),
        _ => ContextValue::NoKey,
    }
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

/// What the file has, for a hint: its contexts.
fn file_contents_hint(ini: &Ini) -> String {
    let names: Vec<String> = ini
        .sections()
        .flatten()
        .map(|name| format!("[{name}]"))
        .collect();
    if names.is_empty() {
        "the file has no contexts".into()
    } else {
        format!("the file has: {}", names.join(", "))
    }
}

fn default_config_path() -> Option<PathBuf> {
    std::env::home_dir().map(|home| home.join(".beam").join("config.ini"))
}

/// No token anywhere: names the three places looked at, the last one as
/// precisely as it was looked at (`~/.beam/config.ini`, or the file and
/// context chosen).
fn no_token(config_place: &str, hint: Option<String>) -> Failure {
    Failure::Config {
        message: format!(
            "no API token: none given with --token, in BEAM_TOKEN, or in {config_place}"
        ),
        hint: Some(
            hint.unwrap_or_else(|| "run `beam configure`, or export BEAM_TOKEN=<token>".into()),
        ),
    }
}

/// A token goes into an HTTP header: control characters could inject headers.
fn check_token(token: &str, source: &TokenSource) -> Result<(), Failure> {
    if token.chars().any(|c| c.is_control()) || !token.is_ascii() {
        return Err(Failure::config(format!(
            "the token from {source} contains control or non-ASCII characters"
        )));
    }
    Ok(())
}

/// Checks `--api-url` and returns it without a trailing slash. Plain
/// `http://` is allowed only to loopback, so a token never crosses a network
/// in clear text.
pub fn check_api_url(url: &str) -> Result<String, Failure> {
    let bad = |why: &str| Failure::Config {
        message: format!("bad --api-url {url:?}: {why}"),
        hint: Some("use a URL like https://api.beam.cloud".into()),
    };
    let uri: Uri = url.parse().map_err(|_| bad("not a URL"))?;
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        // Not even the URL is echoed: it holds a password.
        return Err(Failure::Config {
            message: "bad --api-url: a user or password in the URL is not allowed".into(),
            hint: Some("give the API token with --token or BEAM_TOKEN".into()),
        });
    }
    let host = uri.host().ok_or_else(|| bad("no host"))?;
    if uri.query().is_some() || url.contains('#') {
        // The task path is appended: a query or fragment would swallow it.
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
    Ok(url.trim_end_matches('/').to_string())
}

pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Scales the backoff and polling schedules. Only the test suite sets
/// `BEAM_TASK_TIME_SCALE` (for example to 0.01) so that waits take
/// milliseconds; it is deliberately left out of `--help`.
pub fn time_scale() -> f64 {
    std::env::var("BEAM_TASK_TIME_SCALE")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v > 0.0 && *v <= 1.0)
        .unwrap_or(1.0)
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ini(text: &str) -> Ini {
        parse_config(text).unwrap()
    }

    fn value(text: &str, context: &str) -> Option<String> {
        match config_value(&ini(text), context, "token") {
            ContextValue::Found(v) => Some(v),
            _ => None,
        }
    }

    #[test]
    fn token_debug_is_redacted() {
        let token = Token("secret-value".into());
        assert_eq!(format!("{token:?}"), "Token(***)");
        let settings = Settings {
            api_url: "https://api.beam.cloud".into(),
            token,
            token_source: TokenSource::Flag,
            proxy: Proxy::new("http://user:proxy-password@proxy.example:3128").ok(),
            trusted_roots: None,
        };
        let shown = format!("{settings:?}");
        assert!(!shown.contains("secret-value"), "{shown}");
        assert!(!shown.contains("proxy-password"), "{shown}");
    }

    #[test]
    fn context_inherits_default_keys() {
        let text = "[default]\ntoken = abc\n[staging]\ngateway_host = x\n";
        assert_eq!(value(text, "staging").as_deref(), Some("abc"));
    }

    #[test]
    fn context_overrides_default() {
        let text = "[default]\ntoken = abc\n[staging]\ntoken = xyz\n";
        assert_eq!(value(text, "staging").as_deref(), Some("xyz"));
        assert_eq!(value(text, "default").as_deref(), Some("abc"));
    }

    #[test]
    fn quotes_are_trimmed_and_comments_skipped() {
        let text = "# a comment\n; another\n[default]\nTOKEN = \"q1\"\n";
        assert_eq!(value(text, "default").as_deref(), Some("q1"));
        let text = "[default]\ntoken = 'q2'\n";
        assert_eq!(value(text, "default").as_deref(), Some("q2"));
    }

    #[test]
    fn missing_context_is_told_apart_from_missing_key() {
        let text = "[default]\ngateway_host = x\n";
        assert!(matches!(
            config_value(&ini(text), "prod", "token"),
            ContextValue::NoContext
        ));
        assert!(matches!(
            config_value(&ini(text), "default", "token"),
            ContextValue::NoKey
        ));
    }

    #[test]
    fn a_key_given_twice_in_a_section_is_refused_naming_it() {
        let err = parse_config("[default]\ntoken = first\ntoken = second\n").unwrap_err();
        assert_eq!(err, "key \"token\" appears twice in [default]");
        // configparser lowercases keys: these are the same key.
        let err = parse_config("[staging]\nToken = a\nTOKEN = b\n").unwrap_err();
        assert_eq!(err, "key \"TOKEN\" appears twice in [staging]");
    }

    #[test]
    fn a_section_given_twice_is_refused_naming_it() {
        let text = "[default]\ntoken = a\n[staging]\nx = 1\n[default]\ngateway_host = b\n";
        assert_eq!(
            parse_config(text).unwrap_err(),
            "section [default] appears twice"
        );
    }

    #[test]
    fn a_leading_byte_order_mark_is_skipped() {
        assert_eq!(
            value("\u{feff}[default]\ntoken = abc\n", "default").as_deref(),
            Some("abc")
        );
    }

    #[test]
    fn backslashes_in_values_are_kept() {
        assert_eq!(
            value("[default]\ntoken = a\\b\n", "default").as_deref(),
            Some("a\\b")
        );
    }

    #[test]
    fn api_url_accepts_https_and_loopback_http() {
        for url in [
            "https://api.beam.cloud",
            "https://api.beam.cloud/",
            "http://localhost:8080",
            "http://127.0.0.1:1234",
            "http://127.8.9.10",
            "http://[::1]:99",
            "https://proxy.example.com/beam/",
        ] {
            let checked = check_api_url(url).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert!(!checked.ends_with('/'), "{checked}");
        }
    }

    #[test]
    fn api_url_refuses_clear_text_and_nonsense() {
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
            assert!(check_api_url(url).is_err(), "{url}");
        }
    }

    #[test]
    fn tokens_with_control_characters_are_refused() {
        assert!(check_token("abc\r\nX-Evil: 1", &TokenSource::Flag).is_err());
        assert!(check_token("abc\0", &TokenSource::Flag).is_err());
        assert!(check_token("abc-123_XYZ.=", &TokenSource::Flag).is_ok());
    }
}
