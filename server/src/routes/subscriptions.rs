//! presenceSubscriptions, presenceSubscription (extend/delete), memberships and group
//! subscriptions (presenceSubscriptions_ref, presenceSubscription_ref, seeds 000/001,
//! addToPresenceSubscription_ref, presenceSubscriptionMembership_ref,
//! subscribeToGroupPresence_ref).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Map, Value};

use super::app_id;
use crate::auth::Principal;
use crate::clock;
use crate::directory::normalize_uri;
use crate::error::{ApiError, ApiResult};
use crate::http::{self, int_field, json_body, no_content, ok, string_list, Params};
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
    state
        .dir
        .get(user)
        .and_then(|u| u.groups.iter().find(|g| g.id.eq_ignore_ascii_case(gid)))
        .map(|g| g.members.clone())
        .ok_or_else(|| ApiError::resource_not_found("The group does not exist."))
}

pub async fn list(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
) -> ApiResult<Response> {
    let id = app_id(&app)?;
    let mut g = state.lock();
    g.app_mut(id, &p.user, clock::now())?;
    let subs: Vec<Value> = g
        .subs
        .values()
        .filter(|s| s.app == id)
        .map(|s| resources::subscription(id, &s.id))
        .collect();
    Ok(ok(&json!({
        "_links": { "self": { "href": links::presence_subscriptions(id) } },
        "_embedded": { "presenceSubscription": subs },
        "rel": "presenceSubscriptions",
    })))
}

/// `POST presenceSubscriptions {"duration":N,"uris":[…]}` (also `?groupId=…` for a group).
pub async fn create(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let id = app_id(&app)?;
    let params = Params::parse(q.as_deref())?;
    let map = json_body(&headers, &body)?;
    let minutes = duration(&params, map.as_ref())?;
    let group = params.get("groupId").map(str::to_string).or_else(|| {
        map.as_ref()
            .and_then(|m| crate::http::field(m, "groupId"))
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    let members = match &group {
        Some(gid) => group_members(&state, &p.user, gid)?,
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
    let now = clock::now();
    let mut g = state.lock();
    g.app_mut(id, &p.user, now)?;
    let sid = g.create_subscription(id, members, minutes, group, now)?;
    Ok(created(id, &sid))
}

/// `POST groups/{id}/subscribeToGroupPresence?duration=N`.
pub async fn subscribe_to_group(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path((app, gid)): Path<(String, String)>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let id = app_id(&app)?;
    let params = Params::parse(q.as_deref())?;
    let map = json_body(&headers, &body)?;
    let minutes = duration(&params, map.as_ref())?;
    let members = group_members(&state, &p.user, &gid)?;
    let now = clock::now();
    let mut g = state.lock();
    g.app_mut(id, &p.user, now)?;
    let sid = g.create_subscription(id, members, minutes, Some(gid), now)?;
    Ok(created(id, &sid))
}

pub async fn get(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path((app, sub)): Path<(String, String)>,
) -> ApiResult<Response> {
    let id = app_id(&app)?;
    let mut g = state.lock();
    g.app_mut(id, &p.user, clock::now())?;
    g.subscription(id, &sub)?;
    Ok(ok(&resources::subscription(id, &sub)))
}

/// Extend (seed 001): `POST {self}?duration=N` → 200 with the subscription; expired → 404.
pub async fn extend(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path((app, sub)): Path<(String, String)>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let id = app_id(&app)?;
    let params = Params::parse(q.as_deref())?;
    let map = json_body(&headers, &body)?;
    let now = clock::now();
    let mut g = state.lock();
    g.app_mut(id, &p.user, now)?;
    g.subscription(id, &sub)?;
    let minutes = duration(&params, map.as_ref())?;
    g.extend_subscription(id, &sub, minutes, now)?;
    Ok(ok(&resources::subscription(id, &sub)))
}

pub async fn delete(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path((app, sub)): Path<(String, String)>,
) -> ApiResult<Response> {
    let id = app_id(&app)?;
    let now = clock::now();
    let mut g = state.lock();
    g.app_mut(id, &p.user, now)?;
    g.subscription(id, &sub)?;
    g.remove_subscription(&sub, now);
    Ok(no_content())
}

fn subscription_param(params: &Params) -> ApiResult<String> {
    params
        .get("presenceSubscriptionId")
        .map(str::to_string)
        .ok_or_else(|| ApiError::invalid_parameter("'presenceSubscriptionId' is required."))
}

pub async fn memberships(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let id = app_id(&app)?;
    let params = Params::parse(q.as_deref())?;
    let mut g = state.lock();
    g.app_mut(id, &p.user, clock::now())?;
    match params.get("presenceSubscriptionId") {
        Some(sid) => {
            let sub = g.subscription(id, sid)?;
            Ok(ok(&resources::memberships(id, sid, &sub.members)))
        }
        None => {
            let all: Vec<Value> = g
                .subs
                .values()
                .filter(|s| s.app == id)
                .flat_map(|s| {
                    s.members
                        .iter()
                        .map(|m| resources::membership(id, &s.id, m))
                })
                .collect();
            Ok(ok(&json!({
                "_links": { "self": { "href": links::presence_subscription_memberships(id) } },
                "_embedded": { "presenceSubscriptionMembership": all },
                "rel": "presenceSubscriptionMemberships",
            })))
        }
    }
}

/// addToPresenceSubscription: `{"contactUris":[…]}` → 201 with the memberships.
pub async fn add_memberships(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let id = app_id(&app)?;
    let params = Params::parse(q.as_deref())?;
    let sid = subscription_param(&params)?;
    let map = json_body(&headers, &body)?;
    let uris = map
        .as_ref()
        .map(|m| string_list(m, "contactUris"))
        .transpose()?
        .flatten()
        .ok_or_else(|| ApiError::invalid_parameter("'contactUris' is required."))?;
    let new_keys = keys(uris, state.cfg.max_subscription_uris)?;
    let now = clock::now();
    let mut g = state.lock();
    g.app_mut(id, &p.user, now)?;
    g.add_members(id, &sid, new_keys, now)?;
    let sub = g.subscription(id, &sid)?;
    Ok(http::json(
        StatusCode::CREATED,
        &resources::memberships(id, &sid, &sub.members),
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
    Extension(p): Extension<Principal>,
    Path((app, m)): Path<(String, String)>,
) -> ApiResult<Response> {
    let id = app_id(&app)?;
    let (sid, key) = split_membership(&m)?;
    let mut g = state.lock();
    g.app_mut(id, &p.user, clock::now())?;
    let sub = g.subscription(id, &sid)?;
    if !sub.members.contains(&key) {
        return Err(ApiError::resource_not_found(
            "The membership does not exist.",
        ));
    }
    Ok(ok(&resources::membership(id, &sid, &key)))
}

pub async fn delete_membership(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path((app, m)): Path<(String, String)>,
) -> ApiResult<Response> {
    let id = app_id(&app)?;
    let (sid, key) = split_membership(&m)?;
    let now = clock::now();
    let mut g = state.lock();
    g.app_mut(id, &p.user, now)?;
    g.remove_member(id, &sid, &key, now)?;
    Ok(no_content())
}
