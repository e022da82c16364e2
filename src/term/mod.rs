//! The terminal as a device: what it is, its size, read afresh each time
//! it matters (it changes when the window is resized), whether it takes
//! escape sequences at all, and the signals that stop a run (`signals`).

pub mod signals;

/// `TERM=dumb`: a terminal that takes neither colors nor cursor movements
/// (Emacs' shell, some CI logs). Only that value counts: an unset `TERM`
/// is common where escapes work (Windows, services).
pub fn is_dumb() -> bool {
    std::env::var_os("TERM").is_some_and(|term| term == "dumb")
}

/// Whether stderr, a terminal, can take the live view's cursor movements:
/// not a dumb one, and on Windows a console that was switched to VT
/// sequences.
pub fn stderr_moves_the_cursor() -> bool {
    !is_dumb() && vt_sequences_on_stderr()
}

#[cfg(unix)]
fn vt_sequences_on_stderr() -> bool {
    true
}

/// Asking console whether it can color stderr switches the console to VT
/// sequences where it can (Windows 10 and later); NO_COLOR makes it answer
/// no, and the wait then prints plain lines.
#[cfg(not(unix))]
fn vt_sequences_on_stderr() -> bool {
    console::Term::stderr().features().colors_supported()
}

/// The size of a terminal in character cells; `None` for what it does not
/// say (a pseudo-terminal under `script(1)` may report 0 rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub columns: Option<usize>,
    pub rows: Option<usize>,
}

/// The size of the terminal that stdout is, if it is one.
pub fn stdout_size() -> Size {
    size(Stream::Stdout)
}

/// The size of the terminal that stderr is, if it is one.
pub fn stderr_size() -> Size {
    size(Stream::Stderr)
}

#[derive(Debug, Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

#[cfg(unix)]
fn size(stream: Stream) -> Size {
    use std::io;
    let size = match stream {
        Stream::Stdout => rustix::termios::tcgetwinsize(io::stdout()),
        Stream::Stderr => rustix::termios::tcgetwinsize(io::stderr()),
    };
    let positive = |n: u16| (n > 0).then_some(usize::from(n));
    match size {
        Ok(size) => Size {
            columns: positive(size.ws_col),
            rows: positive(size.ws_row),
        },
        Err(_) => Size {
            columns: None,
            rows: None,
        },
    }
}

#[cfg(not(unix))]
fn size(stream: Stream) -> Size {
    let term = match stream {
        Stream::Stdout => console::Term::stdout(),
        Stream::Stderr => console::Term::stderr(),
    };
    match term.size_checked() {
        Some((rows, columns)) => Size {
            columns: Some(usize::from(columns)),
            rows: Some(usize::from(rows)),
        },
        None => Size {
            columns: None,
            rows: None,
        },
    }
}
