//! Reading resources: contacts, presences, notes and locations, one GET for one, `batch`
//! requests (BatchingRequests) for several, and what each answer does to the store.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use super::http::{Body, Method, Reply};
use super::session::Session;
use super::store::{NoteView, PersonInfo, PresenceView, Resource};
use super::timer::sleep;
use crate::protocol::batch::{batch_boundary, content_type, decode_batch, encode_batch};
use crate::protocol::failure::{Action, Step};
use crate::protocol::fields::FromJson;
use crate::protocol::resources::{Contact, ContactPresence, Location, Note};
use crate::protocol::url::{origin_of, path_and_query};

/// After a 429 the refused reads wait this long (the docs ask for a pause before the retry).
const REFUSED_BATCH_PAUSE_MS: u32 = 250;

/// What a GET reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `people/{u}`: the card, and the links of the contact's other resources.
    Contact,
    /// A presence, note or location (a contact's, or mine).
    Of(Resource),
}

/// One GET and whose answer it is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Read {
    pub kind: Kind,
    /// The contact's SIP URI; `None`: mine.
    pub person: Option<String>,
    pub url: String,
}

impl Read {
    pub fn of(resource: Resource, person: Option<String>, url: String) -> Read {
        Read {
            kind: Kind::Of(resource),
            person,
            url,
        }
    }
}

/// The card of a contact read from `url`, its photo link resolved.
pub(crate) fn person_info(contact: &Contact, url: &str) -> PersonInfo {
    PersonInfo {
        photo: contact.links.url("contactPhoto", url),
        ..PersonInfo::from(contact)
    }
}

/// The note a `contactNote` / `me/note` shows; `None` when blank.
fn note_view(note: &Note) -> Option<NoteView> {
    let message = note.message.clone()?;
    Some(NoteView {
        message,
        out_of_office: note.is_out_of_office(),
    })
}

impl Session {
    /// Every known resource of the wanted contacts, to read again on resync.
    pub(crate) fn known_reads(&self) -> Vec<Read> {
        let wanted: Vec<String> = self.subs.borrow().wanted().map(str::to_owned).collect();
        let mut reads = Vec::new();
        for contact in wanted {
            for resource in Resource::ALL {
                if let Some(url) = self.store.url(&contact, resource) {
                    reads.push(Read::of(resource, Some(contact.clone()), url));
                }
            }
        }
        reads
    }

    /// My presence, note and location (or only `only`), as far as the application links them.
    pub(crate) fn my_reads(&self, only: Option<Resource>) -> Vec<Read> {
        let mut reads = Vec::new();
        if let Some(app) = self.app.borrow().as_ref() {
            for (resource, url) in [
                (Resource::Presence, &app.my_presence),
                (Resource::Note, &app.my_note),
                (Resource::Location, &app.my_location),
            ] {
                if let (Some(url), true) = (url, only.is_none_or(|o| o == resource)) {
                    reads.push(Read::of(resource, None, url.clone()));
                }
            }
        }
        reads
    }

    /// Queues these GETs and sends what the outstanding limit allows: one request for one,
    /// `batch` requests of up to 100 for several. Reads still waiting for an older application
    /// are dropped.
    pub(crate) fn fetch(self: &Rc<Self>, reads: Vec<Read>, generation: u32) {
        if generation != self.generation.get() {
            return;
        }
        {
            let mut queue = self.reads.borrow_mut();
            if self.reads_generation.replace(generation) != generation {
                queue.clear();
            }
            for read in reads {
                if let (Kind::Of(resource), Some(person)) = (read.kind, &read.person) {
                    self.store.set_url(person, resource, read.url.clone());
                }
                let (kind, person) = (read.kind, read.person.clone());
                queue.push(read, |w| w.kind == kind && w.person == person);
            }
        }
        self.send_reads();
    }

    /// Sends the next batches the queue allows, each in its own task.
    fn send_reads(self: &Rc<Self>) {
        let generation = self.reads_generation.get();
        if !self.is_current(generation) {
            return self.reads.borrow_mut().clear();
        }
        let batch_url = self.app.borrow().as_ref().and_then(|a| a.batch.clone());
        while let Some(chunk) = self.reads.borrow_mut().next_batch() {
            let this = Rc::clone(self);
            let batch_url = batch_url.clone();
            spawn_local(async move {
                let mut next = Vec::new();
                // A batch's parts stop counting as outstanding when it is answered; a single
                // GET's when it is.
                let (singles, outstanding) = match (&batch_url, chunk.len()) {
                    (Some(url), n) if n > 1 => {
                        (this.fetch_batch(url, chunk, generation, &mut next).await, 0)
                    }
                    (_, n) => (chunk, n),
                };
                for read in singles {
                    match this.read(&read.url, generation).await {
                        Some(reply) => {
                            this.apply(&read, &reply.body, &mut next);
                        }
                        None => this.unanswered(&read),
                    }
                }
                this.reads.borrow_mut().done(outstanding);
                this.fetch(next, generation);
            });
        }
    }

    /// GETs a resource; `None` when it failed or the application of `generation` is gone
    /// meanwhile.
    pub(crate) async fn read(self: &Rc<Self>, url: &str, generation: u32) -> Option<Reply> {
        let reply = self
            .request(Step::PresenceGet, Method::Get, url, Body::None)
            .await
            .ok()?;
        self.is_current(generation).then_some(reply)
    }

    /// One `multipart/batching` POST. Once it is answered its parts are no longer outstanding:
    /// the next batch goes out while this one's answers are written. A batch refused as a whole
    /// (429: too many outstanding requests; or any transient failure) waits again, to go out in
    /// smaller batches after a pause (BatchingRequests); a part without a usable answer is read
    /// singly; one refused for good (403, 404: a contact outside the directory) is not asked
    /// again.
    async fn fetch_batch(
        self: &Rc<Self>,
        batch_url: &str,
        chunk: Vec<Read>,
        generation: u32,
        next: &mut Vec<Read>,
    ) -> Vec<Read> {
        let host = origin_of(batch_url)
            .map(|o| o.split("://").nth(1).unwrap_or_default().to_owned())
            .unwrap_or_default();
        let paths: Vec<&str> = chunk.iter().map(|r| path_and_query(&r.url)).collect();
        let boundary = batch_boundary((js_sys::Math::random() * 1e15) as u64);
        let body = Body::Raw {
            content_type: content_type(&boundary),
            accept: "multipart/batching".into(),
            body: encode_batch(&boundary, &host, &paths, None),
        };
        let reply = self
            .request_retrying(Step::PresenceGet, 0, Method::Post, batch_url, body)
            .await;
        let reply = match reply {
            Err(Action::Retry | Action::WaitForNetwork) => {
                self.reads.borrow_mut().refused(chunk);
                sleep(REFUSED_BATCH_PAUSE_MS).await;
                return Vec::new();
            }
            // Signing in again or a new application reads everything again.
            Err(_) => {
                self.reads.borrow_mut().done(chunk.len());
                return Vec::new();
            }
            Ok(reply) => reply,
        };
        self.reads.borrow_mut().done(chunk.len());
        self.send_reads();
        let parts = match reply.content_type.as_deref() {
            Some(ct) => decode_batch(ct, &reply.body).unwrap_or_default(),
            None => Vec::new(),
        };
        if !self.is_current(generation) {
            return Vec::new();
        }
        let mut leftover = Vec::new();
        // Batch responses come in request order (BatchingRequests).
        for (i, read) in chunk.into_iter().enumerate() {
            let part = parts.get(i);
            match part.map(|p| p.status) {
                Some(200..=299) if part.is_some_and(|p| self.apply(&read, &p.body, next)) => {}
                Some(403 | 404) => self.unanswered(&read),
                _ => leftover.push(read),
            }
        }
        leftover
    }

    /// Writes an answer to the store; false when the body is not the resource.
    fn apply(self: &Rc<Self>, read: &Read, body: &str, next: &mut Vec<Read>) -> bool {
        let store = &self.store;
        let person = read.person.as_deref();
        match read.kind {
            Kind::Contact => {
                let (Ok(c), Some(person)) = (Contact::parse(body), person) else {
                    return false;
                };
                store.set_info(person, person_info(&c, &read.url));
                for (resource, rel) in [
                    (Resource::Presence, "contactPresence"),
                    (Resource::Note, "contactNote"),
                    (Resource::Location, "contactLocation"),
                ] {
                    if let Some(url) = c.links.url(rel, &read.url) {
                        if resource == Resource::Presence {
                            // Its `contactPresence updated` event brings it.
                            store.set_url(person, resource, url);
                        } else {
                            next.push(Read::of(resource, Some(person.to_owned()), url));
                        }
                    }
                }
                #[cfg(feature = "rich-display")]
                self.photo_info_known(person);
            }
            Kind::Of(Resource::Presence) => {
                let Ok(p) = ContactPresence::parse(body) else {
                    return false;
                };
                let view = PresenceView::from(&p);
                match person {
                    Some(person) => {
                        store.set_presence(person, view);
                    }
                    None => store.set_my_presence(view),
                }
            }
            Kind::Of(Resource::Note) => {
                let Ok(note) = Note::parse(body) else {
                    return false;
                };
                let note = note_view(&note);
                match person {
                    Some(person) => {
                        store.set_note(person, note);
                    }
                    None => store.set_my_note(note),
                }
            }
            Kind::Of(Resource::Location) => {
                let Ok(place) = Location::parse(body) else {
                    return false;
                };
                match person {
                    Some(person) => {
                        store.set_location(person, place.location);
                    }
                    None => store.set_my_location(place.location),
                }
            }
        }
        true
    }

    /// A read that got no usable answer: the store keeps what it had (a presence never read
    /// stays unknown, never offline); a contact that could not be read has no photo.
    #[cfg_attr(not(feature = "rich-display"), allow(unused_variables))]
    fn unanswered(self: &Rc<Self>, read: &Read) {
        #[cfg(feature = "rich-display")]
        if let (Kind::Contact, Some(person)) = (read.kind, &read.person) {
            self.photo_info_known(person);
        }
    }
}
