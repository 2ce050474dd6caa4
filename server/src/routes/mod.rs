//! The HTTP surface: route table and the layers around it.

pub mod applications;
pub mod discovery;
pub mod events;
pub mod me;
pub mod people;
pub mod photos;
pub mod subscriptions;

pub mod extract;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::error::{ApiError, UcwaErrorMarker};
use crate::state::AppState;
use crate::{auth, batch, control, cors, etag, faults, links, log, requests, xframe};

pub fn router(state: AppState) -> Router {
    let mut app = Router::new()
        .merge(discovery_routes())
        .route("/WebTicket/oauthtoken", post(auth::oauthtoken))
        .route("/webticket/oauthtoken", post(auth::oauthtoken))
        .nest(links::APPLICATIONS, applications_routes(&state))
        .merge(crate::cwa2007::routes::router());
    if state.cfg.control {
        app = app.nest("/_control", control::router());
    }
    let app = app
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(state.cfg.max_body_bytes))
        .layer(middleware::from_fn(normalize_errors))
        .layer(middleware::from_fn_with_state(state.clone(), faults::layer))
        .layer(middleware::from_fn_with_state(state.clone(), cors::layer))
        .layer(middleware::from_fn_with_state(state.clone(), xframe::layer))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            requests::layer,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), log::count));
    let app = if state.cfg.log_requests {
        app.layer(log::trace_layer())
    } else {
        app
    };
    app.with_state(state)
}

/// Autodiscover, under Microsoft's spelling and the lower-case one (the XFrame page, any
/// case, is served by [`xframe::layer`]).
fn discovery_routes() -> Router<AppState> {
    let root = Router::new()
        .route("/", get(discovery::root))
        .route("/oauth/user", get(discovery::user))
        .route("/user", get(discovery::user))
        .route("/oauth/user/redirect", get(discovery::redirect))
        .route("/user/redirect", get(discovery::redirect));
    Router::new()
        .nest("/autodiscover/autodiscoverservice.svc/root", root.clone())
        .nest("/Autodiscover/AutodiscoverService.svc/root", root)
}

/// `/ucwa/oauth/v1/applications` and everything below it: bearer token required, ETags on GETs;
/// photos (bearer token or photo cookie, their own ETags) outside those layers.
fn applications_routes(state: &AppState) -> Router<AppState> {
    let me = Router::new()
        .route("/", get(me::get))
        .route("/makeMeAvailable", post(me::make_me_available))
        .route("/presence", get(me::get_presence).post(me::set_presence))
        .route("/note", get(me::get_note).post(me::set_note))
        .route("/location", get(me::get_location).post(me::set_location))
        .route("/reportMyActivity", post(me::report_my_activity));
    let group = Router::new()
        .route("/", get(people::group))
        .route("/contacts", get(people::group_contacts))
        .route(
            "/subscribeToGroupPresence",
            post(subscriptions::subscribe_to_group),
        );
    let contact = Router::new()
        .route("/", get(people::contact))
        .route("/presence", get(people::contact_presence))
        .route("/note", get(people::contact_note))
        .route("/location", get(people::contact_location));
    let people = Router::new()
        .route("/", get(people::people))
        .route("/contacts", get(people::my_contacts))
        .route("/groups", get(people::my_groups))
        .nest("/groups/{group}", group)
        .route("/search", get(people::search))
        .route("/subscribedContacts", get(people::subscribed_contacts))
        .route(
            "/presenceSubscriptions",
            get(subscriptions::list).post(subscriptions::create),
        )
        .route(
            "/presenceSubscriptions/{sub}",
            get(subscriptions::get)
                .post(subscriptions::extend)
                .delete(subscriptions::delete),
        )
        .route(
            "/presenceSubscriptionMemberships",
            get(subscriptions::memberships).post(subscriptions::add_memberships),
        )
        .route(
            "/presenceSubscriptionMemberships/{membership}",
            get(subscriptions::membership).delete(subscriptions::delete_membership),
        )
        .nest("/{contact}", contact);
    let application = Router::new()
        .route("/", get(applications::get).delete(applications::delete))
        .route("/policies", get(applications::policies))
        .route("/communication", get(applications::communication))
        .route("/batch", post(batch::handle))
        .route("/events", get(events::pget))
        .nest("/me", me)
        .nest("/people", people);
    Router::new()
        .route("/", post(applications::create))
        .nest("/{app}", application)
        .route_layer(middleware::from_fn(etag::layer))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_token,
        ))
        .route("/{app}/photos/{contact}", get(photos::get))
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
