//! The header lines of a batch part (`decode_batch`'s `Content-Type`) against `httparse` in the
//! mode a browser reads responses in: spaces before the colon allowed, obsolete line folding
//! allowed (a line starting with a space or tab continues the header above), invalid lines
//! ignored. Strict `httparse` refuses all three; `decode_batch` reads them as a browser does.

use proptest::prelude::*;
use proptest::sample::select;
use ucwa_presence::protocol::batch::decode_batch;

use crate::batch::oracle_with;
use crate::support::check;

/// One header line as generated, without its line end.
fn header_line() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        3 => select(&["Content-Type", "content-type", "CONTENT-TYPE"][..]).prop_map(String::from),
        2 => select(&["X-A", "ETag", "Content-Typex", "X-Content-Type"][..]).prop_map(String::from),
        1 => "[!#$%&'*+.^_`|~0-9A-Za-z-]{1,8}",
    ];
    let value = "([!-~]([ \t!-~]{0,12}[!-~])?)?";
    let header = (
        name,
        select(&[":", ": ", " :", "\t: ", ":\t"][..]),
        value,
        select(&["", " ", "\t"][..]),
    )
        .prop_map(|(n, colon, v, pad)| format!("{n}{colon}{v}{pad}"));
    let continuation = (
        select(&[" ", "\t", "  "][..]),
        prop_oneof![
            "[!-~]([ !-~]{0,12}[!-~])?",
            select(&["Content-Type: text/html", "charset=utf-8", ""][..]).prop_map(String::from),
        ],
    )
        .prop_map(|(lead, text)| format!("{lead}{text}"));
    let invalid = select(&["no colon here", ": empty name", "Bad Name: x", "X(y): 1"][..])
        .prop_map(String::from);
    prop_oneof![5 => header, 2 => continuation, 1 => invalid]
}

/// What a browser-mode `httparse` reads as the part's first `Content-Type`, each fold and the
/// whitespace around it read as one space.
fn browser_oracle(head: &str) -> Result<Option<String>, String> {
    let mut browser = httparse::ParserConfig::default();
    browser
        .allow_spaces_after_header_name_in_responses(true)
        .allow_obsolete_multiline_headers_in_responses(true)
        .ignore_invalid_headers_in_responses(true);
    let (_, value) = oracle_with(&browser, head)?;
    Ok(value.map(|value| {
        let pieces: Vec<&str> = value
            .split('\n')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        pieces.join(" ")
    }))
}

#[test]
fn content_type_reads_as_browser_mode_httparse_reads_it() {
    let lines = prop::collection::vec(header_line(), 0..7);
    check(1000, (lines, any::<bool>()), |(lines, crlf)| {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut head = format!("HTTP/1.1 200 OK{eol}");
        for line in &lines {
            head.push_str(line);
            head.push_str(eol);
        }
        head.push_str(eol);
        let expected = browser_oracle(&head).map_err(TestCaseError::fail)?;
        let wire = format!("--b{eol}{head}body{eol}--b--{eol}");
        let parts = decode_batch("multipart/batching;boundary=b", &wire)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&parts[0].content_type, &expected, "{:?}", head);
        prop_assert_eq!(&parts[0].body, "body");
        Ok(())
    });
}

/// Each leniency on its own: strict `httparse` refuses the head, browser mode and
/// `decode_batch` read the same `Content-Type` from it.
#[test]
fn heads_strict_httparse_refuses_read_as_a_browser_reads_them() {
    let cases = [
        ("Content-Type : text/plain", Some("text/plain")),
        ("no colon here\r\nContent-Type: a/b", Some("a/b")),
        ("X-A: 1\r\n Content-Type: text/html", None),
        ("X-A: 1\r\n folded: x\r\nContent-Type: a/b", Some("a/b")),
        (
            "Content-Type: a/b;\r\n charset=utf-8",
            Some("a/b; charset=utf-8"),
        ),
        (": empty name\r\ncontent-type:\t x/y ", Some("x/y")),
    ];
    for (headers, expected) in cases {
        let head = format!("HTTP/1.1 200 OK\r\n{headers}\r\n\r\n");
        let strict = oracle_with(&httparse::ParserConfig::default(), &head);
        assert!(strict.is_err(), "strict httparse refuses {headers:?}");
        assert_eq!(
            browser_oracle(&head).as_ref().map(Option::as_deref),
            Ok(expected),
            "{headers:?}"
        );
        let wire = format!("--b\r\n{head}body\r\n--b--\r\n");
        let parts = decode_batch("multipart/batching;boundary=b", &wire).expect("decodes");
        assert_eq!(parts[0].content_type.as_deref(), expected, "{headers:?}");
        assert_eq!(parts[0].body, "body");
    }
}
