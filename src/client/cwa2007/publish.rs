//! My own state, note and location (bb969515, the seed): `publishSelfPresence` with one
//! category, shown as pending until the `selfPresence` event shows it (or a failure says why).
//! A change not yet confirmed when the CWA session is lost goes again in the new one.

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use super::super::note::failed as show_failure;
use super::super::store::{Connection, Resource};
use super::{failed, Session};
use crate::protocol::cwa2007::failure::{CwaFailure, CwaStep};
use crate::protocol::cwa2007::requests::{Request, INITIAL_AVAILABILITY};
use crate::protocol::cwa2007::{to_value, Reply, COMMAND_PATH};
use crate::protocol::failure::Action;
use crate::protocol::note::{LOCATION_MAX_CHARS, NOTE_MAX_CHARS};
use crate::protocol::Availability;

/// A change of mine, as it is published.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Change {
    /// The manual state's value; `None` resets it.
    State(Option<u32>),
    /// The personal note ("" clears it).
    Note(String),
    /// The location, in the machine state ("" clears it).
    Location(String),
}

impl Change {
    fn request(&self) -> Request<'_> {
        match self {
            Change::State(availability) => Request::PublishUserState {
                availability: *availability,
            },
            Change::Note(message) => Request::PublishNote { message },
            Change::Location(location) => Request::PublishMachineState {
                availability: INITIAL_AVAILABILITY,
                location: Some(location),
            },
        }
    }
}

/// My changes sent and not yet confirmed, by [`Resource`].
#[derive(Default)]
pub(crate) struct Own {
    sent: [Option<Change>; 3],
    /// Requests the server accepted (`requestAccepted`): their outcome comes as an event.
    accepted: Vec<(u32, Resource)>,
}

/// How one command ended.
pub(crate) enum Sent {
    /// `requestSucceeded`.
    Done,
    /// `requestAccepted`: the outcome comes as an event with this rid.
    Accepted(u32),
    /// Failed for good; the sentence says why.
    Failed(String),
    /// No session, or the session was lost or its ticket refused: the session recovers, and
    /// the request may go again then.
    Later,
}

impl Session {
    /// The status menu: the manual state (`None`: reset it). The own badge shows the change
    /// as pending until `selfPresence` shows it.
    pub fn set_availability(self: &Rc<Self>, choice: Option<Availability>) {
        let value = match choice {
            None => None,
            Some(availability) => match to_value(availability) {
                Some(value) => Some(value),
                None => {
                    return self.store.me.update(|m| {
                        m.error =
                            Some("Could not change your status: not a status one can set.".into())
                    })
                }
            },
        };
        self.store.me.update(|m| {
            m.pending = Some(choice);
            m.error = None;
        });
        self.change_own(Resource::Presence, Change::State(value));
    }

    /// The personal note (trimmed; blank clears it). Refused, never truncated, when longer
    /// than [`NOTE_MAX_CHARS`].
    pub fn set_note(self: &Rc<Self>, message: String) {
        self.change_text(Resource::Note, message, NOTE_MAX_CHARS);
    }

    /// The location (trimmed; blank clears it), published in the machine state. Refused when
    /// longer than [`LOCATION_MAX_CHARS`].
    pub fn set_location(self: &Rc<Self>, location: String) {
        self.change_text(Resource::Location, location, LOCATION_MAX_CHARS);
    }

    fn change_text(self: &Rc<Self>, resource: Resource, value: String, max: usize) {
        let value = value.trim().to_owned();
        if value.chars().count() > max {
            let why = format!("it is longer than {max} characters.");
            return self.store.me.update(|m| show_failure(m, resource, &why));
        }
        self.store.me.update(|m| {
            if resource == Resource::Note {
                m.note_pending = Some(value.clone());
            } else {
                m.location_pending = Some(value.clone());
            }
            m.note_error = None;
        });
        let change = match resource {
            Resource::Note => Change::Note(value),
            _ => Change::Location(value),
        };
        self.change_own(resource, change);
    }

    /// Keeps `change` as pending and sends it (now, or once a session is up).
    fn change_own(self: &Rc<Self>, resource: Resource, change: Change) {
        if self
            .store
            .connection
            .with_untracked(|c| matches!(c, Connection::Stopped { .. }))
        {
            return self
                .store
                .me
                .update(|m| show_failure(m, resource, "not connected."));
        }
        self.own.borrow_mut().sent[resource as usize] = Some(change);
        self.send_own(resource);
    }

    /// Sends every change still pending (after a new session or a new sign-in).
    pub(crate) fn resend_own(self: &Rc<Self>) {
        for resource in Resource::ALL {
            if self.own.borrow().sent[resource as usize].is_some() {
                self.send_own(resource);
            }
        }
    }

    fn send_own(self: &Rc<Self>, resource: Resource) {
        let this = Rc::clone(self);
        let generation = self.generation.get();
        spawn_local(async move {
            let Some(change) = this.own.borrow().sent[resource as usize].clone() else {
                return;
            };
            let outcome = this
                .command(CwaStep::Publish, change.request(), generation)
                .await;
            match outcome {
                Sent::Done | Sent::Later => {}
                Sent::Accepted(rid) => this.own.borrow_mut().accepted.push((rid, resource)),
                Sent::Failed(why) => this.own_failed(resource, &why, &change),
            }
        });
    }

    /// A change failed: no longer pending, and the user reads why.
    fn own_failed(&self, resource: Resource, why: &str, change: &Change) {
        let mut own = self.own.borrow_mut();
        // A newer change of the same resource is still on its way.
        if own.sent[resource as usize].as_ref() != Some(change) {
            return;
        }
        own.sent[resource as usize] = None;
        drop(own);
        self.store.me.update(|m| show_failure(m, resource, why));
    }

    /// A `requestFailed` event for an accepted request: the change it was for failed.
    pub(crate) fn accepted_failed(&self, rid: u32, why: &str) {
        let mut own = self.own.borrow_mut();
        let Some(at) = own.accepted.iter().position(|(r, _)| *r == rid) else {
            return;
        };
        let (_, resource) = own.accepted.remove(at);
        if own.sent[resource as usize].take().is_none() {
            return;
        }
        drop(own);
        self.store.me.update(|m| show_failure(m, resource, why));
    }

    /// `selfPresence` showed `resource` as the server has it now: a pending change of it is
    /// confirmed when `shows` says the server has the value it sent.
    pub(crate) fn confirm_own(&self, resource: Resource, shows: impl Fn(&Change) -> bool) -> bool {
        let mut own = self.own.borrow_mut();
        let confirmed = own.sent[resource as usize].as_ref().is_some_and(shows);
        if confirmed {
            own.sent[resource as usize] = None;
            own.accepted.retain(|(_, r)| *r != resource);
        }
        confirmed
    }

    /// Sends one request in the current CWA session and says how it ended. A lost session
    /// or a refused ticket is handed to the session (a new session, a new sign-in).
    pub(crate) async fn command(
        &self,
        step: CwaStep,
        request: Request<'_>,
        generation: u32,
    ) -> Sent {
        if !self.is_current(generation) {
            return Sent::Later;
        }
        let Some((rids, body)) = self.command_body([request]) else {
            return Sent::Later;
        };
        let rid = rids.first().copied().unwrap_or_default();
        let failure = match self.http.post(COMMAND_PATH, body).await {
            Ok(replies) => match replies.into_iter().next() {
                Some(Reply::Accepted { rid: accepted, .. }) => {
                    return Sent::Accepted(accepted.unwrap_or(rid))
                }
                Some(Reply::Failed { error, .. }) => CwaFailure::Cwa(error),
                Some(Reply::Rejected { error, .. }) => CwaFailure::Cwa(error.unwrap_or_default()),
                Some(_) => return Sent::Done,
                None => {
                    CwaFailure::Malformed("the server answered the request with nothing".into())
                }
            },
            Err(failure) => failure,
        };
        if self.session_failure(&failure, generation) {
            return Sent::Later;
        }
        match failed(step, failure) {
            (_, Action::GiveUp(reason) | Action::Stop(reason) | Action::AskCredentials(reason)) => {
                Sent::Failed(reason.message())
            }
            _ => Sent::Failed(
                "the Communicator Web Access server could not be reached; try again.".into(),
            ),
        }
    }
}
