//! [`Text`]: text that many of the restaurant's records hold: short text inline, longer
//! text shared behind one pointer.

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use tinystr::TinyAsciiStr;
use triomphe::ThinArc;

/// Text that many records hold (an id, a customer, a reason), two words wide. ASCII text
/// of up to two words less a byte (15 bytes natively, 7 in wasm32: an order id, a
/// restaurant, a customer, most item ids) is kept inline and allocates nothing; other
/// text is shared, so that the commands and events of a flow, the streams' states and the
/// board hold one copy of it, and copying one is a count, not an allocation. Serializes
/// as its text, and reads into its final form directly (serde's `Arc<str>` reads a
/// `Box<str>` first, then copies it). Compares, orders and hashes exactly as its `str`
/// does.
#[derive(Clone)]
pub struct Text(Repr);

/// The most bytes a [`Text`] keeps inline: two words less a byte, which leaves the
/// shared form's pointer a word of its own.
const INLINE: usize = 2 * std::mem::size_of::<usize>() - 1;

// Two words on every target (the unit test runs natively only).
const _: () = assert!(std::mem::size_of::<Option<Text>>() == 2 * std::mem::size_of::<usize>());

/// A [`Text`]'s two forms. The inline bytes are ASCII (values below 128), so that their
/// unused values tell the two forms apart and a text stays two words wide.
#[derive(Clone)]
enum Repr {
    /// ASCII text without a NUL byte, up to [`INLINE`] bytes, padded with NULs: a `str` by
    /// its type ([`TinyAsciiStr`]), so that reading it checks nothing, and two inline
    /// texts order as their padded bytes (a NUL is below every other byte), which is
    /// their `str`s' order.
    Inline(TinyAsciiStr<INLINE>),
    /// Any other text, in an allocation of its own ([`triomphe::ThinArc`]: a count, the
    /// length and the bytes behind one thin pointer; no weak count: nothing holds a text
    /// weakly).
    Shared(ThinArc<(), u8>),
}

/// An inline text's padded bytes as two numbers, whose order and equality are theirs:
/// its first 8 bytes and its last 8 (which overlap), each big-endian, so that two inline
/// texts compare as two pairs of words, not byte by byte (in wasm32, where 7 bytes are
/// inline, the one word twice).
fn padded(inline: &TinyAsciiStr<INLINE>) -> [u64; 2] {
    let bytes = inline.all_bytes();
    let word = |at: usize| {
        let mut word = [0; 8];
        let end = INLINE.min(at + 8);
        word[..end - at].copy_from_slice(&bytes[at..end]);
        u64::from_be_bytes(word)
    };
    [word(0), word(INLINE.saturating_sub(8))]
}

impl Text {
    /// The text's bytes (UTF-8: every text is made from a `str`).
    fn bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline(inline) => inline.as_str().as_bytes(),
            Repr::Shared(shared) => &shared.slice,
        }
    }
}

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

/// Its text. An inline text is a `str` by its type; a shared one's bytes are checked to
/// be UTF-8 (they always are: `forbid(unsafe_code)` leaves no unchecked way back to a
/// `str` from bytes); comparing, ordering and looking a text up in a map by another text
/// read the bytes alone.
impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match &self.0 {
            Repr::Inline(inline) => inline.as_str(),
            Repr::Shared(shared) => {
                std::str::from_utf8(&shared.slice).expect("a text is made from a str")
            }
        }
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        // Refuses text longer than `INLINE`, not ASCII, or with a NUL byte.
        Text(match TinyAsciiStr::try_from_str(text) {
            Ok(inline) => Repr::Inline(inline),
            Err(_) => Repr::Shared(ThinArc::from_header_and_slice((), text.as_bytes())),
        })
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text::from(text.as_str())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        match (&self.0, &other.0) {
            (Repr::Inline(a), Repr::Inline(b)) => padded(a) == padded(b),
            _ => self.bytes() == other.bytes(),
        }
    }
}

impl Eq for Text {}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The order of its `str` (byte by byte), read from the bytes alone: two inline texts
/// as their padded bytes, two words each, without finding their lengths.
impl Ord for Text {
    fn cmp(&self, other: &Text) -> Ordering {
        match (&self.0, &other.0) {
            (Repr::Inline(a), Repr::Inline(b)) => padded(a).cmp(&padded(b)),
            _ => self.bytes().cmp(other.bytes()),
        }
    }
}

/// Its `str`'s hash, so that a map keyed by texts finds them by a `&str` too.
impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.bytes() == other.as_bytes()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
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
    use super::{Repr, Text, INLINE};
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};
    use std::mem::size_of;
    use std::sync::Arc;

    #[test]
    fn a_text_is_two_words_and_keeps_short_ascii_text_inline() {
        assert_eq!(size_of::<Text>(), 2 * size_of::<usize>());
        assert_eq!(size_of::<Option<Text>>(), size_of::<Text>());
        let inline = |text: &str| matches!(Text::from(text).0, Repr::Inline(_));
        assert!(inline(&"x".repeat(INLINE)));
        assert!(inline(""));
        assert!(matches!(Text::default().0, Repr::Inline(_)));
        assert!(!inline(&"x".repeat(INLINE + 1)));
        assert!(!inline("é"), "not ASCII: shared");
        assert!(
            !inline("a\0"),
            "a NUL byte: shared (the inline form pads with NULs)"
        );
        for text in ["", "o1", "é", "a\0", "\0", &"x".repeat(INLINE + 1)] {
            assert_eq!(&*Text::from(text), text);
        }
    }

    #[test]
    fn texts_compare_order_and_hash_as_their_str_does_on_both_sides_of_the_inline_limit() {
        let hash = |text: &dyn Fn(&mut DefaultHasher)| {
            let mut hasher = DefaultHasher::new();
            text(&mut hasher);
            hasher.finish()
        };
        let strs: Vec<String> = (0..=INLINE + 2)
            .flat_map(|n| {
                let a = "a".repeat(n);
                [a.clone(), "b".repeat(n), format!("{a}é"), format!("{a}\0")]
            })
            .collect();
        for a in &strs {
            let text = Text::from(a.as_str());
            assert_eq!(&*text, a.as_str());
            assert_eq!(text, *a.as_str());
            assert_eq!(text.to_string(), *a);
            assert_eq!(hash(&|h| text.hash(h)), hash(&|h| a.as_str().hash(h)));
            for b in &strs {
                let other = Text::from(b.clone());
                assert_eq!(text.cmp(&other), a.cmp(b), "{a:?} against {b:?}");
                assert_eq!(text == other, a == b);
            }
        }
    }

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
