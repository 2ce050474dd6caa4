//! StatusPicker keyboard and ARIA behaviour in a real browser (no server needed).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use ucwa_presence::client::{Connection, MeView, PresenceView};
use ucwa_presence::protocol::Availability;
use ucwa_presence::ui::StatusPicker;
use wasm_bindgen_test::*;

mod common;
use common::container;

wasm_bindgen_test_configure!(run_in_browser);

fn key(target: &web_sys::Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&ev).unwrap();
}

fn q(root: &web_sys::HtmlElement, sel: &str) -> web_sys::Element {
    root.query_selector(sel).unwrap().unwrap_or_else(|| panic!("no {sel}"))
}

/// Whether `el` is shown: neither it nor an ancestor carries `hidden`.
fn shown(el: &web_sys::Element) -> bool {
    el.closest("[hidden]").unwrap().is_none()
}

fn me(availability: Availability) -> MeView {
    MeView {
        name: Some("Dana Birkby".into()),
        presence: PresenceView { availability, known: true, ..PresenceView::default() },
        ..MeView::default()
    }
}

#[wasm_bindgen_test]
async fn opens_moves_and_closes_with_the_keyboard() {
    let root = container();
    let me = RwSignal::new(me(Availability::Busy));
    let connection = RwSignal::new(Connection::Live);
    let _h = leptos::mount::mount_to(root.clone(), move || view! { <StatusPicker me=me connection=connection/> });
    leptos::task::tick().await;

    let button = q(&root, ".ucwa-picker__button");
    let list = q(&root, "[role=listbox]");
    assert_eq!(button.get_attribute("aria-expanded").as_deref(), Some("false"));
    assert!(list.has_attribute("hidden"));
    assert!(q(&root, ".ucwa-picker__name").text_content().unwrap().contains("Dana Birkby"));
    assert_eq!(q(&root, ".ucwa-picker__status").text_content().as_deref(), Some("Busy"));

    // Seven entries: six settable availabilities and "Reset status"; the current one selected.
    let options = root.query_selector_all("[role=option]").unwrap();
    assert_eq!(options.length(), 7);
    let selected = q(&root, "[role=option][aria-selected=true]");
    assert!(selected.text_content().unwrap().contains("Busy"));

    key(&button, "ArrowDown");
    leptos::task::tick().await;
    assert_eq!(button.get_attribute("aria-expanded").as_deref(), Some("true"));
    assert!(!list.has_attribute("hidden"));
    // The active option starts at the current availability (Busy = index 1).
    assert_eq!(list.get_attribute("aria-activedescendant").as_deref(), Some("ucwa-status-option-1"));
    // A reconnect underneath does not rebuild the picker: the menu stays open.
    connection.set(Connection::Reconnecting { reason: "Reconnecting…".into() });
    leptos::task::tick().await;
    connection.set(Connection::Live);
    leptos::task::tick().await;
    assert_eq!(button.get_attribute("aria-expanded").as_deref(), Some("true"));
    assert!(!list.has_attribute("hidden") && list.is_connected());
    key(&list, "ArrowDown");
    leptos::task::tick().await;
    assert_eq!(list.get_attribute("aria-activedescendant").as_deref(), Some("ucwa-status-option-2"));
    key(&list, "End");
    leptos::task::tick().await;
    assert_eq!(list.get_attribute("aria-activedescendant").as_deref(), Some("ucwa-status-option-6"));
    key(&list, "ArrowDown");
    leptos::task::tick().await;
    assert_eq!(list.get_attribute("aria-activedescendant").as_deref(), Some("ucwa-status-option-0"), "wraps");
    key(&list, "Escape");
    leptos::task::tick().await;
    assert_eq!(button.get_attribute("aria-expanded").as_deref(), Some("false"));
    assert!(list.has_attribute("hidden"));
}

#[wasm_bindgen_test]
async fn shows_pending_changes_the_sign_in_form_and_stopped_reasons() {
    let root = container();
    let me = RwSignal::new(me(Availability::Online));
    let connection = RwSignal::new(Connection::Live);
    let _h = leptos::mount::mount_to(root.clone(), move || view! { <StatusPicker me=me connection=connection/> });
    leptos::task::tick().await;

    me.update(|m| m.pending = Some(Some(Availability::DoNotDisturb)));
    leptos::task::tick().await;
    assert_eq!(q(&root, ".ucwa-picker__status").text_content().as_deref(), Some("Setting Do not disturb…"));

    connection.set(Connection::SignInRequired { error: Some("That user name or password was not accepted.".into()) });
    leptos::task::tick().await;
    assert!(shown(&q(&root, "form.ucwa-signin input[type=password]")));
    assert!(!shown(&q(&root, ".ucwa-picker")), "the picker gives way to the form");
    let error = q(&root, "form.ucwa-signin [role=alert]");
    assert!(shown(&error) && error.text_content().unwrap().contains("not accepted"));

    // Server text is rendered as text, never as markup.
    connection.set(Connection::Stopped { reason: "<img src=x onerror=alert(1)>".into() });
    leptos::task::tick().await;
    assert!(root.query_selector("img").unwrap().is_none());
    assert!(!shown(&q(&root, "form.ucwa-signin")) && !shown(&q(&root, ".ucwa-picker")));
    let reason = q(&root, ".ucwa-status__stopped [role=alert]");
    assert!(shown(&reason) && reason.text_content().unwrap().contains("<img src=x"));
    let retry = q(&root, ".ucwa-status__stopped button.ucwa-button");
    assert!(shown(&retry));
    assert_eq!(retry.text_content().as_deref(), Some("Try again"));

    connection.set(Connection::Reconnecting { reason: "Reconnecting… presence shown may be out of date.".into() });
    leptos::task::tick().await;
    assert!(q(&root, "[role=status]").text_content().unwrap().contains("Reconnecting"));
    assert!(shown(&q(&root, ".ucwa-picker")) && !shown(&q(&root, ".ucwa-status__stopped")));
    assert!(q(&root, ".ucwa-badge").get_attribute("class").unwrap().contains("ucwa-badge--stale"));
}
