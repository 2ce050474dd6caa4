//! Cross-domain checks (Cross_domainIFRAME, CrossDomainCommunication) and CORS for browsers.
//!
//! A request naming an origin (`X-Ms-Origin` or `Origin`) outside the allow-list gets 403 with
//! `X-Ms-diagnostics: 28070`. Requests naming no origin (curl, server-side code) are allowed.
//! With `--cors off` no `Access-Control-*` header is sent and a preflight gets 400 28020.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::state::AppState;

pub const DIAG_NO_TOKEN: &str = "28020;reason=\"No valid security token.\"";
pub const DIAG_CROSS_DOMAIN: &str =
    "28070;reason=\"Service does not allow a cross domain request from this origin.\"";
const ALLOW_METHODS: &str = "GET, POST, PUT, DELETE, OPTIONS";
const ALLOW_HEADERS: &str = "Authorization, Content-Type, Accept, Accept-Language, X-Ms-Origin, X-Requested-With, If-None-Match, If-Match, X-MS-RequiresMinResourceVersion, Cache-Control, CWA-Ticket";
const EXPOSE_HEADERS: &str =
    "WWW-Authenticate, X-Ms-diagnostics, ETag, Location, Retry-After, CWA-Ticket";

/// The cross-domain authorization list.
#[derive(Debug, Clone)]
pub struct Origins {
    list: Vec<String>,
    any: bool,
}

impl Origins {
    /// Own origins are always allowed; without explicit entries the demo page's too.
    pub fn new(explicit: &[String], port: u16) -> Self {
        let mut list = vec![
            format!("http://127.0.0.1:{port}"),
            format!("http://localhost:{port}"),
        ];
        if explicit.is_empty() {
            list.push("http://localhost:8080".into());
            list.push("http://127.0.0.1:8080".into());
        }
        let any = explicit.iter().any(|o| o == "*");
        list.extend(explicit.iter().filter(|o| *o != "*").cloned());
        list.dedup();
        Origins { list, any }
    }

    pub fn allows(&self, origin: &str) -> bool {
        match normalize_origin(origin) {
            Some(o) => self.any || self.list.contains(&o),
            None => false,
        }
    }

    pub fn list(&self) -> &[String] {
        &self.list
    }

    /// `*` was on the list: every origin is allowed.
    pub fn any(&self) -> bool {
        self.any
    }
}

/// `scheme://host[:port]` in lower case without a default port or trailing slash.
pub fn normalize_origin(raw: &str) -> Option<String> {
    let s = raw.trim().trim_end_matches('/');
    let (scheme, rest) = s.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ']) {
        return None;
    }
    let rest = rest.to_ascii_lowercase();
    let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
        // An IPv6 literal: `[::1]` or `[::1]:8080`.
        let (addr, after) = v6.split_once(']')?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?.parse::<u16>().ok()?),
        };
        (format!("[{addr}]"), port)
    } else {
        match rest.split_once(':') {
            Some((h, p)) => (h.to_string(), Some(p.parse::<u16>().ok()?)),
            None => (rest.clone(), None),
        }
    };
    if host.is_empty() || host == "[]" {
        return None;
    }
    if !host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b))
    {
        return None;
    }
    let default = if scheme == "http" { 80 } else { 443 };
    Some(match port {
        Some(p) if p != default => format!("{scheme}://{host}:{p}"),
        _ => format!("{scheme}://{host}"),
    })
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .map(|v| v.to_str().unwrap_or("\u{0}invalid"))
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let browser_origin = header_str(req.headers(), "origin").map(str::to_string);
    let ms_origin = header_str(req.headers(), "x-ms-origin").map(str::to_string);
    if browser_origin.is_none() && ms_origin.is_none() {
        return next.run(req).await;
    }
    let refused = [&browser_origin, &ms_origin]
        .into_iter()
        .flatten()
        .any(|o| !state.origins.allows(o));
    if refused {
        return ApiError::forbidden(
            None,
            "Service does not allow a cross domain request from this origin.",
        )
        .with_header(
            header::HeaderName::from_static("x-ms-diagnostics"),
            HeaderValue::from_static(DIAG_CROSS_DOMAIN),
        )
        .into_response();
    }
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if !state.cfg.cors {
        if preflight {
            return ApiError::new(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                None,
                "No valid security token.",
            )
            .with_header(
                header::HeaderName::from_static("x-ms-diagnostics"),
                HeaderValue::from_static(DIAG_NO_TOKEN),
            )
            .into_response();
        }
        return next.run(req).await;
    }
    // Echo the browser's own Origin header (that is what the browser compares).
    let echo = browser_origin
        .or(ms_origin)
        .and_then(|o| HeaderValue::from_str(&o).ok());
    let mut response = if preflight {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(ALLOW_METHODS),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(ALLOW_HEADERS),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("3600"),
        );
        r
    } else {
        next.run(req).await
    };
    let h = response.headers_mut();
    if let Some(origin) = echo {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSE_HEADERS),
    );
    // Windows sign-in is a credentialed request (`credentials: "include"`): the browser reads
    // its answers (and sends its preflight's request) only with this header.
    if state.cfg.negotiate {
        h.insert(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
    }
    h.append(header::VARY, HeaderValue::from_static("Origin"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        assert_eq!(
            normalize_origin("HTTP://LocalHost:8080/").as_deref(),
            Some("http://localhost:8080")
        );
        assert_eq!(
            normalize_origin("https://a.example:443").as_deref(),
            Some("https://a.example")
        );
        assert_eq!(
            normalize_origin("http://a.example:80").as_deref(),
            Some("http://a.example")
        );
        assert_eq!(normalize_origin("null"), None);
        assert_eq!(normalize_origin("ftp://x"), None);
        assert_eq!(normalize_origin("http://x/path"), None);
        assert_eq!(normalize_origin("http://x:notaport"), None);
        assert_eq!(
            normalize_origin("http://[::1]:8080").as_deref(),
            Some("http://[::1]:8080")
        );
        assert_eq!(
            normalize_origin("http://[::1]").as_deref(),
            Some("http://[::1]")
        );
        assert_eq!(normalize_origin("http://[::1"), None);
        assert_eq!(normalize_origin("http://:80"), None);
    }

    #[test]
    fn defaults() {
        let o = Origins::new(&[], 9000);
        assert!(o.allows("http://localhost:8080"));
        assert!(o.allows("http://127.0.0.1:9000"));
        assert!(!o.allows("http://evil.example"));
        let o = Origins::new(&["https://intranet.contoso.com".into()], 9000);
        assert!(!o.allows("http://localhost:8080"));
        assert!(o.allows("https://intranet.contoso.com:443"));
        assert!(Origins::new(&["*".into()], 1).allows("http://anything.example"));
    }
}
