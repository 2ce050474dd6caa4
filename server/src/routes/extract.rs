//! Extractors for what the handlers check again and again: the caller's application from the
//! `{app}` segment, a contact from `{contact}`, the query parameters and the JSON body.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, RawQuery, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::auth::Principal;
use crate::clock;
use crate::directory::normalize_uri;
use crate::error::ApiError;
use crate::http::{json_body, Params};
use crate::state::AppState;

/// One named segment of the matched path. A malformed path is the framework's rejection
/// (turned into a UCWA error by `normalize_errors`).
async fn path_segment(parts: &mut Parts, name: &str) -> Result<Option<String>, Response> {
    let Path(segments) = Path::<HashMap<String, String>>::from_request_parts(parts, &())
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(segments.get(name).cloned())
}

/// The caller's application named by `{app}`. Extracting it checks that it exists and is the
/// caller's (404 ApplicationNotFound otherwise, also for other users' ids) and counts as
/// activity of the application.
pub struct App {
    pub id: u64,
    pub user: String,
}

impl FromRequestParts<AppState> for App {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let not_found = || ApiError::application_not_found().into_response();
        let user = parts
            .extensions
            .get::<Principal>()
            .map(|p| p.user.clone())
            .ok_or_else(not_found)?;
        let id = path_segment(parts, "app")
            .await?
            .and_then(|raw| raw.parse::<u64>().ok())
            .ok_or_else(not_found)?;
        state
            .lock()
            .app_mut(id, &user, clock::now())
            .map_err(IntoResponse::into_response)?;
        Ok(App { id, user })
    }
}

/// An [`App`] that has called makeMeAvailable (409 MakeMeAvailableRequired otherwise).
pub struct AvailableApp(pub App);

impl FromRequestParts<AppState> for AvailableApp {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let app = App::from_request_parts(parts, state).await?;
        let available = state
            .lock()
            .app(app.id, &app.user)
            .is_ok_and(|a| a.available);
        if !available {
            return Err(ApiError::make_me_available_required().into_response());
        }
        Ok(AvailableApp(app))
    }
}

/// The contact named by `{contact}` (`user@domain` or `sip:user@domain`), as a directory key.
pub struct Contact(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Contact {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Response> {
        path_segment(parts, "contact")
            .await?
            .and_then(|raw| normalize_uri(&raw))
            .map(Contact)
            .ok_or_else(|| {
                ApiError::resource_not_found("The contact does not exist.").into_response()
            })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let RawQuery(q) = RawQuery::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Params::parse(q.as_deref()).map_err(IntoResponse::into_response)
    }
}

/// An optional JSON object body ([`json_body`]: empty bodies give `None`).
pub struct JsonObject(pub Option<Map<String, Value>>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let headers = req.headers().clone();
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        json_body(&headers, &bytes)
            .map(JsonObject)
            .map_err(IntoResponse::into_response)
    }
}
