//! Windows sign-in (`grant_type=urn:microsoft.rtc:windows`): HTTP Negotiate (RFC 4559) with
//! SPNEGO/Kerberos on the token endpoint, accepted with the keytab named by `KRB5_KTNAME`.
//!
//! One round trip: no `Authorization: Negotiate …` → 401 `WWW-Authenticate: Negotiate`; the
//! browser answers with a token that GSS accepts in one step (Kerberos inside SPNEGO). A
//! mechanism that needs more legs (NTLM) is refused: the server keeps no per-connection state.
//! The GSS calls block (keytab and replay-cache files), so they run in `spawn_blocking`.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use libgssapi::context::{SecurityContext, ServerCtx};
use serde_json::json;

use crate::directory::Directory;
use crate::http;

/// The largest `Authorization: Negotiate` token accepted (Kerberos tickets with a big PAC are a
/// few KB; 64 KB is far beyond any real one).
const MAX_TOKEN_BYTES: usize = 64 * 1024;

/// What GSS made of a client's token.
#[derive(Debug, PartialEq, Eq)]
pub struct Accepted {
    /// The client's principal as GSS displays it, e.g. `dana@CONTOSO.TEST`.
    pub principal: String,
    /// The token to send back in `WWW-Authenticate: Negotiate <b64>` (mutual authentication).
    pub reply: Option<Vec<u8>>,
}

/// The token of `Authorization: Negotiate <base64>`: `Ok(None)` when the request carries no
/// Negotiate credentials (no header, another scheme), `Err` when it carries unusable ones.
pub fn request_token(headers: &HeaderMap) -> Result<Option<Vec<u8>>, String> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let Ok(value) = value.to_str() else {
        return Err("The Authorization header is not ASCII.".into());
    };
    let value = value.trim();
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("negotiate") {
        return Ok(None);
    }
    let token = token.trim();
    if token.is_empty() {
        return Err("The Negotiate token is empty.".into());
    }
    if token.len() > MAX_TOKEN_BYTES * 4 / 3 + 4 {
        return Err("The Negotiate token is too large.".into());
    }
    STANDARD
        .decode(token)
        .map(Some)
        .map_err(|_| "The Negotiate token is not valid base64.".into())
}

/// Accepts a client's SPNEGO token with the default acceptor credentials (every service key
/// in the keytab, every mechanism). Errors carry GSS's own explanation.
pub async fn accept(token: Vec<u8>) -> Result<Accepted, String> {
    tokio::task::spawn_blocking(move || accept_blocking(&token))
        .await
        .unwrap_or_else(|e| Err(format!("The Negotiate check did not finish: {e}")))
}

fn accept_blocking(token: &[u8]) -> Result<Accepted, String> {
    let mut ctx = ServerCtx::new(None);
    let reply = ctx
        .step(token, None)
        .map_err(|e| format!("The Negotiate token was not accepted: {e}"))?;
    if !ctx.is_complete() {
        return Err(
            "The Negotiate exchange needs more than one round trip (only Kerberos is supported)."
                .into(),
        );
    }
    let principal = ctx
        .source_name()
        .map_err(|e| format!("The client's name is not available: {e}"))?
        .to_string();
    Ok(Accepted {
        principal,
        reply: reply.map(|b| b.to_vec()).filter(|b| !b.is_empty()),
    })
}

/// The directory user a Kerberos principal signs in as: `name@REALM` → the one user whose
/// sign-in name's local part is `name` (case-insensitive), if `realm` (when configured)
/// matches. Principals with an instance (`name/host@REALM`) and local parts that several
/// users share map to nobody.
pub fn user_for(dir: &Directory, principal: &str, realm: Option<&str>) -> Result<String, String> {
    let unknown = || format!("The principal {principal} is not a user of this server.");
    let (name, principal_realm) = principal.rsplit_once('@').unwrap_or((principal, ""));
    if let Some(expected) = realm {
        if !principal_realm.eq_ignore_ascii_case(expected) {
            return Err(format!(
                "The principal {principal} is not of the realm {expected}."
            ));
        }
    }
    if name.is_empty() || name.contains('/') {
        return Err(unknown());
    }
    let mut matches = dir.users().iter().filter(|u| {
        u.key
            .split_once('@')
            .is_some_and(|(local, _)| local.eq_ignore_ascii_case(name))
    });
    match (matches.next(), matches.next()) {
        (Some(user), None) => Ok(user.key.clone()),
        (Some(_), Some(_)) => Err(format!(
            "The principal {principal} matches several users of this server."
        )),
        (None, _) => Err(unknown()),
    }
}

/// 401 with a plain `WWW-Authenticate: Negotiate` (the browser then answers with a token).
pub fn challenge(description: &str) -> Response {
    let mut r = http::json(
        StatusCode::UNAUTHORIZED,
        &json!({ "error": "invalid_client", "error_description": description }),
    );
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Negotiate"),
    );
    r
}

/// Adds GSS's output token to a successful response.
pub fn add_reply(response: &mut Response, reply: Option<&[u8]>) {
    let Some(reply) = reply else { return };
    if let Ok(v) = HeaderValue::from_str(&format!("Negotiate {}", STANDARD.encode(reply))) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn reads_the_negotiate_token() {
        assert_eq!(request_token(&HeaderMap::new()), Ok(None));
        assert_eq!(request_token(&auth("Bearer cwt=abc")), Ok(None));
        assert_eq!(request_token(&auth("Basic ZGFuYTpkZW1v")), Ok(None));
        assert_eq!(
            request_token(&auth("Negotiate YWJj")),
            Ok(Some(b"abc".to_vec()))
        );
        assert_eq!(
            request_token(&auth("negotiate   YWJj  ")),
            Ok(Some(b"abc".to_vec()))
        );
        for bad in ["Negotiate", "Negotiate ", "Negotiate ***", "Negotiate YWJ"] {
            assert!(request_token(&auth(bad)).is_err(), "{bad}");
        }
        let huge = format!("Negotiate {}", "A".repeat(MAX_TOKEN_BYTES * 2));
        assert!(request_token(&auth(&huge))
            .unwrap_err()
            .contains("too large"));
    }

    #[test]
    fn maps_principals_to_directory_users() {
        let dir = Directory::builtin();
        let map = |p: &str, realm: Option<&str>| user_for(&dir, p, realm);
        assert_eq!(
            map("dana@CONTOSO.TEST", None).as_deref(),
            Ok("dana@contoso.com")
        );
        assert_eq!(
            map("SaraD@CONTOSO.TEST", Some("contoso.test")).as_deref(),
            Ok("sarad@contoso.com")
        );
        assert!(map("dana@OTHER.TEST", Some("CONTOSO.TEST"))
            .unwrap_err()
            .contains("realm"));
        for unknown in [
            "nobody@CONTOSO.TEST",
            "HTTP/localhost@CONTOSO.TEST",
            "@X",
            "",
        ] {
            assert!(map(unknown, None).is_err(), "{unknown}");
        }
    }

    #[test]
    fn a_local_part_two_users_share_maps_to_nobody() {
        let dir = Directory::parse(
            r#"
            [[users]]
            uri = "sip:ann@fabrikam.com"
            password = "x"
            [[users]]
            uri = "sip:ann@contoso.com"
            password = "x"
            "#,
        )
        .unwrap();
        assert!(user_for(&dir, "ann@CONTOSO.TEST", None)
            .unwrap_err()
            .contains("several"));
    }

    #[tokio::test]
    async fn garbage_tokens_are_refused_not_panicked_on() {
        for token in [&b""[..], b"\x00", b"not a GSS token", &[0x60; 300]] {
            assert!(accept(token.to_vec()).await.is_err(), "{token:?}");
        }
    }
}
