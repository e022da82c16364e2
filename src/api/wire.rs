//! The shapes Beam's answers and requests have on the wire, apart from the
//! task itself (a `serde_json::Value`, see `task.rs`, so that `--json` and
//! `--raw` keep every field as sent).
//!
//! An answer is read from its parsed JSON ([`from_object`]), not from its
//! bytes: a body that is not JSON stays told apart from one of another
//! shape, an object whose key is repeated keeps its last value, and an
//! array is not taken for a struct's fields in order.

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde::{Deserialize as DeriveDeserialize, Serialize};
use serde_json::Value;

/// `GET /api/v1/workspace/current`.
#[derive(Debug, DeriveDeserialize)]
pub struct Workspace {
    #[serde(default)]
    pub external_id: Field<String>,
}

/// A page of `GET /api/v1/task/{ws}`: `{"next": "<cursor>", "data": [task,
/// ...]}`, the tasks in the API's order.
#[derive(Debug, DeriveDeserialize)]
pub struct Page {
    #[serde(default)]
    pub data: Field<Vec<Value>>,
    #[serde(default)]
    pub next: Field<String>,
}

/// The body of `DELETE /v2/task/cancel/`.
#[derive(Debug, Serialize)]
pub struct CancelRequest<'a> {
    pub task_ids: &'a [String],
}

/// A field as sent, so that each wrong one can be named: absent, null, of
/// the type expected, or of another.
#[derive(Debug, Default, PartialEq)]
pub enum Field<T> {
    #[default]
    Absent,
    Null,
    Is(T),
    Other,
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::Null => Field::Null,
            value => serde_json::from_value(value).map_or(Field::Other, Field::Is),
        })
    }
}

/// `T` read from a JSON object; `None` for any other JSON.
pub fn from_object<T: DeserializeOwned>(value: Value) -> Option<T> {
    match value {
        Value::Object(_) => serde_json::from_value(value).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(json: &str) -> Option<Page> {
        from_object(serde_json::from_str(json).unwrap())
    }

    #[test]
    fn tasks_keep_their_order_keys_and_exact_numbers() {
        let task = r#"{"z":1,"a":123456789012345678901234567890.125,"m":{"y":-0.10,"b":[1e400]}}"#;
        let page = page(&format!(r#"{{"next":"c","data":[{task},{{"id":"2"}}]}}"#)).unwrap();
        let Field::Is(tasks) = page.data else {
            panic!("{:?}", page.data)
        };
        assert_eq!(tasks.len(), 2);
        // As a task read alone is (serde_json spells `1e400` `1e+400`).
        let alone: Value = serde_json::from_str(task).unwrap();
        assert_eq!(tasks[0].to_string(), alone.to_string());
        assert!(
            alone
                .to_string()
                .contains(":123456789012345678901234567890.125,")
        );
        assert_eq!(page.next, Field::Is("c".to_string()));
    }

    #[test]
    fn each_field_is_told_absent_null_or_of_another_type() {
        let page = page(r#"{"data":null,"extra":true}"#).unwrap();
        assert_eq!(page.data, Field::Null);
        assert_eq!(page.next, Field::Absent);
        let page = self::page(r#"{"data":{},"next":3}"#).unwrap();
        assert_eq!(page.data, Field::Other);
        assert_eq!(page.next, Field::Other);
    }

    #[test]
    fn only_an_object_is_read_and_its_last_repeated_key_counts() {
        assert!(page(r#"[[],"c"]"#).is_none());
        assert!(page("3").is_none());
        let page = page(r#"{"next":3,"next":"c"}"#).unwrap();
        assert_eq!(page.next, Field::Is("c".to_string()));
    }

    #[test]
    fn the_cancel_body_is_a_list_of_ids() {
        let ids = ["a".to_string(), "b".to_string()];
        let body = serde_json::to_string(&CancelRequest { task_ids: &ids }).unwrap();
        assert_eq!(body, r#"{"task_ids":["a","b"]}"#);
    }
}
