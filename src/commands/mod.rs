//! One room per command, over the shared parts: a command reads its
//! settings, asks through the request path and hands what it learnt to the
//! output, which decides the exit code.

pub mod status;
pub mod wait;

use anyhow::Result;

use crate::config;
use crate::endpoint::Endpoint;
use crate::request::{Auth, Client, ClientOptions};
use crate::settings::GlobalSettings;

/// A client for Beam's task API (`--api-url`), making up to `parallel`
/// requests at once, each retried `retries` times after a transient failure.
pub fn api_client(global: &GlobalSettings, parallel: usize, retries: u32) -> Result<Client> {
    let endpoint = Endpoint::resolve(&global.api_url, "--api-url")?;
    let (token, source) = config::resolve_token(&global.token)?;
    let options = ClientOptions {
        retries,
        request_timeout: global.request_timeout,
        verbose: global.verbose,
        time_scale: global.time_scale,
        parallel,
    };
    Ok(Client::new(endpoint, Auth::new(token, source), options))
}
