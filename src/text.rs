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
}
