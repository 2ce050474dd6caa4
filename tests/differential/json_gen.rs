//! Random JSON documents for the reader's differential test, and ways to break them.

use proptest::prelude::*;
use proptest::sample::{select, Index};

/// JSON whitespace between tokens, often none.
fn gap() -> impl Strategy<Value = String> {
    prop::collection::vec(select(&[" ", "\t", "\n", "\r", "  "][..]), 0..3).prop_map(|v| v.concat())
}

/// Every JSON number form: sign, zero or digits, fraction, exponent with either letter and sign.
/// Magnitudes stay within `f64` (the out-of-range case has its own test).
fn number() -> impl Strategy<Value = String> {
    let integer = prop_oneof![Just("0".to_string()), "[1-9][0-9]{0,24}"];
    let exponent = ("[eE]", "[+-]?", "[0-9]{1,2}").prop_map(|(e, s, d)| format!("{e}{s}{d}"));
    (
        any::<bool>(),
        integer,
        prop::option::of("[0-9]{1,20}"),
        prop::option::of(exponent),
    )
        .prop_map(|(negative, integer, fraction, exponent)| {
            let sign = if negative { "-" } else { "" };
            let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
            format!("{sign}{integer}{fraction}{}", exponent.unwrap_or_default())
        })
}

/// `c` as `\uXXXX` escapes: one for the BMP, a surrogate pair above it.
fn unicode_escape(c: char, upper: bool) -> String {
    let mut units = [0u16; 2];
    c.encode_utf16(&mut units)
        .iter()
        .map(|unit| {
            if upper {
                format!("\\u{unit:04X}")
            } else {
                format!("\\u{unit:04x}")
            }
        })
        .collect()
}

/// A string literal mixing raw characters (any Unicode but `"`, `\` and controls), the short
/// escapes, and `\u` escapes of any character (surrogate pairs for the astral planes).
fn string_literal() -> impl Strategy<Value = String> {
    let raw = any::<char>()
        .prop_filter("needs an escape", |c| {
            !matches!(c, '"' | '\\') && u32::from(*c) >= 0x20
        })
        .prop_map(String::from);
    let short = select(&["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"][..])
        .prop_map(String::from);
    let escaped = (any::<char>(), any::<bool>()).prop_map(|(c, upper)| unicode_escape(c, upper));
    let piece = prop_oneof![4 => raw, 1 => short, 2 => escaped];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| format!("\"{}\"", pieces.concat()))
}

/// Member names: a few short ones (so keys repeat) or any string literal.
fn member_name() -> impl Strategy<Value = String> {
    prop_oneof![
        select(&["\"a\"", "\"id\"", "\"_links\"", "\"\\u0061\""][..]).prop_map(String::from),
        string_literal(),
    ]
}

/// A whole document: nested arrays and objects (possibly empty) of every scalar, with random
/// whitespace around every token.
pub fn document() -> impl Strategy<Value = String> {
    let scalar = prop_oneof![
        select(&["null", "true", "false"][..]).prop_map(String::from),
        number(),
        string_literal(),
    ];
    let value = scalar.prop_recursive(4, 48, 6, |inner| {
        let item = (gap(), inner.clone(), gap()).prop_map(|(a, v, b)| format!("{a}{v}{b}"));
        let member = (gap(), member_name(), gap(), gap(), inner, gap())
            .prop_map(|(a, k, b, c, v, d)| format!("{a}{k}{b}:{c}{v}{d}"));
        prop_oneof![
            (prop::collection::vec(item, 0..6), gap()).prop_map(|(items, g)| match items.len() {
                0 => format!("[{g}]"),
                _ => format!("[{}]", items.join(",")),
            }),
            (prop::collection::vec(member, 0..6), gap()).prop_map(|(members, g)| {
                match members.len() {
                    0 => format!("{{{g}}}"),
                    _ => format!("{{{}}}", members.join(",")),
                }
            }),
        ]
    });
    (gap(), value, gap()).prop_map(|(a, v, b)| format!("{a}{v}{b}"))
}

/// One way of breaking (or, by chance, not breaking) a valid document.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Cut the text at a character boundary.
    Truncate(Index),
    /// Insert a stray token at a character boundary.
    Insert(Index, &'static str),
    /// Remove one character.
    Delete(Index),
    /// Put a comma before one of the closing brackets (a trailing comma).
    TrailingComma(Index),
    /// Insert text right after one of the quotes, usually inside a string.
    InString(Index, &'static str),
}

const STRAY: &[&str] = &[
    ",", ":", "[", "]", "{", "}", "\"", "\\", "x", "\u{1}", "\u{7f}", "\n", "0", "-", ".", "e",
    "+", "\u{feff}", "//", "NaN", "'a'",
];
const IN_STRING: &[&str] = &[
    "\\x",
    "\\u12",
    "\\uzzzz",
    "\\U0041",
    "\\'",
    "\\ud83d",
    "\\ude00",
    "\\ud83d\\u0041",
    "\\ud83d\\ud83d",
    "\\ud83d\\ude00",
    "\u{0}",
    "\t",
    "\n",
    "\\u00e9",
];

pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), select(STRAY)).prop_map(|(i, s)| Mutation::Insert(i, s)),
        any::<Index>().prop_map(Mutation::Delete),
        any::<Index>().prop_map(Mutation::TrailingComma),
        (any::<Index>(), select(IN_STRING)).prop_map(|(i, s)| Mutation::InString(i, s)),
    ]
}

/// The byte offsets in `text` where `wanted` characters start (all boundaries for `None`).
fn offsets(text: &str, wanted: Option<&[char]>) -> Vec<usize> {
    let mut all: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| wanted.is_none_or(|w| w.contains(c)))
        .map(|(i, _)| i)
        .collect();
    if wanted.is_none() {
        all.push(text.len());
    }
    all
}

pub fn mutate(text: &str, mutation: &Mutation) -> String {
    let at = |index: &Index, wanted: Option<&[char]>| {
        let places = offsets(text, wanted);
        (!places.is_empty()).then(|| places[index.index(places.len())])
    };
    let mut out = text.to_string();
    match mutation {
        Mutation::Truncate(i) => out.truncate(at(i, None).unwrap_or(0)),
        Mutation::Insert(i, stray) => out.insert_str(at(i, None).unwrap_or(0), stray),
        Mutation::Delete(i) => {
            if let Some(p) = at(i, None).filter(|p| *p < text.len()) {
                out.remove(p);
            }
        }
        Mutation::TrailingComma(i) => {
            if let Some(p) = at(i, Some(&[']', '}'])) {
                out.insert(p, ',');
            }
        }
        Mutation::InString(i, piece) => {
            if let Some(p) = at(i, Some(&['"'])) {
                out.insert_str(p + 1, piece);
            }
        }
    }
    out
}
