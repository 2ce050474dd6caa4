//! Notes, locations and photos against the real reference server over HTTP, in a real browser:
//! a contact's note and location read and followed live, my own note set and confirmed by the
//! server's event, a contact the directory does not know left unknown. The server is started by
//! scripts/test (UCWA_TEST_SERVER, with --control and no event aggregation windows).
#![cfg(target_arch = "wasm32")]

use gloo_net::http::Method;
use leptos::prelude::*;
use ucwa_presence::client::store::{NoteView, PhotoView};
use ucwa_presence::protocol::transport::{Preference, Transport};
use ucwa_presence::protocol::Availability;
use wasm_bindgen_test::*;

mod common;
use common::live::*;
use common::server::set_presence;

wasm_bindgen_test_configure!(run_in_browser);

/// Sets `user`'s note of `kind` (`Personal` | `OutOfOffice`) through the control API.
async fn set_note(user: &str, kind: &str, message: &str) {
    let body = format!(r#"{{"message":"{message}","type":"{kind}"}}"#);
    control(&format!("/users/{user}/note"), &body).await;
}

async fn set_location(user: &str, location: &str) {
    let body = format!(r#"{{"location":"{location}"}}"#);
    control(&format!("/users/{user}/location"), &body).await;
}

/// The requests the page sent with `user`'s token since the log was cleared: (method, path).
/// The parts of a batch are logged too, without the page's origin (they inherit the batch's):
/// they are left out.
async fn requests_of(user: &str) -> Vec<(String, String)> {
    request_log()
        .await
        .into_iter()
        .filter(|e| e.token_user.contains(user) && !e.origin.is_empty())
        .map(|e| (e.method, e.path))
        .collect()
}

fn note(message: &str, out_of_office: bool) -> Option<NoteView> {
    Some(NoteView {
        message: message.into(),
        out_of_office,
    })
}

#[wasm_bindgen_test]
async fn a_contacts_note_and_location_arrive_and_follow_the_server() {
    let target = "sip:lisaa@contoso.com";
    set_note(target, "OutOfOffice", "").await;
    set_note(target, "Personal", "Heads down today").await;
    set_location(target, "Building 43").await;
    let session = signed_in_with_short_polls("janets").await;
    control_request(Method::DELETE, "/requests", None).await;
    session.want(target);
    let person = session.store.person(target);
    let shown = move || person.presence.get_untracked();
    eventually(10_000, "the note and location as they were", || {
        let p = shown();
        p.note == note("Heads down today", false) && p.location.as_deref() == Some("Building 43")
    })
    .await;

    // The contact, then its note and location, were read in batches, not one GET each.
    let singles = requests_of("janets")
        .await
        .into_iter()
        .filter(|(method, path)| {
            method == "GET"
                && (path.ends_with("lisaa@contoso.com/note")
                    || path.ends_with("lisaa@contoso.com/location"))
        })
        .count();
    assert_eq!(
        singles,
        0,
        "note and location GETs outside a batch: {:?}",
        requests_of("janets").await
    );
    assert!(requests_of("janets")
        .await
        .iter()
        .any(|(method, path)| method == "POST" && path.ends_with("/batch")));

    set_note(target, "OutOfOffice", "Back on Monday").await;
    eventually(10_000, "the out-of-office note, live", || {
        shown().note == note("Back on Monday", true)
    })
    .await;
    set_location(target, "Board room").await;
    eventually(10_000, "the new location, live", || {
        shown().location.as_deref() == Some("Board room")
    })
    .await;

    // A presence change keeps the note and location (they come from their own resources).
    set_presence(target, "Busy").await;
    eventually(10_000, "Busy, note kept", || {
        let p = shown();
        p.availability == Availability::Busy && p.note == note("Back on Monday", true)
    })
    .await;

    set_note(target, "Personal", "").await;
    set_note(target, "OutOfOffice", "").await;
    set_location(target, "").await;
    eventually(10_000, "both cleared", || {
        let p = shown();
        p.note.is_none() && p.location.is_none()
    })
    .await;
    let info = person.info.get_untracked();
    let photo = info.photo.expect("the contact's photo link, resolved");
    assert!(
        photo.starts_with("http://") && photo.contains("/photos/"),
        "{photo}"
    );
}

#[wasm_bindgen_test]
async fn my_note_and_location_are_confirmed_by_the_servers_event() {
    let session = signed_in_with_short_polls("alexd").await;
    let me = session.store.me;
    // Read once after makeMeAvailable: whatever an earlier run left is known, not pending.
    eventually(10_000, "my links", || me.get_untracked().photo.is_some()).await;

    session.set_note("  Out for lunch \n".into());
    assert_eq!(
        me.get_untracked().note_pending.as_deref(),
        Some("Out for lunch"),
        "pending until the server confirms"
    );
    // Well within the 10 s after which the widget would read it back itself: the event.
    eventually(8_000, "my note confirmed", || {
        let m = me.get_untracked();
        m.note_pending.is_none() && m.presence.note == note("Out for lunch", false)
    })
    .await;
    assert_eq!(me.get_untracked().note_error, None);

    session.set_location("Building 2".into());
    assert_eq!(
        me.get_untracked().location_pending.as_deref(),
        Some("Building 2")
    );
    eventually(8_000, "my location confirmed", || {
        let m = me.get_untracked();
        m.location_pending.is_none() && m.presence.location.as_deref() == Some("Building 2")
    })
    .await;

    session.set_note("   ".into());
    eventually(8_000, "my note cleared", || {
        let m = me.get_untracked();
        m.note_pending.is_none() && m.presence.note.is_none()
    })
    .await;
    session.set_location(String::new());
    eventually(8_000, "my location cleared", || {
        let m = me.get_untracked();
        m.location_pending.is_none() && m.presence.location.is_none()
    })
    .await;

    // Too long: refused by the widget with a reason, nothing pending, nothing lost.
    session.set_note("x".repeat(501));
    let m = me.get_untracked();
    assert_eq!(m.note_pending, None);
    let error = m.note_error.expect("an error");
    assert!(
        error.starts_with("Could not change your note:") && error.contains("500"),
        "{error}"
    );
    session.set_location("y".repeat(61));
    let error = me.get_untracked().note_error.expect("an error");
    assert!(
        error.starts_with("Could not change your location:") && error.contains("60"),
        "{error}"
    );
}

#[wasm_bindgen_test]
async fn my_note_set_elsewhere_follows_the_server() {
    let session = signed_in_with_short_polls("garthf").await;
    let me = session.store.me;
    let garth = "sip:garthf@contoso.com";
    set_note(garth, "Personal", "At my desk").await;
    set_note(garth, "OutOfOffice", "On leave").await;
    eventually(10_000, "my out-of-office note", || {
        me.get_untracked().presence.note == note("On leave", true)
    })
    .await;
    // The server shows the out-of-office note while it is set, else the personal one.
    set_note(garth, "OutOfOffice", "").await;
    eventually(10_000, "my personal note again", || {
        me.get_untracked().presence.note == note("At my desk", false)
    })
    .await;
    set_note(garth, "Personal", "").await;
    eventually(10_000, "cleared", || {
        me.get_untracked().presence.note.is_none()
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_contact_outside_the_directory_stays_unknown() {
    let session = signed_in_with_short_polls("maxs").await;
    let stranger = "sip:nobody.here@fabrikam.com";
    let colleague = "sip:chrisb@contoso.com";
    session.want(stranger);
    session.want(colleague);
    let known = session.store.person(colleague).presence;
    eventually(10_000, "the colleague's presence", || {
        known.get_untracked().known
    })
    .await;
    // Whatever came for the colleague came for the stranger too if it ever would.
    let p = session.store.person(stranger).presence.get_untracked();
    assert_eq!((p.availability, p.known), (Availability::Unknown, false));
    // Its contact is never read: its photo is never asked for (initials).
    session.want_photo(stranger);
    assert_eq!(
        session.store.photo(stranger).get_untracked(),
        PhotoView::Pending
    );
}

/// Photos over each transport: the XFrame hands the `<img>` the URL (the server's cookie
/// authorises it), CORS fetches the bytes with the token and hands it an object URL.
#[wasm_bindgen_test]
async fn photos_load_once_over_either_transport() {
    for (transport, user, target) in [
        (Transport::XFrame, "sarad", "sip:maxs@contoso.com"),
        (Transport::Cors, "chrisb", "sip:janets@contoso.com"),
    ] {
        let session = new_session_over(Preference::Only(transport)).await;
        session.start();
        sign_in(&session, user).await;
        control_request(Method::DELETE, "/requests", None).await;
        // Asked before the contact is read: loads once its link is known.
        session.want_photo(target);
        session.want(target);
        let photo = session.store.photo(target);
        eventually(10_000, "the photo", || {
            matches!(photo.get_untracked(), PhotoView::Src(_))
        })
        .await;
        let PhotoView::Src(src) = photo.get_untracked() else {
            unreachable!()
        };
        let link = session.store.person(target).info.get_untracked().photo;
        match transport {
            Transport::XFrame => assert_eq!(Some(src.clone()), link),
            Transport::Cors => assert!(src.starts_with("blob:"), "{src}"),
        }
        // The image is one the browser can show.
        let image = web_sys::HtmlImageElement::new().unwrap();
        image.set_src(&src);
        let decoded = wasm_bindgen_futures::JsFuture::from(image.decode()).await;
        assert!(decoded.is_ok(), "{transport:?}: {src} decodes");
        // Asked again: nothing changes, nothing is fetched again.
        session.want_photo(target);
        assert_eq!(photo.get_untracked(), PhotoView::Src(src));
        let fetched = requests_of(user)
            .await
            .into_iter()
            .filter(|(_, path)| path.contains("/photos/"))
            .count();
        // Over the XFrame the `<img>` (here: the decode above) loads it, with the cookie.
        let by_widget = usize::from(transport == Transport::Cors);
        assert_eq!(
            fetched, by_widget,
            "{transport:?}: photo requests with the token"
        );
        // My own photo, from the `me` link.
        let me = format!("sip:{user}@contoso.com");
        session.want_photo(&me);
        let mine = session.store.photo(&me);
        eventually(10_000, "my photo", || {
            mine.get_untracked() != PhotoView::Pending
        })
        .await;
        drop(session);
    }
}

/// A photo the server does not have (404) is `Missing` (initials), over CORS where the widget
/// fetches it.
#[wasm_bindgen_test]
async fn a_photo_that_is_not_there_is_missing() {
    let target = "sip:dana@contoso.com";
    control(&format!("/users/{target}/photo"), r#"{"photo":false}"#).await;
    let session = new_session_over(Preference::Only(Transport::Cors)).await;
    session.start();
    sign_in(&session, "lisaa").await;
    session.want(target);
    session.want_photo(target);
    let photo = session.store.photo(target);
    eventually(10_000, "no photo", || {
        photo.get_untracked() == PhotoView::Missing
    })
    .await;
    control(&format!("/users/{target}/photo"), r#"{"photo":true}"#).await;
}
