//! The XFrame's messages (`protocol::xframe`). The input is a message the frame posted: it
//! decodes without panicking, and a decoded status is at most 999. Its lines (message id, status,
//! response text, headers, then a method, URL and data) also build a response message, which
//! decodes to exactly those fields, and a request message, which reads back as JSON with them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ucwa_fuzz::text;
use ucwa_presence::protocol::json::{self, ObjectWriter, Value};
use ucwa_presence::protocol::xframe::{decode_response, encode_request, header, FrameRequest};

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    if let Ok(response) = decode_response(text) {
        assert!(response.status <= 999, "{response:?}");
        let _ = header(&response.headers, "content-type");
    }

    let mut lines = text.split('\n');
    let mut next = || lines.next().unwrap_or_default();
    let (id, status, body, headers) = (next(), next(), next(), next());
    let status = status
        .bytes()
        .fold(0u64, |n, b| (n * 31 + u64::from(b)) % 1000);
    let message = ObjectWriter::new()
        .string("messageId", id)
        .integer("status", status)
        .string("responseText", body)
        .string("headers", headers)
        .finish();
    let response = decode_response(&message).unwrap_or_else(|e| panic!("{message:?}: {e}"));
    assert_eq!(
        (response.message_id.as_str(), u64::from(response.status)),
        (id, status)
    );
    assert_eq!(
        (response.body.as_str(), response.headers.as_str()),
        (body, headers)
    );

    let (method, url, data) = (next(), next(), next());
    let request_headers = [("Accept", headers.to_string())];
    let request = encode_request(&FrameRequest {
        method,
        url,
        headers: &request_headers,
        data: Some(data),
        message_id: id,
        keepalive: false,
    });
    let read = json::parse(&request, "fuzz").unwrap_or_else(|e| panic!("{request:?}: {e}"));
    let field = |key: &str| read.get(key).and_then(Value::as_str);
    assert_eq!(field("type"), Some(method.to_ascii_lowercase().as_str()));
    assert_eq!((field("url"), field("data")), (Some(url), Some(data)));
    assert_eq!(field("messageId"), Some(id));
    let sent = read.get("headers").and_then(|h| h.get("Accept"));
    assert_eq!(sent.and_then(Value::as_str), Some(headers));
});
