//! UCWA batching (BatchingRequests): several GETs in one `multipart/batching` POST.
//!
//! Request parts are `Content-Type: application/http; msgtype=request` followed by a blank line
//! and a full request (`GET /ucwa/… HTTP/1.1`, `Host`, `Accept`); response parts hold full
//! responses (`HTTP/1.1 200 OK`, headers, body) in request order.

use super::error::ProtocolError;
use super::url::{path_and_query, push_escaped};

const WHAT: &str = "batch response";

/// A boundary derived from `seed` (pass something random): `ucwa-` and 32 hex digits.
pub fn batch_boundary(seed: u64) -> String {
    // splitmix64 twice, so nearby seeds give unrelated boundaries.
    fn mix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    let a = mix(seed);
    format!("ucwa-{a:016x}{:016x}", mix(a))
}

/// The batch request's `Content-Type`: `multipart/batching;boundary=…`.
pub fn content_type(boundary: &str) -> String {
    format!("multipart/batching;boundary={boundary}")
}

/// Strips the control characters HTTP forbids in a header value (CR and LF would start a new
/// header line) and the whitespace around it.
fn header_value(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_ascii_control())
        .collect::<String>()
        .trim()
        .to_string()
}

/// The request target for `href`: its path and query, without the tabs and line breaks a browser
/// drops from URLs, other controls, spaces and DEL percent-encoded (a request line may not hold
/// them), starting with `/`.
fn request_target(href: &str) -> String {
    let path = path_and_query(href).replace(['\t', '\r', '\n'], "");
    let mut target = String::with_capacity(path.len() + 1);
    if !path.trim().starts_with('/') {
        target.push('/');
    }
    for c in path.trim().chars() {
        match c {
            '\0'..=' ' | '\u{7f}' => push_escaped(&mut target, c as u8),
            c => target.push(c),
        }
    }
    target
}

/// Encodes one GET per path (absolute URLs are reduced to path and query), CRLF line endings,
/// closed by `--boundary--`.
pub fn encode_batch(
    boundary: &str,
    host: &str,
    paths: &[&str],
    authorization: Option<&str>,
) -> String {
    let host = header_value(host);
    let auth = authorization.map(header_value).filter(|a| !a.is_empty());
    let mut out = String::new();
    for path in paths {
        let target = request_target(path);
        out.push_str(&format!(
            "--{boundary}\r\nContent-Type: application/http; msgtype=request\r\n\r\n"
        ));
        out.push_str(&format!(
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n"
        ));
        if let Some(a) = &auth {
            out.push_str(&format!("Authorization: {a}\r\n"));
        }
        out.push_str("\r\n");
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    out
}

/// One response of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
}

impl BatchResponse {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The `boundary` parameter of a `multipart/…` content type (quoted or not).
fn boundary_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (k, v) = param.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|x| x.strip_suffix('"'))
            .unwrap_or(v);
        (!v.is_empty()).then(|| v.to_string())
    })
}

/// Decodes a batch response: boundary from `content_type_header`, parts in order. Tolerates LF
/// line endings, a preamble and a missing closing delimiter.
pub fn decode_batch(
    content_type_header: &str,
    body: &str,
) -> Result<Vec<BatchResponse>, ProtocolError> {
    let boundary = boundary_of(content_type_header).ok_or_else(|| {
        ProtocolError::new(
            WHAT,
            format!("no boundary in content type \"{content_type_header}\""),
        )
    })?;
    let delimiter = format!("--{boundary}");
    let closing = format!("--{boundary}--");
    let mut parts: Vec<&str> = Vec::new();
    let mut part_start: Option<usize> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == delimiter || trimmed == closing {
            if let Some(start) = part_start {
                parts.push(strip_final_newline(&body[start..offset]));
            }
            if trimmed == closing {
                part_start = None;
                break;
            }
            part_start = Some(offset + line.len());
        }
        offset += line.len();
    }
    if let Some(start) = part_start {
        parts.push(body.get(start..).unwrap_or(""));
    }
    if parts.is_empty() {
        return Err(ProtocolError::new(
            WHAT,
            "no part delimited by the boundary",
        ));
    }
    let mut responses = Vec::with_capacity(parts.len());
    for (i, part) in parts.into_iter().enumerate() {
        responses.push(decode_part(i, part)?);
    }
    Ok(responses)
}

/// Removes the line break that belongs to the next delimiter.
fn strip_final_newline(s: &str) -> &str {
    let s = s.strip_suffix('\n').unwrap_or(s);
    s.strip_suffix('\r').unwrap_or(s)
}

/// Splits `s` at its first blank line: (header block, rest). No blank line: all headers.
fn split_headers(s: &str) -> (&str, &str) {
    let mut offset = 0;
    for line in s.split_inclusive('\n') {
        if line.trim_end_matches(['\r', '\n']).is_empty() {
            return (&s[..offset], &s[offset + line.len()..]);
        }
        offset += line.len();
    }
    (s, "")
}

fn decode_part(index: usize, part: &str) -> Result<BatchResponse, ProtocolError> {
    // MIME headers of the part (Content-Type: application/http; msgtype=response), then the
    // embedded HTTP response. A part without MIME headers starts with the status line directly.
    let message = if part.trim_start().starts_with("HTTP/") {
        part.trim_start()
    } else {
        split_headers(part).1
    };
    let message = message.trim_start_matches(['\r', '\n']);
    let (head, body) = split_headers(message);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("").trim();
    let status = parse_status_line(status_line).ok_or_else(|| {
        ProtocolError::new(
            WHAT,
            format!("part {}: bad status line \"{status_line}\"", index + 1),
        )
    })?;
    Ok(BatchResponse {
        status,
        content_type: header_value_of(lines, "content-type"),
        body: body.to_string(),
    })
}

/// The value of the first header `name` among `lines`, read as a browser reads a response:
/// spaces between the name and the colon are tolerated, a line with no colon is skipped, and a
/// line starting with a space or tab continues the header above it (obsolete line folding,
/// joined with one space as RFC 9112 §5.2 asks) rather than being a header of its own.
fn header_value_of<'a>(lines: impl Iterator<Item = &'a str>, name: &str) -> Option<String> {
    let mut value: Option<String> = None;
    for line in lines {
        let continuation = line.starts_with([' ', '\t']);
        match value.as_mut() {
            Some(value) if continuation => {
                let more = line.trim();
                if !more.is_empty() {
                    if !value.is_empty() {
                        value.push(' ');
                    }
                    value.push_str(more);
                }
            }
            Some(_) => break,
            None if continuation => {}
            None => {
                value = line
                    .split_once(':')
                    .filter(|(k, _)| k.trim_end().eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.trim().to_string());
            }
        }
    }
    value
}

/// `HTTP/1.1 200 OK` → 200.
fn parse_status_line(line: &str) -> Option<u16> {
    let mut words = line.split_whitespace();
    if !words.next()?.starts_with("HTTP/") {
        return None;
    }
    let code = words.next()?;
    if code.len() != 3 {
        return None;
    }
    // Parsed as u64, the integer type the JSON reader already parses (one parser in the bundle).
    let code: u64 = code.parse().ok()?;
    (100..=599).contains(&code).then_some(code as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_the_documented_format() {
        let body = encode_batch(
            "77f2569d",
            "lyncweb.contoso.com",
            &[
                "/ucwa/oauth/v1/applications/103/people/contacts",
                "https://lyncweb.contoso.com/ucwa/oauth/v1/applications/103/me",
            ],
            None,
        );
        assert_eq!(
            body,
            "--77f2569d\r\nContent-Type: application/http; msgtype=request\r\n\r\n\
             GET /ucwa/oauth/v1/applications/103/people/contacts HTTP/1.1\r\nHost: lyncweb.contoso.com\r\nAccept: application/json\r\n\r\n\
             --77f2569d\r\nContent-Type: application/http; msgtype=request\r\n\r\n\
             GET /ucwa/oauth/v1/applications/103/me HTTP/1.1\r\nHost: lyncweb.contoso.com\r\nAccept: application/json\r\n\r\n\
             --77f2569d--\r\n"
        );
        assert_eq!(
            content_type("77f2569d"),
            "multipart/batching;boundary=77f2569d"
        );
    }

    #[test]
    fn encoding_adds_authorization_and_blocks_header_injection() {
        let body = encode_batch(
            "b",
            "h\r\nX: 1",
            &["/a b\r\nEvil: 1"],
            Some("Bearer cwt=x\nY: 2"),
        );
        assert!(body.contains("GET /a%20bEvil:%201 HTTP/1.1\r\n"));
        assert!(body.contains("Host: hX: 1\r\n"));
        assert!(body.contains("Authorization: Bearer cwt=xY: 2\r\n"));
        assert_eq!(body.matches("\r\n").count(), body.matches('\n').count());
        assert_eq!(encode_batch("b", "h", &[], None), "--b--\r\n");
    }

    #[test]
    fn request_lines_and_headers_hold_no_control_characters() {
        // Found by the differential test against httparse: a control character other than CR
        // or LF in a path or a header value made a request line or header httparse refuses.
        let body = encode_batch(
            "b",
            "h\u{0}ost\t",
            &["/a\u{e}b\tc d\u{7f}?q=\u{1}", "people/x", "https://h"],
            Some("Bearer\u{1b} x\u{7f}"),
        );
        assert!(
            body.contains("GET /a%0Ebc%20d%7F?q=%01 HTTP/1.1\r\n"),
            "{body}"
        );
        assert!(body.contains("GET /people/x HTTP/1.1\r\n"), "{body}");
        assert!(body.contains("GET / HTTP/1.1\r\n"), "{body}");
        assert!(body.contains("Host: host\r\n"), "{body}");
        assert!(body.contains("Authorization: Bearer x\r\n"), "{body}");
        assert!(!body.contains(|c: char| c.is_ascii_control() && c != '\r' && c != '\n'));
    }

    #[test]
    fn boundaries_differ_and_are_token_safe() {
        let a = batch_boundary(1);
        assert_ne!(a, batch_boundary(2));
        assert_eq!(a, batch_boundary(1));
        assert_eq!(a.len(), 37);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }

    #[test]
    fn decodes_responses_in_order() {
        let body = "preamble\r\n--b1\r\nContent-Type: application/http; msgtype=response\r\n\r\n\
            HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n\r\n\
            {\"availability\":\"Online\"}\r\n\
            --b1\r\nContent-Type: application/http; msgtype=response\r\n\r\n\
            HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n\r\n\
            --b1--\r\nepilogue";
        let parts = decode_batch("multipart/batching; boundary=\"b1\"", body).unwrap();
        assert_eq!(
            parts,
            vec![
                BatchResponse {
                    status: 200,
                    content_type: Some("application/json; charset=utf-8".into()),
                    body: "{\"availability\":\"Online\"}".into(),
                },
                BatchResponse {
                    status: 404,
                    content_type: None,
                    body: String::new()
                },
            ]
        );
        assert!(parts[0].is_success() && !parts[1].is_success());
    }

    #[test]
    fn decodes_lf_only_and_unterminated() {
        let body =
            "--x\nContent-Type: application/http; msgtype=response\n\nHTTP/1.1 204 No Content\n\n\
                    --x\nHTTP/1.1 200 OK\ncontent-type: application/json\n\n{\"a\":\n1}\n";
        let parts = decode_batch("multipart/batching;boundary=x", body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!((parts[0].status, parts[0].body.as_str()), (204, ""));
        assert_eq!(parts[1].content_type.as_deref(), Some("application/json"));
        assert_eq!(parts[1].body, "{\"a\":\n1}\n");
    }

    #[test]
    fn a_folded_line_continues_its_header_and_starts_none() {
        // Found by the differential test against httparse (with its browser-compatible
        // options): a folded continuation line ` Content-Type: …` was read as a header.
        let part = |headers: &str| {
            let wire = format!("--b\r\nHTTP/1.1 200 OK\r\n{headers}\r\n\r\nx\r\n--b--\r\n");
            let parts = decode_batch("multipart/batching;boundary=b", &wire).unwrap();
            parts[0].content_type.clone()
        };
        assert_eq!(part("X-A: 1\r\n Content-Type: text/html"), None);
        assert_eq!(part("X-A: 1\r\n\tcontent-type: a/b"), None);
        assert_eq!(
            part("Content-Type: a/b; \r\n  charset=utf-8\r\n\t\r\n X-A: 1"),
            Some("a/b; charset=utf-8 X-A: 1".into())
        );
        assert_eq!(part("Content-Type:\r\n a/b"), Some("a/b".into()));
        assert_eq!(
            part("Content-Type : a/b\r\nContent-Type: c/d"),
            Some("a/b".into())
        );
        assert_eq!(
            part(" Content-Type: a/b\r\nno colon\r\nContent-Type: c/d"),
            Some("c/d".into())
        );
    }

    #[test]
    fn malformed_batches_are_errors() {
        assert!(decode_batch("multipart/batching", "--x\n").is_err());
        assert!(decode_batch("multipart/batching;boundary=", "--\n").is_err());
        assert!(decode_batch("multipart/batching;boundary=x", "no parts here").is_err());
        assert!(decode_batch("multipart/batching;boundary=x", "--x--\n").is_err());
        for bad in [
            "--x\n\nGARBAGE\n--x--",
            "--x\n\nHTTP/1.1 2000 OK\n--x--",
            "--x\n\nHTTP/1.1\n--x--",
            "--x\n\nHTTP/1.1 099 x\n",
        ] {
            let err = decode_batch("multipart/batching;boundary=x", bad).unwrap_err();
            assert!(err.to_string().contains("status line"), "{bad:?}: {err}");
        }
        assert!(decode_batch("multipart/batching;boundary=x", "").is_err());
    }
}
