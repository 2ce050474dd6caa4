//! The page's one session, reachable from components and event handlers (which must not
//! capture it: views hold only `Copy` signals).

use std::cell::RefCell;
use std::rc::Rc;

use super::session::Session;

thread_local! {
    static SESSION: RefCell<Option<Rc<Session>>> = const { RefCell::new(None) };
}

pub fn install(session: Rc<Session>) {
    SESSION.with(|s| *s.borrow_mut() = Some(session));
}

pub fn current() -> Option<Rc<Session>> {
    SESSION.with(|s| s.borrow().clone())
}

/// Runs `f` with the session, if there is one.
pub fn with<R>(f: impl FnOnce(&Rc<Session>) -> R) -> Option<R> {
    current().map(|s| f(&s))
}
