//! The events the state sends, each built in one place (shapes from seed 000/001 and
//! EventChannelDetails).

use super::presence::Aspect;
use crate::events::{Event, Link, Priority};
use crate::{links, resources};

fn from_people(app: u64, link: Link, kind: &'static str, priority: Priority) -> Event {
    Event::new(links::people_link(app), link, kind, priority)
}

fn from_me(app: u64, link: Link, kind: &'static str) -> Event {
    Event::new(links::me_link(app), link, kind, Priority::High)
}

/// `contact added|deleted` in `subscribedContacts`: the contact entered or left the set of
/// contacts the application is subscribed to.
pub fn subscribed_contact(app: u64, key: &str, kind: &'static str) -> Event {
    let link = Link {
        rel: "contact",
        href: links::contact(app, key),
    };
    from_people(app, link, kind, Priority::High).within(Link {
        rel: "subscribedContacts",
        href: links::subscribed_contacts(app),
    })
}

/// `presenceSubscription added|updated|deleted`; `added` and `updated` (the about-to-expire
/// warning) embed the subscription.
pub fn subscription(app: u64, id: &str, kind: &'static str) -> Event {
    let link = Link {
        rel: "presenceSubscription",
        href: links::subscription(app, id),
    };
    let event = from_people(app, link, kind, Priority::High);
    if kind == "deleted" {
        event
    } else {
        event.embedding(resources::subscription(app, id))
    }
}

/// `presenceSubscriptionMembership added|deleted` in the subscription.
pub fn membership(app: u64, id: &str, key: &str, kind: &'static str) -> Event {
    let link = Link {
        rel: "presenceSubscriptionMembership",
        href: links::membership(app, id, key),
    };
    from_people(app, link, kind, Priority::High).within(Link {
        rel: "presenceSubscription",
        href: links::subscription(app, id),
    })
}

/// `contactPresence|contactNote|contactLocation updated` in the contact.
pub fn contact_updated(app: u64, key: &str, aspect: Aspect, priority: Priority) -> Event {
    let (rel, href) = match aspect {
        Aspect::Presence => ("contactPresence", links::contact_presence(app, key)),
        Aspect::Note => ("contactNote", links::contact_note(app, key)),
        Aspect::Location => ("contactLocation", links::contact_location(app, key)),
    };
    from_people(app, Link { rel, href }, "updated", priority).within(Link {
        rel: "contact",
        href: links::contact(app, key),
    })
}

/// `presence|note|location added|updated` of the user's own application (sender `me`).
pub fn own(app: u64, aspect: Aspect, kind: &'static str) -> Event {
    let (rel, href) = match aspect {
        Aspect::Presence => ("presence", links::presence(app)),
        Aspect::Note => ("note", links::note(app)),
        Aspect::Location => ("location", links::location(app)),
    };
    from_me(app, Link { rel, href }, kind)
}

/// `me updated` (makeMeAvailable).
pub fn me_updated(app: u64) -> Event {
    from_me(app, links::me_link(app), "updated")
}
