//! My note and location (note_ref, location_ref).
//!
//! PLACEHOLDER for the parallel work on #11: the client slice replaces these bodies with the
//! real POSTs. They only report that the change is not possible yet.

use leptos::prelude::*;
use std::rc::Rc;

use super::session::Session;

impl Session {
    /// POST me/note `{"message":…}`; blank clears it.
    pub fn set_note(self: &Rc<Self>, _message: String) {
        self.store
            .me
            .update(|m| m.note_error = Some("Not implemented yet.".into()));
    }

    /// POST me/location `{"location":…}`; blank clears it.
    pub fn set_location(self: &Rc<Self>, _location: String) {
        self.store
            .me
            .update(|m| m.note_error = Some("Not implemented yet.".into()));
    }

    /// A component shows `uri`'s photo: load it once (sets the store's `PhotoView`).
    pub fn want_photo(self: &Rc<Self>, uri: &str) {
        self.store.set_photo(uri, super::store::PhotoView::Missing);
    }
}
