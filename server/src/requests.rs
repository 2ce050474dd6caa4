//! The request log of the control API (`GET /_control/requests`): which pool got which request,
//! from which origin, with whose token. Tests use it to prove a token never reaches a pool that
//! did not issue it. XFrame-page and control requests are left out; the log keeps the newest
//! `--request-log-capacity` entries (default [`CAPACITY`]).

use std::collections::VecDeque;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;

use crate::auth;
use crate::http;
use crate::state::AppState;
use crate::xframe;

/// Entries kept by default; older ones are dropped first.
pub const CAPACITY: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    pub pool: String,
    pub method: String,
    pub path: String,
    /// `X-Ms-Origin`, else `Origin`, else none.
    pub origin: Option<String>,
    /// The pool that issued the request's bearer token (none without one, or unknown).
    pub token_pool: Option<String>,
    pub token_user: Option<String>,
}

#[derive(Debug)]
pub struct RequestLog {
    entries: VecDeque<Record>,
    capacity: usize,
}

impl RequestLog {
    /// A log keeping the newest `capacity` entries (at least one).
    pub fn new(capacity: usize) -> RequestLog {
        RequestLog {
            entries: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    pub fn push(&mut self, record: Record) {
        if self.entries.len() >= self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(record);
    }

    pub fn entries(&self) -> impl Iterator<Item = &Record> {
        self.entries.iter()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Records the request (when the control API is on) before it is handled, so a held P-GET
/// shows up at once.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let logged = state.cfg.control && !xframe::is_page(path) && !path.starts_with("/_control");
    if logged {
        let header = |name: &str| {
            req.headers().get(name).map(|v| {
                String::from_utf8_lossy(v.as_bytes())
                    .chars()
                    .take(200)
                    .collect()
            })
        };
        let origin = header("x-ms-origin").or_else(|| header("origin"));
        let mut g = state.lock();
        let issuer = auth::bearer(req.headers()).and_then(|t| g.tokens.issuer(t));
        let (token_pool, token_user) = match issuer {
            Some((pool, user)) => (Some(pool.to_string()), Some(user.to_string())),
            None => (None, None),
        };
        let record = Record {
            pool: state.pool.clone(),
            method: req.method().to_string(),
            path: path.to_string(),
            origin,
            token_pool,
            token_user,
        };
        g.requests.push(record);
    }
    next.run(req).await
}

/// `GET /_control/requests`: every logged request, oldest first.
pub async fn list(State(state): State<AppState>) -> Response {
    let g = state.lock();
    let entries: Vec<&Record> = g.requests.entries().collect();
    http::ok(&serde_json::json!(entries))
}

/// `DELETE /_control/requests`: starts the log afresh.
pub async fn clear(State(state): State<AppState>) -> Response {
    state.lock().requests.clear();
    http::no_content()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str) -> Record {
        Record {
            pool: "A".into(),
            method: "GET".into(),
            path: path.into(),
            origin: None,
            token_pool: None,
            token_user: None,
        }
    }

    #[test]
    fn keeps_the_newest_entries_in_order() {
        let mut log = RequestLog::new(CAPACITY);
        for i in 0..CAPACITY + 2 {
            log.push(record(&format!("/{i}")));
        }
        let paths: Vec<&str> = log.entries().map(|r| r.path.as_str()).collect();
        assert_eq!(paths.len(), CAPACITY);
        assert_eq!(paths[0], "/2");
        assert_eq!(paths[CAPACITY - 1], format!("/{}", CAPACITY + 1));
        log.clear();
        assert_eq!(log.entries().count(), 0);
    }
}
