//! Sign-in against the real reference server, in a real browser: which grant the widget uses
//! (`data-signin`, the page's `getToken` hook), silent renewal of a hook token, and the
//! external autodiscover root when the internal one fails (`data-domain`). The server is the
//! one scripts/test starts (UCWA_TEST_SERVER, with --control). Windows sign-in that succeeds
//! needs a KDC: tests/e2e/sso.test.mjs.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use ucwa_presence::client::{Connection, Session};
use ucwa_presence::protocol::grant::SignInMode;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

mod common;
use common::server::{autodiscover, eventually, server};
use common::session_with;

wasm_bindgen_test_configure!(run_in_browser);

/// Ends the session (and deletes its application) when the test ends.
struct Running(Rc<Session>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.exit();
    }
}

fn start(session: Rc<Session>) -> Running {
    session.start();
    Running(session)
}

async fn until(session: &Session, what: &str, state: impl Fn(&Connection) -> bool) {
    let c = session.store.connection;
    eventually(15_000, what, || {
        std::future::ready(c.with_untracked(&state))
    })
    .await;
}

fn asks_to_sign_in(c: &Connection) -> bool {
    matches!(c, Connection::SignInRequired { .. })
}

/// `data-signin="windows"`: no form; the status line says why Windows sign-in did not work
/// (this server has no Negotiate: it refuses the grant, or does not offer it).
#[wasm_bindgen_test]
async fn windows_only_says_why_instead_of_showing_the_form() {
    let session = start(session_with(autodiscover(), |c| {
        c.signin = SignInMode::Windows
    }));
    let c = session.0.store.connection;
    let seen_form = Cell::new(false);
    eventually(15_000, "stopped", || {
        seen_form.set(seen_form.get() | asks_to_sign_in(&c.get_untracked()));
        std::future::ready(matches!(c.get_untracked(), Connection::Stopped { .. }))
    })
    .await;
    assert!(
        !seen_form.get(),
        "the form never shows with data-signin=windows"
    );
    let Connection::Stopped { reason } = c.get_untracked() else {
        unreachable!()
    };
    assert!(reason.contains("Windows sign-in"), "{reason}");
}

/// `auto` on a server without working Windows sign-in, and `password`: the form.
#[wasm_bindgen_test]
async fn auto_and_password_fall_back_to_the_form_and_sign_in() {
    for mode in [SignInMode::Auto, SignInMode::Password] {
        let session = start(session_with(autodiscover(), |c| c.signin = mode));
        until(&session.0, "the sign-in form", asks_to_sign_in).await;
        session
            .0
            .submit_credentials("garthf@contoso.com".into(), "demo".into());
        until(&session.0, "live", |c| *c == Connection::Live).await;
    }
}

/// `data-domain`: the internal autodiscover name does not answer (here: nothing listens), so
/// the external one is used.
#[wasm_bindgen_test]
async fn the_external_root_is_used_when_the_internal_one_fails() {
    let session = start(session_with(
        "http://127.0.0.1:9/autodiscover/autodiscoverservice.svc/root".into(),
        |c| c.fallback_autodiscover = Some(autodiscover()),
    ));
    until(&session.0, "the sign-in form", asks_to_sign_in).await;
    session
        .0
        .submit_credentials("lisaa@contoso.com".into(), "demo".into());
    until(&session.0, "live", |c| *c == Connection::Live).await;
}

/// The page's `getToken` hook signs in without the form, and when the token stops working the
/// hook is asked again, silently: the form never shows.
#[wasm_bindgen_test]
async fn a_hook_token_is_renewed_through_the_hook() {
    let hook = js_sys::Function::new_no_args(&format!(
        "window.__hookCalls = (window.__hookCalls || 0) + 1;
         return fetch('{}/WebTicket/oauthtoken', {{method: 'POST',
           headers: {{'content-type': 'application/x-www-form-urlencoded'}},
           body: 'grant_type=password&username=janets%40contoso.com&password=demo'}})
           .then((r) => r.json()).then((j) => j.access_token);",
        server()
    ));
    let global = js_sys::Object::new();
    js_sys::Reflect::set(&global, &"getToken".into(), &hook).unwrap();
    let window = web_sys::window().unwrap();
    js_sys::Reflect::set(&window, &"ucwaPresence".into(), &global).unwrap();
    let calls = || {
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"__hookCalls".into())
            .unwrap()
            .as_f64()
            .unwrap_or(0.0)
    };

    let session = session_with(autodiscover(), |_| {});
    // One-second event polls: the 401 after the expiry comes at once.
    session.set_event_timeout(1);
    let session = start(session);
    let c = session.0.store.connection;
    let seen_form = Cell::new(false);
    eventually(15_000, "live through the hook", || {
        seen_form.set(seen_form.get() | asks_to_sign_in(&c.get_untracked()));
        std::future::ready(c.get_untracked() == Connection::Live)
    })
    .await;
    assert_eq!(calls(), 1.0);

    let expire = gloo_net::http::Request::post(&format!("{}/_control/expire", server()))
        .header("Content-Type", "application/json")
        .body(r#"{"what":"token","user":"sip:janets@contoso.com"}"#)
        .unwrap()
        .send()
        .await
        .unwrap();
    assert!(expire.ok());
    eventually(20_000, "the hook asked again", || {
        seen_form.set(seen_form.get() | asks_to_sign_in(&c.get_untracked()));
        std::future::ready(calls() >= 2.0 && c.get_untracked() == Connection::Live)
    })
    .await;
    assert!(
        !seen_form.get(),
        "the form never shows when the page has a hook"
    );
    js_sys::Reflect::delete_property(&window, &"ucwaPresence".into()).unwrap();
    js_sys::Reflect::set(&window, &"__hookCalls".into(), &JsValue::UNDEFINED).unwrap();
}
