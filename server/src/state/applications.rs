//! Applications (applications_ref, application_ref) and their event channels, one per
//! MultiTabSupport `instanceId`.

use std::collections::BTreeMap;
use std::time::Instant;

use super::{EndReason, Inner};
use crate::error::{ApiError, ApiResult};
use crate::events::{Event, EventChannel};

/// What a client says about itself in `POST applications`.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub user_agent: String,
    pub endpoint_id: String,
    pub culture: String,
    pub app_type: String,
}

impl Endpoint {
    /// The same endpoint asking again (names compare case-insensitively, the id exactly).
    fn same_as(&self, other: &Endpoint) -> bool {
        self.user_agent.eq_ignore_ascii_case(&other.user_agent)
            && self.endpoint_id == other.endpoint_id
            && self.culture.eq_ignore_ascii_case(&other.culture)
            && self.app_type.eq_ignore_ascii_case(&other.app_type)
    }
}

pub struct Application {
    pub id: u64,
    pub user: String,
    pub endpoint: Endpoint,
    /// Event channels by instanceId ("" for requests without one) (MultiTabSupport).
    pub channels: BTreeMap<String, EventChannel>,
    pub available: bool,
    pub last_report: Instant,
    pub last_activity: Instant,
    /// `cwt_ucwa` photo cookies issued to this application (see `photo_cookies.rs`).
    pub photo_cookies: Vec<super::photo_cookies::PhotoCookie>,
}

impl Application {
    pub fn open_pgets(&self) -> usize {
        self.channels.values().map(|c| c.open_pgets).sum()
    }

    /// Queues an event on every channel of the application.
    pub(super) fn push(&mut self, event: &Event, now: Instant) {
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

impl Inner {
    /// The caller's application, or 410 Gone when the server ended it, else 404
    /// ApplicationNotFound (also for other users' ids, so ids of other users' applications are
    /// not disclosed). Counts as activity.
    pub fn app_mut(&mut self, id: u64, user: &str, now: Instant) -> ApiResult<&mut Application> {
        let missing = self.missing(id, user);
        match self.apps.get_mut(&id) {
            Some(app) if app.user == user => {
                app.last_activity = now;
                Ok(app)
            }
            _ => Err(missing),
        }
    }

    pub fn app(&self, id: u64, user: &str) -> ApiResult<&Application> {
        match self.apps.get(&id) {
            Some(app) if app.user == user => Ok(app),
            _ => Err(self.missing(id, user)),
        }
    }

    /// The error for a request to an application that is not there.
    pub fn missing(&self, id: u64, user: &str) -> ApiError {
        match self.ended.reason(id, user) {
            Some(reason) => reason.error(),
            None => ApiError::application_not_found(),
        }
    }

    /// Ends an application as the server does: deleted, and its later requests answer 410.
    pub fn end_application(&mut self, id: u64, reason: EndReason, now: Instant) {
        if let Some(app) = self.apps.get(&id) {
            let user = app.user.clone();
            self.ended.insert(id, &user, reason);
            self.delete_application(id, None, now);
        }
    }

    /// Control API: ends every application of `user` with `reason`. Returns how many.
    pub fn end_applications_of(&mut self, user: &str, reason: EndReason, now: Instant) -> usize {
        let ids = self.app_ids_of(user);
        for id in &ids {
            self.end_application(*id, reason, now);
        }
        ids.len()
    }

    /// Creates (201, `true`) or finds (200, `false`) the application for this endpoint and
    /// instance (MultiTabSupport).
    pub fn create_application(
        &mut self,
        user: &str,
        endpoint: &Endpoint,
        instance: &str,
        now: Instant,
    ) -> (u64, bool) {
        let (medium, low) = (self.cfg.medium_window, self.cfg.low_window);
        let new_channel = || EventChannel::new(medium, low);
        let existing = self
            .apps
            .values_mut()
            .find(|a| a.user == user && a.endpoint.same_as(endpoint));
        if let Some(app) = existing {
            app.last_activity = now;
            let created = !app.channels.contains_key(instance);
            if created {
                app.channels.insert(instance.to_string(), new_channel());
            }
            return (app.id, created);
        }
        let id = self.next_app_id;
        self.next_app_id += 1;
        let channels = BTreeMap::from([(instance.to_string(), new_channel())]);
        self.apps.insert(
            id,
            Application {
                id,
                user: user.to_string(),
                endpoint: endpoint.clone(),
                channels,
                photo_cookies: Vec::new(),
                available: false,
                last_report: now,
                last_activity: now,
            },
        );
        self.counters.applications_created += 1;
        // One more than allowed ends the user's oldest (ids grow with creation).
        let ids = self.app_ids_of(user);
        if ids.len() > self.cfg.max_applications {
            if let Some(oldest) = ids.into_iter().min() {
                self.end_application(oldest, EndReason::TooManyApplications, now);
            }
        }
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

    fn app_ids_of(&self, user: &str) -> Vec<u64> {
        self.apps
            .values()
            .filter(|a| a.user == user)
            .map(|a| a.id)
            .collect()
    }

    /// Control API: deletes every application of `user`. Returns how many there were.
    pub fn delete_applications_of(&mut self, user: &str, now: Instant) -> usize {
        let ids = self.app_ids_of(user);
        for id in &ids {
            self.delete_application(*id, None, now);
        }
        ids.len()
    }

    /// Control API: reset every event channel of a user's applications. Their presence
    /// subscriptions are dropped too (EventsInUCWA "Resume/resynchronize").
    pub fn reset_channels_of(&mut self, user: &str) -> usize {
        let ids = self.app_ids_of(user);
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

    /// A P-GET on the channel ended (answered, replaced or abandoned); the end counts as
    /// activity of the application.
    pub fn end_pget(&mut self, id: u64, instance: &str, now: Instant) {
        if let Some(app) = self.apps.get_mut(&id) {
            app.last_activity = now;
            if let Some(ch) = app.channels.get_mut(instance) {
                ch.open_pgets = ch.open_pgets.saturating_sub(1);
            }
        }
    }

    /// Ends applications with no pending P-GET and no request for `app_idle_timeout`
    /// (410 InactiveApplicationExpired afterwards).
    pub(super) fn expire_idle_applications(&mut self, now: Instant) {
        let idle_timeout = self.cfg.app_idle_timeout;
        let expired: Vec<u64> = self
            .apps
            .values()
            .filter(|a| {
                a.open_pgets() == 0
                    && now.saturating_duration_since(a.last_activity) >= idle_timeout
            })
            .map(|a| a.id)
            .collect();
        for id in expired {
            self.end_application(id, EndReason::InactiveApplicationExpired, now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presence::Availability;
    use crate::state::testing::{app_of, browser, inner, secs, t0, DANA, SARA};

    #[test]
    fn the_same_endpoint_gets_the_same_application_and_a_channel_per_instance() {
        let t0 = t0();
        let mut g = inner(t0);
        let ep = browser("ep-1");
        let (id, created) = g.create_application(DANA, &ep, "", t0);
        assert!(created);
        let shouting = Endpoint {
            user_agent: "TESTS/1.0".into(),
            ..ep.clone()
        };
        assert_eq!(g.create_application(DANA, &shouting, "", t0), (id, false));
        assert_eq!(g.create_application(DANA, &ep, "tab-2", t0), (id, true));
        assert_eq!(g.apps[&id].channels.len(), 2);
        let (other, created) = g.create_application(DANA, &browser("ep-2"), "", t0);
        assert!(created && other != id);
        let (saras, _) = g.create_application(SARA, &ep, "", t0);
        assert_ne!(saras, id, "applications are per user");
        assert_eq!(g.counters.applications_created, 3);
    }

    #[test]
    fn other_users_applications_are_not_found() {
        let t0 = t0();
        let mut g = inner(t0);
        let id = app_of(&mut g, DANA, t0);
        assert!(g.app(id, DANA).is_ok());
        assert_eq!(g.app(id, SARA).err().map(|e| e.status.as_u16()), Some(404));
        assert!(g.app_mut(id + 1, DANA, t0).is_err());
    }

    #[test]
    fn deleting_an_instance_keeps_the_application_until_the_last_one() {
        let t0 = t0();
        let mut g = inner(t0);
        let ep = browser("ep-1");
        let (id, _) = g.create_application(DANA, &ep, "a", t0);
        g.create_application(DANA, &ep, "b", t0);
        g.delete_application(id, Some("a"), t0);
        assert_eq!(g.apps[&id].channels.keys().collect::<Vec<_>>(), ["b"]);
        g.delete_application(id, Some("b"), t0);
        assert!(g.apps.is_empty());
    }

    #[test]
    fn deleting_the_last_available_application_signs_the_user_out() {
        let t0 = t0();
        let mut g = inner(t0);
        let id = app_of(&mut g, DANA, t0);
        g.make_me_available(id, None, t0).unwrap();
        g.create_subscription(id, vec![SARA.into()], 10, None, t0)
            .unwrap();
        assert_eq!(g.published(DANA).availability, Availability::Online);
        assert_eq!(g.delete_applications_of(DANA, t0), 1);
        assert_eq!(g.published(DANA).availability, Availability::Offline);
        assert!(g.subs.is_empty(), "subscriptions go with the application");
    }

    #[test]
    fn idle_applications_expire_unless_a_pget_is_open() {
        let t0 = t0();
        let mut g = inner(t0);
        let idle = app_of(&mut g, DANA, t0);
        let waiting = app_of(&mut g, SARA, t0);
        if let Some(ch) = g
            .apps
            .get_mut(&waiting)
            .and_then(|a| a.channels.get_mut(""))
        {
            ch.open_pgets = 1;
        }
        let timeout = g.cfg.app_idle_timeout;
        g.app_mut(idle, DANA, t0 + secs(10)).unwrap();
        g.expire_idle_applications(t0 + timeout);
        assert!(g.apps.contains_key(&idle), "the request at 10 s counts");
        g.expire_idle_applications(t0 + secs(10) + timeout);
        assert!(!g.apps.contains_key(&idle));
        assert_eq!(
            subcode_of(&g, idle, DANA),
            Some("InactiveApplicationExpired")
        );
        assert!(g.apps.contains_key(&waiting), "an open P-GET keeps it");
        g.end_pget(waiting, "", t0 + timeout * 2);
        g.expire_idle_applications(t0 + timeout * 3 - secs(1));
        assert!(g.apps.contains_key(&waiting), "the P-GET's end counts");
        g.expire_idle_applications(t0 + timeout * 3);
        assert!(g.apps.is_empty());
    }

    /// The error subcode of a request to application `id` of `user` (None: it exists).
    fn subcode_of(g: &Inner, id: u64, user: &str) -> Option<&'static str> {
        g.app(id, user).err().and_then(|e| e.subcode)
    }

    #[test]
    fn one_more_than_the_limit_ends_the_users_oldest() {
        let t0 = t0();
        let mut g = inner(t0);
        g.cfg.max_applications = 2;
        let ep = |n: u32| browser(&format!("ep-{n}"));
        let first = g.create_application(DANA, &ep(1), "", t0).0;
        let second = g.create_application(DANA, &ep(2), "", t0).0;
        let sara = app_of(&mut g, SARA, t0);
        // The same endpoint again is the same application, not one more.
        assert_eq!(g.create_application(DANA, &ep(1), "", t0).0, first);
        assert!(g.app(first, DANA).is_ok());
        let third = g.create_application(DANA, &ep(3), "", t0).0;
        assert_eq!(subcode_of(&g, first, DANA), Some("TooManyApplications"));
        assert!(g.app(second, DANA).is_ok() && g.app(third, DANA).is_ok());
        assert!(g.app(sara, SARA).is_ok());
        assert_eq!(
            subcode_of(&g, first, SARA),
            Some("ApplicationNotFound"),
            "another user's ended id is not disclosed"
        );
        g.delete_application(second, None, t0);
        assert_eq!(
            subcode_of(&g, second, DANA),
            Some("ApplicationNotFound"),
            "a DELETE by the client is no 410"
        );
        assert_eq!(
            g.end_applications_of(DANA, EndReason::InactiveApplicationExpired, t0),
            1
        );
        assert_eq!(
            subcode_of(&g, third, DANA),
            Some("InactiveApplicationExpired")
        );
    }

    #[test]
    fn resetting_channels_drops_subscriptions_and_resumes() {
        let t0 = t0();
        let mut g = inner(t0);
        let id = app_of(&mut g, DANA, t0);
        let saras = app_of(&mut g, SARA, t0);
        g.create_subscription(id, vec![SARA.into()], 10, None, t0)
            .unwrap();
        g.create_subscription(saras, vec![DANA.into()], 10, None, t0)
            .unwrap();
        assert_eq!(g.reset_channels_of(DANA), 1);
        assert_eq!(g.subs.values().map(|s| s.app).collect::<Vec<_>>(), [saras]);
        let ch = &g.apps[&id].channels[""];
        assert!(ch.resume_pending && ch.pending_len() == 0);
    }
}
