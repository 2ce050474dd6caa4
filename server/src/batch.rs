//! `batch` (BatchingRequests): a `multipart/batching` body of `application/http;
//! msgtype=request` parts, answered in request order as `application/http; msgtype=response`
//! parts. At most 100 outstanding sub-requests per user (else 429, nothing executed).

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use tower::ServiceExt;

use crate::auth::Principal;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::random;
use crate::routes::app_id;
use crate::state::AppState;

pub const MAX_OUTSTANDING: usize = 100;
const MAX_PART_RESPONSE: usize = 4 * 1024 * 1024;

/// One parsed sub-request.
#[derive(Debug)]
pub struct Part {
    pub method: Method,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

fn boundary(headers: &HeaderMap) -> ApiResult<String> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut pieces = ct.split(';');
    let mime = pieces.next().unwrap_or("").trim();
    if !mime.eq_ignore_ascii_case("multipart/batching")
        && !mime.eq_ignore_ascii_case("multipart/mixed")
    {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            Some("UnsupportedMediaType"),
            "A batch must be multipart/batching.",
        ));
    }
    pieces
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
        .filter(|b| !b.is_empty() && b.len() <= 200)
        .ok_or_else(|| ApiError::invalid_parameter("The multipart boundary is missing."))
}

/// Splits `text` into header lines and the rest at the first blank line.
fn split_head(text: &str) -> (&str, &str) {
    for sep in ["\r\n\r\n", "\n\n"] {
        if let Some(i) = text.find(sep) {
            return (&text[..i], &text[i + sep.len()..]);
        }
    }
    (text, "")
}

pub fn parse(body: &str, boundary: &str) -> ApiResult<Vec<Part>> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut chunks = body.split(delimiter.as_str());
    chunks.next(); // preamble
    for chunk in chunks {
        if chunk.starts_with("--") {
            break; // closing delimiter
        }
        let chunk = chunk.trim_start_matches(['\r', '\n']);
        let (mime_head, http_message) = split_head(chunk);
        let is_request = mime_head.lines().any(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("content-type:") && l.contains("application/http")
        });
        if !is_request {
            return Err(ApiError::invalid_parameter(
                "Each batch part must be Content-Type: application/http; msgtype=request.",
            ));
        }
        let (request_head, request_body) = split_head(http_message);
        let mut lines = request_head.lines();
        let request_line = lines.next().unwrap_or("").trim();
        let mut words = request_line.split_whitespace();
        let (Some(method), Some(target)) = (words.next(), words.next()) else {
            return Err(ApiError::invalid_parameter(
                "A batch part has no request line.",
            ));
        };
        let method = Method::from_bytes(method.as_bytes())
            .map_err(|_| ApiError::invalid_parameter("A batch part has an invalid method."))?;
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let body = request_body
            .trim_end_matches(['\r', '\n'])
            .as_bytes()
            .to_vec();
        parts.push(Part {
            method,
            target: target.to_string(),
            headers,
            body,
        });
    }
    Ok(parts)
}

/// The path and query of a request target that may be an absolute URL.
fn path_of(target: &str) -> String {
    match target.split_once("://") {
        Some((_, rest)) => rest
            .find('/')
            .map_or("/".to_string(), |i| rest[i..].to_string()),
        None => target.to_string(),
    }
}

struct Outstanding {
    state: AppState,
    user: String,
    n: usize,
}

impl Drop for Outstanding {
    fn drop(&mut self) {
        let mut g = self.state.lock();
        if let Some(c) = g.outstanding.get_mut(&self.user) {
            *c = c.saturating_sub(self.n);
        }
    }
}

pub async fn handle(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let id = app_id(&app)?;
    state.lock().app_mut(id, &p.user, clock::now())?;
    let boundary = boundary(&headers)?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::deserialization("The batch body is not UTF-8."))?;
    let parts = parse(text, &boundary)?;
    let _outstanding = {
        let mut g = state.lock();
        let current = g.outstanding.entry(p.user.clone()).or_insert(0);
        if *current + parts.len() > MAX_OUTSTANDING {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                None,
                format!("At most {MAX_OUTSTANDING} outstanding requests are allowed per user."),
            ));
        }
        *current += parts.len();
        Outstanding {
            state: state.clone(),
            user: p.user.clone(),
            n: parts.len(),
        }
    };
    let router = state
        .router
        .get()
        .cloned()
        .ok_or_else(|| ApiError::service_failure("The batch executor is not ready."))?;
    let out_boundary = random::hex(32).map_err(|_| {
        ApiError::service_failure("No randomness is available for a batch boundary.")
    })?;
    let mut out = String::new();
    for part in parts {
        let path = path_of(&part.target);
        let lower = path.to_ascii_lowercase();
        let (status, part_headers, part_body) = if lower.contains("/batch")
            || lower.contains("/events")
            || lower.contains("/photos/")
        {
            let e = ApiError::invalid_parameter(
                "Batch requests cannot contain batch, events or photo requests.",
            );
            (
                e.status,
                vec![("Content-Type".to_string(), "application/json".to_string())],
                e.body().to_string(),
            )
        } else {
            run_part(&router, &headers, part, &path).await
        };
        out.push_str(&format!(
            "--{out_boundary}\r\nContent-Type: application/http; msgtype=response\r\n\r\n"
        ));
        out.push_str(&format!(
            "HTTP/1.1 {} {}\r\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        ));
        for (k, v) in part_headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        out.push_str(&part_body);
        out.push_str("\r\n");
    }
    out.push_str(&format!("--{out_boundary}--\r\n"));
    let mut r = (StatusCode::OK, out).into_response();
    if let Ok(v) =
        HeaderValue::from_str(&format!("multipart/batching; boundary=\"{out_boundary}\""))
    {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    Ok(r)
}

async fn run_part(
    router: &axum::Router,
    outer: &HeaderMap,
    part: Part,
    path: &str,
) -> (StatusCode, Vec<(String, String)>, String) {
    let mut builder = Request::builder().method(part.method).uri(path);
    let mut has_auth = false;
    for (k, v) in &part.headers {
        let lk = k.to_ascii_lowercase();
        // Origin checks were made on the batch itself; the part inherits them.
        if lk == "origin" || lk == "x-ms-origin" || lk == "content-length" {
            continue;
        }
        has_auth |= lk == "authorization";
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            builder = builder.header(name, value);
        }
    }
    for name in [header::AUTHORIZATION, header::HOST] {
        if name == header::AUTHORIZATION && has_auth {
            continue;
        }
        if let Some(v) = outer.get(&name) {
            builder = builder.header(name, v.clone());
        }
    }
    let request = match builder.body(Body::from(part.body)) {
        Ok(r) => r,
        Err(_) => {
            let e =
                ApiError::invalid_parameter("A batch part could not be parsed as an HTTP request.");
            return (
                e.status,
                vec![("Content-Type".into(), "application/json".into())],
                e.body().to_string(),
            );
        }
    };
    let response = match router.clone().oneshot(request).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    let status = response.status();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter(|(k, _)| {
            matches!(
                k.as_str(),
                "content-type"
                    | "cache-control"
                    | "etag"
                    | "location"
                    | "www-authenticate"
                    | "x-ms-diagnostics"
            )
        })
        .filter_map(|(k, v)| {
            v.to_str()
                .ok()
                .map(|v| (k.as_str().to_string(), v.to_string()))
        })
        .collect();
    let body = to_bytes(response.into_body(), MAX_PART_RESPONSE)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    (status, headers, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documented_example() {
        let b = "77f2569d";
        let body = format!("--{b}\r\nContent-Type: application/http; msgtype=request\r\n\r\nGET /ucwa/oauth/v1/applications/103/people/contacts HTTP/1.1\r\nHost: lyncweb.contoso.com\r\nAccept: application/json\r\n\r\n--{b}\r\nContent-Type: application/http; msgtype=request\r\n\r\nGET https://lyncweb.contoso.com/ucwa/oauth/v1/applications/103/me HTTP/1.1\r\nAccept: application/json\r\n\r\n--{b}--\r\n");
        let parts = parse(&body, b).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            parts[0].target,
            "/ucwa/oauth/v1/applications/103/people/contacts"
        );
        assert_eq!(
            path_of(&parts[1].target),
            "/ucwa/oauth/v1/applications/103/me"
        );
        assert!(parse(
            &format!("--{b}\r\nContent-Type: text/plain\r\n\r\nhello\r\n--{b}--"),
            b
        )
        .is_err());
        assert!(parse(
            &format!("--{b}\r\nContent-Type: application/http\r\n\r\n\r\n--{b}--"),
            b
        )
        .is_err());
    }
}
