//! Decoding one event-channel response (events_ref, EventsInUCWA) into domain [`Event`]s.
//!
//! A response is `{"_links":{self,next|resync|resume}, "sender":[{rel, href, events:[{link,
//! in?, _embedded?, type}]}]}`. Events keep the server's order across senders. An event with
//! missing or odd pieces becomes [`Event::Other`] or is skipped; only a body that is not a JSON
//! object with `_links` is an error.

use super::error::ProtocolError;
use super::fields::{parse_object, FromJson};
use super::hal::{Link, Links};
use super::json::Value;
use super::resources::{sip_uri_from_people_href, ContactPresence};

/// One decoded event-channel response.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventPage {
    /// Where the next P-GET goes (the server's href, unchanged).
    pub next: Option<String>,
    /// Present when the server lost track of us: drop cached state and follow it.
    pub resync: Option<String>,
    /// Present after a long gap: subscriptions were reset; re-create them and follow it.
    pub resume: Option<String>,
    pub events: Vec<Event>,
}

/// A change the widget cares about.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A contact's presence changed; fetch `href` unless `presence` was embedded.
    ContactPresenceUpdated {
        contact: String,
        href: String,
        presence: Option<ContactPresence>,
    },
    /// A contact's note changed; `href` is the `contactNote`.
    ContactNoteUpdated { contact: String, href: String },
    /// A contact's location changed; `href` is the `contactLocation`.
    ContactLocationUpdated { contact: String, href: String },
    /// A contact was added (for example to `subscribedContacts` after a subscription).
    ContactAdded { contact: String, href: String },
    /// A contact was removed.
    ContactRemoved { contact: String, href: String },
    /// My presence (`me/presence`) was added or changed.
    MyPresenceUpdated {
        href: String,
        presence: Option<ContactPresence>,
    },
    /// My note was added (after `makeMeAvailable`) or changed.
    MyNoteUpdated { href: String },
    /// My location was added (after `makeMeAvailable`) or changed.
    MyLocationUpdated { href: String },
    /// The `me` resource changed (for example gained links after `makeMeAvailable`).
    MeUpdated { href: String },
    /// A presence subscription was created.
    SubscriptionAdded { href: String },
    /// A presence subscription is about to expire: extend it.
    SubscriptionExpiring { href: String },
    /// A presence subscription ended.
    SubscriptionDeleted { href: String },
    /// The server deleted our application: create a new one at once.
    ApplicationDeleted { href: String },
    /// Anything else, as the server described it (`kind` is the event `type`).
    Other {
        sender: String,
        rel: String,
        href: String,
        kind: String,
    },
}

const WHAT: &str = "event channel response";

/// Decodes one event-channel response body.
pub fn parse_event_page(body: &str) -> Result<EventPage, ProtocolError> {
    let page = parse_object(body, WHAT)?;
    let links = match page.get("_links") {
        Some(v @ Value::Object(_)) => Links::from_json(v),
        _ => return Err(ProtocolError::new(WHAT, "no _links object")),
    };
    let mut events = Vec::new();
    for sender in items(page.get("sender")) {
        if !sender.is_object() {
            continue;
        }
        let sender_rel = text(sender, "rel");
        for event in items(sender.get("events")) {
            if let Some(event) = decode_event(sender_rel, event) {
                events.push(event);
            }
        }
    }
    let link = |rel: &str| {
        links
            .href(rel)
            .filter(|h| !h.trim().is_empty())
            .map(str::to_string)
    };
    Ok(EventPage {
        next: link("next"),
        resync: link("resync"),
        resume: link("resume"),
        events,
    })
}

/// The elements of an array, or a lone object as a one-element list.
fn items(value: Option<&Value>) -> &[Value] {
    match value {
        Some(Value::Array(items)) => items,
        Some(v @ Value::Object(_)) => std::slice::from_ref(v),
        _ => &[],
    }
}

/// The string member `key` of an object, or `""`.
fn text<'a>(obj: &'a Value, key: &str) -> &'a str {
    obj.get(key).and_then(Value::as_str).unwrap_or("")
}

fn eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// The embedded resource `rel` of an event, parsed; `None` when absent or malformed.
fn embedded_presence(event: &Value, rel: &str) -> Option<ContactPresence> {
    let value = event.get("_embedded")?.get(rel)?;
    value.is_object().then(|| ContactPresence::from_json(value))
}

/// One event object of a sender; `None` for non-objects and events without a usable `link`.
fn decode_event(sender: &str, event: &Value) -> Option<Event> {
    // Without a target link there is nothing to act on.
    let link_value = event.get("link")?;
    let link = Link::from_json(link_value)?;
    let rel = text(link_value, "rel");
    let in_link = event.get("in");
    let in_rel = in_link.map_or("", |i| text(i, "rel"));
    let in_href = in_link.map_or("", |i| text(i, "href"));
    let kind = text(event, "type");
    let href = link.href;
    let added_or_updated = eq(kind, "added") || eq(kind, "updated");
    let in_me = eq(sender, "me") || eq(in_rel, "me");
    // The contact a people event is about: from its own href, or from the `in` (contact) href.
    let contact = || sip_uri_from_people_href(&href).or_else(|| sip_uri_from_people_href(in_href));

    let decoded = if eq(rel, "contactPresence") && added_or_updated {
        contact().map(|contact| Event::ContactPresenceUpdated {
            contact,
            presence: embedded_presence(event, "contactPresence"),
            href: href.clone(),
        })
    } else if eq(rel, "contactNote") && added_or_updated {
        contact().map(|contact| Event::ContactNoteUpdated {
            contact,
            href: href.clone(),
        })
    } else if eq(rel, "contactLocation") && added_or_updated {
        contact().map(|contact| Event::ContactLocationUpdated {
            contact,
            href: href.clone(),
        })
    } else if eq(rel, "contact") && eq(kind, "added") {
        contact().map(|contact| Event::ContactAdded {
            contact,
            href: href.clone(),
        })
    } else if eq(rel, "contact") && eq(kind, "deleted") {
        contact().map(|contact| Event::ContactRemoved {
            contact,
            href: href.clone(),
        })
    } else if eq(rel, "presence") && in_me && added_or_updated {
        Some(Event::MyPresenceUpdated {
            presence: embedded_presence(event, "presence"),
            href: href.clone(),
        })
    } else if eq(rel, "note") && in_me && added_or_updated {
        Some(Event::MyNoteUpdated { href: href.clone() })
    } else if eq(rel, "location") && in_me && added_or_updated {
        Some(Event::MyLocationUpdated { href: href.clone() })
    } else if eq(rel, "me") && added_or_updated {
        Some(Event::MeUpdated { href: href.clone() })
    } else if eq(rel, "application") && eq(kind, "deleted") {
        Some(Event::ApplicationDeleted { href: href.clone() })
    } else if eq(rel, "presenceSubscription") {
        match kind {
            k if eq(k, "added") => Some(Event::SubscriptionAdded { href: href.clone() }),
            k if eq(k, "updated") => Some(Event::SubscriptionExpiring { href: href.clone() }),
            k if eq(k, "deleted") => Some(Event::SubscriptionDeleted { href: href.clone() }),
            _ => None,
        }
    } else {
        None
    };
    Some(decoded.unwrap_or_else(|| Event::Other {
        sender: sender.to_string(),
        rel: rel.to_string(),
        href,
        kind: kind.to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Availability;

    /// Seed 000: contactPresence updated.
    const SEED_000_PRESENCE_UPDATED: &str = r#"{
       "_links":{
          "self":{"href":"/ucwa/oauth/v1/applications/101/events?ack=5"},
          "next":{"href":"/ucwa/oauth/v1/applications/101/events?ack=6"}
       },
       "sender":[
          {
             "rel":"people","href":"/ucwa/oauth/v1/applications/101/people",
             "events":[
                {
                   "link":{"rel":"contactPresence","href":"/ucwa/oauth/v1/applications/101/people/saraD@contoso.com/presence"},
                   "in":{"rel":"contact","href":"/ucwa/oauth/v1/applications/101/people/saraD@contoso.com"},
                   "type":"updated"
                }
             ]
          }
       ]
    }"#;

    /// Seed 000 / 001: presenceSubscription updated (about to expire), with the resource embedded.
    const SEED_000_SUBSCRIPTION_UPDATED: &str = r#"{
       "_links":{
          "self":{"href":"/ucwa/v1/applications/101/events?ack=10"},
          "next":{"href":"/ucwa/v1/applications/101/events?ack=11"}
        },
        "sender":[
        {
          "rel":"people","href":"/ucwa/v1/applications/101/people",
          "events":[
             {
                "link":{"rel":"presenceSubscription","href":"/ucwa/v1/applications/101/people/presenceSubscriptions/97b6bd66"},
                "_embedded":{
                   "presenceSubscription":{
                      "id":"97b6bd66",
                      "_links":{
                         "self":{"href":"/ucwa/v1/applications/101/people/presenceSubscriptions/97b6bd66"},
                         "memberships":{"href":"/ucwa/v1/applications/101/people/presenceSubscriptionMemberships?presenceSubscriptionId=97b6bd66"},
                         "addToPresenceSubscription":{"href":"/ucwa/v1/applications/101/people/presenceSubscriptionMemberships?presenceSubscriptionId=97b6bd66"}
                      },
                      "rel":"presenceSubscription"
                   }
                },
                "type":"updated"
              }
           ]
        }]
    }"#;

    /// Seed 000's event list after subscribing (its missing comma between events fixed).
    const SEED_000_AFTER_SUBSCRIBE: &str = r#"{"_links":{"next":{"href":"/ucwa/oauth/v1/applications/101/events?ack=3"}},
      "sender":[{"rel":"people","href":"/ucwa/oauth/v1/applications/101/people","events":[
           {
              "link":{"rel":"contact","href":"/ucwa/oauth/v1/applications/101/people/sarad@contoso.com"},
              "in":{"rel":"subscribedContacts","href":"/ucwa/oauth/v1/applications/101/people/subscribedContacts"},
               "type":"added"
           },
           {
              "link" :{"rel":"presenceSubscription","href":"/ucwa/oauth/v1/applications/101/people/presenceSubscriptions/97b6bd66"},
              "type":"added"
           },
           {
             "link":{"rel":"contactPresence","href":"/ucwa/oauth/v1/applications/101/people/sarad@Contoso.com/presence"},
             "in":{"rel":"contact","href":"/ucwa/oauth/v1/applications/101/people/sarad@contoso.com"},
             "type":"updated"
           }
        ]}]}"#;

    #[test]
    fn seed_000_presence_update() {
        let page = parse_event_page(SEED_000_PRESENCE_UPDATED).unwrap();
        assert_eq!(
            page.next.as_deref(),
            Some("/ucwa/oauth/v1/applications/101/events?ack=6")
        );
        assert_eq!(
            (page.resync.as_deref(), page.resume.as_deref()),
            (None, None)
        );
        assert_eq!(
            page.events,
            vec![Event::ContactPresenceUpdated {
                contact: "sip:sarad@contoso.com".into(),
                href: "/ucwa/oauth/v1/applications/101/people/saraD@contoso.com/presence".into(),
                presence: None,
            }]
        );
    }

    #[test]
    fn seed_000_subscription_expiring() {
        let page = parse_event_page(SEED_000_SUBSCRIPTION_UPDATED).unwrap();
        assert_eq!(
            page.next.as_deref(),
            Some("/ucwa/v1/applications/101/events?ack=11")
        );
        assert_eq!(
            page.events,
            vec![Event::SubscriptionExpiring {
                href: "/ucwa/v1/applications/101/people/presenceSubscriptions/97b6bd66".into()
            }]
        );
    }

    #[test]
    fn seed_000_events_after_subscribing_in_order() {
        let page = parse_event_page(SEED_000_AFTER_SUBSCRIBE).unwrap();
        let sara = "sip:sarad@contoso.com".to_string();
        assert_eq!(
            page.events,
            vec![
                Event::ContactAdded {
                    contact: sara.clone(),
                    href: "/ucwa/oauth/v1/applications/101/people/sarad@contoso.com".into()
                },
                Event::SubscriptionAdded {
                    href: "/ucwa/oauth/v1/applications/101/people/presenceSubscriptions/97b6bd66"
                        .into()
                },
                Event::ContactPresenceUpdated {
                    contact: sara,
                    href: "/ucwa/oauth/v1/applications/101/people/sarad@Contoso.com/presence"
                        .into(),
                    presence: None,
                },
            ]
        );
    }

    #[test]
    fn me_events_and_embedded_presence() {
        let body = r#"{"_links":{"next":{"href":"/e?ack=4"}},"sender":[
          {"rel":"me","href":"/a/me","events":[
            {"link":{"rel":"me","href":"/a/me"},"type":"updated"},
            {"link":{"rel":"presence","href":"/a/me/presence"},"type":"added",
             "_embedded":{"presence":{"availability":"Busy","activity":"In a call"}}},
            {"link":{"rel":"note","href":"/a/me/note"},"type":"added"},
            {"link":{"rel":"location","href":"/a/me/location"},"type":"added"}]},
          {"rel":"people","href":"/a/people","events":[
            {"link":{"rel":"contactPresence","href":"/a/people/bob@x.com/presence"},"type":"updated",
             "_embedded":{"contactPresence":{"availability":"Away","lastActive":"/Date(7)/"}}},
            {"link":{"rel":"contactNote","href":"/a/people/bob@x.com/note"},"in":{"rel":"contact","href":"/a/people/bob@x.com"},"type":"updated"},
            {"link":{"rel":"contact","href":"/a/people/bob@x.com"},"in":{"rel":"subscribedContacts","href":"/a/people/subscribedContacts"},"type":"deleted"},
            {"link":{"rel":"presenceSubscription","href":"/a/people/presenceSubscriptions/1"},"type":"deleted"}]},
          {"rel":"application","href":"/a","events":[{"link":{"rel":"application","href":"/a"},"type":"deleted","reason":{"subcode":"x"}}]}
        ]}"#;
        let page = parse_event_page(body).unwrap();
        let e = &page.events;
        assert_eq!(e.len(), 9);
        assert_eq!(
            e[0],
            Event::MeUpdated {
                href: "/a/me".into()
            }
        );
        match &e[1] {
            Event::MyPresenceUpdated {
                href,
                presence: Some(p),
            } => {
                assert_eq!(href, "/a/me/presence");
                assert_eq!(p.availability, Availability::Busy);
                assert_eq!(p.activity.as_deref(), Some("In a call"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            e[2],
            Event::MyNoteUpdated {
                href: "/a/me/note".into()
            }
        );
        assert_eq!(
            e[3],
            Event::MyLocationUpdated {
                href: "/a/me/location".into()
            }
        );
        match &e[4] {
            Event::ContactPresenceUpdated {
                contact,
                presence: Some(p),
                ..
            } => {
                assert_eq!(contact, "sip:bob@x.com");
                assert_eq!(
                    (p.availability, p.last_active),
                    (Availability::Away, Some(7))
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            e[5],
            Event::ContactNoteUpdated {
                contact: "sip:bob@x.com".into(),
                href: "/a/people/bob@x.com/note".into()
            }
        );
        assert_eq!(
            e[6],
            Event::ContactRemoved {
                contact: "sip:bob@x.com".into(),
                href: "/a/people/bob@x.com".into()
            }
        );
        assert_eq!(
            e[7],
            Event::SubscriptionDeleted {
                href: "/a/people/presenceSubscriptions/1".into()
            }
        );
        assert_eq!(e[8], Event::ApplicationDeleted { href: "/a".into() });
    }

    /// The event pages of contactNote_ref, contactLocation_ref, note_ref and location_ref: one
    /// sender (`people` or `me`) at fe1.contoso.com with one event (`link`, `in`, `type`).
    fn documented_page(sender: &str, event: &str) -> String {
        let app = "https://fe1.contoso.com:443/ucwa/v1/applications/192";
        format!(
            r#"{{
  "_links" : {{
    "self" : {{ "href" : "http://sample:80/ucwa/v1/applications/appId/events?ack=1" }},
    "next" : {{ "href" : "http://sample:80/ucwa/v1/applications/appId/events?ack=2" }}
  }},
  "sender" : [ {{ "rel" : "{sender}", "href" : "{app}/{sender}", "events" : [ {event} ] }} ]
}}"#
        )
    }

    /// contactNote_ref / contactLocation_ref: `in` the contact. Their `people/282` is an opaque
    /// id; servers that key people by address (`people/sarad@contoso.com`, seed 000, the
    /// reference server) name the contact.
    fn documented_contact_event(rel: &str, person: &str) -> String {
        let people = "https://fe1.contoso.com:443/ucwa/v1/applications/192/people";
        documented_page(
            "people",
            &format!(
                r#"{{
          "link" : {{ "rel" : "{rel}", "href" : "{people}/{person}/{rel}" }},
          "in" : {{ "rel" : "contact", "href" : "{people}/{person}" }},
          "type" : "updated"
        }}"#
            ),
        )
    }

    /// note_ref / location_ref: `sender` me, no `in`.
    fn documented_me_event(rel: &str, kind: &str) -> String {
        let me = "https://fe1.contoso.com:443/ucwa/v1/applications/192/me";
        documented_page(
            "me",
            &format!(
                r#"{{ "link" : {{ "rel" : "{rel}", "href" : "{me}/{rel}" }}, "type" : "{kind}" }}"#
            ),
        )
    }

    #[test]
    fn documented_contact_note_and_location_events() {
        let base = "https://fe1.contoso.com:443/ucwa/v1/applications/192/people";
        let sara = "sip:sarad@contoso.com".to_string();
        let note = parse_event_page(&documented_contact_event(
            "contactNote",
            "saraD@contoso.com",
        ));
        assert_eq!(
            note.unwrap().events,
            [Event::ContactNoteUpdated {
                contact: sara.clone(),
                href: format!("{base}/saraD@contoso.com/contactNote"),
            }]
        );
        let place = documented_contact_event("contactLocation", "sarad@contoso.com");
        assert_eq!(
            parse_event_page(&place).unwrap().events,
            [Event::ContactLocationUpdated {
                contact: sara,
                href: format!("{base}/sarad@contoso.com/contactLocation"),
            }]
        );
        // Verbatim, with no address to key the contact by: kept as an unknown event.
        let verbatim = parse_event_page(&documented_contact_event("contactLocation", "282"));
        assert!(matches!(
            &verbatim.unwrap().events[..],
            [Event::Other { rel, .. }] if rel == "contactLocation"
        ));
    }

    #[test]
    fn documented_my_note_and_location_events() {
        let me = "https://fe1.contoso.com:443/ucwa/v1/applications/192/me";
        for kind in ["added", "updated"] {
            let page = parse_event_page(&documented_me_event("note", kind)).unwrap();
            assert_eq!(
                page.events,
                [Event::MyNoteUpdated {
                    href: format!("{me}/note")
                }]
            );
            let page = parse_event_page(&documented_me_event("location", kind)).unwrap();
            assert_eq!(
                page.events,
                [Event::MyLocationUpdated {
                    href: format!("{me}/location")
                }]
            );
        }
        // `deleted`: the application no longer gets them; nothing to read.
        let page = parse_event_page(&documented_me_event("location", "deleted")).unwrap();
        assert!(matches!(&page.events[..], [Event::Other { kind, .. }] if kind == "deleted"));
    }

    #[test]
    fn resync_and_resume_links() {
        let page =
            parse_event_page(r#"{"_links":{"resync":{"href":"/e?ack=1&resync=1"}}}"#).unwrap();
        assert_eq!(
            (page.next, page.resync.as_deref()),
            (None, Some("/e?ack=1&resync=1"))
        );
        let page =
            parse_event_page(r#"{"_links":{"resume":{"href":"/e?ack=9"},"next":{"href":""}}}"#)
                .unwrap();
        assert_eq!(
            (page.next, page.resume.as_deref()),
            (None, Some("/e?ack=9"))
        );
        assert!(page.events.is_empty());
    }

    #[test]
    fn odd_events_are_skipped_or_other() {
        let body = r#"{"_links":{"next":{"href":"/n"}},"sender":{"rel":"people","events":[
            1, null, {"type":"updated"}, {"link":{"rel":"contactPresence"},"type":"updated"},
            {"link":{"rel":"contactPresence","href":"/a/people/presence"},"type":"updated"},
            {"link":{"href":"/x"}},
            {"link":{"rel":"contactPresence","href":"/a/people/c@d.e/presence"},"type":"updated","_embedded":{"contactPresence":[1]}},
            {"link":{"rel":"presenceSubscription","href":"/s"},"type":"weird"}
        ]}}"#;
        let page = parse_event_page(body).unwrap();
        assert_eq!(
            page.events,
            vec![
                Event::Other {
                    sender: "people".into(),
                    rel: "contactPresence".into(),
                    href: "/a/people/presence".into(),
                    kind: "updated".into()
                },
                Event::Other {
                    sender: "people".into(),
                    rel: "".into(),
                    href: "/x".into(),
                    kind: "".into()
                },
                Event::ContactPresenceUpdated {
                    contact: "sip:c@d.e".into(),
                    href: "/a/people/c@d.e/presence".into(),
                    presence: None
                },
                Event::Other {
                    sender: "people".into(),
                    rel: "presenceSubscription".into(),
                    href: "/s".into(),
                    kind: "weird".into()
                },
            ]
        );
    }

    #[test]
    fn errors_only_for_non_json_or_missing_links() {
        for bad in [
            "",
            "<html>",
            "[]",
            "{}",
            r#"{"_links":null}"#,
            r#"{"sender":[]}"#,
            "{\"_links\":{",
        ] {
            let err = parse_event_page(bad).unwrap_err();
            assert_eq!(err.what, WHAT);
            assert!(!err.to_string().is_empty());
        }
        let page = parse_event_page(r#"{"_links":{}}"#).unwrap();
        assert_eq!(page, EventPage::default());
    }
}
