//! The CWA 2007 front end (UC AJAX Service API 2007, /work/shared/CWA2007.md): XML
//! `cwaRequests` on a command channel, `cwaEvents` on a data channel, on the same directory
//! and presence model as the UCWA side. A CWA session is an endpoint of its user like a UCWA
//! application: changes through either API reach watchers of both.
//!
//! - [`routes`]: sign-in, command channel, data channel;
//! - [`commands`]: what each request does to the model;
//! - [`sessions`]: sids, event queues (eid/ackId), the hooks into the model's change fan-out;
//! - [`tickets`]: `CWA-Ticket` issue, renewal and grace;
//! - [`render`]: the events, from the model at delivery time;
//! - [`availability`], [`errors`], [`xml`]: vocabulary, error shapes, reading and writing XML.

mod availability;
mod commands;
pub mod control;
mod errors;
mod render;
pub mod routes;
mod sessions;
mod tickets;
mod xml;

pub use sessions::CwaState;
