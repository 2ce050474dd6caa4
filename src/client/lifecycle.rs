//! The page's life cycle: leaving for good ends the session; entering the back/forward cache
//! suspends it and coming back from there resumes it.
//!
//! `pagehide` with `persisted` false: the application is DELETEd (`keepalive`) and the session
//! stops for good. With `persisted` true the page may come back, frozen as it was: the
//! application is DELETEd all the same (a frozen page cannot keep its event channel), the tasks
//! of that application stop, nothing new starts, and the badges show "last known". On
//! `pageshow` with `persisted` true the run loop goes on: a new application, the subscriptions
//! made again, live once its event channel answers.
//!
//! Chromium keeps a page in the cache only if nothing blocks it: no `unload` handler, no
//! `Cache-Control: no-store` on the page, and no request in flight when it is hidden (the pending
//! event GET is aborted here for that reason; the `keepalive` DELETE does not count).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;
use std::task::{Poll, Waker};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::recovery::show_stale_if_live;
use super::session::Session;

/// Whether the page sits in the back/forward cache, and the run loop waiting for it to return.
#[derive(Default)]
pub(crate) struct Lifecycle {
    suspended: Cell<bool>,
    /// Wakes the run loop waiting in `until_resumed`.
    resumed: RefCell<Option<Waker>>,
}

impl Lifecycle {
    /// The page entered the back/forward cache; false when it was in it already.
    pub(crate) fn enter_cache(&self) -> bool {
        !self.suspended.replace(true)
    }

    /// The page is back from the cache: the run loop waiting in [`until_resumed`] goes on;
    /// false when it was not in the cache.
    ///
    /// [`until_resumed`]: Self::until_resumed
    pub(crate) fn leave_cache(&self) -> bool {
        if !self.suspended.replace(false) {
            return false;
        }
        if let Some(run_loop) = self.resumed.take() {
            run_loop.wake();
        }
        true
    }

    /// Returns at once, or, while the page is in the back/forward cache, when it comes back. A
    /// run loop waits here before it connects, so a hidden page starts no request.
    /// (A plain future, not an `async fn`: no state machine of its own in the run loop's.)
    pub(crate) fn until_resumed(&self) -> impl Future<Output = ()> + '_ {
        std::future::poll_fn(|cx| {
            if self.suspended.get() {
                self.resumed.replace(Some(cx.waker().clone()));
                Poll::Pending
            } else {
                Poll::Ready(())
            }
        })
    }
}

/// What a session does on the page's transitions (the back/forward cache, leaving).
pub(crate) trait PageTransitions {
    /// `pagehide`, persisted: into the back/forward cache.
    fn enter_cache(&self);
    /// `pageshow`, persisted: back from it.
    fn leave_cache(&self);
    /// `pagehide`, not persisted: the page leaves for good.
    fn leave_page(&self);
}

/// Calls `session` for every `pagehide` and `pageshow` that asks something, as long as the
/// page lives.
pub(crate) fn follow_transitions<S: PageTransitions + 'static>(session: Rc<S>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_transition =
        Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            match (event.type_() == "pageshow", persisted(&event)) {
                (true, true) => session.leave_cache(),
                (true, false) => {}
                (false, true) => session.enter_cache(),
                (false, false) => session.leave_page(),
            }
        });
    for name in ["pagehide", "pageshow"] {
        let _ =
            window.add_event_listener_with_callback(name, on_transition.as_ref().unchecked_ref());
    }
    on_transition.forget();
}

impl PageTransitions for Session {
    fn enter_cache(&self) {
        self.suspend()
    }
    fn leave_cache(&self) {
        self.resume()
    }
    fn leave_page(&self) {
        self.exit()
    }
}

impl Session {
    /// Follows `pagehide` and `pageshow` for as long as the page lives.
    pub fn follow_page_lifecycle(self: &Rc<Self>) {
        follow_transitions(Rc::clone(self));
    }

    /// The page enters the back/forward cache: DELETE the application, stop its tasks (the
    /// pending event GET is aborted), and show what is on the page as last known.
    pub fn suspend(&self) {
        if !self.lifecycle.enter_cache() {
            return;
        }
        let app = self.app.take();
        self.end_generation();
        self.subs.borrow_mut().reset_all();
        if let Some(app) = app {
            self.http.delete_keepalive(&app.app);
        }
        show_stale_if_live(&self.store);
    }

    /// The page is back from the back/forward cache: the run loop creates a new application.
    pub fn resume(&self) {
        self.lifecycle.leave_cache();
    }

    /// See [`Lifecycle::until_resumed`].
    pub(crate) fn until_resumed(&self) -> impl Future<Output = ()> + '_ {
        self.lifecycle.until_resumed()
    }
}

/// `PageTransitionEvent.persisted`: whether the page may be restored from the cache.
fn persisted(event: &web_sys::Event) -> bool {
    js_sys::Reflect::get(event, &JsValue::from_str("persisted")).is_ok_and(|v| v.is_truthy())
}
