//! Presence subscription manager (presenceSubscriptions_ref, seeds 000 and 001). Pure: it says
//! which requests to send; the client sends them and reports back.
//!
//! It keeps the wanted contacts (reference-counted: two badges for one person are one member),
//! the live subscriptions (self href → members) and what is in flight, so no request is ever
//! sent twice. Contacts nobody wants any more leave: a subscription that still has wanted
//! members gets [`SubAction::LeaveMembers`] (the client reads the subscription's memberships and
//! DELETEs those of the contacts), one with none gets [`SubAction::Delete`].
//! After a failure the contacts become pending again and the next [`Subscriptions::next_actions`]
//! retries them; the client paces that with its own backoff.

use crate::sorted::{SortedMap, SortedSet};

use super::failure::{Action, Reason};
use super::json::ObjectWriter;
use super::resources::{normalize_sip_uri, PresenceSubscription};
use super::url::{resolve, same_resource, with_query};

/// Subscription lifetime bounds in minutes.
pub const DURATION_RANGE: (u8, u8) = (10, 30);

/// A request the client should send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubAction {
    /// `POST people/presenceSubscriptions` with [`Subscriptions::create_body`]; report back with
    /// [`Subscriptions::on_created`] or [`Subscriptions::on_create_failed`].
    Create { uris: Vec<String> },
    /// `POST add_href` with [`Subscriptions::add_members_body`]; report back with
    /// [`Subscriptions::on_members_added`] or [`Subscriptions::on_members_add_failed`].
    AddMembers { add_href: String, uris: Vec<String> },
    /// `GET memberships_href` (the subscription's `presenceSubscriptionMemberships`), then
    /// `DELETE` the membership of each of `uris`; report back with
    /// [`Subscriptions::on_members_left`] or [`Subscriptions::on_members_leave_failed`].
    LeaveMembers {
        subscription_href: String,
        memberships_href: String,
        uris: Vec<String>,
    },
    /// `DELETE href`: no member of this subscription is wanted any more. Report back with
    /// [`Subscriptions::on_deleted`] (also right for a 404) or
    /// [`Subscriptions::on_delete_failed`].
    Delete { href: String },
    /// `POST url` (the subscription's self `href` with `?duration=N`); on 404 call
    /// [`Subscriptions::on_extend_failed_not_found`] with `href`.
    Extend { href: String, url: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct LiveSubscription {
    /// Absolute self href.
    href: String,
    add_href: Option<String>,
    memberships_href: Option<String>,
    members: SortedSet<String>,
    /// Members in an AddMembers request still in flight.
    adding: SortedSet<String>,
    /// Members in a LeaveMembers request still in flight (or the whole subscription, deleting).
    leaving: SortedSet<String>,
    deleting: bool,
}

impl LiveSubscription {
    fn load(&self) -> usize {
        self.members.len() + self.adding.len()
    }

    fn covers(&self, uri: &str) -> bool {
        self.members.contains(uri) || self.adding.contains(uri)
    }

    /// True when `href` is this subscription's self, add or memberships href.
    fn is_named_by(&self, href: &str) -> bool {
        same_resource(&self.href, href)
            || [&self.add_href, &self.memberships_href]
                .into_iter()
                .flatten()
                .any(|h| same_resource(h, href))
    }
}

/// Whether `action` is a refusal with 403 `LimitExceeded` (presenceSubscriptions_ref).
pub fn limit_exceeded(action: &Action) -> bool {
    matches!(action, Action::GiveUp(Reason::Refused { status: 403, subcode: Some(s), .. })
        if s.eq_ignore_ascii_case("LimitExceeded"))
}

/// The presence subscriptions of one application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriptions {
    max_per_subscription: usize,
    duration: u8,
    /// Normalised URI → number of `want` calls not yet matched by `unwant`.
    wanted: SortedMap<String, u32>,
    live: Vec<LiveSubscription>,
    /// URIs in a Create request still in flight.
    creating: SortedSet<String>,
}

impl Subscriptions {
    /// `max_uris_per_subscription` (at least 1; the server's limit is undocumented, 100 is a safe
    /// choice) and the lifetime in minutes (clamped to 10..=30).
    pub fn new(max_uris_per_subscription: usize, duration_minutes: u8) -> Self {
        Subscriptions {
            max_per_subscription: max_uris_per_subscription.max(1),
            duration: clamp_duration(duration_minutes),
            wanted: SortedMap::new(),
            live: Vec::new(),
            creating: SortedSet::new(),
        }
    }

    /// The lifetime used for creating and extending, in minutes.
    pub fn duration(&self) -> u8 {
        self.duration
    }

    /// Adds one reference to `uri`; invalid URIs are ignored.
    pub fn want(&mut self, uri: &str) {
        if let Some(uri) = normalize_sip_uri(uri) {
            let count = self.wanted.get_or_insert_with(uri, || 0);
            *count = count.saturating_add(1);
        }
    }

    /// Drops one reference to `uri`; at zero the contact is no longer wanted.
    pub fn unwant(&mut self, uri: &str) {
        let Some(uri) = normalize_sip_uri(uri) else {
            return;
        };
        if let Some(count) = self.wanted.get_mut(&uri) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                self.wanted.remove(&uri);
            }
        }
    }

    /// The wanted contacts (normalised), in sorted order.
    pub fn wanted(&self) -> impl Iterator<Item = &str> {
        self.wanted.keys().map(String::as_str)
    }

    pub fn is_wanted(&self, uri: &str) -> bool {
        normalize_sip_uri(uri).is_some_and(|u| self.wanted.contains_key(&u))
    }

    /// Wanted contacts neither subscribed nor in flight.
    fn pending(&self) -> Vec<String> {
        self.wanted
            .keys()
            .filter(|u| !self.creating.contains(*u) && !self.live.iter().any(|s| s.covers(u)))
            .cloned()
            .collect()
    }

    /// The requests to send now. Calling it again without reporting back returns nothing new.
    pub fn next_actions(&mut self) -> Vec<SubAction> {
        let mut actions = self.departures();
        let mut pending = self.pending().into_iter().peekable();
        for sub in &mut self.live {
            let Some(add_href) = &sub.add_href else {
                continue;
            };
            let room = self.max_per_subscription.saturating_sub(sub.load());
            let uris: Vec<String> = pending.by_ref().take(room).collect();
            if uris.is_empty() {
                continue;
            }
            sub.adding.extend(uris.iter().cloned());
            actions.push(SubAction::AddMembers {
                add_href: add_href.clone(),
                uris,
            });
            if pending.peek().is_none() {
                break;
            }
        }
        let rest: Vec<String> = pending.collect();
        for chunk in rest.chunks(self.max_per_subscription) {
            self.creating.extend(chunk.iter().cloned());
            actions.push(SubAction::Create {
                uris: chunk.to_vec(),
            });
        }
        actions
    }

    /// A Create for `uris` succeeded with `sub` (the 201 body); `base_url` resolves its hrefs.
    /// A late answer for URIs no longer in flight (after [`reset_all`](Self::reset_all)) is ignored;
    /// a body without a `self` link counts as a failure.
    pub fn on_created(&mut self, uris: &[String], sub: &PresenceSubscription, base_url: &str) {
        let mine: SortedSet<String> = uris
            .iter()
            .filter_map(|u| normalize_sip_uri(u))
            .filter(|u| self.creating.remove(u))
            .collect();
        if mine.is_empty() {
            return;
        }
        let Some(href) = sub.links.href("self").map(|h| resolve(base_url, h)) else {
            return;
        };
        let add_href = sub
            .links
            .href("addToPresenceSubscription")
            .map(|h| resolve(base_url, h));
        let memberships_href = sub.links.href("memberships").map(|h| resolve(base_url, h));
        match self.live.iter_mut().find(|s| same_resource(&s.href, &href)) {
            Some(existing) => existing.members.extend(mine),
            None => self.live.push(LiveSubscription {
                href,
                add_href,
                memberships_href,
                members: mine,
                adding: SortedSet::new(),
                leaving: SortedSet::new(),
                deleting: false,
            }),
        }
    }

    /// A Create for `uris` failed: they are pending again.
    pub fn on_create_failed(&mut self, uris: &[String]) {
        for uri in uris.iter().filter_map(|u| normalize_sip_uri(u)) {
            self.creating.remove(&uri);
        }
    }

    /// A request to subscribe `asked` contacts (a Create's, or `usize::MAX` for an
    /// AddMembers) was refused with 403 `LimitExceeded` (the number of contacts per
    /// subscription is not documented): later subscriptions hold half as many. False when
    /// they hold one already: the user's limit of subscriptions is reached, not their size.
    pub fn on_limit_exceeded(&mut self, asked: usize) -> bool {
        let cap = self.max_per_subscription.min(asked);
        if cap <= 1 {
            return false;
        }
        self.max_per_subscription = cap / 2;
        true
    }

    /// An AddMembers succeeded; `href` is the action's `add_href` (or the subscription's self).
    pub fn on_members_added(&mut self, href: &str, uris: &[String]) {
        if let Some(sub) = self.find_by_any_href(href) {
            for uri in uris.iter().filter_map(|u| normalize_sip_uri(u)) {
                if sub.adding.remove(&uri) {
                    sub.members.insert(uri);
                }
            }
        }
    }

    /// An AddMembers failed: the URIs are pending again. `href` as in
    /// [`on_members_added`](Self::on_members_added).
    pub fn on_members_add_failed(&mut self, href: &str, uris: &[String]) {
        if let Some(sub) = self.find_by_any_href(href) {
            for uri in uris.iter().filter_map(|u| normalize_sip_uri(u)) {
                sub.adding.remove(&uri);
            }
        }
    }

    /// `presenceSubscription updated` (about to expire): the extend request. `None` for a
    /// subscription this manager does not know, and for one none of whose contacts is wanted any
    /// more (it is forgotten and left to lapse).
    pub fn on_expiring(&mut self, href: &str) -> Option<SubAction> {
        let wanted = &self.wanted;
        let sub = self.live.iter().find(|s| same_resource(&s.href, href))?;
        let still_wanted = sub
            .members
            .iter()
            .chain(&sub.adding)
            .any(|u| wanted.contains_key(u));
        if !still_wanted {
            self.forget(href);
            return None;
        }
        let url = with_query(&sub.href, "duration", &self.duration.to_string());
        Some(SubAction::Extend {
            href: sub.href.clone(),
            url,
        })
    }

    /// Members nobody wants any more: leave, or delete the subscription when none is wanted.
    fn departures(&mut self) -> Vec<SubAction> {
        let wanted = &self.wanted;
        let mut actions = Vec::new();
        for sub in self.live.iter_mut().filter(|s| !s.deleting) {
            let unwanted: Vec<String> = sub
                .members
                .iter()
                .filter(|u| !wanted.contains_key(*u) && !sub.leaving.contains(*u))
                .cloned()
                .collect();
            if unwanted.is_empty() {
                continue;
            }
            let any_wanted = sub
                .members
                .iter()
                .chain(&sub.adding)
                .any(|u| wanted.contains_key(u));
            if !any_wanted {
                sub.deleting = true;
                actions.push(SubAction::Delete {
                    href: sub.href.clone(),
                });
            } else if let Some(memberships_href) = &sub.memberships_href {
                sub.leaving.extend(unwanted.iter().cloned());
                actions.push(SubAction::LeaveMembers {
                    subscription_href: sub.href.clone(),
                    memberships_href: memberships_href.clone(),
                    uris: unwanted,
                });
            }
        }
        actions
    }

    /// A LeaveMembers succeeded for `uris` (those whose membership DELETE answered 2xx or 404).
    pub fn on_members_left(&mut self, subscription_href: &str, uris: &[String]) {
        if let Some(sub) = self
            .live
            .iter_mut()
            .find(|s| same_resource(&s.href, subscription_href))
        {
            for uri in uris.iter().filter_map(|u| normalize_sip_uri(u)) {
                sub.leaving.remove(&uri);
                sub.members.remove(&uri);
            }
        }
    }

    /// A LeaveMembers failed for `uris`: they stay members; a later sync tries again.
    pub fn on_members_leave_failed(&mut self, subscription_href: &str, uris: &[String]) {
        if let Some(sub) = self
            .live
            .iter_mut()
            .find(|s| same_resource(&s.href, subscription_href))
        {
            for uri in uris.iter().filter_map(|u| normalize_sip_uri(u)) {
                sub.leaving.remove(&uri);
            }
        }
    }

    /// A Delete failed: the subscription stays; it lapses unless a later sync deletes it.
    pub fn on_delete_failed(&mut self, href: &str) {
        if let Some(sub) = self.live.iter_mut().find(|s| same_resource(&s.href, href)) {
            sub.deleting = false;
        }
    }

    /// The `memberships` href of a live subscription (to find `presenceSubscriptionMembership`
    /// hrefs for [`SubAction::LeaveMembers`]).
    pub fn memberships_href(&self, subscription_href: &str) -> Option<&str> {
        self.live
            .iter()
            .find(|s| same_resource(&s.href, subscription_href))
            .and_then(|s| s.memberships_href.as_deref())
    }

    /// The extend answered 404 (expired; seed 001): forget the subscription, its members become
    /// pending and the next [`next_actions`](Self::next_actions) creates them again.
    pub fn on_extend_failed_not_found(&mut self, href: &str) {
        self.forget(href);
    }

    /// `presenceSubscription deleted` arrived on the event channel, or a request on one of the
    /// subscription's hrefs answered 404: same as an expired one.
    pub fn on_deleted(&mut self, href: &str) {
        self.forget(href);
    }

    /// After `resume` or with a new application: no subscription exists any more, every wanted
    /// contact is pending again and answers to earlier requests are ignored.
    pub fn reset_all(&mut self) {
        self.live.clear();
        self.creating.clear();
    }

    /// Forgets the subscription `href` names (its self, add or memberships href).
    fn forget(&mut self, href: &str) {
        self.live.retain(|s| !s.is_named_by(href));
    }

    fn find_by_any_href(&mut self, href: &str) -> Option<&mut LiveSubscription> {
        self.live.iter_mut().find(|s| s.is_named_by(href))
    }

    /// Body of the create request, exactly as seed 000 spells it: `{"duration":11,"Uris":[…]}`
    /// (duration clamped to 10..=30).
    pub fn create_body(uris: &[String], duration: u8) -> String {
        ObjectWriter::new()
            .integer("duration", u64::from(clamp_duration(duration)))
            .strings("Uris", uris)
            .finish()
    }

    /// Body of `POST addToPresenceSubscription`: `{"contactUris":[…]}`.
    pub fn add_members_body(uris: &[String]) -> String {
        ObjectWriter::new().strings("contactUris", uris).finish()
    }
}

fn clamp_duration(minutes: u8) -> u8 {
    minutes.clamp(DURATION_RANGE.0, DURATION_RANGE.1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::fields::FromJson;

    const BASE: &str = "https://lyncweb.contoso.com/ucwa/oauth/v1/applications/101";
    const SARA: &str = "sip:sarad@contoso.com";
    use crate::protocol::seeds::SUBSCRIPTION_CREATED as SEED_000_CREATED;
    const SUB_HREF: &str = "https://lyncweb.contoso.com/ucwa/oauth/v1/applications/101/people/presenceSubscriptions/97b6bd66";
    const ADD_HREF: &str = "https://lyncweb.contoso.com/ucwa/oauth/v1/applications/101/people/presenceSubscriptionMemberships?presenceSubscriptionId=97b6bd66";

    fn seed_sub() -> PresenceSubscription {
        PresenceSubscription::parse(SEED_000_CREATED).unwrap()
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    /// True when `uri` is a confirmed member of a live subscription.
    fn subscribed(subs: &Subscriptions, uri: &str) -> bool {
        normalize_sip_uri(uri).is_some_and(|u| subs.live.iter().any(|s| s.members.contains(&u)))
    }

    /// How many subscriptions are live.
    fn live_count(subs: &Subscriptions) -> usize {
        subs.live.len()
    }

    /// A manager with Sara subscribed through the seed subscription.
    fn with_sara() -> Subscriptions {
        let mut subs = Subscriptions::new(100, 11);
        subs.want("sip:SaraD@contoso.com");
        assert_eq!(
            subs.next_actions(),
            vec![SubAction::Create { uris: s(&[SARA]) }]
        );
        subs.on_created(&s(&[SARA]), &seed_sub(), BASE);
        subs
    }

    #[test]
    fn create_body_matches_seed_000() {
        assert_eq!(
            Subscriptions::create_body(&s(&["sip:SaraD@contoso.com"]), 11),
            r#"{"duration":11,"Uris":["sip:SaraD@contoso.com"]}"#
        );
        assert_eq!(
            Subscriptions::create_body(&[], 3),
            r#"{"duration":10,"Uris":[]}"#
        );
        assert_eq!(
            Subscriptions::create_body(&s(&["a\"b"]), 99),
            r#"{"duration":30,"Uris":["a\"b"]}"#
        );
        assert_eq!(
            Subscriptions::add_members_body(&s(&[SARA])),
            r#"{"contactUris":["sip:sarad@contoso.com"]}"#
        );
        assert_eq!(Subscriptions::new(0, 0).duration(), 10);
    }

    #[test]
    fn refcounted_wants_and_no_duplicate_requests() {
        let mut subs = with_sara();
        assert!(subscribed(&subs, "sarad@contoso.com"));
        subs.want("SIP:sarad@CONTOSO.com");
        subs.want("not a uri");
        assert_eq!(subs.wanted().collect::<Vec<_>>(), [SARA]);
        assert!(subs.next_actions().is_empty());
        subs.unwant(SARA);
        assert!(subs.is_wanted(SARA), "one badge still shows Sara");
        assert!(subs.on_expiring(SUB_HREF).is_some());
        subs.unwant(SARA);
        subs.unwant(SARA);
        assert!(!subs.is_wanted(SARA));
        assert_eq!(
            subs.next_actions(),
            vec![SubAction::Delete {
                href: SUB_HREF.into()
            }],
            "nobody wants it: delete it"
        );
        assert_eq!(subs.on_expiring(SUB_HREF), None, "and never extend it");
        assert_eq!(live_count(&subs), 0);
    }

    #[test]
    fn in_flight_creates_are_not_repeated_and_failures_retry() {
        let mut subs = Subscriptions::new(2, 11);
        for u in ["a@x.com", "b@x.com", "c@x.com"] {
            subs.want(u);
        }
        let actions = subs.next_actions();
        assert_eq!(
            actions,
            vec![
                SubAction::Create {
                    uris: s(&["sip:a@x.com", "sip:b@x.com"])
                },
                SubAction::Create {
                    uris: s(&["sip:c@x.com"])
                },
            ]
        );
        assert!(subs.next_actions().is_empty());
        subs.on_create_failed(&s(&["sip:c@x.com"]));
        assert_eq!(
            subs.next_actions(),
            vec![SubAction::Create {
                uris: s(&["sip:c@x.com"])
            }]
        );
    }

    #[test]
    fn new_contacts_join_a_subscription_with_room() {
        let mut subs = with_sara();
        subs.want("bob@contoso.com");
        let add = SubAction::AddMembers {
            add_href: ADD_HREF.into(),
            uris: s(&["sip:bob@contoso.com"]),
        };
        assert_eq!(subs.next_actions(), vec![add.clone()]);
        assert!(subs.next_actions().is_empty());
        subs.on_members_add_failed(
            "/ucwa/oauth/v1/applications/101/people/presenceSubscriptions/97B6BD66",
            &s(&["sip:bob@contoso.com"]),
        );
        assert_eq!(subs.next_actions(), vec![add]);
        subs.on_members_added(ADD_HREF, &s(&["sip:bob@contoso.com"]));
        assert!(subscribed(&subs, "bob@contoso.com"));
        assert!(subs.next_actions().is_empty());
        assert_eq!(subs.memberships_href(SUB_HREF), Some(ADD_HREF));
    }

    #[test]
    fn full_subscription_overflows_into_a_new_one() {
        let mut subs = Subscriptions::new(1, 11);
        subs.want(SARA);
        subs.next_actions();
        subs.on_created(&s(&[SARA]), &seed_sub(), BASE);
        subs.want("bob@contoso.com");
        assert_eq!(
            subs.next_actions(),
            vec![SubAction::Create {
                uris: s(&["sip:bob@contoso.com"])
            }]
        );
    }

    #[test]
    fn expiry_extend_and_404_recreate_per_seed_001() {
        let mut subs = with_sara();
        let event_href = "/ucwa/oauth/v1/applications/101/people/presenceSubscriptions/97b6bd66";
        assert_eq!(
            subs.on_expiring(event_href),
            Some(SubAction::Extend {
                href: SUB_HREF.into(),
                url: format!("{SUB_HREF}?duration=11")
            })
        );
        assert_eq!(
            subs.on_expiring("/ucwa/oauth/v1/applications/101/people/presenceSubscriptions/other"),
            None
        );
        subs.on_extend_failed_not_found(event_href);
        assert!(!subscribed(&subs, SARA));
        assert_eq!(
            subs.next_actions(),
            vec![SubAction::Create { uris: s(&[SARA]) }]
        );
    }

    #[test]
    fn deleted_event_and_reset_make_everything_pending_and_ignore_late_answers() {
        let mut subs = with_sara();
        subs.on_deleted(SUB_HREF);
        assert_eq!(live_count(&subs), 0);
        assert_eq!(
            subs.next_actions(),
            vec![SubAction::Create { uris: s(&[SARA]) }]
        );
        subs.reset_all();
        subs.on_created(&s(&[SARA]), &seed_sub(), BASE);
        assert!(
            !subscribed(&subs, SARA),
            "answer from before the reset is ignored"
        );
        assert_eq!(
            subs.next_actions(),
            vec![SubAction::Create { uris: s(&[SARA]) }]
        );
        subs.on_created(&s(&[SARA]), &PresenceSubscription::default(), BASE);
        assert!(!subscribed(&subs, SARA), "no self link: treated as failed");
        assert_eq!(
            subs.next_actions(),
            vec![SubAction::Create { uris: s(&[SARA]) }]
        );
    }

    #[test]
    fn any_href_of_a_subscription_names_it() {
        for href in [
            SUB_HREF,
            ADD_HREF,
            "/ucwa/oauth/v1/applications/101/people/presenceSubscriptions/97B6BD66",
        ] {
            let mut subs = with_sara();
            subs.on_deleted(href);
            assert_eq!(live_count(&subs), 0, "{href}");
            assert_eq!(
                subs.next_actions(),
                vec![SubAction::Create { uris: s(&[SARA]) }]
            );
        }
        let mut subs = with_sara();
        subs.on_deleted("/ucwa/oauth/v1/applications/101/people/presenceSubscriptions/other");
        assert_eq!(live_count(&subs), 1);
    }

    #[test]
    fn created_for_a_contact_unwanted_meanwhile_keeps_the_wanted_one() {
        let mut subs = Subscriptions::new(10, 11);
        subs.want(SARA);
        subs.want("bob@contoso.com");
        subs.next_actions();
        subs.unwant("bob@contoso.com");
        subs.on_created(&s(&["sip:bob@contoso.com", SARA]), &seed_sub(), BASE);
        assert!(subscribed(&subs, SARA));
        assert_eq!(
            subs.next_actions(),
            vec![SubAction::LeaveMembers {
                subscription_href: SUB_HREF.into(),
                memberships_href: ADD_HREF.into(),
                uris: s(&["sip:bob@contoso.com"]),
            }],
            "Bob, unwanted while the create was in flight, leaves"
        );
        assert!(subs.on_expiring(SUB_HREF).is_some());
    }

    #[test]
    fn unwanted_members_leave_and_an_unwanted_subscription_is_deleted() {
        const DANA: &str = "sip:dana@contoso.com";
        let mut subs = Subscriptions::new(100, 11);
        subs.want(SARA);
        subs.want(DANA);
        assert_eq!(
            subs.next_actions(),
            vec![SubAction::Create {
                uris: s(&[DANA, SARA])
            }]
        );
        subs.on_created(&s(&[DANA, SARA]), &seed_sub(), BASE);

        // Two badges for Sara: removing one keeps her.
        subs.want(SARA);
        subs.unwant(SARA);
        assert_eq!(subs.next_actions(), vec![]);

        subs.unwant(SARA);
        let leave = SubAction::LeaveMembers {
            subscription_href: SUB_HREF.into(),
            memberships_href: ADD_HREF.into(),
            uris: s(&[SARA]),
        };
        assert_eq!(subs.next_actions(), vec![leave.clone()]);
        assert_eq!(
            subs.next_actions(),
            vec![],
            "no second request while one is in flight"
        );
        subs.on_members_leave_failed(SUB_HREF, &s(&[SARA]));
        assert_eq!(subs.next_actions(), vec![leave], "retried after a failure");
        subs.on_members_left(SUB_HREF, &s(&[SARA]));
        assert!(!subscribed(&subs, SARA));
        assert!(subscribed(&subs, DANA));

        // Wanted again: added back to the same subscription.
        subs.want(SARA);
        assert_eq!(
            subs.next_actions(),
            vec![SubAction::AddMembers {
                add_href: ADD_HREF.into(),
                uris: s(&[SARA])
            }]
        );
        subs.on_members_added(ADD_HREF, &s(&[SARA]));

        // Nobody wanted: the whole subscription goes.
        subs.unwant(SARA);
        subs.unwant(DANA);
        assert_eq!(
            subs.next_actions(),
            vec![SubAction::Delete {
                href: SUB_HREF.into()
            }]
        );
        assert_eq!(subs.next_actions(), vec![]);
        subs.on_delete_failed(SUB_HREF);
        assert_eq!(
            subs.next_actions(),
            vec![SubAction::Delete {
                href: SUB_HREF.into()
            }]
        );
        subs.on_deleted(SUB_HREF);
        assert_eq!(live_count(&subs), 0);
        assert_eq!(subs.next_actions(), vec![]);
    }

    #[test]
    fn limit_exceeded_halves_the_subscriptions_until_one_contact_is_refused() {
        let mut subs = Subscriptions::new(250, 11);
        let uris: Vec<String> = (0..600).map(|i| format!("sip:p{i}@contoso.com")).collect();
        for u in &uris {
            subs.want(u);
        }
        let sizes = |actions: &[SubAction]| -> Vec<usize> {
            actions
                .iter()
                .map(|a| match a {
                    SubAction::Create { uris } => uris.len(),
                    _ => 0,
                })
                .collect()
        };
        let first = subs.next_actions();
        assert_eq!(sizes(&first), vec![250, 250, 100]);
        let SubAction::Create { uris: refused } = &first[0] else {
            panic!("a create")
        };
        for action in &first {
            if let SubAction::Create { uris } = action {
                subs.on_create_failed(uris);
            }
        }
        assert!(subs.on_limit_exceeded(refused.len()));
        assert_eq!(sizes(&subs.next_actions()), vec![125, 125, 125, 125, 100]);
        let mut halvings = 0;
        while subs.on_limit_exceeded(usize::MAX) {
            halvings += 1;
        }
        assert_eq!(halvings, 6, "125 → 62 → 31 → 15 → 7 → 3 → 1");
        assert!(
            !subs.on_limit_exceeded(1),
            "one contact refused: the user's limit"
        );
    }

    #[test]
    fn limit_exceeded_is_a_403_with_that_subcode() {
        let refused = |status, subcode: &str| {
            Action::GiveUp(Reason::Refused {
                status,
                subcode: Some(subcode.into()),
                message: None,
            })
        };
        assert!(limit_exceeded(&refused(403, "limitexceeded")));
        assert!(!limit_exceeded(&refused(403, "TooManyContacts")));
        assert!(!limit_exceeded(&refused(409, "LimitExceeded")));
        assert!(!limit_exceeded(&Action::Retry));
    }
}
