//! One file's download, on a worker: its link fetched (and refreshed when
//! refused as expired) into its file on disk.

use std::sync::Arc;

use super::FileJob;
use super::disk::{FileSink, Saved, TempFiles, already_there};
use crate::failure::{Failure, Retry};
use crate::net::client::Client;
use crate::net::endpoint::Link;
use crate::net::link::LinkClient;
use crate::output::transfers::Transfers;

/// What every worker shares.
pub(super) struct Worker {
    pub(super) api: Arc<Client>,
    pub(super) links: LinkClient,
    pub(super) temps: Arc<TempFiles>,
    pub(super) view: Arc<Transfers>,
    pub(super) force: bool,
}

impl Worker {
    /// Downloads one file to its place, or finds it there already.
    pub(super) fn save(&self, job: &FileJob) -> Result<Saved, Failure> {
        let path = job.folder.join(&job.name);
        if !self.force
            && let Some(there) = already_there(&path)?
        {
            return Ok(there);
        }
        let mut sink = FileSink::new(&self.temps, &job.folder, &path, self.view.file(&path));
        let mut link = job.links.current(&job.name)?;
        let mut refreshed = false;
        let bytes = loop {
            if !refreshed && link.expired() {
                link = job.links.refresh(&self.api, &job.name, link.generation)?;
                refreshed = true;
            }
            let resolved = Link::resolve(&link.url)?;
            match self.links.fetch(&resolved, &mut sink) {
                Ok(bytes) => break bytes,
                Err(Failure::HttpStatus {
                    status: 400 | 403 | 404,
                    ..
                }) if !refreshed => {
                    link = job.links.refresh(&self.api, &job.name, link.generation)?;
                    refreshed = true;
                }
                Err(Failure::HttpStatus {
                    status_line,
                    message,
                    ..
                }) => {
                    return Err(Failure::Unreachable {
                        reason: format!(
                            "{} refused the download with {status_line}{}{}",
                            resolved.host,
                            crate::failure::detail(&message),
                            if refreshed {
                                ", even with a fresh link"
                            } else {
                                ""
                            }
                        ),
                        retry_after: None,
                        retry: Retry::Never,
                    });
                }
                Err(failure) => return Err(failure),
            }
        };
        let saved = sink.persist(self.force, bytes)?;
        if saved.saved {
            self.view.saved(&saved.path, bytes);
        }
        Ok(saved)
    }
}
