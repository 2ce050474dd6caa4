//! `StatusPicker` (`<ucwa-status>`): the signed-in user's badge and a status menu, keyboard
//! operable as an ARIA listbox: Enter/Space/ArrowDown open it, arrows/Home/End move, Enter or
//! Space picks, Escape or Tab or a click elsewhere closes it (`dom.js`). Below it, my note and
//! location and their editor (`note.rs`).

mod note;

use leptos::either::Either;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::badge::{BadgeSize, BadgeSource, BadgeState, PresenceBadge};
use super::context::{use_session, SessionContext};
use super::ids::unique_id;
use super::reactive::{reactive, Reactive};
use super::signin::SignInForm;
use super::text::status_line;
use crate::client::store::{Connection, Reader};
use crate::protocol::Availability;

#[wasm_bindgen(module = "/src/ui/dom.js")]
extern "C" {
    /// The index of the option a click on the menu is about, if it is about one.
    #[wasm_bindgen(js_name = menuChoice)]
    fn menu_choice(click: &web_sys::Event) -> Option<u32>;
}

/// Makes the status menus and note editors under `root` (the widget root of a `<ucwa-status>`,
/// or any element a `StatusPicker` is mounted into) work: `noteAttach` in `dom.js` attaches the menu too.
pub fn attach(root: &web_sys::HtmlElement) {
    note::attach_note(root);
}

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
fn note_area(session: SessionContext) -> impl IntoView {
    note::note_editor(session)
}

/// The sign-in form, shown while the server asks for a sign-in. Also the whole of the floating
/// sign-in panel of pages without a `<ucwa-status>` (one view type for both: bundle size).
pub(crate) fn sign_in_face() -> impl IntoView {
    let connection = use_session().connection;
    view! { <div class="ucwa-status__face" hidden=hidden_unless(connection, Mode::SignIn)><SignInForm/></div> }
}

/// A face's `hidden`: true unless the connection is in `face`'s state.
fn hidden_unless(connection: Reader<Connection>, face: Mode) -> Reactive<bool> {
    reactive(move || connection.with(|c| mode(c) != face))
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

/// The badge button and its menu (a plain function: internal, no props struct needed). Opening,
/// closing, the active option and focus are `dom.js`; this renders what the store decides (the
/// badge, the texts, the selected option) and sends the pick.
fn picker(session: SessionContext) -> impl IntoView {
    let (me, connection) = (session.me, session.connection);
    // Ids for the button's aria-controls and the list's aria-activedescendant, unique on the page.
    let menu_id = unique_id("ucwa-status-menu");

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
    // One handler for the whole list: the script says which option a click is about (Enter
    // and Space click the active one).
    let pick = move |ev: leptos::ev::MouseEvent| {
        if let Some(choice) = menu_choice(&ev).and_then(|i| CHOICES.get(i as usize)) {
            session.set_availability(*choice);
        }
    };

    let options = CHOICES
        .into_iter()
        .enumerate()
        .map(|(i, choice)| {
            let selected = move || choice.is_some() && me.with(|m| m.presence.availability) == choice.unwrap_or_default();
            view! {
                <li role="option" id=option_id(&menu_id, i) class="ucwa-option" aria-selected=reactive(move || Some(selected().to_string()))>
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
                aria-expanded="false" aria-controls=menu_id.clone()>
                <PresenceBadge state=badge size=BadgeSize::Medium/>
                <span class="ucwa-picker__text">
                    <span class="ucwa-picker__name">{name}</span>
                    <span class="ucwa-picker__status">{status_text}</span>
                </span>
                <span class="ucwa-picker__chevron" aria-hidden="true">"▾"</span>
            </button>
            <ul id=menu_id class="ucwa-menu" role="listbox" tabindex="-1"
                aria-label="Set your status" hidden="" on:click=pick>
                {options}
            </ul>
            <span class="ucwa-error" role="alert" hidden=reactive(move || me.with(|m| m.error.is_none()))>
                {move || me.with(|m| m.error.clone().unwrap_or_default())}
            </span>
        </div>
    }
}
