//! Presence subscriptions (presenceSubscriptions_ref, seeds 000 and 001): create them for the
//! contacts on the page, extend them before they expire, re-create them when they are gone.

use std::rc::Rc;

use super::http::Method;
use wasm_bindgen_futures::spawn_local;

use super::http::Body;
use super::session::Session;
use super::timer::sleep;
use crate::protocol::error::{classify, Recovery, RequestContext};
use crate::protocol::fields::FromJson;
use crate::protocol::resources::{MembershipList, PresenceSubscription};
use crate::protocol::url::resolve;
use crate::protocol::subscription::{SubAction, Subscriptions};

impl Session {
    /// Sends whatever the subscription manager says is missing. No-op while not connected.
    pub(crate) fn sync_subscriptions(self: &Rc<Self>) {
        let Some(create_url) = self.app.borrow().as_ref().and_then(|a| a.presence_subscriptions.clone()) else {
            return;
        };
        let generation = self.generation.get();
        let actions = self.subs.borrow_mut().next_actions();
        for action in actions {
            let this = Rc::clone(self);
            let create_url = create_url.clone();
            spawn_local(async move { this.run_action(action, &create_url, generation).await });
        }
    }

    async fn run_action(self: &Rc<Self>, action: SubAction, create_url: &str, generation: u32) {
        match action {
            SubAction::Create { uris } => {
                let body = Subscriptions::create_body(&uris, self.config.subscription_minutes);
                let result = self.http.post_json(create_url, body).await;
                if !self.is_current(generation) {
                    return;
                }
                // One place that waits and tries again (fewer await points, a smaller future).
                let retry = match result {
                    Ok(reply) if reply.is_success() => match PresenceSubscription::parse(&reply.body) {
                        Ok(sub) => {
                            self.subs.borrow_mut().on_created(&uris, &sub, create_url);
                            false
                        }
                        Err(_) => true,
                    },
                    Ok(reply) => {
                        let err = reply.error();
                        match classify(&err, RequestContext::CreateSubscription, reply.diagnostics.as_deref()) {
                            Recovery::RecreateApplication | Recovery::Reauthenticate => {
                                // The event loop notices on its next poll; make it sooner.
                                self.subs.borrow_mut().on_create_failed(&uris);
                                self.force_reconnect(generation);
                                false
                            }
                            Recovery::Fail(reason) | Recovery::Stop(reason) => {
                                web_sys::console::error_1(
                                    &format!("ucwa-presence: cannot subscribe to {} contact(s): {reason}", uris.len()).into(),
                                );
                                self.subs.borrow_mut().on_create_failed(&uris);
                                false
                            }
                            _ => true,
                        }
                    }
                    Err(_) => true,
                };
                if retry {
                    self.retry_create(&uris, generation).await;
                }
            }
            SubAction::AddMembers { add_href, uris } => {
                let body = Subscriptions::add_members_body(&uris);
                let url = self.app_url(&add_href).unwrap_or(add_href.clone());
                match self.http.post_json(&url, body).await {
                    Ok(reply) if reply.is_success() => self.subs.borrow_mut().on_members_added(&add_href, &uris),
                    _ if self.is_current(generation) => {
                        self.subs.borrow_mut().on_members_add_failed(&add_href, &uris);
                        sleep(super::session::backoff_ms(2)).await;
                        self.schedule_sync();
                    }
                    _ => {}
                }
            }
            SubAction::LeaveMembers { subscription_href, memberships_href, uris } => {
                let left = self.leave(&memberships_href, &uris).await;
                if !self.is_current(generation) {
                    return;
                }
                let failed: Vec<String> = uris.iter().filter(|u| !left.contains(u)).cloned().collect();
                let mut subs = self.subs.borrow_mut();
                subs.on_members_left(&subscription_href, &left);
                subs.on_members_leave_failed(&subscription_href, &failed);
                drop(subs);
                // A contact wanted again meanwhile is added back by the next sync.
                self.schedule_sync();
            }
            SubAction::Delete { href } => {
                let result = self.http.send(Method::Delete, &href, Body::None).await;
                if !self.is_current(generation) {
                    return;
                }
                match result {
                    Ok(reply) if reply.is_success() || reply.status == 404 => self.subs.borrow_mut().on_deleted(&href),
                    _ => self.subs.borrow_mut().on_delete_failed(&href),
                }
                self.schedule_sync();
            }
            SubAction::Extend { url } => self.extend_subscription(url, generation),
        }
    }

    /// Takes `uris` out of a subscription: reads its memberships, DELETEs theirs. Returns the
    /// URIs that are out (DELETE answered 2xx or 404, or no membership was listed for them).
    async fn leave(&self, memberships_href: &str, uris: &[String]) -> Vec<String> {
        let Ok(reply) = self.http.get(memberships_href).await else { return Vec::new() };
        if !reply.is_success() {
            return Vec::new();
        }
        let Ok(list) = MembershipList::parse(&reply.body) else { return Vec::new() };
        let mut left: Vec<String> = uris.iter().filter(|u| list.hrefs_of(std::slice::from_ref(u)).next().is_none()).cloned().collect();
        for (uri, href) in list.hrefs_of(uris) {
            let url = resolve(memberships_href, href);
            if let Ok(reply) = self.http.send(Method::Delete, &url, Body::None).await {
                if reply.is_success() || reply.status == 404 {
                    left.push(uri.to_owned());
                }
            }
        }
        left
    }

    async fn retry_create(self: &Rc<Self>, uris: &[String], generation: u32) {
        self.subs.borrow_mut().on_create_failed(uris);
        sleep(super::session::backoff_ms(2)).await;
        if self.is_current(generation) {
            self.schedule_sync();
        }
    }

    /// `presenceSubscription updated` = about to expire: POST `{self}?duration=N` (seed 001).
    /// A 404 means it is gone already: forget it, and the next sync creates it again.
    pub(crate) fn extend_subscription(self: &Rc<Self>, href: String, generation: u32) {
        let Some(action) = self.subs.borrow_mut().on_expiring(&href) else { return };
        let SubAction::Extend { url } = action else { return };
        let this = Rc::clone(self);
        spawn_local(async move {
            let result = this.http.send(Method::Post, &url, Body::None).await;
            if !this.is_current(generation) {
                return;
            }
            match result {
                Ok(reply) if reply.is_success() => this.subs.borrow_mut().on_extended(&href),
                Ok(reply) if reply.status == 404 || reply.status == 410 => {
                    this.subs.borrow_mut().on_extend_failed_not_found(&href);
                    this.schedule_sync();
                }
                _ => {
                    // Transient: forget it and subscribe again rather than let it lapse.
                    this.subs.borrow_mut().on_extend_failed_not_found(&href);
                    sleep(1_000).await;
                    this.schedule_sync();
                }
            }
        });
    }

    /// Makes the event loop give up its application now (e.g. a 404 ApplicationNotFound seen
    /// by another request): the run loop creates a new one and restores everything.
    pub(crate) fn force_reconnect(self: &Rc<Self>, generation: u32) {
        if self.generation.get() == generation {
            self.end_generation();
        }
    }
}
