//! `people` and contacts: contact, contactPresence/Note/Location/Photo, myContacts, myGroups,
//! group contacts, search, subscribedContacts (people_ref, contact_ref, …, search_ref).

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{json, Value};

use super::extract::{App, Contact};
use crate::clock;
use crate::directory::Group;
use crate::error::{ApiError, ApiResult};
use crate::http::{ok, Params};
use crate::links;
use crate::resources;
use crate::state::AppState;

fn contacts_json(state: &AppState, app: u64, keys: &[String]) -> Vec<Value> {
    keys.iter()
        .map(|k| resources::contact(app, k, state.dir.get(k)))
        .collect()
}

/// A contact list resource (`myContacts`, `groupContacts`, `subscribedContacts`).
fn contact_list(state: &AppState, app: u64, href: String, rel: &str, keys: &[String]) -> Response {
    ok(&resources::contact_list(
        href,
        rel,
        contacts_json(state, app, keys),
    ))
}

pub async fn people(app: App) -> Response {
    ok(&resources::people(app.id))
}

/// Contacts outside the directory (another organisation, a wrong address): this server cannot
/// tell anything about them, so their contact, presence, note, location and photo answer 404
/// (never an invented Offline).
fn not_in_directory() -> ApiError {
    ApiError::resource_not_found("The contact does not exist.")
}

pub async fn contact(
    State(state): State<AppState>,
    app: App,
    Contact(key): Contact,
) -> ApiResult<Response> {
    let user = state.dir.get(&key).ok_or_else(not_in_directory)?;
    Ok(ok(&resources::contact(app.id, &key, Some(user))))
}

pub async fn contact_presence(
    State(state): State<AppState>,
    app: App,
    Contact(key): Contact,
) -> ApiResult<Response> {
    let mut g = state.lock();
    if !g.is_known(&key) {
        return Err(not_in_directory());
    }
    g.recompute(&key, clock::now());
    let last_active = g.presence.get(&key).map(|s| s.last_active_ms);
    Ok(ok(&resources::contact_presence(
        app.id,
        &key,
        &g.published(&key),
        last_active,
    )))
}

pub async fn contact_note(
    State(state): State<AppState>,
    app: App,
    Contact(key): Contact,
) -> ApiResult<Response> {
    let g = state.lock();
    if !g.is_known(&key) {
        return Err(not_in_directory());
    }
    Ok(ok(&resources::contact_note(app.id, &key, &g.note_of(&key))))
}

pub async fn contact_location(
    State(state): State<AppState>,
    app: App,
    Contact(key): Contact,
) -> ApiResult<Response> {
    let g = state.lock();
    if !g.is_known(&key) {
        return Err(not_in_directory());
    }
    Ok(ok(&resources::contact_location(
        app.id,
        &key,
        &g.location_of(&key),
    )))
}

pub async fn my_contacts(State(state): State<AppState>, app: App) -> Response {
    let keys = state
        .dir
        .get(&app.user)
        .map(|u| u.contacts.clone())
        .unwrap_or_default();
    contact_list(
        &state,
        app.id,
        links::my_contacts(app.id),
        "myContacts",
        &keys,
    )
}

/// The caller's group `gid` (ids compare case-insensitively).
pub fn find_group<'a>(state: &'a AppState, user: &str, gid: &str) -> ApiResult<&'a Group> {
    state
        .dir
        .get(user)
        .and_then(|u| u.groups.iter().find(|g| g.id.eq_ignore_ascii_case(gid)))
        .ok_or_else(|| ApiError::resource_not_found("The group does not exist."))
}

pub async fn my_groups(State(state): State<AppState>, app: App) -> Response {
    let groups: Vec<Value> = state
        .dir
        .get(&app.user)
        .map(|u| {
            u.groups
                .iter()
                .map(|g| resources::group(app.id, g))
                .collect()
        })
        .unwrap_or_default();
    ok(&json!({
        "_links": { "self": { "href": links::my_groups(app.id) } },
        "_embedded": { "group": groups },
        "rel": "myGroups",
    }))
}

pub async fn group(
    State(state): State<AppState>,
    app: App,
    Path((_, gid)): Path<(String, String)>,
) -> ApiResult<Response> {
    let g = find_group(&state, &app.user, &gid)?;
    Ok(ok(&resources::group(app.id, g)))
}

pub async fn group_contacts(
    State(state): State<AppState>,
    app: App,
    Path((_, gid)): Path<(String, String)>,
) -> ApiResult<Response> {
    let g = find_group(&state, &app.user, &gid)?;
    let href = links::group_contacts(app.id, &g.id);
    Ok(contact_list(
        &state,
        app.id,
        href,
        "groupContacts",
        &g.members,
    ))
}

/// `search?query=…&limit=…` over the directory (name, URI, e-mail, title, department).
pub async fn search(
    State(state): State<AppState>,
    app: App,
    params: Params,
) -> ApiResult<Response> {
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
        .map(|u| resources::contact(app.id, &u.key, Some(u)))
        .collect();
    Ok(ok(&json!({
        "moreResultsAvailable": more,
        "_links": { "self": { "href": links::search(app.id) } },
        "_embedded": { "contact": contacts },
        "rel": "search",
    })))
}

pub async fn subscribed_contacts(State(state): State<AppState>, app: App) -> Response {
    let keys = state.lock().subscribed_contacts(app.id);
    let href = links::subscribed_contacts(app.id);
    contact_list(&state, app.id, href, "subscribedContacts", &keys)
}
