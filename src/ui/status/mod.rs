//! `StatusPicker` (`<ucwa-status>`): the signed-in user's badge and a status menu, keyboard
//! operable as an ARIA listbox: Enter/Space/ArrowDown open it, arrows/Home/End move, Enter or
//! Space picks, Escape or Tab or a click elsewhere closes it. Below it, my note and location
//! and their editor (`note.rs`).

#[cfg(feature = "note-editor")]
mod note;
#[cfg(feature = "note-editor")]
pub(crate) use note::attach_note;

use leptos::either::Either;
use leptos::prelude::*;

use super::badge::{BadgeSize, BadgeSource, BadgeState, PresenceBadge};
use super::context::{use_session, SessionContext};
use super::ids::unique_id;
use super::signin::SignInForm;
use super::text::status_line;
use crate::client::store::{Connection, Reader};
use crate::protocol::Availability;

/// One menu entry: a settable availability, or `None` for "Reset status".
type Choice = Option<Availability>;

/// The menu: the settable availabilities, then "Reset status".
const CHOICES: [Choice; Availability::SETTABLE.len() + 1] = {
    let mut all = [None; Availability::SETTABLE.len() + 1];
    let mut i = 0;
    while i < Availability::SETTABLE.len() {
        all[i] = Some(Availability::SETTABLE[i]);
        i += 1;
    }
    all
};

fn choice_label(c: Choice) -> &'static str {
    c.map(Availability::menu_label).unwrap_or("Reset status")
}

/// The id of the `i`th option of the menu `menu_id`.
fn option_id(menu_id: &str, i: usize) -> String {
    format!("{menu_id}-option-{i}")
}

/// What the element shows for a connection state.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    SignIn,
    Stopped,
    Picker,
}

fn mode(c: &Connection) -> Mode {
    match c {
        Connection::SignInRequired { .. } => Mode::SignIn,
        Connection::Stopped { .. } => Mode::Stopped,
        _ => Mode::Picker,
    }
}

/// The three faces (sign-in form, "unavailable" with Try again, the picker) are built once and
/// shown by `hidden`: a connection change never rebuilds the picker (an open menu stays open
/// across a reconnect), and no view is built at run time.
#[component]
pub fn StatusPicker() -> impl IntoView {
    let session = use_session();
    let connection = session.connection;
    let reason = move || match connection.get() {
        Connection::Stopped { reason } => format!("Presence is unavailable: {reason}"),
        _ => String::new(),
    };
    view! {
        <div class="ucwa-status">
            {sign_in_face()}
            <div class="ucwa-status__face ucwa-status__stopped" hidden=hidden_unless(connection, Mode::Stopped)>
                <span class="ucwa-error" role="alert">{reason}</span>
                <button class="ucwa-button" type="button" on:click=move |_| session.retry()>
                    "Try again"
                </button>
            </div>
            <div class="ucwa-status__face" hidden=hidden_unless(connection, Mode::Picker)>
                {picker(session)}
                {note_area(session)}
            </div>
            {connection_note(connection)}
        </div>
    }
}

/// My note and location with their editor (`note.rs`).
#[cfg(feature = "note-editor")]
fn note_area(session: SessionContext) -> impl IntoView {
    note::note_editor(session)
}

/// Nothing: the bundle without the note editor (`<ucwa-status>` added after the default bundle
/// loaded; the loader hands pages that have one at load to the full bundle).
#[cfg(not(feature = "note-editor"))]
fn note_area(_: SessionContext) -> impl IntoView {}

/// The sign-in form, shown while the server asks for a sign-in. Also the whole of the floating
/// sign-in panel of pages without a `<ucwa-status>` (one view type for both: bundle size).
pub(crate) fn sign_in_face() -> impl IntoView {
    let connection = use_session().connection;
    view! { <div class="ucwa-status__face" hidden=hidden_unless(connection, Mode::SignIn)><SignInForm/></div> }
}

/// A face's `hidden`: true unless the connection is in `face`'s state.
fn hidden_unless(
    connection: Reader<Connection>,
    face: Mode,
) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    move || connection.with(|c| mode(c) != face)
}

/// A polite live region that says when presence is not live.
fn connection_note(connection: Reader<Connection>) -> impl IntoView {
    let text = move || match connection.get() {
        Connection::Connecting => "Connecting…".to_owned(),
        Connection::Reconnecting { reason } => reason,
        _ => String::new(),
    };
    view! { <span class="ucwa-status__note" role="status" aria-live="polite">{text}</span> }
}

/// The badge button and its menu (a plain function: internal, no props struct needed).
fn picker(session: SessionContext) -> impl IntoView {
    let (me, connection) = (session.me, session.connection);
    // Ids for the button's aria-controls and the list's aria-activedescendant, unique on the page.
    let menu_id = unique_id("ucwa-status-menu");
    // The menu: `None` while closed, else the index of the active option.
    let menu = RwSignal::new(None::<usize>);
    let active = move || menu.get().unwrap_or(0);
    let set_active = move |i: usize| menu.set(Some(i));
    let now = move || menu.get_untracked().unwrap_or(0);
    let count = CHOICES.len();

    let badge = BadgeSource::derive(move || {
        me.with(|m| BadgeState {
            availability: m.presence.availability,
            name: None,
            out_of_office: m.presence.note.as_ref().is_some_and(|n| n.out_of_office),
            stale: connection.with(|c| m.presence.is_stale(c)),
        })
    });
    let name = move || me.with(|m| m.name.clone().or_else(|| m.uri.clone()).unwrap_or_default());
    let status_text = move || {
        me.with(|m| match m.pending {
            Some(p) => format!("Setting {}…", choice_label(p)),
            None => status_line(&m.presence, false),
        })
    };

    // Handlers find the picker's elements from their event (no node references to keep).
    let open_menu = move |ev: &web_sys::Event| {
        let current = me.get_untracked().presence.availability;
        menu.set(Some(
            CHOICES
                .iter()
                .position(|c| *c == Some(current))
                .unwrap_or(0),
        ));
        focus_after_render(picker_of(ev), "[role=listbox]");
    };
    let close_menu = move |ev: &web_sys::Event, refocus: bool| {
        menu.set(None);
        if refocus {
            focus(picker_of(ev), ".ucwa-picker__button");
        }
    };
    let pick = move |ev: &web_sys::Event, i: usize| {
        if let Some(choice) = CHOICES.get(i).copied() {
            session.set_availability(choice);
        }
        close_menu(ev, true);
    };

    let on_button_key = move |ev: leptos::ev::KeyboardEvent| {
        if matches!(ev.key().as_str(), "ArrowDown" | "ArrowUp") {
            ev.prevent_default();
            open_menu(&ev);
        }
    };
    let on_list_key = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        let handled = match key.as_str() {
            "ArrowDown" => {
                set_active((now() + 1) % count);
                true
            }
            "ArrowUp" => {
                set_active((now() + count - 1) % count);
                true
            }
            "Home" => {
                set_active(0);
                true
            }
            "End" => {
                set_active(count - 1);
                true
            }
            "Enter" | " " => {
                pick(&ev, now());
                true
            }
            "Escape" => {
                close_menu(&ev, true);
                true
            }
            "Tab" => {
                close_menu(&ev, false);
                false
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    };
    // Focus leaving the picker (a click elsewhere, Tab) closes the menu. Focus moving to the
    // button is left to the button's own click, which toggles.
    let on_focus_out = move |ev: leptos::ev::FocusEvent| {
        use wasm_bindgen::JsCast;
        let inside = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .zip(picker_of(&ev))
            .is_some_and(|(n, r)| r.contains(Some(&n)));
        if !inside {
            menu.set(None);
        }
    };

    let active_id = {
        let menu_id = menu_id.clone();
        move || option_id(&menu_id, active())
    };
    let options = CHOICES
        .into_iter()
        .enumerate()
        .map(|(i, choice)| {
            let selected = move || choice.is_some() && me.with(|m| m.presence.availability) == choice.unwrap_or_default();
            let class = move || if active() == i { "ucwa-option ucwa-option--active" } else { "ucwa-option" }.to_owned();
            view! {
                <li role="option" id=option_id(&menu_id, i) class=class aria-selected=move || selected().to_string()
                    on:click=move |ev| pick(&ev, i) on:mousemove=move |_| set_active(i)>
                    {match choice {
                        // Static branches (Either, not AnyView): nothing here is ever rebuilt.
                        Some(a) => Either::Left(view! { <PresenceBadge state=BadgeState::from(a) size=BadgeSize::Small/> }),
                        None => Either::Right(view! { <span class="ucwa-option__reset" aria-hidden="true">"↺"</span> }),
                    }}
                    <span>{choice_label(choice)}</span>
                </li>
            }
        })
        .collect_view();

    view! {
        <div class="ucwa-picker">
            <button class="ucwa-picker__button" type="button" aria-haspopup="listbox"
                aria-expanded=move || menu.with(Option::is_some).to_string() aria-controls=menu_id.clone()
                on:click=move |ev| if menu.with_untracked(Option::is_some) { close_menu(&ev, false) } else { open_menu(&ev) }
                on:keydown=on_button_key>
                <PresenceBadge state=badge size=BadgeSize::Medium/>
                <span class="ucwa-picker__text">
                    <span class="ucwa-picker__name">{name}</span>
                    <span class="ucwa-picker__status">{status_text}</span>
                </span>
                <span class="ucwa-picker__chevron" aria-hidden="true">"▾"</span>
            </button>
            <ul id=menu_id.clone() class="ucwa-menu" role="listbox" tabindex="-1"
                aria-label="Set your status" hidden=move || menu.with(Option::is_none)
                aria-activedescendant=active_id
                on:keydown=on_list_key on:focusout=on_focus_out>
                {options}
            </ul>
            <span class="ucwa-error" role="alert" hidden=move || me.with(|m| m.error.is_none())>
                {move || me.with(|m| m.error.clone().unwrap_or_default())}
            </span>
        </div>
    }
}

/// The picker an event happened in (its handler's element, or an ancestor of it).
fn picker_of(ev: &web_sys::Event) -> Option<web_sys::Element> {
    use wasm_bindgen::JsCast;
    let element = ev.current_target()?.dyn_into::<web_sys::Element>().ok()?;
    element.closest(".ucwa-picker").ok().flatten()
}

/// Focuses the element `selector` finds inside `picker`.
fn focus(picker: Option<web_sys::Element>, selector: &str) {
    use wasm_bindgen::JsCast;
    let target = picker.and_then(|p| p.query_selector(selector).ok().flatten());
    if let Some(el) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// Focuses `selector` inside `picker` once this render is done (the menu is shown by then).
fn focus_after_render(picker: Option<web_sys::Element>, selector: &'static str) {
    leptos::task::spawn_local(async move {
        leptos::task::tick().await;
        focus(picker, selector);
    });
}
