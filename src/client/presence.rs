//! Reading presence (one GET, or one `batch` for several: BatchingRequests) and setting my own
//! (presence_ref, reportMyActivity_ref).

use leptos::prelude::*;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use super::http::Method;
use super::http::{Body, Reply};
use super::session::Session;
use super::store::PresenceView;
use super::timer::sleep;
use crate::protocol::batch::{batch_boundary, content_type, decode_batch, encode_batch};
use crate::protocol::failure::{Action, Reason, Step};
use crate::protocol::fields::FromJson;
use crate::protocol::json::ObjectWriter;
use crate::protocol::resources::{Contact, ContactPresence};
use crate::protocol::url::{origin_of, path_and_query, resolve};
use crate::protocol::Availability;

/// UCWA allows at most 100 outstanding requests per user; stay well below in one batch.
const BATCH_MAX: usize = 50;
/// reportMyActivity at least every 4 minutes (reportMyActivity_ref); 3 leaves room.
const ACTIVITY_EVERY_MS: u32 = 180_000;
/// How long a status change may wait for the server's `presence updated` event before the
/// widget reads my presence back itself.
const CONFIRM_WITHIN_MS: u32 = 10_000;

impl Session {
    pub(crate) fn remember_presence_url(&self, contact: &str, c: &Contact, contact_url: &str) {
        if let Some(url) = c.links.url("contactPresence", contact_url) {
            self.store.set_presence_url(contact, url);
        }
    }

    pub(crate) fn known_presence_urls(&self) -> Vec<(String, String)> {
        let wanted: Vec<String> = self.subs.borrow().wanted().map(str::to_owned).collect();
        wanted
            .into_iter()
            .filter_map(|c| self.store.presence_url(&c).map(|u| (c, u)))
            .collect()
    }

    /// GETs these presences: one request for one, `batch` requests for several.
    pub(crate) fn fetch_presences(self: &Rc<Self>, items: Vec<(String, String)>, generation: u32) {
        for (contact, url) in &items {
            self.store.set_presence_url(contact, url.clone());
        }
        let batch = self.app.borrow().as_ref().and_then(|a| a.batch.clone());
        for chunk in items.chunks(BATCH_MAX) {
            let chunk = chunk.to_vec();
            let this = Rc::clone(self);
            let batch = batch.clone();
            spawn_local(async move {
                let leftover = match (&batch, chunk.len()) {
                    (Some(batch), n) if n > 1 => this.fetch_batch(batch, chunk, generation).await,
                    _ => chunk,
                };
                for (contact, url) in leftover {
                    this.fetch_one_presence(&contact, &url, generation).await;
                }
            });
        }
    }

    /// GETs a contact, a presence or my presence; `None` when it failed or the application of
    /// `generation` is gone meanwhile.
    pub(crate) async fn read(self: &Rc<Self>, url: &str, generation: u32) -> Option<Reply> {
        let reply = self
            .request(Step::PresenceGet, Method::Get, url, Body::None)
            .await
            .ok()?;
        self.is_current(generation).then_some(reply)
    }

    async fn fetch_one_presence(self: &Rc<Self>, contact: &str, url: &str, generation: u32) {
        let Some(reply) = self.read(url, generation).await else {
            return;
        };
        if let Ok(p) = ContactPresence::parse(&reply.body) {
            self.store.set_presence(contact, PresenceView::from(&p));
        }
    }

    /// One `multipart/batching` POST; returns the items it could not answer (to GET singly).
    async fn fetch_batch(
        self: &Rc<Self>,
        batch_url: &str,
        items: Vec<(String, String)>,
        generation: u32,
    ) -> Vec<(String, String)> {
        let host = origin_of(batch_url)
            .map(|o| o.split("://").nth(1).unwrap_or_default().to_owned())
            .unwrap_or_default();
        let paths: Vec<&str> = items.iter().map(|(_, u)| path_and_query(u)).collect();
        let boundary = batch_boundary((js_sys::Math::random() * 1e15) as u64);
        let body = Body::Raw {
            content_type: content_type(&boundary),
            accept: "multipart/batching".into(),
            body: encode_batch(&boundary, &host, &paths, None),
        };
        let Ok(reply) = self
            .request(Step::PresenceGet, Method::Post, batch_url, body)
            .await
        else {
            return items;
        };
        if !self.is_current(generation) {
            return Vec::new();
        }
        let Some(ct) = reply.content_type.as_deref() else {
            return items;
        };
        let Ok(parts) = decode_batch(ct, &reply.body) else {
            return items;
        };
        let mut leftover = Vec::new();
        for (i, (contact, url)) in items.into_iter().enumerate() {
            let presence = parts
                .get(i)
                .filter(|p| (200..300).contains(&p.status))
                .and_then(|p| ContactPresence::parse(&p.body).ok());
            match presence {
                // Batch responses come in request order (BatchingRequests).
                Some(p) => {
                    self.store.set_presence(&contact, PresenceView::from(&p));
                }
                None => leftover.push((contact, url)),
            }
        }
        leftover
    }

    /// The status menu: POST me/presence {"availability":…}, or an empty body to reset. The own
    /// badge changes when the server's `presence updated` event arrives; until then it shows the
    /// change as pending.
    pub fn set_availability(self: &Rc<Self>, availability: Option<Availability>) {
        let Some(url) = self
            .app
            .borrow()
            .as_ref()
            .and_then(|a| a.my_presence.clone())
        else {
            self.store
                .me
                .update(|m| m.error = Some("Not connected yet.".into()));
            return;
        };
        let body = match availability.and_then(|a| a.as_token()) {
            Some(token) => ObjectWriter::new().string("availability", token).finish(),
            None => "{}".to_owned(),
        };
        self.store.me.update(|m| {
            m.pending = Some(availability);
            m.error = None;
        });
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
                this.store.me.update(|m| {
                    m.pending = None;
                    m.error = Some(format!(
                        "Could not change your status: {}",
                        reason.message()
                    ));
                });
            } else {
                // Normally the event arrives first; if the channel is slow, read it back.
                sleep(CONFIRM_WITHIN_MS).await;
                if this.is_current(generation)
                    && this.store.me.with_untracked(|m| m.pending.is_some())
                {
                    this.refresh_my_presence();
                }
            }
        });
    }

    /// POST reportMyActivity every 3 minutes while the page is visible, so the user does not
    /// turn Away while they use the page.
    pub(crate) fn spawn_activity_reports(self: &Rc<Self>) {
        let Some(url) = self
            .app
            .borrow()
            .as_ref()
            .and_then(|a| a.report_activity.clone())
        else {
            return;
        };
        let this = Rc::clone(self);
        let generation = self.generation.get();
        spawn_local(async move {
            while this.is_current(generation) {
                let visible = web_sys::window()
                    .and_then(|w| w.document())
                    .map(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
                    .unwrap_or(true);
                if visible {
                    // Failures are the session's business (see `request`).
                    let _ = this
                        .request(Step::ReportActivity, Method::Post, &url, Body::None)
                        .await;
                }
                sleep(ACTIVITY_EVERY_MS).await;
            }
        });
    }

    /// A people href from the server, resolved against the application.
    pub(crate) fn app_url(&self, href: &str) -> Option<String> {
        self.app.borrow().as_ref().map(|a| resolve(&a.app, href))
    }
}
