//! Property tests: whatever body a server sends, parsing and every renderer
//! end in a task on stdout or a "response not understood" failure (exit 76),
//! never a panic.

use jiff::Timestamp;
use proptest::prelude::*;
use serde_json::{Map, Value};
use unicode_width::UnicodeWidthStr;

use super::{RenderContext, json, raw, table};
use crate::api::task::{Task, TaskStatus};
use crate::exit_codes::ExitCode;
use crate::failure::Failure;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Any text, often with control characters (terminal escapes included),
/// which a plain `any::<String>()` seldom makes, or long enough to be wider
/// than a terminal (with wide characters, and words too long for a line).
fn text() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        any::<String>(),
        "[ -~\\x00-\\x1f\\x7f\\u{80}-\\u{9f}é✓]{0,24}",
        "[ a-z0-9/:\\-é✓中\\u{202e}]{40,160}",
    ]
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        text().prop_map(Value::String),
        time_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// Times as the API sends them, at the edges of what they can be, and text
/// that only looks like one.
fn time_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0001-01-01T00:00:00Z".to_string()),
        Just("9999-12-31T23:59:59.999999999Z".to_string()),
        Just("-009999-01-01T00:00:00Z".to_string()),
        (0i64..=253_402_300_799, 0u32..1_000_000_000).prop_map(|(secs, nanos)| {
            Timestamp::new(secs, nanos as i32)
                .map(|t| t.to_string())
                .unwrap_or_default()
        }),
        "[0-9T:.Z+-]{0,30}",
    ]
}

/// A JSON value or, often, one of the things a field is meant to hold.
fn field(likely: impl Strategy<Value = Value> + 'static) -> BoxedStrategy<Value> {
    prop_oneof![2 => likely, 1 => json_value()].boxed()
}

fn status_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(TaskStatus::KNOWN.to_vec()).prop_map(|s| s.as_str().to_string()),
        text(),
    ]
}

/// An object with a string `status` and the task's fields holding whatever
/// a broken or hostile server might put there, plus unknown fields.
fn task_like() -> impl Strategy<Value = Value> {
    let string = || text().prop_map(Value::String);
    let time = || field(time_text().prop_map(Value::String));
    let number = || field(any::<i64>().prop_map(Value::from));
    let config = prop_oneof![
        json_value().prop_map(|v| Value::String(v.to_string())),
        string(),
    ];
    let stub =
        (field(string()), field(string()), field(config)).prop_map(|(name, kind, config)| {
            let mut stub = Map::new();
            stub.insert("name".into(), name);
            stub.insert("type".into(), kind);
            stub.insert("config".into(), config);
            Value::Object(stub)
        });
    let output = (field(string()), field(string()), number()).prop_map(|(name, url, expires)| {
        let mut output = Map::new();
        output.insert("name".into(), name);
        output.insert("url".into(), url);
        output.insert("expires_in".into(), expires);
        Value::Object(output)
    });
    let outputs = field(prop::collection::vec(field(output), 0..4).prop_map(Value::Array));
    let stats = (number(), number()).prop_map(|(depth, active)| {
        let mut stats = Map::new();
        stats.insert("queue_depth".into(), depth);
        stats.insert("active_containers".into(), active);
        Value::Object(stats)
    });
    (
        status_text(),
        (time(), time(), time()),
        (field(stub), outputs, field(stats)),
        (field(string()), field(string())),
        prop::collection::vec((text(), json_value()), 0..3),
    )
        .prop_map(
            |(
                status,
                (created, started, ended),
                (stub, outputs, stats),
                (container, reason),
                extra,
            )| {
                let mut task: Map<String, Value> = extra.into_iter().collect();
                task.insert("status".into(), Value::String(status));
                task.insert("created_at".into(), created);
                task.insert("started_at".into(), started);
                task.insert("ended_at".into(), ended);
                task.insert("stub".into(), stub);
                task.insert("outputs".into(), outputs);
                task.insert("stats".into(), stats);
                task.insert("container_id".into(), container);
                task.insert("failure_reason".into(), reason);
                Value::Object(task)
            },
        )
}

/// Renders a task alone and among others, in every format and both colors,
/// and checks that from 60 columns up no line of the card or the table is
/// wider than the terminal, but a download link's, or a word of a container
/// ID (never cut, as task IDs are not).
fn render_everywhere(task: &Task) {
    let now = Timestamp::now();
    assert!(!json::render_object(task).is_empty());
    assert!(!json::render_array_element(task).is_empty());
    assert!(!raw::render_raw(task).is_empty());
    let links: Vec<String> = task
        .outputs()
        .into_iter()
        .filter_map(|output| output.url)
        .map(|url| format!("    {url}"))
        .collect();
    let container = task.container_id().unwrap_or_default();
    let whole = |line: &str| {
        let rest = line.strip_prefix("Container").unwrap_or(line).trim();
        links.iter().any(|link| link == line) || container.split(' ').any(|word| word == rest)
    };
    for color in [false, true] {
        let rows = [
            table::Row::new("abc", task, now),
            table::Row::new("d", task, now),
        ];
        for width in [None, Some(40), Some(60), Some(80), Some(200)] {
            let context = RenderContext {
                color,
                now,
                zone: jiff::tz::TimeZone::UTC,
                width,
            };
            let card = table::render_card("abc", task, &context);
            let table = table::Layout::fit(&rows, width).render(&rows, color, true);
            if color {
                continue;
            }
            for text in [&card, &table] {
                assert!(
                    !text.chars().any(|c| c.is_control() && c != '\n'),
                    "a control character reached the table: {text:?}"
                );
                let Some(width) = width.filter(|&w| w >= 60) else {
                    continue;
                };
                for line in text.lines().filter(|line| !whole(line)) {
                    assert!(
                        line.width() <= width,
                        "{} columns in {width}: {line:?}\n{text}",
                        line.width()
                    );
                }
            }
        }
    }
}

/// Parses a body: a task is rendered; anything else must be exit 76.
fn parse_and_render(body: Vec<u8>) -> Result<(), TestCaseError> {
    match Task::parse(body) {
        Ok(task) => render_everywhere(&task),
        Err(failure) => {
            prop_assert!(matches!(failure, Failure::BadResponse(_)), "{failure:?}");
            prop_assert_eq!(failure.exit_code(), ExitCode::BadResponse);
            prop_assert!(!failure.to_string().contains('\n'));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..512)) {
        parse_and_render(body)?;
    }

    #[test]
    fn arbitrary_json_never_panics(value in json_value()) {
        parse_and_render(value.to_string().into_bytes())?;
    }

    #[test]
    fn task_like_objects_always_render(value in task_like()) {
        let body = serde_json::to_vec_pretty(&value).unwrap();
        let task = Task::parse(body).expect("an object with a string status is a task");
        render_everywhere(&task);
    }
}
