//! JSON representations of UCWA resources, shaped after Microsoft's reference examples.

use serde_json::{json, Map, Value};

use crate::directory::{Group, User};
use crate::links;
use crate::presence::{ucwa_date, Note, Published};
use crate::state::Application;

fn href(h: String) -> Value {
    json!({ "href": h })
}

/// presenceSubscription (seed 000 / 001).
pub fn subscription(app: u64, id: &str) -> Value {
    json!({
        "id": id,
        "_links": {
            "self": href(links::subscription(app, id)),
            "memberships": href(links::subscription_memberships(app, id)),
            "addToPresenceSubscription": href(links::subscription_memberships(app, id)),
        },
        "rel": "presenceSubscription",
    })
}

pub fn membership(app: u64, id: &str, key: &str) -> Value {
    json!({
        "_links": {
            "self": href(links::membership(app, id, key)),
            "contact": href(links::contact(app, key)),
            "presenceSubscription": href(links::subscription(app, id)),
        },
        "rel": "presenceSubscriptionMembership",
    })
}

pub fn memberships(app: u64, id: &str, members: &[String]) -> Value {
    let list: Vec<Value> = members.iter().map(|m| membership(app, id, m)).collect();
    json!({
        "_links": { "self": href(links::subscription_memberships(app, id)) },
        "_embedded": { "presenceSubscriptionMembership": list },
        "rel": "presenceSubscriptionMemberships",
    })
}

/// `me`: the signed-in user; presence/note/location links appear after makeMeAvailable.
pub fn me(app: u64, user: &User, available: bool) -> Value {
    let mut l = Map::new();
    l.insert("self".into(), href(links::me(app)));
    if available {
        l.insert("note".into(), href(links::note(app)));
        l.insert("presence".into(), href(links::presence(app)));
        l.insert("location".into(), href(links::location(app)));
        l.insert(
            "reportMyActivity".into(),
            href(links::report_my_activity(app)),
        );
    } else {
        l.insert(
            "makeMeAvailable".into(),
            href(links::make_me_available(app)),
        );
    }
    l.insert("photo".into(), href(links::photo(app, &user.key)));
    let mut m = Map::new();
    m.insert("name".into(), json!(user.name));
    m.insert("uri".into(), json!(user.uri));
    m.insert("emailAddresses".into(), json!(user.emails));
    for (k, v) in [
        ("title", &user.title),
        ("department", &user.department),
        ("company", &user.company),
        ("officeLocation", &user.office),
        ("workPhoneNumber", &user.work_phone),
        ("mobilePhoneNumber", &user.mobile_phone),
        ("homePhoneNumber", &user.home_phone),
    ] {
        if let Some(v) = v {
            m.insert(k.into(), json!(v));
        }
    }
    m.insert("_links".into(), Value::Object(l));
    m.insert("rel".into(), json!("me"));
    Value::Object(m)
}

pub fn people(app: u64) -> Value {
    json!({
        "_links": {
            "self": href(links::people(app)),
            "presenceSubscriptions": href(links::presence_subscriptions(app)),
            "subscribedContacts": href(links::subscribed_contacts(app)),
            "presenceSubscriptionMemberships": href(links::presence_subscription_memberships(app)),
            "myGroups": href(links::my_groups(app)),
            "myContacts": href(links::my_contacts(app)),
            "search": href(links::search(app)),
        },
        "rel": "people",
    })
}

pub fn communication(app: u64) -> Value {
    json!({
        "supportedModalities": [],
        "supportedMessageFormats": ["Plain"],
        "_links": { "self": href(links::communication(app)) },
        "rel": "communication",
    })
}

pub fn policies(app: u64) -> Value {
    json!({
        "_links": { "self": href(links::policies(app)) },
        "rel": "policies",
    })
}

pub fn application(a: &Application, instance: &str, user: &User, next_ack: u64) -> Value {
    let mut embedded = Map::new();
    embedded.insert("me".into(), me(a.id, user, a.available));
    embedded.insert("people".into(), people(a.id));
    embedded.insert("communication".into(), communication(a.id));
    let mut body = json!({
        "culture": a.endpoint.culture,
        "userAgent": a.endpoint.user_agent,
        "endpointId": a.endpoint.endpoint_id,
        "type": a.endpoint.app_type,
        "id": a.id.to_string(),
        "_links": {
            "self": href(links::app_self(a.id, instance)),
            "policies": href(links::policies(a.id)),
            "batch": href(links::batch(a.id)),
            "events": href(links::events(a.id, instance, next_ack)),
        },
        "_embedded": Value::Object(embedded),
        "rel": "application",
    });
    if let (false, Some(obj)) = (instance.is_empty(), body.as_object_mut()) {
        obj.insert("instanceId".into(), json!(instance));
    }
    body
}

/// contact: a directory user, or (only inside contact lists: `GET people/{u}` answers 404 for
/// them) a minimal card for a URI outside the directory.
pub fn contact(app: u64, key: &str, user: Option<&User>) -> Value {
    let mut m = Map::new();
    match user {
        Some(u) => {
            m.insert("uri".into(), json!(u.uri));
            m.insert("name".into(), json!(u.name));
            m.insert("emailAddresses".into(), json!(u.emails));
            for (k, v) in [
                ("title", &u.title),
                ("department", &u.department),
                ("company", &u.company),
                ("office", &u.office),
                ("workPhoneNumber", &u.work_phone),
                ("mobilePhoneNumber", &u.mobile_phone),
                ("homePhoneNumber", &u.home_phone),
            ] {
                if let Some(v) = v {
                    m.insert(k.into(), json!(v));
                }
            }
            m.insert("sourceNetwork".into(), json!("SameEnterprise"));
        }
        None => {
            m.insert("uri".into(), json!(format!("sip:{key}")));
            m.insert("name".into(), json!(key));
            m.insert("emailAddresses".into(), json!([]));
            m.insert("sourceNetwork".into(), json!("Federated"));
        }
    }
    m.insert("type".into(), json!("User"));
    m.insert(
        "_links".into(),
        json!({
            "self": href(links::contact(app, key)),
            "contactPhoto": href(links::photo(app, key)),
            "contactPresence": href(links::contact_presence(app, key)),
            "contactLocation": href(links::contact_location(app, key)),
            "contactNote": href(links::contact_note(app, key)),
        }),
    );
    m.insert("rel".into(), json!("contact"));
    Value::Object(m)
}

pub fn contact_presence(app: u64, key: &str, p: &Published, last_active_ms: Option<i64>) -> Value {
    let mut m = Map::new();
    m.insert("availability".into(), json!(p.availability.token()));
    m.insert("activity".into(), json!(p.activity));
    m.insert("deviceType".into(), json!(p.device.token()));
    if let Some(ms) = last_active_ms {
        m.insert("lastActive".into(), json!(ucwa_date(ms)));
    }
    m.insert(
        "_links".into(),
        json!({ "self": href(links::contact_presence(app, key)) }),
    );
    m.insert("rel".into(), json!("contactPresence"));
    Value::Object(m)
}

pub fn contact_note(app: u64, key: &str, note: &Note) -> Value {
    json!({
        "message": note.message,
        "type": note.kind.token(),
        "_links": { "self": href(links::contact_note(app, key)) },
        "rel": "contactNote",
    })
}

pub fn contact_location(app: u64, key: &str, location: &str) -> Value {
    json!({
        "location": location,
        "_links": { "self": href(links::contact_location(app, key)) },
        "rel": "contactLocation",
    })
}

pub fn my_presence(app: u64, p: &Published) -> Value {
    json!({
        "availability": p.availability.token(),
        "activity": p.activity,
        "_links": { "self": href(links::presence(app)) },
        "rel": "presence",
    })
}

pub fn my_note(app: u64, note: &Note) -> Value {
    json!({
        "message": note.message,
        "type": note.kind.token(),
        "_links": { "self": href(links::note(app)) },
        "rel": "note",
    })
}

pub fn my_location(app: u64, location: &str) -> Value {
    json!({
        "location": location,
        "_links": { "self": href(links::location(app)) },
        "rel": "location",
    })
}

pub fn group(app: u64, g: &Group) -> Value {
    json!({
        "id": g.id,
        "name": g.name,
        "_links": {
            "self": href(links::group(app, &g.id)),
            "groupContacts": href(links::group_contacts(app, &g.id)),
            "subscribeToGroupPresence": href(links::subscribe_to_group(app, &g.id)),
        },
        "rel": "group",
    })
}

pub fn contact_list(self_href: String, rel: &str, contacts: Vec<Value>) -> Value {
    json!({
        "_links": { "self": href(self_href) },
        "_embedded": { "contact": contacts },
        "rel": rel,
    })
}
