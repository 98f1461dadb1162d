//! Reading a JSON Schema as schemars 1.x writes it for serde types: `$ref`s into `$defs`,
//! the shape of each node, the variants of an externally tagged enum, and a default value
//! for every shape.

use serde_json::{Map, Value};

/// How many `$ref`s or nested levels are followed before giving up (a guard against
/// recursive types; no domain message nests this deep).
const MAX_DEPTH: usize = 32;

/// Follows `$ref`s (`#/$defs/Name`) until a schema that is not a reference.
pub fn resolve<'s>(schema: &'s Value, defs: &'s Value) -> &'s Value {
    let mut node = schema;
    for _ in 0..MAX_DEPTH {
        let target = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
            .and_then(|name| defs.get(name));
        match target {
            Some(target) => node = target,
            None => break,
        }
    }
    node
}

/// The doc comment of a schema: its own (a field's), else its reference target's (a
/// type's).
pub fn description<'s>(schema: &'s Value, defs: &'s Value) -> Option<&'s str> {
    schema
        .get("description")
        .or_else(|| resolve(schema, defs).get("description"))
        .and_then(Value::as_str)
}

/// One variant of an enum in serde's externally tagged form.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant<'s> {
    /// Its name (the tag).
    pub name: &'s str,
    /// The schema of its payload; `None` for a unit variant (written as a plain string).
    pub payload: Option<&'s Value>,
    /// Its doc comment.
    pub description: Option<&'s str>,
}

impl Variant<'_> {
    /// The variant with a default payload: `"name"` or `{"name": <default>}`.
    pub fn default_value(&self, defs: &Value) -> Value {
        default_of(&Shape::Choice(vec![self.clone()]), defs)
    }
}

/// Inclusive bounds of a numeric field, from `minimum`/`maximum` or else from its
/// `format` (`uint32`, `int64`, …).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Bounds {
    /// The smallest value accepted.
    pub min: Option<i128>,
    /// The largest value accepted.
    pub max: Option<i128>,
}

/// What a schema node is, as far as a form is concerned.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape<'s> {
    /// An object with named fields.
    Object {
        /// Each field's name and schema: the required ones in declaration order, then
        /// the optional ones by name.
        properties: Vec<(&'s str, &'s Value)>,
        /// The names of the fields that must be present.
        required: Vec<&'s str>,
    },
    /// A list.
    Array {
        /// The schema of every item.
        items: &'s Value,
        /// The fewest items accepted.
        min_items: usize,
    },
    /// A string.
    Text,
    /// An integer.
    Integer(Bounds),
    /// A number with a fraction.
    Number(Bounds),
    /// `true` or `false`.
    Boolean,
    /// Exactly this value.
    Const(&'s Value),
    /// One of several variants (a string `enum`, or a `oneOf` of tagged variants).
    Choice(Vec<Variant<'s>>),
    /// `null` or the inner shape (an `Option`).
    Optional(Box<Shape<'s>>),
    /// Anything this form does not know how to edit (edited as raw JSON instead).
    Any,
}

/// The shape of `schema`, its `$ref`s followed.
pub fn shape<'s>(schema: &'s Value, defs: &'s Value) -> Shape<'s> {
    let node = resolve(schema, defs);
    if let Some(value) = node.get("const") {
        return Shape::Const(value);
    }
    if let Some(options) = node.get("enum").and_then(Value::as_array) {
        return Shape::Choice(
            options
                .iter()
                .filter_map(Value::as_str)
                .map(|name| Variant {
                    name,
                    payload: None,
                    description: None,
                })
                .collect(),
        );
    }
    if let Some(options) = node.get("oneOf").and_then(Value::as_array) {
        return Shape::Choice(options.iter().filter_map(|v| variant(v, defs)).collect());
    }
    if let Some(options) = node.get("anyOf").and_then(Value::as_array) {
        let is_null =
            |s: &Value| resolve(s, defs).get("type").and_then(Value::as_str) == Some("null");
        let inner: Vec<&Value> = options.iter().filter(|s| !is_null(s)).collect();
        return match (inner.as_slice(), inner.len() < options.len()) {
            ([one], true) => Shape::Optional(Box::new(shape(one, defs))),
            ([one], false) => shape(one, defs),
            _ => Shape::Any,
        };
    }
    let types: Vec<&str> = match node.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let concrete: Vec<&str> = types.iter().copied().filter(|t| *t != "null").collect();
    let inner = match concrete.as_slice() {
        [t] => typed(node, t),
        _ => Shape::Any,
    };
    if concrete.len() < types.len() {
        Shape::Optional(Box::new(inner))
    } else {
        inner
    }
}

/// The shape of `node` read as JSON type `kind`.
fn typed<'s>(node: &'s Value, kind: &str) -> Shape<'s> {
    match kind {
        "object" => {
            let required: Vec<&str> = node
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut properties: Vec<(&str, &Value)> = node
                .get("properties")
                .and_then(Value::as_object)
                .map(|p| p.iter().map(|(k, v)| (k.as_str(), v)).collect())
                .unwrap_or_default();
            // `required` keeps the fields' declaration order (the map of properties is
            // sorted by name): required fields in that order, then the optional ones (by
            // name: the names are unique, so an unstable sort, smaller in the wasm, gives the
            // stable order).
            properties.sort_unstable_by_key(|&(name, _)| {
                let rank = required.iter().position(|r| *r == name);
                (rank.unwrap_or(usize::MAX), name)
            });
            Shape::Object {
                properties,
                required,
            }
        }
        "array" => match node.get("items") {
            Some(items) => Shape::Array {
                items,
                min_items: node
                    .get("minItems")
                    .and_then(Value::as_u64)
                    .map_or(0, |n| n as usize),
            },
            None => Shape::Any,
        },
        "string" => Shape::Text,
        "integer" => Shape::Integer(bounds(node)),
        "number" => Shape::Number(bounds(node)),
        "boolean" => Shape::Boolean,
        _ => Shape::Any,
    }
}

/// A `oneOf` entry as a variant: a `const` string (unit variant) or an object with a
/// single required property (the tag) whose schema is the payload.
fn variant<'s>(schema: &'s Value, defs: &'s Value) -> Option<Variant<'s>> {
    let node = resolve(schema, defs);
    let description = description(schema, defs);
    if let Some(name) = node.get("const").and_then(Value::as_str) {
        return Some(Variant {
            name,
            payload: None,
            description,
        });
    }
    if let Some([Value::String(name)]) = node
        .get("enum")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        return Some(Variant {
            name,
            payload: None,
            description,
        });
    }
    let [Value::String(name)] = node.get("required")?.as_array()?.as_slice() else {
        return None;
    };
    Some(Variant {
        name,
        payload: Some(node.get("properties")?.get(name)?),
        description,
    })
}

/// The bounds of a numeric node.
fn bounds(node: &Value) -> Bounds {
    let number = |key: &str| node.get(key).and_then(as_i128);
    let (format_min, format_max) = match node.get("format").and_then(Value::as_str) {
        Some("uint8") => (Some(0), Some(u8::MAX.into())),
        Some("uint16") => (Some(0), Some(u16::MAX.into())),
        Some("uint32") => (Some(0), Some(u32::MAX.into())),
        Some("uint64" | "uint") => (Some(0), Some(u64::MAX.into())),
        Some("int8") => (Some(i8::MIN.into()), Some(i8::MAX.into())),
        Some("int16") => (Some(i16::MIN.into()), Some(i16::MAX.into())),
        Some("int32") => (Some(i32::MIN.into()), Some(i32::MAX.into())),
        Some("int64" | "int") => (Some(i64::MIN.into()), Some(i64::MAX.into())),
        _ => (None, None),
    };
    Bounds {
        min: number("minimum")
            .or_else(|| number("exclusiveMinimum").map(|n| n + 1))
            .or(format_min),
        max: number("maximum")
            .or_else(|| number("exclusiveMaximum").map(|n| n - 1))
            .or(format_max),
    }
}

/// A JSON number as an integer (a fraction rounded towards zero).
fn as_i128(value: &Value) -> Option<i128> {
    value
        .as_i64()
        .map(i128::from)
        .or_else(|| value.as_u64().map(i128::from))
        .or_else(|| value.as_f64().map(|f| f as i128))
}

/// An integer as a JSON number (saturating to the `u64`/`i64` range).
fn integer_value(n: i128) -> Value {
    match (i64::try_from(n), u64::try_from(n)) {
        (Ok(n), _) => n.into(),
        (_, Ok(n)) => n.into(),
        _ if n < 0 => i64::MIN.into(),
        _ => u64::MAX.into(),
    }
}

/// A valid-looking value for `schema`: the first variant of an enum, the minimum of an
/// integer, an empty string or list, every field of an object, `null` for an optional.
pub fn default_value(schema: &Value, defs: &Value) -> Value {
    default_at(&shape(schema, defs), defs, 0)
}

/// The default of a shape already read.
pub fn default_of(shape: &Shape, defs: &Value) -> Value {
    default_at(shape, defs, 0)
}

fn default_at(node: &Shape, defs: &Value, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    let deeper = |schema: &Value| default_at(&shape(schema, defs), defs, depth + 1);
    match node {
        Shape::Object { properties, .. } => {
            // Extended, not collected (collecting a map compiles a sort per iterator type).
            let mut map = Map::new();
            map.extend(
                properties
                    .iter()
                    .map(|(name, schema)| (name.to_string(), deeper(schema))),
            );
            Value::Object(map)
        }
        Shape::Array { items, min_items } => Value::Array(vec![deeper(items); *min_items]),
        Shape::Text => Value::String(String::new()),
        Shape::Integer(b) | Shape::Number(b) => {
            let floor = b.min.map_or(0, |min| min.max(0));
            integer_value(b.max.map_or(floor, |max| floor.min(max)))
        }
        Shape::Boolean => Value::Bool(false),
        Shape::Const(value) => (*value).clone(),
        Shape::Choice(variants) => variants.first().map_or(Value::Null, |v| match v.payload {
            None => Value::String(v.name.to_string()),
            Some(payload) => tagged(v.name, deeper(payload)),
        }),
        Shape::Optional(_) | Shape::Any => Value::Null,
    }
}

/// `payload` wrapped in the tags of a dotted variant path: `order.place_order` gives
/// `{"order": {"place_order": payload}}`; the empty path gives `payload` itself.
pub fn tagged(path: &str, payload: Value) -> Value {
    tags(path).rev().fold(payload, |inner, tag| {
        let mut map = Map::new();
        map.insert(tag.to_string(), inner);
        Value::Object(map)
    })
}

/// The payload inside the tags of a dotted variant path (`None` when `value` has other
/// tags).
pub fn untagged<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    tags(path).try_fold(value, |inner, tag| inner.get(tag))
}

/// The tags of a dotted variant path, outermost first.
fn tags(path: &str) -> impl DoubleEndedIterator<Item = &str> {
    path.split('.').filter(|tag| !tag.is_empty())
}

/// The variant at a dotted variant path (`order.place_order`) of an enum nested in an
/// enum, as the boundary's command names spell it.
pub fn variant_at<'s>(schema: &'s Value, defs: &'s Value, name: &str) -> Option<Variant<'s>> {
    let mut node = schema;
    let mut found = None;
    for tag in name.split('.') {
        let Shape::Choice(variants) = shape(node, defs) else {
            return None;
        };
        let variant = variants.into_iter().find(|v| v.name == tag)?;
        node = variant.payload.unwrap_or(&Value::Null);
        found = Some(variant);
    }
    found
}
