//! ucwa-presence: live Skype for Business / Lync presence for intranet pages.
//!
//! Data flows one way: event JSON → [`protocol`] → `client` store → `ui` component.
//! `protocol` is pure Rust (tested natively); the browser half exists only on wasm32.
//! [`sorted`] holds the general containers every layer uses (pure Rust too).

pub mod protocol;
pub mod sorted;

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod css;

#[cfg(target_arch = "wasm32")]
pub mod client;
#[cfg(target_arch = "wasm32")]
mod embed;
#[cfg(target_arch = "wasm32")]
pub mod ui;
