//! Reading a typed value out of JSON, naming the JSON path of the first error
//! (`$.items[0].quantity`).
//!
//! One deserializer does both: the path is built only when an error travels back up,
//! each object, array and enum variant on the way adding its segment. It reads a [`Tree`]:
//! a JSON document whose strings are borrowed from the text it was read from (or from a
//! [`Value`]), so a long journal's text becomes typed entries without the allocations of
//! a `Value` (a map per object, a string per key and per string). Every type read at the
//! boundary is thus instantiated once (a path-tracking wrapper around `serde_json`'s own
//! deserializer would instantiate each visitor twice, and a second deserializer from text
//! a copy of every domain's types). The paths and messages are those of
//! `serde_path_to_error` over `serde_json`.

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};
use serde::{Deserialize, Deserializer};
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::fmt;

/// Parses `value` as a `T`; on error, the JSON path of the offending value and what was
/// expected.
pub fn deserialize<T: DeserializeOwned>(value: &Value) -> Result<T, (String, String)> {
    from_tree(&Tree::of(value))
}

/// Parses `tree` as a `T`; on error, the JSON path of the offending value and what was
/// expected.
pub fn from_tree<'t, T: Deserialize<'t>>(tree: &'t Tree<'t>) -> Result<T, (String, String)> {
    T::deserialize(Node(tree)).map_err(|error| (error.path(), error.0.message))
}

/// A JSON document as read, its strings borrowed where they have no escapes. Object
/// members keep their order (a [`Value`]'s, or the text's).
#[derive(Clone, Debug, PartialEq)]
pub enum Tree<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Tree<'a>>),
    /// An object's members, in order.
    Object(Vec<(Cow<'a, str>, Tree<'a>)>),
}

impl<'a> Tree<'a> {
    /// The tree of `value`, borrowing its strings.
    pub fn of(value: &'a Value) -> Self {
        match value {
            Value::Null => Tree::Null,
            Value::Bool(b) => Tree::Bool(*b),
            Value::Number(n) => Tree::Number(n.clone()),
            Value::String(s) => Tree::String(Cow::Borrowed(s)),
            Value::Array(items) => Tree::Array(items.iter().map(Tree::of).collect()),
            Value::Object(object) => Tree::Object(
                object
                    .iter()
                    .map(|(key, value)| (Cow::Borrowed(key.as_str()), Tree::of(value)))
                    .collect(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Tree<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

/// Builds a [`Tree`] from any JSON deserializer (`serde_json`'s, over text).
struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Tree<'de>, E> {
        Ok(Tree::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Tree<'de>, E> {
        Ok(Tree::Number(i.into()))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Tree<'de>, E> {
        Ok(Tree::Number(u.into()))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Tree<'de>, E> {
        Ok(Number::from_f64(f).map_or(Tree::Null, Tree::Number))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Tree<'de>, E> {
        Ok(Tree::String(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Tree<'de>, E> {
        Ok(Tree::String(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Tree<'de>, E> {
        Ok(Tree::String(Cow::Owned(s)))
    }

    fn visit_unit<E>(self) -> Result<Tree<'de>, E> {
        Ok(Tree::Null)
    }

    fn visit_none<E>(self) -> Result<Tree<'de>, E> {
        Ok(Tree::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Tree<'de>, D::Error> {
        Tree::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Tree::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree<'de>, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(Key(key)) = map.next_key()? {
            members.push((key, map.next_value()?));
        }
        Ok(Tree::Object(members))
    }
}

/// An object's key, borrowed from the text when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(s)))
    }
}

/// A deserialization error and the path segments it has crossed, innermost first (boxed,
/// as `serde_json` boxes its own: every visitor returns it, a small `Result` is less code).
#[derive(Debug)]
struct Error(Box<Located>);

/// What went wrong, and where.
#[derive(Debug)]
struct Located {
    segments: Vec<Segment>,
    message: String,
}

/// One step of a JSON path.
#[derive(Debug)]
enum Segment {
    /// An array element.
    Index(usize),
    /// An object member, or an enum variant's content.
    Key(String),
}

impl Error {
    /// The error, seen from one level up.
    fn at(mut self, segment: Segment) -> Self {
        self.0.segments.push(segment);
        self
    }

    /// The error, seen from the array around it (out of line, not generic: every reader of
    /// an element calls it, so it is compiled once instead of into each of them).
    #[cold]
    #[inline(never)]
    fn at_index(self, index: usize) -> Self {
        self.at(Segment::Index(index))
    }

    /// The error, seen from the object member `key` (out of line, as [`Error::at_index`]).
    #[cold]
    #[inline(never)]
    fn at_key(self, key: &str) -> Self {
        self.at(Segment::Key(key.to_owned()))
    }

    /// An array or object with `len` elements or members, more than its reader read
    /// (out of line, as [`Error::at_index`]).
    #[cold]
    #[inline(never)]
    fn too_long(len: usize, expected: &'static str) -> Self {
        de::Error::invalid_length(len, &expected)
    }

    /// `$` followed by the segments, outermost first.
    fn path(&self) -> String {
        let mut path = String::from("$");
        for segment in self.0.segments.iter().rev() {
            match segment {
                Segment::Index(index) => path.push_str(&format!("[{index}]")),
                Segment::Key(key) => {
                    path.push('.');
                    path.push_str(key);
                }
            }
        }
        path
    }

    /// An error worded as `serde_json` words it (`null`, not `unit value`).
    fn json(error: serde_json::Error) -> Self {
        de::Error::custom(error)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<M: fmt::Display>(message: M) -> Self {
        Error(Box::new(Located {
            segments: Vec::new(),
            message: message.to_string(),
        }))
    }

    // Out of line, as `Error::at_index`: every visitor's refusals call these.
    #[cold]
    #[inline(never)]
    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Error::json(de::Error::invalid_type(unexpected, expected))
    }

    #[cold]
    #[inline(never)]
    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Error::json(de::Error::invalid_value(unexpected, expected))
    }
}

/// What a JSON value is, in an "invalid type" error.
fn unexpected<'a>(value: &'a Tree<'_>) -> Unexpected<'a> {
    match value {
        Tree::Null => Unexpected::Unit,
        Tree::Bool(b) => Unexpected::Bool(*b),
        Tree::Number(n) => number_unexpected(n),
        Tree::String(s) => Unexpected::Str(s),
        Tree::Array(_) => Unexpected::Seq,
        Tree::Object(_) => Unexpected::Map,
    }
}

fn number_unexpected(n: &Number) -> Unexpected<'static> {
    if let Some(u) = n.as_u64() {
        Unexpected::Unsigned(u)
    } else if let Some(i) = n.as_i64() {
        Unexpected::Signed(i)
    } else {
        Unexpected::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// An object's member: its key and value.
type Member<'a> = (Cow<'a, str>, Tree<'a>);

/// A JSON value being read.
#[derive(Clone, Copy)]
struct Node<'de>(&'de Tree<'de>);

impl<'de> Node<'de> {
    fn invalid_type<V: Visitor<'de>>(self, visitor: &V) -> Error {
        mismatch(self.0, visitor)
    }
}

/// `value` is not what `expected` reads (out of line, as `Error::at_index`).
#[cold]
#[inline(never)]
fn mismatch(value: &Tree<'_>, expected: &dyn de::Expected) -> Error {
    de::Error::invalid_type(unexpected(value), expected)
}

/// Visits the elements of `items`; an array longer than the visitor read is an error.
fn visit_array<'de, V: Visitor<'de>>(
    items: &'de [Tree<'de>],
    visitor: V,
) -> Result<V::Value, Error> {
    let mut seq = Elements {
        items: items.iter(),
        index: 0,
    };
    let value = visitor.visit_seq(&mut seq)?;
    match seq.items.len() {
        0 => Ok(value),
        _ => Err(Error::too_long(items.len(), "fewer elements in array")),
    }
}

/// Visits the members of `object`; an object with members the visitor did not read is
/// an error.
fn visit_object<'de, V: Visitor<'de>>(
    object: &'de [Member<'de>],
    visitor: V,
) -> Result<V::Value, Error> {
    let mut map = Members {
        members: object.iter(),
        current: None,
    };
    let value = visitor.visit_map(&mut map)?;
    match map.members.len() {
        0 => Ok(value),
        _ => Err(Error::too_long(object.len(), "fewer elements in map")),
    }
}

impl<'de> de::Deserializer<'de> for Node<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Tree::Null => visitor.visit_unit(),
            Tree::Bool(b) => visitor.visit_bool(*b),
            Tree::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (None, Some(i)) => visitor.visit_i64(i),
                (None, None) => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Tree::String(s) => visitor.visit_borrowed_str(s),
            Tree::Array(items) => visit_array(items, visitor),
            Tree::Object(object) => visit_object(object, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Tree::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Tree::Object(object) => {
                let mut members = object.iter();
                match (members.next(), members.next()) {
                    (Some((variant, content)), None) => visitor.visit_enum(Variant {
                        name: variant,
                        content: Some(content),
                    }),
                    _ => Err(de::Error::invalid_value(
                        Unexpected::Map,
                        &"map with a single key",
                    )),
                }
            }
            Tree::String(variant) => visitor.visit_enum(Variant {
                name: variant,
                content: None,
            }),
            other => Err(mismatch(other, &"string or map")),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Tree::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Tree::String(s) => visitor.visit_borrowed_str(s),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Tree::Null => visitor.visit_unit(),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Tree::Array(items) => visit_array(items, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Tree::Object(object) => visit_object(object, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
        unit_struct tuple tuple_struct struct
    }
}

/// The elements of an array being read.
struct Elements<'de> {
    items: std::slice::Iter<'de, Tree<'de>>,
    index: usize,
}

impl<'de> SeqAccess<'de> for Elements<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(Node(item))
            .map(Some)
            .map_err(|e| e.at_index(index))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The members of an object being read.
struct Members<'de> {
    members: std::slice::Iter<'de, Member<'de>>,
    current: Option<&'de Member<'de>>,
}

impl<'de> MapAccess<'de> for Members<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(member) = self.members.next() else {
            return Ok(None);
        };
        self.current = Some(member);
        let key: &'de str = &member.0;
        seed.deserialize(BorrowedStrDeserializer::new(key))
            .map(Some)
            .map_err(|e: Error| e.at_key(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.current.take() else {
            return Err(de::Error::custom("value is missing"));
        };
        seed.deserialize(Node(value)).map_err(|e| e.at_key(key))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

/// An enum variant being read: `"name"` (unit) or `{"name": content}`.
struct Variant<'de> {
    name: &'de str,
    content: Option<&'de Tree<'de>>,
}

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = Error;
    type Variant = Content<'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Content<'de>), Error> {
        let variant = seed.deserialize(BorrowedStrDeserializer::new(self.name))?;
        let content = Content {
            name: self.name,
            content: self.content,
        };
        Ok((variant, content))
    }
}

/// The content of an enum variant; its errors are at the variant's name.
struct Content<'de> {
    name: &'de str,
    content: Option<&'de Tree<'de>>,
}

impl<'de> Content<'de> {
    fn located(&self, error: Error) -> Error {
        error.at_key(self.name)
    }

    /// The content of a variant that needs one, or what it was given instead.
    fn required(&self, expected: &'static str) -> Result<&'de Tree<'de>, Error> {
        self.content.ok_or_else(|| {
            let error = de::Error::invalid_type(Unexpected::UnitVariant, &expected);
            self.located(error)
        })
    }
}

impl<'de> VariantAccess<'de> for Content<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.content {
            Some(value) => de::Deserialize::deserialize(Node(value)).map_err(|e| self.located(e)),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        let value = self.required("newtype variant")?;
        seed.deserialize(Node(value)).map_err(|e| self.located(e))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        let read = match self.required("tuple variant")? {
            Tree::Array(items) if items.is_empty() => visitor.visit_unit(),
            Tree::Array(items) => visit_array(items, visitor),
            other => Err(mismatch(other, &"tuple variant")),
        };
        read.map_err(|e| self.located(e))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let read = match self.required("struct variant")? {
            Tree::Object(object) => visit_object(object, visitor),
            other => Err(mismatch(other, &"struct variant")),
        };
        read.map_err(|e| self.located(e))
    }
}

#[cfg(test)]
mod tests {
    use super::{deserialize, from_tree, Tree};
    use crate::ids::Id;
    use crate::scenario::Scenario;
    use serde::de::DeserializeOwned;
    use serde::Deserialize;
    use serde_json::{json, Value};
    use std::collections::BTreeMap;

    /// A type with every shape the domains use.
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)] // read only through `Deserialize`
    enum Shape {
        Unit,
        Newtype(Qty),
        Tuple(u8, String),
        Struct {
            name: String,
            items: Vec<Item>,
            note: Option<String>,
            prices: BTreeMap<String, u64>,
            #[serde(default)]
            id: Option<Id>,
            either: Either,
            tagged: Tagged,
            ratio: f64,
            flag: bool,
        },
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Qty(u32);

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        sku: String,
        quantity: i16,
    }

    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    #[allow(dead_code)]
    enum Either {
        Number(u8),
        Text(String),
    }

    #[derive(Debug, Deserialize)]
    #[serde(tag = "type", rename_all = "snake_case")]
    #[allow(dead_code)]
    enum Tagged {
        Open { by: String },
        Closed,
    }

    fn sample() -> Value {
        json!({"Struct": {
            "name": "n",
            "items": [{"sku": "a", "quantity": 1}, {"sku": "b", "quantity": -2}],
            "note": null,
            "prices": {"a": 1, "b": 2},
            "id": "00000000000000ff",
            "either": 3,
            "tagged": {"type": "open", "by": "x"},
            "ratio": 0.5,
            "flag": true
        }})
    }

    /// The path and message of an error, if any.
    type Outcome = Option<(String, String)>;

    /// Our path and message, and those of `serde_path_to_error` over `serde_json`.
    fn both<T: DeserializeOwned>(value: &Value) -> (Outcome, Outcome) {
        let ours = deserialize::<T>(value).err();
        let reference = serde_path_to_error::deserialize::<_, T>(value)
            .err()
            .map(|e| (reference_path(e.path()), e.inner().to_string()));
        (ours, reference)
    }

    /// A `serde_path_to_error` path written as the boundary writes paths.
    fn reference_path(path: &serde_path_to_error::Path) -> String {
        use serde_path_to_error::Segment;
        let mut out = String::from("$");
        for segment in path.iter() {
            match segment {
                Segment::Seq { index } => out.push_str(&format!("[{index}]")),
                Segment::Map { key } | Segment::Enum { variant: key } => {
                    out.push('.');
                    out.push_str(key);
                }
                Segment::Unknown => out.push_str(".?"),
            }
        }
        out
    }

    /// Every value reachable from `value` replaced in turn by each of `replacements`,
    /// every object member removed, and an unknown member added to every object.
    fn mutants(value: &Value) -> Vec<Value> {
        let replacements = [
            json!(null),
            json!(true),
            json!(-7),
            json!(300),
            json!(1.5),
            json!("zz"),
            json!([]),
            json!([1, "a"]),
            json!({}),
            json!({"Unit": null}),
            json!({"a": 1, "b": 2}),
        ];
        let mut out: Vec<Value> = replacements.to_vec();
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    for mutant in mutants(item) {
                        let mut copy = items.clone();
                        copy[i] = mutant;
                        out.push(Value::Array(copy));
                    }
                }
                let mut longer = items.clone();
                longer.push(json!(0));
                out.push(Value::Array(longer));
            }
            Value::Object(object) => {
                for (key, member) in object {
                    for mutant in mutants(member) {
                        let mut copy = object.clone();
                        copy.insert(key.clone(), mutant);
                        out.push(Value::Object(copy));
                    }
                    let mut without = object.clone();
                    without.remove(key);
                    out.push(Value::Object(without));
                }
                let mut wider = object.clone();
                wider.insert("unknown".into(), json!(1));
                out.push(Value::Object(wider));
            }
            _ => {}
        }
        out
    }

    fn same_as_reference<T: DeserializeOwned>(valid: &Value) -> usize {
        let mut errors = 0;
        for input in std::iter::once(valid.clone()).chain(mutants(valid)) {
            let (ours, reference) = both::<T>(&input);
            assert_eq!(ours, reference, "for {input}");
            let text = input.to_string();
            let tree: Tree = serde_json::from_str(&text).unwrap();
            assert_eq!(
                from_tree::<T>(&tree).err(),
                ours,
                "read from the text {text}"
            );
            errors += usize::from(ours.is_some());
        }
        errors
    }

    #[test]
    fn paths_and_messages_are_those_of_serde_path_to_error() {
        assert!(deserialize::<Shape>(&sample()).is_ok());
        assert!(same_as_reference::<Shape>(&sample()) > 100);
        for other in [
            json!("Unit"),
            json!({"Newtype": 3}),
            json!({"Tuple": [1, "x"]}),
            json!({"Struct": []}),
            json!("Newtype"),
            json!({"Unit": 1}),
        ] {
            same_as_reference::<Shape>(&other);
        }
    }

    #[test]
    fn scenario_paths_are_those_of_serde_path_to_error() {
        let scenario = json!({
            "format": "decider-lab/scenario", "version": 1.1, "domain": "counter", "title": "t",
            "given": [{"stream": "c-1", "events": [{"Added": {"amount": 1}}]}],
            "steps": [{"command": {"Add": {"amount": 2}}, "expect": {"events": []}}],
            "then": {"view": {"total": 3}}
        });
        assert!(same_as_reference::<Scenario>(&scenario) > 50);
    }

    #[test]
    fn a_nested_error_names_its_path() {
        let mut value = sample();
        value["Struct"]["items"][1]["quantity"] = json!("many");
        let (path, message) = deserialize::<Shape>(&value).unwrap_err();
        assert_eq!(path, "$.Struct.items[1].quantity");
        assert_eq!(message, "invalid type: string \"many\", expected i16");
    }

    #[test]
    fn a_tree_read_from_text_borrows_its_plain_strings_and_equals_the_values() {
        let text = r#"{"plain": "abc", "escaped": "a\"b\u00e9", "n": [1, -2, 2.5, 18446744073709551615], "t": true, "z": null}"#;
        let tree: Tree = serde_json::from_str(text).unwrap();
        let value: Value = serde_json::from_str(text).unwrap();
        let Tree::Object(members) = &tree else {
            panic!("an object: {tree:?}");
        };
        let strings: Vec<_> = members
            .iter()
            .filter_map(|(key, value)| match value {
                Tree::String(s) => Some((key.as_ref(), s)),
                _ => None,
            })
            .collect();
        assert!(matches!(
            strings[0],
            ("plain", std::borrow::Cow::Borrowed("abc"))
        ));
        assert!(matches!(strings[1], ("escaped", std::borrow::Cow::Owned(s)) if s == "a\"b\u{e9}"));
        let mut sorted = members.clone();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(Tree::Object(sorted), Tree::of(&value), "the same document");
    }
}
