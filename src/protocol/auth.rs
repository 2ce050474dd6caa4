//! Sign-in (AuthenticationInUCWA): the `MsRtcOAuth` challenge of a 401, the password grant and
//! the token response.

use super::error::ProtocolError;
use super::fields::{parse_object, FromJson};
use super::json::Value;
use super::url::form_encode;

/// The `MsRtcOAuth` challenge: where to get a token and which grant types the server accepts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OAuthChallenge {
    /// The `href` parameter: the `oauthtoken` URL (absolute in practice).
    pub token_url: String,
    /// The `grant_type` parameter split at commas (`urn:microsoft.rtc:windows`, `password`, …).
    pub grant_types: Vec<String>,
}

impl OAuthChallenge {
    pub fn supports(&self, grant_type: &str) -> bool {
        self.grant_types
            .iter()
            .any(|g| g.eq_ignore_ascii_case(grant_type))
    }
}

/// One challenge of a `WWW-Authenticate` header: scheme and `key=value` parameters.
struct Challenge {
    scheme: String,
    params: Vec<(String, String)>,
}

/// Splits at commas outside double quotes.
fn split_outside_quotes(header: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in header.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&header[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&header[start..]);
    parts
}

/// `key=value` or `key="quoted \" value"` → (lowercased key, unquoted value).
fn parse_param(s: &str) -> Option<(String, String)> {
    let (key, value) = s.split_once('=')?;
    let key = key.trim();
    if key.is_empty() || key.contains(char::is_whitespace) {
        return None;
    }
    let value = value.trim();
    let value = match value.strip_prefix('"') {
        Some(rest) => {
            let inner = rest.strip_suffix('"').unwrap_or(rest);
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                out.push(if c == '\\' {
                    chars.next().unwrap_or('\\')
                } else {
                    c
                });
            }
            out
        }
        None => value.to_string(),
    };
    Some((key.to_ascii_lowercase(), value))
}

/// Parses every challenge of a (possibly combined) `WWW-Authenticate` header.
fn parse_challenges(header: &str) -> Vec<Challenge> {
    let mut challenges: Vec<Challenge> = Vec::new();
    for item in split_outside_quotes(header) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        // A new challenge starts with a scheme token that is not itself `key=`.
        let first_token_end = item
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(item.len());
        let starts_challenge = item
            .get(first_token_end..)
            .is_none_or(|rest| !rest.starts_with('='));
        if starts_challenge {
            let (scheme, rest) = item.split_at(first_token_end);
            let params = parse_param(rest.trim()).into_iter().collect();
            challenges.push(Challenge {
                scheme: scheme.to_string(),
                params,
            });
        } else if let (Some(current), Some(param)) = (challenges.last_mut(), parse_param(item)) {
            current.params.push(param);
        }
    }
    challenges
}

/// Finds the `MsRtcOAuth` challenge in a `WWW-Authenticate` header (which may also carry
/// `Bearer trusted_issuers="", client_id="…"` and others, joined with commas). `None` when there
/// is none or it lacks `href`.
pub fn parse_www_authenticate(header: &str) -> Option<OAuthChallenge> {
    let challenge = parse_challenges(header)
        .into_iter()
        .find(|c| c.scheme.eq_ignore_ascii_case("MsRtcOAuth"))?;
    let param = |name: &str| {
        challenge
            .params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let token_url = param("href")
        .map(str::trim)
        .filter(|h| !h.is_empty())?
        .to_string();
    let grant_types = param("grant_type")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_string)
        .collect();
    Some(OAuthChallenge {
        token_url,
        grant_types,
    })
}

/// Body of the password grant (`application/x-www-form-urlencoded;charset=UTF-8`).
pub fn password_grant_body(username: &str, password: &str) -> String {
    form_encode(&[
        ("grant_type", "password"),
        ("username", username),
        ("password", password),
    ])
}

/// Content type of the token request.
pub const TOKEN_REQUEST_CONTENT_TYPE: &str = "application/x-www-form-urlencoded;charset=UTF-8";

/// The `oauthtoken` 200 response: `{"access_token":"cwt=…","token_type":"Bearer","expires_in":28800}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenResponse {
    /// The token (`cwt=…`); empty when absent or not a string.
    pub access_token: String,
    /// `Bearer` unless the server names another type.
    pub token_type: String,
    /// Lifetime in seconds (28800 for signed-in users); numbers or numeric strings accepted.
    pub expires_in: Option<u64>,
    pub ms_rtc_identityscope: Option<String>,
}

/// A string member, trimmed; `None` when absent, blank or not a string.
fn opt_text(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A non-negative integer member, or a string holding one.
fn seconds(value: &Value, key: &str) -> Option<u64> {
    match value.get(key)? {
        Value::String(s) => s.trim().parse().ok(),
        number => number.as_u64(),
    }
}

impl FromJson for TokenResponse {
    const WHAT: &'static str = "token response";

    /// Reads the members; use [`TokenResponse::parse`], which also rejects an unusable token.
    fn from_json(value: &Value) -> Self {
        TokenResponse {
            access_token: value
                .get("access_token")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            token_type: opt_text(value, "token_type").unwrap_or_else(|| "Bearer".to_string()),
            expires_in: seconds(value, "expires_in"),
            ms_rtc_identityscope: opt_text(value, "ms_rtc_identityscope"),
        }
    }

    /// Parses a token response, rejecting one without a usable `access_token`, or whose
    /// `access_token` or `token_type` could not be sent in an `Authorization` header (a line
    /// break or NUL, which `fetch` refuses in a header value; found by fuzzing).
    fn parse(body: &str) -> Result<TokenResponse, ProtocolError> {
        let token = TokenResponse::from_json(&parse_object(body, Self::WHAT)?);
        let unsendable = |s: &str| s.contains(['\r', '\n', '\0']);
        if token.access_token.trim().is_empty() || unsendable(&token.access_token) {
            return Err(ProtocolError::new(
                Self::WHAT,
                "empty or malformed access_token",
            ));
        }
        if unsendable(&token.token_type) {
            return Err(ProtocolError::new(Self::WHAT, "malformed token_type"));
        }
        Ok(token)
    }
}

impl TokenResponse {
    /// The `Authorization` header value: `Bearer cwt=…` (the token already holds `cwt=`).
    pub fn authorization(&self) -> String {
        format!("{} {}", self.token_type, self.access_token.trim())
    }
}

/// A token error (400): `{"error":"invalid_grant", "error_description":…}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenError {
    pub error: Option<String>,
    pub error_description: Option<String>,
}

impl FromJson for TokenError {
    const WHAT: &'static str = "token error";
    fn from_json(value: &Value) -> Self {
        TokenError {
            error: opt_text(value, "error"),
            error_description: opt_text(value, "error_description"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC_HEADER: &str = r#"MsRtcOAuth href="https://lyncweb.contoso.com/WebTicket/oauthtoken",grant_type="urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password""#;

    #[test]
    fn finds_msrtcoauth_among_challenges() {
        let combined = format!(
            r#"Bearer trusted_issuers="", client_id="00000004-0000-0ff1-ce00-000000000000", {DOC_HEADER}"#
        );
        for header in [DOC_HEADER.to_string(), combined] {
            let c = parse_www_authenticate(&header).unwrap();
            assert_eq!(
                c.token_url,
                "https://lyncweb.contoso.com/WebTicket/oauthtoken"
            );
            assert_eq!(
                c.grant_types,
                [
                    "urn:microsoft.rtc:windows",
                    "urn:microsoft.rtc:anonmeeting",
                    "password"
                ]
            );
            assert!(c.supports("PASSWORD"));
        }
    }

    #[test]
    fn tolerates_spacing_case_and_escapes() {
        let c = parse_www_authenticate(
            r#"Negotiate, msrtcoauth  GRANT_TYPE = "password" , href="https://h/o\"k" , realm=x"#,
        )
        .unwrap();
        assert_eq!(c.token_url, "https://h/o\"k");
        assert_eq!(c.grant_types, ["password"]);
        let c = parse_www_authenticate("MsRtcOAuth href=https://h/t").unwrap();
        assert!(c.grant_types.is_empty());
    }

    #[test]
    fn no_challenge() {
        for h in [
            "",
            "Bearer realm=\"x\"",
            "MsRtcOAuth",
            "MsRtcOAuth grant_type=\"password\"",
            "MsRtcOAuth href=\"\"",
            "Bearer x=\"MsRtcOAuth href=\\\"h\\\"\"",
            "\"",
            ",,,",
            "=",
            "MsRtcOAuth href=\"unterminated",
        ] {
            let parsed = parse_www_authenticate(h);
            if h.contains("unterminated") {
                assert_eq!(parsed.map(|c| c.token_url).as_deref(), Some("unterminated"));
            } else {
                assert_eq!(parsed, None, "{h}");
            }
        }
    }

    #[test]
    fn password_grant() {
        assert_eq!(
            password_grant_body("contoso\\dana", "p@ss word&"),
            "grant_type=password&username=contoso%5Cdana&password=p%40ss+word%26"
        );
    }

    #[test]
    fn token_responses() {
        let t = TokenResponse::parse(
            r#"{"access_token":"cwt=AAEB...buHc","token_type":"Bearer","expires_in":28800,"ms_rtc_identityscope":"local","x":1}"#,
        )
        .unwrap();
        assert_eq!(t.authorization(), "Bearer cwt=AAEB...buHc");
        assert_eq!(t.expires_in, Some(28800));
        assert_eq!(t.ms_rtc_identityscope.as_deref(), Some("local"));
        let t =
            TokenResponse::parse(r#"{"access_token":"cwt=x","expires_in":"60","token_type":null}"#)
                .unwrap();
        assert_eq!((t.token_type.as_str(), t.expires_in), ("Bearer", Some(60)));
        let t = TokenResponse::parse(
            r#"{"access_token":"cwt=y","token_type":" MsRtc ","expires_in":28800.0,"ms_rtc_identityscope":5}"#,
        )
        .unwrap();
        assert_eq!(t.authorization(), "MsRtc cwt=y");
        assert_eq!((t.expires_in, t.ms_rtc_identityscope), (None, None));
        for bad in [
            "",
            "[]",
            "\"cwt=x\"",
            "{}",
            r#"{"access_token":""}"#,
            r#"{"access_token":7}"#,
            r#"{"access_token":"a\r\nX: y"}"#,
        ] {
            assert!(TokenResponse::parse(bad).is_err(), "{bad}");
        }
        let e = TokenError::parse(r#"{"error":"invalid_grant"}"#).unwrap();
        assert_eq!(e.error.as_deref(), Some("invalid_grant"));
        let e = TokenError::parse(r#"{"error":" ","error_description":" bad password "}"#).unwrap();
        assert_eq!(
            (e.error, e.error_description.as_deref()),
            (None, Some("bad password"))
        );
    }

    /// Found by fuzzing (fuzz/ target `resources`): a `token_type` with a line break made an
    /// `Authorization` value that `fetch` refuses; it is now a clear token response error.
    #[test]
    fn token_type_with_a_line_break_or_nul_is_refused() {
        for body in [
            r#"{"access_token":"cwt=x","token_type":"Bearer\r\nX-Injected: 1"}"#,
            r#"{"access_token":"cwt=x","token_type":"Bea\nrer"}"#,
            r#"{"access_token":"cwt=\u0000x"}"#,
        ] {
            let error = TokenResponse::parse(body).unwrap_err();
            assert_eq!(error.what, "token response", "{body}");
        }
        let fine = TokenResponse::parse(r#"{"access_token":"cwt=x","token_type":" Bearer "}"#);
        assert_eq!(fine.unwrap().authorization(), "Bearer cwt=x");
    }
}
