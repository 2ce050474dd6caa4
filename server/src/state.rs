//! The server's shared state: tokens, applications with their event channels, user presence and
//! presence subscriptions, plus the operations that keep them consistent (every change of a
//! user's presence fans out to the subscriptions that include them and to their own apps).
//!
//! One mutex guards it all: operations are short and never await while holding it.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;

use crate::config::Config;
use crate::cors::Origins;
use crate::directory::Directory;
use crate::error::{ApiError, ApiResult};
use crate::events::{Event, EventChannel, Link, Priority};
use crate::faults::Faults;
use crate::links;
use crate::presence::{now_ms, Availability, Note, PresenceState, Published};
use crate::random;
use crate::resources;

pub type AppState = Arc<Shared>;

pub struct Shared {
    pub cfg: Config,
    pub dir: Arc<Directory>,
    pub origins: Origins,
    /// `host:port` the server listens on (fallback for links when Host is missing).
    pub local_authority: String,
    /// The full router, for executing the parts of a batch request.
    pub router: OnceLock<Router>,
    inner: Mutex<Inner>,
}

impl Shared {
    pub fn new(cfg: Config, dir: Directory, origins: Origins, local_authority: String) -> Self {
        let dir = Arc::new(dir);
        let inner = Inner::new(cfg.clone(), &dir);
        Shared {
            cfg,
            dir,
            origins,
            local_authority,
            router: OnceLock::new(),
            inner: Mutex::new(inner),
        }
    }

    /// Locks the state. A panic elsewhere cannot leave it half-updated in a way that matters
    /// more than refusing all further service, so a poisoned lock is recovered.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub struct Token {
    pub user: String,
    pub expires: Instant,
}

pub struct Application {
    pub id: u64,
    pub user: String,
    pub user_agent: String,
    pub endpoint_id: String,
    pub culture: String,
    pub app_type: String,
    /// Event channels by instanceId ("" for requests without one) (MultiTabSupport).
    pub channels: BTreeMap<String, EventChannel>,
    pub available: bool,
    pub last_report: Instant,
    pub last_activity: Instant,
}

impl Application {
    pub fn open_pgets(&self) -> usize {
        self.channels.values().map(|c| c.open_pgets).sum()
    }

    fn push(&mut self, event: &Event, now: Instant) {
        for ch in self.channels.values_mut() {
            ch.push(event.clone(), now);
        }
    }

    fn wake_all(&self) {
        for ch in self.channels.values() {
            ch.notify.notify_waiters();
        }
    }
}

pub struct Subscription {
    pub id: String,
    pub app: u64,
    /// Member keys in subscription order, without duplicates.
    pub members: Vec<String>,
    pub expires: Instant,
    pub warned: bool,
    pub group: Option<String>,
}

/// Which part of a user's presence changed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Aspect {
    Presence,
    Note,
    Location,
}

#[derive(Default, Debug, Clone)]
pub struct Counters {
    pub requests: u64,
    pub events_delivered: u64,
    pub pget_responses: u64,
    pub applications_created: u64,
    pub subscriptions_created: u64,
}

pub struct Inner {
    pub cfg: Config,
    pub tokens: HashMap<String, Token>,
    pub apps: BTreeMap<u64, Application>,
    next_app_id: u64,
    pub presence: HashMap<String, PresenceState>,
    pub subs: BTreeMap<String, Subscription>,
    pub faults: Faults,
    pub counters: Counters,
    /// Batch sub-requests in flight per user (BatchingRequests: at most 100).
    pub outstanding: HashMap<String, usize>,
}

impl Inner {
    fn new(cfg: Config, dir: &Directory) -> Self {
        let now = Instant::now();
        let mut presence = HashMap::new();
        for (i, u) in dir.users().iter().enumerate() {
            // Spread last-active times over the past hours so the demo looks lived-in.
            let mut p = PresenceState::new(now_ms() - (i as i64 + 1) * 37 * 60_000);
            p.manual = u.initial.availability;
            p.other_endpoint = u.initial.availability.is_some();
            p.activity = u.initial.activity.clone();
            if let Some(n) = &u.initial.note {
                p.note = n.clone();
            }
            if let Some(l) = &u.initial.location {
                p.location = l.clone();
            }
            p.published = p.compute(None, now, cfg.idle_after, cfg.away_after);
            presence.insert(u.key.clone(), p);
        }
        Inner {
            cfg,
            tokens: HashMap::new(),
            apps: BTreeMap::new(),
            next_app_id: 101,
            presence,
            subs: BTreeMap::new(),
            faults: Faults::default(),
            counters: Counters::default(),
            outstanding: HashMap::new(),
        }
    }

    // ----- tokens ---------------------------------------------------------------------------

    pub fn issue_token(&mut self, user: &str, now: Instant) -> String {
        let token = format!("cwt={}", random::hex(48));
        self.tokens.insert(
            token.clone(),
            Token {
                user: user.to_string(),
                expires: now + self.cfg.token_lifetime,
            },
        );
        token
    }

    pub fn token_user(&self, token: &str, now: Instant) -> Option<String> {
        self.tokens
            .get(token)
            .filter(|t| t.expires > now)
            .map(|t| t.user.clone())
    }

    pub fn expire_tokens_of(&mut self, user: &str) -> usize {
        let before = self.tokens.len();
        self.tokens.retain(|_, t| t.user != user);
        before - self.tokens.len()
    }

    // ----- applications ---------------------------------------------------------------------

    /// The caller's application, or 404 ApplicationNotFound (also for other users' ids, so
    /// ids of other users' applications are not disclosed). Counts as activity.
    pub fn app_mut(&mut self, id: u64, user: &str, now: Instant) -> ApiResult<&mut Application> {
        match self.apps.get_mut(&id) {
            Some(app) if app.user == user => {
                app.last_activity = now;
                Ok(app)
            }
            _ => Err(ApiError::application_not_found()),
        }
    }

    pub fn app(&self, id: u64, user: &str) -> ApiResult<&Application> {
        match self.apps.get(&id) {
            Some(app) if app.user == user => Ok(app),
            _ => Err(ApiError::application_not_found()),
        }
    }

    /// Creates (201, `true`) or finds (200, `false`) the application for this endpoint and
    /// instance (MultiTabSupport).
    #[allow(clippy::too_many_arguments)]
    pub fn create_application(
        &mut self,
        user: &str,
        user_agent: &str,
        endpoint_id: &str,
        culture: &str,
        app_type: &str,
        instance: &str,
        now: Instant,
    ) -> (u64, bool) {
        let medium = self.cfg.medium_window;
        let low = self.cfg.low_window;
        let existing = self.apps.values_mut().find(|a| {
            a.user == user
                && a.user_agent.eq_ignore_ascii_case(user_agent)
                && a.endpoint_id == endpoint_id
                && a.culture.eq_ignore_ascii_case(culture)
                && a.app_type.eq_ignore_ascii_case(app_type)
        });
        if let Some(app) = existing {
            app.last_activity = now;
            let created = !app.channels.contains_key(instance);
            if created {
                app.channels
                    .insert(instance.to_string(), EventChannel::new(medium, low));
            }
            return (app.id, created);
        }
        let id = self.next_app_id;
        self.next_app_id += 1;
        let mut channels = BTreeMap::new();
        channels.insert(instance.to_string(), EventChannel::new(medium, low));
        self.apps.insert(
            id,
            Application {
                id,
                user: user.to_string(),
                user_agent: user_agent.to_string(),
                endpoint_id: endpoint_id.to_string(),
                culture: culture.to_string(),
                app_type: app_type.to_string(),
                channels,
                available: false,
                last_report: now,
                last_activity: now,
            },
        );
        self.counters.applications_created += 1;
        (id, true)
    }

    /// Deletes one instance's channel, or the whole application when it was the last (or no
    /// instance is named). Subscriptions go with the application; presence is recomputed.
    pub fn delete_application(&mut self, id: u64, instance: Option<&str>, now: Instant) {
        if let (Some(inst), Some(app)) = (instance, self.apps.get_mut(&id)) {
            if app.channels.len() > 1 {
                if let Some(ch) = app.channels.remove(inst) {
                    ch.notify.notify_waiters();
                }
                return;
            }
        }
        let Some(app) = self.apps.remove(&id) else {
            return;
        };
        app.wake_all();
        self.subs.retain(|_, s| s.app != id);
        self.recompute(&app.user, now);
    }

    // ----- presence -------------------------------------------------------------------------

    /// The most recent activity of the user's applications that made themselves available.
    fn local_activity(&self, user: &str) -> Option<Instant> {
        self.apps
            .values()
            .filter(|a| a.user == user && a.available)
            .map(|a| a.last_report)
            .max()
    }

    /// Presence as others see it; unknown users are Offline.
    pub fn published(&self, key: &str) -> Published {
        match self.presence.get(key) {
            Some(p) => p.published.clone(),
            None => PresenceState::new(0).published,
        }
    }

    /// Re-aggregates a user's presence and sends events if what others see changed.
    pub fn recompute(&mut self, user: &str, now: Instant) {
        let local = self.local_activity(user);
        let (idle, away) = (self.cfg.idle_after, self.cfg.away_after);
        let Some(p) = self.presence.get_mut(user) else {
            return;
        };
        let next = p.compute(local, now, idle, away);
        if next == p.published {
            return;
        }
        use Availability::*;
        if matches!(
            next.availability,
            Online | Busy | DoNotDisturb | BeRightBack | Offwork
        ) {
            p.last_active_ms = now_ms();
        }
        p.published = next;
        self.emit(user, Aspect::Presence, now);
    }

    /// Fans a change of `user` out: `contactX updated` to every application subscribed to them
    /// (sender people), and `presence/note/location updated` to their own available apps.
    pub fn emit(&mut self, user: &str, aspect: Aspect, now: Instant) {
        let mut subscribed_apps: Vec<u64> = self
            .subs
            .values()
            .filter(|s| s.members.iter().any(|m| m == user))
            .map(|s| s.app)
            .collect();
        subscribed_apps.sort_unstable();
        subscribed_apps.dedup();
        let (contact_rel, own_rel, priority) = match aspect {
            Aspect::Presence => ("contactPresence", "presence", Priority::Medium),
            Aspect::Note => ("contactNote", "note", Priority::Low),
            Aspect::Location => ("contactLocation", "location", Priority::Low),
        };
        for app_id in subscribed_apps {
            if let Some(app) = self.apps.get_mut(&app_id) {
                let href = match aspect {
                    Aspect::Presence => links::contact_presence(app_id, user),
                    Aspect::Note => links::contact_note(app_id, user),
                    Aspect::Location => links::contact_location(app_id, user),
                };
                let event = Event::new(
                    links::people_link(app_id),
                    Link {
                        rel: contact_rel,
                        href,
                    },
                    "updated",
                    priority,
                )
                .within(Link {
                    rel: "contact",
                    href: links::contact(app_id, user),
                });
                app.push(&event, now);
            }
        }
        for app in self
            .apps
            .values_mut()
            .filter(|a| a.user == user && a.available)
        {
            let href = match aspect {
                Aspect::Presence => links::presence(app.id),
                Aspect::Note => links::note(app.id),
                Aspect::Location => links::location(app.id),
            };
            let event = Event::new(
                links::me_link(app.id),
                Link { rel: own_rel, href },
                "updated",
                Priority::High,
            );
            app.push(&event, now);
        }
    }

    /// makeMeAvailable: the application becomes an endpoint of the user.
    pub fn make_me_available(
        &mut self,
        app_id: u64,
        sign_in_as: Option<Availability>,
        now: Instant,
    ) -> ApiResult<()> {
        let app = self
            .apps
            .get_mut(&app_id)
            .ok_or_else(ApiError::application_not_found)?;
        if app.available {
            return Err(ApiError::conflict(
                "AlreadyExists",
                "Multiple invocations of this operation is not valid.",
            ));
        }
        app.available = true;
        app.last_report = now;
        let user = app.user.clone();
        // EventChannelDetails sample: me updated, then presence/note/location added.
        let me = links::me_link(app_id);
        let added = |rel: &'static str, href: String| {
            Event::new(me.clone(), Link { rel, href }, "added", Priority::High)
        };
        let batch = [
            Event::new(me.clone(), me.clone(), "updated", Priority::High),
            added("presence", links::presence(app_id)),
            added("note", links::note(app_id)),
            added("location", links::location(app_id)),
        ];
        for e in &batch {
            app.push(e, now);
        }
        if let (Some(a), Some(p)) = (sign_in_as, self.presence.get_mut(&user)) {
            p.manual = Some(a);
            p.activity = None;
        }
        self.recompute(&user, now);
        Ok(())
    }

    pub fn report_activity(&mut self, app_id: u64, now: Instant) {
        let user = match self.apps.get_mut(&app_id) {
            Some(app) => {
                app.last_report = now;
                app.user.clone()
            }
            None => return,
        };
        if let Some(p) = self.presence.get_mut(&user) {
            p.last_active_ms = now_ms();
        }
        self.recompute(&user, now);
    }

    /// Sets (or with `None` clears) the user's chosen availability and activity.
    pub fn set_manual(
        &mut self,
        user: &str,
        availability: Option<Availability>,
        activity: Option<String>,
        now: Instant,
    ) {
        if let Some(p) = self.presence.get_mut(user) {
            p.manual = availability;
            p.activity = activity;
        }
        self.recompute(user, now);
    }

    /// Control API / demo: presence published from the user's other endpoint.
    pub fn set_other_endpoint(
        &mut self,
        user: &str,
        availability: Option<Availability>,
        activity: Option<String>,
        now: Instant,
    ) {
        if let Some(p) = self.presence.get_mut(user) {
            p.other_endpoint = availability.is_some();
            p.manual = availability;
            p.activity = activity;
        }
        self.recompute(user, now);
    }

    pub fn set_note(&mut self, user: &str, note: Note, now: Instant) {
        let changed = match self.presence.get_mut(user) {
            Some(p) if p.note != note => {
                p.note = note;
                true
            }
            _ => false,
        };
        if changed {
            self.emit(user, Aspect::Note, now);
        }
    }

    pub fn set_location(&mut self, user: &str, location: String, now: Instant) {
        let changed = match self.presence.get_mut(user) {
            Some(p) if p.location != location => {
                p.location = location;
                true
            }
            _ => false,
        };
        if changed {
            self.emit(user, Aspect::Location, now);
        }
    }

    // ----- subscriptions --------------------------------------------------------------------

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

    /// Contacts subscribed in an application, in first-subscribed order.
    pub fn subscribed_contacts(&self, app_id: u64) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in self.subs.values().filter(|s| s.app == app_id) {
            for m in &s.members {
                if !out.contains(m) {
                    out.push(m.clone());
                }
            }
        }
        out
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
            return Err(ApiError::forbidden(
                Some("LimitExceeded"),
                "The user has reached the maximum number of subscriptions that can be created.",
            ));
        }
        let mut id = random::hex(8);
        while self.subs.contains_key(&id) {
            id = random::hex(8);
        }
        let newly_subscribed: Vec<String> = members
            .iter()
            .filter(|m| !self.subscribed_elsewhere(app_id, m, &id))
            .cloned()
            .collect();
        let sub = Subscription {
            id: id.clone(),
            app: app_id,
            members: members.clone(),
            expires: now + self.cfg.minute.saturating_mul(minutes as u32),
            warned: false,
            group,
        };
        let resource = resources::subscription(app_id, &id);
        self.subs.insert(id.clone(), sub);
        self.counters.subscriptions_created += 1;
        let people = links::people_link(app_id);
        let mut batch: Vec<Event> = newly_subscribed
            .iter()
            .map(|m| contact_added(app_id, m))
            .collect();
        batch.push(
            Event::new(
                people.clone(),
                Link {
                    rel: "presenceSubscription",
                    href: links::subscription(app_id, &id),
                },
                "added",
                Priority::High,
            )
            .embedding(resource),
        );
        batch.extend(
            members
                .iter()
                .map(|m| presence_updated(app_id, m, Priority::High)),
        );
        if let Some(app) = self.apps.get_mut(&app_id) {
            for e in &batch {
                app.push(e, now);
            }
        }
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
        let sub = self
            .subs
            .get(id)
            .filter(|s| s.app == app_id)
            .ok_or_else(ApiError::subscription_not_found)?;
        let fresh: Vec<String> = keys.into_iter().fold(Vec::new(), |mut acc, k| {
            if !sub.members.contains(&k) && !acc.contains(&k) {
                acc.push(k);
            }
            acc
        });
        if sub.members.len() + fresh.len() > limit {
            return Err(ApiError::forbidden(
                Some("LimitExceeded"),
                format!("A presence subscription can hold at most {limit} contacts."),
            ));
        }
        let newly_subscribed: Vec<String> = fresh
            .iter()
            .filter(|m| !self.subscribed_elsewhere(app_id, m, id))
            .cloned()
            .collect();
        if let Some(sub) = self.subs.get_mut(id) {
            sub.members.extend(fresh.iter().cloned());
        }
        let people = links::people_link(app_id);
        let mut batch: Vec<Event> = newly_subscribed
            .iter()
            .map(|m| contact_added(app_id, m))
            .collect();
        batch.extend(fresh.iter().map(|m| {
            Event::new(
                people.clone(),
                Link {
                    rel: "presenceSubscriptionMembership",
                    href: links::membership(app_id, id, m),
                },
                "added",
                Priority::High,
            )
            .within(Link {
                rel: "presenceSubscription",
                href: links::subscription(app_id, id),
            })
        }));
        batch.extend(
            fresh
                .iter()
                .map(|m| presence_updated(app_id, m, Priority::High)),
        );
        if let Some(app) = self.apps.get_mut(&app_id) {
            for e in &batch {
                app.push(e, now);
            }
        }
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
        let people = links::people_link(app_id);
        let mut batch = vec![Event::new(
            people,
            Link {
                rel: "presenceSubscriptionMembership",
                href: links::membership(app_id, id, key),
            },
            "deleted",
            Priority::High,
        )
        .within(Link {
            rel: "presenceSubscription",
            href: links::subscription(app_id, id),
        })];
        if !self.subscribed_elsewhere(app_id, key, id) {
            batch.push(contact_removed(app_id, key));
        }
        if let Some(app) = self.apps.get_mut(&app_id) {
            for e in &batch {
                app.push(e, now);
            }
        }
        Ok(())
    }

    /// Removes a subscription (DELETE or expiry) with `presenceSubscription deleted` and
    /// `contact deleted` (in subscribedContacts) for contacts no longer subscribed.
    pub fn remove_subscription(&mut self, id: &str, now: Instant) {
        let Some(sub) = self.subs.remove(id) else {
            return;
        };
        let app_id = sub.app;
        let mut batch = vec![Event::new(
            links::people_link(app_id),
            Link {
                rel: "presenceSubscription",
                href: links::subscription(app_id, id),
            },
            "deleted",
            Priority::High,
        )];
        for m in &sub.members {
            if !self.subscribed_elsewhere(app_id, m, id) {
                batch.push(contact_removed(app_id, m));
            }
        }
        if let Some(app) = self.apps.get_mut(&app_id) {
            for e in &batch {
                app.push(e, now);
            }
        }
    }

    // ----- time -----------------------------------------------------------------------------

    /// Periodic work: token, application and subscription expiry, idle presence.
    pub fn tick(&mut self, now: Instant) {
        self.tokens.retain(|_, t| t.expires > now);

        let idle_timeout = self.cfg.app_idle_timeout;
        let expired_apps: Vec<u64> = self
            .apps
            .values()
            .filter(|a| {
                a.open_pgets() == 0
                    && now.saturating_duration_since(a.last_activity) >= idle_timeout
            })
            .map(|a| a.id)
            .collect();
        for id in expired_apps {
            self.delete_application(id, None, now);
        }

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
            // seeds 000/001: "presenceSubscription updated" with the resource embedded.
            let event = Event::new(
                links::people_link(app_id),
                Link {
                    rel: "presenceSubscription",
                    href: links::subscription(app_id, &id),
                },
                "updated",
                Priority::High,
            )
            .embedding(resources::subscription(app_id, &id));
            if let Some(app) = self.apps.get_mut(&app_id) {
                app.push(&event, now);
            }
        }
        for id in expire {
            self.remove_subscription(&id, now);
        }

        let mut active_users: Vec<String> = self
            .apps
            .values()
            .filter(|a| a.available)
            .map(|a| a.user.clone())
            .collect();
        active_users.sort_unstable();
        active_users.dedup();
        for u in active_users {
            self.recompute(&u, now);
        }
    }

    /// Control API: reset every event channel of a user's applications. Their presence
    /// subscriptions are dropped too (EventsInUCWA "Resume/resynchronize").
    pub fn reset_channels_of(&mut self, user: &str) -> usize {
        let ids: Vec<u64> = self
            .apps
            .values()
            .filter(|a| a.user == user)
            .map(|a| a.id)
            .collect();
        self.subs.retain(|_, s| !ids.contains(&s.app));
        let mut n = 0;
        for id in ids {
            if let Some(app) = self.apps.get_mut(&id) {
                for ch in app.channels.values_mut() {
                    ch.reset();
                    n += 1;
                }
            }
        }
        n
    }

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

    pub fn delete_applications_of(&mut self, user: &str, now: Instant) -> usize {
        let ids: Vec<u64> = self
            .apps
            .values()
            .filter(|a| a.user == user)
            .map(|a| a.id)
            .collect();
        for id in &ids {
            self.delete_application(*id, None, now);
        }
        ids.len()
    }

    /// The shortest time until something in `tick` may be due (bounded for responsiveness).
    pub fn tick_interval(&self) -> Duration {
        let lead = self.cfg.subscription_lead();
        let base = (self.cfg.minute / 4)
            .min(lead.max(Duration::from_millis(50)))
            .min(self.cfg.idle_after / 4);
        base.clamp(Duration::from_millis(50), Duration::from_secs(1))
    }
}

fn contact_added(app_id: u64, key: &str) -> Event {
    Event::new(
        links::people_link(app_id),
        Link {
            rel: "contact",
            href: links::contact(app_id, key),
        },
        "added",
        Priority::High,
    )
    .within(Link {
        rel: "subscribedContacts",
        href: links::subscribed_contacts(app_id),
    })
}

fn contact_removed(app_id: u64, key: &str) -> Event {
    Event::new(
        links::people_link(app_id),
        Link {
            rel: "contact",
            href: links::contact(app_id, key),
        },
        "deleted",
        Priority::High,
    )
    .within(Link {
        rel: "subscribedContacts",
        href: links::subscribed_contacts(app_id),
    })
}

fn presence_updated(app_id: u64, key: &str, priority: Priority) -> Event {
    Event::new(
        links::people_link(app_id),
        Link {
            rel: "contactPresence",
            href: links::contact_presence(app_id, key),
        },
        "updated",
        priority,
    )
    .within(Link {
        rel: "contact",
        href: links::contact(app_id, key),
    })
}
