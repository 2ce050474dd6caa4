//! Browser I/O: fetch with UCWA origin headers, sign-in, the event loop, subscriptions, and the
//! reactive presence store the components read.

pub mod backend;
pub mod config;
#[cfg(feature = "contact-list")]
mod contacts;
#[cfg(feature = "cwa2007")]
pub mod cwa2007;
mod event_loop;
pub mod http;
mod identity;
mod lifecycle;
mod links;
mod note;
#[cfg(feature = "rich-display")]
mod photos;
mod presence;
mod reads;
mod recovery;
mod session;
mod signin;
pub mod store;
mod subscribe;
mod timer;
mod transport;

pub use backend::Backend;
pub use config::{BackendChoice, Config, ConfigError, Setting};
pub use session::Session;
pub use store::{Connection, MeView, PersonInfo, PresenceView, Store};
