//! A task's log records on stdout, in order and once each: each as its
//! message (after its time with `--timestamps`), or as the JSON record the
//! API sent (`--json`). On a terminal a message cannot drive it and the
//! task's stderr lines are marked; into a pipe or a file the message goes
//! as sent.

use std::io::{self, Write};

use jiff::Timestamp;
use serde_json::Value;

use crate::config::settings::LogLines;
use crate::failure::Failure;
use crate::output;
use crate::text::{printable, terminal_line};

/// Written out once this much is waiting, whatever comes next: memory stays
/// flat however many lines a page or a burst brings.
const FLUSH_AT: usize = 64 * 1024;

/// How a terminal shows a line the task wrote on its stderr.
const STDERR_MARK: &str = "stderr ";
const STDERR_MARK_COLORED: &str = "\u{1b}[31mstderr\u{1b}[0m ";
/// Ends a line that set colors of its own, so that none leaks past it.
const RESET: &str = "\u{1b}[0m";

/// The records printed so far, and the bytes not yet written.
pub struct Printer {
    lines: LogLines,
    /// The `seq_num` of the last line read: a line at or below it has been
    /// handled already (printed, or left out of `--tail`'s window).
    last: Option<u64>,
    buffer: Vec<u8>,
    /// The reader of stdout has gone (`| head`): nothing more is written.
    closed: bool,
}

impl Printer {
    pub fn new(lines: LogLines) -> Printer {
        Printer {
            lines,
            last: None,
            buffer: Vec::new(),
            closed: false,
        }
    }

    /// The `seq_num` of the last line read, to go on after.
    pub fn last(&self) -> Option<u64> {
        self.last
    }

    /// Whether stdout's reader has gone.
    pub fn closed(&self) -> bool {
        self.closed
    }

    /// Takes `record` as read: printed when `show`, and when it comes after
    /// the last line read (a record without a `seq_num` cannot be placed,
    /// and is printed). Returns whether it was new.
    pub fn push(&mut self, record: &Value, show: bool) -> Result<bool, Failure> {
        let seq = seq_num(record);
        if let (Some(seq), Some(last)) = (seq, self.last)
            && seq <= last
        {
            return Ok(false);
        }
        if seq.is_some() {
            self.last = seq;
        }
        if show && !self.lines.quiet && !self.closed {
            self.render(record)?;
            if self.buffer.len() >= FLUSH_AT {
                self.flush()?;
            }
        }
        Ok(true)
    }

    /// Writes what is waiting.
    pub fn flush(&mut self) -> Result<(), Failure> {
        if self.buffer.is_empty() || self.closed {
            self.buffer.clear();
            return Ok(());
        }
        let written = output::write_with(|| io::stdout().lock().write_all(&self.buffer));
        self.buffer.clear();
        self.closed = !written?;
        Ok(())
    }

    fn render(&mut self, record: &Value) -> Result<(), Failure> {
        if let Some(jq) = self.lines.jq {
            let item = match seq_num(record) {
                Some(seq) => format!("line {seq}"),
                None => "a line".to_string(),
            };
            let buffer = &mut self.buffer;
            return jq.print(record, &item, |bytes| {
                buffer.extend_from_slice(bytes);
                Ok(())
            });
        }
        if self.lines.json {
            self.buffer
                .extend_from_slice(serde_json::to_string(record).unwrap_or_default().as_bytes());
            self.buffer.push(b'\n');
            return Ok(());
        }
        let text = |field: &str| record.get(field).and_then(Value::as_str).unwrap_or("");
        let terminal = self.lines.terminal;
        let mut line = String::new();
        if self.lines.timestamps {
            let time = text("timestamp");
            match time.parse::<Timestamp>() {
                Ok(at) => line.push_str(&at.to_string()),
                Err(_) if terminal => line.push_str(&printable(time)),
                Err(_) => line.push_str(time),
            }
            line.push(' ');
        }
        if terminal && text("stream") == "stderr" {
            line.push_str(if self.lines.color {
                STDERR_MARK_COLORED
            } else {
                STDERR_MARK
            });
        }
        let message = text("message");
        // A line's own end is not a second one.
        let message = message.strip_suffix('\n').unwrap_or(message);
        let message = message.strip_suffix('\r').unwrap_or(message);
        if terminal {
            let (shown, colored) = terminal_line(message, self.lines.color);
            line.push_str(&shown);
            if colored {
                line.push_str(RESET);
            }
        } else {
            line.push_str(message);
        }
        line.push('\n');
        self.buffer.extend_from_slice(line.as_bytes());
        Ok(())
    }
}

/// A record's `seq_num`, its place in the task's log.
pub fn seq_num(record: &Value) -> Option<u64> {
    record.get("seq_num").and_then(Value::as_u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(terminal: bool, color: bool, timestamps: bool) -> LogLines {
        LogLines {
            json: false,
            jq: None,
            timestamps,
            quiet: false,
            terminal,
            color,
        }
    }

    fn record(seq: u64, message: &str, stream: &str) -> Value {
        serde_json::json!({
            "seq_num": seq,
            "timestamp": "2026-12-04T10:00:00.5+01:00",
            "message": message,
            "stream": stream,
        })
    }

    fn printed(printer: &Printer) -> String {
        String::from_utf8(printer.buffer.clone()).unwrap()
    }

    #[test]
    fn a_line_is_printed_once_in_order() {
        let mut printer = Printer::new(lines(false, false, false));
        assert!(printer.push(&record(1, "one\n", "stdout"), true).unwrap());
        assert!(printer.push(&record(2, "two", "stdout"), true).unwrap());
        assert!(!printer.push(&record(2, "two", "stdout"), true).unwrap());
        assert!(!printer.push(&record(1, "one", "stdout"), true).unwrap());
        assert_eq!(printed(&printer), "one\ntwo\n");
        assert_eq!(printer.last(), Some(2));
    }

    #[test]
    fn timestamps_are_rfc_3339_in_utc_then_a_space() {
        let mut printer = Printer::new(lines(false, false, true));
        printer.push(&record(1, "hi", "stdout"), true).unwrap();
        assert_eq!(printed(&printer), "2026-12-04T09:00:00.5Z hi\n");
    }

    #[test]
    fn a_terminal_marks_stderr_and_defuses_escapes_a_pipe_does_not() {
        let hostile = "\u{1b}[31mred\u{1b}]0;title\u{7}";
        let mut terminal = Printer::new(lines(true, false, false));
        terminal.push(&record(1, hostile, "stderr"), true).unwrap();
        assert_eq!(printed(&terminal), "stderr red\u{fffd}]0;title\u{fffd}\n");
        let mut pipe = Printer::new(lines(false, false, false));
        pipe.push(&record(1, hostile, "stderr"), true).unwrap();
        assert_eq!(printed(&pipe), format!("{hostile}\n"));
    }

    #[test]
    fn json_keeps_the_record_as_sent() {
        let mut printer = Printer::new(LogLines {
            json: true,
            jq: None,
            ..lines(true, true, false)
        });
        let sent: Value =
            serde_json::from_str(r#"{"seq_num":7,"message":"\u001b[2J","zeta":1,"alpha":2}"#)
                .unwrap();
        printer.push(&sent, true).unwrap();
        assert_eq!(
            printed(&printer),
            "{\"seq_num\":7,\"message\":\"\\u001b[2J\",\"zeta\":1,\"alpha\":2}\n"
        );
    }
}
