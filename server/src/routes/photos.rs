//! `photos/{user}`: the contact's `contactPhoto` and me's `photo` (contactPhoto_ref, seed 002).
//!
//! Authorised by the bearer token like every other resource, or by the `cwt_ucwa` cookie that
//! `POST applications` set for the application's `photos` path (an `<img>` sends no token);
//! see `state/photo_cookies.rs`. The route lies outside the token layer for that reason.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cookie::{Cookie, SameSite};

use crate::auth::{self, authenticate, bearer};
use crate::clock;
use crate::directory::normalize_uri;
use crate::error::{ApiError, ApiResult};
use crate::links;
use crate::log::LogUser;
use crate::photo;
use crate::state::AppState;

/// The cookie's name (seed 002).
pub const COOKIE: &str = "cwt_ucwa";

/// `Set-Cookie` for a photo cookie of application `app_id`: HttpOnly, limited to the
/// application's `photos` path; `Secure; SameSite=None` on an https server (so pages of other
/// sites can show the photos), else `SameSite=Lax` (browsers refuse `SameSite=None` without
/// `Secure`).
pub fn set_cookie(app_id: u64, value: &str, https: bool) -> Option<HeaderValue> {
    let cookie = Cookie::build((COOKIE, value))
        .path(format!("{}/photos", links::app(app_id)))
        .http_only(true)
        .secure(https)
        .same_site(if https { SameSite::None } else { SameSite::Lax })
        .build();
    HeaderValue::from_str(&cookie.to_string()).ok()
}

/// The `cwt_ucwa` values of the request's `Cookie` headers.
fn photo_cookies(headers: &HeaderMap) -> impl Iterator<Item = String> + '_ {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .filter(|c| c.name() == COOKIE)
        .map(|c| c.value().to_string())
}

/// Who may see photos of application `app_id`: the bearer token's user (whose application it
/// must be: 404/410 otherwise, as everywhere), else the user a valid photo cookie names, else
/// 401 with the usual challenge (the refusal is boxed: a response is large).
fn caller(
    state: &AppState,
    headers: &HeaderMap,
    app_id: Option<u64>,
) -> Result<String, Box<Response>> {
    let refuse = |e: ApiError| Box::new(e.into_response());
    if let Some(user) = authenticate(state, headers) {
        let app_id = app_id.ok_or_else(|| refuse(ApiError::application_not_found()))?;
        state
            .lock()
            .app_mut(app_id, &user, clock::now())
            .map_err(refuse)?;
        return Ok(user);
    }
    let now = clock::now();
    let from_cookie = app_id.and_then(|id| {
        let g = state.lock();
        photo_cookies(headers).find_map(|v| g.photo_cookie_user(id, &v, &state.pool, now))
    });
    from_cookie.ok_or_else(|| {
        let message = if bearer(headers).is_some() {
            "The OAuth token is invalid or has expired."
        } else {
            "An OAuth token or the application's photo cookie is required."
        };
        Box::new(auth::challenge(state, headers, message))
    })
}

/// `GET photos/{user}` (`?size=` is accepted and ignored): `image/png`, ETag, private caching
/// for 5 minutes; `If-None-Match` with the current tag → 304; no photo or no such user → 404.
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((app, contact)): Path<(String, String)>,
) -> Response {
    let user = match caller(&state, &headers, app.parse().ok()) {
        Ok(user) => user,
        Err(refused) => return *refused,
    };
    let mut response = match photo_response(&state, &headers, &contact) {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    response
        .extensions_mut()
        .insert(LogUser(format!("sip:{user}")));
    response
}

fn photo_response(state: &AppState, headers: &HeaderMap, contact: &str) -> ApiResult<Response> {
    let missing = || ApiError::resource_not_found("No photo is available for this contact.");
    let key = normalize_uri(contact).ok_or_else(missing)?;
    let generation = state.lock().photo_of(&key).ok_or_else(missing)?;
    let bytes = photo::png(&key)
        .map_err(|_| ApiError::service_failure("The photo could not be produced."))?;
    let tag = photo::etag(&bytes, generation);
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| photo::matches(v, &tag));
    let (status, body, content_type) = if not_modified {
        (StatusCode::NOT_MODIFIED, Body::empty(), None)
    } else {
        (StatusCode::OK, Body::from(bytes), Some("image/png"))
    };
    let mut response = Response::builder()
        .status(status)
        .header(header::CACHE_CONTROL, "private, max-age=300")
        .body(body)
        .map_err(|_| ApiError::service_failure("The photo could not be produced."))?;
    let h = response.headers_mut();
    if let Ok(tag) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, tag);
    }
    if let Some(ct) = content_type {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_http_only_on_the_photos_path_and_lax_without_https() {
        let plain = set_cookie(104, "abc", false).unwrap();
        let plain = plain.to_str().unwrap();
        assert!(plain.starts_with("cwt_ucwa=abc"), "{plain}");
        assert!(plain.contains("Path=/ucwa/oauth/v1/applications/104/photos"));
        assert!(plain.contains("HttpOnly"));
        assert!(plain.contains("SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        let tls = set_cookie(104, "abc", true).unwrap();
        let tls = tls.to_str().unwrap();
        assert!(
            tls.contains("Secure") && tls.contains("SameSite=None"),
            "{tls}"
        );
    }

    #[test]
    fn photo_cookies_are_read_from_every_cookie_header() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; cwt_ucwa=first"),
        );
        h.append(header::COOKIE, HeaderValue::from_static("cwt_ucwa=second"));
        h.append(header::COOKIE, HeaderValue::from_static("broken; =; x"));
        assert_eq!(photo_cookies(&h).collect::<Vec<_>>(), ["first", "second"]);
    }
}
