//! The lines a task has written so far, read page by page from
//! `GET /api/v1/logs/{ws}` and printed as each page comes: never more than
//! a page in memory.
//!
//! `--tail N` reads only the pages that hold the last N lines. The pages
//! are slices of the task's log at fixed offsets (page `p` of `limit` lines
//! holds lines `p × limit` to `p × limit + limit - 1`), and every answer
//! says how many lines there are in all (`total_expected`). So a first
//! read of one line (page 0, `limit=1`) gives the count T; then the page
//! size is chosen, from N up to the server's cap of 1000, so that one page
//! holds lines T - N to T - 1 whole when such a size exists, and that page
//! alone is read. Otherwise (N over 1000, or no size fits) the pages from
//! the one holding line T - N on are read, 1000 lines each. Lines written
//! after the count are left to `-f`.

use anyhow::Result;
use jiff::Timestamp;

use crate::api::{self, LogPage, MAX_LOG_PAGE};
use crate::commands::logs::lines::{Printer, seq_num};
use crate::config::settings::REQUEST_RETRIES;
use crate::failure::Failure;
use crate::net::client::Client;
use crate::net::retry;

/// Whose lines, and from when.
pub struct Source<'a> {
    pub app: &'a Client,
    pub workspace: &'a str,
    pub id: &'a str,
    pub since: Option<Timestamp>,
}

impl Source<'_> {
    /// Page `page` of `limit` lines, retried on transient failures (a
    /// server without a log store is not one).
    fn page(&self, limit: u64, page: u64) -> Result<LogPage, Failure> {
        retry::retrying(REQUEST_RETRIES, || {
            api::task_log_page(self.app, self.workspace, self.id, self.since, limit, page)
        })
    }
}

/// Which lines to read: lines `first` to `end - 1` (0-based; `end` open
/// when `None`), in pages of `limit`, printing those from `shown_from` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    limit: u64,
    first: u64,
    end: Option<u64>,
    shown_from: u64,
}

impl Window {
    const ALL: Window = Window {
        limit: MAX_LOG_PAGE,
        first: 0,
        end: None,
        shown_from: 0,
    };

    /// The last `tail` of `total` lines. `--tail 0` still reads the last
    /// line, unprinted, so that `-f` follows on after it.
    fn tail(tail: u64, total: u64) -> Window {
        if tail >= total {
            return Window::ALL;
        }
        let shown_from = total - tail;
        let first = total - tail.max(1);
        let wanted = total - first;
        let fits = |limit: &u64| first / limit == (total - 1) / limit;
        let limit = (wanted..=MAX_LOG_PAGE).find(fits).unwrap_or(MAX_LOG_PAGE);
        Window {
            limit,
            first,
            end: Some(total),
            shown_from,
        }
    }
}

/// Prints the task's lines so far (the last `tail` of them), in order.
pub fn print(source: &Source, tail: Option<u64>, printer: &mut Printer) -> Result<()> {
    let window = match tail {
        None => Window::ALL,
        Some(tail) => {
            let total = source.page(1, 0)?.total;
            if total == 0 {
                return Ok(());
            }
            Window::tail(tail, total)
        }
    };
    let mut page = window.first / window.limit;
    loop {
        let LogPage {
            mut records, next, ..
        } = source.page(window.limit, page)?;
        if records.is_empty() {
            return Ok(());
        }
        records.sort_by_key(|record| seq_num(record).unwrap_or(u64::MAX));
        let start = page * window.limit;
        for (offset, record) in records.iter().enumerate() {
            let line = start + offset as u64;
            if window.end.is_some_and(|end| line >= end) {
                return Ok(printer.flush()?);
            }
            if line >= window.first {
                printer.push(record, line >= window.shown_from)?;
            }
        }
        printer.flush()?;
        match next {
            Some(next) if next > page => page = next,
            Some(other) => {
                return Err(Failure::BadResponse(format!(
                    "the logs' page {page} names page {other} as the next"
                ))
                .into());
            }
            None => return Ok(()),
        }
        if printer.closed() || window.end.is_some_and(|end| page * window.limit >= end) {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_lines_come_from_one_page_when_a_size_fits() {
        // 4000 lines, the last 50: pages of 50, page 79.
        let window = Window::tail(50, 4000);
        assert_eq!((window.limit, window.first), (50, 3950));
        // 4010 lines, the last 50: a page of 51 holds 3960 to 4010 whole?
        // No: the first size that puts 3960 and 4009 on one page.
        let window = Window::tail(50, 4010);
        assert_eq!(window.first / window.limit, 4009 / window.limit);
        assert!(window.limit >= 50 && window.limit <= MAX_LOG_PAGE);
    }

    #[test]
    fn a_tail_as_long_as_the_log_reads_it_all() {
        assert_eq!(Window::tail(10, 10), Window::ALL);
        assert_eq!(Window::tail(100, 10), Window::ALL);
    }

    #[test]
    fn a_tail_of_zero_reads_the_last_line_unprinted() {
        let window = Window::tail(0, 4000);
        assert_eq!((window.first, window.shown_from), (3999, 4000));
    }

    #[test]
    fn a_tail_past_the_cap_reads_full_pages_from_its_first_line() {
        let window = Window::tail(2500, 1_000_000);
        assert_eq!(window.limit, MAX_LOG_PAGE);
        assert_eq!(window.first, 997_500);
    }
}
