//! Reading resources from JSON forgivingly: a field of an unexpected JSON type becomes its
//! default instead of failing the whole resource (servers differ; a badge must still render).

use super::date::parse_ms_date;
use super::error::ProtocolError;
use super::json::{self, Value};

/// A UCWA resource read from a JSON object.
pub trait FromJson: Sized {
    /// What the resource is called in errors (`"contact"`, `"application"`, …).
    const WHAT: &'static str;

    /// The resource from a JSON value: unknown members are ignored, missing or wrong-typed ones
    /// take their defaults. Never fails; a value that is not an object gives the default.
    fn from_json(value: &Value) -> Self;

    /// Parses a response body. Fails only when it is not JSON or not a JSON object.
    fn parse(body: &str) -> Result<Self, ProtocolError> {
        parse_object(body, Self::WHAT).map(|value| Self::from_json(&value))
    }
}

/// Parses `body` as JSON that must be an object; `what` names it in errors.
pub(crate) fn parse_object(body: &str, what: &'static str) -> Result<Value, ProtocolError> {
    let value = json::parse(body, what)?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(ProtocolError::new(what, "not a JSON object"))
    }
}

/// A string member, or `None` for `null`, numbers, objects, … and blank strings.
pub(crate) fn opt_string(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
}

/// A list of strings from a string member (one item) or an array (non-strings skipped).
pub(crate) fn string_list(value: &Value, key: &str) -> Vec<String> {
    match value.get(key) {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// A Microsoft JSON date member (`"/Date(ms)/"`) or a plain integer of milliseconds.
pub(crate) fn opt_ms_date(value: &Value, key: &str) -> Option<i64> {
    match value.get(key)? {
        Value::String(s) => parse_ms_date(s),
        number => number.as_i64(),
    }
}

/// A member holding a resource, or `None` when it is absent or not an object.
pub(crate) fn opt_resource<T: FromJson>(value: &Value, key: &str) -> Option<T> {
    value.get(key).filter(|v| v.is_object()).map(T::from_json)
}

/// Resources from a single object or an array of them; items that are not objects are skipped.
pub(crate) fn one_or_many<T: FromJson>(value: Option<&Value>) -> Vec<T> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter(|v| v.is_object())
            .map(T::from_json)
            .collect(),
        Some(v @ Value::Object(_)) => vec![T::from_json(v)],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Named(Option<String>);

    impl FromJson for Named {
        const WHAT: &'static str = "named";
        fn from_json(value: &Value) -> Self {
            Named(opt_string(value, "name"))
        }
    }

    fn doc(text: &str) -> Value {
        json::parse(text, "test").unwrap()
    }

    #[test]
    fn parse_needs_an_object() {
        assert_eq!(Named::parse(r#"{"name":"x"}"#), Ok(Named(Some("x".into()))));
        for bad in ["3", "[]", "null", "\"s\"", "", "{"] {
            let e = Named::parse(bad).unwrap_err();
            assert_eq!(e.what, "named", "{bad}");
        }
        assert_eq!(Named::from_json(&Value::Null), Named(None));
    }

    #[test]
    fn strings_lists_and_dates() {
        let v = doc(
            r#"{"a":" x ","b":"  ","c":1,"d":null,"l1":"one","l2":["a",1,null,"b"],"l3":{},
                       "t1":"/Date(5)/","t2":12,"t3":1.5,"t4":"soon","t5":true}"#,
        );
        assert_eq!(opt_string(&v, "a").as_deref(), Some(" x "));
        for key in ["b", "c", "d", "missing"] {
            assert_eq!(opt_string(&v, key), None, "{key}");
        }
        assert_eq!(string_list(&v, "l1"), ["one"]);
        assert_eq!(string_list(&v, "l2"), ["a", "b"]);
        assert!(string_list(&v, "l3").is_empty());
        assert!(string_list(&v, "missing").is_empty());
        assert_eq!(opt_ms_date(&v, "t1"), Some(5));
        assert_eq!(opt_ms_date(&v, "t2"), Some(12));
        for key in ["t3", "t4", "t5", "missing"] {
            assert_eq!(opt_ms_date(&v, key), None, "{key}");
        }
    }

    #[test]
    fn nested_resources_only_from_objects() {
        let v = doc(r#"{"o":{"name":"n"},"s":"x","z":null,"a":[{"name":"1"},2,[],{"name":"3"}]}"#);
        assert_eq!(
            opt_resource::<Named>(&v, "o"),
            Some(Named(Some("n".into())))
        );
        assert_eq!(opt_resource::<Named>(&v, "s"), None);
        assert_eq!(opt_resource::<Named>(&v, "z"), None);
        assert_eq!(
            one_or_many::<Named>(v.get("a")),
            [Named(Some("1".into())), Named(Some("3".into()))]
        );
        assert_eq!(one_or_many::<Named>(v.get("o")).len(), 1);
        assert!(one_or_many::<Named>(v.get("s")).is_empty());
        assert!(one_or_many::<Named>(None).is_empty());
    }
}
