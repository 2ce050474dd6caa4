//! Injected faults for tests and demos (`POST /_control/faults`).

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct Rule {
    pub remaining: u32,
    pub path_contains: Option<String>,
}

impl Rule {
    fn matches(&self, path: &str) -> bool {
        self.remaining > 0
            && self
                .path_contains
                .as_deref()
                .is_none_or(|p| path.contains(p))
    }
}

#[derive(Debug, Default)]
pub struct Faults {
    pub statuses: Vec<(StatusCode, Rule)>,
    pub delays: Vec<(Duration, Rule)>,
    pub closes: Vec<Rule>,
    /// The next N P-GETs have their connection closed without a response.
    pub drop_pgets: u32,
}

enum Action {
    Status(StatusCode),
    Close,
}

impl Faults {
    fn take_delay(&mut self, path: &str) -> Option<Duration> {
        let (d, rule) = self.delays.iter_mut().find(|(_, r)| r.matches(path))?;
        rule.remaining -= 1;
        Some(*d)
    }

    fn take_action(&mut self, path: &str) -> Option<Action> {
        if let Some(rule) = self.closes.iter_mut().find(|r| r.matches(path)) {
            rule.remaining -= 1;
            return Some(Action::Close);
        }
        let (status, rule) = self.statuses.iter_mut().find(|(_, r)| r.matches(path))?;
        rule.remaining -= 1;
        Some(Action::Status(*status))
    }

    pub fn take_drop_pget(&mut self) -> bool {
        if self.drop_pgets > 0 {
            self.drop_pgets -= 1;
            true
        } else {
            false
        }
    }

    pub fn clear(&mut self) {
        *self = Faults::default();
    }

    fn prune(&mut self) {
        self.statuses.retain(|(_, r)| r.remaining > 0);
        self.delays.retain(|(_, r)| r.remaining > 0);
        self.closes.retain(|r| r.remaining > 0);
    }
}

/// A body that fails at once: hyper then closes the connection without completing a response.
struct AbortBody;

impl http_body::Body for AbortBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection closed by fault injection",
        ))))
    }
}

/// A response whose connection is torn down instead of completed.
pub fn abort_connection() -> Response {
    let mut r = Response::new(Body::new(AbortBody));
    r.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from_static("1024"));
    r
}

pub async fn layer(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, Infallible> {
    let path = req.uri().path().to_string();
    if path.starts_with("/_control") {
        return Ok(next.run(req).await);
    }
    let (delay, action) = {
        let mut g = state.lock();
        let d = g.faults.take_delay(&path);
        let a = g.faults.take_action(&path);
        g.faults.prune();
        (d, a)
    };
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    Ok(match action {
        Some(Action::Close) => abort_connection(),
        Some(Action::Status(status)) => {
            let mut e = ApiError::from_status(status);
            e.message = format!("Injected fault: {}", e.message);
            if status == StatusCode::SERVICE_UNAVAILABLE {
                e = e.with_header(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            e.into_response()
        }
        None => next.run(req).await,
    })
}
