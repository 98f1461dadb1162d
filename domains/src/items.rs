//! [`Items`]: an order's item ids, one list shared by every record of its flow.

use crate::text::Text;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::Deref;
use triomphe::Arc;

/// Item ids, shared as [`Text`] is: the order's command, its events, the board and the
/// kitchen's command hold one list. A [`triomphe::Arc`]: its allocation keeps a count and
/// the list, not the standard `Arc`'s weak count as well (nothing holds a list weakly).
/// Reads, writes, compares and describes itself (`Debug`, its schema) as the list of
/// texts it holds.
#[derive(Clone, PartialEq, Eq)]
pub struct Items(Arc<[Text]>);

/// No item.
impl Default for Items {
    fn default() -> Self {
        Items::from(Vec::new())
    }
}

impl Deref for Items {
    type Target = [Text];
    fn deref(&self) -> &[Text] {
        &self.0
    }
}

impl From<Vec<Text>> for Items {
    fn from(items: Vec<Text>) -> Self {
        Items(Arc::from(items))
    }
}

impl<const N: usize> From<[Text; N]> for Items {
    fn from(items: [Text; N]) -> Self {
        Items::from(Vec::from(items))
    }
}

impl fmt::Debug for Items {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for Items {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Items {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::deserialize(deserializer).map(Items::from)
    }
}

/// The schema of its list, inline, as `Arc<[Text]>`'s is.
#[cfg(feature = "schema")]
impl JsonSchema for Items {
    fn inline_schema() -> bool {
        <[Text] as JsonSchema>::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        <[Text] as JsonSchema>::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        <[Text] as JsonSchema>::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <[Text] as JsonSchema>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::{Items, Text};
    use std::sync::Arc;

    #[test]
    fn items_read_and_write_as_an_arc_of_texts_does() {
        for json in [r#"["a","bb"]"#, "[]", r#"["caf\u00e9"]"#] {
            let items: Items = serde_json::from_str(json).expect("a list");
            let arc: Arc<[Text]> = serde_json::from_str(json).expect("a list");
            assert_eq!(&*items, &*arc);
            assert_eq!(
                serde_json::to_string(&items).ok(),
                serde_json::to_string(&arc).ok()
            );
            assert_eq!(format!("{items:?}"), format!("{arc:?}"));
        }
        for json in ["3", "null", "[1]", r#"{"a":1}"#] {
            let items = serde_json::from_str::<Items>(json).map_err(|e| e.to_string());
            let arc = serde_json::from_str::<Arc<[Text]>>(json).map_err(|e| e.to_string());
            assert_eq!(items.err(), arc.err());
        }
    }
}
