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

/// An injected error status: its subcode (else the status's usual one) and `Retry-After`
/// (seconds; `None`: no header).
#[derive(Debug, Clone)]
pub struct Injected {
    pub status: StatusCode,
    pub subcode: Option<&'static str>,
    pub retry_after: Option<u32>,
}

#[derive(Debug, Default)]
pub struct Faults {
    pub statuses: Vec<(Injected, Rule)>,
    pub delays: Vec<(Duration, Rule)>,
    pub closes: Vec<Rule>,
    /// Matching requests are accepted and never answered (until the faults are cleared, when
    /// they are answered as usual: a server that hung and came back).
    pub hangs: Vec<Rule>,
    /// Bumped by [`clear`](Self::clear): ends the hangs in progress.
    pub epoch: u64,
    /// The next N P-GETs have their connection closed without a response.
    pub drop_pgets: u32,
    /// The next N P-GETs answer at once with a `resync` link (EventsInUCWA).
    pub resyncs: u32,
}

enum Action {
    Status(Injected),
    Close,
    Hang(u64),
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
        if let Some(rule) = self.hangs.iter_mut().find(|r| r.matches(path)) {
            rule.remaining -= 1;
            return Some(Action::Hang(self.epoch));
        }
        let (injected, rule) = self.statuses.iter_mut().find(|(_, r)| r.matches(path))?;
        rule.remaining -= 1;
        Some(Action::Status(injected.clone()))
    }

    pub fn take_drop_pget(&mut self) -> bool {
        take_one(&mut self.drop_pgets)
    }

    pub fn take_resync(&mut self) -> bool {
        take_one(&mut self.resyncs)
    }

    /// Removes every fault; requests hanging now are answered.
    pub fn clear(&mut self) {
        let epoch = self.epoch + 1;
        *self = Faults {
            epoch,
            ..Faults::default()
        };
    }

    fn prune(&mut self) {
        self.statuses.retain(|(_, r)| r.remaining > 0);
        self.delays.retain(|(_, r)| r.remaining > 0);
        self.closes.retain(|r| r.remaining > 0);
        self.hangs.retain(|r| r.remaining > 0);
    }
}

fn take_one(n: &mut u32) -> bool {
    let some = *n > 0;
    *n = n.saturating_sub(1);
    some
}

/// How often a hanging request looks whether the faults were cleared.
const HANG_RECHECK: Duration = Duration::from_millis(50);

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
        Some(Action::Status(injected)) => injected_error(injected).into_response(),
        Some(Action::Hang(epoch)) => {
            while state.lock().faults.epoch == epoch {
                tokio::time::sleep(HANG_RECHECK).await;
            }
            next.run(req).await
        }
        None => next.run(req).await,
    })
}

fn injected_error(injected: Injected) -> ApiError {
    let mut e = ApiError::from_status(injected.status);
    e.message = format!("Injected fault: {}", e.message);
    if injected.subcode.is_some() {
        e.subcode = injected.subcode;
    }
    match injected.retry_after {
        Some(secs) => e.with_header(header::RETRY_AFTER, HeaderValue::from(secs)),
        None => e,
    }
}

/// The subcodes an injected status may carry (ErrorSubcode_ref), by name.
pub const SUBCODES: [&str; 6] = [
    "PGetReplaced",
    "ApplicationNotFound",
    "InactiveApplicationExpired",
    "TooManyApplications",
    "LimitExceeded",
    "MakeMeAvailableRequired",
];
