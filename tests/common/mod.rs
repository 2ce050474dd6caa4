//! Helpers shared by the browser test files.

use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// A fresh `<div>` appended to the page body, to mount a component into.
pub fn container() -> web_sys::HtmlElement {
    let doc = document();
    let div = doc.create_element("div").unwrap().unchecked_into::<web_sys::HtmlElement>();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}
