//! Server-Sent Events, read from a byte stream as it arrives: the format of
//! the workspace API's subscribe stream.
//!
//! An event is a run of `field: value` lines ended by a blank line; `data`
//! lines are joined with newlines; lines starting with `:` are comments.
//! Lines end with `\n`, `\r\n` or `\r`. An event may arrive split across
//! any number of reads (beta9 splits events over 2 KB), so bytes are kept
//! until their line is complete.

/// One event: its type (`message` when the stream names none) and data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: String,
    pub data: String,
}

/// The parser's state between reads.
#[derive(Debug, Default)]
pub struct Parser {
    /// Bytes of a line not complete yet.
    partial: Vec<u8>,
    /// The last byte was `\r`: a `\n` right after it ends nothing more.
    after_cr: bool,
    kind: Option<String>,
    data: Option<String>,
}

/// An event longer than this is refused: the stream is not what it claims.
pub const MAX_EVENT_BYTES: usize = 4 * 1024 * 1024;

impl Parser {
    pub fn new() -> Parser {
        Parser::default()
    }

    /// Reads `bytes`; returns the events they complete, in order. Fails when
    /// one event grows past [`MAX_EVENT_BYTES`].
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Vec<Event>, String> {
        let mut events = Vec::new();
        for &byte in bytes {
            let after_cr = std::mem::replace(&mut self.after_cr, byte == b'\r');
            match byte {
                b'\n' if after_cr => {}
                b'\n' | b'\r' => {
                    let line = std::mem::take(&mut self.partial);
                    if let Some(event) = self.line(&line) {
                        events.push(event);
                    }
                }
                _ => {
                    self.partial.push(byte);
                    let pending = self.data.as_ref().map_or(0, String::len);
                    if self.partial.len() + pending > MAX_EVENT_BYTES {
                        return Err(format!(
                            "an event of the stream is larger than {} MB",
                            MAX_EVENT_BYTES / 1024 / 1024
                        ));
                    }
                }
            }
        }
        Ok(events)
    }

    /// One complete line; a blank line dispatches the event gathered.
    fn line(&mut self, line: &[u8]) -> Option<Event> {
        if line.is_empty() {
            let data = self.data.take();
            let kind = self.kind.take();
            return data.map(|data| Event {
                kind: kind.unwrap_or_else(|| "message".to_string()),
                data,
            });
        }
        let line = String::from_utf8_lossy(line);
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "event" => self.kind = Some(value.to_string()),
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_string()),
            },
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(chunks: &[&[u8]]) -> Vec<Event> {
        let mut parser = Parser::new();
        chunks
            .iter()
            .flat_map(|chunk| parser.feed(chunk).unwrap())
            .collect()
    }

    fn event(kind: &str, data: &str) -> Event {
        Event {
            kind: kind.into(),
            data: data.into(),
        }
    }

    #[test]
    fn an_event_ends_at_a_blank_line() {
        assert_eq!(
            events(&[b"event: status\ndata: {\"status\":\"RUNNING\"}\n\n"]),
            [event("status", r#"{"status":"RUNNING"}"#)]
        );
    }

    #[test]
    fn an_event_split_anywhere_is_put_back_together() {
        let whole = b"event: status\r\ndata: {\"a\":1}\r\n\r\nevent: status\ndata: 2\n\n";
        for split in 0..whole.len() {
            let (a, b) = whole.split_at(split);
            assert_eq!(
                events(&[a, b]),
                [event("status", r#"{"a":1}"#), event("status", "2")],
                "split at {split}"
            );
        }
    }

    #[test]
    fn data_lines_join_with_newlines_and_comments_are_skipped() {
        assert_eq!(
            events(&[b": keep-alive\ndata: a\ndata:b\n\n"]),
            [event("message", "a\nb")]
        );
    }

    #[test]
    fn carriage_returns_alone_end_lines() {
        assert_eq!(
            events(&[b"event: status\rdata: x\r\r"]),
            [event("status", "x")]
        );
    }

    #[test]
    fn an_event_without_data_is_not_dispatched() {
        assert_eq!(events(&[b"event: status\n\n"]), []);
    }

    #[test]
    fn an_endless_event_is_refused() {
        let mut parser = Parser::new();
        let chunk = vec![b'x'; 1024 * 1024];
        parser.feed(b"data: ").unwrap();
        let mut result = Ok(Vec::new());
        for _ in 0..5 {
            result = parser.feed(&chunk);
            if result.is_err() {
                break;
            }
        }
        assert!(result.is_err());
    }
}
