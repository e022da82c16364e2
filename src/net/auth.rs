//! The token and where it came from: carried by the request path, shown
//! nowhere (its `Debug` hides the value, and it has no `Display`).

use std::fmt;

/// An API token. Its `Debug` never shows the value, and it has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// The value, for the `Authorization` header and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Token {
    /// A token found by the config (`config::token`).
    pub fn from_secret(value: String) -> Token {
        Token(value)
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

/// The token and where it came from (named in messages, never shown).
#[derive(Debug, Clone)]
pub struct Auth {
    token: Token,
    source: TokenSource,
}

impl Auth {
    pub fn new(token: Token, source: TokenSource) -> Auth {
        Auth { token, source }
    }

    pub fn token(&self) -> &Token {
        &self.token
    }

    /// Where the token came from, for messages.
    pub fn source(&self) -> &TokenSource {
        &self.source
    }
}
