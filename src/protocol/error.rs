//! UCWA error responses (ErrorsAndInformationalMessages, ErrorCode_ref, ErrorSubcode_ref) and
//! [`ProtocolError`] for bodies this crate cannot parse. What the widget does about each error is
//! decided in one place: [`failure`](super::failure).

use std::fmt;

use super::json::{self, Value};

/// A response body or header that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolError {
    /// What was being parsed (`"event channel response"`, `"batch response"`, …).
    pub what: &'static str,
    /// Why it failed, for logs.
    pub reason: String,
}

impl ProtocolError {
    pub fn new(what: &'static str, reason: impl Into<String>) -> Self {
        ProtocolError {
            what,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.what, self.reason)
    }
}

impl std::error::Error for ProtocolError {}

/// An HTTP error response from (or in front of) the UCWA server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UcwaError {
    pub status: u16,
    /// UCWA `code` (`NotFound`, `Conflict`, …); `None` when the body was not UCWA's.
    pub code: Option<String>,
    /// UCWA `subcode` (`ApplicationNotFound`, `PGetReplaced`, …), if given.
    pub subcode: Option<String>,
    /// The server's human-readable `message`, if given.
    pub message: Option<String>,
    /// The response's `X-Ms-diagnostics` header, if the client could read it (`28070;…` = this
    /// page's origin is not on the server's cross-domain authorization list).
    pub diagnostics: Option<String>,
    /// The response's `Retry-After` in seconds (the delay-seconds form; a date is ignored).
    pub retry_after_secs: Option<u32>,
}

impl UcwaError {
    /// An error with only a status (no body, or a body that was not UCWA's).
    pub fn status_only(status: u16) -> Self {
        UcwaError {
            status,
            ..UcwaError::default()
        }
    }

    /// True when the subcode equals `name` (ASCII case-insensitive).
    pub fn has_subcode(&self, name: &str) -> bool {
        self.subcode
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case(name))
    }

    /// The same error with the response's `X-Ms-diagnostics` header.
    pub fn with_diagnostics(mut self, diagnostics: Option<String>) -> Self {
        self.diagnostics = diagnostics;
        self
    }

    /// The same error with the response's `Retry-After` header (`None` unless it is a number
    /// of seconds).
    pub fn with_retry_after(mut self, header: Option<&str>) -> Self {
        self.retry_after_secs = header
            .and_then(|v| v.trim().parse::<u64>().ok())
            .and_then(|n| u32::try_from(n).ok());
        self
    }

    /// True when the code equals `name` (ASCII case-insensitive).
    pub fn has_code(&self, name: &str) -> bool {
        self.code
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for UcwaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        match (&self.code, &self.subcode) {
            (Some(c), Some(s)) => write!(f, " {c}/{s}")?,
            (Some(c), None) => write!(f, " {c}")?,
            (None, Some(s)) => write!(f, " {s}")?,
            (None, None) => {}
        }
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UcwaError {}

/// Parses an error response. The body is trusted as UCWA's only when `content_type` says JSON or
/// XML; anything else (a proxy's HTML page, an empty body) yields just the status. The OAuth
/// service's `{"error":"invalid_grant"}` (AuthenticationInUCWA) is read as the `code`.
pub fn parse_error(status: u16, content_type: Option<&str>, body: &str) -> UcwaError {
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    let mut err = UcwaError::status_only(status);
    if ct.contains("json") {
        if let Ok(obj @ Value::Object(_)) = json::parse(body, "error response") {
            let text = |k: &str| {
                obj.get(k)
                    .and_then(|v| v.as_str())
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            };
            err.code = text("code").or_else(|| text("error"));
            err.subcode = text("subcode");
            err.message = text("message");
        }
    } else if ct.contains("xml") {
        err.code = xml_value(body, "code");
        err.subcode = xml_value(body, "subcode");
        err.message = xml_value(body, "message");
    }
    err
}

/// Finds `name` in a UCWA XML error: as an attribute (`code="NotFound"`), an element
/// (`<code>NotFound</code>`) or a property (`<property name="message">…</property>`).
fn xml_value(body: &str, name: &str) -> Option<String> {
    let found = xml_attribute(body, name)
        .or_else(|| xml_element(body, name))
        .or_else(|| xml_element_after(body, &format!("name=\"{name}\">"), "<"))?;
    let value = xml_unescape(found.trim());
    (!value.is_empty()).then_some(value)
}

fn xml_attribute<'a>(body: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!("{name}=\"");
    let mut from = 0;
    while let Some(i) = body.get(from..)?.find(&needle) {
        let start = from + i;
        // Attribute names are preceded by whitespace; this rejects `subcode=` when looking for `code=`.
        if body[..start].ends_with(char::is_whitespace) {
            let value_start = start + needle.len();
            let len = body[value_start..].find('"')?;
            return Some(&body[value_start..value_start + len]);
        }
        from = start + needle.len();
    }
    None
}

fn xml_element<'a>(body: &'a str, name: &str) -> Option<&'a str> {
    xml_element_after(body, &format!("<{name}>"), &format!("</{name}>"))
}

fn xml_element_after<'a>(body: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = body.find(open)? + open.len();
    let len = body[start..].find(close)?;
    Some(&body[start..start + len])
}

fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seed 001: the 404 for an expired subscription.
    const SEED_001_404: &str = r#"{
 "code":"NotFound",
 "subcode":"ApplicationNotFound",
 "message":"An error occurred. Please retry. If the problem persists, contact your support team."
}"#;

    #[test]
    fn parses_seed_001_json_error() {
        let e = parse_error(404, Some("application/json"), SEED_001_404);
        assert_eq!(e.code.as_deref(), Some("NotFound"));
        assert_eq!(e.subcode.as_deref(), Some("ApplicationNotFound"));
        assert!(e
            .message
            .as_deref()
            .unwrap()
            .starts_with("An error occurred."));
        assert_eq!(
            e.to_string(),
            "HTTP 404 NotFound/ApplicationNotFound: An error occurred. Please retry. If the problem persists, contact your support team."
        );
    }

    #[test]
    fn untrusted_or_malformed_bodies_give_status_only() {
        assert_eq!(
            parse_error(404, Some("text/html"), SEED_001_404),
            UcwaError::status_only(404)
        );
        assert_eq!(
            parse_error(502, None, SEED_001_404),
            UcwaError::status_only(502)
        );
        assert_eq!(
            parse_error(500, Some("application/json"), "<html>"),
            UcwaError::status_only(500)
        );
        assert_eq!(
            parse_error(500, Some("application/json"), "[1,2]"),
            UcwaError::status_only(500)
        );
        let e = parse_error(
            409,
            Some("application/json; charset=utf-8"),
            r#"{"code":1,"subcode":" ","message":"m"}"#,
        );
        assert_eq!(
            (e.code, e.subcode, e.message.as_deref()),
            (None, None, Some("m"))
        );
        assert_eq!(UcwaError::status_only(503).to_string(), "HTTP 503");
    }

    #[test]
    fn parses_xml_errors() {
        let attr = r#"<?xml version="1.0"?><error code="Conflict" subcode="PGetReplaced" xmlns="http://schemas.microsoft.com/rtc/2012/03/ucwa"><property name="message">Replaced &amp; gone</property></error>"#;
        let e = parse_error(409, Some("application/vnd.microsoft.com.ucwa+xml"), attr);
        assert_eq!(e.code.as_deref(), Some("Conflict"));
        assert_eq!(e.subcode.as_deref(), Some("PGetReplaced"));
        assert_eq!(e.message.as_deref(), Some("Replaced & gone"));
        let elems = "<error><subcode>TooManyApplications</subcode><code>Gone</code></error>";
        let e = parse_error(410, Some("text/xml"), elems);
        assert_eq!(e.code.as_deref(), Some("Gone"));
        assert_eq!(e.subcode.as_deref(), Some("TooManyApplications"));
        assert_eq!(e.message, None);
        assert_eq!(
            parse_error(410, Some("text/xml"), "<error code=\"x"),
            UcwaError::status_only(410)
        );
    }

    #[test]
    fn reads_the_oauth_error_as_the_code() {
        // AuthenticationInUCWA: a refused password grant.
        let body = r#"{"error":"invalid_grant","ms_rtc_passiveauthuri":"https:\/\/server.contoso.com\/PassiveAuth\/PassiveAuth.aspx"}"#;
        let e = parse_error(400, Some("application/json;charset=UTF-8"), body);
        assert!(e.has_code("INVALID_GRANT"));
        assert_eq!(e.subcode, None);
        let both = parse_error(
            400,
            Some("application/json"),
            r#"{"code":"BadRequest","error":"x"}"#,
        );
        assert_eq!(both.code.as_deref(), Some("BadRequest"), "UCWA's code wins");
        let e = UcwaError::status_only(403).with_diagnostics(Some("28070;reason=\"x\"".into()));
        assert_eq!(e.diagnostics.as_deref(), Some("28070;reason=\"x\""));
    }
}
