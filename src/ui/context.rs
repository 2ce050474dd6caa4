//! The session as the components see it, through Leptos context: what to show, as read-only
//! signals, and what the user may ask for (pick a status, sign in, try again).
//!
//! Each widget's mount provides it ([`SessionContext::provide`]) and components read it with
//! [`use_session`]. It is `Copy` (the session itself sits in the mount's reactive arena), so
//! event handlers and cleanups capture it freely; it dies with the mount.

use leptos::prelude::*;

#[cfg(feature = "contact-list")]
use crate::client::store::GroupView;
#[cfg(feature = "rich-display")]
use crate::client::store::PhotoView;
use crate::client::store::{Connection, MeView, PersonSignals, Reader};
use crate::client::Backend;
use crate::protocol::Availability;

#[derive(Clone, Copy)]
pub struct SessionContext {
    session: StoredValue<Backend, LocalStorage>,
    /// The session's state: anything but live means what is shown may be out of date.
    pub connection: Reader<Connection>,
    /// The signed-in user.
    pub me: Reader<MeView>,
    /// The user's contact list by group, `None` until loaded (see [`Self::show_contact_list`]).
    #[cfg(feature = "contact-list")]
    pub groups: Reader<Option<Vec<GroupView>>>,
}

impl SessionContext {
    /// Makes `session` the context of everything built in the current reactive owner (call it
    /// first thing in a mount's view function).
    pub fn provide(session: impl Into<Backend>) {
        let session: Backend = session.into();
        let store = session.store();
        let context = SessionContext {
            connection: Reader::of(store.connection),
            me: Reader::of(store.me),
            #[cfg(feature = "contact-list")]
            groups: Reader::of(store.groups),
            session: StoredValue::new_local(session),
        };
        provide_context(context);
    }

    /// Runs `f` with the session; nothing happens once the mount is gone (a late handler).
    fn with<R>(&self, f: impl FnOnce(&Backend) -> R) -> Option<R> {
        self.session.try_with_value(f)
    }

    /// The signals of one person, for a component being built (its mount, which holds the
    /// session, is alive then). Components use [`use_presence`](super::use_presence::use_presence),
    /// which also keeps the person subscribed.
    pub(crate) fn person(&self, uri: &str) -> PersonSignals {
        self.session.with_value(|s| s.store().person(uri))
    }

    /// The photo of `uri`, for a component that shows it now (an avatar, an open card): the
    /// session loads it once, on the first call.
    #[cfg(feature = "rich-display")]
    pub(crate) fn photo(&self, uri: &str) -> Reader<PhotoView> {
        self.session.with_value(|s| {
            s.want_photo(uri);
            s.store().photo(uri)
        })
    }

    /// A component shows `uri` (counted: the subscription keeps it while anyone does).
    pub(crate) fn want(&self, uri: &str) {
        self.with(|s| s.want(uri));
    }

    /// A component no longer shows `uri`.
    pub(crate) fn unwant(&self, uri: &str) {
        self.with(|s| s.unwant(uri));
    }

    /// A contact list is shown: the session loads [`Self::groups`] (once per application).
    #[cfg(feature = "contact-list")]
    pub fn show_contact_list(&self) {
        self.with(|s| s.show_contact_list());
    }

    /// The status menu's choice: an availability, or `None` to reset.
    pub fn set_availability(&self, choice: Option<Availability>) {
        self.with(|s| s.set_availability(choice));
    }

    /// The note editor's choice: my personal note (POST me/note; blank clears it).
    pub fn set_note(&self, message: String) {
        self.with(|s| s.set_note(message));
    }

    /// The location editor's choice (POST me/location; blank clears it).
    pub fn set_location(&self, location: String) {
        self.with(|s| s.set_location(location));
    }

    /// "Try again" after the session gave up.
    pub fn retry(&self) {
        self.with(|s| s.retry());
    }

    /// The sign-in form was submitted.
    pub fn sign_in(&self, username: String, password: String) {
        self.with(|s| s.submit_credentials(username, password));
    }
}

/// The session of the widget being built. Every mount provides one (embed.rs); a component
/// built outside a mount is a programming error.
pub fn use_session() -> SessionContext {
    expect_context()
}
