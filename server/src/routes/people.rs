//! `people` and contacts: contact, contactPresence/Note/Location/Photo, myContacts, myGroups,
//! group contacts, search, subscribedContacts (people_ref, contact_ref, …, search_ref).

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::{json, Value};

use super::app_id;
use crate::auth::Principal;
use crate::clock;
use crate::directory::{normalize_uri, Group};
use crate::error::{ApiError, ApiResult};
use crate::http::{ok, Params};
use crate::links;
use crate::photo;
use crate::resources;
use crate::state::AppState;

/// Checks the caller owns the application (counts as activity) and returns its id.
fn owned(state: &AppState, p: &Principal, raw: &str) -> ApiResult<u64> {
    let id = app_id(raw)?;
    state.lock().app_mut(id, &p.user, clock::now())?;
    Ok(id)
}

fn contact_key(raw: &str) -> ApiResult<String> {
    normalize_uri(raw).ok_or_else(|| ApiError::resource_not_found("The contact does not exist."))
}

fn contacts_json(state: &AppState, app: u64, keys: &[String]) -> Vec<Value> {
    keys.iter()
        .map(|k| resources::contact(app, k, state.dir.get(k)))
        .collect()
}

pub async fn people(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
) -> ApiResult<Response> {
    let id = owned(&state, &p, &app)?;
    Ok(ok(&resources::people(id)))
}

pub async fn contact(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path((app, contact)): Path<(String, String)>,
) -> ApiResult<Response> {
    let id = owned(&state, &p, &app)?;
    let key = contact_key(&contact)?;
    Ok(ok(&resources::contact(id, &key, state.dir.get(&key))))
}

pub async fn contact_presence(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path((app, contact)): Path<(String, String)>,
) -> ApiResult<Response> {
    let id = owned(&state, &p, &app)?;
    let key = contact_key(&contact)?;
    let mut g = state.lock();
    g.recompute(&key, clock::now());
    let last_active = g.presence.get(&key).map(|s| s.last_active_ms);
    Ok(ok(&resources::contact_presence(
        id,
        &key,
        &g.published(&key),
        last_active,
    )))
}

pub async fn contact_note(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path((app, contact)): Path<(String, String)>,
) -> ApiResult<Response> {
    let id = owned(&state, &p, &app)?;
    let key = contact_key(&contact)?;
    let note = state
        .lock()
        .presence
        .get(&key)
        .map(|s| s.note.clone())
        .unwrap_or_default();
    Ok(ok(&resources::contact_note(id, &key, &note)))
}

pub async fn contact_location(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path((app, contact)): Path<(String, String)>,
) -> ApiResult<Response> {
    let id = owned(&state, &p, &app)?;
    let key = contact_key(&contact)?;
    let location = state
        .lock()
        .presence
        .get(&key)
        .map(|s| s.location.clone())
        .unwrap_or_default();
    Ok(ok(&resources::contact_location(id, &key, &location)))
}

/// contactPhoto: a generated SVG with the contact's initials (`?size=` is accepted).
pub async fn photo(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path((app, contact)): Path<(String, String)>,
) -> ApiResult<Response> {
    owned(&state, &p, &app)?;
    let key = contact_key(&contact)?;
    let user = state
        .dir
        .get(&key)
        .ok_or_else(|| ApiError::resource_not_found("No photo is available for this contact."))?;
    let mut r = photo::svg(&user.name, &user.key).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=3600"),
    );
    Ok(r)
}

pub async fn my_contacts(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
) -> ApiResult<Response> {
    let id = owned(&state, &p, &app)?;
    let keys = state
        .dir
        .get(&p.user)
        .map(|u| u.contacts.clone())
        .unwrap_or_default();
    Ok(ok(&resources::contact_list(
        links::my_contacts(id),
        "myContacts",
        contacts_json(&state, id, &keys),
    )))
}

fn find_group<'a>(state: &'a AppState, user: &str, gid: &str) -> ApiResult<&'a Group> {
    state
        .dir
        .get(user)
        .and_then(|u| u.groups.iter().find(|g| g.id.eq_ignore_ascii_case(gid)))
        .ok_or_else(|| ApiError::resource_not_found("The group does not exist."))
}

pub async fn my_groups(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
) -> ApiResult<Response> {
    let id = owned(&state, &p, &app)?;
    let groups: Vec<Value> = state
        .dir
        .get(&p.user)
        .map(|u| u.groups.iter().map(|g| resources::group(id, g)).collect())
        .unwrap_or_default();
    Ok(ok(&json!({
        "_links": { "self": { "href": links::my_groups(id) } },
        "_embedded": { "group": groups },
        "rel": "myGroups",
    })))
}

pub async fn group(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path((app, gid)): Path<(String, String)>,
) -> ApiResult<Response> {
    let id = owned(&state, &p, &app)?;
    Ok(ok(&resources::group(
        id,
        find_group(&state, &p.user, &gid)?,
    )))
}

pub async fn group_contacts(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path((app, gid)): Path<(String, String)>,
) -> ApiResult<Response> {
    let id = owned(&state, &p, &app)?;
    let g = find_group(&state, &p.user, &gid)?;
    Ok(ok(&resources::contact_list(
        links::group_contacts(id, &g.id),
        "groupContacts",
        contacts_json(&state, id, &g.members),
    )))
}

/// `search?query=…&limit=…` over the directory (name, URI, e-mail, title, department).
pub async fn search(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let id = owned(&state, &p, &app)?;
    let params = Params::parse(q.as_deref())?;
    let query = params
        .get("query")
        .ok_or_else(|| ApiError::invalid_parameter("'query' is required."))?;
    if query.chars().count() > 256 {
        return Err(ApiError::invalid_parameter(
            "'query' must be at most 256 characters.",
        ));
    }
    let limit = params.int("limit")?.unwrap_or(100);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid_parameter(
            "'limit' must be between 1 and 100.",
        ));
    }
    let (hits, more) = state.dir.search(query, limit as usize);
    let contacts: Vec<Value> = hits
        .iter()
        .map(|u| resources::contact(id, &u.key, Some(u)))
        .collect();
    Ok(ok(&json!({
        "moreResultsAvailable": more,
        "_links": { "self": { "href": links::search(id) } },
        "_embedded": { "contact": contacts },
        "rel": "search",
    })))
}

pub async fn subscribed_contacts(
    State(state): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(app): Path<String>,
) -> ApiResult<Response> {
    let id = owned(&state, &p, &app)?;
    let keys = state.lock().subscribed_contacts(id);
    Ok(ok(&resources::contact_list(
        links::subscribed_contacts(id),
        "subscribedContacts",
        contacts_json(&state, id, &keys),
    )))
}
