//! OAuth sign-in (AuthenticationInUCWA): the WebTicket `oauthtoken` endpoint and the bearer
//! token check in front of every `/ucwa` resource.

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::clock;
use crate::error::ApiError;
use crate::http::{self, host};
use crate::links;
use crate::log::LogUser;
use crate::state::AppState;

/// The authenticated user of a `/ucwa` request (lower-case key).
#[derive(Clone, Debug)]
pub struct Principal {
    pub user: String,
}

pub fn www_authenticate(state: &AppState, headers: &HeaderMap) -> HeaderValue {
    let base = links::base(host(headers), &state.local_authority);
    let value = format!("MsRtcOAuth href=\"{base}/WebTicket/oauthtoken\",grant_type=\"urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password\"");
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("MsRtcOAuth"))
}

/// 401 with the MsRtcOAuth challenge that tells the client where to get a token.
pub fn challenge(state: &AppState, headers: &HeaderMap, message: &str) -> Response {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "Unauthorized",
        Some("InvalidToken"),
        message,
    )
    .with_header(header::WWW_AUTHENTICATE, www_authenticate(state, headers))
    .into_response()
}

/// The `cwt=…` token of `Authorization: Bearer cwt=…`, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Resolves the bearer token to a user, if valid and unexpired.
pub fn authenticate(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let token = bearer(headers)?;
    state
        .lock()
        .tokens
        .user(token, &state.pool, clock::now())
        .map(str::to_string)
}

pub async fn require_token(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let Some(user) = authenticate(&state, req.headers()) else {
        let msg = if bearer(req.headers()).is_some() {
            "The OAuth token is invalid or has expired."
        } else {
            "An OAuth token is required."
        };
        return challenge(&state, req.headers(), msg);
    };
    req.extensions_mut()
        .insert(Principal { user: user.clone() });
    let mut response = next.run(req).await;
    response
        .extensions_mut()
        .insert(LogUser(format!("sip:{user}")));
    response
}

fn oauth_error(error: &str, description: &str) -> Response {
    http::json(
        StatusCode::BAD_REQUEST,
        &json!({ "error": error, "error_description": description }),
    )
}

/// `POST /WebTicket/oauthtoken` with `grant_type=password&username=…&password=…`.
pub async fn oauthtoken(State(state): State<AppState>, body: Bytes) -> Response {
    let form: Vec<(String, String)> = match serde_urlencoded::from_bytes(&body) {
        Ok(f) => f,
        Err(_) => {
            return oauth_error(
                "invalid_request",
                "The body must be application/x-www-form-urlencoded.",
            )
        }
    };
    let get = |name: &str| {
        form.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    match get("grant_type") {
        Some("password") => {}
        Some(_) => {
            return oauth_error(
                "unsupported_grant_type",
                "Only grant_type=password is supported.",
            )
        }
        None => return oauth_error("invalid_request", "grant_type is required."),
    }
    let (Some(username), Some(password)) = (get("username"), get("password")) else {
        return oauth_error("invalid_request", "username and password are required.");
    };
    let user = match state.dir.lookup(username) {
        Some(u) if u.password == password => u.key.clone(),
        _ => {
            let mut r = oauth_error("invalid_grant", "The user name or password is incorrect.");
            r.extensions_mut().insert(LogUser(format!(
                "({})",
                username.chars().take(64).collect::<String>()
            )));
            return r;
        }
    };
    let Ok(token) = state.lock().tokens.issue(&user, &state.pool, clock::now()) else {
        return ApiError::service_failure("No randomness is available for a token.")
            .into_response();
    };
    let mut response = http::ok(&json!({
        "access_token": token,
        "expires_in": state.cfg.token_lifetime.as_secs(),
        "ms_rtc_identityscope": "local",
        "token_type": "Bearer",
    }));
    response
        .extensions_mut()
        .insert(LogUser(format!("sip:{user}")));
    response
}
