//! The CWA 2007 backend (`data-backend="cwa2007"`) against the reference server's CWA front end
//! over real HTTP, in a real browser: the forms logon, a contact's presence and card followed
//! live, my own state, note and location published and confirmed (and seen by a UCWA watcher),
//! tickets renewed, an expired session recovered with its subscriptions, the contact list from
//! `contactGroup`, an unknown URI left unknown. scripts/test starts the server with a short
//! `--cwa-poll-wait-ms` and ticket grace.
#![cfg(target_arch = "wasm32")]

use std::ops::Deref;
use std::rc::Rc;

use gloo_net::http::Method;
use leptos::prelude::*;
use ucwa_presence::client::cwa2007::Session;
use ucwa_presence::client::store::{NoteView, Phone, PhoneKind};
use ucwa_presence::client::{BackendChoice, Config, Connection};
use ucwa_presence::protocol::grant::SignInMode;
use ucwa_presence::protocol::transport::Preference;
use ucwa_presence::protocol::Availability;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

mod common;
use common::live::{control, control_request, eventually, signed_in_with_short_polls};
use common::server::{eventually as until_async, server, set_presence};

wasm_bindgen_test_configure!(run_in_browser);

/// A CWA session for this test; it ends (terminateSession, stop) when the test does.
struct CwaSession(Rc<Session>);

impl Deref for CwaSession {
    type Target = Rc<Session>;
    fn deref(&self) -> &Rc<Session> {
        &self.0
    }
}

impl Drop for CwaSession {
    fn drop(&mut self) {
        self.0.exit();
    }
}

fn cwa_session() -> CwaSession {
    cwa_session_signing_in(SignInMode::Auto)
}

fn cwa_session_signing_in(signin: SignInMode) -> CwaSession {
    let location = web_sys::window().unwrap().location();
    let config = Config {
        backend: BackendChoice::Cwa2007 {
            url: server().to_owned(),
        },
        autodiscover: String::new(),
        fallback_autodiscover: None,
        signin,
        subscription_minutes: 30,
        event_timeout_secs: 180,
        culture: "en-US".into(),
        transport: Preference::Auto,
    };
    CwaSession(Session::new(
        config,
        location.origin().unwrap(),
        location.href().unwrap(),
    ))
}

fn is(session: &Session, state: fn(&Connection) -> bool) -> bool {
    session.store.connection.with_untracked(state)
}

fn asks_to_sign_in(c: &Connection) -> bool {
    matches!(c, Connection::SignInRequired { .. })
}

fn is_live(c: &Connection) -> bool {
    *c == Connection::Live
}

/// Signs in as `user`@contoso.com through the form (the server has no Windows logon) and
/// waits until the data channel answers.
async fn cwa_signed_in(user: &str) -> CwaSession {
    control_request(Method::DELETE, "/faults", None).await;
    let session = cwa_session();
    session.start();
    eventually(10_000, "the sign-in form", || is(&session, asks_to_sign_in)).await;
    session.submit_credentials(format!("{user}@contoso.com"), "demo".into());
    eventually(10_000, "the data channel live", || is(&session, is_live)).await;
    session
}

/// The server's CWA sessions of `user`: (sid, subscriptions, polls).
async fn sessions_of(user: &str) -> Vec<(String, f64, f64)> {
    let text = control_request(Method::GET, "/cwa/sessions", None).await;
    let list: js_sys::Array = js_sys::JSON::parse(&text).unwrap().into();
    let field = |e: &JsValue, k: &str| js_sys::Reflect::get(e, &k.into()).unwrap();
    list.iter()
        .filter(|e| {
            field(e, "user")
                .as_string()
                .is_some_and(|u| u.contains(user))
        })
        .map(|e| {
            let sid = field(&e, "sid");
            let sid = sid
                .as_string()
                .or_else(|| sid.as_f64().map(|n| n.to_string()))
                .unwrap_or_default();
            let number = |k| field(&e, k).as_f64().unwrap_or(0.0);
            (sid, number("subscriptions"), number("polls"))
        })
        .collect()
}

fn note(message: &str) -> Option<NoteView> {
    Some(NoteView {
        message: message.into(),
        out_of_office: false,
    })
}

#[wasm_bindgen_test]
async fn signs_in_with_the_form_and_follows_a_contact_live() {
    control_request(Method::DELETE, "/faults", None).await;
    let session = cwa_session();
    session.start();
    eventually(10_000, "the sign-in form", || is(&session, asks_to_sign_in)).await;
    session.submit_credentials("janets@contoso.com".into(), "wrong".into());
    eventually(10_000, "the form again, with why", || {
        session.store.connection.with_untracked(
            |c| matches!(c, Connection::SignInRequired { error: Some(e) } if e.contains("not accepted")),
        )
    })
    .await;
    session.submit_credentials(" janets@contoso.com ".into(), "demo".into());
    eventually(10_000, "live", || is(&session, is_live)).await;
    let me = session.store.me.get_untracked();
    assert_eq!(me.uri.as_deref(), Some("sip:janets@contoso.com"));

    let garth = "sip:garthf@contoso.com";
    let stranger = "sip:nobody.here@fabrikam.com";
    set_presence(garth, "Busy").await;
    session.want(garth);
    session.want(stranger);
    let person = session.store.person(garth);
    eventually(10_000, "Garth Busy", || {
        let p = person.presence.get_untracked();
        p.known && p.availability == Availability::Busy
    })
    .await;
    set_presence(garth, "Away").await;
    eventually(10_000, "Garth Away, live", || {
        person.presence.get_untracked().availability == Availability::Away
    })
    .await;
    // The card from contactCard.
    let info = person.info.get_untracked();
    assert_eq!(info.name.as_deref(), Some("Garth Fort"));
    assert_eq!(info.title.as_deref(), Some("Support Engineer"));
    assert_eq!(info.department.as_deref(), Some("Support"));
    assert_eq!(info.email.as_deref(), Some("garthf@contoso.com"));
    assert!(
        info.phones.contains(&Phone {
            kind: PhoneKind::Work,
            number: "tel:+14255550105".into()
        }),
        "{:?}",
        info.phones
    );
    let p = person.presence.get_untracked();
    assert_eq!(p.note, note("Back after lunch"));
    assert_eq!(p.location.as_deref(), Some("Cafeteria, Building 25"));
    // Whatever came for Garth came for the stranger too, if it ever would: unknown stays so.
    let p = session.store.person(stranger).presence.get_untracked();
    assert_eq!((p.availability, p.known), (Availability::Unknown, false));
    // CWA 2007 has no photos: initials at once.
    session.want_photo(garth);
    assert_eq!(
        session.store.photo(garth).get_untracked(),
        ucwa_presence::client::store::PhotoView::Missing
    );
}

#[wasm_bindgen_test]
async fn my_state_note_and_location_are_published_and_confirmed() {
    let alex = "sip:alexd@contoso.com";
    let session = cwa_signed_in("alexd").await;
    let watcher = signed_in_with_short_polls("sarad").await;
    watcher.want(alex);
    let me = session.store.me;

    session.set_availability(Some(Availability::Busy));
    assert_eq!(me.get_untracked().pending, Some(Some(Availability::Busy)));
    eventually(10_000, "Busy confirmed by selfPresence", || {
        let m = me.get_untracked();
        m.pending.is_none() && m.presence.availability == Availability::Busy
    })
    .await;
    session.set_note("  Out for lunch \n".into());
    assert_eq!(
        me.get_untracked().note_pending.as_deref(),
        Some("Out for lunch")
    );
    eventually(10_000, "my note confirmed", || {
        let m = me.get_untracked();
        m.note_pending.is_none() && m.presence.note == note("Out for lunch")
    })
    .await;
    session.set_location("Building 40".into());
    eventually(10_000, "my location confirmed", || {
        let m = me.get_untracked();
        m.location_pending.is_none() && m.presence.location.as_deref() == Some("Building 40")
    })
    .await;
    let m = me.get_untracked();
    assert_eq!((m.error, m.note_error), (None, None));

    // One presence per user: the UCWA watcher sees what CWA published.
    let seen = watcher.store.person(alex).presence;
    eventually(10_000, "Busy, the note and the location over UCWA", || {
        let p = seen.get_untracked();
        p.availability == Availability::Busy
            && p.note == note("Out for lunch")
            && p.location.as_deref() == Some("Building 40")
    })
    .await;

    // Too long: refused with a reason, nothing sent.
    session.set_note("x".repeat(501));
    let m = me.get_untracked();
    assert!(
        m.note_error.as_deref().is_some_and(|e| e.contains("500")),
        "{:?}",
        m.note_error
    );
    assert_eq!(m.note_pending, None);

    // Reset and clear: Alex as the directory has him again.
    session.set_availability(None);
    session.set_note(String::new());
    eventually(10_000, "reset and cleared", || {
        let m = me.get_untracked();
        m.pending.is_none() && m.note_pending.is_none() && m.presence.note.is_none()
    })
    .await;
    control(
        "/users/sip:alexd@contoso.com/location",
        r#"{"location":"Redmond"}"#,
    )
    .await;
    drop(watcher);
}

#[wasm_bindgen_test]
async fn renewed_tickets_replace_the_old_ones() {
    let session = cwa_signed_in("lisaa").await;
    let polls = || async { sessions_of("lisaa").await.first().map_or(0.0, |s| s.2) };
    let before = polls().await;
    control("/cwa/renew-tickets", "{}").await;
    // The old ticket expires after the server's grace (2 s in the browser runs; polls every
    // 200 ms): 20 polls later the session is past it, and live all along on the new ticket.
    until_async(20_000, "twenty polls after the renewal", || async {
        assert!(
            !is(&session, asks_to_sign_in),
            "the old ticket was kept: signed out"
        );
        polls().await >= before + 20.0
    })
    .await;
    assert!(is(&session, is_live));
    // Still accepted: a change reaches the session.
    let janet = "sip:janets@contoso.com";
    session.want(janet);
    let shown = session.store.person(janet).presence;
    set_presence(janet, "Busy").await;
    eventually(10_000, "Janet Busy", || {
        shown.get_untracked().availability == Availability::Busy
    })
    .await;
    set_presence(janet, "DoNotDisturb").await;
}

#[wasm_bindgen_test]
async fn an_expired_session_recovers_with_its_subscriptions() {
    let lisa = "sip:lisaa@contoso.com";
    let session = cwa_signed_in("maxs").await;
    session.want(lisa);
    until_async(10_000, "subscribed", || async {
        sessions_of("maxs").await.iter().any(|s| s.1 >= 1.0)
    })
    .await;
    let old = sessions_of("maxs").await;
    let old_sid = old.first().map(|s| s.0.clone()).unwrap();

    control("/cwa/expire", r#"{"user":"maxs@contoso.com"}"#).await;
    until_async(10_000, "a new session, subscribed again", || async {
        sessions_of("maxs")
            .await
            .iter()
            .any(|s| s.0 != old_sid && s.1 >= 1.0)
    })
    .await;
    eventually(10_000, "live again", || is(&session, is_live)).await;
    let shown = session.store.person(lisa).presence;
    set_presence(lisa, "Busy").await;
    eventually(10_000, "Lisa Busy in the new session", || {
        shown.get_untracked().availability == Availability::Busy
    })
    .await;
    set_presence(lisa, "BeRightBack").await;
    assert!(!is(&session, asks_to_sign_in), "the ticket was kept");
}

#[wasm_bindgen_test]
async fn the_contact_list_comes_from_contact_group() {
    let session = cwa_signed_in("dana").await;
    let groups = session.store.groups;
    eventually(10_000, "the contact list", || {
        groups.get_untracked().is_some()
    })
    .await;
    let groups = groups.get_untracked().unwrap();
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["Team", "Leadership", "Partners"]);
    assert!(
        groups[0]
            .members
            .iter()
            .any(|m| m == "sip:sarad@contoso.com"),
        "{:?}",
        groups[0].members
    );
    assert_eq!(groups[2].members, ["sip:maxs@contoso.com"]);
    // Contacts are watched by the session itself (autoSubscribePresenceForContacts): no want.
    let chris = session.store.person("sip:chrisb@contoso.com");
    eventually(10_000, "a contact's presence without asking", || {
        chris.presence.get_untracked().known
    })
    .await;
    assert_eq!(
        chris.info.get_untracked().name.as_deref(),
        Some("Chris Barry")
    );
}

#[wasm_bindgen_test]
async fn windows_only_says_why_instead_of_showing_the_form() {
    // The browser runs' server has no keytab: its Windows logon page answers 404.
    let session = cwa_session_signing_in(SignInMode::Windows);
    session.start();
    let stopped = |c: &Connection| matches!(c, Connection::Stopped { .. });
    eventually(10_000, "given up", || is(&session, stopped)).await;
    let Connection::Stopped { reason } = session.store.connection.get_untracked() else {
        unreachable!()
    };
    assert!(
        reason.contains("Windows sign-in") && reason.contains("does not offer"),
        "{reason}"
    );
}
