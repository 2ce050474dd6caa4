//! A small JSON reader and writer, just enough for UCWA bodies, so the widget needs no serde.
//!
//! [`parse`] turns a document into an owned [`Value`]; it never panics, limits nesting to
//! [`MAX_DEPTH`] and rejects anything RFC 8259 does not allow. Numbers keep their JSON text, so
//! reading one never pulls in float parsing or formatting. [`ObjectWriter`] builds the few request
//! bodies the widget sends.

mod parse;
mod write;

pub use parse::{parse, MAX_DEPTH};
pub use write::{write_string, ObjectWriter};

/// A parsed JSON value. Objects keep their members in document order, duplicates included.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number as its JSON text (`-12`, `3.5e2`), already checked against the grammar.
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object; the last one wins if the key repeats. `None` for
    /// non-objects.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The members of an object, in document order.
    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The number as an `i64`, if it is an integer in range (no fraction, no exponent; `-0`
    /// counts as a float, as serde_json has it).
    pub fn as_i64(&self) -> Option<i64> {
        self.integer_text()?.parse().ok()
    }

    /// The number as a `u64`, if it is a non-negative integer in range.
    pub fn as_u64(&self) -> Option<u64> {
        self.integer_text()?.parse().ok()
    }

    /// The text of an integer number: digits with an optional minus, but not `-0`.
    fn integer_text(&self) -> Option<&str> {
        let Value::Number(text) = self else {
            return None;
        };
        let integer = !text.contains(['.', 'e', 'E']) && text != "-0";
        integer.then_some(text.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessors_match_the_variant() {
        let v = parse(
            r#"{"s":"x","n":5,"a":[1],"b":true,"z":null,"o":{}}"#,
            "test",
        )
        .unwrap();
        assert_eq!(v.get("s").and_then(Value::as_str), Some("x"));
        assert_eq!(v.get("n").and_then(Value::as_i64), Some(5));
        assert_eq!(
            v.get("a").and_then(Value::as_array).map(<[Value]>::len),
            Some(1)
        );
        assert_eq!(v.get("b").and_then(Value::as_bool), Some(true));
        assert!(v.get("z").is_some_and(Value::is_null));
        assert!(v.get("o").is_some_and(Value::is_object));
        assert_eq!(v.get("missing"), None);
        assert_eq!(v.get("s").and_then(Value::as_i64), None);
        assert_eq!(v.get("n").and_then(Value::as_str), None);
        assert_eq!(v.get("s").and_then(|s| s.get("s")), None);
        assert_eq!(Value::Array(vec![]).get("0"), None);
    }

    #[test]
    fn last_duplicate_key_wins() {
        let v = parse(r#"{"k":1,"k":2}"#, "test").unwrap();
        assert_eq!(v.get("k").and_then(Value::as_i64), Some(2));
        assert_eq!(v.as_object().map(<[_]>::len), Some(2));
    }

    #[test]
    fn integers_only_when_exact() {
        let n = |t: &str| Value::Number(t.to_string());
        assert_eq!(n("0").as_i64(), Some(0));
        assert_eq!(n("-42").as_i64(), Some(-42));
        assert_eq!(n("-42").as_u64(), None);
        assert_eq!(n("28800").as_u64(), Some(28800));
        assert_eq!(n("9223372036854775807").as_i64(), Some(i64::MAX));
        assert_eq!(n("9223372036854775808").as_i64(), None);
        assert_eq!(n("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(n("18446744073709551616").as_u64(), None);
        assert_eq!(n("1.0").as_i64(), None);
        assert_eq!(n("1e3").as_u64(), None);
        assert_eq!(n("1E3").as_u64(), None);
        assert_eq!(n("-0").as_i64(), None);
        assert_eq!(Value::String("5".into()).as_i64(), None);
    }
}
