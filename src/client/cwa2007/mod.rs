//! The UC AJAX Service API 2007 backend (Communicator Web Access): sign-in with a `CWA-Ticket`,
//! one CWA session, the data channel polled at the server's `pollWaitTime`, presence published
//! and subscribed, all written to the same [`Store`] the UCWA backend writes.
//!
//! PLACEHOLDER (the client slice replaces this file's bodies): the public surface below is the
//! contract [`Backend`](super::backend::Backend) forwards to.

use std::rc::Rc;

use super::config::Config;
use super::store::{Connection, Store};
use crate::protocol::Availability;

pub struct Session {
    pub(crate) config: Config,
    pub store: Store,
}

impl Session {
    pub fn new(config: Config, page_origin: String, page_url: String) -> Rc<Session> {
        let _ = (page_origin, page_url);
        Rc::new(Session {
            config,
            store: Store::new(),
        })
    }

    pub fn start(self: &Rc<Self>) {
        let _ = &self.config;
        self.store.set_connection(Connection::Stopped {
            reason: "the CWA 2007 backend is not built yet".into(),
        });
    }

    pub fn stop(&self) {}

    pub fn exit(&self) {}

    pub fn retry(self: &Rc<Self>) {}

    pub fn follow_page_lifecycle(self: &Rc<Self>) {}

    pub fn want(self: &Rc<Self>, uri: &str) {
        let _ = uri;
    }

    pub fn unwant(self: &Rc<Self>, uri: &str) {
        let _ = uri;
    }

    pub fn set_availability(self: &Rc<Self>, choice: Option<Availability>) {
        let _ = choice;
    }

    pub fn set_note(self: &Rc<Self>, message: String) {
        let _ = message;
    }

    pub fn set_location(self: &Rc<Self>, location: String) {
        let _ = location;
    }

    pub fn submit_credentials(&self, username: String, password: String) {
        let _ = (username, password);
    }

    #[cfg(feature = "contact-list")]
    pub fn show_contact_list(self: &Rc<Self>) {}

    #[cfg(feature = "rich-display")]
    pub fn want_photo(self: &Rc<Self>, uri: &str) {
        let _ = uri;
    }
}
