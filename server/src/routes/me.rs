//! `me` and its presence, note, location and reportMyActivity (me_ref, makeMeAvailable_ref,
//! presence_ref, note_ref, location_ref, reportMyActivity_ref, seed 002).

use axum::extract::State;
use axum::response::Response;
use serde_json::{Map, Value};

use super::extract::{App, AvailableApp, JsonObject};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http::{field, no_content, ok, string_field, string_list};
use crate::presence::{Availability, NoteType};
use crate::resources;
use crate::state::AppState;

/// An optional field holding one of the six settable availabilities; `invalid` is the message
/// for anything else.
pub fn settable_availability(
    map: &Map<String, Value>,
    name: &str,
    invalid: &str,
) -> ApiResult<Option<Availability>> {
    match string_field(map, name)? {
        None => Ok(None),
        Some(s) => Availability::parse_settable(&s)
            .map(Some)
            .ok_or_else(|| ApiError::invalid_parameter(invalid)),
    }
}

pub async fn get(State(state): State<AppState>, app: App) -> ApiResult<Response> {
    let available = state.lock().app(app.id, &app.user)?.available;
    let user = state
        .dir
        .get(&app.user)
        .ok_or_else(ApiError::application_not_found)?;
    Ok(ok(&resources::me(app.id, user, available)))
}

pub async fn make_me_available(
    State(state): State<AppState>,
    app: App,
    JsonObject(map): JsonObject,
) -> ApiResult<Response> {
    let map = map.unwrap_or_default();
    let sign_in_as = settable_availability(
        &map,
        "signInAs",
        "'signInAs' must be Online, Busy, DoNotDisturb, BeRightBack, Away or Offwork.",
    )?;
    // Validated for type only; this presence server supports no modalities.
    string_list(&map, "supportedModalities")?;
    string_list(&map, "supportedMessageFormats")?;
    state
        .lock()
        .make_me_available(app.id, sign_in_as, clock::now())?;
    Ok(no_content())
}

pub async fn get_presence(
    State(state): State<AppState>,
    AvailableApp(app): AvailableApp,
) -> Response {
    let mut g = state.lock();
    g.recompute(&app.user, clock::now());
    ok(&resources::my_presence(app.id, &g.published(&app.user)))
}

/// `{"availability": X}` with one of the six settable values; an empty body (or no
/// availability) resets to the machine state.
pub async fn set_presence(
    State(state): State<AppState>,
    AvailableApp(app): AvailableApp,
    JsonObject(map): JsonObject,
) -> ApiResult<Response> {
    let availability = match &map {
        Some(m) => settable_availability(
            m,
            "availability",
            "'availability' must be one of Online, Busy, DoNotDisturb, BeRightBack, Away, Offwork.",
        )?,
        None => None,
    };
    state
        .lock()
        .set_manual(&app.user, availability, None, clock::now());
    Ok(no_content())
}

pub async fn get_note(State(state): State<AppState>, AvailableApp(app): AvailableApp) -> Response {
    let note = state.lock().note_of(&app.user);
    ok(&resources::my_note(app.id, &note))
}

pub const MAX_NOTE: usize = 2048;
pub const MAX_LOCATION: usize = 256;

/// The `message` of a note body (missing or blank: clear the note).
pub fn parse_note_message(map: Option<&Map<String, Value>>) -> ApiResult<String> {
    let message = match map {
        Some(m) => string_field(m, "message")?.unwrap_or_default(),
        None => String::new(),
    };
    if message.chars().count() > MAX_NOTE {
        return Err(ApiError::invalid_parameter(format!(
            "'message' must be at most {MAX_NOTE} characters."
        )));
    }
    Ok(message)
}

/// The control API's `{message, type}`: which kind of note to set (default Personal).
pub fn parse_note(map: &Map<String, Value>) -> ApiResult<(NoteType, String)> {
    let message = parse_note_message(Some(map))?;
    let kind = match string_field(map, "type")? {
        None => NoteType::Personal,
        Some(t) => NoteType::parse(&t).ok_or_else(|| {
            ApiError::invalid_parameter("'type' must be Personal or OutOfOffice.")
        })?,
    };
    Ok((kind, message))
}

pub fn parse_location(map: Option<&Map<String, Value>>) -> ApiResult<String> {
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
    AvailableApp(app): AvailableApp,
    JsonObject(map): JsonObject,
) -> ApiResult<Response> {
    // note_ref: "The application can only set the personal note"; a `type` is ignored.
    let message = parse_note_message(map.as_ref())?;
    state
        .lock()
        .set_note(&app.user, NoteType::Personal, &message, clock::now());
    Ok(no_content())
}

pub async fn get_location(
    State(state): State<AppState>,
    AvailableApp(app): AvailableApp,
) -> Response {
    let location = state.lock().location_of(&app.user);
    ok(&resources::my_location(app.id, &location))
}

pub async fn set_location(
    State(state): State<AppState>,
    AvailableApp(app): AvailableApp,
    JsonObject(map): JsonObject,
) -> ApiResult<Response> {
    if let Some(m) = &map {
        if field(m, "location").is_none() {
            return Err(ApiError::invalid_parameter("'location' is required."));
        }
    }
    let location = parse_location(map.as_ref())?;
    state.lock().set_location(&app.user, location, clock::now());
    Ok(no_content())
}

pub async fn report_my_activity(
    State(state): State<AppState>,
    AvailableApp(app): AvailableApp,
) -> Response {
    state.lock().report_activity(app.id, clock::now());
    no_content()
}
