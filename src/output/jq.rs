//! `--jq EXPR`: a jq filter (jaq's dialect), compiled once, run on each
//! item the JSON output would show, its results printed one a line: a
//! string raw (as `jq -r`), anything else as compact JSON.
//!
//! Values go to jaq and back without passing through text, numbers
//! excepted: each keeps the literal serde_json read (jaq's decimal
//! variant), so that `123456789012345678901234567890` keeps its digits and
//! `1e400` stays `1e+400` as `--json` prints it, and objects keep their
//! keys in the API's order.

use std::fmt;

use jaq_core::load::{self, Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data};
use jaq_json::{Map, Num, Rc, Val};
use serde_json::Value;

use crate::failure::Failure;

type Data = data::JustLut<Val>;

/// The longest a runtime error's text gets: jaq puts the value it failed
/// on into it, which may be a whole task.
const MAX_ERROR_CHARS: usize = 300;

/// jq's way to print a float too large to be a JSON number.
const JQ_MAX_FLOAT: &str = "1.7976931348623157e+308";

/// A compiled `--jq` filter.
pub struct Jq {
    expression: String,
    filter: jaq_core::Filter<Data>,
}

impl fmt::Debug for Jq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Jq").field(&self.expression).finish()
    }
}

impl Jq {
    /// Parses and compiles `expression`; the error names the column where
    /// it goes wrong.
    pub fn compile(expression: &str) -> Result<Jq, Failure> {
        let usage = |why: String| Failure::Usage(format!("--jq: {why}"));
        let program = File {
            code: expression,
            path: (),
        };
        let definitions = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs());
        let loader = Loader::new(definitions);
        let arena = Arena::default();
        let modules = loader
            .load(&arena, program)
            .map_err(|errors| usage(load_error(expression, &errors)))?;
        let filter = Compiler::default()
            .with_funs(functions())
            .compile(modules)
            .map_err(|errors| usage(compile_error(expression, &errors)))?;
        Ok(Jq {
            expression: expression.to_string(),
            filter,
        })
    }

    /// Runs the filter on `input` and hands each result to `write` as a
    /// line, as it comes. A filter that fails on `input` is
    /// [`Failure::Filter`] about `item` (a task, a file), after the lines
    /// before it.
    pub fn print(
        &self,
        input: &Value,
        item: &str,
        mut write: impl FnMut(&[u8]) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let ctx = Ctx::<Data>::new(&self.filter.lut, Vars::new([]));
        for output in self.filter.id.run((ctx, to_jaq(input))) {
            let value = output.map_err(|exception| {
                let why = match exception.get_err() {
                    Ok(error) => shortened(&error.to_string()),
                    // `halt`, `halt_error`: the exit code stays the tool's.
                    Err(_) => "the filter halted".to_string(),
                };
                Failure::Filter(format!("{item}: {why}"))
            })?;
            write(line(&value).as_bytes())?;
        }
        Ok(())
    }
}

/// jaq's functions (jq's standard library), but for `env`: the environment
/// holds `BEAM_TOKEN`, which is never printed.
fn functions() -> impl Iterator<Item = jaq_core::native::Fun<Data>> {
    jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs())
        .filter(|(name, _, _)| *name != "env")
}

/// One result as printed: a string raw, anything else compact JSON.
fn line(value: &Val) -> String {
    let mut text = match value {
        Val::TStr(bytes) | Val::BStr(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        other => serde_json::to_string(&from_jaq(other)).expect("a JSON value always serializes"),
    };
    text.push('\n');
    text
}

fn to_jaq(value: &Value) -> Val {
    match value {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(number) => {
            // An integer jaq prints back as written is one it computes
            // with as such; anything else (a fraction, an exponent, `-0`)
            // keeps its literal.
            let text = number.to_string();
            let integer = Num::from_str_radix(&text, 10).filter(|n| n.to_string() == text);
            Val::Num(integer.unwrap_or_else(|| Num::Dec(Rc::new(text))))
        }
        Value::String(s) => Val::from(s.clone()),
        Value::Array(items) => items.iter().map(to_jaq).collect(),
        Value::Object(fields) => Val::Obj(Rc::new(
            fields
                .iter()
                .map(|(key, value)| (Val::from(key.clone()), to_jaq(value)))
                .collect::<Map>(),
        )),
    }
}

fn from_jaq(value: &Val) -> Value {
    match value {
        Val::Null => Value::Null,
        Val::Bool(b) => Value::Bool(*b),
        Val::Num(number) => number_from_jaq(number),
        Val::TStr(bytes) | Val::BStr(bytes) => {
            Value::String(String::from_utf8_lossy(bytes).into_owned())
        }
        Val::Arr(items) => Value::Array(items.iter().map(from_jaq).collect()),
        Val::Obj(fields) => Value::Object(
            fields
                .iter()
                .map(|(key, value)| {
                    let key = match key {
                        Val::TStr(bytes) | Val::BStr(bytes) => {
                            String::from_utf8_lossy(bytes).into_owned()
                        }
                        // jaq allows any key; JSON only strings.
                        other => line(other).trim_end().to_string(),
                    };
                    (key, from_jaq(value))
                })
                .collect(),
        ),
    }
}

/// A number as jq prints it: NaN as null, infinities as the largest
/// float, anything else as jaq writes it (a literal as it came).
fn number_from_jaq(number: &Num) -> Value {
    let text = match number {
        Num::Float(f) if f.is_nan() => return Value::Null,
        Num::Float(f) if f.is_infinite() => {
            let sign = if *f < 0.0 { "-" } else { "" };
            format!("{sign}{JQ_MAX_FLOAT}")
        }
        other => other.to_string(),
    };
    text.parse::<serde_json::Number>()
        .map_or(Value::Null, Value::Number)
}

/// The first error of a filter that does not parse, with its column.
fn load_error(code: &str, errors: &load::Errors<&str, ()>) -> String {
    let first = errors.iter().find_map(|(_, error)| match error {
        load::Error::Lex(errors) => errors.first().map(|(expect, found)| {
            let expected = match expect {
                load::lex::Expect::Delim(open) => {
                    let closing = match *open {
                        "(" | "[" | "{" | "\"" => expect.as_str(),
                        _ => "closing delimiter",
                    };
                    format!("{closing} (opened at {})", position(code, open))
                }
                other => other.as_str().to_string(),
            };
            (expected, *found)
        }),
        load::Error::Parse(errors) => errors
            .first()
            .map(|(expect, found)| (expect.as_str().to_string(), *found)),
        load::Error::Io(errors) => errors
            .first()
            .map(|(path, why)| (format!("a module that can be read ({why})"), *path)),
    });
    match first {
        Some((expected, found)) => format!(
            "{}: expected {expected}, found {}",
            position(code, found),
            shown(found)
        ),
        None => "the filter does not parse".to_string(),
    }
}

/// The first name a filter uses that is not defined.
fn compile_error(code: &str, errors: &jaq_core::compile::Errors<&str, ()>) -> String {
    let first = errors.iter().flat_map(|(_, errors)| errors).next();
    match first {
        Some((name, undefined)) => {
            let arity = match undefined {
                jaq_core::compile::Undefined::Filter(arity) => format!("/{arity}"),
                _ => String::new(),
            };
            format!(
                "{}: undefined {} {name}{arity}",
                position(code, name),
                undefined.as_str()
            )
        }
        None => "the filter does not compile".to_string(),
    }
}

/// `column N` of `part` (a slice of `code`, as jaq's errors are), counted
/// in characters from 1; the end of the filter when `part` is empty there.
fn position(code: &str, part: &str) -> String {
    let offset = (part.as_ptr() as usize).wrapping_sub(code.as_ptr() as usize);
    match code.get(..offset) {
        Some(before) => format!("column {}", before.chars().count() + 1),
        None => "in the filter".to_string(),
    }
}

/// What jaq found where it failed: its first token-sized piece, quoted;
/// `the end` when nothing was left.
fn shown(found: &str) -> String {
    let piece: String = found
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .chars()
        .take(20)
        .collect();
    if piece.is_empty() {
        "the end".to_string()
    } else {
        format!("{piece:?}")
    }
}

fn shortened(text: &str) -> String {
    if text.chars().count() <= MAX_ERROR_CHARS {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(MAX_ERROR_CHARS).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs(expression: &str, input: &str) -> Result<String, Failure> {
        let jq = Jq::compile(expression)?;
        let input: Value = serde_json::from_str(input).unwrap();
        let mut printed = Vec::new();
        jq.print(&input, "task t", |bytes| {
            printed.extend_from_slice(bytes);
            Ok(())
        })?;
        Ok(String::from_utf8(printed).unwrap())
    }

    #[test]
    fn strings_are_raw_and_the_rest_compact() {
        let input = r#"{"id":"a\"b","n":{"x":[1, 2.50]},"t":true}"#;
        assert_eq!(
            outputs(".id, .n, .t, null", input).unwrap(),
            "a\"b\n{\"x\":[1,2.50]}\ntrue\nnull\n"
        );
    }

    #[test]
    fn numbers_keep_their_digits_and_keys_their_order() {
        // serde_json writes an exponent's sign (1e+400), `--json` too.
        let input = r#"{"z":123456789012345678901234567890,"a":1e400,"m":-0,"f":0.1}"#;
        assert_eq!(
            outputs(".", input).unwrap(),
            "{\"z\":123456789012345678901234567890,\"a\":1e+400,\"m\":-0,\"f\":0.1}\n"
        );
        assert_eq!(
            outputs(".z, .a", input).unwrap(),
            "123456789012345678901234567890\n1e+400\n"
        );
        assert_eq!(
            outputs(".z + 1", input).unwrap(),
            "123456789012345678901234567891\n"
        );
    }

    #[test]
    fn computed_numbers_print_as_jq_does() {
        assert_eq!(outputs("1 / 0 | isinfinite", "null").unwrap(), "true\n");
        assert_eq!(
            outputs("infinite, -infinite, nan", "null").unwrap(),
            format!("{JQ_MAX_FLOAT}\n-{JQ_MAX_FLOAT}\nnull\n")
        );
        assert_eq!(outputs("[3 / 2, 2 * 3]", "null").unwrap(), "[1.5,6]\n");
    }

    #[test]
    fn a_filter_that_does_not_parse_names_its_column() {
        let err = Jq::compile(".a | ").unwrap_err();
        assert!(matches!(err, Failure::Usage(_)), "{err:?}");
        assert_eq!(
            err.to_string(),
            "--jq: column 6: expected term, found the end"
        );
        let err = Jq::compile(".a | (.b").unwrap_err();
        assert_eq!(
            err.to_string(),
            "--jq: column 9: expected closing parenthesis (opened at column 6), found the end"
        );
        let err = Jq::compile(".a | if . then 1").unwrap_err();
        assert_eq!(
            err.to_string(),
            "--jq: column 17: expected else or end, found the end"
        );
        let err = Jq::compile(".a b").unwrap_err();
        assert_eq!(
            err.to_string(),
            "--jq: column 4: expected nothing, found \"b\""
        );
    }

    #[test]
    fn an_unknown_function_is_a_usage_error() {
        let err = Jq::compile(".a | nosuch(1)").unwrap_err();
        assert_eq!(err.to_string(), "--jq: column 6: undefined filter nosuch/1");
    }

    #[test]
    fn the_environment_is_not_there() {
        assert!(Jq::compile("env").is_err());
        assert!(Jq::compile("$ENV").is_err());
    }

    #[test]
    fn a_failure_names_the_item_after_the_earlier_results() {
        let jq = Jq::compile(".a, .a.b").unwrap();
        let mut printed = Vec::new();
        let err = jq
            .print(&serde_json::json!({"a": 1}), "task t", |bytes| {
                printed.extend_from_slice(bytes);
                Ok(())
            })
            .unwrap_err();
        assert_eq!(printed, b"1\n");
        assert!(matches!(err, Failure::Filter(_)), "{err:?}");
        assert_eq!(err.to_string(), "--jq: task t: cannot index 1 with \"b\"");
    }

    #[test]
    fn halt_is_a_failure_not_an_exit() {
        let err = outputs("halt_error", r#""bye""#).unwrap_err();
        assert_eq!(err.to_string(), "--jq: task t: the filter halted");
    }
}
