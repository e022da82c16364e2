//! Text from outside (a server, a file, an OS error) made safe to print.

/// Folds white space (newlines included) into single spaces, and shows any
/// other control character (a terminal escape sent by a server) or
/// bidirectional control as `�`, so that a message stays on one line and
/// can neither drive the terminal nor reorder what it shows.
pub fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(is_unsafe, "\u{fffd}")
}

/// Shows every control character (newlines included) and bidirectional
/// control as `�`, and keeps everything else as it is, spaces included.
pub fn printable(text: &str) -> String {
    text.replace(is_unsafe, "\u{fffd}")
}

/// A line of a task's output for a terminal: its SGR sequences (colors and
/// styles, `ESC [ ... m`) kept when `colors`, dropped otherwise; tabs kept;
/// every other control character (another escape, a carriage return, a
/// bell, a newline) and bidirectional control shown as `�`, so that the
/// line can neither move the cursor, clear the screen nor set the title.
/// Says whether a sequence was kept (the caller resets the style after).
pub fn terminal_line(text: &str, colors: bool) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut kept = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && let Some(length) = sgr_length(rest)
        {
            if colors {
                out.push_str(&rest[..length]);
                kept = true;
            }
            rest = &rest[length..];
            continue;
        }
        out.push(if c != '\t' && is_unsafe(c) {
            '\u{fffd}'
        } else {
            c
        });
        rest = &rest[c.len_utf8()..];
    }
    (out, kept)
}

/// The length of the SGR sequence `text` starts with: `ESC [`, parameters
/// (digits, `;` and `:`), `m`.
fn sgr_length(text: &str) -> Option<usize> {
    let parameters = text.strip_prefix("\u{1b}[")?;
    let end = parameters.find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'))?;
    (parameters[end..].starts_with('m')).then_some(2 + end + 1)
}

/// A control character, or one of Unicode's bidirectional controls: the
/// embeddings and overrides (U+202A to U+202E, "Trojan Source"), the
/// isolates (U+2066 to U+2069) and the marks (U+200E, U+200F, U+061C). An
/// override in a task's name would show the rest of a line backwards, so
/// that a table could read other than what the server sent.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_folds_newlines() {
        assert_eq!(one_line("a\n  b\r\nc "), "a b c");
    }

    #[test]
    fn printable_keeps_spaces_and_defuses_control_characters() {
        assert_eq!(
            printable(" RUN\u{1b}[31m\nX "),
            " RUN\u{fffd}[31m\u{fffd}X "
        );
    }

    #[test]
    fn one_line_defuses_terminal_escapes() {
        assert_eq!(
            one_line("a\u{1b}]52;c;x\u{7}b"),
            "a\u{fffd}]52;c;x\u{fffd}b"
        );
    }

    #[test]
    fn every_bidirectional_control_is_defused() {
        let controls = [
            '\u{061c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}',
            '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        ];
        for c in controls {
            let text = format!("app{c}:handler");
            assert_eq!(one_line(&text), "app\u{fffd}:handler", "U+{:04X}", c as u32);
            assert_eq!(
                printable(&text),
                "app\u{fffd}:handler",
                "U+{:04X}",
                c as u32
            );
        }
        // Text in a right-to-left script, and joiners, are not controls.
        assert_eq!(one_line("מודל\u{200d}✓"), "מודל\u{200d}✓");
    }

    #[test]
    fn a_terminal_line_keeps_colors_only() {
        let line = "\u{1b}[1;31mred\u{1b}[0m\tok \u{1b}[2J\u{1b}]0;title\u{7}\r\u{1b}[5A";
        let (shown, kept) = terminal_line(line, true);
        assert_eq!(
            shown,
            "\u{1b}[1;31mred\u{1b}[0m\tok \u{fffd}[2J\u{fffd}]0;title\u{fffd}\u{fffd}\u{fffd}[5A"
        );
        assert!(kept);
        let (shown, kept) = terminal_line(line, false);
        assert!(shown.starts_with("red\tok \u{fffd}[2J"), "{shown:?}");
        assert!(!kept);
        assert_eq!(terminal_line("plain", true), ("plain".to_string(), false));
    }
}
