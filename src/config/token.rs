//! Configuration: which API to ask, and with which token.
//!
//! The token comes from `--token`, then `BEAM_TOKEN`, then the `token` key of
//! the chosen context in Beam's own config file (`~/.beam/config.ini`, INI,
//! `[default]` keys inherited by every other section, as Python's
//! configparser reads it).

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::config::ini::{self, Ini};
use crate::failure::Failure;
use crate::net::auth::{Token, TokenSource};

pub const DEFAULT_CONTEXT: &str = "default";

/// How the default config file is named in messages: the same words as
/// Beam's documentation, whatever `HOME` is.
const DEFAULT_CONFIG_SHOWN: &str = "~/.beam/config.ini";

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
    Ok((Token::from_secret(value), source))
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
        return Err(no_token(
            &format!("{}, which does not exist", in_context(&shown_in_no_token)),
            None,
        ));
    }
    let ini = read_config_file(&path)?;
    let token = match config_value(&ini, context, "token")
        .map_err(|e| Failure::config(format!("cannot read config file {shown}: {e}")))?
    {
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

/// A config file holds a few short lines: anything larger is a mistake
/// (`--config /dev/zero`), refused without reading it all.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

fn read_config_file(path: &Path) -> Result<Ini, Failure> {
    let cannot_read = |why: &str| {
        Failure::config(format!(
            "cannot read config file {}: {}",
            path.display(),
            crate::text::one_line(why)
        ))
    };
    let file = std::fs::File::open(path).map_err(|e| cannot_read(&e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(&e.to_string()))?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(cannot_read("it is larger than 1 MiB"));
    }
    let text = String::from_utf8(bytes).map_err(|_| cannot_read("it is not UTF-8 text"))?;
    ini::parse(&text).map_err(|e| cannot_read(&e.to_string()))
}

enum ContextValue {
    Found(String),
    NoKey,
    NoContext,
}

/// A key of a context, falling back to `[default]` as Beam's tools do, with
/// `%` expanded as they do. An empty value counts as missing, and one pair
/// of surrounding quotes is dropped.
fn config_value(
    ini: &Ini,
    context: &str,
    key: &str,
) -> Result<ContextValue, ini::InterpolationError> {
    if context != ini::DEFAULT_SECTION && !ini.has_section(context) {
        return Ok(ContextValue::NoContext);
    }
    let own = if context == ini::DEFAULT_SECTION {
        None
    } else {
        ini.get_interpolated(context, key)?
            .map(|v| ini::unquote(v.trim()).to_string())
            .filter(|v| !v.is_empty())
    };
    let inherited = || -> Result<Option<String>, ini::InterpolationError> {
        if !ini.has_section(ini::DEFAULT_SECTION) {
            return Ok(None);
        }
        Ok(ini
            .get_interpolated(ini::DEFAULT_SECTION, key)?
            .map(|v| ini::unquote(v.trim()).to_string())
            .filter(|v| !v.is_empty()))
    };
    Ok(match own {
        Some(value) => ContextValue::Found(value),
        None => match inherited()? {
            Some(value) => ContextValue::Found(value),
            None if context == ini::DEFAULT_SECTION && !ini.has_section(context) => {
                ContextValue::NoContext
            }
            None => ContextValue::NoKey,
        },
    })
}

/// What the file has, for a hint: its contexts.
fn file_contents_hint(ini: &Ini) -> String {
    let names: Vec<String> = ini
        .section_names()
        .map(|name| format!("[{name}]"))
        .collect();
    if names.is_empty() {
        "the file has no contexts".into()
    } else {
        format!("the file has: {}", names.join(", "))
    }
}

/// `~/.beam/config.ini`; none without a home (an empty `HOME` counts as
/// none, not as the current folder).
fn default_config_path() -> Option<PathBuf> {
    std::env::home_dir()
        .filter(|home| !home.as_os_str().is_empty())
        .map(|home| home.join(".beam").join("config.ini"))
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

/// A token goes into an HTTP header: control characters could inject
/// headers, and no token holds white space (a blank or pasted-in-two token
/// is a mistake to tell before any request, not a 401 after one).
fn check_token(token: &str, source: &TokenSource) -> Result<(), Failure> {
    let problem = if token.trim().is_empty() {
        "is only white space"
    } else if token.chars().any(|c| c.is_control()) || !token.is_ascii() {
        "contains control or non-ASCII characters"
    } else if token.contains(char::is_whitespace) {
        "contains white space"
    } else {
        return Ok(());
    };
    Err(Failure::config(format!(
        "the token from {source} {problem}"
    )))
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ini(text: &str) -> Ini {
        ini::parse(text).unwrap()
    }

    fn value(text: &str, context: &str) -> Option<String> {
        match config_value(&ini(text), context, "token").unwrap() {
            ContextValue::Found(v) => Some(v),
            _ => None,
        }
    }

    #[test]
    fn token_debug_is_redacted() {
        let token = Token::from_secret("secret-value".into());
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
            config_value(&ini(text), "prod", "token").unwrap(),
            ContextValue::NoContext
        ));
        assert!(matches!(
            config_value(&ini(text), "default", "token").unwrap(),
            ContextValue::NoKey
        ));
    }

    #[test]
    fn percent_is_expanded_as_beams_tools_do() {
        assert_eq!(
            value("[default]\ntoken = a%%b\n", "default").as_deref(),
            Some("a%b")
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

    #[test]
    fn tokens_with_white_space_are_refused() {
        let said = |token: &str| {
            check_token(token, &TokenSource::Env)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(said("   "), "the token from BEAM_TOKEN is only white space");
        assert_eq!(
            said("abc def"),
            "the token from BEAM_TOKEN contains white space"
        );
        assert_eq!(
            said(" abc"),
            "the token from BEAM_TOKEN contains white space"
        );
        assert_eq!(
            said("abc\u{fffd}"),
            "the token from BEAM_TOKEN contains control or non-ASCII characters"
        );
    }
}
