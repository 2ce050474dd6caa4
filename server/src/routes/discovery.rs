//! Autodiscover (RootURL): root and user (the XFrame page is [`crate::xframe`]). Links are absolute, built from Host.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::json;

use crate::auth;
use crate::http::{host, ok};
use crate::links;
use crate::log::LogUser;
use crate::state::AppState;
use crate::xframe;

const ROOT: &str = "/autodiscover/autodiscoverservice.svc/root";

pub async fn root(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = links::base(host(&headers), &state.local_authority);
    ok(&json!({
        "_links": {
            "self": { "href": format!("{base}{ROOT}") },
            "user": { "href": format!("{base}{ROOT}/oauth/user") },
            "xframe": { "href": format!("{base}{}", xframe::PATH) },
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
            "xframe": { "href": format!("{base}{}", xframe::PATH) },
        }
    }));
    r.extensions_mut().insert(LogUser(format!("sip:{user}")));
    r
}
