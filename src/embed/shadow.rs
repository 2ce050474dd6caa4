//! Each widget renders in a shadow root of its element, with the components' stylesheet: the
//! page's CSS cannot break the widgets and theirs cannot leak out.

use std::cell::OnceCell;

use wasm_bindgen::JsValue;
use web_sys::Element;

use crate::ui::STYLESHEET;

/// Shadow roots for widget elements, all adopting one constructed stylesheet.
#[derive(Default)]
pub(super) struct Shadows {
    /// The shared stylesheet, made on first use (`None` where constructed sheets are missing).
    sheet: OnceCell<Option<JsValue>>,
}

impl Shadows {
    /// The element's shadow root (created once) holding the shared stylesheet and a container.
    pub(super) fn container(&self, el: &Element) -> Option<Element> {
        let shadow = match el.shadow_root() {
            Some(s) => s,
            None => el
                .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
                .ok()?,
        };
        let document = el.owner_document()?;
        if !self.adopt_sheet(&shadow) {
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
    fn adopt_sheet(&self, shadow: &web_sys::ShadowRoot) -> bool {
        let sheet = self
            .sheet
            .get_or_init(|| match web_sys::CssStyleSheet::new() {
                Ok(sheet) if sheet.replace_sync(STYLESHEET).is_ok() => Some(sheet.into()),
                _ => None,
            });
        let Some(sheet) = sheet else { return false };
        let sheets = js_sys::Array::of1(sheet);
        js_sys::Reflect::set(shadow, &JsValue::from_str("adoptedStyleSheets"), &sheets)
            .unwrap_or(false)
    }
}
