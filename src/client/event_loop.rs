//! The event channel (events_ref, EventsInUCWA): one pending GET at a time, following `next`
//! exactly, and what each event does to the store.

use leptos::prelude::*;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use super::http::{Body, Method};
use super::links::AppLinks;
use super::session::{Outcome, Session, STALE};
use super::store::{Connection, PersonInfo, PresenceView};
use super::timer::within;
use crate::protocol::channel::{ChannelStep, EventChannel};
use crate::protocol::error::UcwaError;
use crate::protocol::events::{parse_event_page, Event, EventPage};
use crate::protocol::failure::{
    decide, pget_deadline_ms, Action, Backoff, Failure, NetworkKind, Step,
};
use crate::protocol::fields::FromJson;
use crate::protocol::resources::{Contact, ContactPresence};
use crate::protocol::url::resolve;

impl Session {
    /// Runs until the application has to be recreated or the session given up. `backoff` is
    /// the connection's: an answer on the channel resets it, every failure counts.
    pub(crate) async fn event_loop(self: &Rc<Self>, backoff: &mut Backoff) -> Outcome {
        let generation = self.generation.get();
        let Some(app) = self.app.borrow().clone() else {
            return Outcome::RecreateApplication;
        };
        // The same application as before a reconnection resumes where its channel stood.
        let mut channel = self
            .channel
            .take()
            .unwrap_or_else(|| EventChannel::new(&app.events));
        let outcome = loop {
            if !self.is_current(generation) {
                break Outcome::RecreateApplication;
            }
            // Boxed, so the turn's state stays out of the run loop's future (a smaller bundle).
            let turn = Box::pin(self.turn(&app, &mut channel, backoff, generation));
            if let Err(outcome) = turn.await {
                break outcome;
            }
        };
        self.channel.replace(Some(channel));
        outcome
    }

    /// One request and what follows from its answer: after a failure, first a GET of the
    /// application (so the page says "live" as soon as the server answers; the channel resumes
    /// at the same `next`, so no event is lost), else the P-GET.
    async fn turn(
        self: &Rc<Self>,
        app: &AppLinks,
        channel: &mut EventChannel,
        backoff: &mut Backoff,
        generation: u32,
    ) -> Result<(), Outcome> {
        let (step, failure) = if self.sign_in_requested.take() {
            (Step::EventsGet, Failure::Http(UcwaError::status_only(401)))
        } else if self.offline.get() {
            (
                Step::EventsGet,
                Failure::network(NetworkKind::Offline, "the browser is offline"),
            )
        } else if backoff.failures() > 0
            && !self
                .store
                .connection
                .with_untracked(|c| *c == Connection::Live)
        {
            match self.http.send(Method::Get, &app.app, Body::None).await {
                Ok(reply) if reply.is_success() => {
                    self.store.set_connection(Connection::Live);
                    return Ok(());
                }
                Ok(reply) => (Step::ProbeApplication, reply.failure()),
                Err(failure) => (Step::ProbeApplication, failure),
            }
        } else {
            match self.poll(&app.events, channel).await {
                Ok(page) => {
                    backoff.on_success();
                    self.store.set_connection(Connection::Live);
                    return self.follow(&app.events, channel, page, generation);
                }
                Err(failure) => (Step::EventsGet, failure),
            }
        };
        if !self.is_current(generation) {
            return Err(Outcome::RecreateApplication);
        }
        self.recover(step, failure, backoff).await
    }

    /// The P-GET on the channel's URL, given up (aborted) when it outlives the `timeout` it
    /// asked for by more than the policy's margin, or when the browser goes offline.
    async fn poll(&self, base: &str, channel: &EventChannel) -> Result<EventPage, Failure> {
        let timeout = self.pget_timeout_secs.get();
        let url = resolve(base, &channel.poll_url(timeout));
        let abort = web_sys::AbortController::new().ok();
        let signal = abort.as_ref().map(|a| a.signal());
        self.pget_abort.replace(abort.clone());
        let answer = within(
            pget_deadline_ms(timeout),
            self.http
                .send_with(Method::Get, &url, Body::None, signal.as_ref()),
        )
        .await;
        self.pget_abort.replace(None);
        let reply = match answer {
            Some(Ok(reply)) => reply,
            Some(Err(_)) if self.offline.get() => {
                return Err(Failure::network(
                    NetworkKind::Offline,
                    "the browser went offline",
                ))
            }
            Some(Err(failure)) => return Err(failure),
            None => {
                if let Some(abort) = abort {
                    abort.abort();
                }
                return Err(Failure::network(
                    NetworkKind::Timeout,
                    format!("no answer on the event channel within {timeout} s and the margin"),
                ));
            }
        };
        if !reply.is_success() {
            return Err(reply.failure());
        }
        parse_event_page(&reply.body).map_err(Failure::Parse)
    }

    /// A page arrived: the next P-GET goes out as soon as this turn ends; events are handled now,
    /// in order, without waiting for their follow-up requests.
    fn follow(
        self: &Rc<Self>,
        base: &str,
        channel: &mut EventChannel,
        page: EventPage,
        generation: u32,
    ) -> Result<(), Outcome> {
        let step = channel.on_page(&page);
        self.handle_events(base, page.events, generation);
        match step {
            ChannelStep::Continue => {}
            ChannelStep::Resync => self.resync(generation),
            ChannelStep::Resume => {
                self.subs.borrow_mut().reset_all();
                self.schedule_sync();
            }
            ChannelStep::RecreateApplication => return Err(Outcome::RecreateApplication),
        }
        Ok(())
    }

    /// Carries out the failure policy for a failed turn: presence turns stale, and the loop
    /// waits, signs in again, or ends.
    async fn recover(
        self: &Rc<Self>,
        step: Step,
        failure: Failure,
        backoff: &mut Backoff,
    ) -> Result<(), Outcome> {
        if let Failure::Parse(e) = &failure {
            web_sys::console::warn_1(&format!("ucwa-presence: {e}").into());
        }
        let action = backoff.on_failure(step, decide(step, &failure));
        match &action {
            Action::RecreateApplication => return Err(Outcome::RecreateApplication),
            Action::Stop(reason) | Action::GiveUp(reason) => {
                return Err(Outcome::Stop(reason.message()))
            }
            _ => {}
        }
        if !self.offline.get() {
            self.store.set_connection(Connection::Reconnecting {
                reason: STALE.into(),
            });
        }
        self.pause(&action, backoff).await;
        if matches!(action, Action::SignIn) {
            return match self.sign_in_again().await {
                Ok(()) => {
                    // Reads refused while the token was gone (a presence GET after an event)
                    // are lost: read every known presence again with the new token.
                    self.resync(self.generation.get());
                    Ok(())
                }
                Err((_, Action::Stop(reason))) => Err(Outcome::Stop(reason.message())),
                Err((_, Action::RecreateApplication)) => Err(Outcome::RecreateApplication),
                // Counted on the next turn: its request goes out without a token and gets 401.
                Err(_) => Ok(()),
            };
        }
        Ok(())
    }

    fn handle_events(self: &Rc<Self>, base: &str, events: Vec<Event>, generation: u32) {
        let mut to_fetch: Vec<(String, String)> = Vec::new();
        for event in events {
            match event {
                Event::ContactPresenceUpdated {
                    contact,
                    href,
                    presence,
                } => match presence {
                    Some(p) => {
                        self.store.set_presence(&contact, PresenceView::from(&p));
                    }
                    None => {
                        if !to_fetch.iter().any(|(c, _)| *c == contact) {
                            to_fetch.push((contact, resolve(base, &href)));
                        }
                    }
                },
                Event::ContactAdded { contact, href } => {
                    self.fetch_person(contact, resolve(base, &href), generation)
                }
                Event::MyPresenceUpdated { href, presence } => match presence {
                    Some(p) => self.store.set_my_presence(PresenceView::from(&p)),
                    None => self.fetch_my_presence(Some(resolve(base, &href)), generation),
                },
                Event::SubscriptionExpiring { href } => {
                    self.extend_subscription(resolve(base, &href))
                }
                Event::SubscriptionDeleted { href } => {
                    self.subs
                        .borrow_mut()
                        .on_extend_failed_not_found(&resolve(base, &href));
                    self.schedule_sync();
                }
                _ => {}
            }
        }
        if !to_fetch.is_empty() {
            self.fetch_presences(to_fetch, generation);
        }
    }

    /// `resync`: what we hold may be stale. Read every known presence again.
    fn resync(self: &Rc<Self>, generation: u32) {
        let known = self.known_presence_urls();
        self.fetch_presences(known, generation);
        self.fetch_my_presence(None, generation);
    }

    fn fetch_person(self: &Rc<Self>, contact: String, url: String, generation: u32) {
        let this = Rc::clone(self);
        spawn_local(async move {
            let Some(reply) = this.read(&url, generation).await else {
                return;
            };
            match Contact::parse(&reply.body) {
                Ok(c) => {
                    this.remember_presence_url(&contact, &c, &url);
                    this.store.set_info(&contact, PersonInfo::from(&c));
                }
                Err(e) => web_sys::console::warn_1(
                    &format!("ucwa-presence: bad contact {url}: {e}").into(),
                ),
            }
        });
    }

    fn fetch_my_presence(self: &Rc<Self>, url: Option<String>, generation: u32) {
        let Some(url) = url.or_else(|| {
            self.app
                .borrow()
                .as_ref()
                .and_then(|a| a.my_presence.clone())
        }) else {
            return;
        };
        let this = Rc::clone(self);
        spawn_local(async move {
            let Some(reply) = this.read(&url, generation).await else {
                return;
            };
            if let Ok(p) = ContactPresence::parse(&reply.body) {
                this.store.set_my_presence(PresenceView::from(&p));
            }
        });
    }

    pub(crate) fn refresh_my_presence(self: &Rc<Self>) {
        self.fetch_my_presence(None, self.generation.get());
    }
}
