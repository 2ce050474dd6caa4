//! Presence subscriptions (presenceSubscriptions_ref, seeds 000 and 001): create them for the
//! contacts on the page, extend them before they expire, re-create them when they are gone.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use super::http::{Body, Method};
use super::session::Session;
use crate::protocol::failure::{decide, Action, Failure, Step};
use crate::protocol::fields::FromJson;
use crate::protocol::resources::{MembershipList, PresenceSubscription};
use crate::protocol::subscription::{limit_exceeded, SubAction, Subscriptions};
use crate::protocol::url::resolve;

impl Session {
    /// Sends whatever the subscription manager says is missing. No-op while not connected.
    pub(crate) fn sync_subscriptions(self: &Rc<Self>) {
        let Some(create_url) = self
            .app
            .borrow()
            .as_ref()
            .and_then(|a| a.presence_subscriptions.clone())
        else {
            return;
        };
        let Some(owner) = self.owner.borrow().clone() else {
            return;
        };
        let actions = self.subs.borrow_mut().next_actions();
        for action in actions {
            let this = Rc::clone(self);
            let create_url = create_url.clone();
            let owner = owner.clone();
            spawn_local(async move { this.run_action(action, &create_url, &owner).await });
        }
    }

    /// Sends one action and reports the answer back to the subscription manager, as long as the
    /// manager still speaks for the application `owner` (a reconnection to the same application
    /// keeps it: the answer is then still true).
    async fn run_action(self: &Rc<Self>, action: SubAction, create_url: &str, owner: &str) {
        match action {
            SubAction::Create { uris } => {
                let body = Body::Json(Subscriptions::create_body(
                    &uris,
                    self.config.subscription_minutes,
                ));
                let result = self
                    .request(Step::Subscribe, Method::Post, create_url, body)
                    .await
                    .and_then(|reply| {
                        PresenceSubscription::parse(&reply.body)
                            .map_err(|e| decide(Step::Subscribe, &Failure::Parse(e)))
                    });
                if !self.owns(owner) {
                    return;
                }
                match result {
                    Ok(sub) => {
                        self.subs.borrow_mut().on_created(&uris, &sub, create_url);
                        self.sub_backoff.borrow_mut().on_success();
                    }
                    Err(action) => {
                        self.subs.borrow_mut().on_create_failed(&uris);
                        if limit_exceeded(&action) {
                            return self.on_limit_exceeded(uris.len());
                        }
                        self.resync_subscriptions_later(Step::Subscribe, action, owner)
                            .await;
                    }
                }
            }
            SubAction::AddMembers { add_href, uris } => {
                let body = Body::Json(Subscriptions::add_members_body(&uris));
                let url = self.app_url(&add_href).unwrap_or(add_href.clone());
                let result = self
                    .request(Step::AddMembers, Method::Post, &url, body)
                    .await;
                if !self.owns(owner) {
                    return;
                }
                match result {
                    Ok(_) | Err(Action::Proceed) => {
                        self.subs.borrow_mut().on_members_added(&add_href, &uris)
                    }
                    Err(Action::RecreateSubscription) => {
                        self.subs.borrow_mut().on_deleted(&add_href);
                        self.schedule_sync();
                    }
                    Err(action) => {
                        self.subs
                            .borrow_mut()
                            .on_members_add_failed(&add_href, &uris);
                        if limit_exceeded(&action) {
                            return self.on_limit_exceeded(usize::MAX);
                        }
                        self.resync_subscriptions_later(Step::AddMembers, action, owner)
                            .await;
                    }
                }
            }
            SubAction::LeaveMembers {
                subscription_href,
                memberships_href,
                uris,
            } => {
                let left = self
                    .leave(&memberships_href, &subscription_href, &uris)
                    .await;
                if !self.owns(owner) {
                    return;
                }
                let failed: Vec<String> =
                    uris.iter().filter(|u| !left.contains(u)).cloned().collect();
                let mut subs = self.subs.borrow_mut();
                subs.on_members_left(&subscription_href, &left);
                subs.on_members_leave_failed(&subscription_href, &failed);
                drop(subs);
                // A contact wanted again meanwhile is added back by the next sync.
                self.schedule_sync();
            }
            SubAction::Delete { href } => {
                let result = self
                    .request(Step::DeleteSubscription, Method::Delete, &href, Body::None)
                    .await;
                if !self.owns(owner) {
                    return;
                }
                match result {
                    Ok(_) | Err(Action::Proceed) => {
                        self.subs.borrow_mut().on_deleted(&href);
                        self.schedule_sync();
                    }
                    Err(action) => {
                        self.subs.borrow_mut().on_delete_failed(&href);
                        self.resync_subscriptions_later(Step::DeleteSubscription, action, owner)
                            .await;
                    }
                }
            }
            SubAction::Extend { href, url } => self.send_extend(href, url, owner.to_owned()),
        }
    }

    /// 403 `LimitExceeded` for `asked` contacts: smaller subscriptions at once, or, when one
    /// contact was refused, the user's limit is reached: the console says so (the badges of the
    /// contacts left out stay "Presence unknown", never "Offline").
    fn on_limit_exceeded(self: &Rc<Self>, asked: usize) {
        if self.subs.borrow_mut().on_limit_exceeded(asked) {
            return self.schedule_sync();
        }
        web_sys::console::error_1(
            &"ucwa-presence: subscription limit reached (403 LimitExceeded); some people show no presence".into(),
        );
    }

    /// Takes `uris` out of a subscription: reads its memberships, DELETEs theirs. Returns the
    /// URIs that are out (DELETE answered 2xx or 404, or no membership was listed for them, or
    /// the whole subscription is gone).
    async fn leave(
        self: &Rc<Self>,
        memberships_href: &str,
        subscription_href: &str,
        uris: &[String],
    ) -> Vec<String> {
        let reply = match self
            .request(
                Step::ListMemberships,
                Method::Get,
                memberships_href,
                Body::None,
            )
            .await
        {
            Ok(reply) => reply,
            Err(Action::RecreateSubscription) => {
                // Gone with its members; the wanted ones are subscribed again.
                self.subs.borrow_mut().on_deleted(subscription_href);
                return Vec::new();
            }
            Err(_) => return Vec::new(),
        };
        let Ok(list) = MembershipList::parse(&reply.body) else {
            return Vec::new();
        };
        let mut left: Vec<String> = uris
            .iter()
            .filter(|u| list.hrefs_of(std::slice::from_ref(u)).next().is_none())
            .cloned()
            .collect();
        for (uri, href) in list.hrefs_of(uris) {
            let url = resolve(memberships_href, href);
            if let Ok(_) | Err(Action::Proceed) = self
                .request(Step::DeleteMembership, Method::Delete, &url, Body::None)
                .await
            {
                left.push(uri.to_owned());
            }
        }
        left
    }

    /// `presenceSubscription updated` = about to expire: POST `{self}?duration=N` (seed 001).
    pub(crate) fn extend_subscription(self: &Rc<Self>, href: String) {
        let Some(owner) = self.owner.borrow().clone() else {
            return;
        };
        let Some(SubAction::Extend { href, url }) = self.subs.borrow_mut().on_expiring(&href)
        else {
            return;
        };
        self.send_extend(href, url, owner);
    }

    /// A 404 means the subscription is gone already: forget it, and the next sync creates it
    /// again. Any other failure leaves it as it is: it still exists until it expires, and its
    /// `deleted` event then makes the next sync create it again (never two at once).
    fn send_extend(self: &Rc<Self>, href: String, url: String, owner: String) {
        let this = Rc::clone(self);
        spawn_local(async move {
            let result = this
                .request(Step::ExtendSubscription, Method::Post, &url, Body::None)
                .await;
            if this.owns(&owner) && matches!(result, Err(Action::RecreateSubscription)) {
                this.subs.borrow_mut().on_extend_failed_not_found(&href);
                this.schedule_sync();
            }
        });
    }
}
