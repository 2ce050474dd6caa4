//! The UC AJAX Service API 2007 backend (Communicator Web Access): sign-in with a `CWA-Ticket`,
//! one CWA session, the data channel polled at the server's `pollWaitTime`, presence published
//! and subscribed, all written to the same [`Store`] the UCWA backend writes.
//!
//! What to do about a failure is decided by
//! [`cwa2007::failure::decide`](crate::protocol::cwa2007::failure::decide) and paced by the one
//! [`Backoff`]; this module carries it out. A lost session (18100) is followed by a new
//! `initiateSession` with the same ticket and everything restored: the wanted contacts
//! subscribed again, the contact list read again from the new `contactGroup`, pending own
//! changes sent again.

mod activity;
mod apply;
mod http;
mod poll;
mod publish;
mod signin;
mod subscribe;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use super::config::{BackendChoice, Config};
use super::lifecycle::{follow_transitions, Lifecycle, PageTransitions};
use super::recovery::{give_up, may_try_again, show_stale_if_live, Network};
use super::session::Outcome;
use super::signin::SignInForm;
use super::store::{Connection, Store};
use super::timer::within;
use crate::protocol::cwa2007::failure::{decide, CwaFailure, CwaStep};
use crate::protocol::cwa2007::requests::{Request, INITIAL_AVAILABILITY};
use crate::protocol::cwa2007::{encode_requests, DataChannel, Reply, COMMAND_PATH};
use crate::protocol::failure::{Action, Backoff, Step};
use http::CwaHttp;
use publish::Own;
use subscribe::Watched;

/// A failed step and what the policy says to do about it.
pub(crate) type Failed = (CwaStep, Action);

/// The policy's action for `failure` of `step`.
pub(crate) fn failed(step: CwaStep, failure: CwaFailure) -> Failed {
    (step, decide(step, &failure))
}

/// The backoff's step for a CWA step (the limits the one policy applies: repeated refused
/// sign-ins stop, a dead data channel means a new session).
pub(crate) fn step_of(step: CwaStep) -> Step {
    match step {
        CwaStep::Logon => Step::Token,
        CwaStep::InitiateSession => Step::CreateApplication,
        CwaStep::Poll => Step::EventsGet,
        CwaStep::Publish => Step::SetPresence,
        CwaStep::Subscribe => Step::Subscribe,
    }
}

pub struct Session {
    pub(crate) config: Config,
    pub store: Store,
    pub(crate) http: CwaHttp,
    /// The CWA session (sid, next rid, ackId, pollWaitTime); `None` while there is none.
    pub(crate) channel: RefCell<Option<DataChannel>>,
    /// Bumped whenever the CWA session ends: tasks of an older one stop.
    pub(crate) generation: Cell<u32>,
    /// Set by `stop`: the run loop ends and no new request starts.
    pub(crate) stopped: Cell<bool>,
    /// A command was answered with 18100: the run loop starts a new session.
    pub(crate) session_lost: Cell<bool>,
    /// A command was refused with 401: the run loop signs in again.
    pub(crate) sign_in_requested: Cell<bool>,
    /// Credentials typed into the sign-in form, taken by the sign-in task.
    pub(crate) credentials: SignInForm,
    /// The contacts the page shows, and which of them the CWA session is subscribed to.
    pub(crate) watched: RefCell<Watched>,
    pub(crate) sync_scheduled: Cell<bool>,
    pub(crate) sub_backoff: RefCell<Backoff>,
    /// My changes sent and not yet confirmed (sent again in a new session).
    pub(crate) own: RefCell<Own>,
    /// The contact list as the `contactGroup` events built it.
    pub(crate) contacts: RefCell<apply::ContactList>,
    /// The user used the page since the last poll (`UA=true`) / since the last machine state.
    pub(crate) activity: activity::Activity,
    /// Aborts the pending data-channel GET.
    pub(crate) poll_abort: RefCell<Option<web_sys::AbortController>>,
    /// `online` / `offline`, the pause they (or `stop`, or a lost session) end early, and the
    /// window listeners.
    pub(crate) network: Network,
    lifecycle: Lifecycle,
}

impl Session {
    pub fn new(config: Config, page_origin: String, page_url: String) -> Rc<Session> {
        let _ = page_origin;
        let base = match &config.backend {
            BackendChoice::Cwa2007 { url } => url.clone(),
            BackendChoice::Ucwa => String::new(),
        };
        Rc::new(Session {
            config,
            store: Store::new(),
            http: CwaHttp::new(base, page_url),
            channel: RefCell::new(None),
            generation: Cell::new(0),
            stopped: Cell::new(false),
            session_lost: Cell::new(false),
            sign_in_requested: Cell::new(false),
            credentials: SignInForm::default(),
            watched: Default::default(),
            sync_scheduled: Cell::new(false),
            sub_backoff: RefCell::new(Backoff::new()),
            own: Default::default(),
            contacts: Default::default(),
            activity: Default::default(),
            poll_abort: RefCell::new(None),
            network: Network::default(),
            lifecycle: Lifecycle::default(),
        })
    }

    /// Starts the session's life cycle in the background.
    pub fn start(self: &Rc<Self>) {
        if self.http.base().is_empty() {
            return give_up(
                &self.store,
                "the CWA 2007 backend needs data-cwa (the server's URL)".into(),
            );
        }
        self.listen();
        let this = Rc::clone(self);
        spawn_local(async move { this.run().await });
    }

    /// Ends the session: its tasks stop, the pending poll is aborted, a pause ends.
    pub fn stop(&self) {
        self.stopped.set(true);
        self.end_generation();
        self.network.unlisten();
    }

    /// The page is going away: stop, and end the CWA session (`terminateSession`, keepalive,
    /// best effort) so the server need not wait for it to time out.
    pub fn exit(&self) {
        if let Some((_, body)) = self.command_body([Request::TerminateSession]) {
            self.http.post_keepalive(COMMAND_PATH, body);
        }
        self.stop();
    }

    /// "Try again" after the session gave up: starts over from the sign-in.
    pub fn retry(self: &Rc<Self>) {
        if may_try_again(self.stopped.get(), &self.store) {
            self.start();
        }
    }

    /// Called by the sign-in form.
    pub fn submit_credentials(&self, username: String, password: String) {
        self.credentials.submit(username, password)
    }

    /// A `<ucwa-contacts>` element appeared. Nothing to load: the contact list comes with the
    /// session (`contactGroup`), and is in the store as soon as it did.
    #[cfg(feature = "contact-list")]
    pub fn show_contact_list(self: &Rc<Self>) {}

    /// CWA 2007 has no photos: initials.
    #[cfg(feature = "rich-display")]
    pub fn want_photo(self: &Rc<Self>, uri: &str) {
        if let Some(uri) = crate::protocol::sip::normalize_sip_uri(uri) {
            self.store.set_photo(&uri, super::store::PhotoView::Missing);
        }
    }

    /// Follows `pagehide` and `pageshow` for as long as the page lives.
    pub fn follow_page_lifecycle(self: &Rc<Self>) {
        follow_transitions(Rc::clone(self));
    }

    /// The page enters the back/forward cache: the CWA session ends (`terminateSession`), its
    /// tasks stop, and what the page shows is last known.
    pub fn suspend(&self) {
        if !self.lifecycle.enter_cache() {
            return;
        }
        if let Some((_, body)) = self.command_body([Request::TerminateSession]) {
            self.http.post_keepalive(COMMAND_PATH, body);
        }
        self.end_generation();
        show_stale_if_live(&self.store);
    }

    /// The page is back from the back/forward cache: the run loop starts a new CWA session.
    pub fn resume(&self) {
        self.lifecycle.leave_cache();
    }

    /// Ends the tasks of the current CWA session, aborts its pending poll, ends a pause.
    pub(crate) fn end_generation(&self) {
        self.generation.set(self.generation.get().wrapping_add(1));
        if let Some(abort) = self.poll_abort.borrow_mut().take() {
            abort.abort();
        }
        self.network.wake_up();
    }

    /// Whether the tasks of `generation` should keep going.
    pub(crate) fn is_current(&self, generation: u32) -> bool {
        !self.stopped.get() && self.generation.get() == generation
    }

    async fn run(self: Rc<Self>) {
        // One backoff for the connection: consecutive failures since the data channel last
        // answered, whichever step failed.
        let mut backoff = Backoff::new();
        while !self.stopped.get() {
            self.lifecycle.until_resumed().await;
            if self.stopped.get() {
                return;
            }
            if !self
                .store
                .connection
                .with_untracked(|c| matches!(c, Connection::Reconnecting { .. }))
            {
                self.store.set_connection(Connection::Connecting);
            }
            if let Err((step, action)) = Box::pin(self.connect()).await {
                let action = backoff.on_failure(step_of(step), action);
                match action {
                    Action::Stop(reason) | Action::GiveUp(reason) => {
                        return give_up(&self.store, reason.message())
                    }
                    action => {
                        if matches!(action, Action::SignIn) {
                            self.http.clear_ticket();
                        }
                        if matches!(action, Action::Retry | Action::WaitForNetwork)
                            && backoff.explains_unreachable()
                        {
                            self.store.set_connection(Connection::Reconnecting {
                                reason: self.unreachable_reason(),
                            });
                        }
                        self.pause_after(&action, &backoff).await;
                        continue;
                    }
                }
            }
            self.after_connect();
            match Box::pin(self.poll_loop(&mut backoff)).await {
                Outcome::RecreateApplication => {
                    self.channel.replace(None);
                    // The first time at once; if it keeps happening, at the backoff's pace.
                    if backoff.failures() > 1 {
                        self.pause_after(&Action::RecreateApplication, &backoff)
                            .await;
                    }
                }
                Outcome::Stop(reason) => {
                    self.channel.replace(None);
                    return give_up(&self.store, reason);
                }
            }
        }
    }

    /// Signs in when no ticket is held, then starts a CWA session (`initiateSession`).
    async fn connect(self: &Rc<Self>) -> Result<(), Failed> {
        if !self.http.has_ticket() {
            self.sign_in().await?;
        }
        let initiate = Request::InitiateSession {
            user_state_availability: INITIAL_AVAILABILITY,
            auto_publish_machine_state: true,
            auto_subscribe_contacts: true,
        };
        let body = encode_requests("0", &[(1, initiate)]);
        let failed = |failure| failed(CwaStep::InitiateSession, failure);
        let replies = self.http.post(COMMAND_PATH, body).await.map_err(failed)?;
        let started = replies.into_iter().find_map(|reply| match reply {
            Reply::SessionStarted {
                sid,
                poll_wait_ms,
                uri,
                ..
            } => Some(Ok((sid, poll_wait_ms, uri))),
            reply => http::error_of(&reply).map(Err),
        });
        let (sid, poll_wait_ms, uri) = match started {
            Some(Ok(found)) => found,
            Some(Err(error)) => return Err(failed(CwaFailure::Cwa(error))),
            None => {
                return Err(failed(CwaFailure::Malformed(
                    "the initiateSession reply names no session (sid)".into(),
                )))
            }
        };
        if let Some(uri) = uri
            .as_deref()
            .and_then(crate::protocol::sip::normalize_sip_uri)
        {
            self.store.me.update(|m| m.uri = Some(uri));
        }
        // A new session: what the old one had is gone on the server.
        self.generation.set(self.generation.get().wrapping_add(1));
        self.session_lost.set(false);
        self.sign_in_requested.set(false);
        self.channel
            .replace(Some(DataChannel::new(sid, poll_wait_ms)));
        Ok(())
    }

    /// After `initiateSession`: subscribe to everything wanted, send pending changes again,
    /// keep the machine state fresh.
    fn after_connect(self: &Rc<Self>) {
        self.watched.borrow_mut().forget_sent();
        self.schedule_sync();
        self.resend_own();
        self.spawn_machine_state_timer();
    }

    /// A `cwaRequests` body for the current session with `requests`, each with the next rid
    /// (returned in order), or `None` without a session.
    pub(crate) fn command_body<'a>(
        &self,
        requests: impl IntoIterator<Item = Request<'a>>,
    ) -> Option<(Vec<u32>, String)> {
        let mut channel = self.channel.borrow_mut();
        let channel = channel.as_mut()?;
        let numbered: Vec<(u32, Request<'a>)> = requests
            .into_iter()
            .map(|request| (channel.next_rid(), request))
            .collect();
        let body = encode_requests(channel.sid(), &numbered);
        Some((numbered.into_iter().map(|(rid, _)| rid).collect(), body))
    }

    /// A command of the current session failed in a way the session must handle: 18100 → a
    /// new session; 401 → sign in again. True when it was one of those.
    pub(crate) fn session_failure(&self, failure: &CwaFailure, generation: u32) -> bool {
        let lost = match failure {
            CwaFailure::Cwa(e) => e.is_session_lost(),
            CwaFailure::Http { status: 401, .. } => {
                if self.generation.get() == generation && !self.sign_in_requested.replace(true) {
                    if let Some(abort) = self.poll_abort.borrow_mut().take() {
                        abort.abort();
                    }
                    self.network.wake_up();
                }
                return true;
            }
            CwaFailure::Http { error, .. } => error.as_ref().is_some_and(|e| e.is_session_lost()),
            _ => false,
        };
        if lost {
            self.lose_session(generation);
        }
        lost
    }

    /// The CWA session `generation` is gone: the run loop starts a new one at once.
    pub(crate) fn lose_session(&self, generation: u32) {
        if self.generation.get() == generation && !self.session_lost.replace(true) {
            self.end_generation();
        }
    }

    /// The server cannot be reached: name the causes a browser cannot tell apart.
    fn unreachable_reason(&self) -> String {
        format!(
            "Cannot reach the Communicator Web Access server at {}; retrying. If it is running, it must allow this page's origin (CORS, with the CWA-Ticket header exposed) and the page's Content-Security-Policy connect-src must allow it.",
            self.http.base()
        )
    }

    /// Waits before the next attempt ([`Network::pause_ms`]); `online` and `stop` end it
    /// early.
    pub(crate) async fn pause_after(&self, action: &Action, backoff: &Backoff) {
        if !self.stopped.get() {
            self.wait(self.network.pause_ms(action, backoff, 0)).await;
        }
    }

    /// Waits `ms`, or less when `online`, `stop` or a lost session ends the wait.
    pub(crate) async fn wait(&self, ms: u32) {
        if let Some(wake) = self.network.wait_signal() {
            let _ = within(ms, wake).await;
        }
    }

    /// Follows `online` / `offline` (`offline` ends the pending poll) and the user's
    /// activity (once per start).
    fn listen(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        let on = move |online| {
            if let Some(session) = weak.upgrade() {
                if session.network.on_change(online, &session.store) {
                    if let Some(abort) = session.poll_abort.borrow_mut().take() {
                        abort.abort();
                    }
                }
            }
        };
        self.network.listen(on, self.activity.listeners(self));
    }
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
