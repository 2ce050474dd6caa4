//! Leptos components. Each lives in a folder with its CSS; [`STYLESHEET`] joins them into the
//! one sheet every widget's shadow root adopts, so nothing leaks into or out of the host page.

pub mod badge;
pub mod contact;
pub mod contact_list;
pub mod signin;
pub mod status;
pub mod text;

pub use badge::{BadgeSize, BadgeSource, BadgeState, PresenceBadge};
pub use contact::{Contact, ContactLayout};
pub use contact_list::ContactList;
pub use signin::SignInForm;
pub use status::StatusPicker;

/// All component CSS, minified at compile time.
pub const STYLESHEET: &str = crate::css::minified_css!(concat!(
    include_str!("base.css"),
    include_str!("badge/badge.css"),
    include_str!("contact/contact.css"),
    include_str!("signin/signin.css"),
    include_str!("status/status.css"),
    include_str!("contact_list/contact_list.css"),
));
