//! The JSON reader (`protocol::json::parse`) against `serde_json`.
//!
//! Both must accept the same documents and read the same tree; objects compare by key (the
//! reader keeps duplicate members, `get` returns the last, as serde_json keeps only the last),
//! numbers by what serde_json reads from the reader's kept text and by `as_i64`/`as_u64`.
//!
//! One deliberate difference: the reader keeps a number's text and never converts it, so it
//! accepts numbers of any magnitude, where serde_json rejects one beyond `f64` (`1e400`) with
//! "number out of range". [`read_both`] allows exactly that and nothing else.

use std::cell::Cell;

use proptest::prelude::*;
use serde_json::Value as Oracle;
use ucwa_presence::protocol::json::{self, Value, MAX_DEPTH};

use crate::json_gen::{document, mutate, mutation};
use crate::support::{check, fixtures_starting_with, protocol_sources, raw_string_literals};

/// How both parsers treated one input, once they agreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Both read it, to the same tree.
    Accepted,
    /// Both refused it.
    Rejected,
    /// The reader kept a number serde_json cannot hold in an `f64` (the documented leniency).
    AcceptedHugeNumber,
}

/// Reads `text` with both parsers; `Err` says how they disagree.
fn read_both(text: &str) -> Result<Verdict, String> {
    match (
        json::parse(text, "differential"),
        serde_json::from_str::<Oracle>(text),
    ) {
        (Ok(ours), Ok(theirs)) => same_tree(&ours, &theirs, "$").map(|()| Verdict::Accepted),
        (Err(_), Err(_)) => Ok(Verdict::Rejected),
        (Ok(ours), Err(e)) if e.to_string().starts_with("number out of range") => {
            if has_huge_number(&ours) {
                Ok(Verdict::AcceptedHugeNumber)
            } else {
                Err(format!(
                    "serde_json: {e}, but the reader holds no number beyond f64"
                ))
            }
        }
        (Ok(ours), Err(e)) => Err(format!(
            "serde_json rejects ({e}); the reader read {ours:?}"
        )),
        (Err(e), Ok(theirs)) => Err(format!(
            "the reader rejects ({e}); serde_json read {theirs}"
        )),
    }
}

fn has_huge_number(value: &Value) -> bool {
    match value {
        Value::Number(text) => text.parse::<f64>().is_ok_and(f64::is_infinite),
        Value::Array(items) => items.iter().any(has_huge_number),
        Value::Object(members) => members.iter().any(|(_, v)| has_huge_number(v)),
        _ => false,
    }
}

/// `Ok` when `ours` and `theirs` hold the same data; `Err` names the first difference by path.
pub fn same_tree(ours: &Value, theirs: &Oracle, path: &str) -> Result<(), String> {
    match (ours, theirs) {
        (Value::Null, Oracle::Null) => Ok(()),
        (Value::Bool(a), Oracle::Bool(b)) if a == b => Ok(()),
        (Value::String(a), Oracle::String(b)) if a == b => Ok(()),
        (Value::Number(text), Oracle::Number(number)) => same_number(text, number, path),
        (Value::Array(a), Oracle::Array(b)) => {
            if a.len() != b.len() {
                return Err(format!("{path}: {} items, serde_json {}", a.len(), b.len()));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .try_for_each(|(i, (x, y))| same_tree(x, y, &format!("{path}[{i}]")))
        }
        (Value::Object(members), Oracle::Object(map)) => {
            let mut keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            let mut oracle_keys: Vec<&str> = map.keys().map(String::as_str).collect();
            oracle_keys.sort_unstable();
            if keys != oracle_keys {
                return Err(format!("{path}: keys {keys:?}, serde_json {oracle_keys:?}"));
            }
            keys.iter()
                .try_for_each(|key| match (ours.get(key), map.get(*key)) {
                    (Some(x), Some(y)) => same_tree(x, y, &format!("{path}.{key}")),
                    _ => Err(format!("{path}.{key}: missing on one side")),
                })
        }
        _ => Err(format!("{path}: {ours:?}, serde_json {theirs}")),
    }
}

fn same_number(text: &str, number: &serde_json::Number, path: &str) -> Result<(), String> {
    let reread: serde_json::Number = serde_json::from_str(text)
        .map_err(|e| format!("{path}: serde_json cannot read the kept text {text:?}: {e}"))?;
    let ours = Value::Number(text.to_string());
    let integers = (ours.as_i64(), ours.as_u64());
    if reread != *number || integers != (number.as_i64(), number.as_u64()) {
        return Err(format!(
            "{path}: kept {text:?} reads as {reread} {integers:?}, serde_json has {number} {:?}",
            (number.as_i64(), number.as_u64())
        ));
    }
    Ok(())
}

#[test]
fn seed_samples_read_the_same() {
    let samples = fixtures_starting_with("json-");
    let mut counts = (0, 0);
    for (name, text) in &samples {
        let verdict = read_both(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        // `.json` samples are real documents; `.txt` ones are the pages' broken excerpts.
        let expected = if name.ends_with(".json") {
            counts.0 += 1;
            Verdict::Accepted
        } else {
            counts.1 += 1;
            Verdict::Rejected
        };
        assert_eq!(verdict, expected, "{name}");
    }
    assert_eq!(counts, (10, 2), "{samples:?}");
}

/// Every raw string literal in `src/protocol/` that starts like JSON (the bodies its unit tests
/// feed the reader, valid and broken) is read alike by both parsers.
#[test]
fn protocol_test_literals_read_the_same() {
    let mut verdicts = Vec::new();
    for (file, source) in protocol_sources() {
        for literal in raw_string_literals(&source) {
            if !literal.trim_start().starts_with(['{', '[']) {
                continue;
            }
            match read_both(literal) {
                Ok(verdict) => verdicts.push(verdict),
                Err(e) => panic!("{file}: {literal:?}: {e}"),
            }
        }
    }
    let accepted = verdicts.iter().filter(|v| **v == Verdict::Accepted).count();
    // The literals found are many and mostly valid, so a broken scan would fail here.
    assert!(verdicts.len() >= 40 && accepted >= 30, "{verdicts:?}");
}

#[test]
fn random_documents_read_the_same() {
    check(600, document(), |text| {
        match read_both(&text) {
            Ok(Verdict::Accepted) => Ok(()),
            Ok(other) => Err(format!("{other:?}")),
            Err(e) => Err(e),
        }
        .map_err(TestCaseError::fail)
    });
}

#[test]
fn mutated_documents_are_rejected_alike() {
    let rejected = Cell::new(0u32);
    let total = Cell::new(0u32);
    check(1500, (document(), mutation()), |(text, mutation)| {
        let mutant = mutate(&text, &mutation);
        let verdict = read_both(&mutant).map_err(TestCaseError::fail)?;
        total.set(total.get() + 1);
        if verdict == Verdict::Rejected {
            rejected.set(rejected.get() + 1);
        }
        Ok(())
    });
    // Most mutations must break the document, or this would not test rejection at all.
    assert!(
        rejected.get() * 2 > total.get(),
        "{} of {}",
        rejected.get(),
        total.get()
    );
}

#[test]
fn hand_picked_edge_cases_read_the_same() {
    let accepted = [
        "-0",
        "-0.0",
        "0e0",
        "1E+2",
        "1e-400",
        "[-0]",
        "\"\\u0000\"",
        "\"\u{7f}\"",
        "\"\\uD800\\uDC00\"",
        "\"\\udbff\\udfff\"",
        "\"\\/\"",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "{\"a\":1,\"a\":2}",
        " \r\n\t[] \r\n\t",
        "\"\u{10ffff}\"",
    ];
    let rejected = [
        "",
        " ",
        "\u{feff}{}",
        "[1,]",
        "{,}",
        "{\"a\":1,}",
        "[,1]",
        "01",
        "1.e1",
        ".1",
        "+1",
        "1e",
        "-",
        "\"\\uDC00\"",
        "\"\\uD800\"",
        "\"\\uD800\\u0041\"",
        "\"\\uD800\\uD800\"",
        "\"\\uD800x\"",
        "\"\u{1f}\"",
        "\"\\a\"",
        "[1]]",
        "{}{}",
        "nul",
        "True",
        "[\u{a0}1]",
        "{\"a\" 1}",
        "{1:2}",
        "\"a",
        "[\"\\u00\"]",
    ];
    for text in accepted {
        assert_eq!(read_both(text), Ok(Verdict::Accepted), "{text:?}");
    }
    for text in rejected {
        assert_eq!(read_both(text), Ok(Verdict::Rejected), "{text:?}");
    }
}

#[test]
fn nesting_limit_is_serde_jsons() {
    for depth in 1..=MAX_DEPTH + 3 {
        let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let objects = format!("{}1{}", "{\"k\":".repeat(depth), "}".repeat(depth));
        let mixed = format!(
            "{}0{}",
            "[{\"k\":".repeat(depth / 2),
            "}]".repeat(depth / 2)
        );
        for text in [arrays, objects, mixed] {
            let verdict = read_both(&text).unwrap_or_else(|e| panic!("depth {depth}: {e}"));
            let nesting = if text.starts_with("[{") {
                depth / 2 * 2
            } else {
                depth
            };
            let expected = if nesting <= MAX_DEPTH {
                Verdict::Accepted
            } else {
                Verdict::Rejected
            };
            assert_eq!(verdict, expected, "depth {nesting}: {text}");
        }
    }
}

/// The one leniency: a number beyond `f64` is kept as text, where serde_json gives up.
#[test]
fn numbers_beyond_f64_are_kept_where_serde_json_refuses() {
    check(
        200,
        ("-?[1-9][0-9]{0,3}", "[eE]\\+?", 309u32..100_000),
        |(mantissa, e, exp)| {
            let text = format!("[{mantissa}{e}{exp}]");
            prop_assert_eq!(read_both(&text), Ok(Verdict::AcceptedHugeNumber));
            let ours = json::parse(&text, "differential")
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let kept = ours.as_array().and_then(|items| items.first()).cloned();
            prop_assert_eq!(kept, Some(Value::Number(format!("{mantissa}{e}{exp}"))));
            Ok(())
        },
    );
}
