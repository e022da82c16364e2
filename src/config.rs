//! Configuration: which API to ask, and with which token.
//!
//! The token comes from `--token`, then `BEAM_TOKEN`, then the `token` key of
//! the chosen context in Beam's own config file (`~/.beam/config.ini`, INI,
//! `[default]` keys inherited by every other section, as Python's
//! configparser reads it).

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use ini::{Ini, ParseOption};

use crate::failure::Failure;

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

#[cfg(test)]
impl Token {
    pub fn new(value: &str) -> Token {
        Token(value.to_string())
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// Where the token in use came from, named in messages (never its value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    Flag,
    Env,
    ConfigFile { path: String, context: String },
}

impl fmt::Display for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSource::Flag => f.write_str("--token"),
            TokenSource::Env => f.write_str("BEAM_TOKEN"),
            TokenSource::ConfigFile { path, context } => {
                write!(f, "context [{context}] of {path}")
            }
        }
    }
}

/// What the user said about the token: `--token` or `BEAM_TOKEN` (one
/// value, and which of the two it came from), the context and the file.
#[derive(Clone, Default)]
pub struct TokenInputs {
    pub value: Option<String>,
    pub from_env: bool,
    pub context: Option<String>,
    pub config_path: Option<PathBuf>,
}

/// Hides the value.
impl fmt::Debug for TokenInputs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenInputs")
            .field("value", &self.value.as_ref().map(|_| "***"))
            .field("from_env", &self.from_env)
            .field("context", &self.context)
            .field("config_path", &self.config_path)
            .finish()
    }
}

/// Finds the token: `--token`, then `BEAM_TOKEN` (clap reads both into
/// `inputs.value`), then the config file.
pub fn resolve_token(inputs: &TokenInputs) -> Result<(Token, TokenSource), Failure> {
    let (value, source) = match non_empty(inputs.value.as_deref()) {
        Some(value) => {
            let source = if inputs.from_env {
                TokenSource::Env
            } else {
                TokenSource::Flag
            };
            (value.to_string(), source)
        }
        None => token_from_config_file(inputs)?,
    };
    check_token(&value, &source)?;
    Ok((Token(value), source))
}

fn token_from_config_file(args: &TokenInputs) -> Result<(String, TokenSource), Failure> {
    // A context named with --context or BEAM_CONFIG_CONTEXT must exist, even
    // when it is `default`; only the implicit default may be absent.
    let chosen_context = non_empty(args.context.as_deref());
    let context = chosen_context.unwrap_or(DEFAULT_CONTEXT);
    let in_context = |file: &str| match chosen_context {
        Some(context) => format!("context [{context}] of {file}"),
        None => file.to_string(),
    };
    let (path, shown_in_no_token) = match &args.config_path {
        Some(path) => (path.clone(), path.display().to_string()),
        None => {
            let path = default_config_path()
                .ok_or_else(|| no_token(&in_context(DEFAULT_CONFIG_SHOWN), None))?;
            (path, DEFAULT_CONFIG_SHOWN.to_string())
        }
    };
    let shown = path.display().to_string();
    if !path.exists() {
        if args.config_path.is_some() {
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
        let inputs = TokenInputs {
            value: Some("secret-value".into()),
            ..TokenInputs::default()
        };
        assert!(!format!("{inputs:?}").contains("secret-value"));
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
    fn tokens_with_control_characters_are_refused() {
        assert!(check_token("abc\r\nX-Evil: 1", &TokenSource::Flag).is_err());
        assert!(check_token("abc\0", &TokenSource::Flag).is_err());
        assert!(check_token("abc-123_XYZ.=", &TokenSource::Flag).is_ok());
    }
}
