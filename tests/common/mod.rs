//! Helpers shared by the browser test files.
#![allow(dead_code)] // each test file uses some of them

pub mod live;
pub mod server;

use std::rc::Rc;

use leptos::prelude::document;
use ucwa_presence::client::{Config, Session};
use ucwa_presence::protocol::transport::Preference;
use wasm_bindgen::JsCast;

/// A fresh `<div>` appended to the page body, to mount a component into.
pub fn container() -> web_sys::HtmlElement {
    let doc = document();
    let div = doc
        .create_element("div")
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

/// A session for `autodiscover`, on this page's origin, not started.
pub fn session_for(autodiscover: String) -> Rc<Session> {
    session_with(autodiscover, |_| {})
}

/// A session for `autodiscover` over the transports `transport` allows, not started.
pub fn session_over(autodiscover: String, transport: Preference) -> Rc<Session> {
    session_with(autodiscover, |c| c.transport = transport)
}

/// A session for `autodiscover` with the configuration `adjust` makes, not started.
pub fn session_with(autodiscover: String, adjust: impl FnOnce(&mut Config)) -> Rc<Session> {
    let location = web_sys::window().unwrap().location();
    let mut config = Config {
        backend: Default::default(),
        autodiscover,
        fallback_autodiscover: None,
        signin: Default::default(),
        subscription_minutes: 10,
        event_timeout_secs: 180,
        culture: "en-US".into(),
        transport: Preference::Auto,
    };
    adjust(&mut config);
    Session::new(config, location.origin().unwrap(), location.href().unwrap())
}

/// A session that is never started (no request goes out): components read its store, which the
/// test writes, and their actions reach it.
pub fn idle_session() -> Rc<Session> {
    session_for("http://127.0.0.1:9/autodiscover/autodiscoverservice.svc/root".into())
}
