//! One session per run, made once from the settings: the token, found the
//! first time a client needs it and never again, and the clients for the
//! task API, the workspace API and links to other hosts, built from it
//! (the trust store is read once, by `net::tls`). Commands take the
//! session; nothing below it resolves a token.

use std::sync::OnceLock;

use anyhow::{Context, Result};

use crate::api;
use crate::api::task;
use crate::config::settings::GlobalSettings;
use crate::config::token;
use crate::failure::Failure;
use crate::net::auth::Auth;
use crate::net::client::{Client, ClientOptions};
use crate::net::endpoint::Endpoint;
use crate::net::link::LinkClient;
use crate::net::tls;

pub struct Session<'a> {
    pub global: &'a GlobalSettings,
    auth: OnceLock<Auth>,
}

impl<'a> Session<'a> {
    pub fn new(global: &'a GlobalSettings) -> Session<'a> {
        Session {
            global,
            auth: OnceLock::new(),
        }
    }

    /// The token and where it came from: found once. A token that cannot be
    /// found is an error each time it is asked for (the run ends on it).
    fn auth(&self) -> Result<Auth> {
        if let Some(auth) = self.auth.get() {
            return Ok(auth.clone());
        }
        let (token, source) = token::resolve_token(&self.global.token)?;
        Ok(self.auth.get_or_init(|| Auth::new(token, source)).clone())
    }

    /// A client for Beam's task API (`--api-url`), making up to `parallel`
    /// requests at once, each retried `retries` times after a transient
    /// failure.
    pub fn api(&self, parallel: usize, retries: u32) -> Result<Client> {
        let endpoint = Endpoint::resolve(&self.global.api_url, "--api-url")?;
        Ok(Client::new(
            endpoint,
            self.auth()?,
            self.options(parallel, retries),
        ))
    }

    /// A client for Beam's workspace API (`--app-url`), as [`Session::api`].
    pub fn app(&self, parallel: usize, retries: u32) -> Result<Client> {
        let auth = self.auth()?;
        let endpoint = Endpoint::resolve(&self.global.app_url, "--app-url")?;
        Ok(Client::new(endpoint, auth, self.options(parallel, retries)))
    }

    /// A client for links to other hosts (outputs' pre-signed URLs), never
    /// with the token, trusting what the API's client trusts (for a
    /// plain-http loopback API, which read none, the trust store now).
    pub fn links(&self, api: &Client, parallel: usize, retries: u32) -> Result<LinkClient> {
        let roots = match api.trusted_roots() {
            Some(roots) => roots.clone(),
            None => tls::root_certs()?,
        };
        Ok(LinkClient::new(roots, self.options(parallel, retries)))
    }

    /// The workspace to use: `--workspace`, else the token's own, asked of
    /// the workspace API.
    pub fn workspace(&self, app: &Client) -> Result<String> {
        resolve_workspace(self.global.workspace.as_deref(), app)
    }

    fn options(&self, parallel: usize, retries: u32) -> ClientOptions {
        ClientOptions {
            retries,
            request_timeout: self.global.request_timeout,
            parallel,
        }
    }
}

/// The workspace `given` (checked), else the token's own: for a thread of
/// its own, which cannot hold the session.
pub fn resolve_workspace(given: Option<&str>, app: &Client) -> Result<String> {
    match given {
        Some(id) if task::is_valid_task_id(id) => Ok(id.to_string()),
        Some(_) => Err(Failure::Usage(
            "--workspace must be a workspace ID: 1 to 128 ASCII letters, digits, '-' or '_'".into(),
        )
        .into()),
        None => Ok(api::current_workspace(app).context("cannot find the token's workspace")?),
    }
}
