//! The JSON writer (`write_string`, `ObjectWriter`) round-tripped through `serde_json`.

use proptest::prelude::*;
use serde_json::Value as Oracle;
use ucwa_presence::protocol::json::{self, write_string, ObjectWriter};

use crate::json::same_tree;
use crate::support::check;

fn quoted(text: &str) -> String {
    let mut out = String::new();
    write_string(&mut out, text);
    out
}

/// Any text, with control characters, quotes and backslashes made common.
fn text() -> impl Strategy<Value = String> {
    let tricky = prop::sample::select(
        &[
            '"', '\\', '\n', '\r', '\t', '\u{0}', '\u{1f}', '\u{7f}', '/',
        ][..],
    );
    let c = prop_oneof![2 => any::<char>(), 1 => tricky];
    prop::collection::vec(c, 0..12).prop_map(|chars| chars.into_iter().collect())
}

#[test]
fn strings_are_escaped_exactly_as_serde_json_escapes_them() {
    check(1000, text(), |s| {
        let ours = quoted(&s);
        let theirs = serde_json::to_string(&s).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&ours, &theirs);
        let back: String =
            serde_json::from_str(&ours).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, s);
        Ok(())
    });
}

/// One member handed to the writer.
#[derive(Debug, Clone)]
enum Member {
    String(String, String),
    Integer(String, u64),
    Strings(String, Vec<String>),
}

fn member() -> impl Strategy<Value = Member> {
    let key = prop_oneof![
        prop::sample::select(&["k", "duration", "Uris"][..]).prop_map(String::from),
        text()
    ];
    prop_oneof![
        (key.clone(), text()).prop_map(|(k, v)| Member::String(k, v)),
        (key.clone(), any::<u64>()).prop_map(|(k, n)| Member::Integer(k, n)),
        (key, prop::collection::vec(text(), 0..4)).prop_map(|(k, v)| Member::Strings(k, v)),
    ]
}

impl Member {
    fn write(&self, writer: ObjectWriter) -> ObjectWriter {
        match self {
            Member::String(k, v) => writer.string(k, v),
            Member::Integer(k, n) => writer.integer(k, *n),
            Member::Strings(k, v) => writer.strings(k, v),
        }
    }

    fn key(&self) -> &str {
        match self {
            Member::String(k, _) | Member::Integer(k, _) | Member::Strings(k, _) => k,
        }
    }

    fn oracle(&self) -> Oracle {
        match self {
            Member::String(_, v) => Oracle::from(v.as_str()),
            Member::Integer(_, n) => Oracle::from(*n),
            Member::Strings(_, v) => Oracle::from(v.clone()),
        }
    }
}

#[test]
fn objects_read_back_through_serde_json() {
    check(500, prop::collection::vec(member(), 0..6), |members| {
        let text = members
            .iter()
            .fold(ObjectWriter::new(), |w, m| m.write(w))
            .finish();
        let theirs: Oracle =
            serde_json::from_str(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        let object = theirs
            .as_object()
            .ok_or_else(|| TestCaseError::fail("not an object"))?;
        // serde_json keeps the last of repeated keys; the writer writes every member in order.
        for (i, m) in members.iter().enumerate() {
            if members[i + 1..].iter().all(|later| later.key() != m.key()) {
                prop_assert_eq!(object.get(m.key()), Some(&m.oracle()), "{}", text);
            }
        }
        // The reader sees every member, in the order written, each equal to what was given.
        let ours =
            json::parse(&text, "differential").map_err(|e| TestCaseError::fail(e.to_string()))?;
        let read = ours.as_object().unwrap_or_default();
        prop_assert_eq!(read.len(), members.len(), "{}", text);
        for ((key, value), m) in read.iter().zip(&members) {
            prop_assert_eq!(key.as_str(), m.key());
            same_tree(value, &m.oracle(), key).map_err(TestCaseError::fail)?;
        }
        Ok(())
    });
}
