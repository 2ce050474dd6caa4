//! The CWA part of the control API (`--control`): `POST /_control/cwa/expire`,
//! `POST /_control/cwa/renew-tickets`, `GET /_control/cwa/sessions`.

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::clock;
use crate::control::user_key;
use crate::error::{ApiError, ApiResult};
use crate::http::{no_content, ok, string_field};
use crate::routes::extract::JsonObject;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cwa/expire", post(expire))
        .route("/cwa/renew-tickets", post(renew_tickets))
        .route("/cwa/sessions", get(sessions))
}

/// `{"user":"dana@contoso.com"}`: ends every CWA session of the user, as a timeout would.
async fn expire(State(state): State<AppState>, JsonObject(map): JsonObject) -> ApiResult<Response> {
    let map = map.ok_or_else(|| ApiError::invalid_parameter("A JSON body is required."))?;
    let user = string_field(&map, "user")?
        .ok_or_else(|| ApiError::invalid_parameter("'user' is required."))?;
    let key = user_key(&state, &user)?;
    state.lock().end_cwa_sessions_of(&key, clock::now());
    Ok(no_content())
}

/// The next response to every ticket holder carries a new ticket.
async fn renew_tickets(State(state): State<AppState>) -> Response {
    state.lock().cwa.tickets.renew_all();
    no_content()
}

async fn sessions(State(state): State<AppState>) -> Response {
    let g = state.lock();
    let list: Vec<Value> = g
        .cwa
        .sessions
        .values()
        .map(|s| {
            json!({
                "user": s.user,
                "sid": s.sid,
                "subscriptions": s.subscriptions.len(),
                "ackId": s.ack_id,
                "polls": s.polls,
            })
        })
        .collect();
    ok(&Value::Array(list))
}
