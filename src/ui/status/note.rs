//! The note editor of `<ucwa-status>`: my note and location as text, and a form to set them
//! ("Set a note…"), as keyboard and screen-reader friendly as the status menu: a disclosure
//! button with `aria-expanded`, labelled fields, Escape to close (focus back to the button),
//! "Saving…" in a polite live region, errors in `role=alert`. The form's static fields
//! (maxlength 500 and 60, UCWA.md), opening, closing and keys are `dom.js`; this
//! renders the live texts and sends what was submitted.

use leptos::prelude::*;

use wasm_bindgen::prelude::*;

use super::super::context::SessionContext;
use super::super::ids::unique_id;
use super::super::reactive::reactive;
use super::super::text::note_text;
use crate::client::store::MeView;

#[wasm_bindgen(module = "/src/ui/dom.js")]
extern "C" {
    #[wasm_bindgen(js_name = noteAttach)]
    fn note_attach(root: &web_sys::HtmlElement, max_note: u32, max_location: u32);
    /// The submitted note form's note and location, separated by U+001F.
    #[wasm_bindgen(js_name = noteValues)]
    fn note_values(submit: &web_sys::Event) -> String;
}

/// Makes the note editor and the status menu under `root` (the widget root of a `<ucwa-status>`)
/// work (`noteAttach` in `dom.js` attaches the menu), with the longest note and location UCWA takes (UCWA.md).
pub(crate) fn attach_note(root: &web_sys::HtmlElement) {
    note_attach(root, 500, 60);
}

/// My personal note (blank while an out-of-office note shows: the personal one is unknown then).
fn personal_note(me: &MeView) -> String {
    me.presence
        .note
        .as_ref()
        .filter(|n| !n.out_of_office)
        .map(|n| n.message.clone())
        .unwrap_or_default()
}

fn note_line(me: &MeView) -> String {
    me.presence.note.as_ref().map(note_text).unwrap_or_default()
}

/// The kind of the note shown: the editor starts from it only when it is personal.
fn note_kind(me: &MeView) -> String {
    match &me.presence.note {
        Some(n) if n.out_of_office => "out-of-office",
        _ => "personal",
    }
    .to_owned()
}

fn place_line(me: &MeView) -> String {
    me.presence.location.clone().unwrap_or_default()
}

fn saving_line(me: &MeView) -> String {
    if me.note_pending.is_some() || me.location_pending.is_some() {
        "Saving…".to_owned()
    } else {
        String::new()
    }
}

fn error_line(me: &MeView) -> String {
    me.note_error.clone().unwrap_or_default()
}

/// Everything the area shows, as `dom.js` reads it: kind, note, location, "Saving…" and
/// the error, separated by U+001F (removed from the values).
fn note_data(me: &MeView) -> String {
    let parts = [
        note_kind(me),
        note_line(me),
        place_line(me),
        saving_line(me),
        error_line(me),
    ];
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('\u{1f}');
        }
        out.extend(part.chars().filter(|&c| c != '\u{1f}'));
    }
    out
}

pub(super) fn note_editor(session: SessionContext) -> impl IntoView {
    let me = session.me;
    let form_id = unique_id("ucwa-note");
    // Sends what changed; the script closes the form.
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let values = note_values(&ev);
        let (note, place) = values.split_once('\u{1f}').unwrap_or((&values, ""));
        let (note_changed, place_changed) = me.with_untracked(|m| {
            (
                note.trim() != personal_note(m).trim(),
                place.trim() != place_line(m).trim(),
            )
        });
        if note_changed {
            session.set_note(note.to_owned());
        }
        if place_changed {
            session.set_location(place.to_owned());
        }
    };
    // The texts are filled in by the script from `data-note` (one reactive attribute for all).
    view! {
        <div class="ucwa-note-area" data-note=reactive(move || Some(me.with(note_data)))>
            <span class="ucwa-note__text" hidden=""></span>
            <span class="ucwa-note__place" hidden=""></span>
            <button class="ucwa-button ucwa-note__open" type="button" aria-controls=form_id.clone()
                aria-expanded="false">"Set a note…"</button>
            // Its fields (static: labels, note, location, Save, Clear) are made by the script
            // when it first opens.
            <form class="ucwa-note" id=form_id hidden="" aria-label="Your note and location" on:submit=submit></form>
            // A polite live region without role=status: the element's one status is the connection's.
            <span class="ucwa-note__saving" aria-live="polite"></span>
            <span class="ucwa-error" role="alert" hidden=""></span>
        </div>
    }
}
