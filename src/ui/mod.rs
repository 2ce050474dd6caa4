//! Leptos components. Each lives in a folder with its CSS; [`STYLESHEET`] joins them into the
//! one sheet every widget's shadow root adopts, so nothing leaks into or out of the host page.
//!
//! Components get the session from context ([`use_session`], provided by each mount) and only
//! read from it: store values arrive as read-only signals, user actions go back as calls.
//! [`use_presence`] is the one way a component shows a person (and keeps them subscribed).

#[cfg(feature = "rich-display")]
mod avatar;
pub mod badge;
pub(crate) mod behaviour;
pub mod contact;
#[cfg(feature = "contact-list")]
pub mod contact_list;
pub mod context;
mod ids;
mod reactive;
pub mod signin;
pub mod status;
pub mod text;
pub mod use_presence;

pub use badge::{BadgeSize, BadgeSource, BadgeState, PresenceBadge};
pub use contact::{Contact, ContactLayout};
#[cfg(feature = "contact-list")]
pub use contact_list::ContactList;
pub use context::{use_session, SessionContext};
pub use signin::SignInForm;
pub use status::StatusPicker;
pub use use_presence::use_presence;

/// The component sheets joined and minified at compile time, with `$extra` sheets after them.
macro_rules! stylesheet {
    ($($extra:expr),*) => {
        crate::css::minified_css!(concat!(
            include_str!("base.css"),
            include_str!("badge/badge.css"),
            include_str!("contact/contact.css"),
            include_str!("signin/signin.css"),
            include_str!("status/status.css"),
            $($extra),*
        ))
    };
}

// `concat!` takes literals only: one constant per combination of the optional components.

/// All component CSS, minified at compile time.
#[cfg(all(feature = "contact-list", feature = "rich-display"))]
pub const STYLESHEET: &str = stylesheet!(
    include_str!("contact_list/contact_list.css"),
    include_str!("avatar/avatar.css")
);

/// All component CSS, minified at compile time (without avatars and inline cards).
#[cfg(all(feature = "contact-list", not(feature = "rich-display")))]
pub const STYLESHEET: &str = stylesheet!(include_str!("contact_list/contact_list.css"));

/// All component CSS, minified at compile time (without `<ucwa-contacts>`).
#[cfg(all(not(feature = "contact-list"), feature = "rich-display"))]
pub const STYLESHEET: &str = stylesheet!(include_str!("avatar/avatar.css"));

/// All component CSS, minified at compile time (the default bundle: without `<ucwa-contacts>`,
/// avatars and inline cards).
#[cfg(all(not(feature = "contact-list"), not(feature = "rich-display")))]
pub const STYLESHEET: &str = stylesheet!();
