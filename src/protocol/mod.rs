//! UCWA 2.0 protocol logic: resource types, links, events, state machines. No I/O, no web-sys.

pub mod availability;

pub use availability::{Availability, BadgeKind};
