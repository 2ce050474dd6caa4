//! Script-tag entry: finds `<ucwa-status>`, `<ucwa-presence uri>` and `<ucwa-contacts>` on the
//! page (now and later, through a MutationObserver), mounts a component into each one's shadow
//! root, and shares one session among them all. No custom-element class is registered, so no
//! JavaScript beyond the loader is needed and the page's CSP need not allow `eval`.

mod shadow;
mod widget;

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::client::{config, Backend};
use crate::sorted::SortedMap;
use shadow::Shadows;

const SELECTOR: &str = "ucwa-presence, ucwa-status, ucwa-contacts";
const KEY: &str = "__ucwaPresenceKey";

/// The widgets of the page and what they share.
struct Widgets {
    /// The page's one session, or why there is none (a configuration mistake, shown in place).
    session: Result<Backend, String>,
    /// The mounted elements by key (a number kept on the element).
    mounted: RefCell<SortedMap<u32, Mounted>>,
    next_key: Cell<u32>,
    shadows: Shadows,
}

struct Mounted {
    /// The view; dropping it runs its cleanups (a contact leaves the subscription).
    _view: Box<dyn Any>,
    container: Element,
}

#[wasm_bindgen(start)]
pub fn start() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    let session = match config::read_from_page() {
        Ok(config) => {
            let location = window.location();
            let origin = location.origin().unwrap_or_default();
            let href = location.href().unwrap_or_default();
            let session = Backend::new(config, origin, href);
            session.follow_page_lifecycle();
            session.start();
            Ok(session)
        }
        Err(e) => {
            let message = format!("ucwa-presence: {e}");
            web_sys::console::error_1(&message.clone().into());
            Err(message)
        }
    };
    let widgets = Rc::new(Widgets {
        session,
        mounted: RefCell::new(SortedMap::new()),
        next_key: Cell::new(1),
        shadows: Shadows::default(),
    });
    widgets.scan(&document);
    widgets.ensure_sign_in_host(&document);
    observe(&document, widgets);
}

impl Widgets {
    /// Mounts every widget element of the page that is not mounted yet.
    fn scan(&self, root: &web_sys::Document) {
        if let Ok(list) = root.query_selector_all(SELECTOR) {
            for i in 0..list.length() {
                if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    self.mount(&el);
                }
            }
        }
    }

    /// With no `<ucwa-status>` on the page, the sign-in form needs a place: a small panel.
    fn ensure_sign_in_host(&self, document: &web_sys::Document) {
        if self.session.is_err()
            || document
                .query_selector("ucwa-status")
                .ok()
                .flatten()
                .is_some()
        {
            return;
        }
        let Ok(host) = document.create_element("ucwa-signin") else {
            return;
        };
        let _ = host.set_attribute(
            "style",
            "position:fixed;right:1rem;bottom:1rem;z-index:2147483000",
        );
        if let Some(body) = document.body() {
            let _ = body.append_child(&host);
            self.mount(&host);
        }
    }

    fn key_of(&self, el: &Element) -> u32 {
        let existing = js_sys::Reflect::get(el, &JsValue::from_str(KEY))
            .ok()
            .and_then(|v| v.as_f64());
        if let Some(k) = existing {
            return k as u32;
        }
        let k = self.next_key.get();
        self.next_key.set(k.wrapping_add(1));
        let _ = js_sys::Reflect::set(
            el,
            &JsValue::from_str(KEY),
            &JsValue::from_f64(f64::from(k)),
        );
        k
    }

    fn mount(&self, el: &Element) {
        let key = self.key_of(el);
        if self.mounted.borrow().contains_key(&key) {
            return;
        }
        let Some(container) = self.shadows.container(el) else {
            web_sys::console::error_2(&"ucwa-presence: cannot attach a shadow root to".into(), el);
            return;
        };
        let parent: HtmlElement = container.clone().unchecked_into();
        let view = widget::mount_view(el, parent, &self.session);
        self.mounted.borrow_mut().insert(
            key,
            Mounted {
                _view: view,
                container,
            },
        );
    }

    fn unmount(&self, el: &Element) {
        let key = self.key_of(el);
        let Some(mounted) = self.mounted.borrow_mut().remove(&key) else {
            return;
        };
        drop(mounted._view);
        mounted.container.remove();
    }
}

/// Mounts widget elements as the page adds them, unmounts removed ones, and mounts again those
/// whose `uri`, `size` or `display` changed.
fn observe(document: &web_sys::Document, widgets: Rc<Widgets>) {
    let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |records: js_sys::Array| {
        for record in records.iter() {
            let Ok(record) = record.dyn_into::<web_sys::MutationRecord>() else {
                continue;
            };
            if record.type_() == "attributes" {
                if let Some(el) = record.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                    if el.is_connected() {
                        widgets.unmount(&el);
                        widgets.mount(&el);
                    }
                }
                continue;
            }
            let removed = record.removed_nodes();
            for i in 0..removed.length() {
                for_widgets(removed.item(i), |el| {
                    if !el.is_connected() {
                        widgets.unmount(el)
                    }
                });
            }
            let added = record.added_nodes();
            for i in 0..added.length() {
                for_widgets(added.item(i), |el| {
                    if el.is_connected() {
                        widgets.mount(el)
                    }
                });
            }
        }
    });
    let Ok(observer) = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()) else {
        return;
    };
    callback.forget();
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    options.set_attributes(true);
    options.set_attribute_filter(&js_sys::Array::of3(
        &"uri".into(),
        &"size".into(),
        &"display".into(),
    ));
    if let Some(root) = document.document_element() {
        let _ = observer.observe_with_options(&root, &options);
    }
}

/// Calls `f` for the node itself and each widget element below it.
fn for_widgets(node: Option<web_sys::Node>, f: impl Fn(&Element)) {
    let Some(el) = node.and_then(|n| n.dyn_into::<Element>().ok()) else {
        return;
    };
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
