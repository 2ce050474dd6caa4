//! `Contact`: a colleague's live badge and name, with a card on hover or focus.

use leptos::prelude::*;

use super::badge::{BadgeSize, BadgeSource, BadgeState, PresenceBadge};
use super::context::use_session;
use super::ids::unique_id;
use super::text::{fallback_name, last_active_text, status_line};
use super::use_presence::use_presence;

/// How much of a contact to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ContactLayout {
    /// Badge and name (default).
    #[default]
    Name,
    /// The badge alone (its label carries the name).
    Badge,
}

/// A colleague (a normalised SIP URI), subscribed to for as long as the view lives.
#[component]
pub fn Contact(
    uri: String,
    #[prop(optional)] layout: ContactLayout,
    #[prop(optional)] size: BadgeSize,
) -> impl IntoView {
    let person = use_presence(&uri);
    let connection = use_session().connection;
    // Many contacts share one shadow root in <ucwa-contacts>: each card needs its own id.
    let card_id = unique_id("ucwa-card");
    let described_by = card_id.clone();
    let fallback = fallback_name(&uri);
    let name = move || {
        person
            .info
            .with(|i| i.name.clone())
            .unwrap_or_else(|| fallback.clone())
    };
    let stale = move || person.presence.with(|p| connection.with(|c| p.is_stale(c)));
    let badge = {
        let name = name.clone();
        BadgeSource::derive(move || BadgeState {
            availability: person.presence.with(|p| p.availability),
            name: (layout == ContactLayout::Badge).then(&name),
            stale: stale(),
        })
    };
    // Card lines, empty (and hidden) when the directory or server did not say.
    let role = move || {
        person.info.with(|i| {
            let mut line = i.title.clone().unwrap_or_default();
            if let Some(department) = &i.department {
                if !line.is_empty() {
                    line.push_str(", ");
                }
                line.push_str(department);
            }
            line
        })
    };
    let seen = move || {
        person
            .presence
            .with(|p| p.last_active)
            .and_then(|t| last_active_text(t, js_sys::Date::now()))
            .unwrap_or_default()
    };
    let email = move || person.info.with(|i| i.email.clone().unwrap_or_default());
    view! {
        <span class="ucwa-contact" tabindex="0" aria-describedby=described_by>
            <PresenceBadge state=badge size=size/>
            {(layout == ContactLayout::Name).then({
                let name = name.clone();
                move || view! { <span class="ucwa-contact__name">{name}</span> }
            })}
            <span class="ucwa-card" id=card_id role="tooltip">
                <span class="ucwa-card__name">{name}</span>
                <span class="ucwa-card__line" hidden=move || role().is_empty()>{role}</span>
                <span class="ucwa-card__line">{move || person.presence.with(|p| status_line(p, stale()))}</span>
                <span class="ucwa-card__line ucwa-card__muted" hidden=move || seen().is_empty()>{seen}</span>
                <span class="ucwa-card__line ucwa-card__muted" hidden=move || email().is_empty()>{email}</span>
            </span>
        </span>
    }
}
