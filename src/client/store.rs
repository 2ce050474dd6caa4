//! The reactive presence store: one signal per contact, so an event re-renders one badge.
//!
//! Only the session writes here; components only read: they see the store as [`Reader`]s,
//! through the session context (`ui::SessionContext`). A value is written only when it
//! changed, so duplicate events never cause a re-render.

use crate::sorted::SortedMap;
use std::cell::RefCell;

use leptos::prelude::*;

use crate::protocol::resources::{Contact, ContactPresence};
use crate::protocol::Availability;

/// What a badge shows for one person.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PresenceView {
    pub availability: Availability,
    /// Localised activity text or token ("In a meeting", "in-a-meeting").
    pub activity: Option<String>,
    pub device_type: Option<String>,
    /// Milliseconds since the epoch.
    pub last_active: Option<i64>,
    /// False until the server has told us anything about this person.
    pub known: bool,
}

impl PresenceView {
    /// Shown as "last known" rather than live: the server told us something, and the event
    /// channel is not up now.
    pub fn is_stale(&self, connection: &Connection) -> bool {
        self.known && *connection != Connection::Live
    }
}

impl From<&ContactPresence> for PresenceView {
    fn from(p: &ContactPresence) -> Self {
        PresenceView {
            availability: p.availability,
            activity: p.activity.clone().filter(|a| !a.trim().is_empty()),
            device_type: p.device_type.clone(),
            last_active: p.last_active,
            known: true,
        }
    }
}

/// The person behind a SIP URI, as far as the directory told us.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PersonInfo {
    pub name: Option<String>,
    pub title: Option<String>,
    pub department: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl From<&Contact> for PersonInfo {
    fn from(c: &Contact) -> Self {
        let nonempty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
        PersonInfo {
            name: nonempty(&c.name),
            title: nonempty(&c.title),
            department: nonempty(&c.department),
            email: c.email_addresses.first().cloned(),
            phone: nonempty(&c.work_phone_number),
        }
    }
}

/// The state of the session as the user should understand it.
#[derive(Clone, Debug, PartialEq)]
pub enum Connection {
    /// Discovering the server, signing in, creating the application.
    Connecting,
    /// Waiting for the user to sign in (the form is shown).
    SignInRequired { error: Option<String> },
    /// The event channel is up: what is shown is live.
    Live,
    /// The event channel is down; presence shown is the last known. `reason` is a sentence
    /// for the user.
    Reconnecting { reason: String },
    /// Given up (configuration error, server refused us for good). Shown to the user.
    Stopped { reason: String },
}

/// The signed-in user.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct MeView {
    pub uri: Option<String>,
    pub name: Option<String>,
    pub presence: PresenceView,
    /// A status change sent and not yet confirmed by the server's event.
    pub pending: Option<Option<Availability>>,
    /// The last status change that failed, in words.
    pub error: Option<String>,
}

struct Entry {
    presence: RwSignal<PresenceView>,
    info: RwSignal<PersonInfo>,
    /// The contact's contactPresence URL, once the server named it (read again on resync).
    presence_url: Option<String>,
}

impl Entry {
    fn new() -> Self {
        Entry {
            presence: RwSignal::new(PresenceView::default()),
            info: RwSignal::new(PersonInfo::default()),
            presence_url: None,
        }
    }
}

/// Signals for everything the components show.
pub struct Store {
    people: RefCell<SortedMap<String, Entry>>,
    pub connection: RwSignal<Connection>,
    pub me: RwSignal<MeView>,
    /// Groups of the user's contact list (`<ucwa-contacts>`), `None` until loaded.
    pub groups: RwSignal<Option<Vec<GroupView>>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GroupView {
    pub name: String,
    pub members: Vec<String>,
}

/// The signals of one person, cheap to copy into components, which can only read them.
#[derive(Clone, Copy)]
pub struct PersonSignals {
    pub presence: Reader<PresenceView>,
    pub info: Reader<PersonInfo>,
}

/// A store signal seen from a component: readable (and tracked), never writable. A thin wrapper
/// over the store's own `RwSignal` rather than a `ReadSignal`, so each value type is compiled
/// once (bundle size).
pub struct Reader<T: 'static>(RwSignal<T>);

impl<T> Clone for Reader<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Reader<T> {}

impl<T: Send + Sync + 'static> Reader<T> {
    /// The read half of one of the store's signals.
    pub(crate) fn of(signal: RwSignal<T>) -> Self {
        Reader(signal)
    }

    /// Reads the value, subscribing the running effect to it.
    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.0.with(f)
    }

    /// Reads a copy of the value, subscribing the running effect to it.
    pub fn get(&self) -> T
    where
        T: Clone,
    {
        self.0.get()
    }

    /// Reads a copy of the value without subscribing.
    pub fn get_untracked(&self) -> T
    where
        T: Clone,
    {
        self.0.get_untracked()
    }
}

impl Store {
    pub fn new() -> Self {
        Store {
            people: RefCell::new(SortedMap::new()),
            connection: RwSignal::new(Connection::Connecting),
            me: RwSignal::new(MeView::default()),
            groups: RwSignal::new(None),
        }
    }

    /// The signals for `uri`, created on first use.
    fn signals(&self, uri: &str) -> (RwSignal<PresenceView>, RwSignal<PersonInfo>) {
        let mut people = self.people.borrow_mut();
        let entry = people.get_or_insert_with(uri.to_owned(), Entry::new);
        (entry.presence, entry.info)
    }

    /// Remembers where a contact's presence is read (from events and contact resources).
    pub fn set_presence_url(&self, uri: &str, url: String) {
        self.people
            .borrow_mut()
            .get_or_insert_with(uri.to_owned(), Entry::new)
            .presence_url = Some(url);
    }

    /// The contactPresence URL the server named for this contact, if any.
    pub fn presence_url(&self, uri: &str) -> Option<String> {
        self.people
            .borrow()
            .get(uri)
            .and_then(|e| e.presence_url.clone())
    }

    /// The signals for a (normalised) SIP URI, created on first use.
    pub fn person(&self, uri: &str) -> PersonSignals {
        let (presence, info) = self.signals(uri);
        PersonSignals {
            presence: Reader::of(presence),
            info: Reader::of(info),
        }
    }

    /// Sets a person's presence; returns whether anything changed (and so re-rendered).
    pub fn set_presence(&self, uri: &str, view: PresenceView) -> bool {
        let (presence, _) = self.signals(uri);
        if presence.with_untracked(|p| *p == view) {
            false
        } else {
            presence.set(view);
            true
        }
    }

    pub fn set_info(&self, uri: &str, info: PersonInfo) {
        let (_, signal) = self.signals(uri);
        if signal.with_untracked(|i| *i != info) {
            signal.set(info);
        }
    }

    pub fn set_connection(&self, c: Connection) {
        if self.connection.with_untracked(|old| *old != c) {
            self.connection.set(c);
        }
    }

    pub fn set_my_presence(&self, view: PresenceView) {
        self.me.update(|me| {
            if let Some(pending) = me.pending {
                // The server's event confirms the change (or a reset): stop showing it as pending.
                if pending.is_none_or(|a| a == view.availability) {
                    me.pending = None;
                }
            }
            me.presence = view;
        });
    }
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}
