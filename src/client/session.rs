//! One UCWA session per page: sign-in, the application, and its recovery. Every element on the
//! page shares it (one application, one event channel). What to do about a failed request is
//! decided by [`failure::decide`](crate::protocol::failure::decide); this file carries it out.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use super::config::Config;
use super::http::{Body, Http, Method, Reply};
use super::links::AppLinks;
use super::recovery::{give_up, may_try_again, Network};
use super::signin::SignInForm;
use super::store::{Connection, Store};
use super::timer::{jitter, sleep, within};
use crate::protocol::channel::{EventChannel, TIMEOUT_RANGE};
use crate::protocol::failure::{Action, Backoff, Step};
use crate::protocol::grant::Grant;
use crate::protocol::subscription::Subscriptions;

/// Why the event loop ended (of either backend).
pub(crate) enum Outcome {
    /// The application is gone (or the channel is dead): create it again. For CWA: the
    /// session is gone (18100): start a new one.
    RecreateApplication,
    /// Give up and tell the user.
    Stop(String),
}

/// Contacts per presence subscription at first: the server's limit is undocumented (contact lists
/// default to 250); a 403 `LimitExceeded` halves it (subscribe.rs).
const CONTACTS_PER_SUBSCRIPTION: usize = 250;

pub struct Session {
    pub(crate) config: Config,
    pub(crate) http: Http,
    pub store: Store,
    /// Links of the current application (None while connecting).
    pub(crate) app: RefCell<Option<AppLinks>>,
    pub(crate) subs: RefCell<Subscriptions>,
    /// The application (its self URL) that `subs` and `channel` belong to. It outlives a
    /// reconnection: when `POST applications` gives the same application back, its subscriptions
    /// and its event channel are still on the server, so they are kept, not made again.
    pub(crate) owner: RefCell<Option<String>>,
    /// Where `owner`'s event channel stands while the event loop is not running.
    pub(crate) channel: RefCell<Option<EventChannel>>,
    /// The grant that got the last token: a token is renewed the same way.
    pub(crate) last_grant: Cell<Option<Grant>>,
    /// Bumped whenever the application is (re)created: tasks of an older one stop.
    pub(crate) generation: Cell<u32>,
    pub(crate) sync_scheduled: Cell<bool>,
    /// Set by `stop`: the run loop ends and no new request starts.
    pub(crate) stopped: Cell<bool>,
    /// Credentials typed into the sign-in form, taken by the sign-in task.
    pub(crate) credentials: SignInForm,
    /// Whether a `<ucwa-contacts>` element wants the contact list.
    #[cfg(feature = "contact-list")]
    pub(crate) contact_list_shown: Cell<bool>,
    /// Aborts the pending GET on the event channel.
    pub(crate) pget_abort: RefCell<Option<web_sys::AbortController>>,
    /// The `timeout` the event channel asks the server for, in seconds.
    pub(crate) pget_timeout_secs: Cell<u32>,
    /// `online` / `offline`, and the pause between attempts they end early.
    pub(crate) network: Network,
    /// A request other than the event channel's was refused with 401: the event loop signs in
    /// again on its next turn.
    pub(crate) sign_in_requested: Cell<bool>,
    /// Paces subscription requests after failures (the connection's own backoff lives in `run`).
    pub(crate) sub_backoff: RefCell<Backoff>,
    /// Reads waiting for a batch (reads.rs), for the application of `reads_generation`.
    pub(crate) reads: RefCell<crate::protocol::batch_queue::BatchQueue<super::reads::Read>>,
    pub(crate) reads_generation: Cell<u32>,
    pub(crate) endpoint_id: String,
    pub(crate) instance_id: String,
    /// Photos asked for and contacts read, so each photo loads once (photos.rs).
    #[cfg(feature = "rich-display")]
    pub(crate) photos: RefCell<super::photos::Photos>,
    /// Suspended while the page is in the back/forward cache (lifecycle.rs).
    pub(crate) lifecycle: super::lifecycle::Lifecycle,
}

impl Session {
    pub fn new(config: Config, page_origin: String, page_url: String) -> Rc<Session> {
        let minutes = config.subscription_minutes;
        Rc::new(Session {
            http: Http::new(page_origin, page_url, config.transport),
            pget_timeout_secs: Cell::new(config.event_timeout_secs),
            config,
            store: Store::new(),
            app: RefCell::new(None),
            subs: RefCell::new(Subscriptions::new(CONTACTS_PER_SUBSCRIPTION, minutes)),
            owner: RefCell::new(None),
            channel: RefCell::new(None),
            last_grant: Cell::new(None),
            generation: Cell::new(0),
            sync_scheduled: Cell::new(false),
            stopped: Cell::new(false),
            credentials: SignInForm::default(),
            #[cfg(feature = "contact-list")]
            contact_list_shown: Cell::new(false),
            pget_abort: RefCell::new(None),
            network: Network::default(),
            sign_in_requested: Cell::new(false),
            sub_backoff: RefCell::new(Backoff::new()),
            reads: Default::default(),
            reads_generation: Cell::new(0),
            endpoint_id: super::identity::endpoint_id(),
            instance_id: super::identity::random_id(),
            #[cfg(feature = "rich-display")]
            photos: Default::default(),
            lifecycle: Default::default(),
        })
    }

    /// The `timeout` (seconds) the event channel asks for; the default is UCWA's 180. Values
    /// below the documented 180 only work with servers that accept them (test servers run with
    /// `--allow-short-pget-timeout`). The request is given up this long plus
    /// [`PGET_DEADLINE_MARGIN_MS`](crate::protocol::failure::PGET_DEADLINE_MARGIN_MS) after it
    /// was sent.
    pub fn set_event_timeout(&self, secs: u32) {
        self.pget_timeout_secs.set(secs.clamp(1, TIMEOUT_RANGE.1));
    }

    /// Starts the session's life cycle in the background.
    pub fn start(self: &Rc<Self>) {
        self.listen_to_network();
        let this = Rc::clone(self);
        spawn_local(async move { this.run().await });
    }

    /// Ends the session: its tasks stop, the pending event request is aborted, a pause ends.
    pub fn stop(&self) {
        self.stopped.set(true);
        self.end_generation();
        self.network.wake_up();
        self.network.unlisten();
    }

    /// Ends the tasks of the current generation and aborts the pending event request, so the
    /// event loop notices at once rather than when its GET returns.
    pub(crate) fn end_generation(&self) {
        self.generation.set(self.generation.get().wrapping_add(1));
        self.abort_pending_get();
    }

    fn abort_pending_get(&self) {
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
        // One backoff state for the connection: consecutive failures since the event channel
        // last answered, whichever step failed.
        let mut backoff = Backoff::new();
        while !self.stopped.get() {
            self.until_resumed().await;
            if !self
                .store
                .connection
                .with_untracked(|c| matches!(c, Connection::Reconnecting { .. }))
            {
                self.store.set_connection(Connection::Connecting);
            }
            if let Err((step, action)) = Box::pin(self.connect()).await {
                match backoff.on_failure(step, action) {
                    Action::Stop(reason) | Action::GiveUp(reason) => {
                        return self.give_up(reason.message())
                    }
                    action => {
                        if matches!(action, Action::SignIn) {
                            self.http.clear_tokens();
                        }
                        let unreachable = matches!(action, Action::Retry | Action::WaitForNetwork);
                        if unreachable && backoff.explains_unreachable() {
                            self.store.set_connection(Connection::Reconnecting {
                                reason: self.unreachable_reason(),
                            });
                        }
                        self.pause(&action, &backoff, 0).await;
                        continue;
                    }
                }
            }
            self.after_connect();
            match self.event_loop(&mut backoff).await {
                Outcome::RecreateApplication => {
                    self.drop_application();
                    // The first time at once (an `application deleted` event, a 404); if it
                    // keeps happening, at the pace of the backoff.
                    if backoff.failures() > 1 {
                        self.pause(&Action::RecreateApplication, &backoff, 0).await;
                    }
                }
                Outcome::Stop(reason) => {
                    self.drop_application();
                    return self.give_up(reason);
                }
            }
        }
    }

    /// A browser reports a refused cross-origin request exactly like a server that is down, so
    /// name the causes (for the transports `data-transport` allows).
    fn unreachable_reason(&self) -> String {
        let host = crate::protocol::url::origin_of(&self.config.autodiscover).unwrap_or_default();
        format!(
            "Cannot reach the Skype for Business server at {host} from this page ({}); retrying. If it is running, {}",
            self.http.page_origin(),
            self.http.unreachable_causes()
        )
    }

    /// Waits before the next attempt ([`Network::pause_ms`]); `online` and `stop` end it early.
    pub(crate) async fn pause(&self, action: &Action, backoff: &Backoff, asked_ms: u32) {
        if self.stopped.get() {
            return;
        }
        if let Some(wake) = self.network.wait_signal() {
            let _ = within(self.network.pause_ms(action, backoff, asked_ms), wake).await;
        }
    }

    fn give_up(&self, reason: String) {
        give_up(&self.store, reason)
    }

    /// "Try again" after the session gave up: starts over from autodiscovery.
    pub fn retry(self: &Rc<Self>) {
        if may_try_again(self.stopped.get(), &self.store) {
            self.start();
        }
    }

    /// Forgets the current application's links: its tasks stop. Its subscriptions and channel
    /// position stay with `owner` until `connect` learns whether the application survived.
    fn drop_application(&self) {
        self.generation.set(self.generation.get().wrapping_add(1));
        self.app.replace(None);
    }

    /// Called by `connect` with the application `POST applications` answered with: the same one
    /// keeps its subscriptions and channel, another starts from nothing.
    pub(crate) fn adopt_application(&self, links: AppLinks) {
        let same = self
            .owner
            .borrow()
            .as_deref()
            .is_some_and(|owner| crate::protocol::url::same_resource(owner, &links.app));
        // The token just worked: a 401 seen while connecting was for an older one.
        self.sign_in_requested.set(false);
        if !same {
            self.subs.borrow_mut().reset_all();
            self.channel.replace(None);
            self.owner.replace(Some(links.app.clone()));
        }
        self.app.replace(Some(links));
    }

    /// Whether subscription state still belongs to the application `owner`.
    pub(crate) fn owns(&self, owner: &str) -> bool {
        self.owner.borrow().as_deref() == Some(owner)
    }

    /// After the application exists: subscribe to everything wanted, keep the user active.
    fn after_connect(self: &Rc<Self>) {
        self.schedule_sync();
        self.spawn_activity_reports();
        self.refresh_me();
        #[cfg(feature = "contact-list")]
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
        self.credentials.submit(username, password)
    }

    /// Sends a request made for `step`, retrying transient failures in place as often as the
    /// policy says ([`Step::retries`]). A refused token or a lost application is handed to the
    /// session (sign in again, recreate the application); the caller gets the action for
    /// anything else.
    pub(crate) async fn request(
        self: &Rc<Self>,
        step: Step,
        method: Method,
        url: &str,
        body: Body,
    ) -> Result<Reply, Action> {
        self.request_retrying(step, step.retries(), method, url, body)
            .await
    }

    /// [`request`](Self::request), retrying a transient failure in place at most `retries`
    /// times (0: the caller handles [`Action::Retry`] itself, as a refused batch is split).
    pub(crate) async fn request_retrying(
        self: &Rc<Self>,
        step: Step,
        retries: u32,
        method: Method,
        url: &str,
        body: Body,
    ) -> Result<Reply, Action> {
        let generation = self.generation.get();
        let mut backoff = Backoff::new();
        loop {
            let epoch = self.http.epoch();
            let action = match self.call(step, method, url, body.clone()).await {
                Ok(reply) => return Ok(reply),
                Err((_, action)) => action,
            };
            match backoff.on_failure(step, action) {
                Action::Retry if backoff.failures() <= retries && !self.stopped.get() => {
                    sleep(backoff.delay_ms(jitter())).await;
                }
                Action::SignIn => {
                    self.request_sign_in(epoch);
                    return Err(Action::SignIn);
                }
                // A new application is made available as it is created; the same one given
                // back by `POST applications` is made available again.
                action @ (Action::RecreateApplication | Action::MakeMeAvailable) => {
                    self.force_reconnect(generation);
                    return Err(action);
                }
                action => return Err(action),
            }
        }
    }

    /// A request sent with the token of `epoch` was refused: unless the token changed since,
    /// make the event loop sign in again now (its pending GET is aborted).
    fn request_sign_in(&self, epoch: u32) {
        if self.http.epoch() == epoch && !self.sign_in_requested.replace(true) {
            self.abort_pending_get();
        }
    }

    /// Makes the event loop give up its application now (e.g. a 404 ApplicationNotFound seen
    /// by another request): the run loop creates a new one and restores everything.
    pub(crate) fn force_reconnect(&self, generation: u32) {
        if self.generation.get() == generation {
            self.end_generation();
        }
    }

    /// Follows the browser's `online` / `offline` events (once per session): `offline` ends
    /// the pending GET.
    fn listen_to_network(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        let on = move |online| {
            if let Some(session) = weak.upgrade() {
                if session.network.on_change(online, &session.store) {
                    session.abort_pending_get();
                }
            }
        };
        self.network.listen(on, Vec::new());
    }

    /// Waits the subscription backoff after a failed subscription request, then syncs again.
    pub(crate) async fn resync_subscriptions_later(
        self: &Rc<Self>,
        step: Step,
        action: Action,
        owner: &str,
    ) {
        let (action, delay) = {
            let mut backoff = self.sub_backoff.borrow_mut();
            let action = backoff.on_failure(step, action);
            (action, backoff.delay_ms(jitter()))
        };
        match action {
            Action::Retry | Action::WaitForNetwork => {
                sleep(delay).await;
                if self.owns(owner) && !self.stopped.get() {
                    self.schedule_sync();
                }
            }
            Action::GiveUp(reason) | Action::Stop(reason) | Action::AskCredentials(reason) => {
                web_sys::console::error_1(
                    &format!("ucwa-presence: presence subscription: {}", reason.message()).into(),
                );
            }
            // The session signs in again or recreates the application, then syncs; the rest do
            // not happen for subscription requests.
            _ => {}
        }
    }
}
