//! Small HTTP helpers shared by the route handlers.

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};

/// A JSON response the way UCWA sends them.
pub fn json(status: StatusCode, body: &Value) -> Response {
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

pub fn ok(body: &Value) -> Response {
    json(StatusCode::OK, body)
}

pub fn no_content() -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// Query parameters, looked up case-insensitively (UCWA parameter names are not case-sensitive).
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> ApiResult<Params> {
        match raw {
            None | Some("") => Ok(Params(Vec::new())),
            Some(q) => serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                .map(Params)
                .map_err(|_| ApiError::invalid_parameter("The query string is malformed.")),
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// An optional integer parameter; present but not an integer is a validation failure.
    pub fn int(&self, name: &str) -> ApiResult<Option<i64>> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v.trim().parse::<i64>().map(Some).map_err(|_| {
                ApiError::invalid_parameter(format!("The parameter '{name}' must be an integer."))
            }),
        }
    }
}

/// Parses an optional JSON object body. Empty bodies give `None`.
pub fn json_body(headers: &HeaderMap, body: &Bytes) -> ApiResult<Option<Map<String, Value>>> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(None);
    }
    if let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    {
        let ct = ct.to_ascii_lowercase();
        if !(ct.contains("json") || ct.starts_with("text/plain")) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaType",
                Some("UnsupportedMediaType"),
                "The content-type is not supported; send application/json.",
            ));
        }
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(Some(map)),
        Ok(_) => Err(ApiError::deserialization(
            "The request body must be a JSON object.",
        )),
        Err(_) => Err(ApiError::deserialization(
            "The request body could not be deserialized as JSON.",
        )),
    }
}

/// Case-insensitive member lookup (the docs spell `Uris`/`uris`, `UserAgent`/`userAgent`).
pub fn field<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// An optional string member; any other JSON type is a validation failure. `null` is absent.
pub fn string_field(map: &Map<String, Value>, name: &str) -> ApiResult<Option<String>> {
    match field(map, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::invalid_parameter(format!(
            "The property '{name}' must be a string."
        ))),
    }
}

/// An array of strings (e.g. `uris`); absent gives `None`.
pub fn string_list(map: &Map<String, Value>, name: &str) -> ApiResult<Option<Vec<String>>> {
    match field(map, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    ApiError::invalid_parameter(format!("'{name}' must be an array of strings."))
                })
            })
            .collect::<ApiResult<Vec<_>>>()
            .map(Some),
        Some(_) => Err(ApiError::invalid_parameter(format!(
            "'{name}' must be an array of strings."
        ))),
    }
}

/// An integer member, also accepted as a numeric string.
pub fn int_field(map: &Map<String, Value>, name: &str) -> ApiResult<Option<i64>> {
    match field(map, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| ApiError::invalid_parameter(format!("'{name}' must be an integer."))),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| ApiError::invalid_parameter(format!("'{name}' must be an integer."))),
        Some(_) => Err(ApiError::invalid_parameter(format!(
            "'{name}' must be an integer."
        ))),
    }
}

/// The request's Host header, if any.
pub fn host(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::HOST).and_then(|v| v.to_str().ok())
}
