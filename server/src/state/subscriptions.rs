//! Presence subscriptions and their memberships (presenceSubscriptions_ref,
//! presenceSubscription_ref, addToPresenceSubscription_ref, seeds 000/001).

use std::time::Instant;

use super::presence::Aspect;
use super::{notices, Inner};
use crate::error::{ApiError, ApiResult};
use crate::events::{Event, Priority};
use crate::random;

pub struct Subscription {
    pub id: String,
    pub app: u64,
    /// Member keys in subscription order, without duplicates.
    pub members: Vec<String>,
    pub expires: Instant,
    pub warned: bool,
    pub group: Option<String>,
}

fn limit_exceeded(message: impl Into<String>) -> ApiError {
    ApiError::forbidden(Some("LimitExceeded"), message)
}

impl Inner {
    pub fn subscriptions_of_user(&self, user: &str) -> usize {
        self.subs
            .values()
            .filter(|s| self.apps.get(&s.app).is_some_and(|a| a.user == user))
            .count()
    }

    /// Is `key` in any subscription of this application other than `except`?
    fn subscribed_elsewhere(&self, app_id: u64, key: &str, except: &str) -> bool {
        self.subs
            .values()
            .any(|s| s.app == app_id && s.id != except && s.members.iter().any(|m| m == key))
    }

    /// `contact added|deleted` (in subscribedContacts) for those of `keys` that no other
    /// subscription of the application holds. Contacts outside the directory get no event,
    /// ever (see [`Inner::is_known`]).
    fn subscribed_contact_events(
        &self,
        app_id: u64,
        id: &str,
        keys: &[String],
        kind: &'static str,
    ) -> Vec<Event> {
        keys.iter()
            .filter(|m| self.is_known(m) && !self.subscribed_elsewhere(app_id, m, id))
            .map(|m| notices::subscribed_contact(app_id, m, kind))
            .collect()
    }

    /// `contactPresence updated` for each new member of the directory (seed 000).
    fn initial_presence_events(&self, app_id: u64, members: &[String]) -> Vec<Event> {
        members
            .iter()
            .filter(|m| self.is_known(m))
            .map(|m| notices::contact_updated(app_id, m, Aspect::Presence, Priority::High))
            .collect()
    }

    fn push_all(&mut self, app_id: u64, events: &[Event], now: Instant) {
        if let Some(app) = self.apps.get_mut(&app_id) {
            for e in events {
                app.push(e, now);
            }
        }
    }

    /// Directory contacts subscribed in an application, in first-subscribed order.
    pub fn subscribed_contacts(&self, app_id: u64) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in self.subs.values().filter(|s| s.app == app_id) {
            for m in &s.members {
                if self.is_known(m) && !out.contains(m) {
                    out.push(m.clone());
                }
            }
        }
        out
    }

    fn fresh_subscription_id(&self) -> ApiResult<String> {
        loop {
            let id = random::hex(8).map_err(|_| {
                ApiError::service_failure("No randomness is available for a subscription id.")
            })?;
            if !self.subs.contains_key(&id) {
                return Ok(id);
            }
        }
    }

    /// Creates a subscription and queues the documented events (seed 000): `contact added`
    /// (in subscribedContacts), `presenceSubscription added`, `contactPresence updated`.
    pub fn create_subscription(
        &mut self,
        app_id: u64,
        members: Vec<String>,
        minutes: u64,
        group: Option<String>,
        now: Instant,
    ) -> ApiResult<String> {
        let user = self
            .apps
            .get(&app_id)
            .map(|a| a.user.clone())
            .ok_or_else(ApiError::application_not_found)?;
        if self.subscriptions_of_user(&user) >= self.cfg.max_subscriptions {
            return Err(limit_exceeded(
                "The user has reached the maximum number of subscriptions that can be created.",
            ));
        }
        let id = self.fresh_subscription_id()?;
        let mut events = self.subscribed_contact_events(app_id, &id, &members, "added");
        events.push(notices::subscription(app_id, &id, "added"));
        events.extend(self.initial_presence_events(app_id, &members));
        self.subs.insert(
            id.clone(),
            Subscription {
                id: id.clone(),
                app: app_id,
                members,
                expires: now + self.cfg.minute.saturating_mul(minutes as u32),
                warned: false,
                group,
            },
        );
        self.counters.subscriptions_created += 1;
        self.push_all(app_id, &events, now);
        Ok(id)
    }

    pub fn subscription(&self, app_id: u64, id: &str) -> ApiResult<&Subscription> {
        self.subs
            .get(id)
            .filter(|s| s.app == app_id)
            .ok_or_else(ApiError::subscription_not_found)
    }

    /// Extends by `minutes` on top of the remaining time, capped at 30 minutes from now.
    pub fn extend_subscription(
        &mut self,
        app_id: u64,
        id: &str,
        minutes: u64,
        now: Instant,
    ) -> ApiResult<()> {
        let minute = self.cfg.minute;
        let sub = self
            .subs
            .get_mut(id)
            .filter(|s| s.app == app_id)
            .ok_or_else(ApiError::subscription_not_found)?;
        let remaining = sub.expires.saturating_duration_since(now);
        let extended =
            (remaining + minute.saturating_mul(minutes as u32)).min(minute.saturating_mul(30));
        sub.expires = now + extended;
        sub.warned = false;
        self.counters.subscriptions_extended += 1;
        Ok(())
    }

    /// Adds members; returns the keys that were not members yet.
    pub fn add_members(
        &mut self,
        app_id: u64,
        id: &str,
        keys: Vec<String>,
        now: Instant,
    ) -> ApiResult<Vec<String>> {
        let limit = self.cfg.max_subscription_uris;
        let sub = self.subscription(app_id, id)?;
        let mut fresh: Vec<String> = Vec::new();
        for k in keys {
            if !sub.members.contains(&k) && !fresh.contains(&k) {
                fresh.push(k);
            }
        }
        if sub.members.len() + fresh.len() > limit {
            return Err(limit_exceeded(format!(
                "A presence subscription can hold at most {limit} contacts."
            )));
        }
        let mut events = self.subscribed_contact_events(app_id, id, &fresh, "added");
        events.extend(
            fresh
                .iter()
                .map(|m| notices::membership(app_id, id, m, "added")),
        );
        events.extend(self.initial_presence_events(app_id, &fresh));
        if let Some(sub) = self.subs.get_mut(id) {
            sub.members.extend(fresh.iter().cloned());
        }
        self.push_all(app_id, &events, now);
        Ok(fresh)
    }

    pub fn remove_member(
        &mut self,
        app_id: u64,
        id: &str,
        key: &str,
        now: Instant,
    ) -> ApiResult<()> {
        let sub = self
            .subs
            .get_mut(id)
            .filter(|s| s.app == app_id)
            .ok_or_else(ApiError::subscription_not_found)?;
        let before = sub.members.len();
        sub.members.retain(|m| m != key);
        if sub.members.len() == before {
            return Err(ApiError::resource_not_found(
                "The contact is not a member of this presence subscription.",
            ));
        }
        let mut events = vec![notices::membership(app_id, id, key, "deleted")];
        events.extend(self.subscribed_contact_events(app_id, id, &[key.to_string()], "deleted"));
        self.push_all(app_id, &events, now);
        Ok(())
    }

    /// Removes a subscription (DELETE or expiry) with `presenceSubscription deleted` and
    /// `contact deleted` (in subscribedContacts) for contacts no longer subscribed.
    pub fn remove_subscription(&mut self, id: &str, now: Instant) {
        let Some(sub) = self.subs.remove(id) else {
            return;
        };
        let mut events = vec![notices::subscription(sub.app, id, "deleted")];
        events.extend(self.subscribed_contact_events(sub.app, id, &sub.members, "deleted"));
        self.push_all(sub.app, &events, now);
    }

    /// Control API: removes every subscription of `user` now. Returns how many there were.
    pub fn expire_subscriptions_of(&mut self, user: &str, now: Instant) -> usize {
        let ids: Vec<String> = self
            .subs
            .values()
            .filter(|s| self.apps.get(&s.app).is_some_and(|a| a.user == user))
            .map(|s| s.id.clone())
            .collect();
        for id in &ids {
            self.remove_subscription(id, now);
        }
        ids.len()
    }

    /// Warns subscriptions about to expire (`presenceSubscription updated`, seeds 000/001,
    /// `subscription_lead` ahead) and removes expired ones.
    pub(super) fn expire_subscriptions(&mut self, now: Instant) {
        let lead = self.cfg.subscription_lead();
        let mut warn = Vec::new();
        let mut expire = Vec::new();
        for s in self.subs.values_mut() {
            if s.expires <= now {
                expire.push(s.id.clone());
            } else if !s.warned && s.expires <= now + lead {
                s.warned = true;
                warn.push((s.app, s.id.clone()));
            }
        }
        for (app_id, id) in warn {
            self.push_all(
                app_id,
                &[notices::subscription(app_id, &id, "updated")],
                now,
            );
        }
        for id in expire {
            self.remove_subscription(&id, now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::testing::{app_of, drain, inner, secs, t0, CHRIS, DANA, SARA};

    fn sub_of(g: &Inner, app: u64) -> String {
        g.subs
            .values()
            .find(|s| s.app == app)
            .map(|s| s.id.clone())
            .expect("a subscription")
    }

    #[test]
    fn contacts_outside_the_directory_are_accepted_but_never_get_an_event() {
        let t0 = t0();
        let mut g = inner(t0);
        let app = app_of(&mut g, SARA, t0);
        let outsider = "someone@fabrikam.com";
        let id = g
            .create_subscription(app, vec![outsider.into(), DANA.into()], 10, None, t0)
            .unwrap();
        assert_eq!(
            drain(&mut g, app),
            [
                ("contact", "added"),
                ("presenceSubscription", "added"),
                ("contactPresence", "updated"),
            ],
            "only Dana's events"
        );
        assert_eq!(g.subscribed_contacts(app), [DANA]);
        g.add_members(app, &id, vec!["other@fabrikam.com".into()], t0)
            .unwrap();
        assert_eq!(
            drain(&mut g, app),
            [("presenceSubscriptionMembership", "added")]
        );
        g.set_note(outsider, crate::presence::NoteType::Personal, "x", t0);
        g.set_photo(outsider, true);
        assert!(drain(&mut g, app).is_empty());
    }

    #[test]
    fn creating_sends_the_seed_000_events() {
        let t0 = t0();
        let mut g = inner(t0);
        let app = app_of(&mut g, SARA, t0);
        let id = g
            .create_subscription(app, vec![DANA.into(), CHRIS.into()], 10, None, t0)
            .unwrap();
        assert_eq!(id.len(), 8);
        assert_eq!(
            drain(&mut g, app),
            [
                ("contact", "added"),
                ("contact", "added"),
                ("presenceSubscription", "added"),
                ("contactPresence", "updated"),
                ("contactPresence", "updated"),
            ]
        );
        g.create_subscription(app, vec![DANA.into()], 10, None, t0)
            .unwrap();
        assert_eq!(
            drain(&mut g, app),
            [
                ("presenceSubscription", "added"),
                ("contactPresence", "updated")
            ],
            "Dana is already a subscribed contact"
        );
        assert_eq!(g.subscribed_contacts(app), [DANA, CHRIS]);
    }

    #[test]
    fn the_per_user_limit_is_enforced() {
        let t0 = t0();
        let mut g = inner(t0);
        g.cfg.max_subscriptions = 2;
        let a = app_of(&mut g, SARA, t0);
        let b = g
            .create_application(SARA, &crate::state::testing::browser("other"), "", t0)
            .0;
        g.create_subscription(a, vec![DANA.into()], 10, None, t0)
            .unwrap();
        g.create_subscription(b, vec![DANA.into()], 10, None, t0)
            .unwrap();
        let e = g
            .create_subscription(a, vec![DANA.into()], 10, None, t0)
            .unwrap_err();
        assert_eq!((e.status.as_u16(), e.subcode), (403, Some("LimitExceeded")));
        assert!(g.create_subscription(a + 99, vec![], 10, None, t0).is_err());
    }

    #[test]
    fn extending_adds_to_the_remaining_time_up_to_thirty_minutes() {
        let t0 = t0();
        let mut g = inner(t0);
        let minute = g.cfg.minute;
        let app = app_of(&mut g, SARA, t0);
        let id = g
            .create_subscription(app, vec![DANA.into()], 10, None, t0)
            .unwrap();
        assert_eq!(g.subs[&id].expires, t0 + minute * 10);
        g.extend_subscription(app, &id, 11, t0 + minute * 4)
            .unwrap();
        assert_eq!(g.subs[&id].expires, t0 + minute * 21);
        g.extend_subscription(app, &id, 30, t0 + minute * 5)
            .unwrap();
        assert_eq!(
            g.subs[&id].expires,
            t0 + minute * 35,
            "capped at 30 from now"
        );
        assert!(g.extend_subscription(app + 1, &id, 10, t0).is_err());
        assert_eq!(
            g.counters.subscriptions_extended, 2,
            "refused extensions are not counted"
        );
    }

    #[test]
    fn a_subscription_is_warned_once_then_expires_with_deleted_events() {
        let t0 = t0();
        let mut g = inner(t0);
        let (minute, lead) = (g.cfg.minute, g.cfg.subscription_lead());
        let app = app_of(&mut g, SARA, t0);
        g.create_subscription(app, vec![DANA.into()], 10, None, t0)
            .unwrap();
        drain(&mut g, app);
        let expires = t0 + minute * 10;
        g.expire_subscriptions(expires - lead - secs(1));
        assert!(drain(&mut g, app).is_empty());
        g.expire_subscriptions(expires - lead);
        assert_eq!(drain(&mut g, app), [("presenceSubscription", "updated")]);
        g.expire_subscriptions(expires - secs(1));
        assert!(drain(&mut g, app).is_empty(), "warned once");
        g.expire_subscriptions(expires);
        assert!(g.subs.is_empty());
        assert_eq!(
            drain(&mut g, app),
            [("presenceSubscription", "deleted"), ("contact", "deleted")]
        );
    }

    #[test]
    fn members_come_and_go_with_their_events() {
        let t0 = t0();
        let mut g = inner(t0);
        g.cfg.max_subscription_uris = 2;
        let app = app_of(&mut g, SARA, t0);
        g.create_subscription(app, vec![DANA.into()], 10, None, t0)
            .unwrap();
        let id = sub_of(&g, app);
        drain(&mut g, app);
        let fresh = g
            .add_members(app, &id, vec![DANA.into(), CHRIS.into(), CHRIS.into()], t0)
            .unwrap();
        assert_eq!(fresh, [CHRIS]);
        assert_eq!(
            drain(&mut g, app),
            [
                ("contact", "added"),
                ("presenceSubscriptionMembership", "added"),
                ("contactPresence", "updated"),
            ]
        );
        let full = g
            .add_members(app, &id, vec!["x@fabrikam.com".into()], t0)
            .unwrap_err();
        assert_eq!(full.subcode, Some("LimitExceeded"));
        g.remove_member(app, &id, CHRIS, t0).unwrap();
        assert_eq!(
            drain(&mut g, app),
            [
                ("presenceSubscriptionMembership", "deleted"),
                ("contact", "deleted")
            ]
        );
        let gone = g.remove_member(app, &id, CHRIS, t0).unwrap_err();
        assert_eq!(gone.status.as_u16(), 404);
    }

    #[test]
    fn a_contact_in_two_subscriptions_stays_subscribed_until_both_go() {
        let t0 = t0();
        let mut g = inner(t0);
        let app = app_of(&mut g, SARA, t0);
        let a = g
            .create_subscription(app, vec![DANA.into()], 10, None, t0)
            .unwrap();
        g.create_subscription(app, vec![DANA.into()], 10, None, t0)
            .unwrap();
        drain(&mut g, app);
        g.remove_subscription(&a, t0);
        assert_eq!(drain(&mut g, app), [("presenceSubscription", "deleted")]);
        assert_eq!(g.expire_subscriptions_of(SARA, t0), 1);
        assert_eq!(
            drain(&mut g, app),
            [("presenceSubscription", "deleted"), ("contact", "deleted")]
        );
    }
}
