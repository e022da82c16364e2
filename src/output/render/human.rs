//! Times and durations as people read them.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// A duration, short: `850ms`, `12.3s`, `4m 05s`, `2h 03m`, `3d 4h`.
pub fn duration(d: SignedDuration) -> String {
    let ms = d.as_millis().max(0);
    let secs = ms / 1000;
    match secs {
        0 => format!("{ms}ms"),
        1..60 => format!("{:.1}s", ms as f64 / 1000.0),
        60..3600 => format!("{}m {:02}s", secs / 60, secs % 60),
        3600..86400 => format!("{}h {:02}m", secs / 3600, secs % 3600 / 60),
        _ => format!("{}d {}h", secs / 86400, secs % 86400 / 3600),
    }
}

/// How long ago `t` was: `just now`, `42 s ago`, `3 min ago`, `5 h ago`,
/// `2 days ago`; a time in the future says how far ahead it is, `in 3 h`
/// (a clock that is not quite right, or a server's). Within 5 s either way
/// is `just now`.
pub fn age(t: Timestamp, now: Timestamp) -> String {
    let secs = now.duration_since(t).as_secs();
    if secs <= -5 {
        return format!("in {}", span(secs.unsigned_abs()));
    }
    match secs {
        ..5 => "just now".to_string(),
        _ => format!("{} ago", span(secs.unsigned_abs())),
    }
}

/// `42 s`, `3 min`, `5 h`, `2 days`: a span of time as an age gives it.
fn span(secs: u64) -> String {
    match secs {
        ..60 => format!("{secs} s"),
        60..5400 => format!("{} min", secs / 60),
        5400..172_800 => format!("{} h", secs / 3600),
        _ => format!("{} days", secs / 86400),
    }
}

/// A timestamp in time zone `zone` (the local one honours `TZ`).
pub fn local_time(t: Timestamp, zone: &TimeZone) -> String {
    t.to_zoned_datetime(zone.clone())
        .strftime("%Y-%m-%d %H:%M:%S %Z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(SignedDuration::from_millis(9)), "9ms");
        assert_eq!(duration(SignedDuration::from_millis(12_345)), "12.3s");
        assert_eq!(duration(SignedDuration::from_secs(245)), "4m 05s");
        assert_eq!(duration(SignedDuration::from_secs(7380)), "2h 03m");
        assert_eq!(
            duration(SignedDuration::from_secs(3 * 86400 + 4 * 3600)),
            "3d 4h"
        );
        assert_eq!(duration(SignedDuration::from_secs(-5)), "0ms");
    }

    #[test]
    fn ages_read_naturally() {
        let now: Timestamp = "2024-07-22T14:00:00Z".parse().unwrap();
        let ago = |s: i64| age(now - SignedDuration::from_secs(s), now);
        assert_eq!(ago(-4), "just now");
        assert_eq!(ago(2), "just now");
        assert_eq!(ago(42), "42 s ago");
        assert_eq!(ago(180), "3 min ago");
        assert_eq!(ago(5 * 3600), "5 h ago");
        assert_eq!(ago(3 * 86400), "3 days ago");
    }

    #[test]
    fn a_time_in_the_future_reads_as_such() {
        let now: Timestamp = "2024-07-22T14:00:00Z".parse().unwrap();
        let ahead = |s: i64| age(now + SignedDuration::from_secs(s), now);
        assert_eq!(ahead(5), "in 5 s");
        assert_eq!(ahead(30), "in 30 s");
        assert_eq!(ahead(180), "in 3 min");
        assert_eq!(ahead(3 * 3600), "in 3 h");
        assert_eq!(ahead(3 * 86400), "in 3 days");
    }
}
