//! Each user's presence (aggregated by [`crate::presence::PresenceState::compute`]) and its
//! fan-out: what others see goes to every application subscribed to the user, what the user
//! sees of themselves to their own available applications.

use std::time::Instant;

use super::{notices, Inner};
use crate::error::{ApiError, ApiResult};
use crate::events::Priority;
use crate::presence::{now_ms, Availability, Note, NoteType, PresenceState, Published};

/// Which part of a user's presence changed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Aspect {
    Presence,
    Note,
    Location,
}

impl Aspect {
    /// Aggregation class of the `contactX updated` events (see README: event priorities).
    fn priority(self) -> Priority {
        match self {
            Aspect::Presence => Priority::Medium,
            Aspect::Note | Aspect::Location => Priority::Low,
        }
    }
}

impl Inner {
    /// The most recent activity of the user's applications that made themselves available.
    /// A CWA session counts as such an application (see `cwa2007::sessions`).
    fn local_activity(&self, user: &str) -> Option<Instant> {
        let ucwa = self
            .apps
            .values()
            .filter(|a| a.user == user && a.available)
            .map(|a| a.last_report)
            .max();
        ucwa.max(self.cwa_activity(user))
    }

    /// Presence as others see it; unknown users are Offline.
    pub fn published(&self, key: &str) -> Published {
        match self.presence.get(key) {
            Some(p) => p.published.clone(),
            None => PresenceState::new(0).published,
        }
    }

    /// A user of the directory (everyone else's resources answer 404, and no event ever
    /// comes for them).
    pub fn is_known(&self, key: &str) -> bool {
        self.presence.contains_key(key)
    }

    /// The note others see (out of office over personal); unknown users have none.
    pub fn note_of(&self, key: &str) -> Note {
        self.presence.get(key).map(|p| p.note()).unwrap_or_default()
    }

    /// The user's photo generation, `None` without a photo (and for unknown users).
    pub fn photo_of(&self, key: &str) -> Option<u32> {
        self.presence.get(key).and_then(|p| p.photo)
    }

    /// Control API: the user has a photo or not. Switching it on again gives a new generation
    /// (so a new ETag).
    pub fn set_photo(&mut self, user: &str, on: bool) {
        if let Some(p) = self.presence.get_mut(user) {
            self.photo_generations += 1;
            p.photo = on.then_some(self.photo_generations);
        }
    }

    /// The user's location; unknown users have none.
    pub fn location_of(&self, key: &str) -> String {
        self.presence
            .get(key)
            .map(|p| p.location.clone())
            .unwrap_or_default()
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

    /// Recomputes every user with an available application (idle and away follow time).
    pub(super) fn recompute_available_users(&mut self, now: Instant) {
        let mut users: Vec<String> = self
            .apps
            .values()
            .filter(|a| a.available)
            .map(|a| a.user.clone())
            .collect();
        users.sort_unstable();
        users.dedup();
        for u in users {
            self.recompute(&u, now);
        }
    }

    /// Fans a change of `user` out: `contactX updated` to every application subscribed to them
    /// (sender people), and `presence/note/location updated` to their own available apps;
    /// `userPresence` to CWA watchers and `selfPresence` to the user's CWA sessions.
    pub fn emit(&mut self, user: &str, aspect: Aspect, now: Instant) {
        self.cwa_notify(user);
        let mut subscribed_apps: Vec<u64> = self
            .subs
            .values()
            .filter(|s| s.members.iter().any(|m| m == user))
            .map(|s| s.app)
            .collect();
        subscribed_apps.sort_unstable();
        subscribed_apps.dedup();
        for app_id in subscribed_apps {
            if let Some(app) = self.apps.get_mut(&app_id) {
                let event = notices::contact_updated(app_id, user, aspect, aspect.priority());
                app.push(&event, now);
            }
        }
        for app in self
            .apps
            .values_mut()
            .filter(|a| a.user == user && a.available)
        {
            let event = notices::own(app.id, aspect, "updated");
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
        app.push(&notices::me_updated(app_id), now);
        for aspect in [Aspect::Presence, Aspect::Note, Aspect::Location] {
            app.push(&notices::own(app_id, aspect, "added"), now);
        }
        if let (Some(a), Some(p)) = (sign_in_as, self.presence.get_mut(&user)) {
            p.manual = Some(a);
            p.activity = None;
        }
        self.recompute(&user, now);
        Ok(())
    }

    /// reportMyActivity: the user is active on this application.
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
        self.set_chosen(user, availability, activity, None, now);
    }

    /// Control API / demo: presence published from the user's other endpoint (`None` signs
    /// that endpoint out).
    pub fn set_other_endpoint(
        &mut self,
        user: &str,
        availability: Option<Availability>,
        activity: Option<String>,
        now: Instant,
    ) {
        let signed_in = availability.is_some();
        self.set_chosen(user, availability, activity, Some(signed_in), now);
    }

    fn set_chosen(
        &mut self,
        user: &str,
        availability: Option<Availability>,
        activity: Option<String>,
        other_endpoint: Option<bool>,
        now: Instant,
    ) {
        if let Some(p) = self.presence.get_mut(user) {
            if let Some(signed_in) = other_endpoint {
                p.other_endpoint = signed_in;
            }
            p.manual = availability;
            p.activity = activity;
        }
        self.recompute(user, now);
    }

    /// Sets one kind of note; events go out only when the note others see changes.
    pub fn set_note(&mut self, user: &str, kind: NoteType, message: &str, now: Instant) {
        let changed = self.presence.get_mut(user).is_some_and(|p| {
            let before = p.note();
            p.set_note(kind, message);
            p.note() != before
        });
        if changed {
            self.emit(user, Aspect::Note, now);
        }
    }

    pub fn set_location(&mut self, user: &str, location: String, now: Instant) {
        let changed = self
            .presence
            .get_mut(user)
            .is_some_and(|p| replace_if_changed(&mut p.location, location));
        if changed {
            self.emit(user, Aspect::Location, now);
        }
    }
}

/// Stores `value` if it differs; says whether it did.
fn replace_if_changed<T: PartialEq>(slot: &mut T, value: T) -> bool {
    if *slot == value {
        return false;
    }
    *slot = value;
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presence::DeviceType;
    use crate::state::testing::{app_of, drain, inner, secs, t0, CHRIS, DANA, SARA};

    #[test]
    fn make_me_available_announces_the_me_resources_and_goes_online() {
        let t0 = t0();
        let mut g = inner(t0);
        let id = app_of(&mut g, DANA, t0);
        assert_eq!(g.published(DANA).availability, Availability::Offline);
        g.make_me_available(id, None, t0).unwrap();
        assert_eq!(
            drain(&mut g, id),
            [
                ("me", "updated"),
                ("presence", "added"),
                ("note", "added"),
                ("location", "added"),
                ("presence", "updated"),
            ]
        );
        let p = g.published(DANA);
        assert_eq!(
            (p.availability, p.device),
            (Availability::Online, DeviceType::Web)
        );
        let again = g.make_me_available(id, None, t0).unwrap_err();
        assert_eq!(
            (again.status.as_u16(), again.subcode),
            (409, Some("AlreadyExists"))
        );
    }

    #[test]
    fn sign_in_as_sets_the_chosen_state() {
        let t0 = t0();
        let mut g = inner(t0);
        let id = app_of(&mut g, DANA, t0);
        g.make_me_available(id, Some(Availability::Busy), t0)
            .unwrap();
        assert_eq!(g.published(DANA).availability, Availability::Busy);
    }

    #[test]
    fn idle_and_away_follow_the_last_reported_activity() {
        let t0 = t0();
        let mut g = inner(t0);
        let (idle, away) = (g.cfg.idle_after, g.cfg.away_after);
        let id = app_of(&mut g, DANA, t0);
        g.make_me_available(id, None, t0).unwrap();
        g.report_activity(id, t0 + secs(100));
        g.recompute(DANA, t0 + secs(100) + idle - secs(1));
        assert_eq!(g.published(DANA).availability, Availability::Online);
        g.recompute(DANA, t0 + secs(100) + idle);
        assert_eq!(g.published(DANA).availability, Availability::IdleOnline);
        g.recompute(DANA, t0 + secs(100) + away);
        assert_eq!(g.published(DANA).availability, Availability::Away);
        g.set_manual(DANA, Some(Availability::Busy), None, t0 + secs(100) + away);
        assert_eq!(g.published(DANA).availability, Availability::IdleBusy);
        g.report_activity(id, t0 + secs(100) + away);
        assert_eq!(g.published(DANA).availability, Availability::Busy);
        g.set_manual(DANA, None, None, t0 + secs(100) + away);
        assert_eq!(g.published(DANA).availability, Availability::Online);
    }

    /// Dana available, Sara subscribed to her, both channels drained: (state, Dana's
    /// application, Sara's).
    fn sara_watches_dana(t0: Instant) -> (Inner, u64, u64) {
        let mut g = inner(t0);
        let dana = app_of(&mut g, DANA, t0);
        let sara = app_of(&mut g, SARA, t0);
        g.make_me_available(dana, None, t0).unwrap();
        g.create_subscription(sara, vec![DANA.into()], 10, None, t0)
            .unwrap();
        drain(&mut g, dana);
        drain(&mut g, sara);
        (g, dana, sara)
    }

    #[test]
    fn changes_reach_subscribers_and_own_applications_only_when_visible() {
        let t0 = t0();
        let (mut g, dana, sara) = sara_watches_dana(t0);

        g.set_manual(DANA, Some(Availability::Busy), None, t0);
        assert_eq!(drain(&mut g, sara), [("contactPresence", "updated")]);
        assert_eq!(drain(&mut g, dana), [("presence", "updated")]);
        g.set_manual(DANA, Some(Availability::Busy), None, t0);
        assert!(drain(&mut g, sara).is_empty(), "no change, no event");

        g.set_note(DANA, NoteType::OutOfOffice, "Out", t0);
        g.set_note(DANA, NoteType::OutOfOffice, "Out", t0);
        g.set_location(DANA, "Building 2".into(), t0);
        assert_eq!(
            drain(&mut g, sara),
            [("contactNote", "updated"), ("contactLocation", "updated")]
        );
        assert_eq!(
            drain(&mut g, dana),
            [("note", "updated"), ("location", "updated")]
        );
    }

    #[test]
    fn only_changes_of_the_shown_note_send_events() {
        let t0 = t0();
        let (mut g, dana, sara) = sara_watches_dana(t0);

        g.set_note(DANA, NoteType::OutOfOffice, "On leave", t0);
        assert_eq!(drain(&mut g, sara), [("contactNote", "updated")]);
        assert_eq!(drain(&mut g, dana), [("note", "updated")]);
        g.set_note(
            DANA,
            NoteType::Personal,
            "Hidden behind the out-of-office note",
            t0,
        );
        assert!(
            drain(&mut g, sara).is_empty(),
            "the shown note is unchanged"
        );
        assert!(drain(&mut g, dana).is_empty());
        assert_eq!(g.note_of(DANA).message, "On leave");
        g.set_note(DANA, NoteType::OutOfOffice, "", t0);
        assert_eq!(drain(&mut g, sara), [("contactNote", "updated")]);
        assert_eq!(
            (g.note_of(DANA).message.as_str(), g.note_of(DANA).kind),
            ("Hidden behind the out-of-office note", NoteType::Personal)
        );
    }

    #[test]
    fn note_and_location_updates_of_contacts_are_low_priority() {
        assert_eq!(Aspect::Note.priority(), Priority::Low);
        assert_eq!(Aspect::Location.priority(), Priority::Low);
        assert_eq!(Aspect::Presence.priority(), Priority::Medium);
    }

    #[test]
    fn photos_switch_off_and_on_with_a_new_generation() {
        let t0 = t0();
        let mut g = inner(t0);
        let first = g.photo_of(DANA);
        assert!(first.is_some());
        g.set_photo(DANA, false);
        assert_eq!(g.photo_of(DANA), None);
        g.set_photo(DANA, true);
        assert!(g.photo_of(DANA).is_some_and(|n| Some(n) != first));
        g.set_photo("nobody@fabrikam.com", true);
        assert_eq!(g.photo_of("nobody@fabrikam.com"), None);
        assert!(!g.is_known("nobody@fabrikam.com") && g.is_known(DANA));
    }

    #[test]
    fn another_endpoint_keeps_a_user_online_until_it_signs_out() {
        let t0 = t0();
        let mut g = inner(t0);
        assert_eq!(g.published(CHRIS).device, DeviceType::Pc);
        g.set_other_endpoint(SARA, Some(Availability::Away), None, t0);
        let p = g.published(SARA);
        assert_eq!(
            (p.availability, p.device),
            (Availability::Away, DeviceType::Pc)
        );
        g.set_other_endpoint(SARA, None, None, t0);
        assert_eq!(g.published(SARA).availability, Availability::Offline);
        assert_eq!(
            g.published("nobody@fabrikam.com").availability,
            Availability::Offline
        );
    }
}
