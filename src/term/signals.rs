//! The signals that end a wait: SIGINT (Ctrl-C), SIGTERM and SIGHUP.
//!
//! While a wait draws its live view, they are caught, so that the view is
//! cleared and the cursor shown again; then the process ends by the same
//! signal, with its default action, as `sleep` and `curl` do. A shell
//! tells that apart from an exit: `$?` reads 130 (143, 129), and a
//! `for` loop of waits stops at the first Ctrl-C, where an exit with 130
//! would be taken as "handled" and the loop would go on.
//!
//! Other commands catch nothing: the default action already ends them so.
//! (On Windows, where there is no signal to re-raise, Ctrl-C exits 130.)

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use anyhow::{Context, Result};

/// The signal caught, to end the process by; 0 for none.
static CAUGHT: AtomicI32 = AtomicI32::new(0);

/// Signals are caught while this lives; after [`Catching::release`] (or its
/// drop) a signal ends the process at once, as if none were caught.
pub struct Catching {
    released: Arc<AtomicBool>,
}

impl Catching {
    /// From now on a signal ends the process by itself: nobody waits for
    /// it any more.
    pub fn release(&self) {
        self.released.store(true, Ordering::SeqCst);
    }
}

impl Drop for Catching {
    fn drop(&mut self) {
        self.release();
    }
}

/// Catches SIGINT, SIGTERM and SIGHUP (Ctrl-C on Windows), calling
/// `caught` on another thread for each.
#[cfg(unix)]
pub fn catch(caught: impl Fn() + Send + 'static) -> Result<Catching> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use signal_hook::iterator::Signals;

    // A signal ignored from the start stays ignored, as shells and careful
    // programs keep it: `nohup` ignores SIGHUP, and a script's background
    // job SIGINT.
    let wanted: Vec<i32> = [SIGINT, SIGTERM, SIGHUP]
        .into_iter()
        .filter(|&signal| !ignored(signal))
        .collect();
    let mut signals = Signals::new(wanted).context("cannot watch for Ctrl-C")?;
    let released = Arc::new(AtomicBool::new(false));
    let done = Arc::clone(&released);
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                if done.load(Ordering::SeqCst) {
                    die_by(signal);
                }
                // The first one counts.
                let _ = CAUGHT.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
                caught();
            }
        })
        .context("cannot start a thread")?;
    Ok(Catching { released })
}

#[cfg(not(unix))]
pub fn catch(caught: impl Fn() + Send + 'static) -> Result<Catching> {
    let released = Arc::new(AtomicBool::new(false));
    let done = Arc::clone(&released);
    ctrlc::set_handler(move || {
        if done.load(Ordering::SeqCst) {
            std::process::exit(130);
        }
        CAUGHT.store(2, Ordering::SeqCst);
        caught();
    })
    .context("cannot watch for Ctrl-C")?;
    Ok(Catching { released })
}

/// Whether `signal` is ignored (inherited so from the parent).
#[cfg(unix)]
fn ignored(signal: i32) -> bool {
    let mut current = std::mem::MaybeUninit::<libc::sigaction>::zeroed();
    // SAFETY: with a null new action, sigaction only reads the current one
    // into `current`, which is large enough for it.
    let read = unsafe { libc::sigaction(signal, std::ptr::null(), current.as_mut_ptr()) };
    // SAFETY: sigaction filled it in when it returned 0.
    read == 0 && unsafe { current.assume_init() }.sa_sigaction == libc::SIG_IGN
}

/// Ends the process by the signal caught, if one was, after the cleanup:
/// its default action, so that the parent sees a death by that signal.
/// Returns when none was caught (or where signals cannot be re-raised).
pub fn end_by_caught_signal() {
    let signal = CAUGHT.load(Ordering::SeqCst);
    if signal != 0 {
        die_by(signal);
    }
}

#[cfg(unix)]
fn die_by(signal: i32) {
    use std::io::Write;
    let _ = std::io::stdout().lock().flush();
    let _ = signal_hook::low_level::emulate_default_handler(signal);
}

#[cfg(not(unix))]
fn die_by(_signal: i32) {}
