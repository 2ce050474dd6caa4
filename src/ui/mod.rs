//! Leptos components. Each lives in a folder with its CSS; [`STYLESHEET`] joins them into the
//! one sheet every widget's shadow root adopts, so nothing leaks into or out of the host page.
//!
//! Components get the session from context ([`use_session`], provided by each mount) and only
//! read from it: store values arrive as read-only signals, user actions go back as calls.
//! [`use_presence`] is the one way a component shows a person (and keeps them subscribed).

pub mod badge;
pub mod contact;
#[cfg(feature = "contact-list")]
pub mod contact_list;
pub mod context;
mod ids;
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

/// All component CSS, minified at compile time.
#[cfg(feature = "contact-list")]
pub const STYLESHEET: &str = stylesheet!(include_str!("contact_list/contact_list.css"));

/// All component CSS, minified at compile time (the bundle without `<ucwa-contacts>`).
#[cfg(not(feature = "contact-list"))]
pub const STYLESHEET: &str = stylesheet!();
