//! A bounded window of a large value: what a page can show of a read model that grows with
//! every order, without serializing, diffing and drawing all of it on every render.
//!
//! [`window`] is a serializer to JSON that keeps the first entries of every map, struct and
//! sequence and only counts the others: an entry past the window is never serialized, so
//! the cost follows the window, not the value (iterating the skipped entries is all that is
//! left of them).
//!
//! The same serializer writes JSON text ([`text`], what `serde_json::to_string` writes)
//! and the journal's [`packed`](super::packed) form (`pack`): every type that crosses
//! the boundary (the journal's entries, the commands, events and rejections in them, the
//! states) is compiled for this one serializer, not also for `serde_json`'s writer and
//! `bincode`'s.

use super::packed::Output;
use serde::ser::{self, Serialize, Serializer};
use serde_json::value::Serializer as ValueSerializer;
use serde_json::{Error, Map, Value};
use std::borrow::Cow;

/// The key (in objects) or the last item (in arrays) that says how much was left out.
pub const MORE: &str = "…";

/// `value` as JSON with every object and array cut to its first `limit` entries (in the
/// order the value serializes them), each cut one ending with a [`MORE`] entry that says
/// how many were left out. A value that cannot be JSON (a map with non-scalar keys) is a
/// string saying so.
pub fn window<T: Serialize + ?Sized>(value: &T, limit: usize) -> Value {
    value
        .serialize(Window {
            limit,
            sink: Sink::Value,
        })
        .unwrap_or_else(|e| Value::String(format!("<unserializable: {e}>")))
}

/// `value` as JSON, whole: what `serde_json::to_value` gives (same values, same message in
/// a string for a value that cannot be JSON), through this module's serializer, so that
/// a type serialized both whole and windowed is compiled for one serializer to values.
pub fn whole<T: Serialize + ?Sized>(value: &T) -> Value {
    window(value, usize::MAX)
}

/// `value` as compact JSON text: what `serde_json::to_string` writes, byte for byte.
pub fn text<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let out = Output::default();
    value.serialize(Window::writing(Sink::Text(&out)))?;
    String::from_utf8(out.into_bytes()).map_err(ser::Error::custom)
}

/// Writes `value` to `out` in the packed form (the bytes `bincode` 1.3 writes with its
/// default options); fails only for what that form cannot hold (a sequence or map of
/// unknown length).
pub(crate) fn pack<T: Serialize + ?Sized>(value: &T, out: &Output) -> Result<(), Error> {
    value
        .serialize(Window::writing(Sink::Packed(out)))
        .map(drop)
}

/// The note that ends a cut container.
fn more(left_out: usize, what: &str) -> Value {
    Value::String(format!("{left_out} more {what} not shown"))
}

/// A map key as JSON object keys are: strings, and numbers and booleans as their text.
fn map_key<K: Serialize + ?Sized>(key: &K) -> Result<String, Error> {
    match key.serialize(ValueSerializer)? {
        Value::String(text) => Ok(text),
        Value::Number(number) => Ok(number.to_string()),
        Value::Bool(flag) => Ok(flag.to_string()),
        _ => Err(ser::Error::custom("key must be a string")),
    }
}

/// Where the serializer's output goes.
#[derive(Clone, Copy)]
enum Sink<'p> {
    /// Into the `Value` returned.
    Value,
    /// Written there in the packed form (the value returned is `null`).
    Packed(&'p Output),
    /// Written there as compact JSON text (the value returned is `null`).
    Text(&'p Output),
}

/// The windowing serializer: scalars as `serde_json` makes them, containers cut; or, when
/// it writes, the whole value written to its sink.
#[derive(Clone, Copy)]
struct Window<'p> {
    limit: usize,
    sink: Sink<'p>,
}

impl<'p> Window<'p> {
    /// A serializer that writes all of every value to `sink`.
    fn writing(sink: Sink<'p>) -> Self {
        Window {
            limit: usize::MAX,
            sink,
        }
    }

    /// Opens a container: its length (packed; `bincode` needs one), or `open` (text).
    fn open(self, len: Option<usize>, open: u8) -> Result<(), Error> {
        match (self.sink, len) {
            (Sink::Packed(out), Some(len)) => out.varint(len as u64),
            (Sink::Packed(_), None) => {
                return Err(ser::Error::custom("a sequence of unknown length"));
            }
            (Sink::Text(out), _) => out.byte(open),
            (Sink::Value, _) => {}
        }
        Ok(())
    }

    /// Opens an enum variant with content: its index (packed) or `{"variant":` (text).
    fn variant(self, index: u32, variant: &'static str) -> Result<(), Error> {
        match self.sink {
            Sink::Packed(out) => out.varint(index.into()),
            Sink::Text(out) => {
                out.byte(b'{');
                out.json(variant)?;
                out.byte(b':');
            }
            Sink::Value => {}
        }
        Ok(())
    }

    /// Text, the comma before every member or item but the first.
    fn separate(self, seen: usize) {
        if let (Sink::Text(out), 1..) = (self.sink, seen) {
            out.byte(b',');
        }
    }

    /// Closes a container (text) and returns what a container is when written: `null`.
    fn close(self, close: u8) -> Value {
        if let Sink::Text(out) = self.sink {
            out.byte(close);
        }
        Value::Null
    }
}

/// Scalars are the same with or without a window: `serde_json`'s own value serializer; or
/// their bytes, packed; or their text, by `serde_json`.
macro_rules! scalars {
    ($($method:ident($type:ty) => |$out:ident, $v:ident| $write:expr),* $(,)?) => {
        $(fn $method(self, $v: $type) -> Result<Value, Error> {
            match self.sink {
                Sink::Value => ValueSerializer.$method($v),
                Sink::Packed($out) => {
                    $write;
                    Ok(Value::Null)
                }
                Sink::Text(out) => out.json(&$v).map(|()| Value::Null),
            }
        })*
    };
}

impl<'p> Serializer for Window<'p> {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = Items<'p>;
    type SerializeTuple = Items<'p>;
    type SerializeTupleStruct = Items<'p>;
    type SerializeTupleVariant = Variant<Items<'p>>;
    type SerializeMap = Entries<'p>;
    type SerializeStruct = Entries<'p>;
    type SerializeStructVariant = Variant<Entries<'p>>;

    scalars!(
        serialize_bool(bool) => |out, v| out.byte(u8::from(v)),
        serialize_i8(i8) => |out, v| out.byte(v as u8),
        serialize_i16(i16) => |out, v| out.signed(v.into()),
        serialize_i32(i32) => |out, v| out.signed(v.into()),
        serialize_i64(i64) => |out, v| out.signed(v.into()),
        serialize_i128(i128) => |out, v| out.signed(v),
        serialize_u8(u8) => |out, v| out.byte(v),
        serialize_u16(u16) => |out, v| out.varint(v.into()),
        serialize_u32(u32) => |out, v| out.varint(v.into()),
        serialize_u64(u64) => |out, v| out.varint(v),
        serialize_u128(u128) => |out, v| out.varint128(v),
        serialize_f32(f32) => |out, v| out.raw(&v.to_le_bytes()),
        serialize_f64(f64) => |out, v| out.raw(&v.to_le_bytes()),
        serialize_char(char) => |out, v| out.raw(v.encode_utf8(&mut [0; 4]).as_bytes()),
        serialize_str(&str) => |out, v| out.bytes(v.as_bytes()),
        serialize_bytes(&[u8]) => |out, v| out.bytes(v),
    );

    fn serialize_none(self) -> Result<Value, Error> {
        match self.sink {
            Sink::Packed(out) => out.byte(0),
            Sink::Text(out) => out.raw(b"null"),
            Sink::Value => {}
        }
        Ok(Value::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
        if let Sink::Packed(out) = self.sink {
            out.byte(1);
        }
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Value, Error> {
        if let Sink::Text(out) = self.sink {
            out.raw(b"null");
        }
        Ok(Value::Null)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<Value, Error> {
        match self.sink {
            Sink::Value => return Ok(Value::String(variant.to_string())),
            Sink::Packed(out) => out.varint(index.into()),
            Sink::Text(out) => out.json(variant)?,
        }
        Ok(Value::Null)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        self.variant(index, variant)?;
        let content = value.serialize(self)?;
        Ok(tagged(self, variant, content))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Items<'p>, Error> {
        self.open(len, b'[')?;
        Ok(Items::new(self))
    }

    fn serialize_tuple(self, len: usize) -> Result<Items<'p>, Error> {
        self.serialize_tuple_struct("", len)
    }

    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Items<'p>, Error> {
        if let Sink::Text(out) = self.sink {
            out.byte(b'[');
        }
        Ok(Items::new(self))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Items<'p>>, Error> {
        self.variant(index, variant)?;
        Ok(Variant {
            variant,
            inner: self.serialize_tuple_struct("", len)?,
        })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Entries<'p>, Error> {
        self.open(len, b'{')?;
        Ok(Entries::new(self))
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Entries<'p>, Error> {
        if let Sink::Text(out) = self.sink {
            out.byte(b'{');
        }
        Ok(Entries::new(self))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Entries<'p>>, Error> {
        self.variant(index, variant)?;
        Ok(Variant {
            variant,
            inner: self.serialize_struct("", len)?,
        })
    }

    fn is_human_readable(&self) -> bool {
        !matches!(self.sink, Sink::Packed(_))
    }
}

/// A sequence being windowed: the items kept, and how many were seen (written: none kept).
struct Items<'p> {
    window: Window<'p>,
    kept: Vec<Value>,
    seen: usize,
}

impl<'p> Items<'p> {
    fn new(window: Window<'p>) -> Self {
        Items {
            window,
            kept: Vec::new(),
            seen: 0,
        }
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if self.begin() {
            let item = value.serialize(self.window)?;
            self.keep(item);
        }
        self.seen += 1;
        Ok(())
    }

    /// Before an item: whether it is serialized (not past the window), after the comma
    /// before it (text). Not generic, as [`Items::keep`]: only the call of the item's
    /// `serialize` is compiled for each item type.
    #[inline(never)]
    fn begin(&self) -> bool {
        let serialized = self.seen < self.window.limit;
        if serialized {
            self.window.separate(self.seen);
        }
        serialized
    }

    /// An item serialized: kept when the value is built.
    #[inline(never)]
    fn keep(&mut self, item: Value) {
        if let Sink::Value = self.window.sink {
            self.kept.push(item);
        }
    }

    fn finish(mut self) -> Value {
        if !matches!(self.window.sink, Sink::Value) {
            return self.window.close(b']');
        }
        if self.seen > self.window.limit {
            self.kept.push(more(self.seen - self.window.limit, "items"));
        }
        Value::Array(self.kept)
    }
}

impl ser::SerializeSeq for Items<'_> {
    type Ok = Value;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }

    fn end(self) -> Result<Value, Error> {
        Ok(self.finish())
    }
}

impl ser::SerializeTuple for Items<'_> {
    type Ok = Value;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }

    fn end(self) -> Result<Value, Error> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleStruct for Items<'_> {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }

    fn end(self) -> Result<Value, Error> {
        Ok(self.finish())
    }
}

/// A map or struct being windowed: the entries kept, the key of the entry being
/// serialized, and how many entries were seen (written: none kept).
struct Entries<'p> {
    window: Window<'p>,
    kept: Map<String, Value>,
    /// The text of the map key [`ser::SerializeMap::serialize_key`] read last, when its
    /// value is to be serialized.
    pending: Option<String>,
    /// The key of the member whose value is being serialized, when it is kept.
    key: Option<String>,
    seen: usize,
}

impl<'p> Entries<'p> {
    fn new(window: Window<'p>) -> Self {
        Entries {
            window,
            kept: Map::new(),
            pending: None,
            key: None,
            seen: 0,
        }
    }

    fn keeps(&self) -> bool {
        self.seen < self.window.limit
    }

    /// Before the value of the member `key` (`None` when it is past the window): whether
    /// it is serialized. Text: the key written, after the comma before it; packed: the
    /// key was written by [`ser::SerializeMap::serialize_key`] or is not written (a
    /// struct's); values: the key kept for [`Entries::keep`]. Not generic: only the call
    /// of the value's `serialize` is compiled for each member type.
    #[inline(never)]
    fn begin(&mut self, key: Option<Cow<'static, str>>) -> Result<bool, Error> {
        match (self.window.sink, key) {
            (Sink::Packed(_), _) => Ok(true),
            (Sink::Text(out), Some(key)) => {
                self.window.separate(self.seen);
                out.json(&*key)?;
                out.byte(b':');
                Ok(true)
            }
            (Sink::Value, Some(key)) if self.keeps() => {
                self.key = Some(key.into_owned());
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// A member's value serialized: kept under its key when the value is built.
    #[inline(never)]
    fn keep(&mut self, value: Value) {
        if let (Sink::Value, Some(key)) = (self.window.sink, self.key.take()) {
            self.kept.insert(key, value);
        }
    }

    /// A member's value: serialized unless it is past the window, and counted.
    fn member<T: Serialize + ?Sized>(
        &mut self,
        key: Option<Cow<'static, str>>,
        value: &T,
    ) -> Result<(), Error> {
        if self.begin(key)? {
            let value = value.serialize(self.window)?;
            self.keep(value);
        }
        self.seen += 1;
        Ok(())
    }

    fn finish(mut self) -> Value {
        if !matches!(self.window.sink, Sink::Value) {
            return self.window.close(b'}');
        }
        if self.seen > self.window.limit {
            let left_out = more(self.seen - self.window.limit, "entries");
            self.kept.insert(MORE.into(), left_out);
        }
        Value::Object(self.kept)
    }
}

impl ser::SerializeMap for Entries<'_> {
    type Ok = Value;
    type Error = Error;

    /// The key's text, kept for [`ser::SerializeMap::serialize_value`] (packed: the key
    /// written as it is).
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.pending = match self.window.sink {
            Sink::Packed(_) => key.serialize(self.window).map(|_| None)?,
            _ if self.keeps() => Some(map_key(key)?),
            _ => None,
        };
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self.pending.take().map(Cow::Owned);
        self.member(key, value)
    }

    fn end(self) -> Result<Value, Error> {
        Ok(self.finish())
    }
}

impl ser::SerializeStruct for Entries<'_> {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.member(Some(Cow::Borrowed(key)), value)
    }

    fn end(self) -> Result<Value, Error> {
        Ok(self.finish())
    }
}

/// An enum variant with fields: `{"variant": fields}`, its fields windowed like any other.
struct Variant<S> {
    variant: &'static str,
    inner: S,
}

/// `{"variant": content}`; written, `null` (text: the closing brace written).
fn tagged(window: Window<'_>, variant: &'static str, content: Value) -> Value {
    if !matches!(window.sink, Sink::Value) {
        return window.close(b'}');
    }
    let mut object = Map::new();
    object.insert(variant.to_string(), content);
    Value::Object(object)
}

impl ser::SerializeTupleVariant for Variant<Items<'_>> {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.inner.push(value)
    }

    fn end(self) -> Result<Value, Error> {
        let window = self.inner.window;
        Ok(tagged(window, self.variant, self.inner.finish()))
    }
}

impl ser::SerializeStructVariant for Variant<Entries<'_>> {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }

    fn end(self) -> Result<Value, Error> {
        let window = self.inner.window;
        Ok(tagged(window, self.variant, self.inner.finish()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde_json::json;
    use std::cell::Cell;
    use std::collections::BTreeMap;

    #[test]
    fn big_containers_keep_their_first_entries_and_say_how_many_are_left_out() {
        let value = json!({"a": [1, 2, 3, 4], "b": {"x": 1, "y": 2, "z": 3}, "c": 5});
        assert_eq!(
            window(&value, 2),
            json!({
                "a": [1, 2, "2 more items not shown"],
                "b": {"x": 1, "y": 2, "…": "1 more entries not shown"},
                "…": "1 more entries not shown"
            })
        );
        assert_eq!(
            window(&value, 3)["a"],
            json!([1, 2, 3, "1 more items not shown"])
        );
        assert_eq!(window(&value, 4), value, "small values are whole");
    }

    /// Counts how often it is serialized.
    struct Counted<'a>(&'a Cell<usize>);

    impl Serialize for Counted<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.0.set(self.0.get() + 1);
            serializer.serialize_u8(7)
        }
    }

    #[test]
    fn entries_past_the_window_are_counted_but_never_serialized() {
        let calls = Cell::new(0);
        let map: BTreeMap<u32, Counted> = (0..1_000).map(|k| (k, Counted(&calls))).collect();
        let list: Vec<Counted> = (0..1_000).map(|_| Counted(&calls)).collect();
        let windowed = window(&(map, list), 3);
        assert_eq!(calls.get(), 6, "3 map values and 3 items, not 2,000");
        assert_eq!(
            windowed,
            json!([
                {"0": 7, "1": 7, "2": 7, "…": "997 more entries not shown"},
                [7, 7, 7, "997 more items not shown"]
            ])
        );
    }

    #[derive(Clone, Serialize)]
    enum Shape {
        Unit,
        Wrapped(Vec<u8>),
        Pair(u8, u8, u8),
        Named { a: u8, b: Option<u8>, c: () },
    }

    #[test]
    fn small_values_serialize_exactly_as_serde_json_does() {
        let value = (
            vec![
                Shape::Unit,
                Shape::Wrapped(vec![1, 2]),
                Shape::Pair(1, 2, 3),
            ],
            Shape::Named {
                a: 1,
                b: None,
                c: (),
            },
            BTreeMap::from([(true, 'x'), (false, 'y')]),
            (-1i64, 2.5f64, "text", 5u128),
        );
        assert_eq!(window(&value, 10), serde_json::to_value(&value).unwrap());
        assert_eq!(
            window(&Shape::Pair(1, 2, 3), 2),
            json!({"Pair": [1, 2, "1 more items not shown"]})
        );
    }

    #[test]
    fn the_whole_value_is_what_serde_json_makes_however_large() {
        let big: BTreeMap<String, Vec<Shape>> = (0..300)
            .map(|i| (format!("k{i}"), vec![Shape::Wrapped(vec![i as u8; 300]); 2]))
            .collect();
        assert_eq!(whole(&big), serde_json::to_value(&big).unwrap());
        let named = Shape::Named {
            a: 7,
            b: Some(8),
            c: (),
        };
        assert_eq!(whole(&named), serde_json::to_value(&named).unwrap());
    }

    #[test]
    fn text_is_what_serde_json_writes() {
        let value = (
            vec![
                Shape::Unit,
                Shape::Wrapped(vec![1, 2]),
                Shape::Wrapped(vec![]),
                Shape::Pair(1, 2, 3),
            ],
            Shape::Named {
                a: 1,
                b: None,
                c: (),
            },
            Shape::Named {
                a: 2,
                b: Some(3),
                c: (),
            },
            BTreeMap::from([("k\"é\n".to_string(), 'x'), (String::new(), 'y')]),
            BTreeMap::<String, u8>::new(),
            (
                -1i64,
                2.5f64,
                f64::NAN,
                0.1f32,
                "te\u{1}xt",
                u128::MAX,
                i128::MIN,
            ),
            (Some(()), None::<u8>, crate::ids::Id(0xbeef)),
        );
        assert_eq!(
            text(&value).unwrap(),
            serde_json::to_string(&value).unwrap()
        );
        let map = BTreeMap::from([(vec![1u8], 1u8)]);
        assert!(text(&map).is_err() && serde_json::to_string(&map).is_err());
    }

    #[test]
    fn a_map_whose_keys_cannot_be_json_says_so() {
        let map = BTreeMap::from([(vec![1u8], 1u8)]);
        let text = window(&map, 10);
        assert!(
            text.as_str()
                .is_some_and(|t| t.contains("key must be a string")),
            "{text}"
        );
    }
}
