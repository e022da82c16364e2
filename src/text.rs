//! Text from outside (a server, a file, an OS error) made safe to print.

/// Folds white space (newlines included) into single spaces, and shows any
/// other control character (a terminal escape sent by a server) as `�`, so
/// that a message stays on one line and cannot drive the terminal.
pub fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(char::is_control, "\u{fffd}")
}

/// Shows every control character (newlines included) as `�`, and keeps
/// everything else as it is, spaces included.
pub fn printable(text: &str) -> String {
    text.replace(char::is_control, "\u{fffd}")
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
}
