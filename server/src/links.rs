//! Resource URLs. Links inside `/ucwa` resources are root-relative like Microsoft's examples;
//! discovery links are absolute, built from the request's Host header.

use crate::events::Link;

pub const APPLICATIONS: &str = "/ucwa/oauth/v1/applications";

pub fn app(app: u64) -> String {
    format!("{APPLICATIONS}/{app}")
}

pub fn app_self(app_id: u64, instance: &str) -> String {
    if instance.is_empty() {
        app(app_id)
    } else {
        format!("{}?instanceId={}", app(app_id), encode(instance))
    }
}

pub fn events(app_id: u64, instance: &str, ack: u64) -> String {
    if instance.is_empty() {
        format!("{}/events?ack={ack}", app(app_id))
    } else {
        format!(
            "{}/events?ack={ack}&instanceId={}",
            app(app_id),
            encode(instance)
        )
    }
}

macro_rules! sub_path {
    ($($name:ident => $suffix:literal),* $(,)?) => {
        $(pub fn $name(app_id: u64) -> String { format!("{}{}", app(app_id), $suffix) })*
    };
}

sub_path! {
    batch => "/batch",
    policies => "/policies",
    communication => "/communication",
    me => "/me",
    make_me_available => "/me/makeMeAvailable",
    presence => "/me/presence",
    note => "/me/note",
    location => "/me/location",
    report_my_activity => "/me/reportMyActivity",
    people => "/people",
    presence_subscriptions => "/people/presenceSubscriptions",
    presence_subscription_memberships => "/people/presenceSubscriptionMemberships",
    subscribed_contacts => "/people/subscribedContacts",
    my_contacts => "/people/contacts",
    my_groups => "/people/groups",
    search => "/people/search",
}

pub fn contact(app_id: u64, key: &str) -> String {
    format!("{}/people/{key}", app(app_id))
}
pub fn contact_presence(app_id: u64, key: &str) -> String {
    format!("{}/people/{key}/presence", app(app_id))
}
pub fn contact_note(app_id: u64, key: &str) -> String {
    format!("{}/people/{key}/note", app(app_id))
}
pub fn contact_location(app_id: u64, key: &str) -> String {
    format!("{}/people/{key}/location", app(app_id))
}
pub fn photo(app_id: u64, key: &str) -> String {
    format!("{}/photos/{key}", app(app_id))
}
pub fn subscription(app_id: u64, id: &str) -> String {
    format!("{}/people/presenceSubscriptions/{id}", app(app_id))
}
pub fn subscription_memberships(app_id: u64, id: &str) -> String {
    format!(
        "{}/people/presenceSubscriptionMemberships?presenceSubscriptionId={id}",
        app(app_id)
    )
}
pub fn membership(app_id: u64, id: &str, key: &str) -> String {
    format!(
        "{}/people/presenceSubscriptionMemberships/{id},{key}",
        app(app_id)
    )
}
pub fn group(app_id: u64, gid: &str) -> String {
    format!("{}/people/groups/{}", app(app_id), encode(gid))
}
pub fn group_contacts(app_id: u64, gid: &str) -> String {
    format!("{}/people/groups/{}/contacts", app(app_id), encode(gid))
}
pub fn subscribe_to_group(app_id: u64, gid: &str) -> String {
    format!(
        "{}/people/groups/{}/subscribeToGroupPresence?groupId={}",
        app(app_id),
        encode(gid),
        encode(gid)
    )
}

/// Sender / target links for events.
pub fn people_link(app_id: u64) -> Link {
    Link {
        rel: "people",
        href: people(app_id),
    }
}
pub fn me_link(app_id: u64) -> Link {
    Link {
        rel: "me",
        href: me(app_id),
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `http://HOST` for absolute discovery links; falls back to the listening address when the
/// Host header is missing or not a plausible authority.
pub fn base(host: Option<&str>, fallback: &str) -> String {
    let ok = |h: &str| {
        !h.is_empty()
            && h.len() <= 255
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
    };
    match host {
        Some(h) if ok(h) => format!("http://{h}"),
        _ => format!("http://{fallback}"),
    }
}
