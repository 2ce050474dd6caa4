//! Autodiscover (RootURL): root, user and xframe. Links are absolute, built from Host.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::auth;
use crate::http::{host, ok};
use crate::links;
use crate::log::LogUser;
use crate::state::AppState;

const ROOT: &str = "/autodiscover/autodiscoverservice.svc/root";

pub async fn root(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = links::base(host(&headers), &state.local_authority);
    ok(&json!({
        "_links": {
            "self": { "href": format!("{base}{ROOT}") },
            "user": { "href": format!("{base}{ROOT}/oauth/user") },
            "xframe": { "href": format!("{base}/autodiscover/xframe/xframe.html") },
        }
    }))
}

pub async fn user(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(user) = auth::authenticate(&state, &headers) else {
        return auth::challenge(&state, &headers, "An OAuth token is required.");
    };
    let base = links::base(host(&headers), &state.local_authority);
    let mut r = ok(&json!({
        "_links": {
            "self": { "href": format!("{base}{ROOT}/oauth/user") },
            "applications": { "href": format!("{base}{}", links::APPLICATIONS) },
            "xframe": { "href": format!("{base}/autodiscover/xframe/xframe.html") },
        }
    }));
    r.extensions_mut().insert(LogUser(format!("sip:{user}")));
    r
}

/// A minimal XFrame page. The widget talks CORS directly; the page only exists so the link
/// resolves.
pub async fn xframe() -> Response {
    let mut r = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>XFrame</title></head><body></body></html>".into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}
