//! The event channel (events_ref, EventsInUCWA): one pending GET at a time, following `next`
//! exactly, and what each event does to the store.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use super::session::{backoff_ms, Outcome, Session};
use super::store::{Connection, PersonInfo, PresenceView};
use super::timer::{jitter, sleep};
use crate::protocol::channel::{ChannelStep, EventChannel, StopReason};
use crate::protocol::error::{Failure, RequestContext};
use crate::protocol::events::{parse_event_page, Event};
use crate::protocol::fields::FromJson;
use crate::protocol::resources::{Contact, ContactPresence};
use crate::protocol::url::resolve;

impl Session {
    /// Runs until the application has to be recreated, re-authenticated, or given up.
    pub(crate) async fn event_loop(self: &Rc<Self>) -> Outcome {
        let generation = self.generation.get();
        let Some(events) = self.app.borrow().as_ref().map(|a| a.events.clone()) else {
            return Outcome::RecreateApplication;
        };
        let base = events.clone();
        let mut channel = EventChannel::new(&events);
        let mut failures = 0u32;
        loop {
            if !self.is_current(generation) {
                return Outcome::RecreateApplication;
            }
            if failures > 0 {
                // Back from a failure: check the application is still there before waiting on
                // the channel again, so the page can say "live" as soon as the server answers
                // (the channel resumes at the same `next`, so no event is lost).
                match self.probe_application().await {
                    Ok(()) => self.store.set_connection(Connection::Live),
                    Err(Some(outcome)) => return outcome,
                    Err(None) => {
                        failures += 1;
                        sleep(backoff_ms(failures.min(6))).await;
                        continue;
                    }
                }
            }
            let url = resolve(&base, &channel.poll_url(None));
            let abort = web_sys::AbortController::new().ok();
            let signal = abort.as_ref().map(|a| a.signal());
            self.pget_abort.replace(abort);
            let result = self.http.send_with(super::http::Method::Get, &url, super::http::Body::None, signal.as_ref()).await;
            self.pget_abort.replace(None);
            if !self.is_current(generation) {
                return Outcome::RecreateApplication;
            }
            let step = match result {
                Ok(reply) if reply.is_success() => match parse_event_page(&reply.body) {
                    Ok(page) => {
                        channel.on_success_reset_backoff();
                        failures = 0;
                        self.store.set_connection(Connection::Live);
                        let step = channel.on_page(&page);
                        // The next P-GET goes out as soon as this turn ends; events are handled
                        // now, in order, without waiting for their follow-up requests.
                        self.handle_events(&base, page.events, generation);
                        step
                    }
                    Err(e) => {
                        web_sys::console::warn_1(&format!("ucwa-presence: {e}").into());
                        channel.on_failure(&Failure::Network(e.to_string()), jitter())
                    }
                },
                Ok(reply) => channel.on_failure(&reply.failure(), jitter()),
                Err(failure) => channel.on_failure(&failure, jitter()),
            };
            match step {
                ChannelStep::Continue => {}
                ChannelStep::Resync => self.resync(generation),
                ChannelStep::Resume => {
                    self.subs.borrow_mut().reset_all();
                    self.schedule_sync();
                }
                ChannelStep::RetryAfter(ms) => {
                    failures += 1;
                    self.store.set_connection(Connection::Reconnecting {
                        reason: "Reconnecting… presence shown may be out of date.".into(),
                    });
                    sleep(ms).await;
                    // After a long outage the application may be gone: recreate it rather than
                    // poll a dead channel forever.
                    if failures >= 6 {
                        return Outcome::RecreateApplication;
                    }
                }
                ChannelStep::RecreateApplication => return Outcome::RecreateApplication,
                ChannelStep::Reauthenticate => return Outcome::Reauthenticate,
                ChannelStep::Stop(StopReason::Replaced) => {
                    // Another P-GET took over this channel (409 PGetReplaced): start over with a
                    // fresh application instance rather than fight over it.
                    sleep(backoff_ms(1)).await;
                    return Outcome::RecreateApplication;
                }
                ChannelStep::Stop(reason) => return Outcome::Stop(reason.message()),
            }
        }
    }

    /// GET the application: `Ok` when it answers, `Err(Some)` when it must be recreated (or
    /// we must stop), `Err(None)` when the server is still unreachable.
    async fn probe_application(&self) -> Result<(), Option<Outcome>> {
        let Some(url) = self.app.borrow().as_ref().map(|a| a.app.clone()) else {
            return Err(Some(Outcome::RecreateApplication));
        };
        match self.http.get(&url).await {
            Ok(reply) if reply.is_success() => Ok(()),
            Ok(reply) if reply.status >= 500 || reply.status == 429 => Err(None),
            Ok(reply) => Err(Some(super::signin::outcome(&reply.failure(), RequestContext::Other, reply.diagnostics.as_deref()))),
            Err(_) => Err(None),
        }
    }

    fn handle_events(self: &Rc<Self>, base: &str, events: Vec<Event>, generation: u32) {
        let mut to_fetch: Vec<(String, String)> = Vec::new();
        for event in events {
            match event {
                Event::ContactPresenceUpdated { contact, href, presence } => match presence {
                    Some(p) => {
                        self.store.set_presence(&contact, PresenceView::from(&p));
                    }
                    None => {
                        if !to_fetch.iter().any(|(c, _)| *c == contact) {
                            to_fetch.push((contact, resolve(base, &href)));
                        }
                    }
                },
                Event::ContactAdded { contact, href } => self.fetch_person(contact, resolve(base, &href), generation),
                Event::MyPresenceUpdated { href, presence } => match presence {
                    Some(p) => self.store.set_my_presence(PresenceView::from(&p)),
                    None => self.fetch_my_presence(Some(resolve(base, &href)), generation),
                },
                Event::SubscriptionExpiring { href } => self.extend_subscription(resolve(base, &href), generation),
                Event::SubscriptionDeleted { href } => {
                    self.subs.borrow_mut().on_extend_failed_not_found(&resolve(base, &href));
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
            let Ok(reply) = this.http.get(&url).await else { return };
            if !reply.is_success() || !this.is_current(generation) {
                return;
            }
            match Contact::parse(&reply.body) {
                Ok(c) => {
                    this.remember_presence_url(&contact, &c, &url);
                    this.store.set_info(&contact, PersonInfo::from(&c));
                }
                Err(e) => web_sys::console::warn_1(&format!("ucwa-presence: bad contact {url}: {e}").into()),
            }
        });
    }

    fn fetch_my_presence(self: &Rc<Self>, url: Option<String>, generation: u32) {
        let Some(url) = url.or_else(|| self.app.borrow().as_ref().and_then(|a| a.my_presence.clone())) else {
            return;
        };
        let this = Rc::clone(self);
        spawn_local(async move {
            let Ok(reply) = this.http.get(&url).await else { return };
            if !reply.is_success() || !this.is_current(generation) {
                return;
            }
            if let Ok(p) = ContactPresence::parse(&reply.body) {
                this.store.set_my_presence(PresenceView::from(&p));
            }
        });
    }

    pub(crate) fn refresh_my_presence(self: &Rc<Self>) {
        self.fetch_my_presence(None, self.generation.get());
    }
}
