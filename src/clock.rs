//! The process's one clock. Every wait the tool makes is measured on it: a
//! retry's backoff and a `Retry-After`, a poll's gap and `--interval`, a
//! stream's silence and its reopening, `--timeout` and `--request-timeout`,
//! the live view's tick. Tests run the binary with `BEAM_TASK_TIME_SCALE`
//! below 1 (it is not in `--help`) to play minutes in moments; messages
//! always say the durations as the user gave them, never scaled.

use std::sync::OnceLock;
use std::thread;
use std::time::Duration;

static SCALE: OnceLock<f64> = OnceLock::new();

/// Sets the scale, once, before anything waits (`main`).
pub fn set_scale(scale: f64) {
    let _ = SCALE.set(scale);
}

/// The real time that `duration` of the tool's time takes.
pub fn real(duration: Duration) -> Duration {
    match SCALE.get() {
        Some(&scale) if scale != 1.0 => duration.mul_f64(scale),
        _ => duration,
    }
}

/// Sleeps for `duration` of the tool's time.
pub fn sleep(duration: Duration) {
    thread::sleep(real(duration));
}
