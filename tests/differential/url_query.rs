//! The query and form helpers (`query_param`, `with_query`, `form_encode`,
//! `encode_component`, `percent_decode`) against `form_urlencoded` and `percent-encoding`:
//! they must read and write exactly what those crates read and write.

use proptest::prelude::*;
use proptest::sample::select;
use ucwa_presence::protocol::url::{
    encode_component, form_encode, percent_decode, query_param, with_query,
};

use crate::support::check;
use crate::url_resolve::{fragment, path_segments, plain_origin};

/// Raw query text: pairs with `+`, escapes (valid, broken, invalid UTF-8), bare names, empty
/// pieces, non-ASCII.
fn raw_component() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9._~-]{1,3}",
        2 => select(&["+", "%20", "%2B", "%26", "%3D", "%C3%A9", "%e2%82%ac", "%", "%4", "%zz", "%FF", "%C3", "é", "=", "ack", "timeout"][..])
            .prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..4).prop_map(|p| p.concat())
}

fn raw_query() -> impl Strategy<Value = String> {
    let pair = prop_oneof![
        3 => (raw_component(), raw_component()).prop_map(|(k, v)| format!("{k}={v}")),
        1 => raw_component(),
    ];
    prop::collection::vec(pair, 0..6).prop_map(|pairs| pairs.join("&"))
}

/// Names and values as the widget passes them: anything, `ack`-like names common.
fn plain_text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => select(&["ack", "timeout", "duration", "a b", "é", "x+y", "k=v&w"][..]).prop_map(String::from),
        3 => any::<String>(),
    ]
}

pub fn decoded_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

pub fn query_of(url: &str) -> &str {
    let no_fragment = url.split('#').next().unwrap_or("");
    no_fragment.split_once('?').map_or("", |(_, q)| q)
}

#[test]
fn query_param_reads_what_form_urlencoded_reads() {
    check(
        500,
        (raw_query(), prop_oneof![raw_component(), plain_text()]),
        |(query, probe)| {
            let url = format!("https://h/p?{query}#frag");
            let pairs = decoded_pairs(&query);
            let mut names: Vec<String> = pairs.iter().map(|(k, _)| k.clone()).collect();
            names.push(probe);
            for name in names {
                let expected = pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.clone());
                prop_assert_eq!(query_param(&url, &name), expected, "{} in {}", name, url);
            }
            Ok(())
        },
    );
}

#[test]
fn with_query_sets_one_pair_and_keeps_the_others_byte_for_byte() {
    let url = (
        prop_oneof![plain_origin(), Just(String::new())],
        path_segments(0..3),
        prop::option::of(raw_query()),
        prop::option::of(fragment()),
    );
    check(
        500,
        (url, plain_text(), plain_text()),
        |((origin, path, query, frag), key, value)| {
            let mut url = format!("{origin}/{path}");
            if let Some(q) = &query {
                url = format!("{url}?{q}");
            }
            if let Some(f) = &frag {
                url = format!("{url}#{f}");
            }
            let out = with_query(&url, &key, &value);

            // Everything but the query is untouched.
            let head = url.split(['?', '#']).next().unwrap_or("");
            prop_assert!(out.starts_with(&format!("{head}?")), "{}", out);
            prop_assert_eq!(out.split_once('#').map(|(_, f)| f), frag.as_deref());

            // Decoded, the pairs are the old ones with `key` set once, where it first stood.
            let old = decoded_pairs(query.as_deref().unwrap_or(""));
            let mut expected: Vec<(String, String)> = Vec::new();
            for (k, v) in &old {
                if *k != key {
                    expected.push((k.clone(), v.clone()));
                } else if !expected.iter().any(|(k, _)| *k == key) {
                    expected.push((key.clone(), value.clone()));
                }
            }
            if !old.iter().any(|(k, _)| *k == key) {
                expected.push((key.clone(), value.clone()));
            }
            prop_assert_eq!(decoded_pairs(query_of(&out)), expected, "{} → {}", url, out);

            // The other pairs keep their exact bytes (`ack` is never re-encoded).
            let raw = |q: &str| -> Vec<String> {
                q.split('&')
                    .filter(|p| !p.is_empty())
                    .filter(|p| decoded_pairs(p).first().is_none_or(|(k, _)| *k != key))
                    .map(String::from)
                    .collect()
            };
            prop_assert_eq!(raw(query_of(&out)), raw(query.as_deref().unwrap_or("")));
            Ok(())
        },
    );
}

#[test]
fn form_encode_writes_what_form_urlencoded_writes() {
    check(
        300,
        prop::collection::vec((plain_text(), plain_text()), 0..5),
        |pairs| {
            let borrowed: Vec<(&str, &str)> = pairs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let expected = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&borrowed)
                .finish();
            prop_assert_eq!(form_encode(&borrowed), expected);
            Ok(())
        },
    );
}

/// RFC 3986 unreserved characters stay; everything else is escaped.
const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[test]
fn encode_component_writes_what_percent_encoding_writes() {
    check(500, plain_text(), |text| {
        let expected = percent_encoding::utf8_percent_encode(&text, COMPONENT).to_string();
        prop_assert_eq!(encode_component(&text), expected);
        Ok(())
    });
}

#[test]
fn percent_decode_reads_what_percent_encoding_reads() {
    check(
        500,
        prop_oneof![raw_component(), raw_query(), any::<String>()],
        |text| {
            let expected = percent_encoding::percent_decode_str(&text)
                .decode_utf8_lossy()
                .into_owned();
            prop_assert_eq!(percent_decode(&text), expected);
            Ok(())
        },
    );
}
