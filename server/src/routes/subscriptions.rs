//! presenceSubscriptions, presenceSubscription (extend/delete), memberships and group
//! subscriptions (presenceSubscriptions_ref, presenceSubscription_ref, seeds 000/001,
//! addToPresenceSubscription_ref, presenceSubscriptionMembership_ref,
//! subscribeToGroupPresence_ref).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Map, Value};

use super::extract::{App, JsonObject};
use super::people::find_group;
use crate::clock;
use crate::directory::normalize_uri;
use crate::error::{ApiError, ApiResult};
use crate::http::{self, int_field, no_content, ok, string_list, Params};
use crate::links;
use crate::resources;
use crate::state::AppState;

/// `duration` from the query or the body: whole minutes, 10 to 30.
fn duration(params: &Params, body: Option<&Map<String, Value>>) -> ApiResult<u64> {
    let d = match params.int("duration")? {
        Some(d) => Some(d),
        None => body
            .map(|m| int_field(m, "duration"))
            .transpose()?
            .flatten(),
    };
    match d {
        Some(d) if (10..=30).contains(&d) => Ok(d as u64),
        Some(_) => Err(ApiError::invalid_parameter(
            "'duration' must be between 10 and 30 minutes.",
        )),
        None => Err(ApiError::invalid_parameter("'duration' is required.")),
    }
}

/// Normalises URIs; malformed ones fail, unknown but well-formed ones are accepted.
fn keys(uris: Vec<String>, limit: usize) -> ApiResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for u in uris {
        let k = normalize_uri(&u).ok_or_else(|| {
            ApiError::invalid_parameter(format!(
                "'{}' is not a SIP URI.",
                u.chars().take(100).collect::<String>()
            ))
        })?;
        if !out.contains(&k) {
            out.push(k);
        }
    }
    if out.len() > limit {
        return Err(ApiError::forbidden(
            Some("LimitExceeded"),
            format!("A presence subscription can hold at most {limit} contacts."),
        ));
    }
    Ok(out)
}

fn created(app: u64, id: &str) -> Response {
    let mut r = http::json(StatusCode::CREATED, &resources::subscription(app, id));
    if let Ok(v) = axum::http::HeaderValue::from_str(&links::subscription(app, id)) {
        r.headers_mut().insert(axum::http::header::LOCATION, v);
    }
    r
}

fn group_members(state: &AppState, user: &str, gid: &str) -> ApiResult<Vec<String>> {
    find_group(state, user, gid).map(|g| g.members.clone())
}

pub async fn list(State(state): State<AppState>, app: App) -> Response {
    let g = state.lock();
    let subs: Vec<Value> = g
        .subs
        .values()
        .filter(|s| s.app == app.id)
        .map(|s| resources::subscription(app.id, &s.id))
        .collect();
    ok(&json!({
        "_links": { "self": { "href": links::presence_subscriptions(app.id) } },
        "_embedded": { "presenceSubscription": subs },
        "rel": "presenceSubscriptions",
    }))
}

/// Creates the subscription and answers 201 with it.
fn subscribe(
    state: &AppState,
    app: &App,
    members: Vec<String>,
    minutes: u64,
    group: Option<String>,
) -> ApiResult<Response> {
    let sid = state
        .lock()
        .create_subscription(app.id, members, minutes, group, clock::now())?;
    Ok(created(app.id, &sid))
}

/// `POST presenceSubscriptions {"duration":N,"uris":[…]}` (also `?groupId=…` for a group).
pub async fn create(
    State(state): State<AppState>,
    app: App,
    params: Params,
    JsonObject(map): JsonObject,
) -> ApiResult<Response> {
    let minutes = duration(&params, map.as_ref())?;
    let group = params.get("groupId").map(str::to_string).or_else(|| {
        map.as_ref()
            .and_then(|m| crate::http::field(m, "groupId"))
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    let members = match &group {
        Some(gid) => group_members(&state, &app.user, gid)?,
        None => {
            let uris = map
                .as_ref()
                .map(|m| string_list(m, "uris"))
                .transpose()?
                .flatten()
                .ok_or_else(|| ApiError::invalid_parameter("'uris' is required."))?;
            keys(uris, state.cfg.max_subscription_uris)?
        }
    };
    subscribe(&state, &app, members, minutes, group)
}

/// `POST groups/{id}/subscribeToGroupPresence?duration=N`.
pub async fn subscribe_to_group(
    State(state): State<AppState>,
    app: App,
    Path((_, gid)): Path<(String, String)>,
    params: Params,
    JsonObject(map): JsonObject,
) -> ApiResult<Response> {
    let minutes = duration(&params, map.as_ref())?;
    let members = group_members(&state, &app.user, &gid)?;
    subscribe(&state, &app, members, minutes, Some(gid))
}

pub async fn get(
    State(state): State<AppState>,
    app: App,
    Path((_, sub)): Path<(String, String)>,
) -> ApiResult<Response> {
    state.lock().subscription(app.id, &sub)?;
    Ok(ok(&resources::subscription(app.id, &sub)))
}

/// Extend (seed 001): `POST {self}?duration=N` → 200 with the subscription; expired → 404.
pub async fn extend(
    State(state): State<AppState>,
    app: App,
    Path((_, sub)): Path<(String, String)>,
    params: Params,
    JsonObject(map): JsonObject,
) -> ApiResult<Response> {
    let mut g = state.lock();
    g.subscription(app.id, &sub)?;
    let minutes = duration(&params, map.as_ref())?;
    g.extend_subscription(app.id, &sub, minutes, clock::now())?;
    Ok(ok(&resources::subscription(app.id, &sub)))
}

pub async fn delete(
    State(state): State<AppState>,
    app: App,
    Path((_, sub)): Path<(String, String)>,
) -> ApiResult<Response> {
    let mut g = state.lock();
    g.subscription(app.id, &sub)?;
    g.remove_subscription(&sub, clock::now());
    Ok(no_content())
}

pub async fn memberships(
    State(state): State<AppState>,
    app: App,
    params: Params,
) -> ApiResult<Response> {
    let g = state.lock();
    if let Some(sid) = params.get("presenceSubscriptionId") {
        let sub = g.subscription(app.id, sid)?;
        return Ok(ok(&resources::memberships(app.id, sid, &sub.members)));
    }
    let all: Vec<Value> = g
        .subs
        .values()
        .filter(|s| s.app == app.id)
        .flat_map(|s| {
            s.members
                .iter()
                .map(|m| resources::membership(app.id, &s.id, m))
        })
        .collect();
    Ok(ok(&json!({
        "_links": { "self": { "href": links::presence_subscription_memberships(app.id) } },
        "_embedded": { "presenceSubscriptionMembership": all },
        "rel": "presenceSubscriptionMemberships",
    })))
}

/// addToPresenceSubscription: `{"contactUris":[…]}` → 201 with the memberships.
pub async fn add_memberships(
    State(state): State<AppState>,
    app: App,
    params: Params,
    JsonObject(map): JsonObject,
) -> ApiResult<Response> {
    let sid = params
        .get("presenceSubscriptionId")
        .map(str::to_string)
        .ok_or_else(|| ApiError::invalid_parameter("'presenceSubscriptionId' is required."))?;
    let uris = map
        .as_ref()
        .map(|m| string_list(m, "contactUris"))
        .transpose()?
        .flatten()
        .ok_or_else(|| ApiError::invalid_parameter("'contactUris' is required."))?;
    let new_keys = keys(uris, state.cfg.max_subscription_uris)?;
    let mut g = state.lock();
    g.add_members(app.id, &sid, new_keys, clock::now())?;
    let sub = g.subscription(app.id, &sid)?;
    Ok(http::json(
        StatusCode::CREATED,
        &resources::memberships(app.id, &sid, &sub.members),
    ))
}

/// `{subscriptionId},{user@domain}` (presenceSubscriptionMembership_ref).
fn split_membership(raw: &str) -> ApiResult<(String, String)> {
    let (sid, contact) = raw
        .split_once(',')
        .ok_or_else(|| ApiError::resource_not_found("The membership does not exist."))?;
    let key = normalize_uri(contact)
        .ok_or_else(|| ApiError::resource_not_found("The membership does not exist."))?;
    Ok((sid.to_string(), key))
}

pub async fn membership(
    State(state): State<AppState>,
    app: App,
    Path((_, m)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (sid, key) = split_membership(&m)?;
    let g = state.lock();
    let sub = g.subscription(app.id, &sid)?;
    if !sub.members.contains(&key) {
        return Err(ApiError::resource_not_found(
            "The membership does not exist.",
        ));
    }
    Ok(ok(&resources::membership(app.id, &sid, &key)))
}

pub async fn delete_membership(
    State(state): State<AppState>,
    app: App,
    Path((_, m)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (sid, key) = split_membership(&m)?;
    state
        .lock()
        .remove_member(app.id, &sid, &key, clock::now())?;
    Ok(no_content())
}
