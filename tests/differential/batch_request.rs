//! Encoded batch requests (`encode_batch`) parsed back with `httparse`: every part is the GET
//! it was built from, whatever the paths and header values hold.

use proptest::prelude::*;
use proptest::sample::select;
use ucwa_presence::protocol::batch::encode_batch;
use ucwa_presence::protocol::url::path_and_query;

use crate::support::check;

/// Text for header values and paths: anything, with line breaks, controls and spaces common.
fn any_text() -> impl Strategy<Value = String> {
    let tricky = select(
        &[
            '\r', '\n', '\t', ' ', '\u{0}', '\u{7f}', ':', '/', '?', '#', '%', 'é',
        ][..],
    );
    prop::collection::vec(
        prop_oneof![3 => any::<char>(), 2 => tricky, 3 => proptest::char::range('a', 'z')],
        0..16,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        select(
            &[
                "/ucwa/oauth/v1/applications/103/me",
                "https://lyncweb.contoso.com/ucwa/x?y=1#f",
                "",
                "/a b?c d"
            ][..]
        )
        .prop_map(String::from),
        any_text().prop_map(|t| format!("/{t}")),
        any_text(),
    ]
}

#[test]
fn encoded_requests_parse_with_httparse_as_the_gets_they_were_built_from() {
    let input = (
        "[a-z0-9-]{1,12}",
        any_text(),
        prop::collection::vec(path(), 0..4),
        prop::option::of(any_text()),
    );
    check(800, input, |(boundary, host, paths, auth)| {
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        let body = encode_batch(&boundary, &host, &refs, auth.as_deref());
        let chunks: Vec<&str> = body.split(&format!("--{boundary}")).collect();
        // Nothing before the first delimiter, one chunk per path, then `--` and the line end.
        prop_assert_eq!(chunks.len(), paths.len() + 2, "{}", body);
        prop_assert_eq!(chunks[0], "");
        prop_assert_eq!(chunks[chunks.len() - 1], "--\r\n");
        for (chunk, path) in chunks[1..chunks.len() - 1].iter().zip(&paths) {
            let request_text = chunk
                .strip_prefix("\r\nContent-Type: application/http; msgtype=request\r\n\r\n")
                .ok_or_else(|| TestCaseError::fail(format!("part headers: {chunk:?}")))?;
            let mut headers = [httparse::EMPTY_HEADER; 8];
            let mut request = httparse::Request::new(&mut headers);
            let parsed = request.parse(request_text.as_bytes());
            prop_assert!(
                matches!(parsed, Ok(httparse::Status::Complete(n)) if n == request_text.len()),
                "{:?} on {:?}",
                parsed,
                request_text
            );
            prop_assert_eq!(request.method, Some("GET"));
            prop_assert_eq!(request.version, Some(1));
            let target = request.path.unwrap_or("");
            prop_assert!(target.starts_with('/'), "{:?}", target);
            // The target is the path and query of the href (from the root), with what cannot
            // stand in a request line percent-encoded.
            let expected = path_and_query(path).replace(['\t', '\r', '\n'], "");
            let expected = match expected.trim() {
                t if t.starts_with('/') => t.to_string(),
                t => format!("/{t}"),
            };
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            prop_assert_eq!(decode(target), decode(&expected));
            let names: Vec<&str> = request.headers.iter().map(|h| h.name).collect();
            let mut expected_names = vec!["Host", "Accept"];
            let auth_value = auth.as_deref().map(clean_value).filter(|a| !a.is_empty());
            if auth_value.is_some() {
                expected_names.push("Authorization");
            }
            prop_assert_eq!(names, expected_names, "{:?}", request_text);
            let value = |name: &str| {
                request
                    .headers
                    .iter()
                    .find(|h| h.name == name)
                    .map(|h| String::from_utf8_lossy(h.value).into_owned())
            };
            prop_assert_eq!(value("Host"), Some(clean_value(&host)));
            prop_assert_eq!(value("Accept"), Some("application/json".to_string()));
            prop_assert_eq!(value("Authorization"), auth_value);
        }
        Ok(())
    });
}

/// What must reach the server of a header value: every character but the controls, without
/// the whitespace around it.
fn clean_value(s: &str) -> String {
    let kept: String = s.split(|c: char| c.is_ascii_control()).collect();
    kept.trim().to_string()
}
