//! What reaches the disk: the folders, what is in the way already, and each
//! file written to a temporary file beside it and renamed once whole, the
//! temporary files kept track of for Ctrl-C.

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::failure::Failure;
use crate::net::link::Sink;
use crate::output::transfers::FileProgress;

/// What a symbolic link already in the way is called in notes.
pub(super) const SYMLINK: &str = "a symbolic link";

/// A file on disk at the end: saved now, or there already.
#[derive(Debug)]
pub(super) struct Saved {
    pub(super) path: PathBuf,
    /// Its size; `None` for what is not a regular file (a link, a folder).
    pub(super) bytes: Option<u64>,
    /// False when the file was there already and kept.
    pub(super) saved: bool,
    /// What was there already, when it is not a plain file.
    pub(super) kind: Option<&'static str>,
}

/// Makes DIR (and its parents) when it is missing. DIR is the user's: a
/// symbolic link to a folder is followed there.
pub(super) fn make_folder(dir: &Path) -> Result<(), Failure> {
    if dir.as_os_str().is_empty() {
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(|e| Failure::cannot_create(dir, &e))
}

/// Makes DIR/<task-id>, or takes the folder already there; a symbolic link
/// there is not followed.
pub(super) fn make_task_folder(folder: &Path) -> Result<(), Failure> {
    let refused = |reason: &str| Failure::CannotCreate {
        path: folder.display().to_string(),
        reason: reason.to_string(),
    };
    match fs::create_dir(folder) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => match fs::symlink_metadata(folder) {
            Ok(meta) if meta.is_dir() => Ok(()),
            Ok(meta) if meta.file_type().is_symlink() => {
                Err(refused("a symbolic link is there, and it is not followed"))
            }
            Ok(_) => Err(refused("a file is in the way")),
            Err(e) => Err(Failure::cannot_create(folder, &e)),
        },
        Err(e) => Err(Failure::cannot_create(folder, &e)),
    }
}

/// What is at `path` already, if anything, without following a symbolic
/// link.
pub(super) fn already_there(path: &Path) -> Result<Option<Saved>, Failure> {
    match fs::symlink_metadata(path) {
        Ok(meta) => {
            let kind = if meta.file_type().is_symlink() {
                Some(SYMLINK)
            } else if meta.is_dir() {
                Some("a folder")
            } else if meta.is_file() {
                None
            } else {
                Some("not a regular file")
            };
            Ok(Some(Saved {
                path: path.to_path_buf(),
                bytes: meta.is_file().then_some(meta.len()),
                saved: false,
                kind,
            }))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Failure::cannot_create(path, &e)),
    }
}

/// The file a download is written to: a temporary file in the same
/// folder, made on the first answer, started over on each retry, renamed to
/// its name once whole.
pub(super) struct FileSink<'a> {
    temps: &'a TempFiles,
    folder: &'a Path,
    /// The file's name in its folder, for messages and the rename.
    path: &'a Path,
    temp: Option<TempFile<'a>>,
    progress: FileProgress,
}

impl Sink for FileSink<'_> {
    fn start(&mut self, length: Option<u64>) -> Result<(), Failure> {
        let cannot = |e: io::Error| Failure::cannot_create(self.path, &e);
        match &mut self.temp {
            None => self.temp = Some(self.temps.create(self.folder).map_err(cannot)?),
            Some(temp) => temp.start_over().map_err(cannot)?,
        }
        self.progress.start(length);
        Ok(())
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        if let Some(temp) = &mut self.temp {
            temp.file
                .write_all(bytes)
                .map_err(|e| Failure::cannot_create(self.path, &e))?;
        }
        self.progress.advance(bytes.len() as u64);
        Ok(())
    }
}

impl<'a> FileSink<'a> {
    /// The file at `path` in `folder`, its progress shown by `progress`;
    /// nothing is on disk before the first answer.
    pub(super) fn new(
        temps: &'a TempFiles,
        folder: &'a Path,
        path: &'a Path,
        progress: FileProgress,
    ) -> FileSink<'a> {
        FileSink {
            temps,
            folder,
            path,
            temp: None,
            progress,
        }
    }

    /// Renames the whole file to its name; without `force`, a file that
    /// appeared there meanwhile is kept and the download dropped.
    pub(super) fn persist(self, force: bool, bytes: u64) -> Result<Saved, Failure> {
        let FileSink {
            temps,
            folder,
            path,
            temp,
            progress,
        } = self;
        let cannot = |e: io::Error| Failure::cannot_create(path, &e);
        if !force && let Some(there) = already_there(path)? {
            return Ok(there);
        }
        // An empty body with no answer's start cannot be: `start` comes
        // first. Should it, an empty temporary file takes its place.
        let temp = match temp {
            Some(temp) => temp,
            None => temps.create(folder).map_err(cannot)?,
        };
        temp.persist(path).map_err(cannot)?;
        progress.done();
        Ok(Saved {
            path: path.to_path_buf(),
            bytes: Some(bytes),
            saved: true,
            kind: None,
        })
    }
}

/// Every temporary file of the run, so that Ctrl-C can remove them. Files
/// are made and renamed under its lock, which Ctrl-C takes for good.
#[derive(Default)]
pub(super) struct TempFiles {
    state: Mutex<TempState>,
}

#[derive(Default)]
struct TempState {
    paths: BTreeSet<PathBuf>,
    /// Files renamed to their names so far.
    renamed: usize,
}

impl TempFiles {
    fn lock(&self) -> MutexGuard<'_, TempState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A new temporary file in `folder`: `.beam-task-<random>.part`, made
    /// only if no file has that name (never through a symbolic link).
    fn create(&self, folder: &Path) -> io::Result<TempFile<'_>> {
        let folder = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        let mut state = self.lock();
        loop {
            let path = folder.join(format!(".beam-task-{:016x}.part", fastrand::u64(..)));
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    state.paths.insert(path.clone());
                    return Ok(TempFile {
                        owner: self,
                        path,
                        file,
                        kept: false,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Removes every temporary file and keeps the lock for good: no file
    /// is made or renamed any more (a worker that tries waits until the
    /// process ends). Returns how many files were renamed to their names
    /// before.
    pub(super) fn remove_all_for_good(&self) -> usize {
        let state = self.lock();
        for path in &state.paths {
            let _ = fs::remove_file(path);
        }
        let renamed = state.renamed;
        std::mem::forget(state);
        renamed
    }
}

/// A temporary file, removed when dropped unless it was renamed.
struct TempFile<'a> {
    owner: &'a TempFiles,
    path: PathBuf,
    file: File,
    kept: bool,
}

impl TempFile<'_> {
    /// Empties the file for a new try.
    fn start_over(&mut self) -> io::Result<()> {
        self.file.set_len(0)?;
        self.file.rewind()?;
        Ok(())
    }

    /// Renames the file to `path` (replacing what is there, a symbolic
    /// link itself rather than what it points to).
    fn persist(mut self, path: &Path) -> io::Result<()> {
        let mut state = self.owner.lock();
        fs::rename(&self.path, path)?;
        state.paths.remove(&self.path);
        state.renamed += 1;
        self.kept = true;
        Ok(())
    }
}

impl Drop for TempFile<'_> {
    fn drop(&mut self) {
        if !self.kept {
            let mut state = self.owner.lock();
            let _ = fs::remove_file(&self.path);
            state.paths.remove(&self.path);
        }
    }
}
