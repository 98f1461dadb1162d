//! A bounded window of a large value: what a page can show of a read model that grows with
//! every order, without serializing, diffing and drawing all of it on every render.
//!
//! [`window`] is a serializer to JSON that keeps the first entries of every map, struct and
//! sequence and only counts the others: an entry past the window is never serialized, so
//! the cost follows the window, not the value. A container that says how many entries it
//! has (a map's or a sequence's length, as every collection of `std` and `imbl` does) is
//! not even iterated past its window: the serializer stops it there, by an error it catches itself.

use serde::ser::{self, Serialize, Serializer};
use serde_json::value::Serializer as ValueSerializer;
use serde_json::{Error, Map, Value};
use std::cell::Cell;

/// The key (in objects) or the last item (in arrays) that says how much was left out.
pub const MORE: &str = "…";

/// `value` as JSON with every object and array cut to its first `limit` entries (in the
/// order the value serializes them), each cut one ending with a [`MORE`] entry that says
/// how many were left out. A value that cannot be JSON (a map with non-scalar keys) is a
/// string saying so.
pub fn window<T: Serialize + ?Sized>(value: &T, limit: usize) -> Value {
    let cut = Cut::default();
    Window { limit, cut: &cut }
        .child(value)
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

/// Where a container that stopped its own iteration leaves what it kept.
///
/// A container whose length is known needs nothing past its window: its note says how many
/// entries were left out from the length alone. It stops the value's iteration (the
/// `Serialize` impl's loop over its entries) the only way a serializer can, by failing the
/// next entry, after putting its value, finished, here. The error goes up to the
/// serializer's own code that asked for the container ([`Window::child`]), which takes the
/// value back and goes on: one cell serves a whole value, as a cut is taken back by its
/// parent before any other container can be cut.
#[derive(Default)]
struct Cut(Cell<Option<Value>>);

impl Cut {
    /// Leaves `value`, finished, and makes the error that stops its container's iteration.
    fn stop(&self, value: Value) -> Error {
        self.0.set(Some(value));
        ser::Error::custom("window full")
    }
}

/// The windowing serializer: scalars as `serde_json` makes them, containers cut.
#[derive(Clone, Copy)]
struct Window<'a> {
    limit: usize,
    cut: &'a Cut,
}

impl Window<'_> {
    /// `value` windowed, its container's value taken back when the container stopped its
    /// iteration ([`Cut`]).
    fn child<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
        value
            .serialize(self)
            .or_else(|e| self.cut.0.take().ok_or(e))
    }

    /// The entries past the window of a container of `len` entries (`None`: its length is
    /// not known before its end, so it is iterated to the end and counted).
    fn past(self, len: Option<usize>) -> Option<usize> {
        len.map(|len| len.saturating_sub(self.limit))
    }
}

/// Scalars are the same with or without a window: `serde_json`'s own value serializer.
macro_rules! scalars {
    ($($method:ident($type:ty)),* $(,)?) => {
        $(fn $method(self, v: $type) -> Result<Value, Error> {
            ValueSerializer.$method(v)
        })*
    };
}

impl<'a> Serializer for Window<'a> {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = Items<'a>;
    type SerializeTuple = Items<'a>;
    type SerializeTupleStruct = Items<'a>;
    type SerializeTupleVariant = Variant<Items<'a>>;
    type SerializeMap = Entries<'a>;
    type SerializeStruct = Entries<'a>;
    type SerializeStructVariant = Variant<Entries<'a>>;

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
        object.insert(variant.to_string(), self.child(value)?);
        Ok(Value::Object(object))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Items<'a>, Error> {
        Ok(Items::new(self, len))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Items<'a>, Error> {
        Ok(Items::new(self, None))
    }

    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Items<'a>, Error> {
        Ok(Items::new(self, None))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Variant<Items<'a>>, Error> {
        Ok(Variant {
            variant,
            inner: Items::new(self, None),
        })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Entries<'a>, Error> {
        Ok(Entries::new(self, len))
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Entries<'a>, Error> {
        Ok(Entries::new(self, None))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Variant<Entries<'a>>, Error> {
        Ok(Variant {
            variant,
            inner: Entries::new(self, None),
        })
    }
}

/// A sequence being windowed: the items kept, how many were seen, and how many are past
/// the window when the sequence said its length (it is then stopped there, [`Cut`]).
struct Items<'a> {
    window: Window<'a>,
    kept: Vec<Value>,
    seen: usize,
    past: Option<usize>,
}

impl<'a> Items<'a> {
    fn new(window: Window<'a>, len: Option<usize>) -> Self {
        Items {
            window,
            kept: Vec::new(),
            seen: 0,
            past: window.past(len),
        }
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if self.seen < self.window.limit {
            let value = self.window.child(value)?;
            self.keep(value);
        } else if let Some(past) = self.past {
            let kept = std::mem::take(&mut self.kept);
            return Err(self.window.cut.stop(Self::ended(kept, past)));
        }
        self.seen += 1;
        Ok(())
    }

    /// Keeps `value` (out of line, as [`Entries::keep`]).
    #[inline(never)]
    fn keep(&mut self, value: Value) {
        self.kept.push(value);
    }

    fn finish(self) -> Value {
        let past = self.seen.saturating_sub(self.window.limit);
        Self::ended(self.kept, past)
    }

    /// The items `kept`, with the note of the `past` ones left out, if any.
    fn ended(mut kept: Vec<Value>, past: usize) -> Value {
        if past > 0 {
            kept.push(more(past, "items"));
        }
        Value::Array(kept)
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
/// serialized (when it is kept), how many entries were seen, and how many are past the
/// window when the map said its length (it is then stopped there, [`Cut`]).
struct Entries<'a> {
    window: Window<'a>,
    kept: Map<String, Value>,
    key: Option<String>,
    seen: usize,
    past: Option<usize>,
}

impl<'a> Entries<'a> {
    fn new(window: Window<'a>, len: Option<usize>) -> Self {
        Entries {
            window,
            kept: Map::new(),
            key: None,
            seen: 0,
            past: window.past(len),
        }
    }

    fn keeps(&self) -> bool {
        self.seen < self.window.limit
    }

    fn insert<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<(), Error> {
        let value = self.window.child(value)?;
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

    fn finish(self) -> Value {
        let past = self.seen.saturating_sub(self.window.limit);
        Self::ended(self.kept, past)
    }

    /// The entries `kept`, with the note of the `past` ones left out, if any.
    fn ended(mut kept: Map<String, Value>, past: usize) -> Value {
        if past > 0 {
            kept.insert(MORE.into(), more(past, "entries"));
        }
        Value::Object(kept)
    }
}

impl ser::SerializeMap for Entries<'_> {
    type Ok = Value;
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = if self.keeps() {
            Some(map_key(key)?)
        } else if let Some(past) = self.past {
            let kept = std::mem::take(&mut self.kept);
            return Err(self.window.cut.stop(Self::ended(kept, past)));
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

impl ser::SerializeStruct for Entries<'_> {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if self.keeps() {
            let value = self.window.child(value)?;
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

impl ser::SerializeTupleVariant for Variant<Items<'_>> {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.inner.push(value)
    }

    fn end(self) -> Result<Value, Error> {
        Ok(Self::wrap(self.variant, self.inner.finish()))
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

    /// A map of `len` entries `k → 7` whose serialization counts the entries it reads, and
    /// whose length is known or not (a filter's iterator cannot tell it).
    struct Lazy<'a> {
        len: u32,
        read: &'a Cell<usize>,
        known: bool,
    }

    impl Serialize for Lazy<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let entries = (0..self.len).inspect(|_| self.read.set(self.read.get() + 1));
            match self.known {
                true => serializer.collect_map(entries.map(|k| (k, 7))),
                false => serializer.collect_map(entries.filter(|_| true).map(|k| (k, 7))),
            }
        }
    }

    #[test]
    fn a_container_of_known_length_is_not_read_past_its_window() {
        let read = Cell::new(0);
        let lazy = |known| Lazy {
            len: 1_000,
            read: &read,
            known,
        };
        let cut = json!({"0": 7, "1": 7, "2": 7, "…": "997 more entries not shown"});
        // Cut at the top, in a newtype variant, in a struct's field and in a sequence, each
        // followed by what comes after it.
        assert_eq!(window(&lazy(true), 3), cut);
        assert_eq!(read.replace(0), 4, "the window and the entry that stops it");
        #[derive(Serialize)]
        enum Wrapped<'a> {
            In(Lazy<'a>),
        }
        #[derive(Serialize)]
        struct Fields<'a> {
            a: Wrapped<'a>,
            b: Vec<Lazy<'a>>,
            c: u8,
        }
        let fields = Fields {
            a: Wrapped::In(lazy(true)),
            b: vec![lazy(true), lazy(false)],
            c: 5,
        };
        assert_eq!(
            window(&fields, 3),
            json!({"a": {"In": cut.clone()}, "b": [cut.clone(), cut], "c": 5})
        );
        assert_eq!(
            read.get(),
            4 + 4 + 1_000,
            "the unknown length read to its end"
        );
        let big = vec![0u8; 500];
        assert_eq!(window(&big, 500), whole(&big), "a full window is not cut");
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
