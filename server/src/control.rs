//! The test/demo control API under `/_control` (only with `--control`; no token needed).

use std::time::Duration;

use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Map, Value};

use crate::clock;
use crate::directory::normalize_uri;
use crate::error::{ApiError, ApiResult};
use crate::faults::{Injected, Rule, SUBCODES};
use crate::http::{field, int_field, no_content, ok, string_field};
use crate::requests;
use crate::routes::extract::JsonObject;
use crate::routes::me::{parse_location, parse_note, settable_availability};
use crate::state::{AppState, EndReason};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users/{user}/presence", post(presence))
        .route("/users/{user}/note", post(note))
        .route("/users/{user}/location", post(location))
        .route("/users/{user}/photo", post(photo))
        .route("/users/{user}/end-applications", post(end_applications))
        .route("/expire", post(expire))
        .route("/faults", post(faults).delete(clear_faults))
        .route("/stats", get(stats))
        .route("/requests", get(requests::list).delete(requests::clear))
        .merge(crate::cwa2007::control::router())
}

pub(crate) fn user_key(state: &AppState, raw: &str) -> ApiResult<String> {
    normalize_uri(raw)
        .filter(|k| state.dir.get(k).is_some())
        .ok_or_else(|| {
            ApiError::resource_not_found(format!(
                "No user '{}' in the directory.",
                raw.chars().take(100).collect::<String>()
            ))
        })
}

/// `{"subcode":"InactiveApplicationExpired"|"TooManyApplications"}`: ends all of the user's
/// applications now, as the server would; their later requests answer 410 with that subcode.
async fn end_applications(
    State(state): State<AppState>,
    UserChange { key, map }: UserChange,
) -> ApiResult<Response> {
    let reason = string_field(&map, "subcode")?
        .and_then(|s| EndReason::parse(&s))
        .ok_or_else(|| {
            ApiError::invalid_parameter(
                "'subcode' must be InactiveApplicationExpired or TooManyApplications.",
            )
        })?;
    let ended = state.lock().end_applications_of(&key, reason, clock::now());
    Ok(ok(&json!({ "ended": ended })))
}

/// A change to one directory user: `/users/{user}/…` with a JSON object body (404 for a
/// user not in the directory, 400 without a body).
struct UserChange {
    key: String,
    map: Map<String, Value>,
}

impl FromRequest<AppState> for UserChange {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let Path(user) = Path::<String>::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let key = user_key(state, &user).map_err(IntoResponse::into_response)?;
        let body = JsonObject::from_request(Request::from_parts(parts, body), state).await?;
        let map = required(body).map_err(IntoResponse::into_response)?;
        Ok(UserChange { key, map })
    }
}

fn required(JsonObject(map): JsonObject) -> ApiResult<Map<String, Value>> {
    map.ok_or_else(|| ApiError::invalid_parameter("A JSON body is required."))
}

/// `{"availability":"Busy","activity":"in-a-meeting"?}`; `{"availability":null}` signs the
/// other endpoint out, back to the computed state.
async fn presence(
    State(state): State<AppState>,
    UserChange { key, map }: UserChange,
) -> ApiResult<Response> {
    if field(&map, "availability").is_none() {
        return Err(ApiError::invalid_parameter(
            "'availability' is required (null clears it).",
        ));
    }
    let availability = settable_availability(
        &map,
        "availability",
        "'availability' must be Online, Busy, DoNotDisturb, BeRightBack, Away, Offwork or null.",
    )?;
    let activity = string_field(&map, "activity")?.filter(|a| !a.trim().is_empty());
    state
        .lock()
        .set_other_endpoint(&key, availability, activity, clock::now());
    Ok(no_content())
}

async fn note(
    State(state): State<AppState>,
    UserChange { key, map }: UserChange,
) -> ApiResult<Response> {
    let (kind, message) = parse_note(&map)?;
    state.lock().set_note(&key, kind, &message, clock::now());
    Ok(no_content())
}

/// `{"photo": true|false}`: the user has a photo (a new one: new ETag) or none (404).
async fn photo(
    State(state): State<AppState>,
    UserChange { key, map }: UserChange,
) -> ApiResult<Response> {
    let on = field(&map, "photo")
        .and_then(Value::as_bool)
        .ok_or_else(|| ApiError::invalid_parameter("'photo' must be true or false."))?;
    state.lock().set_photo(&key, on);
    Ok(no_content())
}

async fn location(
    State(state): State<AppState>,
    UserChange { key, map }: UserChange,
) -> ApiResult<Response> {
    let location = parse_location(Some(&map))?;
    state.lock().set_location(&key, location, clock::now());
    Ok(no_content())
}

/// `{"what":"token"|"application"|"subscriptions"|"channel","user":"sip:…"}`.
async fn expire(State(state): State<AppState>, body: JsonObject) -> ApiResult<Response> {
    let map = required(body)?;
    let what = string_field(&map, "what")?
        .ok_or_else(|| ApiError::invalid_parameter("'what' is required."))?;
    let user = string_field(&map, "user")?
        .ok_or_else(|| ApiError::invalid_parameter("'user' is required."))?;
    let key = user_key(&state, &user)?;
    let now = clock::now();
    let mut g = state.lock();
    let affected = match what.to_ascii_lowercase().as_str() {
        "token" | "tokens" => g.tokens.revoke_user(&key),
        "application" | "applications" => g.delete_applications_of(&key, now),
        "subscription" | "subscriptions" => g.expire_subscriptions_of(&key, now),
        "channel" | "channels" => g.reset_channels_of(&key),
        _ => {
            return Err(ApiError::invalid_parameter(
                "'what' must be token, application, subscriptions or channel.",
            ))
        }
    };
    Ok(ok(
        &json!({ "what": what, "user": format!("sip:{key}"), "affected": affected }),
    ))
}

fn count(map: &Map<String, Value>) -> ApiResult<u32> {
    match int_field(map, "count")? {
        None => Ok(1),
        Some(n) if (1..=100_000).contains(&n) => Ok(n as u32),
        Some(_) => Err(ApiError::invalid_parameter(
            "'count' must be between 1 and 100000.",
        )),
    }
}

/// `{"status":503,"count":3,"path_contains":"/events","retry_after":5,"subcode":…}`,
/// `{"drop_pgets":N}`, `{"resync":N}`, `{"delay_ms":M,"count":N}`, `{"close":N,"path_contains":…}`,
/// `{"hang":true,"count":N,"path_contains":…}`; several may be combined.
async fn faults(State(state): State<AppState>, body: JsonObject) -> ApiResult<Response> {
    let map = required(body)?;
    let path_contains = string_field(&map, "path_contains")?;
    let n = count(&map)?;
    let rule = || Rule {
        remaining: n,
        path_contains: path_contains.clone(),
    };
    let mut installed = Vec::new();
    let mut g = state.lock();
    if let Some(s) = int_field(&map, "status")? {
        let status = u16::try_from(s)
            .ok()
            .and_then(|s| StatusCode::from_u16(s).ok())
            .filter(|s| s.is_client_error() || s.is_server_error());
        let status = status.ok_or_else(|| {
            ApiError::invalid_parameter("'status' must be an HTTP error status (400-599).")
        })?;
        let injected = Injected {
            status,
            subcode: subcode(&map)?,
            retry_after: retry_after(&map, status)?,
        };
        g.faults.statuses.push((injected, rule()));
        installed.push("status");
    }
    if let Some(ms) = int_field(&map, "delay_ms")? {
        if !(0..=600_000).contains(&ms) {
            return Err(ApiError::invalid_parameter(
                "'delay_ms' must be between 0 and 600000.",
            ));
        }
        g.faults
            .delays
            .push((Duration::from_millis(ms as u64), rule()));
        installed.push("delay");
    }
    if let Some(c) = int_field(&map, "close")? {
        let c = u32::try_from(c)
            .ok()
            .filter(|c| *c >= 1)
            .ok_or_else(|| ApiError::invalid_parameter("'close' must be a positive count."))?;
        g.faults.closes.push(Rule {
            remaining: c,
            path_contains: path_contains.clone(),
        });
        installed.push("close");
    }
    if let Some(d) = int_field(&map, "drop_pgets")? {
        let d = u32::try_from(d)
            .map_err(|_| ApiError::invalid_parameter("'drop_pgets' must not be negative."))?;
        g.faults.drop_pgets = d;
        installed.push("drop_pgets");
    }
    if let Some(r) = int_field(&map, "resync")? {
        g.faults.resyncs = u32::try_from(r)
            .map_err(|_| ApiError::invalid_parameter("'resync' must not be negative."))?;
        installed.push("resync");
    }
    match field(&map, "hang") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => {
            g.faults.hangs.push(rule());
            installed.push("hang");
        }
        Some(_) => return Err(ApiError::invalid_parameter("'hang' must be true or false.")),
    }
    if installed.is_empty() {
        return Err(ApiError::invalid_parameter(
            "Give at least one of status, delay_ms, close, hang, drop_pgets, resync.",
        ));
    }
    Ok(ok(&json!({ "installed": installed })))
}

/// `subcode`: one of [`SUBCODES`] (any case); absent: the status's usual one.
fn subcode(map: &Map<String, Value>) -> ApiResult<Option<&'static str>> {
    let Some(name) = string_field(map, "subcode")? else {
        return Ok(None);
    };
    SUBCODES
        .into_iter()
        .find(|s| s.eq_ignore_ascii_case(&name))
        .map(Some)
        .ok_or_else(|| {
            ApiError::invalid_parameter(format!(
                "'subcode' must be one of {}.",
                SUBCODES.join(", ")
            ))
        })
}

/// `retry_after`: seconds (0–86400); `null`: no header; absent: 1 for a 503, none otherwise.
fn retry_after(map: &Map<String, Value>, status: StatusCode) -> ApiResult<Option<u32>> {
    match field(map, "retry_after") {
        None => Ok((status == StatusCode::SERVICE_UNAVAILABLE).then_some(1)),
        Some(Value::Null) => Ok(None),
        Some(_) => match int_field(map, "retry_after")? {
            Some(s) if (0..=86_400).contains(&s) => Ok(Some(s as u32)),
            _ => Err(ApiError::invalid_parameter(
                "'retry_after' must be seconds from 0 to 86400, or null for none.",
            )),
        },
    }
}

async fn clear_faults(State(state): State<AppState>) -> Response {
    state.lock().faults.clear();
    no_content()
}

async fn stats(State(state): State<AppState>) -> Response {
    let g = state.lock();
    let mut apps_per_user = Map::new();
    let mut subs_per_user = Map::new();
    let mut pgets_per_user = Map::new();
    let mut channels = 0usize;
    let mut open_pgets = 0usize;
    let mut queued = 0usize;
    for a in g.apps.values() {
        let key = format!("sip:{}", a.user);
        bump(&mut apps_per_user, &key, 1);
        bump(&mut pgets_per_user, &key, a.open_pgets() as u64);
        channels += a.channels.len();
        queued += a.channels.values().map(|c| c.pending_len()).sum::<usize>();
        open_pgets += a.open_pgets();
    }
    let mut members_per_user: std::collections::BTreeMap<
        String,
        std::collections::BTreeSet<String>,
    > = std::collections::BTreeMap::new();
    for s in g.subs.values() {
        if let Some(a) = g.apps.get(&s.app) {
            bump(&mut subs_per_user, &format!("sip:{}", a.user), 1);
            members_per_user
                .entry(format!("sip:{}", a.user))
                .or_default()
                .extend(s.members.iter().map(|m| format!("sip:{m}")));
        }
    }
    let available: Vec<String> = {
        let mut v: Vec<String> = g
            .apps
            .values()
            .filter(|a| a.available)
            .map(|a| format!("sip:{}", a.user))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    ok(&json!({
        "applications": g.apps.len(),
        "applications_per_user": apps_per_user,
        "applications_created": g.counters.applications_created,
        "available_users": available,
        "event_channels": channels,
        "open_pgets": open_pgets,
        "open_pgets_per_user": pgets_per_user,
        "subscriptions": g.subs.len(),
        "subscriptions_per_user": subs_per_user,
        "subscribed_contacts_per_user": members_per_user,
        "subscriptions_created": g.counters.subscriptions_created,
        "subscriptions_extended": g.counters.subscriptions_extended,
        "group_subscriptions": g.subs.values().filter(|s| s.group.is_some()).count(),
        "events_delivered": g.counters.events_delivered,
        "events_queued": queued,
        "pget_responses": g.counters.pget_responses,
        "requests": g.counters.requests,
        "tokens": g.tokens.len(),
        "allowed_origins": state.origins.list(),
        "pool": state.pool,
    }))
}

fn bump(map: &mut Map<String, Value>, key: &str, by: u64) {
    let current = map.get(key).and_then(Value::as_u64).unwrap_or(0);
    map.insert(key.to_string(), json!(current + by));
}
