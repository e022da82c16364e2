//! What a task's read comes to: a note, a failure, or its outputs, whose
//! names (they come from the server) are checked before any reaches the
//! disk, handed to the workers.

use std::collections::HashSet;
use std::path::{Component, Path};
use std::sync::Arc;

use anyhow::Result;

use super::disk::{make_folder, make_task_folder};
use super::links::TaskLinks;
use super::{Downloads, FileEntry, FileJob, Plan};
use crate::api::task::{OutputLink, Task, TaskStatus};
use crate::failure::Failure;

impl Downloads<'_> {
    /// Decides about a task just read: a note, a failure, or its files for
    /// the workers.
    pub(super) fn plan(&mut self, index: usize, result: Result<Task, Failure>) -> Result<()> {
        let id = &self.ids[index];
        let task = match result {
            Ok(task) => task,
            Err(failure) => {
                self.tasks[index] = Some(Plan::Failed(failure));
                return Ok(());
            }
        };
        let status = task.status().as_str().to_string();
        let finished = task.status().is_finished();
        let complete = *task.status() == TaskStatus::Complete;
        let outputs = task.output_links();
        // Statuses count as they come; failures in the order asked, when
        // shown.
        self.verdict.count(&Ok(task));
        let plan = if !finished {
            Plan::Note(format!(
                "task {id} is {status}: nothing downloaded; wait for it first (beam-task wait {id})"
            ))
        } else if outputs.is_empty() {
            Plan::Note(format!("task {id} has no outputs"))
        } else {
            let note = (!complete)
                .then(|| format!("task {id} is {status}: its outputs are saved all the same"));
            self.plan_files(index, outputs, note)?
        };
        self.tasks[index] = Some(plan);
        Ok(())
    }

    /// Checks a finished task's outputs and hands the good ones to the
    /// workers. The folder is made first: DIR once (failing the run if it
    /// cannot be), DIR/<task-id> for each task when there are several.
    fn plan_files(
        &mut self,
        index: usize,
        mut outputs: Vec<OutputLink>,
        note: Option<String>,
    ) -> Result<Plan> {
        let id = &self.ids[index];
        let dir = &self.settings.dir;
        if !self.folder_made {
            make_folder(dir)?;
            self.folder_made = true;
        }
        let folder = if self.settings.per_task {
            let folder = dir.join(id);
            if let Err(failure) = make_task_folder(&folder) {
                return Ok(Plan::Failed(failure));
            }
            folder
        } else {
            dir.clone()
        };
        let links = Arc::new(TaskLinks::new(id, outputs.clone()));
        // The API lists them in another order on each read: by name, the
        // listing is the same from run to run.
        outputs.sort_by(|a, b| a.name.cmp(&b.name));
        let mut names = HashSet::new();
        let mut files = Vec::with_capacity(outputs.len());
        for output in outputs {
            let name = output.name.unwrap_or_default();
            let refused = match check_name(&name) {
                Err(why) => Some(Failure::UnsafeName {
                    name: format!("{name:?}"),
                    why,
                }),
                Ok(()) if !names.insert(name.clone()) => Some(Failure::UnsafeName {
                    name: format!("{name:?}"),
                    why: "another output of the task has the same name",
                }),
                Ok(()) if output.url.is_none() => {
                    Some(Failure::BadResponse("the task gives it no link".into()))
                }
                Ok(()) => None,
            };
            if refused.is_none() {
                self.pool.submit(FileJob {
                    task: index,
                    file: files.len(),
                    name: name.clone(),
                    folder: folder.clone(),
                    links: Arc::clone(&links),
                });
                self.pending += 1;
                self.view.expect(1);
            }
            files.push(FileEntry {
                name,
                result: refused.map(Err),
            });
        }
        Ok(Plan::Files { note, files })
    }
}

/// Why `name` cannot be a file's name in the folder, if it cannot: it must
/// be one plain component, with nothing that could lead elsewhere or
/// drive a terminal.
fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("it is empty");
    }
    if name == "." || name == ".." {
        return Err("it names a folder, not a file");
    }
    if name.contains(['/', '\\']) {
        return Err("it is a path, not a file name");
    }
    if name.chars().any(char::is_control) {
        return Err("it holds a control character");
    }
    if cfg!(windows) && windows_special(name) {
        return Err("Windows gives it a special meaning");
    }
    let mut components = Path::new(name).components();
    match (components.next(), components.next()) {
        (Some(Component::Normal(part)), None) if part == name => Ok(()),
        _ => Err("it would not stay in the folder"),
    }
}

/// A name that Windows does not take as a plain file name: a stream
/// (`a:b`), a device (`CON`, `nul.txt`, `COM1`), or one ending in a dot or
/// a space (which Windows drops).
fn windows_special(name: &str) -> bool {
    const DEVICES: [&str; 4] = ["CON", "PRN", "AUX", "NUL"];
    let base = name.split('.').next().unwrap_or_default().trim_end();
    let upper = base.to_ascii_uppercase();
    let numbered = (upper.starts_with("COM") || upper.starts_with("LPT"))
        && upper.len() == 4
        && upper.as_bytes()[3].is_ascii_digit();
    name.contains(':')
        || name.ends_with(['.', ' '])
        || DEVICES.contains(&upper.as_str())
        || numbered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_file_names_are_taken() {
        for good in [
            "a.png",
            "result",
            ".hidden",
            "a b.txt",
            "été.csv",
            "...x",
            "x..y",
        ] {
            assert_eq!(check_name(good), Ok(()), "{good:?}");
        }
        for bad in [
            "",
            ".",
            "..",
            "../../x",
            "a/b",
            "/etc/passwd",
            "a\\b",
            "..\\x",
            "a\nb",
            "a\0b",
            "\u{1b}[31mred",
            "tab\there",
            "del\u{7f}",
            "c1\u{85}",
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn windows_special_names() {
        for special in ["CON", "nul.txt", "Com1", "lpt9.log", "a:b", "x.", "y "] {
            assert!(windows_special(special), "{special:?}");
        }
        for plain in ["console", "COM", "COM10", "a.txt", "nul_file"] {
            assert!(!windows_special(plain), "{plain:?}");
        }
    }
}
