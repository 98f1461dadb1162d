//! [`Text`]: text that many of the restaurant's records hold, shared behind one pointer.

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use triomphe::Arc;

/// Text that many records hold (an id, a customer, a reason): shared, so that the
/// commands and events of a flow, the streams' states and the board hold one copy of
/// each, and copying one is a count, not an allocation. Serializes as its text, and reads
/// into its shared allocation directly (serde's `Arc<str>` reads a `Box<str>` first, then
/// copies it: two allocations and a copy for one text). A [`triomphe::Arc`]: its
/// allocation keeps a count and the text, not the standard `Arc`'s weak count as well
/// (nothing holds a text weakly), 8 bytes less for each text.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Arc<str>);

/// The empty text.
impl Default for Text {
    fn default() -> Self {
        Text::from("")
    }
}

/// The schema of its text, inline, as `Arc<str>`'s is.
#[cfg(feature = "schema")]
impl JsonSchema for Text {
    fn inline_schema() -> bool {
        <str as JsonSchema>::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        <str as JsonSchema>::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        <str as JsonSchema>::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <str as JsonSchema>::json_schema(generator)
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text(Arc::from(text))
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text(Arc::from(text))
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

/// Reads a [`Text`] from any string a format hands over, as `String` does (and with its
/// error messages), in one allocation.
struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Text, E> {
        Ok(Text::from(text))
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Text, E> {
        std::str::from_utf8(bytes)
            .map(Text::from)
            .map_err(|_| E::invalid_value(Unexpected::Bytes(bytes), &self))
    }
}

#[cfg(test)]
mod tests {
    use super::Text;
    use std::sync::Arc;

    #[test]
    fn text_reads_and_writes_as_an_arc_str_does() {
        for json in [r#""o1""#, r#""""#, r#""caf\u00e9 \"x\"""#] {
            let text: Text = serde_json::from_str(json).expect("a string");
            let arc: Arc<str> = serde_json::from_str(json).expect("a string");
            assert_eq!(&*text, &*arc);
            assert_eq!(
                serde_json::to_string(&text).ok(),
                serde_json::to_string(&arc).ok()
            );
            assert_eq!(format!("{text:?}"), format!("{arc:?}"));
        }
        for json in ["3", "null", "[\"a\"]"] {
            let text = serde_json::from_str::<Text>(json).map_err(|e| e.to_string());
            let arc = serde_json::from_str::<Arc<str>>(json).map_err(|e| e.to_string());
            assert_eq!(text.err(), arc.err());
        }
    }
}
