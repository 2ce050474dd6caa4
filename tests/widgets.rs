//! The components with a real session against the reference server (UCWA_TEST_SERVER, started
//! by scripts/test): the sign-in form signs in through the session context, and `use_presence`
//! keeps the server's subscription to exactly the people the page shows.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use leptos::prelude::*;
use ucwa_presence::client::{Connection, Session};
use ucwa_presence::ui::{Contact, ContactList, SessionContext, StatusPicker};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;
use common::server::{self, autodiscover, eventually, set_presence};
use common::{container, session_for};

wasm_bindgen_test_configure!(run_in_browser);

/// No other browser test signs in as Dana, so her subscriptions on the server are this file's.
const DANA: &str = "sip:dana@contoso.com";
const CHRIS: &str = "sip:chrisb@contoso.com";
const MAX: &str = "sip:maxs@contoso.com";

async fn subscribed() -> Vec<String> {
    server::subscribed(DANA).await
}

/// Mounts `view` with `session` as its context, until the handle is dropped.
fn mount<V: IntoView + 'static>(
    session: &Rc<Session>,
    view: impl FnOnce() -> V + 'static,
) -> (web_sys::HtmlElement, Box<dyn std::any::Any>) {
    let root = container();
    let session = Rc::clone(session);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        SessionContext::provide(session);
        view()
    });
    (root, Box::new(handle))
}

fn q(root: &web_sys::HtmlElement, sel: &str) -> web_sys::Element {
    root.query_selector(sel)
        .unwrap()
        .unwrap_or_else(|| panic!("no {sel}"))
}

/// Dana, signed in through the status picker's own form.
async fn dana_signed_in() -> (Rc<Session>, web_sys::HtmlElement, Box<dyn std::any::Any>) {
    let session = session_for(autodiscover());
    session.start();
    let (root, handle) = mount(&session, || view! { <StatusPicker/> });
    let form = q(&root, "form.ucwa-signin");
    eventually(10_000, "the sign-in form", || async {
        form.closest("[hidden]").unwrap().is_none()
    })
    .await;
    let input = |name: &str| {
        q(&root, &format!("input[name={name}]")).unchecked_into::<web_sys::HtmlInputElement>()
    };
    input("username").set_value("dana@contoso.com");
    input("password").set_value("demo");
    q(&root, "form.ucwa-signin button[type=submit]")
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    let connection = session.store.connection;
    eventually(10_000, "live", || async move {
        connection.get_untracked() == Connection::Live
    })
    .await;
    let name = q(&root, ".ucwa-picker__name");
    eventually(5_000, "Dana's name in the picker", || async {
        name.text_content()
            .unwrap_or_default()
            .contains("Dana Birkby")
    })
    .await;
    (session, root, handle)
}

#[wasm_bindgen_test]
async fn contacts_stay_subscribed_while_any_view_shows_them() {
    let (session, _picker_root, _picker) = dana_signed_in().await;
    let (chris_root, first_chris) = mount(&session, || view! { <Contact uri=CHRIS.to_owned()/> });
    let (_, second_chris) = mount(&session, || view! { <Contact uri=CHRIS.to_owned()/> });
    let (_, max) = mount(&session, || view! { <Contact uri=MAX.to_owned()/> });
    eventually(10_000, "Chris and Max subscribed", || async {
        let s = subscribed().await;
        s.iter().any(|u| u == CHRIS) && s.iter().any(|u| u == MAX)
    })
    .await;
    set_presence(CHRIS, "DoNotDisturb").await;
    let badge = q(&chris_root, ".ucwa-badge");
    eventually(10_000, "Chris's badge follows the server", || async {
        badge.get_attribute("data-availability").as_deref() == Some("DoNotDisturb")
    })
    .await;

    // One of Chris's two views and Max's only one go in the same burst: once Max has left the
    // subscription, the sync has run, and Chris must still be in it.
    drop(first_chris);
    drop(max);
    eventually(10_000, "Max left", || async {
        !subscribed().await.iter().any(|u| u == MAX)
    })
    .await;
    assert!(
        subscribed().await.iter().any(|u| u == CHRIS),
        "Chris is still shown"
    );

    drop(second_chris);
    eventually(10_000, "Chris left", || async {
        subscribed().await.is_empty()
    })
    .await;
    session.exit();
}

#[wasm_bindgen_test]
async fn the_contact_list_subscribes_its_members_with_a_card_id_each() {
    let (session, _picker_root, _picker) = dana_signed_in().await;
    let (root, list) = mount(&session, || view! { <ContactList/> });
    // Dana's directory entry lists seven contacts in three groups.
    eventually(10_000, "seven contacts shown", || async {
        root.query_selector_all(".ucwa-contact").unwrap().length() == 7
    })
    .await;
    eventually(10_000, "seven contacts subscribed", || async {
        subscribed().await.len() == 7
    })
    .await;

    // Each contact controls its own card (a dialog labelled by its name, closed): ids unique,
    // references resolved in place.
    let contacts = root.query_selector_all(".ucwa-contact").unwrap();
    let mut ids = Vec::new();
    for i in 0..contacts.length() {
        let contact: web_sys::Element = contacts.item(i).unwrap().unchecked_into();
        let card = contact.next_element_sibling().expect("a card");
        assert!(card.class_list().contains("ucwa-card"));
        assert_eq!(contact.get_attribute("aria-controls"), Some(card.id()));
        assert_eq!(
            contact.get_attribute("aria-expanded").as_deref(),
            Some("false")
        );
        assert_eq!(card.get_attribute("role").as_deref(), Some("dialog"));
        assert!(card.has_attribute("hidden"));
        assert_eq!(
            card.get_attribute("aria-labelledby"),
            Some(format!("{}-name", card.id()))
        );
        assert!(!ids.contains(&card.id()), "{} twice", card.id());
        ids.push(card.id());
    }

    drop(list);
    eventually(10_000, "the list's contacts left", || async {
        subscribed().await.is_empty()
    })
    .await;
    session.exit();
}

#[wasm_bindgen_test]
fn a_handler_running_after_its_mount_is_gone_does_nothing() {
    let session = common::idle_session();
    let owner = Owner::new();
    let context = owner.with(|| {
        SessionContext::provide(Rc::clone(&session));
        ucwa_presence::ui::use_session()
    });
    // While the mount lives, the context reaches the session (which has no application yet).
    context.set_availability(None);
    assert_eq!(
        session.store.me.get_untracked().error.as_deref(),
        Some("Not connected yet.")
    );
    session.store.me.update(|m| m.error = None);
    drop(owner);
    context.set_availability(None);
    assert_eq!(
        session.store.me.get_untracked().error,
        None,
        "the call did not reach the session"
    );
}
