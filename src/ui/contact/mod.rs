//! `Contact` (`<ucwa-presence>`): a colleague's live badge, shown as the element's `display`
//! asks (badge, name, text, avatar or the whole card), with the contact card on hover or focus.
//!
//! The card's content, open/close behaviour and placement are `dom.js`, delegated from each
//! widget root (`ui::behaviour`): this module renders the trigger and an empty closed card
//! (`hidden`, `aria-expanded="false"`) and keeps the card's data in the trigger's `data-card`
//! (`card.rs`); the script renders it (text only) and toggles those two attributes.

mod card;

use leptos::prelude::*;

use super::badge::{BadgeSize, BadgeSource, BadgeState, PresenceBadge};
use super::context::use_session;
use super::ids::unique_id;
use super::reactive::reactive;
use super::text::{fallback_name, status_line};
use super::use_presence::use_presence;
use card::card_data;

/// How much of a contact to show (`display` on `<ucwa-presence>`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ContactLayout {
    /// The badge alone (its label carries the name).
    Badge,
    /// Badge and name (default).
    #[default]
    Name,
    /// Badge, name and the status in words ("Busy · In a meeting").
    Text,
    /// Photo or initials with the badge on its corner, name and status line beside.
    Avatar,
    /// The contact card itself, inline and always open.
    Card,
}

impl ContactLayout {
    /// Parses a `display` attribute; anything else is `None`.
    pub fn parse(s: &str) -> Option<ContactLayout> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "badge" => ContactLayout::Badge,
            "name" => ContactLayout::Name,
            "text" => ContactLayout::Text,
            "avatar" => ContactLayout::Avatar,
            "card" => ContactLayout::Card,
            _ => return None,
        })
    }
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
    // Many contacts share one shadow root in <ucwa-contacts>: each card needs its own ids.
    let card_id = unique_id("ucwa-card");
    let name_id = format!("{card_id}-name");
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
        BadgeSource::derive(move || {
            person.presence.with(|p| BadgeState {
                availability: p.availability,
                name: (layout == ContactLayout::Badge).then(&name),
                out_of_office: p.note.as_ref().is_some_and(|n| n.out_of_office),
                stale: stale(),
            })
        })
    };
    let status = move || person.presence.with(|p| status_line(p, stale()));
    let card = {
        let (uri, name) = (uri.clone(), name.clone());
        reactive(move || {
            person.info.with(|i| {
                person
                    .presence
                    .with(|p| Some(card_data(&uri, &name(), i, p, stale())))
            })
        })
    };
    #[cfg(feature = "rich-display")]
    if layout == ContactLayout::Card {
        return leptos::either::Either::Left(view! {
            <div class="ucwa-card ucwa-card--inline" role="dialog" aria-labelledby=name_id data-card=card>
                <span class="ucwa-card__head">
                    {super::avatar::avatar(&uri, name, badge, BadgeSize::Large)}
                </span>
                <span class="ucwa-card__body"></span>
            </div>
        });
    }
    let plain = view! {
        <PresenceBadge state=badge.clone() size=size/>
        {(layout != ContactLayout::Badge).then({
            let name = name.clone();
            move || view! { <span class="ucwa-contact__name">{name}</span> }
        })}
        {(layout == ContactLayout::Text).then(|| view! { <span class="ucwa-contact__status">{status}</span> })}
    };
    #[cfg(feature = "rich-display")]
    let face = if layout == ContactLayout::Avatar {
        leptos::either::Either::Left(view! {
            {super::avatar::avatar(&uri, name.clone(), badge, size)}
            <span class="ucwa-contact__text">
                <span class="ucwa-contact__name">{name.clone()}</span>
                <span class="ucwa-contact__status">{status}</span>
            </span>
        })
    } else {
        leptos::either::Either::Right(plain)
    };
    #[cfg(not(feature = "rich-display"))]
    let face = plain;
    let person_view = view! {
        <span class="ucwa-person">
            <span class="ucwa-contact" role="button" tabindex="0" aria-expanded="false" aria-controls=card_id.clone()
                data-card=card>{face}</span>
            <span class="ucwa-card" id=card_id role="dialog" aria-labelledby=name_id hidden=""></span>
        </span>
    };
    #[cfg(feature = "rich-display")]
    return leptos::either::Either::Right(person_view);
    #[cfg(not(feature = "rich-display"))]
    person_view
}
