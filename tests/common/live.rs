//! A signed-in session against the reference server, ended when the test ends, and the
//! control API: what the test files that sign in share.

use std::cell::RefCell;
use std::ops::Deref;
use std::rc::Rc;

use gloo_net::http::Method;
use leptos::prelude::*;
use ucwa_presence::client::{Connection, Session};

use super::server::{self, autodiscover, server};
use super::session_over;
use ucwa_presence::protocol::transport::Preference;
use wasm_bindgen::JsValue;

/// Polls the synchronous `cond` (a signal read) until it holds, failing after `ms`.
pub async fn eventually(ms: u32, what: &str, cond: impl Fn() -> bool) {
    server::eventually(ms, what, || std::future::ready(cond())).await;
}

pub fn is_live(c: &Connection) -> bool {
    *c == Connection::Live
}

pub fn asks_to_sign_in(c: &Connection) -> bool {
    matches!(c, Connection::SignInRequired { .. })
}

/// Polls the session's connection for up to `ms` until it is in `state`.
pub async fn until(session: &Session, ms: u32, what: &str, state: fn(&Connection) -> bool) {
    let c = session.store.connection;
    eventually(ms, what, move || c.with_untracked(state)).await;
}

pub async fn control_request(method: Method, path: &str, body: Option<&str>) -> String {
    let url = format!("{}/_control{path}", server());
    let builder = gloo_net::http::RequestBuilder::new(&url).method(method.clone());
    let request = match body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body.to_owned())
            .unwrap(),
        None => builder.build().unwrap(),
    };
    let reply = request.send().await.expect("control API reachable");
    assert!(reply.ok(), "control {method} {path} -> {}", reply.status());
    reply.text().await.unwrap()
}

pub async fn control(path: &str, body: &str) {
    control_request(Method::POST, path, Some(body)).await;
}

/// One entry of the server's request log (`GET /_control/requests`); a field it lacks is empty.
/// The parts of a batch are logged after it, without the page's origin.
pub struct Logged {
    pub method: String,
    pub path: String,
    pub origin: String,
    pub token_user: String,
}

/// The server's request log since it was last cleared, oldest first.
pub async fn request_log() -> Vec<Logged> {
    let log = control_request(Method::GET, "/requests", None).await;
    let entries: js_sys::Array = js_sys::JSON::parse(&log).unwrap().into();
    let field = |e: &JsValue, k: &str| {
        js_sys::Reflect::get(e, &k.into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    entries
        .iter()
        .map(|e| Logged {
            method: field(&e, "method"),
            path: field(&e, "path"),
            origin: field(&e, "origin"),
            token_user: field(&e, "token_user"),
        })
        .collect()
}

thread_local! {
    /// The sessions of tests still running, or of tests that failed: a panic does not unwind in
    /// wasm, so a failed test never drops its [`TestSession`].
    static RUNNING: RefCell<Vec<Rc<Session>>> = const { RefCell::new(Vec::new()) };
}

/// A test's session. It ends (stop, and its application is deleted) when the test ends; a
/// session a failed test left behind ends when the next test starts.
pub struct TestSession(Rc<Session>);

impl Deref for TestSession {
    type Target = Rc<Session>;
    fn deref(&self) -> &Rc<Session> {
        &self.0
    }
}

impl Drop for TestSession {
    fn drop(&mut self) {
        self.0.exit();
        RUNNING.with(|running| running.borrow_mut().retain(|s| !Rc::ptr_eq(s, &self.0)));
    }
}

/// A new session (not started), after ending what earlier tests left: their sessions and
/// their injected faults.
pub async fn new_session() -> TestSession {
    new_session_over(Preference::Auto).await
}

/// [`new_session`] over the transports `transport` allows.
pub async fn new_session_over(transport: Preference) -> TestSession {
    for leftover in RUNNING.with(|running| running.take()) {
        leftover.exit();
    }
    control_request(Method::DELETE, "/faults", None).await;
    let session = session_over(autodiscover(), transport);
    RUNNING.with(|running| running.borrow_mut().push(Rc::clone(&session)));
    TestSession(session)
}

/// Waits for the sign-in form and signs in as `user`@contoso.com; returns once live.
pub async fn sign_in(session: &Session, user: &str) {
    until(session, 10_000, "sign-in form", asks_to_sign_in).await;
    session.submit_credentials(format!("{user}@contoso.com"), "demo".into());
    until(session, 10_000, "live event channel", is_live).await;
}

pub async fn signed_in(user: &str) -> TestSession {
    let session = new_session().await;
    session.start();
    sign_in(&session, user).await;
    session
}

/// Signed in with a one-second event-channel `timeout`, so every P-GET soon meets what the test
/// changed on the server.
pub async fn signed_in_with_short_polls(user: &str) -> TestSession {
    let session = new_session().await;
    session.set_event_timeout(1);
    session.start();
    sign_in(&session, user).await;
    session
}
