//! UCWA error bodies (`ErrorsAndInformationalMessages`, `ErrorCode_ref`, `GenericSynchronousErrors`).
//!
//! Every failure the server produces is an [`ApiError`]: a status code plus the JSON body
//! `{"code", "subcode"?, "message"}` with `Content-Type: application/json`, which is what marks
//! an error as UCWA's rather than a proxy's.

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The message Microsoft's examples carry for generic failures (seed 001).
pub const GENERIC_MESSAGE: &str =
    "An error occurred. Please retry. If the problem persists, contact your support team.";

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub subcode: Option<&'static str>,
    pub message: String,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        subcode: Option<&'static str>,
        message: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            code,
            subcode,
            message: message.into(),
            headers: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// 400 BadRequest / ParameterValidationFailure.
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            Some("ParameterValidationFailure"),
            message,
        )
    }

    /// 400 BadRequest / DeserializationFailure (malformed JSON or form body).
    pub fn deserialization(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            Some("DeserializationFailure"),
            message,
        )
    }

    /// 404 NotFound / ApplicationNotFound: the client should create a new application.
    /// 410 Gone with a subcode (e.g. InactiveApplicationExpired).
    pub fn gone(subcode: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::GONE, "Gone", Some(subcode), message)
    }

    pub fn application_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            Some("ApplicationNotFound"),
            "The application resource does not exist.",
        )
    }

    /// 404 for a presence subscription that expired or never existed. Seed 001 shows this exact
    /// body (subcode ApplicationNotFound) for an expired subscription; see README.
    pub fn subscription_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            Some("ApplicationNotFound"),
            GENERIC_MESSAGE,
        )
    }

    /// 404 NotFound / ResourceNotFound.
    pub fn resource_not_found(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            Some("ResourceNotFound"),
            message,
        )
    }

    pub fn conflict(subcode: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "Conflict", Some(subcode), message)
    }

    pub fn make_me_available_required() -> Self {
        Self::conflict(
            "MakeMeAvailableRequired",
            "The application has not yet sent a request on the makeMeAvailable resource.",
        )
    }

    pub fn forbidden(subcode: Option<&'static str>, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "Forbidden", subcode, message)
    }

    pub fn service_failure(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "ServiceFailure",
            Some("ServiceFailure"),
            message,
        )
    }

    /// A UCWA error for a bare status code (used for framework rejections and injected faults).
    pub fn from_status(status: StatusCode) -> Self {
        let (code, subcode, message): (&'static str, Option<&'static str>, &str) =
            match status.as_u16() {
                400 => (
                    "BadRequest",
                    Some("ParameterValidationFailure"),
                    "The request is not valid.",
                ),
                401 => ("Unauthorized", None, "A valid OAuth token is required."),
                403 => ("Forbidden", None, "The request is not allowed."),
                404 => (
                    "NotFound",
                    Some("ResourceNotFound"),
                    "The resource does not exist.",
                ),
                405 => (
                    "MethodNotAllowed",
                    Some("MethodNotAllowed"),
                    "The requested HTTP method is not supported for this resource.",
                ),
                406 => (
                    "NotAcceptable",
                    None,
                    "The requested representation is not available.",
                ),
                408 | 504 => ("Timeout", Some("ServiceTimeout"), "The request timed out."),
                409 => (
                    "Conflict",
                    None,
                    "The resource is not in the proper state to accept the request.",
                ),
                410 => ("Gone", None, "The resource is permanently gone."),
                412 => (
                    "PreconditionFailed",
                    Some("PreconditionFailed"),
                    "An If-Match precondition was not met.",
                ),
                413 => (
                    "EntityTooLarge",
                    Some("EntityTooLarge"),
                    "The request is too large.",
                ),
                415 => (
                    "UnsupportedMediaType",
                    Some("UnsupportedMediaType"),
                    "The content-type is not supported.",
                ),
                422 => (
                    "BadRequest",
                    Some("DeserializationFailure"),
                    "The request body could not be deserialized.",
                ),
                428 => (
                    "PreconditionRequired",
                    Some("PreconditionRequired"),
                    "The operation requires an If-Match precondition.",
                ),
                429 => ("TooManyRequests", None, "Too many requests."),
                503 => (
                    "ServiceUnavailable",
                    None,
                    "The service is temporarily unavailable.",
                ),
                s if s >= 500 => (
                    "ServiceFailure",
                    Some("ServiceFailure"),
                    "Internal Server Error.",
                ),
                _ => ("BadRequest", None, "The request failed."),
            };
        // Statuses outside 400..=599 are not errors; keep them as given but never panic.
        Self::new(status, code, subcode, message)
    }

    pub fn body(&self) -> serde_json::Value {
        let mut body = json!({ "code": self.code, "message": self.message });
        if let (Some(sub), Some(obj)) = (self.subcode, body.as_object_mut()) {
            obj.insert("subcode".into(), sub.into());
        }
        body
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = self.body().to_string();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        for (name, value) in self.headers {
            headers.append(name, value);
        }
        response.extensions_mut().insert(UcwaErrorMarker);
        response
    }
}

/// Marks responses whose body is already a UCWA error (so the normalising layer leaves them alone).
#[derive(Clone, Copy, Debug)]
pub struct UcwaErrorMarker;

pub type ApiResult<T> = Result<T, ApiError>;
