//! The contact card's content as one attribute value (`data-card`), which `ui/dom.js` renders as
//! text nodes and attributes (never markup): every field the directory and the server gave, and
//! the actions (`mailto:`, `tel:`, `sip:`) with an `href` only for values that validate
//! (`protocol::contact_links`). One string per contact instead of a reactive view per field
//! keeps the bundle small.
//!
//! Format: records separated by U+001E, their parts by U+001F (both removed from the values):
//! `f␟<field>␟<text>[␟oof]` for a field, `a␟<action>[:<phone kind>]␟<text>␟<href or empty>`
//! for an action.

use crate::client::store::{PersonInfo, PhoneKind, PresenceView};
use crate::protocol::contact_links::{mailto, phone_text, sip, tel};
use crate::ui::text::{last_active_text, note_text, status_line};

const RECORD: char = '\u{1e}';
const PART: char = '\u{1f}';

/// What the card of `uri` shows, as `dom.js` reads it. Never inlined: the attribute's
/// build and update paths would each get a copy.
#[inline(never)]
pub(super) fn card_data(
    uri: &str,
    name: &str,
    info: &PersonInfo,
    presence: &PresenceView,
    stale: bool,
) -> String {
    let mut out = String::new();
    let status = status_line(presence, stale);
    let note = presence.note.as_ref().map(note_text);
    let seen = presence
        .last_active
        .and_then(|t| last_active_text(t, js_sys::Date::now()));
    let fields = [
        ("name", Some(name)),
        ("title", info.title.as_deref()),
        ("department", info.department.as_deref()),
        ("company", info.company.as_deref()),
        ("office", info.office.as_deref()),
        ("status", Some(status.as_str())),
        ("note", note.as_deref()),
        ("location", presence.location.as_deref()),
        ("last-active", seen.as_deref()),
    ];
    for (key, text) in fields {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            record(&mut out, &["f", key, text]);
            if key == "note" && presence.note.as_ref().is_some_and(|n| n.out_of_office) {
                push(&mut out, "oof");
            }
        }
    }
    if let Some(email) = info.email.as_deref() {
        let href = mailto(email).unwrap_or_default();
        record(&mut out, &["a", "email", email, &href]);
    }
    for phone in &info.phones {
        let (action, word) = match phone.kind {
            PhoneKind::Work => ("call:work", "Work"),
            PhoneKind::Mobile => ("call:mobile", "Mobile"),
            PhoneKind::Home => ("call:home", "Home"),
        };
        let text = format!("{word}: {}", phone_text(&phone.number));
        let href = tel(&phone.number).unwrap_or_default();
        record(&mut out, &["a", action, &text, &href]);
    }
    if let Some(href) = sip(uri) {
        record(&mut out, &["a", "im", "Send IM", &href]);
    }
    out
}

fn record(out: &mut String, parts: &[&str]) {
    if !out.is_empty() {
        out.push(RECORD);
    }
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push(PART);
        }
        out.extend(part.chars().filter(|&c| c != RECORD && c != PART));
    }
}

fn push(out: &mut String, part: &str) {
    out.push(PART);
    out.push_str(part);
}
