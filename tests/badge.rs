//! PresenceBadge rendered in a real browser (headless Chromium and Firefox).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use ucwa_presence::protocol::Availability;
use ucwa_presence::ui::{BadgeSize, BadgeSource, BadgeState, PresenceBadge};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;
use common::container;

wasm_bindgen_test_configure!(run_in_browser);

fn badge_in(root: &web_sys::HtmlElement) -> web_sys::Element {
    root.query_selector(".ucwa-badge")
        .unwrap()
        .expect("a badge element")
}

#[wasm_bindgen_test]
async fn renders_role_label_and_class_per_availability() {
    let cases = [
        (Availability::Online, "available", "Sara Davis: Available"),
        (Availability::Busy, "busy", "Sara Davis: Busy"),
        (
            Availability::DoNotDisturb,
            "dnd",
            "Sara Davis: Do not disturb",
        ),
        (
            Availability::BeRightBack,
            "away",
            "Sara Davis: Be right back",
        ),
        (Availability::Offline, "offline", "Sara Davis: Offline"),
        (
            Availability::Unknown,
            "unknown",
            "Sara Davis: Presence unknown",
        ),
    ];
    for (availability, css, label) in cases {
        let root = container();
        let _handle = leptos::mount::mount_to(root.clone(), move || {
            let state = BadgeState {
                availability,
                name: Some("Sara Davis".into()),
                out_of_office: false,
                stale: false,
            };
            view! { <PresenceBadge state=state size=BadgeSize::Medium/> }
        });
        leptos::task::tick().await;
        let badge = badge_in(&root);
        assert_eq!(badge.get_attribute("role").as_deref(), Some("img"));
        assert_eq!(badge.get_attribute("aria-label").as_deref(), Some(label));
        let class = badge.get_attribute("class").unwrap();
        assert!(
            class.contains(&format!("ucwa-badge--{css}")),
            "{class} for {availability:?}"
        );
        assert!(class.contains("ucwa-badge--medium"), "{class}");
        assert!(badge
            .query_selector("svg[aria-hidden=true] path")
            .unwrap()
            .is_some());
    }
}

#[wasm_bindgen_test]
async fn follows_its_signal_and_marks_stale() {
    let root = container();
    let (availability, set_availability) = signal(Availability::Online);
    let (stale, set_stale) = signal(false);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        let state = Signal::derive(move || BadgeState {
            availability: availability.get(),
            name: None,
            out_of_office: false,
            stale: stale.get(),
        });
        view! { <PresenceBadge state=state/> }
    });
    leptos::task::tick().await;
    let badge = badge_in(&root);
    assert_eq!(
        badge.get_attribute("aria-label").as_deref(),
        Some("Available")
    );

    set_availability.set(Availability::Busy);
    leptos::task::tick().await;
    // The same element is updated in place, not re-created.
    let again = badge_in(&root);
    assert!(badge.is_same_node(Some(&again)));
    assert_eq!(again.get_attribute("aria-label").as_deref(), Some("Busy"));
    assert!(again
        .get_attribute("class")
        .unwrap()
        .contains("ucwa-badge--busy"));
    assert_eq!(
        again.get_attribute("data-availability").as_deref(),
        Some("Busy")
    );

    set_stale.set(true);
    leptos::task::tick().await;
    assert_eq!(
        again.get_attribute("aria-label").as_deref(),
        Some("Busy (last known, not updating)")
    );
    assert!(again
        .get_attribute("class")
        .unwrap()
        .contains("ucwa-badge--stale"));
}

#[wasm_bindgen_test]
async fn a_badge_source_follows_its_closure_or_stays_fixed() {
    let root = container();
    let (name, set_name) = signal(Some("Chris Barry".to_owned()));
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        let live = BadgeSource::derive(move || BadgeState {
            availability: Availability::Away,
            name: name.get(),
            out_of_office: false,
            stale: false,
        });
        view! {
            <PresenceBadge state=live/>
            <PresenceBadge state=Availability::DoNotDisturb size=BadgeSize::Large/>
        }
    });
    leptos::task::tick().await;
    let badges = root.query_selector_all(".ucwa-badge").unwrap();
    assert_eq!(badges.length(), 2);
    let live: web_sys::Element = badges.item(0).unwrap().unchecked_into();
    let fixed: web_sys::Element = badges.item(1).unwrap().unchecked_into();
    assert_eq!(
        live.get_attribute("aria-label").as_deref(),
        Some("Chris Barry: Away")
    );
    // No title: the label is the accessible name, and the contact card shows the status on
    // hover (a tooltip would cover it).
    assert_eq!(live.get_attribute("title"), None);
    assert_eq!(
        fixed.get_attribute("aria-label").as_deref(),
        Some("Do not disturb")
    );
    assert!(fixed
        .get_attribute("class")
        .unwrap()
        .contains("ucwa-badge--large"));

    set_name.set(None);
    leptos::task::tick().await;
    assert_eq!(live.get_attribute("aria-label").as_deref(), Some("Away"));
    assert_eq!(
        fixed.get_attribute("aria-label").as_deref(),
        Some("Do not disturb")
    );
}

#[wasm_bindgen_test]
async fn out_of_office_has_its_own_shape_label_class_and_attribute() {
    let root = container();
    let (away, set_away) = signal(false);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        let state = Signal::derive(move || BadgeState {
            availability: Availability::Busy,
            name: Some("Dana Birkby".into()),
            out_of_office: away.get(),
            stale: false,
        });
        view! { <PresenceBadge state=state/> }
    });
    leptos::task::tick().await;
    let badge = badge_in(&root);
    let path = || {
        badge
            .query_selector("path")
            .unwrap()
            .unwrap()
            .get_attribute("d")
            .unwrap()
    };
    let busy_shape = path();
    assert_eq!(
        badge.get_attribute("data-out-of-office").as_deref(),
        Some("false")
    );
    assert!(!badge
        .get_attribute("class")
        .unwrap()
        .contains("ucwa-badge--oof"));

    set_away.set(true);
    leptos::task::tick().await;
    assert_eq!(
        badge.get_attribute("aria-label").as_deref(),
        Some("Dana Birkby: Busy, out of office")
    );
    assert_eq!(
        badge.get_attribute("data-out-of-office").as_deref(),
        Some("true")
    );
    let class = badge.get_attribute("class").unwrap();
    assert!(
        class.contains("ucwa-badge--oof") && class.contains("ucwa-badge--busy"),
        "{class}"
    );
    assert_eq!(
        badge.get_attribute("data-availability").as_deref(),
        Some("Busy")
    );
    assert_ne!(path(), busy_shape, "its own icon");

    set_away.set(false);
    leptos::task::tick().await;
    assert_eq!(
        badge.get_attribute("data-out-of-office").as_deref(),
        Some("false")
    );
    assert_eq!(path(), busy_shape);
}
