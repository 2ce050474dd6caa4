//! My note and location (note_ref, location_ref): changes sent, shown as pending until the
//! server's `note updated` / `location updated` event (or a read-back) confirms them; and
//! photos (contactPhoto_ref), loaded once per person when a component asks.

use leptos::prelude::*;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use super::http::{Body, Method};
use super::session::Session;
use super::store::{MeView, PhotoView, Resource};
use super::timer::sleep;
use crate::protocol::failure::{Action, Reason, Step};
use crate::protocol::note::{location_body, note_body, LOCATION_MAX_CHARS, NOTE_MAX_CHARS};
use crate::protocol::resources::is_image;
use crate::protocol::sip::normalize_sip_uri;
use crate::sorted::SortedSet;

/// How long a change may wait for the server's event before the widget reads it back itself.
const CONFIRM_WITHIN_MS: u32 = 10_000;

/// What the user reads when a change of `resource` failed.
fn failed(me: &mut MeView, resource: Resource, why: &str) {
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

    /// A component shows `uri`'s photo: load it once (sets the store's `PhotoView`). A contact
    /// not read yet gets it once its `contactPhoto` link is known (a contact that is never read,
    /// as one outside the directory whose subscription brings nothing, stays `Pending`:
    /// initials).
    pub fn want_photo(self: &Rc<Self>, uri: &str) {
        let mut photos = self.photos.borrow_mut();
        if photos.asked.contains(uri) || photos.waiting.contains(uri) {
            return;
        }
        let mine = self.store.me.with_untracked(|m| {
            m.uri.as_deref().and_then(normalize_sip_uri).as_deref() == Some(uri)
        });
        // A contact with a name was read: its link, or its lack of one, is known.
        let read = self.store.person(uri).info.get_untracked().name.is_some();
        if mine || read {
            photos.asked.insert(uri.to_owned());
            drop(photos);
            self.load_photo(uri, mine);
        } else {
            photos.waiting.insert(uri.to_owned());
        }
    }

    /// The contact `uri` was read (or could not be): a photo asked for meanwhile loads now.
    pub(crate) fn photo_info_known(self: &Rc<Self>, uri: &str) {
        let mut photos = self.photos.borrow_mut();
        if photos.waiting.remove(uri) {
            photos.asked.insert(uri.to_owned());
            drop(photos);
            self.load_photo(uri, false);
        }
    }

    /// Over the XFrame the `<img>` loads the URL itself (the server's `cwt_ucwa` cookie
    /// authorises it); over CORS the bytes are fetched with the token (only to its own origin,
    /// as every request) and shown as an object URL. No link, non-2xx, not an image, network:
    /// `Missing`. Never batched, never retried.
    #[inline(never)]
    fn load_photo(self: &Rc<Self>, uri: &str, mine: bool) {
        let link = if mine {
            self.store.me.with_untracked(|m| m.photo.clone())
        } else {
            self.store.person(uri).info.get_untracked().photo
        };
        let uri = uri.to_owned();
        let Some(url) = link else {
            self.store.set_photo(&uri, PhotoView::Missing);
            return;
        };
        if self.http.by_frame() {
            self.store.set_photo(&uri, PhotoView::Src(url));
            return;
        }
        let this = Rc::clone(self);
        spawn_local(async move {
            let reply = this.http.send(Method::Get, &url, Body::Image).await;
            let view = match reply {
                Ok(r) if r.is_success() && r.content_type.as_deref().is_some_and(is_image) => {
                    PhotoView::Src(r.body)
                }
                _ => PhotoView::Missing,
            };
            this.store.set_photo(&uri, view);
        });
    }
}

/// Photos asked for: loaded or being loaded, or waiting for their contact to be read.
#[derive(Default)]
pub(crate) struct Photos {
    asked: SortedSet<String>,
    waiting: SortedSet<String>,
}
