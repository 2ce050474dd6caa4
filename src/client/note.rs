//! My note and location (note_ref, location_ref): changes sent, shown as pending until the
//! server's `note updated` / `location updated` event (or a read-back) confirms them.

use leptos::prelude::*;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use super::http::{Body, Method};
use super::session::Session;
use super::store::{MeView, Resource};
use super::timer::sleep;
use crate::protocol::failure::{Action, Reason, Step};
use crate::protocol::note::{location_body, note_body, LOCATION_MAX_CHARS, NOTE_MAX_CHARS};

/// How long a change may wait for the server's event before the widget reads it back itself.
const CONFIRM_WITHIN_MS: u32 = 10_000;

/// What the user reads when a change of `resource` failed.
pub(crate) fn failed(me: &mut MeView, resource: Resource, why: &str) {
    let what = match resource {
        Resource::Presence => {
            me.pending = None;
            me.error = Some(format!("Could not change your status: {why}"));
            return;
        }
        Resource::Note => {
            me.note_pending = None;
            "note"
        }
        Resource::Location => {
            me.location_pending = None;
            "location"
        }
    };
    me.note_error = Some(format!("Could not change your {what}: {why}"));
}

fn is_pending(me: &MeView, resource: Resource) -> bool {
    match resource {
        Resource::Presence => me.pending.is_some(),
        Resource::Note => me.note_pending.is_some(),
        Resource::Location => me.location_pending.is_some(),
    }
}

impl Session {
    /// POST me/note `{"message":…}` (trimmed; blank clears it, note_ref: only the personal
    /// note can be set). Refused with an error, never truncated, when longer than 500.
    pub fn set_note(self: &Rc<Self>, message: String) {
        let url = self.app.borrow().as_ref().and_then(|a| a.my_note.clone());
        let body = note_body(&message);
        self.change_mine(Resource::Note, url, body, NOTE_MAX_CHARS, &message);
    }

    /// POST me/location `{"location":…}` (trimmed; blank clears it). Refused when longer
    /// than 60.
    pub fn set_location(self: &Rc<Self>, location: String) {
        let url = self
            .app
            .borrow()
            .as_ref()
            .and_then(|a| a.my_location.clone());
        let body = location_body(&location);
        self.change_mine(Resource::Location, url, body, LOCATION_MAX_CHARS, &location);
    }

    /// Sends a note or location change, or says why it cannot go.
    fn change_mine(
        self: &Rc<Self>,
        resource: Resource,
        url: Option<String>,
        body: Option<String>,
        max: usize,
        value: &str,
    ) {
        let why = match (url, body) {
            (Some(url), Some(body)) => {
                let value = Some(value.trim().to_owned());
                self.store.me.update(|m| {
                    if resource == Resource::Note {
                        m.note_pending = value;
                    } else {
                        m.location_pending = value;
                    }
                    m.note_error = None;
                });
                return self.post_mine(resource, url, body);
            }
            (None, _) => "not connected yet.".to_owned(),
            (_, None) => format!("it is longer than {max} characters."),
        };
        self.store.me.update(|m| failed(m, resource, &why));
    }

    /// POSTs a change of mine whose pending state is set: a failure clears it and says why;
    /// success waits for the server's event, and reads the resource back itself if the event
    /// is slow.
    pub(crate) fn post_mine(self: &Rc<Self>, resource: Resource, url: String, body: String) {
        let this = Rc::clone(self);
        let generation = self.generation.get();
        spawn_local(async move {
            let result = this
                .request(Step::SetPresence, Method::Post, &url, Body::Json(body))
                .await;
            let error = match result {
                Ok(_) => None,
                Err(Action::GiveUp(reason) | Action::Stop(reason)) => Some(reason),
                // Signing in again or reconnecting (which also makes me available again): the
                // change is lost, say so.
                Err(_) => Some(Reason::Unreachable),
            };
            if let Some(reason) = error {
                let why = reason.message();
                this.store.me.update(|m| failed(m, resource, &why));
            } else {
                // Normally the event arrives first; if the channel is slow, read it back.
                sleep(CONFIRM_WITHIN_MS).await;
                if this.is_current(generation)
                    && this.store.me.with_untracked(|m| is_pending(m, resource))
                {
                    this.fetch(this.my_reads(Some(resource)), generation);
                }
            }
        });
    }
}
