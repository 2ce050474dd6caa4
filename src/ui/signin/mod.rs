//! `SignInForm`: the password grant form, shown when the server asks for a sign-in and the
//! page has no `window.ucwaPresence.getToken` hook.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::context::use_session;
use super::ids::unique_id;
use super::reactive::reactive;
use crate::client::store::Connection;

#[component]
pub fn SignInForm() -> impl IntoView {
    let session = use_session();
    let connection = session.connection;
    let title_id = unique_id("ucwa-signin-title");
    let labelled_by = title_id.clone();
    // Why the last sign-in failed, while the server is asking for one.
    let error = move || match connection.get() {
        Connection::SignInRequired { error } => error,
        _ => None,
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let input = |selector: &str| {
            let found = form
                .as_ref()
                .and_then(|f| f.query_selector(selector).ok().flatten());
            found.and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
        };
        let (Some(u), Some(p)) = (input("input[name=username]"), input("input[name=password]"))
        else {
            return;
        };
        let (name, secret) = (u.value(), p.value());
        if name.trim().is_empty() || secret.is_empty() {
            return;
        }
        p.set_value("");
        session.sign_in(name, secret);
    };
    view! {
        <form class="ucwa-signin" on:submit=on_submit aria-labelledby=labelled_by>
            <span class="ucwa-signin__title" id=title_id>"Sign in to see presence"</span>
            <label class="ucwa-signin__field">
                <span>"Sign-in address"</span>
                <input name="username" type="text" autocomplete="username" required
                    placeholder="you@contoso.com" spellcheck="false"/>
            </label>
            <label class="ucwa-signin__field">
                <span>"Password"</span>
                <input name="password" type="password" autocomplete="current-password" required/>
            </label>
            <button class="ucwa-button ucwa-button--primary" type="submit">"Sign in"</button>
            <span class="ucwa-error" role="alert" hidden=reactive(move || error().is_none())>
                {move || error().unwrap_or_default()}
            </span>
        </form>
    }
}
