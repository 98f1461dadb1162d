//! A bounded window of a large value: what a page can show of a read model that grows with
//! every order, without serializing, diffing and drawing all of it on every render.
//!
//! [`window`] is a serializer to JSON that keeps the first entries of every map, struct and
//! sequence and only counts the others: an entry past the window is never serialized, so
//! the cost follows the window, not the value (iterating the skipped entries is all that is
//! left of them).

use serde::ser::{self, Serialize, Serializer};
use serde_json::value::Serializer as ValueSerializer;
use serde_json::{Error, Map, Value};

/// The key (in objects) or the last item (in arrays) that says how much was left out.
pub const MORE: &str = "…";

/// `value` as JSON with every object and array cut to its first `limit` entries (in the
/// order the value serializes them), each cut one ending with a [`MORE`] entry that says
/// how many were left out. A value that cannot be JSON (a map with non-scalar keys) is a
/// string saying so.
pub fn window<T: Serialize + ?Sized>(value: &T, limit: usize) -> Value {
    value
        .serialize(Window { limit })
        .unwrap_or_else(|e| Value::String(format!("<unserializable: {e}>")))
}

/// `value` as JSON, whole: what `serde_json::to_value` gives (same values, same message in
/// a string for a value that cannot be JSON), through this module's serializer, so that
/// a type serialized both whole and windowed is compiled for one serializer to values.
pub fn whole<T: Serialize + ?Sized>(value: &T) -> Value {
    window(value, usize::MAX)
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

/// The windowing serializer: scalars as `serde_json` makes them, containers cut.
#[derive(Clone, Copy)]
struct Window {
    limit: usize,
}

/// Scalars are the same with or without a window: `serde_json`'s own value serializer.
macro_rules! scalars {
    ($($method:ident($type:ty)),* $(,)?) => {
        $(fn $method(self, v: $type) -> Result<Value, Error> {
            ValueSerializer.$method(v)
        })*
    };
}

impl Serializer for Window {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = Items;
    type SerializeTuple = Items;
    type SerializeTupleStruct = Items;
    type SerializeTupleVariant = Variant<Items>;
    type SerializeMap = Entries;
    type SerializeStruct = Entries;
    type SerializeStructVariant = Variant<Entries>;

    scalars!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
    );

    fn serialize_none(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, Error> {
        Ok(Value::Null)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value, Error> {
        Ok(Value::String(variant.to_string()))
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
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        let mut object = Map::new();
        object.insert(variant.to_string(), value.serialize(self)?);
        Ok(Value::Object(object))
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Items, Error> {
        Ok(Items::new(self))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Items, Error> {
        Ok(Items::new(self))
    }

    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Items, Error> {
        Ok(Items::new(self))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Variant<Items>, Error> {
        Ok(Variant {
            variant,
            inner: Items::new(self),
        })
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Entries, Error> {
        Ok(Entries::new(self))
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Entries, Error> {
        Ok(Entries::new(self))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Variant<Entries>, Error> {
        Ok(Variant {
            variant,
            inner: Entries::new(self),
        })
    }
}

/// A sequence being windowed: the items kept, and how many were seen.
struct Items {
    window: Window,
    kept: Vec<Value>,
    seen: usize,
}

impl Items {
    fn new(window: Window) -> Self {
        Items {
            window,
            kept: Vec::new(),
            seen: 0,
        }
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if self.seen < self.window.limit {
            let value = value.serialize(self.window)?;
            self.keep(value);
        }
        self.seen += 1;
        Ok(())
    }

    /// Keeps `value` (out of line, as [`Entries::keep`]).
    #[inline(never)]
    fn keep(&mut self, value: Value) {
        self.kept.push(value);
    }

    fn finish(mut self) -> Value {
        if self.seen > self.window.limit {
            self.kept.push(more(self.seen - self.window.limit, "items"));
        }
        Value::Array(self.kept)
    }
}

impl ser::SerializeSeq for Items {
    type Ok = Value;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }

    fn end(self) -> Result<Value, Error> {
        Ok(self.finish())
    }
}

impl ser::SerializeTuple for Items {
    type Ok = Value;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }

    fn end(self) -> Result<Value, Error> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleStruct for Items {
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
/// serialized (when it is kept), and how many entries were seen.
struct Entries {
    window: Window,
    kept: Map<String, Value>,
    key: Option<String>,
    seen: usize,
}

impl Entries {
    fn new(window: Window) -> Self {
        Entries {
            window,
            kept: Map::new(),
            key: None,
            seen: 0,
        }
    }

    fn keeps(&self) -> bool {
        self.seen < self.window.limit
    }

    fn insert<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<(), Error> {
        let value = value.serialize(self.window)?;
        self.keep(key, value);
        Ok(())
    }

    /// Keeps the entry `key`: `value` (out of line and not generic: each field and value
    /// type's serializer calls it, instead of compiling the map's insertion into each).
    #[inline(never)]
    fn keep(&mut self, key: String, value: Value) {
        self.kept.insert(key, value);
    }

    /// Keeps the field `key`, as [`Entries::keep`] (its name copied here, not in each
    /// caller).
    #[inline(never)]
    fn keep_field(&mut self, key: &'static str, value: Value) {
        self.kept.insert(key.to_owned(), value);
    }

    fn finish(mut self) -> Value {
        if self.seen > self.window.limit {
            let left_out = more(self.seen - self.window.limit, "entries");
            self.kept.insert(MORE.into(), left_out);
        }
        Value::Object(self.kept)
    }
}

impl ser::SerializeMap for Entries {
    type Ok = Value;
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = if self.keeps() {
            Some(map_key(key)?)
        } else {
            None
        };
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if let Some(key) = self.key.take() {
            self.insert(key, value)?;
        }
        self.seen += 1;
        Ok(())
    }

    fn end(self) -> Result<Value, Error> {
        Ok(self.finish())
    }
}

impl ser::SerializeStruct for Entries {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if self.keeps() {
            let value = value.serialize(self.window)?;
            self.keep_field(key, value);
        }
        self.seen += 1;
        Ok(())
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

impl<S> Variant<S> {
    fn wrap(variant: &'static str, fields: Value) -> Value {
        let mut object = Map::new();
        object.insert(variant.to_string(), fields);
        Value::Object(object)
    }
}

impl ser::SerializeTupleVariant for Variant<Items> {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.inner.push(value)
    }

    fn end(self) -> Result<Value, Error> {
        Ok(Self::wrap(self.variant, self.inner.finish()))
    }
}

impl ser::SerializeStructVariant for Variant<Entries> {
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
        Ok(Self::wrap(self.variant, self.inner.finish()))
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
