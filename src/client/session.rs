//! One UCWA session per page: sign-in, the application, and its recovery. Every element on the
//! page shares it (one application, one event channel).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;

use wasm_bindgen_futures::spawn_local;

use super::config::Config;
use super::http::Http;
use super::links::AppLinks;
use super::store::{Connection, Store};
use super::timer::{jitter, sleep};
use crate::protocol::subscription::Subscriptions;

/// Why a connected session ended.
pub(crate) enum Outcome {
    /// The application is gone (404 ApplicationNotFound, or expired): create it again.
    RecreateApplication,
    /// The token was refused (401): get a new one, then create the application again.
    Reauthenticate,
    /// Give up and tell the user.
    Stop(String),
}

pub struct Session {
    pub(crate) config: Config,
    pub(crate) http: Http,
    pub store: Store,
    /// Links of the current application (None while connecting).
    pub(crate) app: RefCell<Option<AppLinks>>,
    pub(crate) subs: RefCell<Subscriptions>,
    /// Bumped whenever the application is (re)created: tasks of an older one stop.
    pub(crate) generation: Cell<u32>,
    pub(crate) sync_scheduled: Cell<bool>,
    /// Set by `stop`: the run loop ends and no new request starts.
    pub(crate) stopped: Cell<bool>,
    /// Credentials typed into the sign-in form, taken by the sign-in task.
    pub(crate) credentials: RefCell<Option<futures_channel::oneshot::Sender<(String, String)>>>,
    /// Whether a `<ucwa-contacts>` element wants the contact list.
    pub(crate) contact_list_shown: Cell<bool>,
    /// Aborts the pending GET on the event channel (to recreate the application at once).
    pub(crate) pget_abort: RefCell<Option<web_sys::AbortController>>,
    pub(crate) endpoint_id: String,
    pub(crate) instance_id: String,
    /// Suspended while the page is in the back/forward cache (lifecycle.rs).
    pub(crate) lifecycle: super::lifecycle::Lifecycle,
}

impl Session {
    pub fn new(config: Config, page_origin: String, page_url: String) -> Rc<Session> {
        let minutes = config.subscription_minutes;
        Rc::new(Session {
            config,
            http: Http::new(page_origin, page_url),
            store: Store::new(),
            app: RefCell::new(None),
            subs: RefCell::new(Subscriptions::new(100, minutes)),
            generation: Cell::new(0),
            sync_scheduled: Cell::new(false),
            stopped: Cell::new(false),
            credentials: RefCell::new(None),
            contact_list_shown: Cell::new(false),
            pget_abort: RefCell::new(None),
            endpoint_id: super::identity::endpoint_id(),
            instance_id: super::identity::random_id(),
            lifecycle: Default::default(),
        })
    }

    /// Starts the session's life cycle in the background.
    pub fn start(self: &Rc<Self>) {
        let this = Rc::clone(self);
        spawn_local(async move { this.run().await });
    }

    /// Ends the session: its tasks stop and the pending event request is aborted.
    pub fn stop(&self) {
        self.stopped.set(true);
        self.end_generation();
    }

    /// Ends the tasks of the current generation and aborts the pending event request, so the
    /// event loop notices at once rather than when its GET returns.
    pub(crate) fn end_generation(&self) {
        self.generation.set(self.generation.get().wrapping_add(1));
        if let Some(abort) = self.pget_abort.borrow_mut().take() {
            abort.abort();
        }
    }

    /// The page is going away: stop, and DELETE the application as clients should on exit
    /// (ApplicationDashboard), so the server need not wait for it to idle out.
    pub fn exit(&self) {
        let app = self.app.borrow().as_ref().map(|a| a.app.clone());
        self.stop();
        if let Some(url) = app {
            self.http.delete_keepalive(&url);
        }
    }

    async fn run(self: Rc<Self>) {
        let mut failures: u32 = 0;
        while !self.stopped.get() {
            self.until_resumed().await;
            if !self.store.connection.with_untracked(|c| matches!(c, Connection::Reconnecting { .. })) {
                self.store.set_connection(Connection::Connecting);
            }
            match self.connect().await {
                Ok(()) => failures = 0,
                Err(Outcome::Stop(reason)) => return self.give_up(reason),
                Err(Outcome::Reauthenticate) => {
                    self.http.set_authorization(None);
                    continue;
                }
                Err(Outcome::RecreateApplication) => {
                    failures += 1;
                    if failures >= 2 {
                        // A browser reports a refused cross-origin request exactly like a server
                        // that is down, so name both causes.
                        let host = crate::protocol::url::origin_of(&self.config.autodiscover).unwrap_or_default();
                        let reason = format!(
                            "Cannot reach the Skype for Business server at {host}; retrying. If it is running, it may not allow this page's origin ({}) in its cross-domain authorization list.",
                            self.http.page_origin()
                        );
                        self.store.set_connection(Connection::Reconnecting { reason });
                    }
                    sleep(backoff_ms(failures)).await;
                    continue;
                }
            }
            self.after_connect();
            match self.event_loop().await {
                Outcome::RecreateApplication => {
                    self.drop_application();
                }
                Outcome::Reauthenticate => {
                    self.drop_application();
                    self.http.set_authorization(None);
                }
                Outcome::Stop(reason) => {
                    self.drop_application();
                    return self.give_up(reason);
                }
            }
        }
    }

    /// Stops trying and tells the user why (in the status element and the console).
    fn give_up(&self, reason: String) {
        web_sys::console::error_1(&format!("ucwa-presence: {reason}").into());
        self.store.set_connection(Connection::Stopped { reason });
    }

    /// "Try again" after the session gave up: starts over from autodiscovery.
    pub fn retry(self: &Rc<Self>) {
        if !self.stopped.get() && self.store.connection.with_untracked(|c| matches!(c, Connection::Stopped { .. })) {
            self.store.set_connection(Connection::Connecting);
            self.start();
        }
    }

    /// Forgets the current application: its tasks stop, subscriptions must be made again.
    fn drop_application(&self) {
        self.generation.set(self.generation.get().wrapping_add(1));
        self.app.replace(None);
        self.subs.borrow_mut().reset_all();
    }

    /// After the application exists: subscribe to everything wanted, keep the user active.
    fn after_connect(self: &Rc<Self>) {
        self.schedule_sync();
        self.spawn_activity_reports();
        self.refresh_my_presence();
        self.load_contact_list_if_shown();
    }

    /// Whether the tasks of `generation` should keep going.
    pub(crate) fn is_current(&self, generation: u32) -> bool {
        !self.stopped.get() && self.generation.get() == generation && self.app.borrow().is_some()
    }

    /// A page element wants this contact's presence (ref-counted).
    pub fn want(self: &Rc<Self>, uri: &str) {
        self.subs.borrow_mut().want(uri);
        self.schedule_sync();
    }

    /// A page element no longer shows this contact.
    pub fn unwant(self: &Rc<Self>, uri: &str) {
        self.subs.borrow_mut().unwant(uri);
        self.schedule_sync();
    }

    /// Runs one subscription sync after the current burst of page changes (one task turn), so
    /// fifty badges added at once make one subscription request, not fifty.
    pub(crate) fn schedule_sync(self: &Rc<Self>) {
        if self.sync_scheduled.replace(true) {
            return;
        }
        let this = Rc::clone(self);
        spawn_local(async move {
            this.sync_scheduled.set(false);
            this.sync_subscriptions();
        });
    }

    /// Called by the sign-in form.
    pub fn submit_credentials(&self, username: String, password: String) {
        if let Some(tx) = self.credentials.borrow_mut().take() {
            let _ = tx.send((username, password));
        }
    }
}

/// Exponential backoff with full jitter (the event channel's policy), for this attempt.
pub(crate) fn backoff_ms(attempt: u32) -> u32 {
    crate::protocol::channel::backoff_ms(attempt, jitter())
}
