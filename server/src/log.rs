//! One line per request on stderr: method, path, status, user, milliseconds.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// Put on responses by the auth layer so the log line can name the user.
#[derive(Clone, Debug)]
pub struct LogUser(pub String);

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    state.lock().counters.requests += 1;
    let response = next.run(req).await;
    if state.cfg.log_requests {
        let user = response
            .extensions()
            .get::<LogUser>()
            .map_or("-", |u| u.0.as_str());
        eprintln!(
            "{method} {path} {} {user} {}ms",
            response.status().as_u16(),
            start.elapsed().as_millis()
        );
    }
    response
}
