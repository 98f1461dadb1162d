//! A bounded window of a large JSON value: what a page can show of a read model that grows
//! with every order without serializing, diffing and drawing all of it on every render.

use serde_json::{Map, Value};

/// The key (in objects) or the last item (in arrays) that says how much was left out.
pub const MORE: &str = "…";

/// `value` with every object and array cut to its first `limit` entries, each cut one
/// ending with a [`MORE`] entry that says how many were left out.
pub fn window(value: Value, limit: usize) -> Value {
    match value {
        Value::Object(map) => {
            let total = map.len();
            let mut kept: Map<String, Value> = map
                .into_iter()
                .take(limit)
                .map(|(k, v)| (k, window(v, limit)))
                .collect();
            if total > limit {
                kept.insert(MORE.into(), more(total - limit, "entries"));
            }
            Value::Object(kept)
        }
        Value::Array(items) => {
            let total = items.len();
            let mut kept: Vec<Value> = items
                .into_iter()
                .take(limit)
                .map(|v| window(v, limit))
                .collect();
            if total > limit {
                kept.push(more(total - limit, "items"));
            }
            Value::Array(kept)
        }
        scalar => scalar,
    }
}

fn more(left_out: usize, what: &str) -> Value {
    Value::String(format!("{left_out} more {what} not shown"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn big_containers_keep_their_first_entries_and_say_how_many_are_left_out() {
        let value = json!({"a": [1, 2, 3, 4], "b": {"x": 1, "y": 2, "z": 3}, "c": 5});
        assert_eq!(
            window(value.clone(), 2),
            json!({
                "a": [1, 2, "2 more items not shown"],
                "b": {"x": 1, "y": 2, "…": "1 more entries not shown"},
                "…": "1 more entries not shown"
            })
        );
        assert_eq!(
            window(value.clone(), 3)["a"],
            json!([1, 2, 3, "1 more items not shown"])
        );
        assert_eq!(window(value.clone(), 4), value, "small values are whole");
    }
}
