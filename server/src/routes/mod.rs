//! The HTTP surface: route table and the layers around it.

pub mod applications;
pub mod discovery;
pub mod events;
pub mod me;
pub mod people;
pub mod subscriptions;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::error::{ApiError, ApiResult, UcwaErrorMarker};
use crate::state::AppState;
use crate::{auth, batch, control, cors, etag, faults, log};

/// Parses the `{app}` path segment; anything else is an application that does not exist.
pub fn app_id(raw: &str) -> ApiResult<u64> {
    raw.parse::<u64>()
        .map_err(|_| ApiError::application_not_found())
}

pub fn router(state: AppState) -> Router {
    const A: &str = "/ucwa/oauth/v1/applications/{app}";
    let ucwa = Router::new()
        .route("/ucwa/oauth/v1/applications", post(applications::create))
        .route(A, get(applications::get).delete(applications::delete))
        .route(&format!("{A}/policies"), get(applications::policies))
        .route(
            &format!("{A}/communication"),
            get(applications::communication),
        )
        .route(&format!("{A}/batch"), post(batch::handle))
        .route(&format!("{A}/events"), get(events::pget))
        .route(&format!("{A}/me"), get(me::get))
        .route(
            &format!("{A}/me/makeMeAvailable"),
            post(me::make_me_available),
        )
        .route(
            &format!("{A}/me/presence"),
            get(me::get_presence).post(me::set_presence),
        )
        .route(
            &format!("{A}/me/note"),
            get(me::get_note).post(me::set_note),
        )
        .route(
            &format!("{A}/me/location"),
            get(me::get_location).post(me::set_location),
        )
        .route(
            &format!("{A}/me/reportMyActivity"),
            post(me::report_my_activity),
        )
        .route(&format!("{A}/photos/{{contact}}"), get(people::photo))
        .route(&format!("{A}/people"), get(people::people))
        .route(&format!("{A}/people/contacts"), get(people::my_contacts))
        .route(&format!("{A}/people/groups"), get(people::my_groups))
        .route(&format!("{A}/people/groups/{{group}}"), get(people::group))
        .route(
            &format!("{A}/people/groups/{{group}}/contacts"),
            get(people::group_contacts),
        )
        .route(
            &format!("{A}/people/groups/{{group}}/subscribeToGroupPresence"),
            post(subscriptions::subscribe_to_group),
        )
        .route(&format!("{A}/people/search"), get(people::search))
        .route(
            &format!("{A}/people/subscribedContacts"),
            get(people::subscribed_contacts),
        )
        .route(
            &format!("{A}/people/presenceSubscriptions"),
            get(subscriptions::list).post(subscriptions::create),
        )
        .route(
            &format!("{A}/people/presenceSubscriptions/{{sub}}"),
            get(subscriptions::get)
                .post(subscriptions::extend)
                .delete(subscriptions::delete),
        )
        .route(
            &format!("{A}/people/presenceSubscriptionMemberships"),
            get(subscriptions::memberships).post(subscriptions::add_memberships),
        )
        .route(
            &format!("{A}/people/presenceSubscriptionMemberships/{{membership}}"),
            get(subscriptions::membership).delete(subscriptions::delete_membership),
        )
        .route(&format!("{A}/people/{{contact}}"), get(people::contact))
        .route(
            &format!("{A}/people/{{contact}}/presence"),
            get(people::contact_presence),
        )
        .route(
            &format!("{A}/people/{{contact}}/note"),
            get(people::contact_note),
        )
        .route(
            &format!("{A}/people/{{contact}}/location"),
            get(people::contact_location),
        )
        .route_layer(middleware::from_fn(etag::layer))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_token,
        ));

    let mut app = Router::new()
        .route(
            "/autodiscover/autodiscoverservice.svc/root",
            get(discovery::root),
        )
        .route(
            "/Autodiscover/AutodiscoverService.svc/root",
            get(discovery::root),
        )
        .route(
            "/autodiscover/autodiscoverservice.svc/root/oauth/user",
            get(discovery::user),
        )
        .route(
            "/Autodiscover/AutodiscoverService.svc/root/oauth/user",
            get(discovery::user),
        )
        .route("/autodiscover/xframe/xframe.html", get(discovery::xframe))
        .route("/Autodiscover/XFrame/XFrame.html", get(discovery::xframe))
        .route("/WebTicket/oauthtoken", post(auth::oauthtoken))
        .route("/webticket/oauthtoken", post(auth::oauthtoken))
        .merge(ucwa);
    if state.cfg.control {
        app = app.nest("/_control", control::router());
    }
    app.fallback(not_found)
        .layer(DefaultBodyLimit::max(state.cfg.max_body_bytes))
        .layer(middleware::from_fn(normalize_errors))
        .layer(middleware::from_fn_with_state(state.clone(), faults::layer))
        .layer(middleware::from_fn_with_state(state.clone(), cors::layer))
        .layer(middleware::from_fn_with_state(state.clone(), log::layer))
        .with_state(state)
}

async fn not_found() -> Response {
    ApiError::resource_not_found("The resource does not exist.").into_response()
}

/// Turns framework rejections (405, 413, 415, bad paths or queries, …) into UCWA error JSON.
async fn normalize_errors(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || response.extensions().get::<UcwaErrorMarker>().is_some()
    {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.contains("json"));
    if is_json {
        return response;
    }
    let mut replacement = ApiError::from_status(status).into_response();
    for name in [header::ALLOW, header::WWW_AUTHENTICATE] {
        if let Some(v) = response.headers().get(&name) {
            replacement.headers_mut().insert(name, v.clone());
        }
    }
    replacement
}
