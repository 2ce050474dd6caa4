//! `batch` (BatchingRequests): a `multipart/batching` body of `application/http;
//! msgtype=request` parts, answered in request order as `application/http; msgtype=response`
//! parts. At most 100 outstanding sub-requests per user (else 429, nothing executed).

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;

use crate::error::{ApiError, ApiResult};
use crate::random;
use crate::routes::extract::App;
use crate::state::AppState;

/// The documented default of `--max-outstanding` (BatchingRequests).
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

/// Headers accepted in a part's MIME head and in its request.
const MAX_PART_HEADERS: usize = 64;

pub fn parse(body: &str, boundary: &str) -> ApiResult<Vec<Part>> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut chunks = body.split(delimiter.as_str());
    chunks.next(); // preamble
    for chunk in chunks {
        if chunk.starts_with("--") {
            break; // closing delimiter
        }
        parts.push(parse_part(
            chunk.trim_start_matches(['\r', '\n']).as_bytes(),
        )?);
    }
    Ok(parts)
}

/// One part: a MIME head saying `application/http`, then an HTTP request (both parsed by
/// httparse).
fn parse_part(chunk: &[u8]) -> ApiResult<Part> {
    let not_http = || {
        ApiError::invalid_parameter(
            "Each batch part must be Content-Type: application/http; msgtype=request.",
        )
    };
    let mut mime = [httparse::EMPTY_HEADER; MAX_PART_HEADERS];
    let Ok(httparse::Status::Complete((offset, mime))) = httparse::parse_headers(chunk, &mut mime)
    else {
        return Err(not_http());
    };
    let is_request = mime.iter().any(|h| {
        h.name.eq_ignore_ascii_case("content-type")
            && String::from_utf8_lossy(h.value)
                .to_ascii_lowercase()
                .contains("application/http")
    });
    if !is_request {
        return Err(not_http());
    }
    parse_request(&chunk[offset..])
}

/// The request of a part. A part may end right after its headers (the CRLF before the next
/// delimiter belongs to the delimiter): then the head is completed and the body is empty.
fn parse_request(message: &[u8]) -> ApiResult<Part> {
    if let Some((mut part, head_len)) = parse_request_head(message)? {
        part.body = trim_newlines(&message[head_len..]).to_vec();
        return Ok(part);
    }
    let mut completed = trim_newlines(message).to_vec();
    completed.extend_from_slice(b"\r\n\r\n");
    parse_request_head(&completed)?
        .map(|(part, _)| part)
        .ok_or_else(|| ApiError::invalid_parameter("A batch part has no request line."))
}

fn trim_newlines(bytes: &[u8]) -> &[u8] {
    let end = bytes
        .iter()
        .rposition(|b| !matches!(b, b'\r' | b'\n'))
        .map_or(0, |i| i + 1);
    &bytes[..end]
}

/// The request line and headers with the head's length, or `None` while the head is
/// incomplete.
fn parse_request_head(bytes: &[u8]) -> ApiResult<Option<(Part, usize)>> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_PART_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    let head_len = match request.parse(bytes) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(ApiError::invalid_parameter(format!(
                "A batch part has more than {MAX_PART_HEADERS} headers."
            )))
        }
        Err(e) => {
            return Err(ApiError::invalid_parameter(format!(
                "A batch part is not an HTTP request: {e}."
            )))
        }
    };
    let (Some(method), Some(target)) = (request.method, request.path) else {
        return Ok(None);
    };
    let method = Method::from_bytes(method.as_bytes())
        .map_err(|_| ApiError::invalid_parameter("A batch part has an invalid method."))?;
    let headers = request
        .headers
        .iter()
        .map(|h| {
            let value = String::from_utf8_lossy(h.value).trim().to_string();
            (h.name.to_string(), value)
        })
        .collect();
    let part = Part {
        method,
        target: target.to_string(),
        headers,
        body: Vec::new(),
    };
    Ok(Some((part, head_len)))
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
    p: App,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let boundary = boundary(&headers)?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::deserialization("The batch body is not UTF-8."))?;
    let parts = parse(text, &boundary)?;
    let _outstanding = {
        let mut g = state.lock();
        let current = g.outstanding.entry(p.user.clone()).or_insert(0);
        let limit = state.cfg.max_outstanding;
        if *current + parts.len() > limit {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                None,
                format!("At most {limit} outstanding requests are allowed per user."),
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
        .router()
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

    fn one(message: &str) -> ApiResult<Part> {
        let b = "b1";
        let body = format!(
            "--{b}\r\nContent-Type: application/http; msgtype=request\r\n\r\n{message}\r\n--{b}--\r\n"
        );
        let mut parts = parse(&body, b)?;
        assert_eq!(parts.len(), 1);
        Ok(parts.remove(0))
    }

    #[test]
    fn a_part_carries_its_headers_and_body() {
        let p = one("POST /ucwa/x/me/note HTTP/1.1\r\nContent-Type: application/json\r\nX-Extra:  padded \r\n\r\n{\"message\":\"hi\"}").unwrap();
        assert_eq!(
            (p.method, p.target.as_str()),
            (Method::POST, "/ucwa/x/me/note")
        );
        assert_eq!(
            p.headers,
            [
                ("Content-Type".to_string(), "application/json".to_string()),
                ("X-Extra".to_string(), "padded".to_string())
            ]
        );
        assert_eq!(p.body, br#"{"message":"hi"}"#);
    }

    #[test]
    fn a_part_may_end_after_its_headers_and_use_bare_newlines() {
        let p = one("GET /a HTTP/1.1\r\nAccept: application/json").unwrap();
        assert_eq!(
            (p.target.as_str(), p.headers.len(), p.body.len()),
            ("/a", 1, 0)
        );
        let p = one("DELETE /b HTTP/1.1\nAccept: */*\n\n").unwrap();
        assert_eq!((p.method, p.headers.len()), (Method::DELETE, 1));
    }

    #[test]
    fn malformed_parts_are_clear_400s() {
        let message = |r: ApiResult<Part>| {
            let e = r.expect_err("must be refused");
            assert_eq!(e.status, StatusCode::BAD_REQUEST);
            e.message
        };
        assert_eq!(message(one("")), "A batch part has no request line.");
        assert!(message(one("GET /a")).contains("not an HTTP request"));
        assert!(message(one("GET /a HTTP/9.9\r\n\r\n")).contains("not an HTTP request"));
        assert!(message(one("G(T /a HTTP/1.1\r\n\r\n")).contains("not an HTTP request"));
        let many: String = (0..70).map(|i| format!("X-{i}: v\r\n")).collect();
        assert!(message(one(&format!("GET /a HTTP/1.1\r\n{many}\r\n"))).contains("more than 64"));
        let mime_only = "--b\r\nContent-Type: application/http\r\n--b--";
        assert!(parse(mime_only, "b").is_err());
    }
}
