//! StatusPicker keyboard and ARIA behaviour in a real browser (no server needed: the picker
//! reads a session that is never started, whose store the test writes).
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use leptos::prelude::*;
use ucwa_presence::client::{Connection, MeView, PresenceView, Session};
use ucwa_presence::protocol::Availability;
use ucwa_presence::ui::{SessionContext, StatusPicker};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;
use common::{container, idle_session};

wasm_bindgen_test_configure!(run_in_browser);

fn key(target: &web_sys::Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&ev).unwrap();
}

fn q(root: &web_sys::HtmlElement, sel: &str) -> web_sys::Element {
    root.query_selector(sel)
        .unwrap()
        .unwrap_or_else(|| panic!("no {sel}"))
}

/// Whether `el` is shown: neither it nor an ancestor carries `hidden`.
fn shown(el: &web_sys::Element) -> bool {
    el.closest("[hidden]").unwrap().is_none()
}

/// A picker for `session`, mounted into a fresh container (until the second value is dropped).
fn mount_picker(session: &Rc<Session>) -> (web_sys::HtmlElement, Box<dyn std::any::Any>) {
    let root = container();
    // What the widget does for a `<ucwa-status>`: the menu's and note editor's behaviour.
    ucwa_presence::ui::status::attach(&root);
    let session = Rc::clone(session);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        SessionContext::provide(session);
        view! { <StatusPicker/> }
    });
    (root, Box::new(handle))
}

/// A picker for Dana, signed in and live with `availability`.
fn live_picker(
    availability: Availability,
) -> (Rc<Session>, web_sys::HtmlElement, Box<dyn std::any::Any>) {
    let session = idle_session();
    session.store.me.set(me(availability));
    session.store.connection.set(Connection::Live);
    let (root, handle) = mount_picker(&session);
    (session, root, handle)
}

/// The id of the `i`th option of the picker in `root`.
fn option_id(root: &web_sys::HtmlElement, i: u32) -> String {
    let options = root.query_selector_all("[role=option]").unwrap();
    options
        .item(i)
        .unwrap()
        .unchecked_into::<web_sys::Element>()
        .id()
}

fn me(availability: Availability) -> MeView {
    MeView {
        name: Some("Dana Birkby".into()),
        presence: PresenceView {
            availability,
            known: true,
            ..PresenceView::default()
        },
        ..MeView::default()
    }
}

#[wasm_bindgen_test]
async fn opens_moves_and_closes_with_the_keyboard() {
    let (session, root, _h) = live_picker(Availability::Busy);
    leptos::task::tick().await;

    let button = q(&root, ".ucwa-picker__button");
    let list = q(&root, "[role=listbox]");
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert!(list.has_attribute("hidden"));
    assert!(q(&root, ".ucwa-picker__name")
        .text_content()
        .unwrap()
        .contains("Dana Birkby"));
    assert_eq!(
        q(&root, ".ucwa-picker__status").text_content().as_deref(),
        Some("Busy")
    );

    // Seven entries: six settable availabilities and "Reset status"; the current one selected.
    let options = root.query_selector_all("[role=option]").unwrap();
    assert_eq!(options.length(), 7);
    let selected = q(&root, "[role=option][aria-selected=true]");
    assert!(selected.text_content().unwrap().contains("Busy"));
    // The button controls the list by its id.
    assert!(!list.id().is_empty());
    assert_eq!(button.get_attribute("aria-controls"), Some(list.id()));

    key(&button, "ArrowDown");
    leptos::task::tick().await;
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert!(!list.has_attribute("hidden"));
    // The active option starts at the current availability (Busy = index 1).
    assert_eq!(
        list.get_attribute("aria-activedescendant"),
        Some(option_id(&root, 1))
    );
    // A reconnect underneath does not rebuild the picker: the menu stays open.
    session.store.connection.set(Connection::Reconnecting {
        reason: "Reconnecting…".into(),
    });
    leptos::task::tick().await;
    session.store.connection.set(Connection::Live);
    leptos::task::tick().await;
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert!(!list.has_attribute("hidden") && list.is_connected());
    key(&list, "ArrowDown");
    leptos::task::tick().await;
    assert_eq!(
        list.get_attribute("aria-activedescendant"),
        Some(option_id(&root, 2))
    );
    key(&list, "End");
    leptos::task::tick().await;
    assert_eq!(
        list.get_attribute("aria-activedescendant"),
        Some(option_id(&root, 6))
    );
    key(&list, "ArrowDown");
    leptos::task::tick().await;
    assert_eq!(
        list.get_attribute("aria-activedescendant"),
        Some(option_id(&root, 0)),
        "wraps"
    );
    key(&list, "Escape");
    leptos::task::tick().await;
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert!(list.has_attribute("hidden"));
}

#[wasm_bindgen_test]
async fn shows_pending_changes_the_sign_in_form_and_stopped_reasons() {
    let (session, root, _h) = live_picker(Availability::Online);
    leptos::task::tick().await;

    session
        .store
        .me
        .update(|m| m.pending = Some(Some(Availability::DoNotDisturb)));
    leptos::task::tick().await;
    assert_eq!(
        q(&root, ".ucwa-picker__status").text_content().as_deref(),
        Some("Setting Do not disturb…")
    );

    session.store.connection.set(Connection::SignInRequired {
        error: Some("That user name or password was not accepted.".into()),
    });
    leptos::task::tick().await;
    assert!(shown(&q(&root, "form.ucwa-signin input[type=password]")));
    assert!(
        !shown(&q(&root, ".ucwa-picker")),
        "the picker gives way to the form"
    );
    let error = q(&root, "form.ucwa-signin [role=alert]");
    assert!(shown(&error) && error.text_content().unwrap().contains("not accepted"));

    // Server text is rendered as text, never as markup.
    session.store.connection.set(Connection::Stopped {
        reason: "<img src=x onerror=alert(1)>".into(),
    });
    leptos::task::tick().await;
    assert!(root.query_selector("img").unwrap().is_none());
    assert!(!shown(&q(&root, "form.ucwa-signin")) && !shown(&q(&root, ".ucwa-picker")));
    let reason = q(&root, ".ucwa-status__stopped [role=alert]");
    assert!(shown(&reason) && reason.text_content().unwrap().contains("<img src=x"));
    let retry = q(&root, ".ucwa-status__stopped button.ucwa-button");
    assert!(shown(&retry));
    assert_eq!(retry.text_content().as_deref(), Some("Try again"));

    session.store.connection.set(Connection::Reconnecting {
        reason: "Reconnecting… presence shown may be out of date.".into(),
    });
    leptos::task::tick().await;
    assert!(q(&root, "[role=status]")
        .text_content()
        .unwrap()
        .contains("Reconnecting"));
    assert!(shown(&q(&root, ".ucwa-picker")) && !shown(&q(&root, ".ucwa-status__stopped")));
    assert!(q(&root, ".ucwa-badge")
        .get_attribute("class")
        .unwrap()
        .contains("ucwa-badge--stale"));
}

#[wasm_bindgen_test]
async fn picking_and_trying_again_reach_the_session() {
    let (session, root, _h) = live_picker(Availability::Online);
    leptos::task::tick().await;

    // Picking "Busy" asks the session, which has no application yet and says so.
    let busy = root
        .query_selector_all("[role=option]")
        .unwrap()
        .item(1)
        .unwrap();
    busy.unchecked_into::<web_sys::HtmlElement>().click();
    leptos::task::tick().await;
    assert_eq!(
        session.store.me.get_untracked().error.as_deref(),
        Some("Not connected yet.")
    );
    let error = q(&root, ".ucwa-picker [role=alert]");
    assert!(shown(&error) && error.text_content().unwrap().contains("Not connected yet."));

    // "Try again" restarts a session that gave up.
    session.store.connection.set(Connection::Stopped {
        reason: "the server said no".into(),
    });
    leptos::task::tick().await;
    q(&root, ".ucwa-status__stopped button.ucwa-button")
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    assert_eq!(
        session.store.connection.get_untracked(),
        Connection::Connecting
    );
    session.stop();
}

#[wasm_bindgen_test]
async fn two_pickers_use_ids_of_their_own() {
    let session = idle_session();
    let (first, _a) = mount_picker(&session);
    let (second, _b) = mount_picker(&session);
    leptos::task::tick().await;
    let ids = |root: &web_sys::HtmlElement| {
        let all = root.query_selector_all("[id]").unwrap();
        (0..all.length())
            .map(|i| {
                all.item(i)
                    .unwrap()
                    .unchecked_into::<web_sys::Element>()
                    .id()
            })
            .collect::<Vec<_>>()
    };
    let (a, b) = (ids(&first), ids(&second));
    // The menu, its seven options, the note form and the sign-in form's title.
    assert_eq!(a.len(), 10, "{a:?}");
    assert!(
        a.iter().all(|id| !b.contains(id)),
        "{a:?} and {b:?} share an id"
    );
    assert_eq!(
        q(&first, "form.ucwa-signin").get_attribute("aria-labelledby"),
        Some(q(&first, ".ucwa-signin__title").id())
    );
}

#[wasm_bindgen_test]
async fn the_pointer_moves_the_active_option_enter_picks_and_leaving_closes() {
    let (session, root, _h) = live_picker(Availability::Online);
    leptos::task::tick().await;
    let button = q(&root, ".ucwa-picker__button").unchecked_into::<web_sys::HtmlElement>();
    let list = q(&root, "[role=listbox]");
    let expanded = || button.get_attribute("aria-expanded");

    // A click on the button opens the menu on the current availability, focus in the list.
    button.click();
    assert_eq!(expanded().as_deref(), Some("true"));
    assert_eq!(
        list.get_attribute("aria-activedescendant"),
        Some(option_id(&root, 0))
    );
    assert_eq!(document().active_element(), Some(list.clone()));

    // The pointer over an option makes it the active one (and only it).
    let third = root
        .query_selector_all("[role=option]")
        .unwrap()
        .item(2)
        .unwrap()
        .unchecked_into::<web_sys::Element>();
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let moved = web_sys::MouseEvent::new_with_mouse_event_init_dict("mousemove", &init).unwrap();
    third.dispatch_event(&moved).unwrap();
    assert_eq!(
        list.get_attribute("aria-activedescendant"),
        Some(third.id())
    );
    assert_eq!(
        root.query_selector_all(".ucwa-option--active")
            .unwrap()
            .length(),
        1
    );
    assert!(third.class_list().contains("ucwa-option--active"));

    // Enter picks it: the session is asked (it has no application yet and says so), the menu
    // closes and focus is back on the button.
    key(&list, "Enter");
    leptos::task::tick().await;
    assert_eq!(
        session.store.me.get_untracked().error.as_deref(),
        Some("Not connected yet.")
    );
    assert_eq!(expanded().as_deref(), Some("false"));
    assert!(list.has_attribute("hidden"));
    assert_eq!(
        document().active_element(),
        Some(button.clone().unchecked_into())
    );

    // A second click on the button closes an open menu; focus leaving the picker closes it too.
    button.click();
    assert_eq!(expanded().as_deref(), Some("true"));
    button.click();
    assert_eq!(expanded().as_deref(), Some("false"));
    button.click();
    let elsewhere = container();
    elsewhere.set_tab_index(0);
    elsewhere.focus().unwrap();
    assert_eq!(expanded().as_deref(), Some("false"));
    assert!(list.has_attribute("hidden"));
}
