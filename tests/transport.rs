//! The widget over each transport against the reference server (started by scripts/test, CORS
//! on and its XFrame page served): through the XFrame and directly over CORS it signs in,
//! follows a colleague live over several event-channel requests, and changes its own status.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use leptos::prelude::*;

use ucwa_presence::client::{Connection, Session};
use ucwa_presence::protocol::transport::{Preference, Transport};
use ucwa_presence::protocol::Availability;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;
use common::server::{self, autodiscover, server, set_presence};
use common::session_over;

wasm_bindgen_test_configure!(run_in_browser);

async fn eventually(ms: u32, what: &str, cond: impl Fn() -> bool) {
    server::eventually(ms, what, || std::future::ready(cond())).await;
}

/// The iframes on the page at the test server's XFrame page.
fn frames_of_the_server() -> usize {
    let frames = leptos::prelude::document()
        .query_selector_all("iframe")
        .unwrap();
    (0..frames.length())
        .filter_map(|i| frames.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter(|e| {
            e.get_attribute("src")
                .is_some_and(|src| src == format!("{}/Autodiscover/XFrame/XFrame.html", server()))
        })
        .count()
}

/// Signs `user` in over `transport` with one-second event-channel requests, follows `contact`
/// through three changes (each needs a fresh answer on the channel), then sets its own status.
async fn live_over(transport: Transport, user: &str, contact: &str) -> Rc<Session> {
    let session = session_over(autodiscover(), Preference::Only(transport));
    session.set_event_timeout(1);
    session.start();
    let c = session.store.connection;
    eventually(10_000, "sign-in form", move || {
        matches!(c.get_untracked(), Connection::SignInRequired { .. })
    })
    .await;
    session.submit_credentials(format!("{user}@contoso.com"), "demo".into());
    eventually(10_000, "live", move || {
        c.get_untracked() == Connection::Live
    })
    .await;
    session.want(contact);
    let person = session.store.person(contact);
    for (name, availability) in [
        ("Busy", Availability::Busy),
        ("Away", Availability::Away),
        ("DoNotDisturb", Availability::DoNotDisturb),
    ] {
        set_presence(contact, name).await;
        eventually(10_000, name, move || {
            person.presence.get_untracked().availability == availability
        })
        .await;
        assert_eq!(c.get_untracked(), Connection::Live);
    }
    session.set_availability(Some(Availability::BeRightBack));
    let me = session.store.me;
    eventually(10_000, "own status confirmed", move || {
        let m = me.get_untracked();
        m.presence.availability == Availability::BeRightBack && m.pending.is_none()
    })
    .await;
    session
}

#[wasm_bindgen_test]
async fn signs_in_and_stays_live_through_the_xframe() {
    let session = live_over(Transport::XFrame, "alexd", "sip:lisaa@contoso.com").await;
    assert!(frames_of_the_server() >= 1, "the XFrame is on the page");
    session.exit();
}

#[wasm_bindgen_test]
async fn signs_in_and_stays_live_over_cors() {
    let before = frames_of_the_server();
    let session = live_over(Transport::Cors, "maxs", "sip:chrisb@contoso.com").await;
    assert_eq!(frames_of_the_server(), before, "no frame is made for CORS");
    session.exit();
}
