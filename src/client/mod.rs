//! Browser I/O: fetch with UCWA origin headers, sign-in, the event loop, subscriptions, and the
//! reactive presence store the components read.

pub mod config;
mod contacts;
mod event_loop;
pub mod http;
mod identity;
mod lifecycle;
mod links;
mod note;
mod presence;
mod reads;
mod session;
mod signin;
pub mod store;
mod subscribe;
mod timer;
mod transport;

pub use config::{Config, ConfigError};
pub use session::Session;
pub use store::{Connection, MeView, PersonInfo, PresenceView, Store};
