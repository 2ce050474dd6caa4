//! `applications` / `application` (applications_ref, application_ref, MultiTabSupport).

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;

use super::extract::{App, JsonObject};
use super::photos;
use crate::auth::{bearer, Principal};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http::{self, ok, string_field, Params};
use crate::resources;
use crate::state::{AppState, Endpoint};

const MAX_LEN: usize = 100;

fn required(map: &serde_json::Map<String, serde_json::Value>, name: &str) -> ApiResult<String> {
    match string_field(map, name)? {
        Some(s) if !s.trim().is_empty() && s.chars().count() <= MAX_LEN => Ok(s.trim().to_string()),
        Some(_) => Err(ApiError::invalid_parameter(format!(
            "'{name}' must be 1 to {MAX_LEN} characters."
        ))),
        None => Err(ApiError::invalid_parameter(format!(
            "'{name}' is required."
        ))),
    }
}

fn optional(
    map: &serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> ApiResult<Option<String>> {
    match string_field(map, name)? {
        Some(s) if s.chars().count() > MAX_LEN => Err(ApiError::invalid_parameter(format!(
            "'{name}' must be at most {MAX_LEN} characters."
        ))),
        Some(s) if s.trim().is_empty() => Ok(None),
        other => Ok(other.map(|s| s.trim().to_string())),
    }
}

pub async fn create(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    headers: HeaderMap,
    JsonObject(map): JsonObject,
) -> ApiResult<Response> {
    if state.pools.home_of(&p.user).name != state.pool {
        return Err(ApiError::forbidden(
            None,
            "The user is homed on another pool: follow the redirect of the user resource.",
        ));
    }
    let map = map.ok_or_else(|| {
        ApiError::invalid_parameter("userAgent, endpointId and culture are required.")
    })?;
    let user_agent = required(&map, "userAgent")?;
    let endpoint_id = required(&map, "endpointId")?;
    let culture = required(&map, "culture")?;
    let instance = optional(&map, "instanceId")?.unwrap_or_default();
    let endpoint = Endpoint {
        user_agent,
        endpoint_id,
        culture,
        app_type: optional(&map, "type")?.unwrap_or_else(|| "Browser".into()),
    };
    let user = state
        .dir
        .get(&p.user)
        .ok_or_else(ApiError::application_not_found)?;
    let mut g = state.lock();
    let (id, created) = g.create_application(&p.user, &endpoint, &instance, clock::now());
    let app = g.app(id, &p.user)?;
    let next_ack = app.channels.get(&instance).map_or(1, |c| c.first_unacked());
    let body = resources::application(app, &instance, user, next_ack);
    // Seed 002: the photo cookie, for `<img>` requests that cannot send the token. This
    // server speaks plain HTTP only (links::base), so never `Secure`.
    let cookie = bearer(&headers)
        .and_then(|token| g.issue_photo_cookie(id, token))
        .and_then(|value| photos::set_cookie(id, &value, false));
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut response = http::json(status, &body);
    if let Some(cookie) = cookie {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

pub async fn get(State(state): State<AppState>, app: App, params: Params) -> ApiResult<Response> {
    let instance = params.get("instanceId").unwrap_or("");
    let user = state
        .dir
        .get(&app.user)
        .ok_or_else(ApiError::application_not_found)?;
    let g = state.lock();
    let app = g.app(app.id, &app.user)?;
    let next_ack = app
        .channels
        .get(instance)
        .map(|c| c.first_unacked())
        .ok_or_else(ApiError::application_not_found)?;
    Ok(ok(&resources::application(app, instance, user, next_ack)))
}

pub async fn delete(State(state): State<AppState>, app: App, params: Params) -> Response {
    state
        .lock()
        .delete_application(app.id, params.get("instanceId"), clock::now());
    http::no_content()
}

pub async fn policies(app: App) -> Response {
    ok(&resources::policies(app.id))
}

pub async fn communication(app: App) -> Response {
    ok(&resources::communication(app.id))
}
