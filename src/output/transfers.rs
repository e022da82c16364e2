//! What `download` shows on stderr while it works: on a terminal that can
//! move its cursor, a bar per file being downloaded (bytes, total, rate)
//! above a total for the run; elsewhere (`TERM=dumb` too) one line per
//! saved file, for logs; or nothing (`--quiet`).

use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once, PoisonError};

use console::Term;
use indicatif::{HumanBytes, MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::output::live::Feedback;
use crate::text::one_line;

/// The widest a file's label gets on its bar.
const LABEL_WIDTH: usize = 32;

/// The progress display of one download run. Workers share it.
pub struct Transfers {
    view: View,
}

enum View {
    Silent,
    Lines,
    Live(Arc<Live>),
}

/// The bars: one per file under way, and the total below them, shown
/// once the first download starts.
struct Live {
    multi: MultiProgress,
    total: ProgressBar,
    shown: Once,
    /// Guards changes to the total's length, which starts unknown.
    length: Mutex<()>,
    files: AtomicUsize,
    saved: AtomicUsize,
}

impl Transfers {
    pub fn start(feedback: Feedback) -> Transfers {
        let view = match feedback {
            Feedback::Silent => View::Silent,
            Feedback::Lines => View::Lines,
            Feedback::Live { .. } => {
                let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
                // Hidden until it joins the others: a bar draws itself.
                let total = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
                    .with_style(style(
                        "{prefix:<32} {bar:24} {bytes:>10}/{total_bytes:<10} {binary_bytes_per_sec:>12}  {msg}",
                    ))
                    .with_prefix(format!("{:<LABEL_WIDTH$}", "total"));
                View::Live(Arc::new(Live {
                    multi,
                    total,
                    shown: Once::new(),
                    length: Mutex::new(()),
                    files: AtomicUsize::new(0),
                    saved: AtomicUsize::new(0),
                }))
            }
        };
        Transfers { view }
    }

    /// `count` more files are to be downloaded.
    pub fn expect(&self, count: usize) {
        if let View::Live(live) = &self.view {
            live.files.fetch_add(count, Ordering::Relaxed);
            live.count_files();
        }
    }

    /// The progress of one file, shown at `path`; its bar appears when its
    /// download starts.
    pub fn file(&self, path: &Path) -> FileProgress {
        let live = match &self.view {
            View::Live(live) => Some(Arc::clone(live)),
            _ => None,
        };
        FileProgress {
            live,
            label: label(path),
            bar: None,
            counted: 0,
            announced: 0,
            done: false,
        }
    }

    /// A file was saved at `path`, `bytes` long.
    pub fn saved(&self, path: &Path, bytes: u64) {
        match &self.view {
            View::Silent => {}
            View::Lines => {
                let line = format!("saved {} ({})", path.display(), HumanBytes(bytes));
                let _ = writeln!(io::stderr().lock(), "{}", one_line(&line));
            }
            View::Live(live) => {
                live.saved.fetch_add(1, Ordering::Relaxed);
                live.count_files();
            }
        }
    }

    /// Runs `write` (lines on stdout or stderr) with the bars out of the
    /// way, and draws them again after.
    pub fn suspend<R>(&self, write: impl FnOnce() -> R) -> R {
        match &self.view {
            View::Live(live) => live.multi.suspend(write),
            _ => write(),
        }
    }

    /// The run is over: the bars make way for what comes after.
    pub fn finish(&self) {
        if let View::Live(live) = &self.view {
            live.total.finish_and_clear();
            let _ = live.multi.clear();
        }
    }

    /// Ctrl-C: the bars and the echoed `^C` go.
    pub fn interrupted(&self) {
        if let View::Live(live) = &self.view {
            let _ = live.multi.clear();
            live.multi.set_draw_target(ProgressDrawTarget::hidden());
            let _ = Term::stderr().clear_line();
        }
    }
}

impl Live {
    /// `bytes` more are to come (`grow`), or will not after all.
    fn resize(&self, bytes: u64, grow: bool) {
        let _held = self.length.lock().unwrap_or_else(PoisonError::into_inner);
        let length = self.total.length().unwrap_or(0);
        let length = if grow {
            length.saturating_add(bytes)
        } else {
            length.saturating_sub(bytes)
        };
        self.total.set_length(length);
    }

    fn count_files(&self) {
        let saved = self.saved.load(Ordering::Relaxed);
        let files = self.files.load(Ordering::Relaxed);
        self.total.set_message(format!("{saved}/{files} files"));
    }
}

/// One file's share of the display. Bytes it counted toward the total are
/// taken back when its download starts over, and when it ends without
/// being saved.
pub struct FileProgress {
    live: Option<Arc<Live>>,
    label: String,
    bar: Option<ProgressBar>,
    /// Bytes counted toward the total by the current try.
    counted: u64,
    /// Bytes added to the total's length (the file's announced size).
    announced: u64,
    done: bool,
}

impl FileProgress {
    /// A try of the download starts: `length` bytes, if the server said.
    pub fn start(&mut self, length: Option<u64>) {
        let Some(live) = &self.live else {
            return;
        };
        live.total.dec(self.counted);
        self.counted = 0;
        if self.announced == 0
            && let Some(length) = length
        {
            live.resize(length, true);
            self.announced = length;
        }
        live.shown.call_once(|| {
            live.multi.add(live.total.clone());
        });
        let bar = match length {
            Some(length) => ProgressBar::new(length).with_style(style(
                "{prefix:<32} {bar:24} {bytes:>10}/{total_bytes:<10} {binary_bytes_per_sec:>12}  {eta}",
            )),
            None => ProgressBar::no_length().with_style(style(
                "{prefix:<32} {spinner:^24} {bytes:>10}            {binary_bytes_per_sec:>12}",
            )),
        };
        let bar = bar.with_prefix(self.label.clone());
        // A new try: a new bar in the place of the last one.
        match self.bar.replace(bar.clone()) {
            Some(old) => {
                live.multi.insert_after(&old, bar);
                live.multi.remove(&old);
            }
            None => {
                live.multi.insert_before(&live.total, bar);
            }
        }
    }

    /// `bytes` more were written.
    pub fn advance(&mut self, bytes: u64) {
        if let Some(live) = &self.live {
            self.counted += bytes;
            live.total.inc(bytes);
            if let Some(bar) = &self.bar {
                bar.inc(bytes);
            }
        }
    }

    /// The file is saved: its bytes stay in the total.
    pub fn done(mut self) {
        self.done = true;
    }
}

impl Drop for FileProgress {
    fn drop(&mut self) {
        let Some(live) = &self.live else {
            return;
        };
        if !self.done {
            live.total.dec(self.counted);
            if self.announced > 0 {
                live.resize(self.announced, false);
            }
        }
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
            live.multi.remove(&bar);
        }
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// A path as a bar's label: made safe, and cut from the left to fit.
fn label(path: &Path) -> String {
    let text = one_line(&path.display().to_string());
    let count = text.chars().count();
    let label = if count > LABEL_WIDTH {
        let tail: String = text.chars().skip(count - (LABEL_WIDTH - 1)).collect();
        format!("…{tail}")
    } else {
        text
    };
    let width = LABEL_WIDTH;
    format!("{label:<width$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_cut_from_the_left_to_the_width() {
        assert_eq!(label(Path::new("a.png")).trim_end(), "a.png");
        let long = label(Path::new(&format!("results/{}.png", "x".repeat(40))));
        assert_eq!(long.chars().count(), LABEL_WIDTH);
        assert!(long.starts_with('…') && long.ends_with(".png"), "{long}");
    }
}
