//! The UC AJAX Service API 2007 (Communicator Web Access 2007 / R2): XML `cwaRequests` on the
//! command channel, `cwaEvents` on the data channel, numeric availability, and the Enhanced
//! Presence categories `state`, `note` and `contactCard` (the fourth seed; /work/shared/CWA2007.md
//! in the repository's notes, README "CWA 2007 backend"). Pure Rust and sans-IO like the UCWA
//! half: the client (`client::cwa2007`) carries these values over HTTP and writes the store.
//!
//! XML is read by `roxmltree` (no hand-written XML reader); requests are written here with
//! every value escaped. Input is read tolerantly: both namespace spellings, unknown elements
//! skipped, every documented reply and error shape.

pub mod availability;
pub mod categories;
pub mod channel;
pub mod error;
pub mod events;
pub mod failure;
pub mod replies;
pub mod requests;
#[cfg(test)]
mod tests;
mod xml;

/// The AJAX API's namespace as the client sends it (`https://…` is accepted on input too).
pub const NS: &str = "http://schemas.microsoft.com/2006/09/rtc/cwa";
/// The sign-in ticket: sent on every request, read again from every response (bb969577).
pub const TICKET_HEADER: &str = "CWA-Ticket";
/// Forms-based logon (bb969609).
pub const FORMS_LOGON_PATH: &str = "/forms/logon.html";
/// Integrated Windows logon (Negotiate).
pub const IWA_LOGON_PATH: &str = "/iwa/logon.html";
/// The command channel (bb969571).
pub const COMMAND_PATH: &str = "/cwa/MainCommandHandler.ashx";
/// The data channel (bb969534).
pub const DATA_PATH: &str = "/cwa/AsyncDataChannel.ashx";

pub use availability::{from_value, to_value};
pub use categories::{
    CardPhone, Categories, ContactCard, Note, NoteBody, NoteKind, PhoneType, State, StateType,
};
pub use channel::DataChannel;
pub use error::{CwaError, XmlError};
pub use events::{
    parse_events, ContactEntry, EntryAction, Event, EventPage, GroupEntry, SearchUser,
};
pub use replies::{parse_replies, Reply};
pub use requests::{encode_logon, encode_requests, Request};
