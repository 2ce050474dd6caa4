//! The client against the real reference server over HTTP, in a real browser: sign-in, the
//! application, subscriptions, the event channel, and recovery. The server is started by
//! scripts/test (UCWA_TEST_SERVER, with --control and 1-second "minutes").
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use leptos::prelude::*;
use ucwa_presence::client::{Config, Connection, Session};
use ucwa_presence::protocol::Availability;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SERVER: Option<&str> = option_env!("UCWA_TEST_SERVER");

fn server() -> &'static str {
    SERVER.expect("UCWA_TEST_SERVER must name the reference server (run scripts/test)")
}

async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// Polls `cond` every 20 ms for up to `ms`.
async fn eventually(ms: u32, what: &str, cond: impl Fn() -> bool) {
    let mut waited = 0;
    while !cond() {
        assert!(waited < ms, "timed out after {ms} ms waiting for: {what}");
        sleep(20).await;
        waited += 20;
    }
}

async fn control(path: &str, body: &str) {
    let url = format!("{}/_control{path}", server());
    let reply = gloo_net::http::Request::post(&url)
        .header("Content-Type", "application/json")
        .body(body.to_owned())
        .unwrap()
        .send()
        .await
        .expect("control API reachable");
    assert!(reply.ok(), "control {path} -> {}", reply.status());
}

async fn set_presence(uri: &str, availability: &str) {
    control(&format!("/users/{uri}/presence"), &format!(r#"{{"availability":"{availability}"}}"#)).await;
}

fn new_session() -> Rc<Session> {
    let window = web_sys::window().unwrap();
    let config = Config {
        autodiscover: format!("{}/autodiscover/autodiscoverservice.svc/root", server()),
        subscription_minutes: 10,
        culture: "en-US".into(),
    };
    let location = window.location();
    Session::new(config, location.origin().unwrap(), location.href().unwrap())
}

async fn signed_in(user: &str) -> Rc<Session> {
    let session = new_session();
    session.start();
    let c = session.store.connection;
    eventually(10_000, "sign-in form", move || matches!(c.get_untracked(), Connection::SignInRequired { .. })).await;
    session.submit_credentials(format!("{user}@contoso.com"), "demo".into());
    eventually(10_000, "live event channel", move || c.get_untracked() == Connection::Live).await;
    session
}

fn availability_of(session: &Session, uri: &str) -> impl Fn() -> Availability {
    let person = session.store.person(uri);
    move || person.presence.get_untracked().availability
}

#[wasm_bindgen_test]
async fn wrong_password_is_reported_and_a_retry_signs_in() {
    let session = new_session();
    session.start();
    let c = session.store.connection;
    eventually(10_000, "sign-in form", move || matches!(c.get_untracked(), Connection::SignInRequired { .. })).await;
    session.submit_credentials("lisaa@contoso.com".into(), "not the password".into());
    eventually(10_000, "an error on the form", move || {
        matches!(c.get_untracked(), Connection::SignInRequired { error: Some(ref e) } if e.contains("not accepted"))
    })
    .await;
    session.submit_credentials("lisaa@contoso.com".into(), "demo".into());
    eventually(10_000, "live", move || c.get_untracked() == Connection::Live).await;
    let me = session.store.me;
    eventually(5_000, "own name", move || me.get_untracked().name.is_some()).await;
    session.stop();
}

#[wasm_bindgen_test]
async fn follows_a_colleagues_presence_live() {
    let session = signed_in("chrisb").await;
    let target = "sip:janets@contoso.com";
    session.want(target);
    set_presence(target, "Busy").await;
    let now = availability_of(&session, target);
    eventually(10_000, "Busy", || now() == Availability::Busy).await;
    set_presence(target, "DoNotDisturb").await;
    eventually(10_000, "DoNotDisturb", || now() == Availability::DoNotDisturb).await;
    let info = session.store.person(target).info;
    eventually(5_000, "contact name", move || info.get_untracked().name.is_some()).await;
    session.stop();
}

#[wasm_bindgen_test]
async fn sets_own_status_and_follows_the_servers_event() {
    let session = signed_in("garthf").await;
    session.set_availability(Some(Availability::BeRightBack));
    let me = session.store.me;
    assert!(me.get_untracked().pending.is_some(), "shown as pending until the server confirms");
    eventually(10_000, "own presence BeRightBack", move || {
        let m = me.get_untracked();
        m.presence.availability == Availability::BeRightBack && m.pending.is_none()
    })
    .await;
    session.stop();
}

#[wasm_bindgen_test]
async fn recovers_when_the_server_deletes_the_application() {
    let session = signed_in("alexd").await;
    let target = "sip:maxs@contoso.com";
    session.want(target);
    set_presence(target, "Away").await;
    let now = availability_of(&session, target);
    eventually(10_000, "Away", || now() == Availability::Away).await;

    control("/expire", r#"{"what":"application","user":"sip:alexd@contoso.com"}"#).await;
    set_presence(target, "Busy").await;
    eventually(20_000, "Busy after the application was recreated", || now() == Availability::Busy).await;
    let c = session.store.connection;
    eventually(10_000, "live again", move || c.get_untracked() == Connection::Live).await;
    session.stop();
}

#[wasm_bindgen_test]
async fn shows_stale_while_the_channel_fails_then_recovers() {
    let session = signed_in("sarad").await;
    let c = session.store.connection;
    control("/faults", r#"{"status":503,"count":2,"path_contains":"/events"}"#).await;
    // The pending GET in flight completes normally; the next two fail.
    control("/expire", r#"{"what":"channel","user":"sip:sarad@contoso.com"}"#).await;
    eventually(15_000, "reconnecting", move || matches!(c.get_untracked(), Connection::Reconnecting { .. })).await;
    eventually(30_000, "live again", move || c.get_untracked() == Connection::Live).await;
    session.stop();
}

#[wasm_bindgen_test]
async fn gives_up_on_410_with_a_reason_and_tries_again_on_request() {
    let session = new_session();
    session.start();
    let c = session.store.connection;
    eventually(10_000, "sign-in form", move || matches!(c.get_untracked(), Connection::SignInRequired { .. })).await;
    // The next application request is refused for good (410 Gone).
    control("/faults", r#"{"status":410,"count":1,"path_contains":"/applications"}"#).await;
    session.submit_credentials("janets@contoso.com".into(), "demo".into());
    eventually(10_000, "stopped with a reason", move || {
        matches!(c.get_untracked(), Connection::Stopped { ref reason } if !reason.is_empty())
    })
    .await;
    session.retry();
    eventually(10_000, "live after trying again", move || c.get_untracked() == Connection::Live).await;
    session.stop();
}
