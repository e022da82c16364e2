//! A task's output links, shared by the workers on its files, and replaced
//! by fresh ones (the task read again) when they expire.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::api;
use crate::api::task::OutputLink;
use crate::failure::Failure;
use crate::net::client::Client;

/// A link with less than this left before it expires is refreshed before
/// it is used: it could expire before its answer begins.
const EXPIRY_MARGIN: Duration = Duration::from_secs(5);

/// A task's links, as last read, shared by the workers on its files: the
/// first to need fresh links reads the task again, and the others use what
/// it read.
pub(super) struct TaskLinks {
    id: String,
    state: Mutex<LinkState>,
}

struct LinkState {
    /// How many times the task was read again.
    generation: u32,
    read_at: Instant,
    outputs: Vec<OutputLink>,
}

/// One output's link from one read of its task.
pub(super) struct CurrentLink {
    pub(super) url: String,
    /// When it expires, as far as `expires_in` tells.
    expires_at: Option<Instant>,
    pub(super) generation: u32,
}

impl CurrentLink {
    pub(super) fn expired(&self) -> bool {
        self.expires_at
            .is_some_and(|at| Instant::now() + EXPIRY_MARGIN >= at)
    }
}

impl TaskLinks {
    pub(super) fn new(id: &str, outputs: Vec<OutputLink>) -> TaskLinks {
        TaskLinks {
            id: id.to_string(),
            state: Mutex::new(LinkState {
                generation: 0,
                read_at: Instant::now(),
                outputs,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, LinkState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The link of output `name` as last read.
    pub(super) fn current(&self, name: &str) -> Result<CurrentLink, Failure> {
        self.lock().link(name)
    }

    /// A fresh link for output `name`, to replace one from read
    /// `generation`: the task is read again, unless another file did so
    /// since. The outputs may come in another order: they are matched by
    /// name.
    pub(super) fn refresh(
        &self,
        api: &Client,
        name: &str,
        generation: u32,
    ) -> Result<CurrentLink, Failure> {
        let mut state = self.lock();
        if state.generation == generation {
            let task = api::get_task(api, &self.id)?;
            state.outputs = task.output_links();
            state.read_at = Instant::now();
            state.generation += 1;
        }
        state.link(name)
    }
}

impl LinkState {
    fn link(&self, name: &str) -> Result<CurrentLink, Failure> {
        let output = self
            .outputs
            .iter()
            .find(|o| o.name.as_deref() == Some(name))
            .ok_or_else(|| {
                Failure::BadResponse("the task read again no longer lists this output".into())
            })?;
        let url = output
            .url
            .clone()
            .ok_or_else(|| Failure::BadResponse("the task read again gives it no link".into()))?;
        let expires_at = output
            .expires_in
            .and_then(|seconds| Duration::try_from_secs_f64(seconds.max(0.0)).ok())
            .and_then(|life| self.read_at.checked_add(life));
        Ok(CurrentLink {
            url,
            expires_at,
            generation: self.generation,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_expire_by_expires_in_from_the_read_with_a_margin() {
        let output = |expires_in| OutputLink {
            name: Some("a".into()),
            url: Some("https://x/a".into()),
            expires_in,
        };
        let links = |expires_in| TaskLinks::new("t", vec![output(expires_in)]);
        assert!(!links(Some(3600.0)).current("a").unwrap().expired());
        assert!(!links(None).current("a").unwrap().expired());
        assert!(links(Some(0.0)).current("a").unwrap().expired());
        assert!(links(Some(-5.0)).current("a").unwrap().expired());
        assert!(links(Some(3.0)).current("a").unwrap().expired());
        assert!(links(Some(f64::NAN)).current("a").is_ok());
        assert!(links(Some(3600.0)).current("b").is_err());
    }
}
