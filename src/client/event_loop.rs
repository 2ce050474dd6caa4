//! The event channel (events_ref, EventsInUCWA): one pending GET at a time, following `next`
//! exactly, and what each event does to the store.

use leptos::prelude::*;
use std::rc::Rc;

use super::http::{Body, Method};
use super::links::AppLinks;
use super::reads::{Kind, Read};
use super::session::{Outcome, Session};
use super::store::{Connection, PresenceView, Resource};
use super::timer::within;
use crate::protocol::channel::{ChannelStep, EventChannel};
use crate::protocol::error::UcwaError;
use crate::protocol::events::{parse_event_page, Event, EventPage};
use crate::protocol::failure::{
    decide, pget_deadline_ms, retry_after_ms, Action, Backoff, Failure, NetworkKind, Step,
};
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
        } else if self.network.is_offline() {
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
            Some(Err(_)) if self.network.is_offline() => {
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
                // The server dropped the subscriptions and the events queued meanwhile: subscribe
                // again and read what may have changed before that.
                self.subs.borrow_mut().reset_all();
                self.schedule_sync();
                self.resync(generation);
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
        self.network.after_failure(&action, &self.store)?;
        self.pause(&action, backoff, retry_after_ms(&failure).unwrap_or(0))
            .await;
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
        // The reads these events call for (the read queue sends each resource once).
        let mut reads: Vec<Read> = Vec::new();
        let mut read = |kind, person: Option<String>, href: &str| {
            let url = resolve(base, href);
            reads.push(Read { kind, person, url });
        };
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
                    None => read(Kind::Of(Resource::Presence), Some(contact), &href),
                },
                Event::ContactNoteUpdated { contact, href } => {
                    read(Kind::Of(Resource::Note), Some(contact), &href)
                }
                Event::ContactLocationUpdated { contact, href } => {
                    read(Kind::Of(Resource::Location), Some(contact), &href)
                }
                Event::ContactAdded { contact, href } => read(Kind::Contact, Some(contact), &href),
                Event::MyPresenceUpdated { href, presence } => match presence {
                    Some(p) => self.store.set_my_presence(PresenceView::from(&p)),
                    None => read(Kind::Of(Resource::Presence), None, &href),
                },
                Event::MyNoteUpdated { href } => read(Kind::Of(Resource::Note), None, &href),
                Event::MyLocationUpdated { href } => {
                    read(Kind::Of(Resource::Location), None, &href)
                }
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
        if !reads.is_empty() {
            self.fetch(reads, generation);
        }
    }

    /// `resync`: what we hold may be stale. Read every known presence, note and location
    /// again, mine too.
    fn resync(self: &Rc<Self>, generation: u32) {
        let mut reads = self.known_reads();
        reads.extend(self.my_reads(None));
        self.fetch(reads, generation);
    }

    /// Reads my presence, note and location (after the application is made available).
    pub(crate) fn refresh_me(self: &Rc<Self>) {
        self.fetch(self.my_reads(None), self.generation.get());
    }
}
