//! UCWA error responses (ErrorsAndInformationalMessages, ErrorCode_ref, ErrorSubcode_ref), how the
//! widget recovers from each, and [`ProtocolError`] for bodies this crate cannot parse.

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

/// What went wrong with a request, as the client hands it to the state machines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No HTTP response at all: network down, CORS refusal, timeout, abort.
    Network(String),
    /// An HTTP response with a non-success status.
    Http(UcwaError),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Network(m) => write!(f, "network error: {m}"),
            Failure::Http(e) => e.fmt(f),
        }
    }
}

/// Parses an error response. The body is trusted as UCWA's only when `content_type` says JSON or
/// XML; anything else (a proxy's HTML page, an empty body) yields just the status.
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
            err.code = text("code");
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

/// Which request failed; the same status means different things for different requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestContext {
    MakeMeAvailable,
    SetPresence,
    CreateSubscription,
    ExtendSubscription,
    Events,
    Other,
}

/// What the client should do about a failed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// The token expired or was revoked: sign in again.
    Reauthenticate,
    /// The application is gone: create a new one (and make me available, subscribe again).
    RecreateApplication,
    /// The presence subscription expired: create it again.
    RecreateSubscription,
    /// `makeMeAvailable` has not been done (409 MakeMeAvailableRequired): do it, then retry.
    MakeMeAvailable,
    /// The request's effect is already in place (409 AlreadyExists): treat as success.
    AlreadyDone,
    /// Transient (429, 5xx, timeouts): retry with backoff.
    RetryLater,
    /// Give up on the whole session and show this reason to the user.
    Stop(String),
    /// This request failed for good; the session goes on. The reason is for the user / logs.
    Fail(String),
}

/// The diagnostic the server sends with a 403 for a page origin missing from its cross-domain
/// allow list (CrossDomainAuthorizationList).
pub const DIAGNOSTIC_ORIGIN_NOT_ALLOWED: &str = "28070";

const ORIGIN_NOT_ALLOWED: &str =
    "this page's origin is not allowed by the Skype for Business server";

/// Decides how to recover from `err` on a request of kind `context`; `ms_diagnostics` is the
/// response's `X-Ms-diagnostics` header when the client has it (28070 = origin not allowed).
pub fn classify(
    err: &UcwaError,
    context: RequestContext,
    ms_diagnostics: Option<&str>,
) -> Recovery {
    use RequestContext as C;
    match err.status {
        401 => Recovery::Reauthenticate,
        403 => classify_forbidden(err, ms_diagnostics),
        404 => match context {
            // Seed 001: an expired subscription answers 404 with subcode ApplicationNotFound.
            // Recreate the subscription first; if the application is really gone, that fails too.
            C::ExtendSubscription => Recovery::RecreateSubscription,
            // These resources live as long as the application does.
            C::MakeMeAvailable | C::SetPresence | C::CreateSubscription | C::Events => {
                Recovery::RecreateApplication
            }
            C::Other if err.has_subcode("ApplicationNotFound") => Recovery::RecreateApplication,
            C::Other => Recovery::Fail(reason_or(err, "The resource was not found.")),
        },
        409 => classify_conflict(err, context),
        410 => Recovery::Stop(gone_reason(err.subcode.as_deref())),
        408 | 429 | 500..=599 => Recovery::RetryLater,
        _ => Recovery::Fail(reason_or(
            err,
            "The Skype for Business server rejected the request.",
        )),
    }
}

fn classify_forbidden(err: &UcwaError, ms_diagnostics: Option<&str>) -> Recovery {
    let origin_refused = ms_diagnostics.is_some_and(|d| d.contains(DIAGNOSTIC_ORIGIN_NOT_ALLOWED))
        || err
            .message
            .as_deref()
            .is_some_and(|m| m.to_ascii_lowercase().contains("cross domain request"));
    if origin_refused {
        return Recovery::Stop(ORIGIN_NOT_ALLOWED.to_string());
    }
    let reason = if err.has_subcode("LimitExceeded") {
        "The Skype for Business server's limit for this request was exceeded."
    } else if err.has_subcode("TooManyContacts") {
        "Too many contacts for the Skype for Business server."
    } else if err.has_subcode("TooManyGroups") {
        "Too many contact groups for the Skype for Business server."
    } else {
        "The Skype for Business server refused the request."
    };
    Recovery::Fail(reason.to_string())
}

fn classify_conflict(err: &UcwaError, context: RequestContext) -> Recovery {
    if err.has_subcode("AlreadyExists") {
        Recovery::AlreadyDone
    } else if err.has_subcode("MakeMeAvailableRequired") {
        if context == RequestContext::MakeMeAvailable {
            // Cannot happen per the docs; re-running it would loop.
            Recovery::RecreateApplication
        } else {
            Recovery::MakeMeAvailable
        }
    } else if err.has_subcode("PGetReplaced") {
        Recovery::Stop("Presence updates continue in another window or tab.".to_string())
    } else if context == RequestContext::MakeMeAvailable {
        // 409 without a subcode on makeMeAvailable: the documented case is AlreadyExists.
        Recovery::AlreadyDone
    } else {
        Recovery::RetryLater
    }
}

/// A readable reason for a 410 Gone, by subcode.
pub fn gone_reason(subcode: Option<&str>) -> String {
    let s = subcode.unwrap_or("");
    let reason = if s.eq_ignore_ascii_case("TooManyApplications") {
        "You are signed in to Skype for Business from too many places; close another window or app and reload."
    } else if s.eq_ignore_ascii_case("InactiveApplicationExpired") {
        "The Skype for Business session expired after a period of inactivity; reload to sign in again."
    } else if s.eq_ignore_ascii_case("ApplicationNotFound")
        || s.eq_ignore_ascii_case("ApplicationDeleted")
    {
        "The Skype for Business session ended; reload to sign in again."
    } else {
        "The Skype for Business session is no longer available; reload to sign in again."
    };
    reason.to_string()
}

fn reason_or(err: &UcwaError, fallback: &str) -> String {
    err.message.clone().unwrap_or_else(|| fallback.to_string())
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

    fn err(status: u16, subcode: Option<&str>) -> UcwaError {
        UcwaError {
            status,
            subcode: subcode.map(str::to_string),
            ..UcwaError::default()
        }
    }

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
    fn expired_subscription_recreates_subscription_not_application() {
        let e = parse_error(404, Some("application/json"), SEED_001_404);
        assert_eq!(
            classify(&e, RequestContext::ExtendSubscription, None),
            Recovery::RecreateSubscription
        );
        assert_eq!(
            classify(&e, RequestContext::Other, None),
            Recovery::RecreateApplication
        );
        assert_eq!(
            classify(&e, RequestContext::SetPresence, None),
            Recovery::RecreateApplication
        );
        assert!(matches!(
            classify(&err(404, None), RequestContext::Other, None),
            Recovery::Fail(_)
        ));
    }

    #[test]
    fn conflicts() {
        let already = err(409, Some("AlreadyExists"));
        assert_eq!(
            classify(&already, RequestContext::MakeMeAvailable, None),
            Recovery::AlreadyDone
        );
        let mma = err(409, Some("MakeMeAvailableRequired"));
        assert_eq!(
            classify(&mma, RequestContext::SetPresence, None),
            Recovery::MakeMeAvailable
        );
        assert!(matches!(
            classify(
                &err(409, Some("PGetReplaced")),
                RequestContext::Events,
                None
            ),
            Recovery::Stop(_)
        ));
        assert_eq!(
            classify(&err(409, None), RequestContext::Other, None),
            Recovery::RetryLater
        );
    }

    #[test]
    fn gone_auth_transient_forbidden() {
        match classify(
            &err(410, Some("TooManyApplications")),
            RequestContext::Other,
            None,
        ) {
            Recovery::Stop(r) => assert!(r.contains("too many places")),
            other => panic!("{other:?}"),
        }
        match classify(
            &err(410, Some("InactiveApplicationExpired")),
            RequestContext::Events,
            None,
        ) {
            Recovery::Stop(r) => assert!(r.contains("inactivity")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            classify(&err(410, Some("Whatever")), RequestContext::Other, None),
            Recovery::Stop(_)
        ));
        assert_eq!(
            classify(&err(401, None), RequestContext::Events, None),
            Recovery::Reauthenticate
        );
        for s in [408, 429, 500, 502, 503, 504] {
            assert_eq!(
                classify(&err(s, None), RequestContext::SetPresence, None),
                Recovery::RetryLater
            );
        }
        match classify(
            &err(403, Some("LimitExceeded")),
            RequestContext::CreateSubscription,
            None,
        ) {
            Recovery::Fail(r) => assert!(r.contains("limit")),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            classify(
                &err(403, None),
                RequestContext::Other,
                Some("28070;reason=\"x\"")
            ),
            Recovery::Stop(ORIGIN_NOT_ALLOWED.to_string())
        );
        let msg = UcwaError {
            status: 403,
            message: Some("Service does not allow a cross domain request from this origin.".into()),
            ..UcwaError::default()
        };
        assert_eq!(
            classify(&msg, RequestContext::Other, None),
            Recovery::Stop(ORIGIN_NOT_ALLOWED.to_string())
        );
        assert!(matches!(
            classify(&err(400, None), RequestContext::Other, None),
            Recovery::Fail(_)
        ));
    }
}
