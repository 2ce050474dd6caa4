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
    /// The note the person shows (contactNote / me/note), `None` when blank.
    pub note: Option<NoteView>,
    /// Where the person says they are (contactLocation / me/location), `None` when blank.
    pub location: Option<String>,
}

/// A note as the server aggregates it (contactNote_ref): the out-of-office note when one is set
/// in Exchange, else the personal note.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct NoteView {
    pub message: String,
    /// `type` was `OutOfOffice`: the badge shows its out-of-office variant.
    pub out_of_office: bool,
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
            note: None,
            location: None,
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
    pub company: Option<String>,
    pub office: Option<String>,
    /// Work, mobile and home numbers as the server gave them (`tel:+1…` or plain text), in
    /// that order, blanks left out.
    pub phones: Vec<Phone>,
    /// The absolute `contactPhoto` URL, when the server linked one.
    pub photo: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneKind {
    Work,
    Mobile,
    Home,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Phone {
    pub kind: PhoneKind,
    pub number: String,
}

impl From<&Contact> for PersonInfo {
    fn from(c: &Contact) -> Self {
        let nonempty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
        PersonInfo {
            name: nonempty(&c.name),
            title: nonempty(&c.title),
            department: nonempty(&c.department),
            email: c.email_addresses.first().cloned(),
            company: nonempty(&c.company),
            office: nonempty(&c.office),
            phones: [
                (PhoneKind::Work, &c.work_phone_number),
                (PhoneKind::Mobile, &c.mobile_phone_number),
                (PhoneKind::Home, &c.home_phone_number),
            ]
            .into_iter()
            .filter_map(|(kind, n)| nonempty(n).map(|number| Phone { kind, number }))
            .collect(),
            // Resolved against the contact's URL by the client, which knows it.
            photo: None,
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
    /// The absolute URL of my photo (`me` link `photo`), when the server linked one.
    pub photo: Option<String>,
    /// A personal note sent (blank: cleared) and not yet confirmed by the server's
    /// `note updated` event. My note itself is `presence.note`.
    pub note_pending: Option<String>,
    /// A location sent and not yet confirmed by `location updated`. Mine is `presence.location`.
    pub location_pending: Option<String>,
    /// The last note or location change that failed, in words.
    pub note_error: Option<String>,
}

/// Where a person's photo stands, for components that show one (loaded only when asked).
#[derive(Clone, Debug, PartialEq, Default)]
pub enum PhotoView {
    /// Not asked for yet, or being fetched: initials meanwhile.
    #[default]
    Pending,
    /// An `<img src>` for it: the photo URL itself (the XFrame way: the server's `cwt_ucwa`
    /// cookie authorises it) or an object URL of the bytes fetched with the token (CORS).
    Src(String),
    /// No photo (no link, 401/403/404, network, not an image): initials.
    Missing,
}

/// The resources of a person that are read again on resync, by the URLs the server named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    Presence,
    Note,
    Location,
}

impl Resource {
    pub const ALL: [Resource; 3] = [Resource::Presence, Resource::Note, Resource::Location];
}

struct Entry {
    presence: RwSignal<PresenceView>,
    info: RwSignal<PersonInfo>,
    photo: RwSignal<PhotoView>,
    /// The contact's contactPresence, contactNote and contactLocation URLs (by [`Resource`]),
    /// once the server named them (read again on resync).
    urls: [Option<String>; 3],
}

impl Entry {
    fn new() -> Self {
        Entry {
            presence: RwSignal::new(PresenceView::default()),
            info: RwSignal::new(PersonInfo::default()),
            photo: RwSignal::new(PhotoView::default()),
            urls: Default::default(),
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

    /// Remembers where one of a contact's resources is read (from events and contact
    /// resources).
    pub fn set_url(&self, uri: &str, resource: Resource, url: String) {
        self.people
            .borrow_mut()
            .get_or_insert_with(uri.to_owned(), Entry::new)
            .urls[resource as usize] = Some(url);
    }

    /// The URL the server named for this contact's `resource`, if any.
    pub fn url(&self, uri: &str, resource: Resource) -> Option<String> {
        self.people
            .borrow()
            .get(uri)
            .and_then(|e| e.urls[resource as usize].clone())
    }

    /// A person's photo state (see [`PhotoView`]).
    pub fn photo(&self, uri: &str) -> Reader<PhotoView> {
        Reader::of(
            self.people
                .borrow_mut()
                .get_or_insert_with(uri.to_owned(), Entry::new)
                .photo,
        )
    }

    /// Sets a person's photo state; returns whether it changed.
    pub fn set_photo(&self, uri: &str, photo: PhotoView) -> bool {
        Self::replace(self.photo(uri).0, photo)
    }

    /// The signals for a (normalised) SIP URI, created on first use.
    pub fn person(&self, uri: &str) -> PersonSignals {
        let (presence, info) = self.signals(uri);
        PersonSignals {
            presence: Reader::of(presence),
            info: Reader::of(info),
        }
    }

    /// Sets a person's availability, activity, device and last-active time (their note and
    /// location are kept: they come from their own resources); returns whether anything changed
    /// (and so re-rendered).
    pub fn set_presence(&self, uri: &str, mut view: PresenceView) -> bool {
        let (presence, _) = self.signals(uri);
        presence.with_untracked(|old| {
            view.note = old.note.clone();
            view.location = old.location.clone();
        });
        Self::replace(presence, view)
    }

    /// Sets a person's note (`None`: blank); returns whether it changed.
    pub fn set_note(&self, uri: &str, note: Option<NoteView>) -> bool {
        let (presence, _) = self.signals(uri);
        let mut view = presence.get_untracked();
        view.note = note;
        Self::replace(presence, view)
    }

    /// Sets a person's location (`None`: blank); returns whether it changed.
    pub fn set_location(&self, uri: &str, location: Option<String>) -> bool {
        let (presence, _) = self.signals(uri);
        let mut view = presence.get_untracked();
        view.location = location;
        Self::replace(presence, view)
    }

    /// Writes `value` only when it differs, so equal updates re-render nothing.
    fn replace<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) -> bool {
        if signal.with_untracked(|old| *old == value) {
            false
        } else {
            signal.set(value);
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

    pub fn set_my_presence(&self, mut view: PresenceView) {
        self.me.update(|me| {
            if let Some(pending) = me.pending {
                // The server's event confirms the change (or a reset): stop showing it as pending.
                if pending.is_none_or(|a| a == view.availability) {
                    me.pending = None;
                }
            }
            view.note = me.presence.note.take();
            view.location = me.presence.location.take();
            me.presence = view;
        });
    }

    /// My note as the server now has it (`note updated`, or read back): confirms a pending
    /// change.
    pub fn set_my_note(&self, note: Option<NoteView>) {
        self.me.update(|me| {
            me.note_pending = None;
            me.presence.note = note;
        });
    }

    /// My location as the server now has it: confirms a pending change.
    pub fn set_my_location(&self, location: Option<String>) {
        self.me.update(|me| {
            me.location_pending = None;
            me.presence.location = location;
        });
    }
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}
