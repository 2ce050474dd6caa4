//! One line per request on stderr: `METHOD PATH STATUS USER MS` (e.g.
//! `GET /ucwa/oauth/v1/applications/101/me 200 sip:dana@contoso.com 1ms`).
//!
//! tower-http's `TraceLayer` measures each request and reports its response; the line is a
//! `tracing` event (target [`TARGET`]) that `tracing-subscriber`, set up by [`init`] in the
//! binary, prints. Without a subscriber (the in-process tests) nothing is printed.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::state::AppState;

/// The `tracing` target of the request lines.
pub const TARGET: &str = "ucwa_server::request";

/// Put on responses by the auth layer so the log line can name the user.
#[derive(Clone, Debug)]
pub struct LogUser(pub String);

/// The request's method and path, carried on its response to the log line.
#[derive(Clone, Debug)]
struct RequestLine {
    method: Method,
    path: String,
}

/// Counts the request (`requests` in the control API's stats) and labels its response with
/// the request line.
pub async fn count(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let line = RequestLine {
        method: req.method().clone(),
        path: req.uri().path().to_string(),
    };
    state.lock().counters.requests += 1;
    let mut response = next.run(req).await;
    response.extensions_mut().insert(line);
    response
}

fn request_line(response: &Response, latency: Duration, _span: &Span) {
    let (method, path) = match response.extensions().get::<RequestLine>() {
        Some(l) => (l.method.as_str(), l.path.as_str()),
        None => ("-", "-"),
    };
    let user = response
        .extensions()
        .get::<LogUser>()
        .map_or("-", |u| u.0.as_str());
    tracing::info!(
        target: TARGET,
        "{method} {path} {} {user} {}ms",
        response.status().as_u16(),
        latency.as_millis()
    );
}

/// What [`trace_layer`] builds: HTTP classification, no span, only `on_response`.
type RequestLog = TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    Span,
    (),
    fn(&Response, Duration, &Span),
    (),
    (),
    (),
>;

/// The request log layer: one [`TARGET`] event per response, no span, nothing else.
pub fn trace_layer() -> RequestLog {
    TraceLayer::new_for_http()
        .make_span_with(Span::none())
        .on_request(())
        .on_response(request_line as fn(&Response, Duration, &Span))
        .on_body_chunk(())
        .on_eos(())
        .on_failure(())
}

/// Prints `tracing` events to stderr as bare messages (no time, level or target), so each
/// request is exactly one line.
pub fn init() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .without_time()
        .with_target(false)
        .with_level(false)
        .init();
}
