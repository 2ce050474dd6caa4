//! `PresenceBadge`: one availability drawn as colour *and* shape, with an accessible name.

use std::sync::Arc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use web_sys::Element;

use crate::protocol::{Availability, BadgeKind};

/// Badge sizes in CSS pixels: 10, 16 (default), 20, 28.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BadgeSize {
    Tiny,
    #[default]
    Small,
    Medium,
    Large,
}

impl BadgeSize {
    /// Parses a page attribute (`size="medium"`); anything else is `None`.
    pub fn parse(s: &str) -> Option<BadgeSize> {
        match s.trim().to_ascii_lowercase().as_str() {
            "tiny" | "xs" => Some(BadgeSize::Tiny),
            "small" | "s" => Some(BadgeSize::Small),
            "medium" | "m" => Some(BadgeSize::Medium),
            "large" | "l" => Some(BadgeSize::Large),
            _ => None,
        }
    }

    fn css(self) -> &'static str {
        match self {
            BadgeSize::Tiny => "tiny",
            BadgeSize::Small => "small",
            BadgeSize::Medium => "medium",
            BadgeSize::Large => "large",
        }
    }
}

/// The accessible name of a badge: "Sara Davis: Busy", "Busy", "Busy, out of office", plus a
/// note when stale.
pub fn badge_label(
    name: Option<&str>,
    availability: Availability,
    out_of_office: bool,
    stale: bool,
) -> String {
    let mut label = String::new();
    if let Some(n) = name.map(str::trim).filter(|n| !n.is_empty()) {
        label.push_str(n);
        label.push_str(": ");
    }
    label.push_str(availability.label());
    if out_of_office {
        label.push_str(", out of office");
    }
    if stale {
        label.push_str(" (last known, not updating)");
    }
    label
}

/// Everything a badge shows, read from one signal (one reactive type for every badge).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BadgeState {
    pub availability: Availability,
    /// The person's name, for the accessible label ("Sara Davis: Busy"); `None` when the name
    /// is shown beside the badge anyway.
    pub name: Option<String>,
    /// The person's note is an out-of-office one: the badge shows its out-of-office variant.
    pub out_of_office: bool,
    /// The value is no longer being updated (the event channel is down): drawn faded and
    /// dashed, and its label says so.
    pub stale: bool,
}

impl From<Availability> for BadgeState {
    fn from(availability: Availability) -> Self {
        BadgeState {
            availability,
            ..BadgeState::default()
        }
    }
}

/// Where a badge reads its state: a closure, re-run (and the badge updated) whenever a signal it
/// reads changes, or a fixed state. One concrete type for every badge keeps the bundle small
/// (a `Signal<BadgeState>` also converts into one).
#[derive(Clone)]
pub struct BadgeSource(Arc<dyn Fn() -> BadgeState + Send + Sync>);

impl BadgeSource {
    /// A badge that follows `f`, like `Signal::derive`.
    pub fn derive(f: impl Fn() -> BadgeState + Send + Sync + 'static) -> Self {
        BadgeSource(Arc::new(f))
    }

    /// The current state (tracked: the caller re-runs when it changes).
    pub fn get(&self) -> BadgeState {
        (self.0)()
    }
}

impl From<BadgeState> for BadgeSource {
    fn from(state: BadgeState) -> Self {
        BadgeSource::derive(move || state.clone())
    }
}

impl From<Availability> for BadgeSource {
    fn from(availability: Availability) -> Self {
        BadgeState::from(availability).into()
    }
}

impl From<Signal<BadgeState>> for BadgeSource {
    fn from(signal: Signal<BadgeState>) -> Self {
        BadgeSource::derive(move || signal.get())
    }
}

/// A presence badge: colour and shape for the availability, `role="img"` with a label.
#[component]
pub fn PresenceBadge(
    #[prop(into)] state: BadgeSource,
    #[prop(optional)] size: BadgeSize,
) -> impl IntoView {
    view! { <span role="img" use:paint=(state, size)></span> }
}

#[wasm_bindgen(module = "/src/ui/dom.js")]
extern "C" {
    /// Appends the badge's icon (`<svg><path>`) to `badge`; returns the `<path>`. (An
    /// `Option`, so that the import goes through wasm-bindgen's glue module like every other:
    /// scripts/short-names.mjs expects one import module.)
    #[wasm_bindgen(js_name = badgeIcon)]
    fn badge_icon(badge: &Element) -> Option<Element>;
}

/// Keeps `badge` (the `<span>` above) and its icon drawn as `state` says: one effect per badge,
/// which writes its attributes together when the state changed, rather than an effect per
/// attribute each re-reading the state (a storm of changes on a page of a thousand badges; the
/// heap of a thousand badges' effects). It lives as long as the badge's owner.
fn paint(badge: Element, (state, size): (BadgeSource, BadgeSize)) {
    // The icon is made here, not in the view: a directive runs before its element's
    // children are built, and the effect's first run draws it.
    let icon = badge_icon(&badge);
    let effect = RenderEffect::new(move |drawn: Option<BadgeState>| {
        let now = state.get();
        if drawn.as_ref() != Some(&now) {
            draw(&badge, icon.as_ref(), &now, size);
        }
        now
    });
    let effect = SendWrapper::new(effect);
    on_cleanup(move || drop(effect));
}

/// Writes `s` onto `badge` (called only when it differs from what is drawn).
fn draw(badge: &Element, icon: Option<&Element>, s: &BadgeState, size: BadgeSize) {
    let set = |name: &str, value: &str| {
        let _ = badge.set_attribute(name, value);
    };
    let label = badge_label(s.name.as_deref(), s.availability, s.out_of_office, s.stale);
    set("aria-label", &label);
    let mut class = format!(
        "ucwa-badge ucwa-badge--{} ucwa-badge--{}",
        s.availability.kind().css(),
        size.css()
    );
    if s.stale {
        class.push_str(" ucwa-badge--stale");
    }
    if s.out_of_office {
        class.push_str(" ucwa-badge--oof");
    }
    set(
        "data-out-of-office",
        if s.out_of_office { "true" } else { "false" },
    );
    set("class", &class);
    set(
        "data-availability",
        s.availability.as_token().unwrap_or("Unknown"),
    );
    if let Some(path) = icon {
        let _ = path.set_attribute("d", shape(s));
    }
}

/// The icon's shape for `s`.
fn shape(s: &BadgeState) -> &'static str {
    if s.out_of_office {
        OUT_OF_OFFICE
    } else {
        icon_path(s.availability.kind())
    }
}

/// Out of office, whatever the availability (drawn in its colour): a ring with an arrow back,
/// after Fluent's out-of-office badges.
const OUT_OF_OFFICE: &str = "M8 0a8 8 0 1 1 0 16A8 8 0 0 1 8 0Zm0 1.6a6.4 6.4 0 1 0 0 12.8A6.4 6.4 0 0 0 8 1.6Zm.6 3.3a.8.8 0 0 1 0 1.1L7.4 7.2H11a.8.8 0 0 1 0 1.6H7.4l1.2 1.2a.8.8 0 1 1-1.1 1.1L4.9 8.6a.8.8 0 0 1 0-1.1l2.6-2.6a.8.8 0 0 1 1.1 0Z";

/// Shapes after Fluent's presence badges: a tick, a filled disc, a bar, a clock, a cross, a ring.
fn icon_path(kind: BadgeKind) -> &'static str {
    match kind {
        BadgeKind::Available => "M8 0a8 8 0 1 1 0 16A8 8 0 0 1 8 0Zm3.2 5.3a.8.8 0 0 0-1.1 0L7 8.4 5.9 7.3a.8.8 0 1 0-1.1 1.1l1.6 1.7c.3.3.8.3 1.1 0l3.7-3.7a.8.8 0 0 0 0-1.1Z",
        BadgeKind::Busy => "M8 0a8 8 0 1 1 0 16A8 8 0 0 1 8 0Z",
        BadgeKind::DoNotDisturb => "M8 0a8 8 0 1 1 0 16A8 8 0 0 1 8 0ZM4.8 7.2a.8.8 0 0 0 0 1.6h6.4a.8.8 0 0 0 0-1.6H4.8Z",
        BadgeKind::Away => "M8 0a8 8 0 1 1 0 16A8 8 0 0 1 8 0Zm0 3.5a.8.8 0 0 0-.8.8V8c0 .3.1.5.3.6l2.4 1.8a.8.8 0 1 0 1-1.3L8.8 7.6V4.3a.8.8 0 0 0-.8-.8Z",
        BadgeKind::Offline => "M8 0a8 8 0 1 1 0 16A8 8 0 0 1 8 0Zm0 1.6a6.4 6.4 0 1 0 0 12.8A6.4 6.4 0 0 0 8 1.6ZM5.7 5.7a.8.8 0 0 1 1.1 0L8 6.9l1.2-1.2a.8.8 0 1 1 1.1 1.1L9.1 8l1.2 1.2a.8.8 0 1 1-1.1 1.1L8 9.1l-1.2 1.2a.8.8 0 1 1-1.1-1.1L6.9 8 5.7 6.8a.8.8 0 0 1 0-1.1Z",
        BadgeKind::Unknown => "M8 0a8 8 0 1 1 0 16A8 8 0 0 1 8 0Zm0 1.6a6.4 6.4 0 1 0 0 12.8A6.4 6.4 0 0 0 8 1.6Z",
    }
}
