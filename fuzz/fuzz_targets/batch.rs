//! Batch decoding (`protocol::batch`). An input starting with a zero byte describes parts
//! (arbitrary): the multipart response written from them decodes to exactly those parts (status,
//! content type, body), in order. Any other input is a `Content-Type` line and a body, as a server
//! sent them (the seed corpus): they decode without panicking, to statuses 100–599 only.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use ucwa_fuzz::text;
use ucwa_presence::protocol::{decode_batch, BatchResponse};

#[derive(Arbitrary, Debug)]
struct Written {
    boundary: String,
    quoted: bool,
    lf_only: bool,
    parts: Vec<Part>,
}

#[derive(Arbitrary, Debug)]
struct Part {
    status: u16,
    content_type: Option<String>,
    body: String,
}

/// RFC 2046's boundary characters (bchars without the space).
fn is_bchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "'()+_,-./:=?".contains(c)
}

fn round_trip(boundary: &str, quoted: bool, lf_only: bool, parts: &[Part]) {
    if boundary.is_empty() || boundary.len() > 70 || !boundary.chars().all(is_bchar) {
        return;
    }
    let nl = if lf_only { "\n" } else { "\r\n" };
    let delimiter = format!("--{boundary}");
    let mut body = format!("preamble{nl}");
    let mut expected = Vec::new();
    for part in parts {
        let status = 100 + part.status % 500;
        let content_type = part
            .content_type
            .as_deref()
            .map(str::trim)
            .filter(|ct| !ct.is_empty() && !ct.chars().any(char::is_control));
        // With LF line ends a body ending in CR reads as one ending in a CRLF line end.
        if part.body.contains(&delimiter) || (lf_only && part.body.ends_with('\r')) {
            return;
        }
        body.push_str(&format!(
            "{delimiter}{nl}Content-Type: application/http; msgtype=response{nl}{nl}HTTP/1.1 {status} Reason{nl}"
        ));
        if let Some(ct) = content_type {
            body.push_str(&format!("Content-Type: {ct}{nl}"));
        }
        body.push_str(&format!("{nl}{}{nl}", part.body));
        expected.push(BatchResponse {
            status,
            content_type: content_type.map(str::to_string),
            body: part.body.clone(),
        });
    }
    body.push_str(&format!("{delimiter}--{nl}"));
    let header = if quoted {
        format!("multipart/batching; boundary=\"{boundary}\"")
    } else {
        format!("multipart/batching;boundary={boundary}")
    };
    let decoded = decode_batch(&header, &body);
    if expected.is_empty() {
        assert!(decoded.is_err(), "no parts, yet {decoded:?} from {body:?}");
    } else {
        assert_eq!(decoded.ok(), Some(expected), "{header} {body:?}");
    }
}

fuzz_target!(|data: &[u8]| match data.split_first() {
    Some((0, rest)) => {
        if let Ok(w) = Written::arbitrary_take_rest(Unstructured::new(rest)) {
            round_trip(&w.boundary, w.quoted, w.lf_only, &w.parts);
        }
    }
    _ => {
        let Some(text) = text(data) else { return };
        let (content_type, body) = text.split_once('\n').unwrap_or((text, ""));
        for response in decode_batch(content_type, body).unwrap_or_default() {
            assert!((100..=599).contains(&response.status), "{response:?}");
        }
    }
});
