//! Trying again: transient failures (connection errors, timeouts, 429,
//! 500, 502, 503, 504, a body cut short) are retried with exponential
//! backoff and jitter; a `Retry-After` is honoured, never shortened, and one
//! beyond a minute is not waited for.

use std::time::Duration;

use ureq::http::HeaderMap;

use crate::clock;
use crate::failure::{Failure, Retry};
use crate::log;

/// A `Retry-After` longer than this is not waited for.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The first backoff; it doubles on each further try.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);

/// The backoff stops doubling here, so that many retries never mean hours.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Runs `once` until it succeeds, fails for good, or has been retried
/// `retries` times after transient failures.
pub fn retrying<T>(
    retries: u32,
    mut once: impl FnMut() -> Result<T, Failure>,
) -> Result<T, Failure> {
    let mut attempt = 0;
    loop {
        match once() {
            Err(failure) if failure.is_transient() && attempt < retries => {
                let pause = backoff(attempt, &failure, fastrand::f64());
                log::line(&format!(
                    "* {failure}; retrying in {:.1} s",
                    pause.as_secs_f64()
                ));
                clock::sleep(pause);
                attempt += 1;
            }
            result => return result,
        }
    }
}

/// Exponential backoff from 0.5 s (at most 30 s) with up to 50 % jitter
/// (`jitter` in 0..1), or the server's `Retry-After` when that is longer.
pub fn backoff(attempt: u32, failure: &Failure, jitter: f64) -> Duration {
    let backoff = FIRST_BACKOFF
        .saturating_mul(1 << attempt.min(16))
        .min(MAX_BACKOFF);
    backoff
        .mul_f64(1.0 + jitter * 0.5)
        .max(failure.retry_after().unwrap_or_default())
}

/// An answer that asks to be tried again. A `Retry-After` beyond a minute
/// is not waited for, whatever the status and whoever would retry: the
/// failure is final, and says when the server asked to come back.
pub fn come_back_later(reason: String, retry_after: Option<Duration>, retry: Retry) -> Failure {
    match retry_after {
        Some(wait) if wait > MAX_RETRY_AFTER => Failure::Unreachable {
            reason: match jiff::Timestamp::now().checked_add(wait) {
                Ok(at) => format!(
                    "{reason}, and asked to come back in {} s (at {})",
                    wait.as_secs(),
                    at.strftime("%Y-%m-%d %H:%M:%S UTC")
                ),
                Err(_) => format!("{reason}, and asked to come back after the year 9999"),
            },
            retry_after: Some(wait),
            retry: Retry::Never,
        },
        _ => Failure::Unreachable {
            reason,
            retry_after,
            retry,
        },
    }
}

/// `Retry-After` as seconds or as an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // Seconds beyond any number: beyond a minute all the same.
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::MAX);
    }
    let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let wait = at.duration_since(jiff::Timestamp::now());
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            "retry-after",
            "Sun, 06 Nov 1994 08:49:37 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
        headers.insert("retry-after", "-5".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn a_retry_after_too_large_for_a_number_is_beyond_a_minute() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "99999999999999999999999".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::MAX));
        let failure = come_back_later(
            "the API answered HTTP 503".into(),
            Some(Duration::MAX),
            Retry::Soon,
        );
        assert!(!failure.may_pass_in_time());
        assert_eq!(
            failure.to_string(),
            "the API answered HTTP 503, and asked to come back after the year 9999"
        );
    }

    #[test]
    fn backoff_doubles_from_half_a_second_with_jitter_up_to_30_s() {
        let failure = Failure::unreachable("connection refused");
        let secs = |attempt, jitter| backoff(attempt, &failure, jitter).as_secs_f64();
        assert_eq!(secs(0, 0.0), 0.5);
        assert_eq!(secs(0, 1.0), 0.75);
        assert_eq!(secs(1, 0.0), 1.0);
        assert_eq!(secs(3, 0.5), 5.0);
        assert_eq!(secs(6, 0.0), 30.0);
        assert_eq!(secs(u32::MAX, 1.0), 45.0);
    }

    #[test]
    fn retry_after_is_honoured_when_longer_than_the_backoff() {
        let failure = Failure::Unreachable {
            reason: "429".into(),
            retry_after: Some(Duration::from_secs(7)),
            retry: Retry::Soon,
        };
        assert_eq!(backoff(0, &failure, 0.5), Duration::from_secs(7));
        let short = Failure::Unreachable {
            reason: "503".into(),
            retry_after: Some(Duration::ZERO),
            retry: Retry::Soon,
        };
        assert_eq!(backoff(2, &short, 0.0), Duration::from_secs(2));
    }
}
