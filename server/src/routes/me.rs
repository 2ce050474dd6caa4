//! `me` and its presence, note, location and reportMyActivity (me_ref, makeMeAvailable_ref,
//! presence_ref, note_ref, location_ref, reportMyActivity_ref, seed 002).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;

use super::app_id;
use crate::auth::Principal;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http::{field, json_body, no_content, ok, string_field, string_list};
use crate::presence::{Availability, Note, NoteType};
use crate::resources;
use crate::state::{AppState, Inner};

/// Locks, checks the application belongs to the caller and returns (guard, user key).
fn available_app<'a>(
    state: &'a AppState,
    p: &Principal,
    raw: &str,
    need_available: bool,
) -> ApiResult<(std::sync::MutexGuard<'a, Inner>, u64)> {
    let id = app_id(raw)?;
    let mut g = state.lock();
    let app = g.app_mut(id, &p.user, clock::now())?;
    if need_available && !app.available {
        return Err(ApiError::make_me_available_required());
    }
    Ok((g, id))
}

pub async fn get(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
) -> ApiResult<Response> {
    let (g, id) = available_app(&state, &p, &app, false)?;
    let available = g.app(id, &p.user)?.available;
    let user = state
        .dir
        .get(&p.user)
        .ok_or_else(ApiError::application_not_found)?;
    Ok(ok(&resources::me(id, user, available)))
}

pub async fn make_me_available(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let map = json_body(&headers, &body)?.unwrap_or_default();
    let sign_in_as = match string_field(&map, "signInAs")? {
        None => None,
        Some(s) => Some(Availability::parse_settable(&s).ok_or_else(|| {
            ApiError::invalid_parameter(
                "'signInAs' must be Online, Busy, DoNotDisturb, BeRightBack, Away or Offwork.",
            )
        })?),
    };
    // Validated for type only; this presence server supports no modalities.
    string_list(&map, "supportedModalities")?;
    string_list(&map, "supportedMessageFormats")?;
    let (mut g, id) = available_app(&state, &p, &app, false)?;
    g.make_me_available(id, sign_in_as, clock::now())?;
    Ok(no_content())
}

pub async fn get_presence(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
) -> ApiResult<Response> {
    let (mut g, id) = available_app(&state, &p, &app, true)?;
    g.recompute(&p.user, clock::now());
    Ok(ok(&resources::my_presence(id, &g.published(&p.user))))
}

/// `{"availability": X}` with one of the six settable values; an empty body (or no
/// availability) resets to the machine state.
pub async fn set_presence(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let map = json_body(&headers, &body)?;
    let availability = match map.as_ref().map(|m| string_field(m, "availability")).transpose()?.flatten() {
        None => None,
        Some(s) => Some(Availability::parse_settable(&s).ok_or_else(|| {
            ApiError::invalid_parameter("'availability' must be one of Online, Busy, DoNotDisturb, BeRightBack, Away, Offwork.")
        })?),
    };
    let (mut g, _) = available_app(&state, &p, &app, true)?;
    g.set_manual(&p.user, availability, None, clock::now());
    Ok(no_content())
}

pub async fn get_note(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
) -> ApiResult<Response> {
    let (g, id) = available_app(&state, &p, &app, true)?;
    let note = g
        .presence
        .get(&p.user)
        .map(|s| s.note.clone())
        .unwrap_or_default();
    Ok(ok(&resources::my_note(id, &note)))
}

pub const MAX_NOTE: usize = 2048;
pub const MAX_LOCATION: usize = 256;

/// Parses `{message, type}`; a blank or missing message clears the note.
pub fn parse_note(map: Option<&serde_json::Map<String, serde_json::Value>>) -> ApiResult<Note> {
    let Some(map) = map else {
        return Ok(Note::default());
    };
    let message = string_field(map, "message")?.unwrap_or_default();
    if message.chars().count() > MAX_NOTE {
        return Err(ApiError::invalid_parameter(format!(
            "'message' must be at most {MAX_NOTE} characters."
        )));
    }
    let kind = match string_field(map, "type")? {
        None => NoteType::Personal,
        Some(t) => NoteType::parse(&t).ok_or_else(|| {
            ApiError::invalid_parameter("'type' must be Personal or OutOfOffice.")
        })?,
    };
    if message.trim().is_empty() {
        return Ok(Note::default());
    }
    Ok(Note { message, kind })
}

pub fn parse_location(
    map: Option<&serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<String> {
    let location = match map {
        Some(m) => string_field(m, "location")?.unwrap_or_default(),
        None => String::new(),
    };
    if location.chars().count() > MAX_LOCATION {
        return Err(ApiError::invalid_parameter(format!(
            "'location' must be at most {MAX_LOCATION} characters."
        )));
    }
    Ok(location.trim().to_string())
}

pub async fn set_note(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let note = parse_note(json_body(&headers, &body)?.as_ref())?;
    let (mut g, _) = available_app(&state, &p, &app, true)?;
    g.set_note(&p.user, note, clock::now());
    Ok(no_content())
}

pub async fn get_location(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
) -> ApiResult<Response> {
    let (g, id) = available_app(&state, &p, &app, true)?;
    let location = g
        .presence
        .get(&p.user)
        .map(|s| s.location.clone())
        .unwrap_or_default();
    Ok(ok(&resources::my_location(id, &location)))
}

pub async fn set_location(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let map = json_body(&headers, &body)?;
    if let Some(m) = &map {
        if field(m, "location").is_none() {
            return Err(ApiError::invalid_parameter("'location' is required."));
        }
    }
    let location = parse_location(map.as_ref())?;
    let (mut g, _) = available_app(&state, &p, &app, true)?;
    g.set_location(&p.user, location, clock::now());
    Ok(no_content())
}

pub async fn report_my_activity(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
) -> ApiResult<Response> {
    let (mut g, id) = available_app(&state, &p, &app, true)?;
    g.report_activity(id, clock::now());
    Ok(no_content())
}
