//! The session across the back/forward cache, driven directly (the e2e test drives the real
//! `pagehide`/`pageshow`, in Chromium only; this runs in Chromium and Firefox): suspended, it
//! deletes its application and shows presence as last known; resumed, it makes a new
//! application and is live again with its subscription restored.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use ucwa_presence::client::Connection;
use ucwa_presence::protocol::Availability;
use wasm_bindgen_test::*;

mod common;
use common::server::{
    applications_created, applications_of, autodiscover, eventually, set_presence, subscribed,
};
use common::session_for;

wasm_bindgen_test_configure!(run_in_browser);

/// No other browser test signs in as Max, so his applications on the server are this file's.
const MAX: &str = "sip:maxs@contoso.com";
const LISA: &str = "sip:lisaa@contoso.com";

#[wasm_bindgen_test]
async fn a_suspended_session_deletes_its_application_and_resumes_with_a_new_one() {
    let session = session_for(autodiscover());
    session.start();
    let connection = session.store.connection;
    let signing_in = || async move {
        matches!(
            connection.get_untracked(),
            Connection::SignInRequired { .. }
        )
    };
    eventually(10_000, "the sign-in form", signing_in).await;
    session.submit_credentials("maxs@contoso.com".into(), "demo".into());
    let live = || async move { connection.get_untracked() == Connection::Live };
    eventually(10_000, "live", live).await;
    session.want(LISA);
    let lisa = session.store.person(LISA).presence;
    set_presence(LISA, "Busy").await;
    eventually(10_000, "Lisa Busy", || async move {
        lisa.get_untracked().availability == Availability::Busy
    })
    .await;
    let created = applications_created().await;

    session.suspend();
    assert_ne!(connection.get_untracked(), Connection::Live);
    assert!(
        lisa.get_untracked().is_stale(&connection.get_untracked()),
        "shown as last known"
    );
    eventually(10_000, "Max's application deleted", || async {
        applications_of(MAX).await == 0.0
    })
    .await;

    session.resume();
    eventually(10_000, "live again", live).await;
    set_presence(LISA, "Away").await;
    eventually(10_000, "Lisa Away", || async move {
        lisa.get_untracked().availability == Availability::Away
    })
    .await;
    assert_eq!(
        applications_created().await - created,
        1.0,
        "one new application"
    );
    assert_eq!(applications_of(MAX).await, 1.0);
    assert_eq!(subscribed(MAX).await, [LISA]);
    session.exit();
}
