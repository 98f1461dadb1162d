//! Reading a typed value out of a [`Value`], naming the JSON path of the first error
//! (`$.items[0].quantity`).
//!
//! One deserializer does both: the path is built only when an error travels back up,
//! each object, array and enum variant on the way adding its segment. Every type read at
//! the boundary is thus instantiated once (a path-tracking wrapper around
//! `serde_json`'s own deserializer would instantiate each visitor twice), and reading
//! valid input costs no more than `serde_json::from_value`. The paths and messages are
//! those of `serde_path_to_error` over `serde_json`.

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};
use serde_json::{Map, Value};
use std::fmt;

/// Parses `value` as a `T`; on error, the JSON path of the offending value and what was
/// expected.
pub fn deserialize<T: DeserializeOwned>(value: &Value) -> Result<T, (String, String)> {
    T::deserialize(Node(value)).map_err(|error| (error.path(), error.0.message))
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

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Error::json(de::Error::invalid_type(unexpected, expected))
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Error::json(de::Error::invalid_value(unexpected, expected))
    }
}

/// What a JSON value is, in an "invalid type" error.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => number_unexpected(n),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

fn number_unexpected(n: &serde_json::Number) -> Unexpected<'static> {
    if let Some(u) = n.as_u64() {
        Unexpected::Unsigned(u)
    } else if let Some(i) = n.as_i64() {
        Unexpected::Signed(i)
    } else {
        Unexpected::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// A JSON value being read.
#[derive(Clone, Copy)]
struct Node<'de>(&'de Value);

impl<'de> Node<'de> {
    fn invalid_type<V: Visitor<'de>>(self, visitor: &V) -> Error {
        de::Error::invalid_type(unexpected(self.0), visitor)
    }
}

/// Visits the elements of `items`; an array longer than the visitor read is an error.
fn visit_array<'de, V: Visitor<'de>>(items: &'de [Value], visitor: V) -> Result<V::Value, Error> {
    let mut seq = Elements {
        items: items.iter(),
        index: 0,
    };
    let value = visitor.visit_seq(&mut seq)?;
    match seq.items.len() {
        0 => Ok(value),
        _ => Err(de::Error::invalid_length(
            items.len(),
            &"fewer elements in array",
        )),
    }
}

/// Visits the members of `object`; an object with members the visitor did not read is
/// an error.
fn visit_object<'de, V: Visitor<'de>>(
    object: &'de Map<String, Value>,
    visitor: V,
) -> Result<V::Value, Error> {
    let mut map = Members {
        members: object.iter(),
        current: None,
    };
    let value = visitor.visit_map(&mut map)?;
    match map.members.len() {
        0 => Ok(value),
        _ => Err(de::Error::invalid_length(
            object.len(),
            &"fewer elements in map",
        )),
    }
}

impl<'de> de::Deserializer<'de> for Node<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (None, Some(i)) => visitor.visit_i64(i),
                (None, None) => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visit_array(items, visitor),
            Value::Object(object) => visit_object(object, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
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
            Value::Object(object) => {
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
            Value::String(variant) => visitor.visit_enum(Variant {
                name: variant,
                content: None,
            }),
            other => Err(de::Error::invalid_type(unexpected(other), &"string or map")),
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
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_borrowed_str(s),
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
            Value::Null => visitor.visit_unit(),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visit_array(items, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(object) => visit_object(object, visitor),
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
    items: std::slice::Iter<'de, Value>,
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
            .map_err(|e| e.at(Segment::Index(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The members of an object being read.
struct Members<'de> {
    members: serde_json::map::Iter<'de>,
    current: Option<(&'de String, &'de Value)>,
}

impl<'de> MapAccess<'de> for Members<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.members.next() else {
            return Ok(None);
        };
        self.current = Some((key, value));
        seed.deserialize(BorrowedStrDeserializer::new(key))
            .map(Some)
            .map_err(|e: Error| e.at(Segment::Key(key.clone())))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.current.take() else {
            return Err(de::Error::custom("value is missing"));
        };
        seed.deserialize(Node(value))
            .map_err(|e| e.at(Segment::Key(key.clone())))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

/// An enum variant being read: `"name"` (unit) or `{"name": content}`.
struct Variant<'de> {
    name: &'de str,
    content: Option<&'de Value>,
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
    content: Option<&'de Value>,
}

impl<'de> Content<'de> {
    fn located(&self, error: Error) -> Error {
        error.at(Segment::Key(self.name.to_owned()))
    }

    /// The content of a variant that needs one, or what it was given instead.
    fn required(&self, expected: &'static str) -> Result<&'de Value, Error> {
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
            Value::Array(items) if items.is_empty() => visitor.visit_unit(),
            Value::Array(items) => visit_array(items, visitor),
            other => Err(de::Error::invalid_type(unexpected(other), &"tuple variant")),
        };
        read.map_err(|e| self.located(e))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let read = match self.required("struct variant")? {
            Value::Object(object) => visit_object(object, visitor),
            other => Err(de::Error::invalid_type(
                unexpected(other),
                &"struct variant",
            )),
        };
        read.map_err(|e| self.located(e))
    }
}

#[cfg(test)]
mod tests {
    use super::deserialize;
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
}
