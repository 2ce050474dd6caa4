//! Autodiscover (RootURL): root and user (the XFrame page is [`crate::xframe`]). Links are absolute, built from Host.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::auth;
use crate::error::ApiError;
use crate::http::{host, ok};
use crate::links;
use crate::log::LogUser;
use crate::pools;
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
    if state.pools.home_of(&user).name != state.pool {
        // Homed on another pool: a pointer to `redirect` instead of `applications`.
        let mut r = ok(&json!({
            "_links": {
                "self": { "href": format!("{base}{ROOT}/oauth/user") },
                "redirect": { "href": format!("{base}{ROOT}/user/redirect") },
                "xframe": { "href": format!("{base}{}", xframe::PATH) },
            }
        }));
        r.extensions_mut().insert(LogUser(format!("sip:{user}")));
        return r;
    }
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

/// `redirect` (redirect_ref): the user's home pool, its `user` resource and its XFrame page.
pub async fn redirect(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(user) = auth::authenticate(&state, &headers) else {
        return auth::challenge(&state, &headers, "An OAuth token is required.");
    };
    let home = state.pools.home_of(&user);
    let mut r = if home.name == state.pool {
        ApiError::resource_not_found("The user is homed on this pool: there is no redirect.")
            .into_response()
    } else {
        let base = links::base(host(&headers), &state.local_authority);
        let target = pools::base_for(home, host(&headers));
        ok(&json!({
            "rel": "redirect",
            "_links": {
                "self": { "href": format!("{base}{ROOT}/user/redirect") },
                "user": { "href": format!("{target}{ROOT}/user") },
                "xframe": { "href": format!("{target}{}", xframe::PATH) },
            }
        }))
    };
    r.extensions_mut().insert(LogUser(format!("sip:{user}")));
    r
}
