//! The contact cards' DOM behaviour (`dom.js`): content, open and close, placement, as
//! listeners on each widget root rather than Leptos event handlers per element (bundle size).
//! The component renders the markup and the data; the script only moves focus, toggles
//! `hidden`/`aria-expanded`, places the card and renders its text.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/ui/dom.js")]
extern "C" {
    #[wasm_bindgen(js_name = attach)]
    fn attach_js(root: &web_sys::HtmlElement, open_delay_ms: u32, close_delay_ms: u32);
}

/// Makes the contact cards under `root` (a widget root) work.
pub(crate) fn attach(root: &web_sys::HtmlElement) {
    // Long enough that a pointer passing over a badge opens nothing; the pointer may cross
    // the gap between trigger and card before the card closes.
    attach_js(root, 300, 200);
}
