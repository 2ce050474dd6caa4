//! Setting my own presence and keeping me active (presence_ref, reportMyActivity_ref).

use leptos::prelude::*;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use super::http::{Body, Method};
use super::session::Session;
use super::store::Resource;
use super::timer::sleep;
use crate::protocol::failure::Step;
use crate::protocol::json::ObjectWriter;
use crate::protocol::url::resolve;
use crate::protocol::Availability;

/// reportMyActivity at least every 4 minutes (reportMyActivity_ref); 3 leaves room.
const ACTIVITY_EVERY_MS: u32 = 180_000;

impl Session {
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
        self.post_mine(Resource::Presence, url, body);
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
