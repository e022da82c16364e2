//! Beam's config file, read the way Beam's own Python tools read it.
//!
//! Beam's SDK (`beta9/config.py`) reads and writes `~/.beam/config.ini` with
//! `configparser.ConfigParser(default_section="default")` and every other
//! setting left as it is: `=` and `:` as delimiters, `#` and `;` starting
//! full-line comments only, no inline comments, strict mode (no section or
//! key twice), blank lines kept inside values, no key without a value, and
//! `BasicInterpolation` (`%%` and `%(key)s`) when a value is read. This
//! module follows Python 3.11's rules for all of that:
//!
//! - a line is split on `\n`, `\r\n` or a lone `\r` (Python's text mode);
//! - a line whose first non-blank character is `#` or `;` is a comment;
//! - `[name]` at the start of a line is a section header: the name runs to
//!   the *last* `]` of the line, is kept as it is (case, inner spaces), and
//!   whatever follows that `]` is ignored;
//! - `key = value` or `key: value` splits at the first `=` or `:`; the key is
//!   stripped and lowercased, the value stripped, and nothing else is done
//!   to either (quotes and backslashes stay);
//! - a line indented deeper than the line of its key continues the key's
//!   value (joined with `\n`); blank lines inside a value are kept, trailing
//!   ones dropped, and comment lines inside it skipped;
//! - the keys of `[default]` are inherited by every section;
//! - anything else is an error, as is text before the first header, an
//!   empty key, a section given twice (the default section excepted: its
//!   headers add to one section, as in configparser), or a key given twice
//!   in a section (keys compare case-insensitively).
//!
//! Where this module departs from configparser, on purpose:
//!
//! - a leading UTF-8 byte order mark is skipped (Python keeps it, and then
//!   fails on the first line with "File contains no section headers");
//! - parsing stops at the first error; configparser raises a duplicate or a
//!   missing header at once but collects the other bad lines to report them
//!   at the end, so with several faults it may name another line first;
//! - an error names its line but never quotes it: a malformed line in this
//!   file is likely to hold a token;
//! - [`Ini::get`] gives the value as written (configparser's `raw=True`),
//!   and [`Ini::get_interpolated`] expands `%` as Beam's tools do, for the
//!   one key asked (Beam's SDK expands every key of every section when it
//!   loads the file, so a bad `%` anywhere fails it);
//! - [`Ini::has_section`] and [`Ini::section_names`] count `[default]` when
//!   the file has that header (configparser's never do);
//! - [`unquote`], for a token written in quotes, is beam-task's own.

use std::borrow::Cow;
use std::fmt;

/// The section whose keys every other section inherits: Beam's SDK passes
/// `default_section=DEFAULT_CONTEXT_NAME`, which is `"default"`.
pub const DEFAULT_SECTION: &str = "default";

/// How deep `%(key)s` references may nest, as in configparser.
const MAX_INTERPOLATION_DEPTH: usize = 10;

/// A parsed config file. Its `Debug` shows section names and keys, never a
/// value (values hold tokens).
pub struct Ini {
    /// In the order their first header appears, `[default]` included.
    sections: Vec<Section>,
}

struct Section {
    name: String,
    /// The line of its first header.
    line: usize,
    entries: Vec<Entry>,
}

struct Entry {
    /// Lowercased.
    key: String,
    value: String,
    line: usize,
}

impl Section {
    fn value(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|entry| entry.key == key)
            .map(|entry| entry.value.as_str())
    }
}

impl Ini {
    /// The value of `key` in `section`, else in the default section, as
    /// written in the file (not interpolated). `None` when the section is
    /// missing (even if the default section has the key, as configparser's
    /// `NoSectionError`) or when neither has the key. The key is matched
    /// case-insensitively, the section name exactly.
    pub fn get(&self, section: &str, key: &str) -> Option<&str> {
        let key = key.to_lowercase();
        let own = if section == DEFAULT_SECTION {
            None
        } else {
            Some(self.section(section)?)
        };
        own.into_iter()
            .chain(self.section(DEFAULT_SECTION))
            .find_map(|s| s.value(&key))
    }

    /// Like [`Ini::get`], with `%` expanded as configparser's
    /// `BasicInterpolation`, which Beam's tools use: `%%` is one `%`, and
    /// `%(name)s` is the value of key `name` looked up as [`Ini::get`] does
    /// from the same section (itself expanded, up to 10 deep). Any other
    /// `%` is an error, as in Beam's tools.
    pub fn get_interpolated(
        &self,
        section: &str,
        key: &str,
    ) -> Result<Option<Cow<'_, str>>, InterpolationError> {
        let Some(raw) = self.get(section, key) else {
            return Ok(None);
        };
        if !raw.contains('%') {
            return Ok(Some(Cow::Borrowed(raw)));
        }
        let mut expanded = String::new();
        self.interpolate(section, raw, 1, &mut expanded)
            .map_err(|kind| InterpolationError {
                section: section.to_string(),
                key: key.to_lowercase(),
                kind,
            })?;
        Ok(Some(Cow::Owned(expanded)))
    }

    /// Whether the file has a `[section]` header. Tells a missing section
    /// from a missing key when [`Ini::get`] answers `None`.
    pub fn has_section(&self, name: &str) -> bool {
        self.section(name).is_some()
    }

    /// The names of the file's sections in the order they first appear,
    /// the default section included when the file has its header.
    pub fn section_names(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().map(|s| s.name.as_str())
    }

    fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }

    fn interpolate(
        &self,
        section: &str,
        mut rest: &str,
        depth: usize,
        out: &mut String,
    ) -> Result<(), InterpolationErrorKind> {
        if depth > MAX_INTERPOLATION_DEPTH {
            return Err(InterpolationErrorKind::TooDeep);
        }
        while let Some(at) = rest.find('%') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            if let Some(after) = after.strip_prefix('%') {
                out.push('%');
                rest = after;
            } else if let Some(after) = after.strip_prefix('(') {
                // `%(name)s`, `name` being one or more characters but `)`.
                let (name, after) = after
                    .split_once(')')
                    .filter(|(name, after)| !name.is_empty() && after.starts_with('s'))
                    .ok_or(InterpolationErrorKind::BadReference)?;
                rest = &after[1..];
                let name = name.to_lowercase();
                let value = self
                    .get(section, &name)
                    .ok_or(InterpolationErrorKind::MissingKey { name })?;
                if value.contains('%') {
                    self.interpolate(section, value, depth + 1, out)?;
                } else {
                    out.push_str(value);
                }
            } else {
                return Err(InterpolationErrorKind::LonePercent);
            }
        }
        out.push_str(rest);
        Ok(())
    }
}

impl fmt::Debug for Ini {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sections = f.debug_map();
        for section in &self.sections {
            let keys: Vec<&str> = section.entries.iter().map(|e| e.key.as_str()).collect();
            sections.entry(&section.name, &keys);
        }
        sections.finish()
    }
}

/// Why the file cannot be read, and on which line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based.
    pub line: usize,
    pub kind: ParseErrorKind,
}

/// What is wrong with a line. Its `Display` is the reason in plain words;
/// no message quotes the line itself (it may hold a token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// Text other than comments and blank lines before the first header
    /// (configparser's `MissingSectionHeaderError`).
    BeforeFirstSection,
    /// Not a header, `key = value`, comment or blank line, nor a deeper
    /// indented continuation (configparser's `ParsingError`).
    NotAKeyValue,
    /// Nothing before the delimiter, as in `= value`.
    EmptyKey { delimiter: char },
    /// A section's second header (the default section's may repeat).
    DuplicateSection { name: String, first_line: usize },
    /// A key given twice in a section; `key` is lowercased.
    DuplicateKey {
        section: String,
        key: String,
        first_line: usize,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.kind)
    }
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseErrorKind::BeforeFirstSection => {
                f.write_str("text before the first [section] header")
            }
            ParseErrorKind::NotAKeyValue => f.write_str(
                "not a [section] header, a `key = value` line, a comment or a blank line",
            ),
            ParseErrorKind::EmptyKey { delimiter } => {
                write!(f, "no key before the `{delimiter}`")
            }
            ParseErrorKind::DuplicateSection { name, first_line } => {
                write!(f, "[{name}] appears twice (first on line {first_line})")
            }
            ParseErrorKind::DuplicateKey {
                section,
                key,
                first_line,
            } => write!(
                f,
                "key `{key}` appears twice in [{section}] (first on line {first_line})"
            ),
        }
    }
}

impl std::error::Error for ParseError {}

/// Why a value's `%` cannot be expanded. Its `Display` names the key, never
/// the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterpolationError {
    /// The section asked for.
    pub section: String,
    /// The key asked for, lowercased.
    pub key: String,
    pub kind: InterpolationErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InterpolationErrorKind {
    /// A `%` followed by neither `%` nor `(`.
    LonePercent,
    /// A `%(` not followed by `name)s`.
    BadReference,
    /// `%(name)s` where `name` is set neither in the section nor in the
    /// default section; `name` is lowercased.
    MissingKey { name: String },
    /// References nested more than 10 deep (a loop, most likely).
    TooDeep,
}

impl fmt::Display for InterpolationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let InterpolationError { section, key, kind } = self;
        write!(f, "key `{key}` of [{section}]: ")?;
        match kind {
            InterpolationErrorKind::LonePercent => {
                f.write_str("a `%` must be followed by `%` or `(` (write `%%` for one `%`)")
            }
            InterpolationErrorKind::BadReference => {
                f.write_str("a `%(` must start a `%(name)s` reference")
            }
            InterpolationErrorKind::MissingKey { name } => {
                write!(f, "`%({name})s` refers to a key that is not set")
            }
            InterpolationErrorKind::TooDeep => write!(
                f,
                "`%(name)s` references nest more than {MAX_INTERPOLATION_DEPTH} deep"
            ),
        }
    }
}

impl std::error::Error for InterpolationError {}

/// Parses a config file's text (see the module's documentation for the
/// rules).
pub fn parse(text: &str) -> Result<Ini, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sections: Vec<Section> = Vec::new();
    let mut current: Option<usize> = None;
    // The key a deeper indented line would continue: (section, entry).
    let mut open_key: Option<(usize, usize)> = None;
    // The indentation of the last header or key line.
    let mut indent_level = 0;
    for (index, raw) in lines(text).enumerate() {
        let number = index + 1;
        let error = |kind| Err(ParseError { line: number, kind });
        let line = strip(raw);
        if line.starts_with(['#', ';']) {
            continue;
        }
        if line.is_empty() {
            if let Some((s, e)) = open_key {
                sections[s].entries[e].value.push('\n');
            }
            continue;
        }
        let indent = raw.chars().take_while(|&c| is_space(c)).count();
        if let Some((s, e)) = open_key
            && indent > indent_level
        {
            let value = &mut sections[s].entries[e].value;
            value.push('\n');
            value.push_str(line);
            continue;
        }
        indent_level = indent;
        if let Some(name) = section_header(line) {
            open_key = None;
            match sections.iter().position(|s| s.name == name) {
                Some(s) if name == DEFAULT_SECTION => current = Some(s),
                Some(s) => {
                    return error(ParseErrorKind::DuplicateSection {
                        name: name.to_string(),
                        first_line: sections[s].line,
                    });
                }
                None => {
                    sections.push(Section {
                        name: name.to_string(),
                        line: number,
                        entries: Vec::new(),
                    });
                    current = Some(sections.len() - 1);
                }
            }
            continue;
        }
        let Some(s) = current else {
            return error(ParseErrorKind::BeforeFirstSection);
        };
        let Some((key, delimiter, value)) = split_key_value(line) else {
            return error(ParseErrorKind::NotAKeyValue);
        };
        if key.is_empty() {
            return error(ParseErrorKind::EmptyKey { delimiter });
        }
        let key = key.to_lowercase();
        let section = &mut sections[s];
        if let Some(first) = section.entries.iter().find(|e| e.key == key) {
            return error(ParseErrorKind::DuplicateKey {
                section: section.name.clone(),
                key,
                first_line: first.line,
            });
        }
        section.entries.push(Entry {
            key,
            value: value.to_string(),
            line: number,
        });
        open_key = Some((s, section.entries.len() - 1));
    }
    // Blank lines at the end of a value are dropped.
    for entry in sections.iter_mut().flat_map(|s| s.entries.iter_mut()) {
        let kept = entry.value.trim_end_matches(is_space).len();
        entry.value.truncate(kept);
    }
    Ok(Ini { sections })
}

/// Strips one pair of matching quotes (`"` or `'`) around a value.
///
/// configparser keeps quotes as part of the value, so Beam's tools would
/// send `"abc"` quotes and all; beam-task documents that a token may be
/// written quoted, and calls this on it.
pub fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

/// The lines of `text`, split as Python's text mode does: on `\n`, `\r\n`
/// and a lone `\r`, and on nothing else.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, after) = match rest.find(['\r', '\n']) {
            Some(end) => {
                let eol = if rest[end..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
                (&rest[..end], &rest[end + eol..])
            }
            None => (rest, ""),
        };
        rest = after;
        Some(line)
    })
}

/// Python's `str.isspace`: Unicode white space, and the four information
/// separators U+001C to U+001F, which Rust does not count.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()`.
fn strip(text: &str) -> &str {
    text.trim_matches(is_space)
}

/// The name in a `[name]` header (configparser's `\[(?P<header>.+)\]`
/// matched at the start of the stripped line): up to the line's last `]`,
/// at least one character long.
fn section_header(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('[')?;
    let name = &inner[..inner.rfind(']')?];
    (!name.is_empty()).then_some(name)
}

/// Splits `key = value` or `key: value` at the first delimiter, both sides
/// stripped.
fn split_key_value(line: &str) -> Option<(&str, char, &str)> {
    let at = line.find(['=', ':'])?;
    let delimiter = if line[at..].starts_with('=') {
        '='
    } else {
        ':'
    };
    Some((strip(&line[..at]), delimiter, strip(&line[at + 1..])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ini(text: &str) -> Ini {
        parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn error(text: &str) -> ParseError {
        parse(text).unwrap_err()
    }

    fn expanded(
        text: &str,
        section: &str,
        key: &str,
    ) -> Result<Option<String>, InterpolationError> {
        ini(text)
            .get_interpolated(section, key)
            .map(|v| v.map(Cow::into_owned))
    }

    // Lines and values.

    #[test]
    fn a_key_and_its_value_are_stripped() {
        let ini = ini("[s]\n  token   =   abc  \t\n");
        assert_eq!(ini.get("s", "token"), Some("abc"));
    }

    #[test]
    fn a_colon_is_a_delimiter_too() {
        assert_eq!(ini("[s]\ntoken: abc\n").get("s", "token"), Some("abc"));
    }

    #[test]
    fn a_delimiter_needs_no_spaces_around_it() {
        let ini = ini("[s]\na=1\nb:2\n");
        assert_eq!(ini.get("s", "a"), Some("1"));
        assert_eq!(ini.get("s", "b"), Some("2"));
    }

    #[test]
    fn the_first_delimiter_splits_so_a_value_may_hold_equals_and_colons() {
        let ini = ini("[s]\na = b=c:d\ne: f=g\nurl = https://x:443/?q=1\n");
        assert_eq!(ini.get("s", "a"), Some("b=c:d"));
        assert_eq!(ini.get("s", "e"), Some("f=g"));
        assert_eq!(ini.get("s", "url"), Some("https://x:443/?q=1"));
    }

    #[test]
    fn an_empty_value_is_an_empty_string() {
        let ini = ini("[s]\na =\nb:\n");
        assert_eq!(ini.get("s", "a"), Some(""));
        assert_eq!(ini.get("s", "b"), Some(""));
    }

    #[test]
    fn keys_are_lowercased_and_looked_up_case_insensitively() {
        let ini = ini("[s]\nToken = abc\n");
        assert_eq!(ini.get("s", "token"), Some("abc"));
        assert_eq!(ini.get("s", "TOKEN"), Some("abc"));
        assert_eq!(format!("{ini:?}"), r#"{"s": ["token"]}"#);
    }

    #[test]
    fn section_names_keep_their_case() {
        let ini = ini("[Default]\ntoken = abc\n[s]\n");
        assert!(ini.has_section("Default"));
        assert!(!ini.has_section("default"));
        assert_eq!(ini.get("s", "token"), None);
    }

    #[test]
    fn a_value_keeps_its_backslashes() {
        assert_eq!(
            ini("[s]\ntoken = a\\b\\n\\\n").get("s", "token"),
            Some("a\\b\\n\\")
        );
    }

    #[test]
    fn a_value_keeps_its_quotes() {
        let ini = ini("[s]\na = \"abc\"\nb = 'abc'\n");
        assert_eq!(ini.get("s", "a"), Some("\"abc\""));
        assert_eq!(ini.get("s", "b"), Some("'abc'"));
    }

    #[test]
    fn a_hash_or_semicolon_after_a_value_is_part_of_it() {
        assert_eq!(
            ini("[s]\ntoken = abc # mine ; really\n").get("s", "token"),
            Some("abc # mine ; really")
        );
    }

    #[test]
    fn full_line_comments_are_skipped_even_when_indented() {
        let ini = ini("# one\n; two\n[s]\n  # three\n\t; four\na = 1\n");
        assert_eq!(ini.get("s", "a"), Some("1"));
        assert_eq!(format!("{ini:?}"), r#"{"s": ["a"]}"#);
    }

    #[test]
    fn comments_and_blank_lines_may_come_before_the_first_section() {
        assert!(ini("\n# comment\n\n; other\n  \n[s]\n").has_section("s"));
    }

    #[test]
    fn unicode_and_python_only_white_space_are_stripped() {
        // U+00A0 (no-break space) for both; U+001F only for Python.
        let ini = ini("[s]\n\u{a0}a = 1\u{1f}\u{a0}\n");
        assert_eq!(ini.get("s", "a"), Some("1"));
    }

    #[test]
    fn an_empty_file_has_no_sections() {
        assert_eq!(ini("").section_names().count(), 0);
        assert_eq!(ini("\n\n# only a comment\n").section_names().count(), 0);
    }

    // Line endings and the byte order mark.

    #[test]
    fn crlf_line_endings_read_as_lf() {
        let ini = ini("[s]\r\ntoken = abc\r\nother = x\r\n  y\r\n");
        assert_eq!(ini.get("s", "token"), Some("abc"));
        assert_eq!(ini.get("s", "other"), Some("x\ny"));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_in_python_text_mode() {
        assert_eq!(ini("[s]\rtoken = abc\r").get("s", "token"), Some("abc"));
    }

    #[test]
    fn other_line_separators_stay_inside_a_value() {
        let ini = ini("[s]\na = 1\u{b}2\u{85}3\u{2028}4\n");
        assert_eq!(ini.get("s", "a"), Some("1\u{b}2\u{85}3\u{2028}4"));
    }

    #[test]
    fn a_last_line_without_a_newline_is_read() {
        assert_eq!(ini("[s]\ntoken = abc").get("s", "token"), Some("abc"));
    }

    #[test]
    fn a_leading_byte_order_mark_is_skipped() {
        let ini = ini("\u{feff}[default]\ntoken = abc\n");
        assert_eq!(ini.get("default", "token"), Some("abc"));
    }

    #[test]
    fn a_byte_order_mark_elsewhere_is_kept() {
        let ini = ini("[s]\ntoken = \u{feff}abc\n");
        assert_eq!(ini.get("s", "token"), Some("\u{feff}abc"));
    }

    // Continuation lines.

    #[test]
    fn a_deeper_indented_line_continues_the_value() {
        let ini = ini("[s]\na = one\n  two\n    three\nb = 2\n");
        assert_eq!(ini.get("s", "a"), Some("one\ntwo\nthree"));
        assert_eq!(ini.get("s", "b"), Some("2"));
    }

    #[test]
    fn a_tab_indented_line_continues_the_value() {
        assert_eq!(ini("[s]\na = one\n\ttwo\n").get("s", "a"), Some("one\ntwo"));
    }

    #[test]
    fn an_empty_value_may_go_on_on_the_next_line() {
        assert_eq!(ini("[s]\na =\n  one\n").get("s", "a"), Some("\none"));
    }

    #[test]
    fn blank_lines_inside_a_value_are_kept_and_trailing_ones_dropped() {
        let ini = ini("[s]\na = one\n\n  two\n\n \n\nb = 2\n");
        assert_eq!(ini.get("s", "a"), Some("one\n\ntwo"));
        assert_eq!(ini.get("s", "b"), Some("2"));
    }

    #[test]
    fn trailing_blank_lines_at_the_end_of_the_file_are_dropped() {
        assert_eq!(ini("[s]\na = one\n\n\n").get("s", "a"), Some("one"));
    }

    #[test]
    fn a_comment_line_inside_a_value_is_skipped_without_ending_it() {
        let ini = ini("[s]\na = one\n# note\n  two\n");
        assert_eq!(ini.get("s", "a"), Some("one\ntwo"));
    }

    #[test]
    fn an_indented_comment_inside_a_value_is_a_comment() {
        assert_eq!(
            ini("[s]\na = one\n  # note\n  two\n").get("s", "a"),
            Some("one\ntwo")
        );
    }

    #[test]
    fn keys_indented_alike_are_separate_keys() {
        let ini = ini("[s]\n  a = 1\n  b = 2\n");
        assert_eq!(ini.get("s", "a"), Some("1"));
        assert_eq!(ini.get("s", "b"), Some("2"));
    }

    #[test]
    fn a_key_indented_deeper_than_the_key_above_continues_its_value() {
        let ini = ini("[s]\na = 1\n  token = abc\n");
        assert_eq!(ini.get("s", "a"), Some("1\ntoken = abc"));
        assert_eq!(ini.get("s", "token"), None);
    }

    #[test]
    fn a_less_indented_key_starts_a_new_key() {
        let ini = ini("[s]\n    a = 1\n  b = 2\n");
        assert_eq!(ini.get("s", "a"), Some("1"));
        assert_eq!(ini.get("s", "b"), Some("2"));
    }

    #[test]
    fn an_indented_key_right_after_a_header_is_a_key() {
        assert_eq!(ini("[s]\n    token = abc\n").get("s", "token"), Some("abc"));
    }

    #[test]
    fn an_indented_header_inside_a_value_is_part_of_the_value() {
        let ini = ini("[s]\na = 1\n  [t]\n");
        assert_eq!(ini.get("s", "a"), Some("1\n[t]"));
        assert!(!ini.has_section("t"));
    }

    #[test]
    fn an_indented_header_after_a_header_is_a_header() {
        assert!(ini("[s]\n  [t]\n").has_section("t"));
    }

    // Section headers.

    #[test]
    fn a_section_header_ignores_text_after_its_closing_bracket() {
        // As configparser: even a `key = value` there is lost.
        let ini = ini("[s] trailing\na = 1\n[t] token = abc\n");
        assert_eq!(ini.section_names().collect::<Vec<_>>(), ["s", "t"]);
        assert_eq!(ini.get("s", "a"), Some("1"));
        assert_eq!(ini.get("t", "token"), None);
    }

    #[test]
    fn a_section_name_runs_to_the_last_closing_bracket() {
        let ini = ini("[a]b]\n[c] ; [d]\n");
        assert_eq!(ini.section_names().collect::<Vec<_>>(), ["a]b", "c] ; [d"]);
    }

    #[test]
    fn a_section_name_keeps_spaces_inside_its_brackets() {
        let ini = ini("[ default ]\ntoken = abc\n");
        assert_eq!(ini.section_names().collect::<Vec<_>>(), [" default "]);
        assert_eq!(ini.get("default", "token"), None);
    }

    #[test]
    fn a_section_header_may_hold_a_delimiter() {
        assert!(ini("[a = b]\n").has_section("a = b"));
    }

    #[test]
    fn empty_brackets_are_not_a_header() {
        assert_eq!(error("[s]\n[]\n").kind, ParseErrorKind::NotAKeyValue);
        assert_eq!(error("[]\n").kind, ParseErrorKind::BeforeFirstSection);
    }

    #[test]
    fn section_names_come_in_file_order_with_the_default_section() {
        let ini = ini("[b]\n[default]\n[a]\n");
        assert_eq!(
            ini.section_names().collect::<Vec<_>>(),
            ["b", "default", "a"]
        );
    }

    // Errors.

    #[test]
    fn a_bare_word_line_is_an_error_naming_its_line() {
        let err = error("[default]\n# comment\nbaz\ntoken = abc\n");
        assert_eq!(err.line, 3);
        assert_eq!(err.kind, ParseErrorKind::NotAKeyValue);
        assert_eq!(
            err.to_string(),
            "line 3: not a [section] header, a `key = value` line, a comment or a blank line"
        );
    }

    #[test]
    fn an_error_does_not_quote_its_line() {
        let err = error("[default]\ntoken\nsecret-abc\n");
        assert_eq!(err.line, 2);
        let err = error("[default]\ntoken =\nsecret-abc\n");
        assert_eq!(err.line, 3);
        assert!(!err.to_string().contains("secret"), "{err}");
        let err = error("secret-abc\n");
        assert!(!err.to_string().contains("secret"), "{err}");
    }

    #[test]
    fn an_empty_key_is_an_error() {
        let err = error("[s]\n= abc\n");
        assert_eq!(err.to_string(), "line 2: no key before the `=`");
        let err = error("[s]\n  : abc\n");
        assert_eq!(err.to_string(), "line 2: no key before the `:`");
    }

    #[test]
    fn a_key_before_any_section_is_an_error() {
        let err = error("# comment\ntoken = abc\n[default]\n");
        assert_eq!(err.line, 2);
        assert_eq!(err.kind, ParseErrorKind::BeforeFirstSection);
        assert_eq!(
            err.to_string(),
            "line 2: text before the first [section] header"
        );
    }

    #[test]
    fn a_bare_word_before_any_section_is_text_before_the_first_header() {
        assert_eq!(error("baz\n").kind, ParseErrorKind::BeforeFirstSection);
    }

    #[test]
    fn an_indented_line_before_any_section_is_not_a_continuation() {
        assert_eq!(
            error("  token = abc\n").kind,
            ParseErrorKind::BeforeFirstSection
        );
    }

    #[test]
    fn a_section_given_twice_is_an_error_naming_both_lines() {
        let err = error("[s]\na = 1\n[t]\n\n[s]\nb = 2\n");
        assert_eq!(err.line, 5);
        assert_eq!(
            err.to_string(),
            "line 5: [s] appears twice (first on line 1)"
        );
    }

    #[test]
    fn a_key_given_twice_is_an_error_naming_both_lines() {
        let err = error("[default]\ntoken = a\nother = b\ntoken = c\n");
        assert_eq!(
            err.to_string(),
            "line 4: key `token` appears twice in [default] (first on line 2)"
        );
    }

    #[test]
    fn keys_given_twice_are_found_case_insensitively() {
        let err = error("[s]\nToken = a\nTOKEN = b\n");
        assert_eq!(
            err.kind,
            ParseErrorKind::DuplicateKey {
                section: "s".into(),
                key: "token".into(),
                first_line: 2
            }
        );
    }

    #[test]
    fn a_key_given_twice_with_different_delimiters_is_an_error() {
        assert_eq!(error("[s]\ntoken = a\ntoken: b\n").line, 3);
    }

    #[test]
    fn the_same_key_in_two_sections_is_fine() {
        let ini = ini("[s]\ntoken = a\n[t]\ntoken = b\n");
        assert_eq!(ini.get("s", "token"), Some("a"));
        assert_eq!(ini.get("t", "token"), Some("b"));
    }

    #[test]
    fn sections_differing_in_case_are_two_sections() {
        assert!(ini("[s]\n[S]\n").has_section("S"));
    }

    #[test]
    fn a_repeated_default_section_adds_to_the_first_as_in_configparser() {
        let ini = ini("[default]\ntoken = a\n[s]\n[default]\nhost = h\n");
        assert_eq!(ini.section_names().collect::<Vec<_>>(), ["default", "s"]);
        assert_eq!(ini.get("s", "token"), Some("a"));
        assert_eq!(ini.get("s", "host"), Some("h"));
    }

    #[test]
    fn a_key_repeated_across_two_default_sections_is_an_error() {
        let err = error("[default]\ntoken = a\n[default]\ntoken = b\n");
        assert_eq!(
            err.to_string(),
            "line 4: key `token` appears twice in [default] (first on line 2)"
        );
    }

    #[test]
    fn parsing_stops_at_the_first_error() {
        assert_eq!(error("[s]\nbaz\n[s]\n").line, 2);
    }

    #[test]
    fn an_error_is_one_line_without_debug_text() {
        for text in [
            "x\n",
            "[s]\nx\n",
            "[s]\n=1\n",
            "[s]\n[s]\n",
            "[s]\na=1\nA=2\n",
        ] {
            let shown = error(text).to_string();
            assert!(shown.starts_with("line "), "{shown}");
            assert!(!shown.contains('\n') && !shown.contains("Some("), "{shown}");
        }
    }

    // Lookups.

    #[test]
    fn a_section_inherits_the_keys_of_the_default_section() {
        let ini = ini("[default]\ntoken = abc\n[staging]\nhost = x\n");
        assert_eq!(ini.get("staging", "token"), Some("abc"));
    }

    #[test]
    fn a_default_section_after_a_section_is_still_inherited() {
        let ini = ini("[staging]\nhost = x\n[default]\ntoken = abc\n");
        assert_eq!(ini.get("staging", "token"), Some("abc"));
    }

    #[test]
    fn a_key_of_a_section_overrides_the_default_one() {
        let ini = ini("[default]\ntoken = abc\n[staging]\ntoken = xyz\n");
        assert_eq!(ini.get("staging", "token"), Some("xyz"));
        assert_eq!(ini.get("default", "token"), Some("abc"));
    }

    #[test]
    fn an_empty_value_in_a_section_still_overrides_the_default_one() {
        let ini = ini("[default]\ntoken = abc\n[staging]\ntoken =\n");
        assert_eq!(ini.get("staging", "token"), Some(""));
    }

    #[test]
    fn a_missing_section_has_no_keys_even_inherited_ones() {
        let ini = ini("[default]\ntoken = abc\n");
        assert_eq!(ini.get("prod", "token"), None);
        assert!(!ini.has_section("prod"));
    }

    #[test]
    fn has_section_tells_a_missing_section_from_a_missing_key() {
        let ini = ini("[default]\nhost = x\n[staging]\n");
        assert!(ini.has_section("staging") && ini.get("staging", "token").is_none());
        assert!(ini.has_section("default") && ini.get("default", "token").is_none());
        assert!(!ini.has_section("prod") && ini.get("prod", "token").is_none());
    }

    #[test]
    fn a_file_without_a_default_section_has_no_default_keys() {
        let ini = ini("[staging]\ntoken = abc\n");
        assert!(!ini.has_section(DEFAULT_SECTION));
        assert_eq!(ini.get(DEFAULT_SECTION, "token"), None);
        assert_eq!(ini.get("staging", "token"), Some("abc"));
    }

    #[test]
    fn debug_shows_keys_but_never_values() {
        let shown = format!("{:?}", ini("[default]\ntoken = secret-abc\n[s]\n"));
        assert_eq!(shown, r#"{"default": ["token"], "s": []}"#);
    }

    // Interpolation, as Beam's tools read a value.

    #[test]
    fn interpolation_leaves_a_value_without_percent_as_it_is() {
        let ini = ini("[s]\ntoken = a\\b$c\n");
        let value = ini.get_interpolated("s", "token").unwrap().unwrap();
        assert!(matches!(value, Cow::Borrowed("a\\b$c")));
    }

    #[test]
    fn interpolation_of_a_missing_key_is_none() {
        assert_eq!(expanded("[s]\n", "s", "token"), Ok(None));
        assert_eq!(expanded("[s]\n", "prod", "token"), Ok(None));
    }

    #[test]
    fn interpolation_turns_two_percents_into_one() {
        assert_eq!(
            expanded("[s]\ntoken = a%%b%%\n", "s", "token"),
            Ok(Some("a%b%".into()))
        );
    }

    #[test]
    fn interpolation_expands_a_reference_to_another_key() {
        let text = "[s]\nhost = h\nport = 1\nurl = https://%(host)s:%(port)s/\n";
        assert_eq!(expanded(text, "s", "url"), Ok(Some("https://h:1/".into())));
    }

    #[test]
    fn interpolation_reference_names_are_case_insensitive() {
        assert_eq!(
            expanded("[s]\nhost = h\nurl = %(HOST)s\n", "s", "url"),
            Ok(Some("h".into()))
        );
    }

    #[test]
    fn interpolation_expands_nested_references() {
        let text = "[s]\na = %%\nb = <%(a)s>\nc = %(b)s%(b)s\n";
        assert_eq!(expanded(text, "s", "c"), Ok(Some("<%><%>".into())));
    }

    #[test]
    fn an_inherited_value_refers_to_the_keys_of_the_section_asked() {
        let text = "[default]\nhost = h\nurl = %(host)s!\n[s]\nhost = mine\n";
        assert_eq!(expanded(text, "s", "url"), Ok(Some("mine!".into())));
        assert_eq!(expanded(text, "default", "url"), Ok(Some("h!".into())));
    }

    #[test]
    fn a_lone_percent_is_an_interpolation_error() {
        let err = expanded("[s]\ntoken = 50%off\n", "s", "token").unwrap_err();
        assert_eq!(err.kind, InterpolationErrorKind::LonePercent);
        assert_eq!(
            err.to_string(),
            "key `token` of [s]: a `%` must be followed by `%` or `(` (write `%%` for one `%`)"
        );
        let err = expanded("[s]\ntoken = abc%\n", "s", "token").unwrap_err();
        assert_eq!(err.kind, InterpolationErrorKind::LonePercent);
    }

    #[test]
    fn a_reference_not_ending_in_s_is_an_interpolation_error() {
        for value in ["%(a)d", "%(a", "%()s", "%(a)"] {
            let text = format!("[s]\na = 1\ntoken = {value}\n");
            let err = expanded(&text, "s", "token").unwrap_err();
            assert_eq!(err.kind, InterpolationErrorKind::BadReference, "{value}");
        }
    }

    #[test]
    fn a_reference_to_a_missing_key_is_an_interpolation_error() {
        let err = expanded("[s]\ntoken = %(Nope)s\n", "s", "token").unwrap_err();
        assert_eq!(
            err.kind,
            InterpolationErrorKind::MissingKey {
                name: "nope".into()
            }
        );
    }

    #[test]
    fn a_reference_loop_is_an_interpolation_error() {
        let err = expanded("[s]\na = %(b)s\nb = %(a)s\n", "s", "a").unwrap_err();
        assert_eq!(err.kind, InterpolationErrorKind::TooDeep);
    }

    #[test]
    fn references_may_nest_ten_deep_but_not_eleven() {
        // k0 = %(k1)s, ..., k9 = %(k10)s, k10 = %%: k0 is expanded at depths
        // 1 to 11 (k10 holds a `%`, so it is expanded too).
        let mut text = String::from("[s]\n");
        for i in 0..10 {
            text += &format!("k{i} = %(k{})s\n", i + 1);
        }
        text += "k10 = %%\n";
        assert_eq!(expanded(&text, "s", "k1"), Ok(Some("%".into())));
        let err = expanded(&text, "s", "k0").unwrap_err();
        assert_eq!(err.kind, InterpolationErrorKind::TooDeep);
    }

    #[test]
    fn an_interpolation_error_does_not_quote_the_value() {
        let err = expanded("[s]\ntoken = secret%abc\n", "s", "TOKEN").unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
        assert!(err.to_string().starts_with("key `token` of [s]: "), "{err}");
    }

    // unquote.

    #[test]
    fn unquote_strips_one_pair_of_double_quotes() {
        assert_eq!(unquote("\"abc\""), "abc");
    }

    #[test]
    fn unquote_strips_one_pair_of_single_quotes() {
        assert_eq!(unquote("'abc'"), "abc");
    }

    #[test]
    fn unquote_strips_only_the_outer_pair() {
        assert_eq!(unquote("\"'abc'\""), "'abc'");
        assert_eq!(unquote("\"\"abc\"\""), "\"abc\"");
    }

    #[test]
    fn unquote_leaves_unmatched_or_lone_quotes() {
        for value in [
            "\"abc'", "'abc\"", "\"abc", "abc'", "\"", "'", "a\"b\"c", "",
        ] {
            assert_eq!(unquote(value), value);
        }
        assert_eq!(unquote("\"\""), "");
    }
}
