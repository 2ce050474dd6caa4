//! Batch decoding (`decode_batch`) against `httparse`.
//!
//! Generated `multipart/batching` responses (random boundaries, quoted or not, CRLF, LF or
//! mixed line ends, preamble and epilogue, parts with or without MIME headers, any status,
//! headers and body) decode to one response per part whose status and `Content-Type` are what
//! `httparse` reads from that part's head, and whose body is the part's body byte for byte.
//!
//! Deliberate differences, each asserted below: a status line is read when its first word
//! starts with `HTTP/` and its second is a status 100–599 (`httparse` wants `HTTP/1.0` or
//! `HTTP/1.1`, takes any three digits, and is stricter about the separators); header lines
//! strict `httparse` refuses are read as a browser reads them (`batch_headers.rs` checks that
//! against `httparse`'s browser-compatible mode); a part may end right after its headers without
//! a blank line.

use proptest::prelude::*;
use proptest::sample::select;
use ucwa_presence::protocol::batch::decode_batch;

use crate::support::{check, fixture};

// ---- generated responses ------------------------------------------------------------------

/// One part as generated: what goes on the wire and what `httparse` must read from it.
#[derive(Debug, Clone)]
struct Part {
    mime_headers: bool,
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
    /// `None`: the part ends right after its headers (a 204, say).
    body: Option<String>,
}

/// RFC 2046 `bchars` (a space only inside, never last), so any boundary the syntax allows.
fn boundary() -> impl Strategy<Value = String> {
    "[0-9a-zA-Z'()+_,./:=?-]{1,30}( [0-9a-zA-Z_-]{1,8})?"
}

/// Header names: `Content-Type` in any case, other real ones, any token.
fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => select(&["Content-Type", "content-type", "CONTENT-TYPE", "Content-type"][..]).prop_map(String::from),
        2 => select(&["Content-Length", "ETag", "Cache-Control", "X-MS-Server-Fqdn", "Content-Typex", "X-Content-Type"][..]).prop_map(String::from),
        1 => "[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}",
    ]
}

/// Header values: visible ASCII and inner spaces or tabs, sometimes padded.
fn header_value() -> impl Strategy<Value = String> {
    let core = prop_oneof![
        2 => select(&["application/json; charset=utf-8", "application/vnd.microsoft.com.ucwa+json;charset=utf-8", "0", "no-cache"][..]).prop_map(String::from),
        1 => "[!-~]([ \t!-~]{0,20}[!-~])?",
        1 => Just(String::new()),
    ];
    (
        select(&["", " ", "  ", "\t"][..]),
        core,
        select(&["", " ", "\t"][..]),
    )
        .prop_map(|(lead, core, trail)| format!("{lead}{core}{trail}"))
}

/// Body lines; no line starts with `--` (so none is a delimiter) and no bare CR.
fn body() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        "[ -~]{0,30}".prop_filter("a delimiter", |l| !l.starts_with("--")),
        select(
            &[
                "{\"availability\":\"Online\"}",
                "",
                "  {",
                "HTTP/1.1 200 OK",
                "Content-Type: text/html"
            ][..]
        )
        .prop_map(String::from),
        any::<String>()
            .prop_map(|s| s.replace(['\r', '\n'], ""))
            .prop_filter("a delimiter", |l| !l.starts_with("--")),
    ];
    prop::collection::vec(line, 0..4).prop_map(|lines| lines.join("\n"))
}

fn part() -> impl Strategy<Value = Part> {
    (
        any::<bool>(),
        100u16..600,
        "([A-Za-z][A-Za-z ]{0,12})?",
        prop::collection::vec((header_name(), header_value()), 0..5),
        prop::option::of(body()),
    )
        .prop_map(|(mime_headers, status, reason, headers, body)| Part {
            mime_headers,
            status,
            reason,
            headers,
            body,
        })
}

/// A whole response as generated.
#[derive(Debug, Clone)]
struct Batch {
    boundary: String,
    quoted: bool,
    /// Line end of every line: `\r\n`, `\n`, or each line its own (`None`).
    eol: Option<&'static str>,
    preamble: Option<String>,
    parts: Vec<Part>,
    closed: bool,
}

fn batch() -> impl Strategy<Value = Batch> {
    (
        boundary(),
        any::<bool>(),
        prop_oneof![Just(Some("\r\n")), Just(Some("\n")), Just(None)],
        prop::option::of("[a-z ]{0,20}"),
        prop::collection::vec(part(), 1..5),
        any::<bool>(),
    )
        .prop_map(|(boundary, quoted, eol, preamble, parts, closed)| Batch {
            // A boundary with characters outside a MIME token must be quoted.
            quoted: quoted || boundary.contains(|c: char| "()<>@,;:\\\"/[]?= ".contains(c)),
            boundary,
            eol,
            preamble,
            parts,
            closed,
        })
}

/// Writes lines with their line ends; `mixed` picks each line's end from `seed`'s bits.
struct Writer {
    out: String,
    eol: Option<&'static str>,
    bits: u64,
}

impl Writer {
    fn line(&mut self, text: &str) {
        let eol = self.eol();
        self.out.push_str(text);
        self.out.push_str(eol);
    }

    fn eol(&mut self) -> &'static str {
        self.eol.unwrap_or_else(|| {
            self.bits = self.bits.rotate_left(1);
            if self.bits & 1 == 1 {
                "\r\n"
            } else {
                "\n"
            }
        })
    }
}

impl Batch {
    fn content_type(&self) -> String {
        match self.quoted {
            true => format!("multipart/batching; boundary=\"{}\"", self.boundary),
            false => format!("multipart/batching;boundary={}", self.boundary),
        }
    }

    /// The wire text, and each part's HTTP head (status line and headers, ending in a blank
    /// line) as the part carries it.
    fn write(&self) -> (String, Vec<String>) {
        let mut w = Writer {
            out: String::new(),
            eol: self.eol,
            bits: 0x9E37_79B9_7F4A_7C15,
        };
        let mut heads = Vec::new();
        if let Some(preamble) = &self.preamble {
            w.line(preamble);
        }
        for (i, part) in self.parts.iter().enumerate() {
            w.line(&format!("--{}", self.boundary));
            if part.mime_headers {
                w.line("Content-Type: application/http; msgtype=response");
                w.line("");
            }
            let head_start = w.out.len();
            w.line(&format!("HTTP/1.1 {} {}", part.status, part.reason));
            for (name, value) in &part.headers {
                w.line(&format!("{name}:{value}"));
            }
            match &part.body {
                Some(body) => {
                    w.line("");
                    heads.push(w.out[head_start..].to_string());
                    w.out.push_str(body);
                    // The line end after the body belongs to the next delimiter; without one,
                    // the last body simply ends the text.
                    if self.closed || i + 1 < self.parts.len() {
                        let eol = w.eol();
                        w.out.push_str(eol);
                    }
                }
                None => heads.push(format!("{}\r\n", &w.out[head_start..])),
            }
        }
        if self.closed {
            w.line(&format!("--{}--", self.boundary));
            w.line("epilogue, ignored");
        }
        (w.out, heads)
    }
}

/// What strict `httparse` reads from one part's head: status and first `Content-Type`.
fn oracle(head: &str) -> Result<(u16, Option<String>), String> {
    oracle_with(&httparse::ParserConfig::default(), head)
}

/// What `httparse` configured by `config` reads from one part's head: status and first
/// `Content-Type`, as received; `Err` unless it reads the whole head.
pub fn oracle_with(
    config: &httparse::ParserConfig,
    head: &str,
) -> Result<(u16, Option<String>), String> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    match config.parse_response(&mut response, head.as_bytes()) {
        Ok(httparse::Status::Complete(n)) if n == head.len() => {}
        other => return Err(format!("httparse: {other:?} on {head:?}")),
    }
    let content_type = response
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-type"))
        .map(|h| String::from_utf8_lossy(h.value).into_owned());
    Ok((response.code.unwrap_or(0), content_type))
}

#[test]
fn generated_batches_decode_as_httparse_reads_each_part() {
    check(800, batch(), |batch| {
        let (wire, heads) = batch.write();
        let decoded = decode_batch(&batch.content_type(), &wire)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{wire}")))?;
        prop_assert_eq!(decoded.len(), batch.parts.len(), "{}", wire);
        for ((ours, part), head) in decoded.iter().zip(&batch.parts).zip(&heads) {
            let (status, content_type) = oracle(head).map_err(TestCaseError::fail)?;
            prop_assert_eq!(ours.status, status, "{}", wire);
            prop_assert_eq!(&ours.content_type, &content_type, "{}", wire);
            let body = part.body.clone().unwrap_or_default();
            prop_assert_eq!(&ours.body, &body, "{}", wire);
        }
        Ok(())
    });
}

#[test]
fn the_seed_batch_decodes_as_httparse_reads_it() {
    let text = fixture("batch-seed-responses.txt");
    for wire in [text.clone(), text.replace('\n', "\r\n")] {
        let decoded = decode_batch("multipart/batching; boundary=\"77f2569d-seed\"", &wire)
            .expect("the seed batch");
        let heads: Vec<&str> = wire
            .split("--77f2569d-seed")
            .skip(1)
            .filter(|p| !p.starts_with("--"))
            .collect();
        assert_eq!(decoded.len(), 5);
        assert_eq!(heads.len(), 5);
        for (ours, part) in decoded.iter().zip(heads) {
            // The part's MIME headers end at the first blank line, its HTTP head at the next
            // (or, for the 204, at the part's end).
            let eol = if wire.contains("\r\n") { "\r\n" } else { "\n" };
            let blank = format!("{eol}{eol}");
            let message = part.split_once(&blank).map_or("", |(_, m)| m);
            let (head, body) = match message.split_once(&blank) {
                Some((head, body)) => (head, body.strip_suffix(eol).unwrap_or(body)),
                None => (message.trim_end_matches(['\r', '\n']), ""),
            };
            let (status, content_type) =
                oracle(&format!("{head}{blank}")).expect("httparse reads the seed head");
            assert_eq!((ours.status, &ours.content_type), (status, &content_type));
            assert_eq!(ours.body, body);
            if !body.is_empty() {
                assert!(
                    serde_json::from_str::<serde_json::Value>(body).is_ok(),
                    "{body}"
                );
            }
        }
        let statuses: Vec<u16> = decoded.iter().map(|r| r.status).collect();
        assert_eq!(statuses, [201, 200, 404, 204, 200]);
    }
}

// ---- status lines ---------------------------------------------------------------------------

fn status_line() -> impl Strategy<Value = String> {
    (
        select(
            &[
                "HTTP/1.1",
                "HTTP/1.0",
                "HTTP/2",
                "HTTP/1.1x",
                "HTTP/",
                "http/1.1",
                "HTTPS/1.1",
                "XHTTP/1.1",
            ][..],
        ),
        select(&[" ", "  ", "\t"][..]),
        prop_oneof![
            "[0-9]{3}",
            "[0-9]{1,4}",
            "[+-][0-9]{2}",
            Just(String::new())
        ],
        select(&["", " ", " OK", "\tOK", " Not Found", " \u{e9}"][..]),
    )
        .prop_map(|(version, sep, code, reason)| format!("{version}{sep}{code}{reason}"))
}

/// The documented rule: first word starts with `HTTP/`, second is a status 100–599.
fn lenient_rule(line: &str) -> Option<u16> {
    let mut words = line.split_whitespace();
    let version = words.next()?;
    let code = words.next()?;
    let ok =
        version.starts_with("HTTP/") && code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| code.parse().ok())
        .flatten()
        .filter(|c| (100..=599).contains(c))
}

#[test]
fn status_lines_read_as_httparse_reads_them_within_the_documented_leniency() {
    check(600, (status_line(), any::<bool>()), |(line, crlf)| {
        let eol = if crlf { "\r\n" } else { "\n" };
        let wire = format!("--b{eol}{eol}{line}{eol}{eol}--b--{eol}");
        let ours =
            decode_batch("multipart/batching;boundary=b", &wire).map(|parts| parts[0].status);
        let theirs = oracle(&format!("{line}\r\n\r\n"))
            .ok()
            .map(|(status, _)| status);
        match theirs {
            // httparse reads it: so does decode_batch, unless the status is outside 100–599.
            Some(code) if (100..=599).contains(&code) => {
                prop_assert_eq!(ours.ok(), Some(code), "{:?}", line)
            }
            _ => prop_assert_eq!(ours.ok(), lenient_rule(&line), "{:?}", line),
        }
        Ok(())
    });
}
