//! Script-tag entry: finds `<ucwa-status>`, `<ucwa-presence uri>` and `<ucwa-contacts>` on the
//! page (now and later, through a MutationObserver), mounts a component into each one's shadow
//! root, and shares one session among them all. No custom-element class is registered, so no
//! JavaScript beyond the loader is needed and the page's CSP need not allow `eval`.

use std::any::Any;
use std::cell::{Cell, RefCell};
use crate::sorted::SortedMap;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::client::{config, global, Session};
use crate::protocol::sip::normalize_sip_uri;
use crate::ui::status::sign_in_face;
use crate::ui::{BadgeSize, Contact, ContactLayout, ContactList, StatusPicker, STYLESHEET};

const SELECTOR: &str = "ucwa-presence, ucwa-status, ucwa-contacts";
const KEY: &str = "__ucwaPresenceKey";

struct Mounted {
    /// The contact this element subscribed to, released when it goes.
    uri: Option<String>,
    _view: Box<dyn Any>,
    container: Element,
}

thread_local! {
    static MOUNTED: RefCell<SortedMap<u32, Mounted>> = RefCell::new(SortedMap::new());
    static NEXT_KEY: Cell<u32> = const { Cell::new(1) };
    static CONFIG_ERROR: RefCell<Option<String>> = const { RefCell::new(None) };
    static SHEET: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

#[wasm_bindgen(start)]
pub fn start() {
    let Some(window) = web_sys::window() else { return };
    let Some(document) = window.document() else { return };
    match config::read_from_page() {
        Ok(config) => {
            let location = window.location();
            let origin = location.origin().unwrap_or_default();
            let href = location.href().unwrap_or_default();
            let session = Session::new(config, origin, href);
            global::install(session.clone());
            session.start();
            let on_exit = Closure::<dyn Fn()>::new(|| {
                global::with(|s| s.exit());
            });
            let _ = window.add_event_listener_with_callback("pagehide", on_exit.as_ref().unchecked_ref());
            on_exit.forget();
        }
        Err(e) => {
            let message = format!("ucwa-presence: {e}");
            web_sys::console::error_1(&message.clone().into());
            CONFIG_ERROR.with(|c| *c.borrow_mut() = Some(message));
        }
    }
    scan(&document);
    ensure_sign_in_host(&document);
    observe(&document);
}

/// Mounts every widget element under `root` that is not mounted yet.
fn scan(root: &web_sys::Document) {
    if let Ok(list) = root.query_selector_all(SELECTOR) {
        for i in 0..list.length() {
            if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                mount(&el);
            }
        }
    }
}

/// With no `<ucwa-status>` on the page, the sign-in form needs a place: a small panel.
fn ensure_sign_in_host(document: &web_sys::Document) {
    if global::current().is_none() || document.query_selector("ucwa-status").ok().flatten().is_some() {
        return;
    }
    let Ok(host) = document.create_element("ucwa-signin") else { return };
    let _ = host.set_attribute("style", "position:fixed;right:1rem;bottom:1rem;z-index:2147483000");
    if let Some(body) = document.body() {
        let _ = body.append_child(&host);
        mount(&host);
    }
}

fn key_of(el: &Element) -> u32 {
    let existing = js_sys::Reflect::get(el, &JsValue::from_str(KEY)).ok().and_then(|v| v.as_f64());
    if let Some(k) = existing {
        return k as u32;
    }
    let k = NEXT_KEY.with(|n| {
        let k = n.get();
        n.set(k.wrapping_add(1));
        k
    });
    let _ = js_sys::Reflect::set(el, &JsValue::from_str(KEY), &JsValue::from_f64(f64::from(k)));
    k
}

fn mount(el: &Element) {
    let key = key_of(el);
    if MOUNTED.with(|m| m.borrow().contains_key(&key)) {
        return;
    }
    let Some(container) = shadow_container(el) else {
        web_sys::console::error_2(&"ucwa-presence: cannot attach a shadow root to".into(), el);
        return;
    };
    let parent: HtmlElement = container.clone().unchecked_into();
    let tag = el.tag_name().to_ascii_lowercase();
    let config_error = CONFIG_ERROR.with(|c| c.borrow().clone());
    let (uri, view): (Option<String>, Box<dyn Any>) = match (config_error, global::current()) {
        (Some(error), _) => (None, Box::new(leptos::mount::mount_to(parent, move || error_view(error)))),
        (None, None) => return,
        (None, Some(session)) => match tag.as_str() {
            "ucwa-status" => {
                let (me, connection) = (session.store.me, session.store.connection);
                (None, Box::new(leptos::mount::mount_to(parent, move || view! { <StatusPicker me=me connection=connection/> })))
            }
            "ucwa-contacts" => {
                session.show_contact_list();
                let (groups, connection) = (session.store.groups, session.store.connection);
                (None, Box::new(leptos::mount::mount_to(parent, move || view! { <ContactList groups=groups connection=connection/> })))
            }
            "ucwa-signin" => {
                let connection = session.store.connection;
                (None, Box::new(leptos::mount::mount_to(parent, move || sign_in_face(connection))))
            }
            _ => {
                let raw = el.get_attribute("uri").unwrap_or_default();
                match normalize_sip_uri(&raw) {
                    None => {
                        let message = if raw.trim().is_empty() {
                            "ucwa-presence: this element needs a uri attribute, e.g. uri=\"sip:sarad@contoso.com\"".to_owned()
                        } else {
                            format!("ucwa-presence: \"{raw}\" is not a SIP address like sip:sarad@contoso.com")
                        };
                        web_sys::console::error_2(&message.clone().into(), el);
                        (None, Box::new(leptos::mount::mount_to(parent, move || error_view(message))))
                    }
                    Some(uri) => {
                        session.want(&uri);
                        let person = session.store.person(&uri);
                        let connection = session.store.connection;
                        let layout = match el.get_attribute("display").as_deref().map(str::trim) {
                            Some("badge") => ContactLayout::Badge,
                            _ => ContactLayout::Name,
                        };
                        let size = el.get_attribute("size").as_deref().and_then(BadgeSize::parse).unwrap_or_default();
                        let u = uri.clone();
                        let view = leptos::mount::mount_to(parent, move || {
                            view! { <Contact uri=u person=person connection=connection layout=layout size=size/> }
                        });
                        (Some(uri), Box::new(view))
                    }
                }
            }
        },
    };
    MOUNTED.with(|m| {
        m.borrow_mut().insert(key, Mounted { uri, _view: view, container });
    });
}

fn unmount(el: &Element) {
    let key = key_of(el);
    let Some(mounted) = MOUNTED.with(|m| m.borrow_mut().remove(&key)) else { return };
    if let Some(uri) = &mounted.uri {
        global::with(|s| s.unwant(uri));
    }
    drop(mounted._view);
    mounted.container.remove();
}

fn error_view(message: String) -> impl IntoView {
    view! { <span class="ucwa-config-error" role="alert">{message}</span> }
}

/// The element's shadow root (created once) holding the shared stylesheet and a container.
fn shadow_container(el: &Element) -> Option<Element> {
    let shadow = match el.shadow_root() {
        Some(s) => s,
        None => el.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open)).ok()?,
    };
    let document = el.owner_document()?;
    if !adopt_sheet(&shadow) {
        let style = document.create_element("style").ok()?;
        style.set_text_content(Some(STYLESHEET));
        shadow.append_child(&style).ok()?;
    }
    let container = document.create_element("span").ok()?;
    container.set_class_name("ucwa-root");
    shadow.append_child(&container).ok()?;
    Some(container)
}

/// One constructed stylesheet shared by every shadow root (no copy per badge).
fn adopt_sheet(shadow: &web_sys::ShadowRoot) -> bool {
    let sheet = SHEET.with(|s| {
        s.borrow_mut()
            .get_or_insert_with(|| match web_sys::CssStyleSheet::new() {
                Ok(sheet) if sheet.replace_sync(STYLESHEET).is_ok() => sheet.into(),
                Ok(_) => JsValue::NULL,
                Err(_) => JsValue::NULL,
            })
            .clone()
    });
    if sheet.is_null() {
        return false;
    }
    let sheets = js_sys::Array::of1(&sheet);
    js_sys::Reflect::set(shadow, &JsValue::from_str("adoptedStyleSheets"), &sheets).unwrap_or(false)
}

fn observe(document: &web_sys::Document) {
    let callback = Closure::<dyn Fn(js_sys::Array)>::new(|records: js_sys::Array| {
        for record in records.iter() {
            let Ok(record) = record.dyn_into::<web_sys::MutationRecord>() else { continue };
            if record.type_() == "attributes" {
                if let Some(el) = record.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                    if el.is_connected() {
                        unmount(&el);
                        mount(&el);
                    }
                }
                continue;
            }
            let removed = record.removed_nodes();
            for i in 0..removed.length() {
                for_widgets(removed.item(i), |el| {
                    if !el.is_connected() {
                        unmount(el)
                    }
                });
            }
            let added = record.added_nodes();
            for i in 0..added.length() {
                for_widgets(added.item(i), |el| {
                    if el.is_connected() {
                        mount(el)
                    }
                });
            }
        }
    });
    let Ok(observer) = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()) else { return };
    callback.forget();
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    options.set_attributes(true);
    options.set_attribute_filter(&js_sys::Array::of3(&"uri".into(), &"size".into(), &"display".into()));
    if let Some(root) = document.document_element() {
        let _ = observer.observe_with_options(&root, &options);
    }
}

/// Calls `f` for the node itself and each widget element below it.
fn for_widgets(node: Option<web_sys::Node>, f: impl Fn(&Element)) {
    let Some(el) = node.and_then(|n| n.dyn_into::<Element>().ok()) else { return };
    if el.matches(SELECTOR).unwrap_or(false) {
        f(&el);
    }
    if let Ok(list) = el.query_selector_all(SELECTOR) {
        for i in 0..list.length() {
            if let Some(child) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                f(&child);
            }
        }
    }
}
