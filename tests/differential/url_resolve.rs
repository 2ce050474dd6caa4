//! The URL helpers (`protocol::url`) against the `url`, `form_urlencoded` and
//! `percent-encoding` crates, the WHATWG URL standard browsers follow.
//!
//! `origin_of` decides which URLs get the bearer token, so it must name the origin the browser
//! will actually connect to: it is compared with `url` on generated authorities full of the
//! characters that trip parsers (`@`, `\`, `:`, ports with leading zeros or out of range).
//! `resolve` is compared character for character where RFC 3986 (which it implements) and
//! WHATWG agree, and as the same parsed URL everywhere else. The query and form helpers must
//! match the `form_urlencoded` reading and writing exactly.
//!
//! Deliberate differences, each asserted below:
//! * `resolve` returns an absolute href as it was given (trimmed): no case folding, no dot
//!   removal; the browser normalises it when it is fetched.
//! * `resolve` keeps a base's empty path empty (`http://h` + `?q` is `http://h?q`; WHATWG writes
//!   `http://h/?q`); both name the same resource.
//! * `origin_of` wants `scheme://` and a host; WHATWG also reads `http:h`, `http:/h`,
//!   `http:\\h` and `http:///h`, and decodes `%` escapes in a host. Refusing those only
//!   withholds the token. A non-ASCII host is kept as written (browsers use its `xn--` form),
//!   so one spelling still names one origin; the generators make ASCII hosts.

use proptest::prelude::*;
use proptest::sample::select;
use ucwa_presence::protocol::url::{origin_of, path_and_query, query_param, resolve, with_query};
use url::{Position, Url};

use crate::support::{check, fixture, fixtures_starting_with};
use crate::url_query::{decoded_pairs, query_of};

// ---- generators -------------------------------------------------------------------------

fn host() -> impl Strategy<Value = String> {
    let label = "[a-zA-Z][a-zA-Z0-9]{0,5}";
    prop_oneof![
        6 => prop::collection::vec(label, 1..4).prop_map(|labels| labels.join(".")),
        1 => select(&["[::1]", "[2001:db8::7]", "127.0.0.1", "localhost"][..]).prop_map(String::from),
    ]
}

/// A port as written: often absent, sometimes the scheme's default, with leading zeros, empty,
/// or beyond 65535.
fn port() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => Just(":".to_string()),
        2 => select(&["80", "443", "8080", "4443"][..]).prop_map(|p| format!(":{p}")),
        1 => (0u32..70_000).prop_map(|p| format!(":{p}")),
        1 => ("0{1,3}", select(&["80", "443", "8090"][..])).prop_map(|(z, p)| format!(":{z}{p}")),
    ]
}

/// `user[:password]@`, sometimes with the characters that make authorities ambiguous.
fn userinfo() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => "[a-z]{1,4}(:[a-z0-9]{0,4})?@",
        1 => "[a-z]{1,3}[@:%]{1,2}[a-z]{0,3}@",
    ]
}

/// A path of segments including `.`, `..`, empty ones and every character WHATWG leaves as
/// it is in a path (RFC 3986 `pchar` without `%`, plus a few complete escapes).
///
/// No segment looks like a Windows drive (`C:`): url 2.5 refuses to remove one with a following
/// `..` in any scheme, where WHATWG has that rule for `file:` only.
pub fn path_segments(count: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        4 => "[a-zA-Z0-9._~!$&()*+,;=:@-]{1,6}".prop_filter("a drive letter", |s| {
            !(s.len() == 2 && s.as_bytes()[0].is_ascii_alphabetic() && s.ends_with(':'))
        }),
        2 => select(&[".", "..", "", "%20", "%C3%A9", "ucwa", "v1"][..]).prop_map(String::from),
    ];
    prop::collection::vec(segment, count).prop_map(|segments| segments.join("/"))
}

fn query() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9=&._~!$()*+,;:@/?-]{0,10}"
}

pub fn fragment() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9=&._~!$()*+,;:@/?'-]{0,6}"
}

/// `?query` and `#fragment`, each present or not.
fn tail() -> impl Strategy<Value = String> {
    (prop::option::of(query()), prop::option::of(fragment())).prop_map(|(q, f)| {
        let q = q.map(|q| format!("?{q}")).unwrap_or_default();
        let f = f.map(|f| format!("#{f}")).unwrap_or_default();
        format!("{q}{f}")
    })
}

/// `scheme://host[:port]` in lowercase, without a default port: what `url` writes unchanged.
pub fn plain_origin() -> impl Strategy<Value = String> {
    let host = prop::collection::vec("[a-z][a-z0-9]{0,5}", 1..4).prop_map(|l| l.join("."));
    let port = prop::option::of(prop_oneof![Just(8090u16), 1024u16..]);
    (select(&["http", "https"][..]), host, port).prop_map(|(scheme, host, port)| match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    })
}

/// A base URL as a page or a server hands it out: a normalised path (no dot segments).
fn base() -> impl Strategy<Value = String> {
    let path = prop::collection::vec("[a-zA-Z0-9_~!$&()*+,;=:@-]{0,6}", 1..5)
        .prop_map(|segments| format!("/{}", segments.join("/")));
    (plain_origin(), path, tail()).prop_map(|(origin, path, tail)| format!("{origin}{path}{tail}"))
}

/// Every form of reference RFC 3986 §4.2 and §5.4 list, dot segments included.
fn reference() -> impl Strategy<Value = String> {
    prop_oneof![
        // network-path: //host/path
        1 => (plain_origin(), path_segments(0..4), tail()).prop_map(|(o, p, t)| {
            let authority = o.split_once("://").map_or(o.as_str(), |(_, a)| a).to_string();
            format!("//{authority}/{p}{t}")
        }),
        // absolute-path: /a/b
        2 => (path_segments(0..5), tail())
            .prop_filter("a network path", |(p, _)| !p.starts_with('/'))
            .prop_map(|(p, t)| format!("/{p}{t}")),
        // relative-path: a/b, ./a, ../a (a first segment with a colon would be a scheme)
        3 => (path_segments(1..5), tail())
            .prop_filter("a scheme or a path from the root", |(p, _)| {
                !p.starts_with('/') && !p.split('/').next().unwrap_or("").contains(':')
            })
            .prop_map(|(p, t)| format!("{p}{t}")),
        // ?query, #fragment, empty
        1 => tail(),
        // absolute, already normalised
        1 => (plain_origin(), path_segments(0..3), tail())
            .prop_filter("dot segments", |(_, p, _)| p.split('/').all(|s| s != "." && s != ".."))
            .prop_map(|(o, p, t)| format!("{o}/{p}{t}")),
    ]
}

/// What `url` makes of `href` against `base`.
fn oracle_join(base: &str, href: &str) -> Result<Url, TestCaseError> {
    let base = Url::parse(base).map_err(|e| TestCaseError::fail(format!("base {base}: {e}")))?;
    base.join(href)
        .map_err(|e| TestCaseError::fail(format!("join {href}: {e}")))
}

// ---- resolve ------------------------------------------------------------------------------

#[test]
fn resolve_writes_what_url_writes() {
    check(800, (base(), reference()), |(base, href)| {
        let expected = oracle_join(&base, &href)?;
        prop_assert_eq!(
            resolve(&base, &href),
            expected.as_str(),
            "{} + {}",
            base,
            href
        );
        Ok(())
    });
}

/// Looser inputs (case, default ports, no path, spaces around, dot segments in an absolute
/// href) resolve to what `url` resolves to, once both are parsed.
#[test]
fn resolve_names_the_url_that_url_names() {
    let base = (
        select(&["http", "HTTPS", "https"][..]),
        host(),
        port(),
        prop::option::of(path_segments(0..4)),
        tail(),
    )
        .prop_map(|(s, h, p, path, t)| match path {
            Some(path) => format!("{s}://{h}{p}/{path}{t}"),
            None => format!("{s}://{h}{p}{t}"),
        })
        .prop_filter("url refuses it", |b| Url::parse(b).is_ok());
    let href = prop_oneof![
        4 => reference(),
        1 => (plain_origin(), path_segments(0..4), tail()).prop_map(|(o, p, t)| format!("{}/{p}{t}", o.to_uppercase())),
    ];
    check(
        500,
        (base, href, select(&["", " ", "  "][..])),
        |(base, href, pad)| {
            let padded = format!("{pad}{href}{pad}");
            let ours = resolve(&base, &padded);
            let reparsed =
                Url::parse(&ours).map_err(|e| TestCaseError::fail(format!("{ours}: {e}")))?;
            prop_assert_eq!(
                reparsed,
                oracle_join(&base, &href)?,
                "{} + {:?} gave {}",
                base,
                padded,
                ours
            );
            Ok(())
        },
    );
}

#[test]
fn absolute_hrefs_come_back_as_given() {
    check(
        200,
        (base(), plain_origin(), path_segments(0..5), tail()),
        |(base, origin, path, tail)| {
            let href = format!("{}/{path}{tail}", origin.to_uppercase());
            prop_assert_eq!(resolve(&base, &format!(" {href}\n")), href);
            Ok(())
        },
    );
}

#[test]
fn an_empty_base_path_stays_empty() {
    check(300, (plain_origin(), tail()), |(origin, tail)| {
        let ours = resolve(&origin, &tail);
        let expected = oracle_join(&origin, &tail)?;
        // url always writes a path: `http://h/?q`; resolve keeps the base's `http://h?q`.
        prop_assert_eq!(ours.clone(), origin.clone() + &tail);
        prop_assert_eq!(format!("{origin}/{tail}"), expected.as_str());
        Ok(())
    });
}

// ---- origin_of ----------------------------------------------------------------------------

/// Absolute URLs with tricky authorities and anything after them, as a server could send.
fn absolute_url() -> impl Strategy<Value = String> {
    let after = prop_oneof![
        3 => (path_segments(0..3), tail()).prop_map(|(p, t)| format!("/{p}{t}")),
        1 => tail(),
        1 => "[\\\\/?#@:]{1,3}[a-z.]{0,6}",
    ];
    let url = (
        select(&["http", "https", "HTTP", "wss", "ws", "foo"][..]),
        userinfo(),
        host(),
        port(),
        after,
    )
        .prop_map(|(scheme, user, host, port, after)| {
            format!("{scheme}://{user}{host}{port}{after}")
        });
    // Sometimes padded, or with a character inserted anywhere: browsers drop tabs and line
    // breaks wherever they stand and refuse a host with a space or a control character. (A
    // non-ASCII host is kept as written, where browsers write its `xn--` form, so none is made.)
    let noise = select(&[" ", "\t", "\n", "\r\n", "\u{1}", "<", "|", "%"][..]);
    let lead = select(&["", " ", "\t\n", "\u{a0}", "\u{1}"][..]);
    (url, noise, lead, any::<proptest::sample::Index>()).prop_map(|(mut url, noise, lead, at)| {
        let boundaries: Vec<usize> = url.char_indices().map(|(i, _)| i).collect();
        url.insert_str(boundaries[at.index(boundaries.len())], noise);
        format!("{lead}{url}")
    })
}

/// What a browser would connect to: `None` when it cannot parse the URL at all.
fn oracle_origin(url: &str) -> Option<String> {
    let parsed = Url::parse(url).ok()?;
    let origin = parsed.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

#[test]
fn origin_of_names_the_origin_the_browser_connects_to() {
    check(1000, absolute_url(), |url| {
        prop_assert_eq!(origin_of(&url), oracle_origin(&url), "{}", url);
        Ok(())
    });
}

#[test]
fn origin_of_wants_scheme_slashes_and_a_plain_host() {
    for url in [
        "http:h/x",
        "http:/h/x",
        "http:\\\\h\\x",
        "http:///h/x",
        "https:h",
        "http://%68/",
    ] {
        assert!(oracle_origin(url).is_some(), "url reads {url}");
        assert_eq!(origin_of(url), None, "{url}");
    }
}

// ---- the seed pages' URLs -----------------------------------------------------------------

/// Every `href` in the seed pages' JSON bodies.
fn seed_hrefs() -> Vec<String> {
    fn collect(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    match v.as_str() {
                        Some(href) if k == "href" => out.push(href.to_string()),
                        _ => collect(v, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut hrefs = Vec::new();
    for (name, text) in fixtures_starting_with("json-") {
        if name.ends_with(".json") {
            let value: serde_json::Value = serde_json::from_str(&text).expect("a seed document");
            collect(&value, &mut hrefs);
        }
    }
    hrefs
}

#[test]
fn seed_urls_agree_with_url() {
    let absolute: Vec<String> = fixture("url-seed-absolute.txt")
        .lines()
        .map(String::from)
        .collect();
    let hrefs = seed_hrefs();
    assert!(
        absolute.len() >= 10 && hrefs.len() >= 25,
        "{absolute:?} {hrefs:?}"
    );
    for url in &absolute {
        assert_eq!(origin_of(url), oracle_origin(url), "{url}");
        let parsed = Url::parse(url).expect("a seed URL");
        assert_eq!(
            Url::parse(&resolve(url, "")).ok().as_ref(),
            Some(&parsed),
            "{url}"
        );
        // url writes an empty path as `/`.
        let expected = &parsed[Position::BeforePath..Position::AfterQuery];
        let ours = path_and_query(url);
        assert!(
            ours == expected || (ours.is_empty() && expected == "/"),
            "{url}: {ours}"
        );
        for href in &hrefs {
            let joined = parsed.join(href).expect("a seed href");
            let ours = resolve(url, href);
            assert_eq!(Url::parse(&ours).as_ref(), Ok(&joined), "{url} + {href}");
            if parsed.as_str() == url || parsed.as_str() == format!("{url}/") {
                // Where url writes the base as it is, it writes the result as resolve does.
                assert_eq!(ours, joined.as_str(), "{url} + {href}");
            }
            assert_eq!(
                origin_of(&resolve(url, href)),
                oracle_origin(joined.as_str())
            );
        }
    }
    for href in &hrefs {
        let query = query_of(href);
        for (name, value) in decoded_pairs(query) {
            assert_eq!(
                query_param(href, &name).as_deref(),
                Some(value.as_str()),
                "{href}"
            );
        }
        let with_timeout = with_query(href, "timeout", "900");
        assert_eq!(
            query_of(&with_timeout),
            format!(
                "{query}{}timeout=900",
                if query.is_empty() { "" } else { "&" }
            )
        );
    }
}
