//! Forgiving field deserialisers: a field of an unexpected JSON type becomes its default
//! instead of failing the whole resource (servers differ; a badge must still render).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::date::parse_ms_date;

/// A string, or `None` for `null`, numbers, objects, … and blank strings.
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) if !s.trim().is_empty() => Some(s),
        _ => None,
    })
}

/// A list of strings from a string (one item) or an array (non-strings skipped).
pub(crate) fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => vec![s],
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    })
}

/// A Microsoft JSON date (`"/Date(ms)/"`) or a plain number of milliseconds.
pub(crate) fn opt_ms_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => parse_ms_date(&s),
        Value::Number(n) => n.as_i64(),
        _ => None,
    })
}

/// Any resource type, or `None` when the value does not fit it.
pub(crate) fn opt_resource<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Ok(serde_json::from_value(Value::deserialize(d)?).ok())
}

/// Items of type `T` from a single object or an array; items that do not fit are skipped.
pub(crate) fn one_or_many<T: DeserializeOwned>(value: Option<&Value>) -> Vec<T> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| serde_json::from_value(v.clone()).ok())
            .collect(),
        Some(v @ Value::Object(_)) => serde_json::from_value(v.clone()).ok().into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Any resource type, or its default when the value does not fit it.
pub(crate) fn or_default<'de, D: Deserializer<'de>, T: DeserializeOwned + Default>(
    d: D,
) -> Result<T, D::Error> {
    Ok(serde_json::from_value(Value::deserialize(d)?).unwrap_or_default())
}
