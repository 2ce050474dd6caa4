//! `<ucwa-presence display="avatar">`: initials on the person's colour until a photo loads, the
//! photo once it does, and initials again when it cannot (never a broken image).
#![cfg(all(target_arch = "wasm32", feature = "rich-display"))]

use std::rc::Rc;

use leptos::prelude::*;
use ucwa_presence::client::store::PhotoView;
use ucwa_presence::client::{PersonInfo, Session};
use ucwa_presence::protocol::initials::avatar_color_index;
use ucwa_presence::ui::{BadgeSize, Contact, ContactLayout, SessionContext};
use wasm_bindgen_test::*;

mod common;
use common::server::eventually;
use common::{container, idle_session};

wasm_bindgen_test_configure!(run_in_browser);

/// A 1×1 PNG.
const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

fn avatar_of(
    session: &Rc<Session>,
    uri: &'static str,
) -> (web_sys::Element, Box<dyn std::any::Any>) {
    let root = container();
    let session = Rc::clone(session);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        SessionContext::provide(session);
        view! { <Contact uri=uri.to_owned() layout=ContactLayout::Avatar size=BadgeSize::Large/> }
    });
    let avatar = root
        .query_selector(".ucwa-avatar")
        .unwrap()
        .expect("an avatar");
    (avatar, Box::new(handle))
}

fn photo_img(avatar: &web_sys::Element) -> Option<web_sys::Element> {
    avatar.query_selector("img.ucwa-avatar__photo").unwrap()
}

fn initials_shown(avatar: &web_sys::Element) -> bool {
    let initials = avatar
        .query_selector(".ucwa-avatar__initials")
        .unwrap()
        .unwrap();
    !initials.has_attribute("hidden")
        && initials.get_attribute("aria-hidden").as_deref() == Some("true")
}

#[wasm_bindgen_test]
async fn initials_on_a_colour_of_the_name_then_the_photo_once_it_loads() {
    let session = idle_session();
    const URI: &str = "sip:dana@contoso.com";
    session.store.set_info(
        URI,
        PersonInfo {
            name: Some("Dana Birkby".into()),
            ..PersonInfo::default()
        },
    );
    let (avatar, _handle) = avatar_of(&session, URI);
    leptos::task::tick().await;
    let initials = avatar
        .query_selector(".ucwa-avatar__initials")
        .unwrap()
        .unwrap();
    assert_eq!(initials.text_content().as_deref(), Some("DB"));
    let class = avatar.get_attribute("class").unwrap();
    assert!(
        class.contains(&format!(
            "ucwa-avatar--c{}",
            avatar_color_index("Dana Birkby")
        )) && class.contains("ucwa-avatar--large"),
        "{class}"
    );
    // Nothing to show yet (no photo link on an idle session): initials, no <img>.
    assert!(photo_img(&avatar).is_none());
    assert!(initials_shown(&avatar));

    session.store.set_photo(URI, PhotoView::Src(PNG.into()));
    eventually(5_000, "the photo loaded", || async {
        avatar.get_attribute("data-photo").as_deref() == Some("loaded")
    })
    .await;
    let img = photo_img(&avatar).expect("the photo");
    assert_eq!(img.get_attribute("alt").as_deref(), Some(""));
    assert_eq!(img.get_attribute("loading").as_deref(), Some("lazy"));
    assert_eq!(img.get_attribute("src").as_deref(), Some(PNG));
    assert!(!initials_shown(&avatar));
    // The badge sits on the avatar's corner.
    assert!(avatar
        .query_selector(".ucwa-avatar__badge .ucwa-badge")
        .unwrap()
        .is_some());
}

#[wasm_bindgen_test]
async fn a_photo_that_does_not_load_leaves_the_initials() {
    let session = idle_session();
    const URI: &str = "sip:sarad@contoso.com";
    let (avatar, _handle) = avatar_of(&session, URI);
    session.store.set_photo(
        URI,
        PhotoView::Src("data:image/png;base64,bm90IGFuIGltYWdl".into()),
    );
    eventually(5_000, "the broken photo given up", || async {
        avatar.get_attribute("data-photo").as_deref() == Some("missing")
    })
    .await;
    assert!(photo_img(&avatar).is_none(), "no broken image left");
    assert!(initials_shown(&avatar));
    // No name known: the initials of the SIP user.
    let initials = avatar
        .query_selector(".ucwa-avatar__initials")
        .unwrap()
        .unwrap();
    assert_eq!(initials.text_content().as_deref(), Some("S"));
}
