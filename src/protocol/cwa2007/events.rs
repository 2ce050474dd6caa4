//! The data channel's `<cwaEvents sid pollWaitTime ackId sessionTimeout>` (bb969533) and the
//! events in it (bb969465, bb969617, bb969480, bb969494, bb969622, bb969574).

use roxmltree::Node;

use super::categories::{read_categories, Categories};
use super::error::{error_in, CwaError, XmlError};
use super::xml::{attr, attr_any, attr_bool, attr_num, child_text, elements, is, name_of};
use super::xml::{non_empty, number, parse};

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
        match self {
            Event::UserPresence { eid, .. }
            | Event::SelfPresence { eid, .. }
            | Event::ContactGroup { eid, .. }
            | Event::RequestSucceeded { eid, .. }
            | Event::RequestFailed { eid, .. }
            | Event::SearchResult { eid, .. }
            | Event::Error { eid, .. }
            | Event::Other { eid, .. } => *eid,
        }
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
    let doc = parse(xml)?;
    let root = doc.root_element();
    if !is(root, "cwaEvents") {
        return Err(XmlError(format!(
            "the root is <{}>, not <cwaEvents>",
            name_of(root)
        )));
    }
    let mut events = Vec::new();
    for node in elements(root) {
        read_event(node, &mut events);
    }
    Ok(EventPage {
        sid: attr(root, "sid").map(|s| s.trim().to_string()),
        ack_id: attr_num(root, "ackId"),
        poll_wait_ms: attr_num(root, "pollWaitTime"),
        session_timeout_secs: attr_any(root, &["sessionTimeout", "sesionTimeout"]).and_then(number),
        events,
    })
}

/// One child of `cwaEvents`; a `userPresence` naming several users gives one event each.
fn read_event(node: Node<'_, '_>, out: &mut Vec<Event>) {
    let eid = attr_num(node, "eid");
    let rid = || attr_num(node, "rid");
    let name = name_of(node);
    let event = match name.to_ascii_lowercase().as_str() {
        "userpresence" => {
            let before = out.len();
            for user in elements(node).filter(|n| is(*n, "user")) {
                let Some(uri) = attr(user, "uri").map(str::trim).filter(|u| !u.is_empty()) else {
                    continue;
                };
                out.push(Event::UserPresence {
                    eid,
                    uri: uri.to_string(),
                    source_network: attr(user, "sourceNetwork").map(|s| s.trim().to_string()),
                    categories: read_categories(user),
                });
            }
            if out.len() > before {
                return;
            }
            Event::Other {
                eid,
                name: name.to_string(),
            }
        }
        "selfpresence" => {
            // The categories sit in the event itself; a `user` wrapper is read too.
            let mut categories = read_categories(node);
            for user in elements(node).filter(|n| is(*n, "user")) {
                let more = read_categories(user);
                categories.states.extend(more.states);
                categories.note = categories.note.or(more.note);
                categories.card = categories.card.or(more.card);
            }
            Event::SelfPresence { eid, categories }
        }
        "contactgroup" => Event::ContactGroup {
            eid,
            full_list: attr_bool(node, "fullList").unwrap_or(false),
            groups: elements(node)
                .filter(|n| is(*n, "group"))
                .filter_map(read_group)
                .collect(),
            contacts: elements(node)
                .filter(|n| is(*n, "contact"))
                .filter_map(read_contact)
                .collect(),
        },
        "requestsucceeded" => Event::RequestSucceeded { eid, rid: rid() },
        "requestfailed" => Event::RequestFailed {
            eid,
            rid: rid(),
            error: error_in(node),
        },
        "searchresult" => Event::SearchResult {
            eid,
            rid: rid(),
            more_available: attr_bool(node, "moreAvailable").unwrap_or(false),
            users: node
                .descendants()
                .skip(1)
                .filter_map(read_search_user)
                .collect(),
        },
        "error" | "exception" => Event::Error {
            eid,
            error: error_in(node),
        },
        _ => Event::Other {
            eid,
            name: name.to_string(),
        },
    };
    out.push(event);
}

fn action(node: Node<'_, '_>) -> EntryAction {
    match attr(node, "action").map(str::trim) {
        Some(a) if a.eq_ignore_ascii_case("updated") => EntryAction::Updated,
        Some(a) if a.eq_ignore_ascii_case("deleted") => EntryAction::Deleted,
        _ => EntryAction::Added,
    }
}

fn read_group(node: Node<'_, '_>) -> Option<GroupEntry> {
    let id = attr(node, "id")?.trim();
    (!id.is_empty()).then(|| GroupEntry {
        id: id.to_string(),
        name: attr(node, "name").unwrap_or("").trim().to_string(),
        action: action(node),
    })
}

fn read_contact(node: Node<'_, '_>) -> Option<ContactEntry> {
    let uri = attr(node, "uri")?.trim();
    (!uri.is_empty()).then(|| ContactEntry {
        uri: uri.to_string(),
        name: attr(node, "name")
            .map(|n| n.trim().to_string())
            .and_then(non_empty),
        subscribed: attr_bool(node, "subscribed").unwrap_or(false),
        groups: attr(node, "groups")
            .unwrap_or("")
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        tag: attr(node, "tag").map(|t| t.trim().to_string()),
        action: action(node),
    })
}

/// A search result entry: any element with a `uri` attribute (bb969574 names it `contact`;
/// its display name and email as attributes or children).
fn read_search_user(node: Node<'_, '_>) -> Option<SearchUser> {
    if !node.is_element() {
        return None;
    }
    let uri = attr(node, "uri")?.trim();
    if uri.is_empty() {
        return None;
    }
    let field = |names: &[&str]| {
        attr_any(node, names)
            .map(|v| v.trim().to_string())
            .or_else(|| names.iter().find_map(|n| child_text(node, n)))
            .and_then(non_empty)
    };
    Some(SearchUser {
        uri: uri.to_string(),
        display_name: field(&["displayName", "name"]),
        email: field(&["email", "emailAlias"]),
    })
}
