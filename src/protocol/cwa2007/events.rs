//! The data channel's `<cwaEvents sid pollWaitTime ackId sessionTimeout>` (bb969533) and the
//! events in it (bb969465, bb969617, bb969480, bb969494, bb969622, bb969574).

use super::categories::Categories;
use super::error::{CwaError, XmlError};

/// One reply of the data channel.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct EventPage {
    pub sid: Option<String>,
    /// The last event id of this reply (the client sends it back as `AckId`).
    pub ack_id: Option<u64>,
    /// Milliseconds to wait before the next GET.
    pub poll_wait_ms: Option<u32>,
    /// `sessionTimeout` (the page spells it `sesionTimeout` once: both are read), in seconds.
    pub session_timeout_secs: Option<u32>,
    pub events: Vec<Event>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// A watched user's categories (a snapshot). No category at all: the server cannot tell.
    UserPresence {
        eid: Option<u64>,
        uri: String,
        source_network: Option<String>,
        categories: Categories,
    },
    /// The signed-in user's own categories (at logon and on every change).
    SelfPresence {
        eid: Option<u64>,
        categories: Categories,
    },
    /// The contact list, whole (`fullList="true"`, the first after logon) or as changes.
    ContactGroup {
        eid: Option<u64>,
        full_list: bool,
        groups: Vec<GroupEntry>,
        contacts: Vec<ContactEntry>,
    },
    RequestSucceeded {
        eid: Option<u64>,
        rid: Option<u32>,
    },
    RequestFailed {
        eid: Option<u64>,
        rid: Option<u32>,
        error: CwaError,
    },
    SearchResult {
        eid: Option<u64>,
        rid: Option<u32>,
        more_available: bool,
        users: Vec<SearchUser>,
    },
    /// A bare `<error>` or `<exception>` in the envelope (e.g. 18100 for an ended session).
    Error {
        eid: Option<u64>,
        error: CwaError,
    },
    /// Any other event (`subscribers`, `presenceSubscriptionState`, `configuration`, …), or one
    /// this version cannot read (a `userPresence` without a `user uri`): skipped by the client.
    Other {
        eid: Option<u64>,
        name: String,
    },
}

impl Event {
    pub fn eid(&self) -> Option<u64> {
        todo!()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryAction {
    /// `added`, or no `action` (a full list).
    Added,
    Updated,
    Deleted,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GroupEntry {
    pub id: String,
    pub name: String,
    pub action: EntryAction,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ContactEntry {
    pub uri: String,
    pub name: Option<String>,
    pub subscribed: bool,
    /// The group ids (`groups="1 2"`).
    pub groups: Vec<String>,
    pub tag: Option<String>,
    pub action: EntryAction,
}

/// A `searchResult` user (users found have no presence: bb969574).
#[derive(Clone, Debug, PartialEq)]
pub struct SearchUser {
    pub uri: String,
    pub display_name: Option<String>,
    pub email: Option<String>,
}

/// Reads a data channel reply. Not XML, or a root other than `cwaEvents` → error; inside it,
/// anything unknown or unreadable becomes [`Event::Other`].
pub fn parse_events(xml: &str) -> Result<EventPage, XmlError> {
    todo!("{xml}")
}
