//! What the fuzz targets share: the JSON oracle (serde_json), the checks every UCWA body parser
//! must pass, and the HTTP fuzzer's request model ([`http`]).

pub mod http;

use serde_json::Value as Oracle;
use ucwa_presence::protocol::json::{self, Value};

/// The input as text: parsers take `&str`; invalid UTF-8 never reaches them (the client's
/// `Response::text()` has replaced it already).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// The reader's tree as serde_json holds it: objects keep the last of repeated members, numbers
/// read from their kept text. `None` when serde_json cannot read a kept number (a reader bug,
/// unless the number is beyond `f64`: see [`beyond_f64`]).
pub fn as_oracle(value: &Value) -> Option<Oracle> {
    Some(match value {
        Value::Null => Oracle::Null,
        Value::Bool(b) => Oracle::Bool(*b),
        Value::Number(text) => Oracle::Number(serde_json::from_str(text).ok()?),
        Value::String(s) => Oracle::String(s.clone()),
        Value::Array(items) => Oracle::Array(items.iter().map(as_oracle).collect::<Option<_>>()?),
        Value::Object(members) => {
            let mut map = serde_json::Map::new();
            for (key, member) in members {
                map.insert(key.clone(), as_oracle(member)?);
            }
            Oracle::Object(map)
        }
    })
}

/// Whether `value` holds a number `f64` cannot represent (`1e400`): the reader keeps its text,
/// serde_json refuses it ("number out of range"), the one difference the reader means to have.
pub fn beyond_f64(value: &Value) -> bool {
    match value {
        Value::Number(text) => text.parse::<f64>().is_ok_and(f64::is_infinite),
        Value::Array(items) => items.iter().any(beyond_f64),
        Value::Object(members) => members.iter().any(|(_, v)| beyond_f64(v)),
        _ => false,
    }
}

/// Panics unless the reader and serde_json agree on `text`: both refuse it, or both read the
/// same tree (numbers and integer accessors included), or the reader keeps a number beyond `f64`.
pub fn assert_json_agrees(text: &str) {
    let ours = json::parse(text, "fuzz");
    let theirs = serde_json::from_str::<Oracle>(text);
    match (&ours, &theirs) {
        (Ok(ours), Ok(theirs)) => {
            let mine = as_oracle(ours).unwrap_or_else(|| panic!("unreadable number in {ours:?}"));
            assert_eq!(
                &mine, theirs,
                "the reader and serde_json read {text:?} differently"
            );
            assert_integers_agree(ours, theirs);
        }
        (Err(_), Err(_)) => {}
        (Ok(ours), Err(e)) => assert!(
            e.to_string().starts_with("number out of range") && beyond_f64(ours),
            "serde_json refuses {text:?} ({e}); the reader read {ours:?}"
        ),
        (Err(e), Ok(theirs)) => panic!("the reader refuses {text:?} ({e}); serde_json: {theirs}"),
    }
}

/// `as_i64`/`as_u64` of every number equal serde_json's.
fn assert_integers_agree(ours: &Value, theirs: &Oracle) {
    match (ours, theirs) {
        (Value::Number(_), Oracle::Number(n)) => assert_eq!(
            (ours.as_i64(), ours.as_u64()),
            (n.as_i64(), n.as_u64()),
            "integer accessors of {ours:?}"
        ),
        (Value::Array(a), Oracle::Array(b)) => {
            a.iter()
                .zip(b)
                .for_each(|(x, y)| assert_integers_agree(x, y));
        }
        (Value::Object(_), Oracle::Object(map)) => {
            for (key, member) in map {
                if let Some(mine) = ours.get(key) {
                    assert_integers_agree(mine, member);
                }
            }
        }
        _ => {}
    }
}

/// Every string (and member name) in `value` reads back unchanged after `write_string`.
pub fn assert_strings_round_trip(value: &Value) {
    let check = |s: &str| {
        let mut out = String::new();
        json::write_string(&mut out, s);
        match json::parse(&out, "fuzz") {
            Ok(Value::String(back)) => assert_eq!(back, s, "write_string wrote {out:?}"),
            other => panic!("write_string({s:?}) gave {out:?}, read back as {other:?}"),
        }
    };
    match value {
        Value::String(s) => check(s),
        Value::Array(items) => items.iter().for_each(assert_strings_round_trip),
        Value::Object(members) => {
            for (key, member) in members {
                check(key);
                assert_strings_round_trip(member);
            }
        }
        _ => {}
    }
}

/// Whether `body` is JSON holding an object: the one condition under which the UCWA resource
/// parsers may fail (`FromJson::parse`).
pub fn is_json_object(body: &str) -> bool {
    json::parse(body, "fuzz").is_ok_and(|v| v.is_object())
}
