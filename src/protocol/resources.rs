//! The UCWA resources the widget reads, as tolerant serde types.
//!
//! Every type ignores unknown fields, defaults missing ones and turns a field of the wrong JSON
//! type into its default (see `lenient`), so a server variation degrades one field, not the badge.
//! Property names are UCWA's camelCase.

use serde::Deserialize;
use serde_json::Value;

use super::availability::Availability;
use super::hal::Links;
use super::lenient::{one_or_many, opt_ms_date, opt_resource, opt_string, or_default, string_list};

pub use super::date::parse_ms_date;
pub use super::sip::{normalize_sip_uri, sip_uri_from_people_href};

/// Autodiscover root (`…/autodiscoverservice.svc/root`): links `self`, `user`, `xframe`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Root {
    #[serde(rename = "_links")]
    pub links: Links,
}

/// The `user` resource: link `applications` once signed in (else `redirect`/`self`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct User {
    #[serde(rename = "_links")]
    pub links: Links,
}

/// The `application` resource (201 from `POST applications`, 200 from `GET`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Application {
    #[serde(deserialize_with = "opt_string")]
    pub id: Option<String>,
    #[serde(rename = "_links")]
    pub links: Links,
    #[serde(rename = "_embedded", deserialize_with = "or_default")]
    pub embedded: ApplicationEmbedded,
}

/// What an application embeds; `communication` and `onlineMeetings` are not used and skipped.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ApplicationEmbedded {
    #[serde(deserialize_with = "opt_resource")]
    pub me: Option<Me>,
    #[serde(deserialize_with = "opt_resource")]
    pub people: Option<People>,
}

/// The signed-in user (`me`). After `makeMeAvailable` it links `presence`, `note`, `location`,
/// `reportMyActivity`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Me {
    #[serde(deserialize_with = "opt_string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub uri: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub title: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub department: Option<String>,
    #[serde(deserialize_with = "string_list")]
    pub email_addresses: Vec<String>,
    #[serde(rename = "_links")]
    pub links: Links,
}

impl Me {
    /// True once `makeMeAvailable` has been done (the `presence` link appears).
    pub fn is_available(&self) -> bool {
        self.links.contains("presence")
    }
}

/// The `people` hub: links `presenceSubscriptions`, `subscribedContacts`, `myGroups`,
/// `myContacts`, `search`, …
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct People {
    #[serde(rename = "_links")]
    pub links: Links,
}

/// A contact's presence (`contactPresence`); also the shape of `me/presence`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContactPresence {
    pub availability: Availability,
    /// Localised text ("Off Work") or a token the client localises (`in-a-meeting`, …).
    #[serde(deserialize_with = "opt_string")]
    pub activity: Option<String>,
    /// `DeskPhone`, `Mobile`, `PC`, `Unknown`, `Web`.
    #[serde(deserialize_with = "opt_string")]
    pub device_type: Option<String>,
    /// Milliseconds since the Unix epoch, from `"\/Date(ms)\/"`.
    #[serde(deserialize_with = "opt_ms_date")]
    pub last_active: Option<i64>,
    #[serde(rename = "_links")]
    pub links: Links,
}

/// A contact (`contact`): card fields and links `contactPresence`, `contactNote`, `contactPhoto`, …
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Contact {
    #[serde(deserialize_with = "opt_string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub uri: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub title: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub department: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub company: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub office: Option<String>,
    #[serde(deserialize_with = "string_list")]
    pub email_addresses: Vec<String>,
    #[serde(deserialize_with = "opt_string")]
    pub work_phone_number: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub mobile_phone_number: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub home_phone_number: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub source_network: Option<String>,
    /// `User`, `Phone` or `Bot` (JSON `type`).
    #[serde(rename = "type", deserialize_with = "opt_string")]
    pub contact_type: Option<String>,
    #[serde(rename = "_links")]
    pub links: Links,
}

impl Contact {
    /// The contact's normalised SIP URI, from `uri` or else from its `self` href.
    pub fn sip_uri(&self) -> Option<String> {
        self.uri
            .as_deref()
            .and_then(normalize_sip_uri)
            .or_else(|| self.links.href("self").and_then(sip_uri_from_people_href))
    }
}

/// A note (`contactNote`, `me/note`): `type` is `Personal` or `OutOfOffice`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Note {
    #[serde(deserialize_with = "opt_string")]
    pub message: Option<String>,
    #[serde(rename = "type", deserialize_with = "opt_string")]
    pub note_type: Option<String>,
    #[serde(rename = "_links")]
    pub links: Links,
}

/// A presence subscription (201 of `POST presenceSubscriptions`, seed 000): links `self`,
/// `memberships`, `addToPresenceSubscription`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct PresenceSubscription {
    #[serde(deserialize_with = "opt_string")]
    pub id: Option<String>,
    #[serde(rename = "_links")]
    pub links: Links,
}

/// Which `_embedded` list of `myGroups` a group came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum GroupKind {
    #[default]
    Group,
    DefaultGroup,
    PinnedGroup,
    DistributionGroup,
}

impl GroupKind {
    /// The `_embedded` key of each kind, in the order [`groups_of`] reads them.
    pub const KEYS: [(&'static str, GroupKind); 4] = [
        ("pinnedGroup", GroupKind::PinnedGroup),
        ("defaultGroup", GroupKind::DefaultGroup),
        ("group", GroupKind::Group),
        ("distributionGroup", GroupKind::DistributionGroup),
    ];
}

/// A contact group: links `groupContacts`, `subscribeToGroupPresence`, …
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Group {
    #[serde(deserialize_with = "opt_string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pub name: Option<String>,
    /// Set by [`groups_of`] (not a JSON field).
    #[serde(skip)]
    pub kind: GroupKind,
    #[serde(rename = "_links")]
    pub links: Links,
}

/// The groups of a `myGroups` response: `_embedded.pinnedGroup`, `defaultGroup`, `group` and
/// `distributionGroup`, each a single object or an array, in that order. Malformed entries are
/// skipped.
pub fn groups_of(json: &Value) -> Vec<Group> {
    let embedded = json.get("_embedded");
    GroupKind::KEYS
        .iter()
        .flat_map(|&(key, kind)| {
            one_or_many::<Group>(embedded.and_then(|e| e.get(key)))
                .into_iter()
                .map(move |g| Group { kind, ..g })
        })
        .collect()
}

/// A collection of contacts (`myContacts`, `groupContacts`, search results): `_embedded.contact`,
/// a single object or an array.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactList {
    pub contacts: Vec<Contact>,
}

impl ContactList {
    pub fn from_value(json: &Value) -> ContactList {
        let contacts = one_or_many(json.get("_embedded").and_then(|e| e.get("contact")));
        ContactList { contacts }
    }
}

impl<'de> Deserialize<'de> for ContactList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(ContactList::from_value(&Value::deserialize(d)?))
    }
}

/// Body of `POST me/presence`; `None` for availabilities a user cannot set.
pub fn set_presence_body(availability: Availability) -> Option<String> {
    availability
        .is_settable()
        .then(|| availability.as_token())
        .flatten()
        .map(|t| format!("{{\"availability\":\"{t}\"}}"))
}

/// Body of `POST me/makeMeAvailable` as in seed 002: `{"SupportedModalities":["Messaging"]}`.
pub fn make_me_available_body(modalities: &[&str]) -> String {
    let list = serde_json::to_string(modalities).unwrap_or_else(|_| "[]".to_string());
    format!("{{\"SupportedModalities\":{list}}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seed 000: `GET …/people/sarad@contoso.com/presence`.
    const SEED_000_PRESENCE: &str = r#"{
       "availability":"Offline",
       "deviceType":"Unknown",
       "lastActive":"\/Date(1358827096000)\/",
       "_links":{
          "self":{"href":"/ucwa/oauth/v1/applications/101/people/saraD@contoso.com/presence"}},
       "rel":"contactPresence"
    }"#;

    /// Seed 002's application response, with the seed's elisions (`{...}`) and stray quote fixed.
    const SEED_002_APPLICATION: &str = r#"{
"culture":"en-US",
"userAgent":"UCWA Samples",
"_links":{
"self":{"href":"/ucwa/oauth/v1/applications/104"},
"policies":{"href":"/ucwa/oauth/v1/applications/104/policies"},
"batch":{"href":"/ucwa/oauth/v1/applications/104/batch"},
"events":{"href":"/ucwa/oauth/v1/applications/104/events?ack=1"}
},
"_embedded":{
"me":{
"name":"Dana Birkby",
"uri":"sip:Dana@contoso.com",
"emailAddresses": ["Dana@contoso.com"],
"_links":{
"self":{"href":"/ucwa/oauth/v1/applications/104/me"},
"note":{"href":"/ucwa/oauth/v1/applications/104/me/note"},
"presence":{"href":"/ucwa/oauth/v1/applications/104/me/presence"},
"location":{"href":"/ucwa/oauth/v1/applications/104/me/location"},
"reportMyActivity":{"href":"/ucwa/oauth/v1/applications/104/me/reportMyActivity"},
"callForwardingSettings":{"href":"/ucwa/oauth/v1/applications/104/me/callForwardingSettings"},
"phones":{"href":"/ucwa/oauth/v1/applications/104/me/phones"},
"photo":{"href":"/ucwa/oauth/v1/applications/104/photos/Dana@contoso.com"}
},
"rel":"me"
},
"people":{"_links":{"self":{"href":"/ucwa/oauth/v1/applications/104/people"},
  "presenceSubscriptions":{"href":"/ucwa/oauth/v1/applications/104/people/presenceSubscriptions"},
  "myGroups":{"href":"/ucwa/oauth/v1/applications/104/people/groups"}},"rel":"people"},
"onlineMeetings":{},
"communication":{"conversations":[1,2]}
},
"rel":"application"
}"#;

    #[test]
    fn parses_seed_000_contact_presence() {
        let p: ContactPresence = serde_json::from_str(SEED_000_PRESENCE).unwrap();
        assert_eq!(p.availability, Availability::Offline);
        assert_eq!(p.device_type.as_deref(), Some("Unknown"));
        assert_eq!(p.last_active, Some(1_358_827_096_000));
        assert_eq!(p.activity, None);
        assert_eq!(
            p.links.href("self"),
            Some("/ucwa/oauth/v1/applications/101/people/saraD@contoso.com/presence")
        );
    }

    #[test]
    fn presence_tolerates_odd_fields() {
        let p: ContactPresence = serde_json::from_str(
            r#"{"availability":"Napping","activity":7,"lastActive":"yesterday","deviceType":null}"#,
        )
        .unwrap();
        assert_eq!(p, ContactPresence::default());
        let p: ContactPresence = serde_json::from_str(
            r#"{"availability":"busy","activity":"in-a-meeting","lastActive":5}"#,
        )
        .unwrap();
        assert_eq!(p.availability, Availability::Busy);
        assert_eq!(p.activity.as_deref(), Some("in-a-meeting"));
        assert_eq!(p.last_active, Some(5));
        assert!(serde_json::from_str::<ContactPresence>("3").is_err());
    }

    #[test]
    fn parses_seed_002_application() {
        let app: Application = serde_json::from_str(SEED_002_APPLICATION).unwrap();
        assert_eq!(app.id, None);
        assert_eq!(
            app.links.href("events"),
            Some("/ucwa/oauth/v1/applications/104/events?ack=1")
        );
        assert_eq!(
            app.links.href("batch"),
            Some("/ucwa/oauth/v1/applications/104/batch")
        );
        let me = app.embedded.me.as_ref().unwrap();
        assert_eq!(me.name.as_deref(), Some("Dana Birkby"));
        assert_eq!(me.uri.as_deref(), Some("sip:Dana@contoso.com"));
        assert_eq!(me.email_addresses, vec!["Dana@contoso.com".to_string()]);
        assert!(me.is_available());
        assert_eq!(
            me.links.href("reportMyActivity"),
            Some("/ucwa/oauth/v1/applications/104/me/reportMyActivity")
        );
        let people = app.embedded.people.as_ref().unwrap();
        assert_eq!(
            people.links.href("presenceSubscriptions"),
            Some("/ucwa/oauth/v1/applications/104/people/presenceSubscriptions")
        );
    }

    #[test]
    fn application_with_broken_embedded_parts_still_parses() {
        let app: Application = serde_json::from_str(
            r#"{"id":"a1","_links":{"self":{"href":"/a"}},"_embedded":{"me":"nope","people":5}}"#,
        )
        .unwrap();
        assert_eq!(app.id.as_deref(), Some("a1"));
        assert_eq!(app.embedded, ApplicationEmbedded::default());
        let app: Application = serde_json::from_str(r#"{"_embedded":null,"_links":null}"#).unwrap();
        assert_eq!(app, Application::default());
        let root: Root =
            serde_json::from_str(r#"{"_links":{"user":{"href":"https://x/user"}}}"#).unwrap();
        assert_eq!(root.links.href("user"), Some("https://x/user"));
        let user: User = serde_json::from_str("{}").unwrap();
        assert!(user.links.is_empty());
    }

    #[test]
    fn parses_seed_000_subscription() {
        let s: PresenceSubscription = serde_json::from_str(
            r#"{
       "id":"97b6bd66",
       "_links":{
          "self":{"href":"/ucwa/oauth/v1/applications/101/people/presenceSubscriptions/97b6bd66"},
          "memberships":{"href":"/ucwa/oauth/v1/applications/101/people/presenceSubscriptionMemberships?presenceSubscriptionId=97b6bd66"},
          "addToPresenceSubscription":{"href":"/ucwa/oauth/v1/applications/101/people/presenceSubscriptionMemberships?presenceSubscriptionId=97b6bd66"}
       },
       "rel":"presenceSubscription"
    }"#,
        )
        .unwrap();
        assert_eq!(s.id.as_deref(), Some("97b6bd66"));
        assert!(s.links.contains("addToPresenceSubscription"));
    }

    #[test]
    fn contact_and_note() {
        let c: Contact = serde_json::from_str(
            r#"{"name":"Sara Davis","uri":"sip:SaraD@contoso.com","emailAddresses":"sarad@contoso.com",
                "workPhoneNumber":"tel:+1425","type":"User","sourceNetwork":"SameEnterprise","company":"",
                "_links":{"self":{"href":"/x/people/sarad@contoso.com"},"contactPhoto":{"href":"/p"}}}"#,
        )
        .unwrap();
        assert_eq!(c.contact_type.as_deref(), Some("User"));
        assert_eq!(c.email_addresses, vec!["sarad@contoso.com".to_string()]);
        assert_eq!(c.work_phone_number.as_deref(), Some("tel:+1425"));
        assert_eq!(c.company, None);
        assert_eq!(c.sip_uri().as_deref(), Some("sip:sarad@contoso.com"));
        let c: Contact =
            serde_json::from_str(r#"{"uri":"bad","_links":{"self":{"href":"/x/people/a@b.c"}}}"#)
                .unwrap();
        assert_eq!(c.sip_uri().as_deref(), Some("sip:a@b.c"));
        let n: Note =
            serde_json::from_str(r#"{"message":"Back at 3","type":"OutOfOffice"}"#).unwrap();
        assert_eq!(
            (n.message.as_deref(), n.note_type.as_deref()),
            (Some("Back at 3"), Some("OutOfOffice"))
        );
    }

    #[test]
    fn my_groups_single_or_array() {
        let json: Value = serde_json::from_str(
            r#"{"_embedded":{
                "defaultGroup":{"id":"d","name":"Other Contacts","_links":{"groupContacts":{"href":"/g/d/contacts"}}},
                "group":[{"name":"Team"},"junk",{"name":"Friends"}],
                "pinnedGroup":{"name":"Favorites"},
                "distributionGroup":[]}}"#,
        )
        .unwrap();
        let groups = groups_of(&json);
        let names: Vec<_> = groups
            .iter()
            .map(|g| (g.name.as_deref().unwrap(), g.kind))
            .collect();
        assert_eq!(
            names,
            vec![
                ("Favorites", GroupKind::PinnedGroup),
                ("Other Contacts", GroupKind::DefaultGroup),
                ("Team", GroupKind::Group),
                ("Friends", GroupKind::Group),
            ]
        );
        assert_eq!(groups[1].links.href("groupContacts"), Some("/g/d/contacts"));
        assert!(groups_of(&Value::Null).is_empty());
        assert!(groups_of(&serde_json::json!({"_embedded": 3})).is_empty());
    }

    #[test]
    fn contact_lists() {
        let list: ContactList = serde_json::from_str(
            r#"{"_embedded":{"contact":[{"uri":"sip:a@b.c"},{"uri":"sip:d@e.f"}]}}"#,
        )
        .unwrap();
        assert_eq!(list.contacts.len(), 2);
        let list: ContactList =
            serde_json::from_str(r#"{"_embedded":{"contact":{"uri":"sip:a@b.c"}}}"#).unwrap();
        assert_eq!(list.contacts[0].uri.as_deref(), Some("sip:a@b.c"));
        let list: ContactList = serde_json::from_str(r#"{"_links":{}}"#).unwrap();
        assert!(list.contacts.is_empty());
    }

    #[test]
    fn request_bodies() {
        assert_eq!(
            set_presence_body(Availability::Online).as_deref(),
            Some(r#"{"availability":"Online"}"#)
        );
        assert_eq!(set_presence_body(Availability::IdleOnline), None);
        assert_eq!(set_presence_body(Availability::Unknown), None);
        assert_eq!(
            make_me_available_body(&["Messaging"]),
            r#"{"SupportedModalities":["Messaging"]}"#
        );
    }
}
