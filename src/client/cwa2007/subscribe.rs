//! The contacts the page shows: `subscribePresence` (bb969483) for the ones newly wanted, one
//! command per burst of page changes with at most [`URIS_PER_REQUEST`] URIs a request, and
//! `unSubscribePresence` (bb969526) for the ones nobody shows any more (reference-counted: two
//! badges for one person are one subscription). The user's contacts are the server's to watch
//! (`autoSubscribePresenceForContacts`): they are never unsubscribed.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use super::super::timer::{jitter, sleep};
use super::{failed, Session};
use crate::protocol::cwa2007::failure::{CwaFailure, CwaStep};
use crate::protocol::cwa2007::requests::Request;
use crate::protocol::cwa2007::{CwaError, Reply, COMMAND_PATH};
use crate::protocol::failure::Action;
use crate::protocol::sip::normalize_sip_uri;
use crate::sorted::{SortedMap, SortedSet};

/// URIs per `subscribePresence`: the server's limit is its own (the reference server's
/// `--cwa-max-uris`, 200 by default); 100 is a safe choice.
pub(crate) const URIS_PER_REQUEST: usize = 100;

#[derive(Default)]
pub(crate) struct Watched {
    /// Normalised URI → number of `want` calls not yet matched by `unwant`.
    wanted: SortedMap<String, u32>,
    /// Subscribed in the current CWA session, or being subscribed.
    sent: SortedSet<String>,
    /// The user's contacts (`contactGroup`): the server watches them for the session.
    contacts: SortedSet<String>,
}

impl Watched {
    fn want(&mut self, uri: String) {
        let count = self.wanted.get_or_insert_with(uri, || 0);
        *count = count.saturating_add(1);
    }

    fn unwant(&mut self, uri: &str) {
        if let Some(count) = self.wanted.get_mut(uri) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                self.wanted.remove(uri);
            }
        }
    }

    /// A new CWA session has no subscriptions: every wanted URI goes again.
    pub fn forget_sent(&mut self) {
        self.sent.clear();
    }

    /// The user's contact list changed.
    pub fn set_contacts(&mut self, contacts: impl IntoIterator<Item = String>) {
        self.contacts.clear();
        for uri in contacts {
            self.contacts.insert(uri);
        }
    }

    /// (to subscribe, to unsubscribe) now; both are taken as done until told otherwise.
    fn next(&mut self) -> (Vec<String>, Vec<String>) {
        let add: Vec<String> = self
            .wanted
            .keys()
            .filter(|u| !self.sent.contains(*u))
            .cloned()
            .collect();
        let remove: Vec<String> = self
            .sent
            .iter()
            .filter(|u| !self.wanted.contains_key(*u) && !self.contacts.contains(*u))
            .cloned()
            .collect();
        for uri in &add {
            self.sent.insert(uri.clone());
        }
        for uri in &remove {
            self.sent.remove(uri);
        }
        (add, remove)
    }

    /// Subscribing these failed: they are pending again.
    fn failed(&mut self, uris: &[String]) {
        for uri in uris {
            self.sent.remove(uri);
        }
    }
}

impl Session {
    /// A page element wants this contact's presence (ref-counted).
    pub fn want(self: &Rc<Self>, uri: &str) {
        if let Some(uri) = normalize_sip_uri(uri) {
            self.watched.borrow_mut().want(uri);
            self.schedule_sync();
        }
    }

    /// A page element no longer shows this contact.
    pub fn unwant(self: &Rc<Self>, uri: &str) {
        if let Some(uri) = normalize_sip_uri(uri) {
            self.watched.borrow_mut().unwant(&uri);
            self.schedule_sync();
        }
    }

    /// Syncs once after the current burst of page changes (one task turn), so fifty badges
    /// added at once make one command, not fifty.
    pub(crate) fn schedule_sync(self: &Rc<Self>) {
        if !self.sync_scheduled.replace(true) {
            let this = Rc::clone(self);
            spawn_local(async move {
                this.sync_scheduled.set(false);
                this.sync();
            });
        }
    }

    /// Sends what is missing, in one command. Nothing without a session (the next one syncs).
    fn sync(self: &Rc<Self>) {
        if self.channel.borrow().is_none() {
            return;
        }
        let (add, remove) = self.watched.borrow_mut().next();
        let requests = add
            .chunks(URIS_PER_REQUEST)
            .map(|uris| Request::SubscribePresence { uris })
            .chain(
                remove
                    .chunks(URIS_PER_REQUEST)
                    .map(|uris| Request::UnsubscribePresence { uris }),
            );
        let Some((rids, body)) = self.command_body(requests) else {
            return self.watched.borrow_mut().failed(&add);
        };
        if rids.is_empty() {
            return;
        }
        // The rids of the subscribe requests, with their URIs.
        let subscribed: Vec<(u32, Vec<String>)> = rids
            .iter()
            .copied()
            .zip(add.chunks(URIS_PER_REQUEST).map(<[String]>::to_vec))
            .collect();
        let generation = self.generation.get();
        let this = Rc::clone(self);
        spawn_local(async move {
            let result = this.http.post(COMMAND_PATH, body).await;
            if !this.is_current(generation) {
                return;
            }
            let failure = match result {
                Ok(replies) => {
                    let (refused, error) =
                        this.refused_subscriptions(&replies, &subscribed, generation);
                    let Some(error) = error else {
                        this.sub_backoff.borrow_mut().on_success();
                        return;
                    };
                    this.watched.borrow_mut().failed(&refused);
                    CwaFailure::Cwa(error)
                }
                Err(failure) => {
                    if this.session_failure(&failure, generation) {
                        return;
                    }
                    this.watched.borrow_mut().failed(&add);
                    failure
                }
            };
            this.sync_later(failure, generation).await;
        });
    }

    /// The URIs of the subscribe requests the server refused, and the first refusal (a lost
    /// session hands itself to the run loop instead: the new session subscribes everything).
    fn refused_subscriptions(
        &self,
        replies: &[Reply],
        subscribed: &[(u32, Vec<String>)],
        generation: u32,
    ) -> (Vec<String>, Option<CwaError>) {
        let mut refused = Vec::new();
        let mut first = None;
        for (at, reply) in replies.iter().enumerate() {
            let Some(error) = super::http::error_of(reply) else {
                continue;
            };
            if error.is_session_lost() {
                self.lose_session(generation);
                return (Vec::new(), None);
            }
            web_sys::console::warn_1(
                &format!("ucwa-presence: CWA presence subscription: {error}").into(),
            );
            let rid = match reply {
                Reply::Failed { rid, .. } | Reply::Rejected { rid, .. } => *rid,
                _ => None,
            };
            let uris = match rid {
                Some(rid) => subscribed.iter().find(|(r, _)| *r == rid),
                None => subscribed.get(at),
            };
            if let Some((_, uris)) = uris {
                refused.extend(uris.iter().cloned());
            }
            first.get_or_insert(error);
        }
        (refused, first)
    }

    /// After a failed subscription command: wait the subscription backoff, then sync again
    /// (or say why it will not be).
    async fn sync_later(self: &Rc<Self>, failure: CwaFailure, generation: u32) {
        let (_, action) = failed(CwaStep::Subscribe, failure);
        let (action, delay) = {
            let mut backoff = self.sub_backoff.borrow_mut();
            let action = backoff.on_failure(super::step_of(CwaStep::Subscribe), action);
            (action, backoff.delay_ms(jitter()))
        };
        match action {
            Action::GiveUp(reason) | Action::Stop(reason) => {
                web_sys::console::error_1(
                    &format!("ucwa-presence: presence subscription: {}", reason.message()).into(),
                );
            }
            _ => {
                sleep(delay).await;
                if self.is_current(generation) {
                    self.schedule_sync();
                }
            }
        }
    }
}
