//! The page's one session, whichever server API it speaks: UCWA 2.0 ([`Session`]) or the UC
//! AJAX Service API 2007 ([`cwa2007::Session`], feature `cwa2007`). Both write the same
//! [`Store`]; the components never learn which one they talk to (they call these methods
//! through [`SessionContext`](crate::ui::SessionContext)). An enum, not a trait object: the
//! bundle without CWA keeps one variant and every match folds away.

use std::rc::Rc;

use super::config::{BackendChoice, Config};
#[cfg(feature = "cwa2007")]
use super::cwa2007;
use super::session::Session;
use super::store::Store;
use crate::protocol::Availability;

#[derive(Clone)]
pub enum Backend {
    Ucwa(Rc<Session>),
    #[cfg(feature = "cwa2007")]
    Cwa2007(Rc<cwa2007::Session>),
}

/// Calls the same method on whichever session this is.
macro_rules! each {
    ($backend:expr, $s:ident => $call:expr) => {
        match $backend {
            Backend::Ucwa($s) => $call,
            #[cfg(feature = "cwa2007")]
            Backend::Cwa2007($s) => $call,
        }
    };
}

impl Backend {
    /// The session `config` asks for, not started.
    pub fn new(config: Config, page_origin: String, page_url: String) -> Backend {
        match &config.backend {
            BackendChoice::Ucwa => Backend::Ucwa(Session::new(config, page_origin, page_url)),
            #[cfg(feature = "cwa2007")]
            BackendChoice::Cwa2007 { .. } => {
                Backend::Cwa2007(cwa2007::Session::new(config, page_origin, page_url))
            }
        }
    }

    pub fn store(&self) -> &Store {
        each!(self, s => &s.store)
    }

    pub fn start(&self) {
        each!(self, s => s.start())
    }

    pub fn follow_page_lifecycle(&self) {
        each!(self, s => s.follow_page_lifecycle())
    }

    pub fn want(&self, uri: &str) {
        each!(self, s => s.want(uri))
    }

    pub fn unwant(&self, uri: &str) {
        each!(self, s => s.unwant(uri))
    }

    #[cfg(feature = "rich-display")]
    pub fn want_photo(&self, uri: &str) {
        each!(self, s => s.want_photo(uri))
    }

    #[cfg(feature = "contact-list")]
    pub fn show_contact_list(&self) {
        each!(self, s => s.show_contact_list())
    }

    pub fn set_availability(&self, choice: Option<Availability>) {
        each!(self, s => s.set_availability(choice))
    }

    pub fn set_note(&self, message: String) {
        each!(self, s => s.set_note(message))
    }

    pub fn set_location(&self, location: String) {
        each!(self, s => s.set_location(location))
    }

    pub fn retry(&self) {
        each!(self, s => s.retry())
    }

    pub fn submit_credentials(&self, username: String, password: String) {
        each!(self, s => s.submit_credentials(username, password))
    }
}

impl From<Rc<Session>> for Backend {
    fn from(session: Rc<Session>) -> Self {
        Backend::Ucwa(session)
    }
}

#[cfg(feature = "cwa2007")]
impl From<Rc<cwa2007::Session>> for Backend {
    fn from(session: Rc<cwa2007::Session>) -> Self {
        Backend::Cwa2007(session)
    }
}
