//! The XFrame's messages (Cross_domainIFRAME; CONTRACTS §1): the page asks the server's hidden
//! XFrame page to make a request by posting a JSON string, and the frame answers with the
//! response as another JSON string, matched by `messageId`. Pure: encoding and decoding only;
//! which window may send or receive them is the client's check.

use super::error::ProtocolError;
use super::json::{self, ObjectWriter, Value};

/// The path of the XFrame page on a UCWA host, used until a resource names its `xframe` link.
pub const XFRAME_PATH: &str = "/Autodiscover/XFrame/XFrame.html";

/// A request for the frame to make on its own origin.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameRequest<'a> {
    /// `GET`, `POST`, `DELETE` (sent lower-case, as Microsoft's Transport.js does).
    pub method: &'a str,
    /// An absolute URL on the frame's origin.
    pub url: &'a str,
    pub headers: &'a [(&'a str, String)],
    pub data: Option<&'a str>,
    pub message_id: &'a str,
    /// Ask the frame to fetch with `keepalive` (a DELETE on pagehide); stock frames ignore it.
    pub keepalive: bool,
}

/// The message text for `request`.
pub fn encode_request(request: &FrameRequest<'_>) -> String {
    let headers = request
        .headers
        .iter()
        .fold(ObjectWriter::new(), |w, (name, value)| {
            w.string(name, value)
        })
        .finish();
    let mut message = ObjectWriter::new()
        .string("type", &request.method.to_ascii_lowercase())
        .string("url", request.url)
        .raw("headers", &headers);
    if let Some(data) = request.data {
        message = message.string("data", data);
    }
    message = message.string("messageId", request.message_id);
    if request.keepalive {
        message = message.raw("keepalive", "true");
    }
    message.finish()
}

/// What the frame answered. `status` 0 means the frame's own request failed (no response).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameResponse {
    pub message_id: String,
    pub status: u16,
    pub body: String,
    /// Every response header, `Name: value\r\n` each (getAllResponseHeaders()).
    pub headers: String,
}

const WHAT: &str = "XFrame message";

/// Reads a message the frame posted. Anything but a JSON object with a `messageId` (string or
/// number) and an integer `status` up to 999 is an error; `responseText` and `headers` may be
/// absent or null (a failed request).
pub fn decode_response(text: &str) -> Result<FrameResponse, ProtocolError> {
    let value = json::parse(text, WHAT)?;
    if !value.is_object() {
        return Err(ProtocolError::new(WHAT, "not a JSON object"));
    }
    let message_id = match value.get("messageId") {
        Some(Value::String(id)) => id.clone(),
        Some(Value::Number(id)) => id.clone(),
        _ => return Err(ProtocolError::new(WHAT, "no messageId")),
    };
    let status = value
        .get("status")
        .and_then(Value::as_u64)
        .filter(|s| *s <= 999)
        .ok_or_else(|| ProtocolError::new(WHAT, "no status code"))?;
    let text_of = |key: &'static str| match value.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(ProtocolError::new(WHAT, key)),
    };
    Ok(FrameResponse {
        message_id,
        status: status as u16,
        body: text_of("responseText")?,
        headers: text_of("headers")?,
    })
}

/// The value of header `name` (ASCII case-insensitive) in a getAllResponseHeaders() string,
/// trimmed; the first one when it repeats. Lines may end in `\r\n` or `\n`; lines without a
/// colon are skipped.
pub fn header<'a>(headers: &'a str, name: &str) -> Option<&'a str> {
    headers.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim_matches([' ', '\t', '\r']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request<'a>(headers: &'a [(&'a str, String)], data: Option<&'a str>) -> FrameRequest<'a> {
        FrameRequest {
            method: "POST",
            url: "https://pool.contoso.com/ucwa/oauth/v1/applications",
            headers,
            data,
            message_id: "7",
            keepalive: false,
        }
    }

    #[test]
    fn requests_are_the_documented_json() {
        let headers = [
            ("Accept", "application/json".to_owned()),
            ("Authorization", "Bearer cwt=\"x\"".to_owned()),
        ];
        let text = encode_request(&request(&headers, Some("{\"Culture\":\"en-US\"}")));
        assert_eq!(
            text,
            r#"{"type":"post","url":"https://pool.contoso.com/ucwa/oauth/v1/applications","headers":{"Accept":"application/json","Authorization":"Bearer cwt=\"x\""},"data":"{\"Culture\":\"en-US\"}","messageId":"7"}"#
        );
        let read = json::parse(&text, "test").unwrap();
        assert_eq!(
            read.get("headers")
                .and_then(|h| h.get("Authorization"))
                .and_then(Value::as_str),
            Some("Bearer cwt=\"x\"")
        );
    }

    #[test]
    fn no_body_no_data_and_keepalive_only_when_asked() {
        let text = encode_request(&FrameRequest {
            method: "DELETE",
            keepalive: true,
            ..request(&[], None)
        });
        let read = json::parse(&text, "test").unwrap();
        assert_eq!(read.get("type").and_then(Value::as_str), Some("delete"));
        assert_eq!(read.get("data"), None);
        assert_eq!(read.get("keepalive").and_then(Value::as_bool), Some(true));
        assert_eq!(read.get("headers"), Some(&Value::Object(vec![])));
        let plain = encode_request(&request(&[], None));
        assert!(!plain.contains("keepalive"), "{plain}");
    }

    #[test]
    fn responses_decode() {
        let r = decode_response(
            r#"{"messageId":"7","status":401,"statusText":"Unauthorized","responseText":"","headers":"Content-Type: text/plain\r\nWWW-Authenticate: MsRtcOAuth href=\"/t\"\r\n"}"#,
        )
        .unwrap();
        assert_eq!(r.message_id, "7");
        assert_eq!(r.status, 401);
        assert_eq!(r.body, "");
        assert_eq!(
            header(&r.headers, "www-authenticate"),
            Some("MsRtcOAuth href=\"/t\"")
        );
        // A stock frame's numeric id, and a failed request with nothing but a status.
        let failed = decode_response(r#"{"messageId":12,"status":0}"#).unwrap();
        assert_eq!((failed.message_id.as_str(), failed.status), ("12", 0));
        assert_eq!((failed.body.as_str(), failed.headers.as_str()), ("", ""));
        let nulls =
            decode_response(r#"{"messageId":"1","status":200,"responseText":null,"headers":null}"#)
                .unwrap();
        assert_eq!(nulls.body, "");
    }

    #[test]
    fn malformed_messages_are_clear_errors() {
        for (text, why) in [
            ("", "byte 0"),
            ("not json", "byte 0"),
            ("\"a string\"", "not a JSON object"),
            ("[1]", "not a JSON object"),
            (r#"{"status":200}"#, "no messageId"),
            (r#"{"messageId":true,"status":200}"#, "no messageId"),
            (r#"{"messageId":"1"}"#, "no status code"),
            (r#"{"messageId":"1","status":"200"}"#, "no status code"),
            (r#"{"messageId":"1","status":-1}"#, "no status code"),
            (r#"{"messageId":"1","status":2.5}"#, "no status code"),
            (r#"{"messageId":"1","status":1000}"#, "no status code"),
            (
                r#"{"messageId":"1","status":99999999999999999999999}"#,
                "no status code",
            ),
            (
                r#"{"messageId":"1","status":200,"responseText":5}"#,
                "responseText",
            ),
            (r#"{"messageId":"1","status":200,"headers":{}}"#, "headers"),
        ] {
            let error = decode_response(text).unwrap_err();
            assert_eq!(error.what, WHAT, "{text}");
            assert!(error.reason.contains(why), "{text}: {error}");
        }
    }

    #[test]
    fn headers_are_found_case_insensitively() {
        let all = "content-type: application/json\r\nX-Ms-diagnostics:  28070;reason=\"x: y\" \r\nbroken line\nx-ms-diagnostics: second\n";
        assert_eq!(header(all, "Content-Type"), Some("application/json"));
        assert_eq!(
            header(all, "x-ms-diagnostics"),
            Some("28070;reason=\"x: y\"")
        );
        assert_eq!(header(all, "WWW-Authenticate"), None);
        assert_eq!(header("", "a"), None);
        assert_eq!(header(":\r\n:::", ""), Some(""));
    }
}
