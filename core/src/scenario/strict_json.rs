//! Strict JSON text for scenario files: a leading byte-order mark is skipped, and a key
//! repeated in one object is an error at its JSON path (plain `serde_json` keeps the last).

use super::ScenarioError;
use serde::de::{self, DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::fmt;

/// The UTF-8 byte-order mark some editors write at the start of a file.
const BOM: char = '\u{feff}';

/// Parses `text` as JSON, refusing duplicate keys; errors carry line and column.
pub fn parse(text: &str) -> Result<Value, ScenarioError> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let duplicate = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let seed = Strict {
        path: "$".into(),
        duplicate: &duplicate,
    };
    let value = seed
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    value.map_err(|e| ScenarioError {
        path: duplicate.take().unwrap_or_else(|| "$".into()),
        line: Some((e.line(), e.column())),
        message: e.to_string(),
    })
}

/// A JSON value at `path`; the path of a duplicate key is left in `duplicate`.
struct Strict<'a> {
    path: String,
    duplicate: &'a RefCell<Option<String>>,
}

impl<'a> Strict<'a> {
    fn child(&self, path: String) -> Strict<'a> {
        Strict {
            path,
            duplicate: self.duplicate,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) =
            seq.next_element_seed(self.child(format!("{}[{}]", self.path, items.len())))?
        {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = format!("{}.{key}", self.path);
            if object.contains_key(&key) {
                let message = format!("duplicate key `{key}` at {path}");
                *self.duplicate.borrow_mut() = Some(path);
                return Err(A::Error::custom(message));
            }
            let value = map.next_value_seed(self.child(path))?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use serde_json::json;

    #[test]
    fn a_byte_order_mark_is_skipped() {
        assert_eq!(
            parse("\u{feff}{\"a\": [1, 2.5]}").unwrap(),
            json!({"a": [1, 2.5]})
        );
    }

    #[test]
    fn a_duplicate_key_is_an_error_at_its_path() {
        let error = parse("{\"steps\": [{\"command\": {\"x\": 1,\n \"x\": 2}}]}").unwrap_err();
        assert_eq!(error.path, "$.steps[0].command.x");
        assert_eq!(error.line.map(|(line, _)| line), Some(2));
        assert!(
            error.message.contains("duplicate key `x`"),
            "{}",
            error.message
        );
    }

    #[test]
    fn the_same_key_in_two_objects_is_fine() {
        assert_eq!(
            parse("[{\"a\": 1}, {\"a\": 2}]").unwrap(),
            json!([{"a": 1}, {"a": 2}])
        );
    }

    #[test]
    fn syntax_errors_keep_their_line_and_column() {
        let error = parse("{\n  \"a\": }").unwrap_err();
        assert_eq!(error.path, "$");
        assert_eq!(error.line, Some((2, 8)));
    }

    #[test]
    fn trailing_text_is_refused() {
        assert!(parse("{} {}").is_err());
    }
}
