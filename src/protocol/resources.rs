//! The UCWA resources the widget reads, as tolerant types read from JSON (see [`FromJson`]).
//!
//! Every type ignores unknown members, defaults missing ones and turns a member of the wrong JSON
//! type into its default (see `fields`), so a server variation degrades one field, not the badge.
//! Member names are UCWA's camelCase.

use super::availability::Availability;
use super::error::ProtocolError;
use super::fields::{one_or_many, opt_ms_date, opt_resource, opt_string, string_list, FromJson};
use super::hal::Links;
use super::json::{self, ObjectWriter, Value};

pub use super::date::parse_ms_date;
pub use super::note::{Location, Note};
pub use super::sip::{normalize_sip_uri, sip_uri_from_people_href};

/// The `_links` member of a resource.
pub(crate) fn links(value: &Value) -> Links {
    value
        .get("_links")
        .map(Links::from_json)
        .unwrap_or_default()
}

/// Autodiscover root (`…/autodiscoverservice.svc/root`): links `self`, `user`, `xframe`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Root {
    pub links: Links,
}

impl FromJson for Root {
    const WHAT: &'static str = "autodiscover root";
    fn from_json(value: &Value) -> Self {
        Root {
            links: links(value),
        }
    }
}

/// The `user` resource: link `applications` once signed in (else `redirect`/`self`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct User {
    pub links: Links,
}

impl FromJson for User {
    const WHAT: &'static str = "user resource";
    fn from_json(value: &Value) -> Self {
        User {
            links: links(value),
        }
    }
}

/// The `application` resource (201 from `POST applications`, 200 from `GET`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Application {
    pub id: Option<String>,
    pub links: Links,
    /// `_embedded`; its default when absent or not an object.
    pub embedded: ApplicationEmbedded,
}

impl FromJson for Application {
    const WHAT: &'static str = "application";
    fn from_json(value: &Value) -> Self {
        Application {
            id: opt_string(value, "id"),
            links: links(value),
            embedded: value
                .get("_embedded")
                .map(ApplicationEmbedded::from_json)
                .unwrap_or_default(),
        }
    }
}

/// What an application embeds; `communication` and `onlineMeetings` are not used and skipped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplicationEmbedded {
    pub me: Option<Me>,
    pub people: Option<People>,
}

impl FromJson for ApplicationEmbedded {
    const WHAT: &'static str = "application's _embedded";
    fn from_json(value: &Value) -> Self {
        ApplicationEmbedded {
            me: opt_resource(value, "me"),
            people: opt_resource(value, "people"),
        }
    }
}

/// The signed-in user (`me`). After `makeMeAvailable` it links `presence`, `note`, `location`,
/// `reportMyActivity`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Me {
    pub name: Option<String>,
    pub uri: Option<String>,
    pub title: Option<String>,
    pub department: Option<String>,
    /// `emailAddresses`: one string or an array of them.
    pub email_addresses: Vec<String>,
    pub links: Links,
}

impl FromJson for Me {
    const WHAT: &'static str = "me resource";
    fn from_json(value: &Value) -> Self {
        Me {
            name: opt_string(value, "name"),
            uri: opt_string(value, "uri"),
            title: opt_string(value, "title"),
            department: opt_string(value, "department"),
            email_addresses: string_list(value, "emailAddresses"),
            links: links(value),
        }
    }
}

impl Me {
    /// True once `makeMeAvailable` has been done (the `presence` link appears).
    pub fn is_available(&self) -> bool {
        self.links.contains("presence")
    }
}

/// The `people` hub: links `presenceSubscriptions`, `subscribedContacts`, `myGroups`,
/// `myContacts`, `search`, …
#[derive(Debug, Clone, Default, PartialEq)]
pub struct People {
    pub links: Links,
}

impl FromJson for People {
    const WHAT: &'static str = "people resource";
    fn from_json(value: &Value) -> Self {
        People {
            links: links(value),
        }
    }
}

/// A contact's presence (`contactPresence`); also the shape of `me/presence`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactPresence {
    pub availability: Availability,
    /// Localised text ("Off Work") or a token the client localises (`in-a-meeting`, …).
    pub activity: Option<String>,
    /// `DeskPhone`, `Mobile`, `PC`, `Unknown`, `Web` (JSON `deviceType`).
    pub device_type: Option<String>,
    /// Milliseconds since the Unix epoch, from `"\/Date(ms)\/"` (JSON `lastActive`).
    pub last_active: Option<i64>,
    pub links: Links,
}

impl FromJson for ContactPresence {
    const WHAT: &'static str = "presence";
    fn from_json(value: &Value) -> Self {
        ContactPresence {
            availability: value
                .get("availability")
                .map(Availability::from_json)
                .unwrap_or_default(),
            activity: opt_string(value, "activity"),
            device_type: opt_string(value, "deviceType"),
            last_active: opt_ms_date(value, "lastActive"),
            links: links(value),
        }
    }
}

/// A contact (`contact`): card fields and links `contactPresence`, `contactNote`, `contactPhoto`, …
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    pub name: Option<String>,
    pub uri: Option<String>,
    pub title: Option<String>,
    pub department: Option<String>,
    pub company: Option<String>,
    pub office: Option<String>,
    /// `emailAddresses`: one string or an array of them.
    pub email_addresses: Vec<String>,
    pub work_phone_number: Option<String>,
    pub mobile_phone_number: Option<String>,
    pub home_phone_number: Option<String>,
    pub source_network: Option<String>,
    /// `User`, `Phone` or `Bot` (JSON `type`).
    pub contact_type: Option<String>,
    pub links: Links,
}

impl FromJson for Contact {
    const WHAT: &'static str = "contact";
    fn from_json(value: &Value) -> Self {
        Contact {
            name: opt_string(value, "name"),
            uri: opt_string(value, "uri"),
            title: opt_string(value, "title"),
            department: opt_string(value, "department"),
            company: opt_string(value, "company"),
            office: opt_string(value, "office"),
            email_addresses: string_list(value, "emailAddresses"),
            work_phone_number: opt_string(value, "workPhoneNumber"),
            mobile_phone_number: opt_string(value, "mobilePhoneNumber"),
            home_phone_number: opt_string(value, "homePhoneNumber"),
            source_network: opt_string(value, "sourceNetwork"),
            contact_type: opt_string(value, "type"),
            links: links(value),
        }
    }
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

/// Whether a `Content-Type` names an image (contactPhoto_ref answers `image/jpeg`; the reference
/// server `image/png`): anything else is no photo, whatever its status.
pub fn is_image(content_type: &str) -> bool {
    content_type
        .trim_start()
        .get(..6)
        .is_some_and(|t| t.eq_ignore_ascii_case("image/"))
}

/// A presence subscription (201 of `POST presenceSubscriptions`, seed 000): links `self`,
/// `memberships`, `addToPresenceSubscription`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PresenceSubscription {
    pub id: Option<String>,
    pub links: Links,
}

impl FromJson for PresenceSubscription {
    const WHAT: &'static str = "presence subscription";
    fn from_json(value: &Value) -> Self {
        PresenceSubscription {
            id: opt_string(value, "id"),
            links: links(value),
        }
    }
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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    pub id: Option<String>,
    pub name: Option<String>,
    /// Set by [`groups_of`] (not a JSON member).
    pub kind: GroupKind,
    pub links: Links,
}

impl FromJson for Group {
    const WHAT: &'static str = "group";
    fn from_json(value: &Value) -> Self {
        Group {
            id: opt_string(value, "id"),
            name: opt_string(value, "name"),
            kind: GroupKind::default(),
            links: links(value),
        }
    }
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

/// Parses a `myGroups` response body into its groups (see [`groups_of`]). Fails only when the
/// body is not JSON.
pub fn parse_groups(body: &str) -> Result<Vec<Group>, ProtocolError> {
    Ok(groups_of(&json::parse(body, "groups")?))
}

/// A collection of contacts (`myContacts`, `groupContacts`, search results): `_embedded.contact`,
/// a single object or an array.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactList {
    pub contacts: Vec<Contact>,
}

impl FromJson for ContactList {
    const WHAT: &'static str = "contact list";
    fn from_json(json: &Value) -> Self {
        let contacts = one_or_many(json.get("_embedded").and_then(|e| e.get("contact")));
        ContactList { contacts }
    }

    /// Any JSON body is accepted: one that is not an object is an empty list.
    fn parse(body: &str) -> Result<Self, ProtocolError> {
        Ok(ContactList::from_json(&json::parse(body, Self::WHAT)?))
    }
}

/// One `presenceSubscriptionMembership`: whose it is (from its `contact` link) and its `self`
/// href, which a client DELETEs to take the contact out of the subscription.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Membership {
    /// The member's normalised SIP URI, when the `contact` link names one.
    pub contact: Option<String>,
    pub links: Links,
}

impl FromJson for Membership {
    const WHAT: &'static str = "presence subscription membership";
    fn from_json(value: &Value) -> Self {
        let links = links(value);
        let contact = links.href("contact").and_then(sip_uri_from_people_href);
        Membership { contact, links }
    }
}

/// A subscription's `presenceSubscriptionMemberships`: `_embedded.presenceSubscriptionMembership`,
/// a single object or an array.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MembershipList {
    pub memberships: Vec<Membership>,
}

impl FromJson for MembershipList {
    const WHAT: &'static str = "presence subscription memberships";
    fn from_json(json: &Value) -> Self {
        let memberships = one_or_many(
            json.get("_embedded")
                .and_then(|e| e.get("presenceSubscriptionMembership")),
        );
        MembershipList { memberships }
    }
}

impl MembershipList {
    /// The `self` hrefs of the memberships of `uris` (normalised), with their URIs.
    pub fn hrefs_of<'a>(
        &'a self,
        uris: &'a [String],
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.memberships.iter().filter_map(move |m| {
            let contact = m.contact.as_deref()?;
            let href = m.links.href("self")?;
            uris.iter().any(|u| u == contact).then_some((contact, href))
        })
    }
}

/// Body of `POST me/presence`; `None` for availabilities a user cannot set.
pub fn set_presence_body(availability: Availability) -> Option<String> {
    availability
        .is_settable()
        .then(|| availability.as_token())
        .flatten()
        .map(|t| ObjectWriter::new().string("availability", t).finish())
}

/// Body of `POST me/makeMeAvailable` as in seed 002: `{"SupportedModalities":["Messaging"]}`.
pub fn make_me_available_body(modalities: &[&str]) -> String {
    ObjectWriter::new()
        .strings("SupportedModalities", modalities)
        .finish()
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
        let p = ContactPresence::parse(SEED_000_PRESENCE).unwrap();
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
        let p = ContactPresence::parse(
            r#"{"availability":"Napping","activity":7,"lastActive":"yesterday","deviceType":null}"#,
        )
        .unwrap();
        assert_eq!(p, ContactPresence::default());
        let p = ContactPresence::parse(
            r#"{"availability":"busy","activity":"in-a-meeting","lastActive":5}"#,
        )
        .unwrap();
        assert_eq!(p.availability, Availability::Busy);
        assert_eq!(p.activity.as_deref(), Some("in-a-meeting"));
        assert_eq!(p.last_active, Some(5));
        assert!(ContactPresence::parse("3").is_err());
    }

    #[test]
    fn parses_seed_002_application() {
        let app = Application::parse(SEED_002_APPLICATION).unwrap();
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
        let app = Application::parse(
            r#"{"id":"a1","_links":{"self":{"href":"/a"}},"_embedded":{"me":"nope","people":5}}"#,
        )
        .unwrap();
        assert_eq!(app.id.as_deref(), Some("a1"));
        assert_eq!(app.embedded, ApplicationEmbedded::default());
        let app = Application::parse(r#"{"_embedded":null,"_links":null}"#).unwrap();
        assert_eq!(app, Application::default());
        let root = Root::parse(r#"{"_links":{"user":{"href":"https://x/user"}}}"#).unwrap();
        assert_eq!(root.links.href("user"), Some("https://x/user"));
        let user = User::parse("{}").unwrap();
        assert!(user.links.is_empty());
    }

    #[test]
    fn parses_seed_000_subscription() {
        let s = PresenceSubscription::parse(crate::protocol::seeds::SUBSCRIPTION_CREATED).unwrap();
        assert_eq!(s.id.as_deref(), Some("97b6bd66"));
        assert!(s.links.contains("addToPresenceSubscription"));
    }

    #[test]
    fn contact_and_note() {
        let c = Contact::parse(
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
        let c = Contact::parse(r#"{"uri":"bad","_links":{"self":{"href":"/x/people/a@b.c"}}}"#)
            .unwrap();
        assert_eq!(c.sip_uri().as_deref(), Some("sip:a@b.c"));
        let n = Note::parse(r#"{"message":"Back at 3","type":"OutOfOffice"}"#).unwrap();
        assert_eq!(
            (n.message.as_deref(), n.note_type.as_deref()),
            (Some("Back at 3"), Some("OutOfOffice"))
        );
    }

    #[test]
    fn photo_content_types() {
        // contactPhoto_ref's response, and what servers send instead of a photo.
        for yes in [
            "image/jpeg",
            "image/png",
            " IMAGE/PNG",
            "image/svg+xml; charset=utf-8",
        ] {
            assert!(is_image(yes), "{yes}");
        }
        for no in [
            "",
            "image",
            "text/html",
            "application/json",
            "imagex/png",
            "é",
        ] {
            assert!(!is_image(no), "{no}");
        }
    }

    #[test]
    fn my_groups_single_or_array() {
        let json = json::parse(
            r#"{"_embedded":{
                "defaultGroup":{"id":"d","name":"Other Contacts","_links":{"groupContacts":{"href":"/g/d/contacts"}}},
                "group":[{"name":"Team"},"junk",{"name":"Friends"}],
                "pinnedGroup":{"name":"Favorites"},
                "distributionGroup":[]}}"#,
            "test",
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
        assert!(groups_of(&json::parse(r#"{"_embedded": 3}"#, "test").unwrap()).is_empty());
    }

    #[test]
    fn contact_lists() {
        let list = ContactList::parse(
            r#"{"_embedded":{"contact":[{"uri":"sip:a@b.c"},{"uri":"sip:d@e.f"}]}}"#,
        )
        .unwrap();
        assert_eq!(list.contacts.len(), 2);
        let list = ContactList::parse(r#"{"_embedded":{"contact":{"uri":"sip:a@b.c"}}}"#).unwrap();
        assert_eq!(list.contacts[0].uri.as_deref(), Some("sip:a@b.c"));
        let list = ContactList::parse(r#"{"_links":{}}"#).unwrap();
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

    #[test]
    fn parse_fails_only_for_non_json_or_non_objects() {
        for bad in [
            "",
            "<html>",
            "3",
            "[]",
            "null",
            "\"x\"",
            "{\"availability\":",
            "{} {}",
        ] {
            let e = ContactPresence::parse(bad).unwrap_err();
            assert_eq!(e.what, "presence", "{bad}");
            assert!(!e.reason.is_empty());
            assert!(Contact::parse(bad).is_err(), "{bad}");
            assert!(Application::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(ContactPresence::parse("{}"), Ok(ContactPresence::default()));
        assert_eq!(
            Me::parse(r#"{"name":["x"],"emailAddresses":3}"#),
            Ok(Me::default())
        );
    }

    #[test]
    fn embedded_resources_must_be_objects() {
        for odd in ["[]", "[{}]", "null", "true", "\"me\""] {
            let body = format!(r#"{{"_embedded":{{"me":{odd},"people":{odd}}}}}"#);
            let app = Application::parse(&body).unwrap();
            assert_eq!(app.embedded, ApplicationEmbedded::default(), "{odd}");
        }
        let app = Application::parse(r#"{"_embedded":{"me":{},"people":{}}}"#).unwrap();
        assert_eq!(app.embedded.me, Some(Me::default()));
        assert_eq!(app.embedded.people, Some(People::default()));
        assert_eq!(
            Application::parse(r#"{"_embedded":[1]}"#),
            Ok(Application::default())
        );
    }

    #[test]
    fn repeated_members_last_wins_and_escapes_decode() {
        let c = Contact::parse(
            r#"{"name":"First","name":"Zo\u00eb \"Z\" M\u00fcller","title":null,"title":"CEO",
                "emailAddresses":["a@b.c","d\/e@f.g"],"_links":{"self":{"href":"/p/z@x.y"}}}"#,
        )
        .unwrap();
        assert_eq!(c.name.as_deref(), Some("Zoë \"Z\" Müller"));
        assert_eq!(c.title.as_deref(), Some("CEO"));
        assert_eq!(c.email_addresses, ["a@b.c", "d/e@f.g"]);
        let p =
            ContactPresence::parse(r#"{"lastActive":12345678901234567890,"availability":"Away"}"#);
        let p = p.unwrap();
        assert_eq!((p.availability, p.last_active), (Availability::Away, None));
    }

    #[test]
    fn contact_list_accepts_any_json_but_not_garbage() {
        for any in ["3", "[]", "null", "{}"] {
            assert_eq!(ContactList::parse(any), Ok(ContactList::default()), "{any}");
        }
        let e = ContactList::parse("<html>").unwrap_err();
        assert_eq!(e.what, "contact list");
        let body = r#"{"_embedded":{"contact":[{"uri":"sip:a@b.c"},5,{"name":"N"}]}}"#;
        let list = ContactList::parse(body).unwrap();
        assert_eq!(list.contacts.len(), 2);
        assert_eq!(list.contacts[1].name.as_deref(), Some("N"));
    }

    #[test]
    fn groups_from_a_body() {
        let groups = parse_groups(r#"{"_embedded":{"group":{"name":"Team"}}}"#).unwrap();
        assert_eq!(groups.len(), 1);
        assert_eq!(
            (groups[0].name.as_deref(), groups[0].kind),
            (Some("Team"), GroupKind::Group)
        );
        assert_eq!(parse_groups("[]"), Ok(Vec::new()));
        assert_eq!(parse_groups("{").unwrap_err().what, "groups");
    }

    #[test]
    fn request_bodies_escape_their_strings() {
        assert_eq!(
            make_me_available_body(&["Messaging", "Au\"dio"]),
            r#"{"SupportedModalities":["Messaging","Au\"dio"]}"#
        );
        assert_eq!(make_me_available_body(&[]), r#"{"SupportedModalities":[]}"#);
    }

    #[test]
    fn memberships_name_their_contacts_and_delete_hrefs() {
        let body = r#"{"_links":{"self":{"href":"/m?presenceSubscriptionId=1"}},
            "_embedded":{"presenceSubscriptionMembership":[
              {"_links":{"self":{"href":"/ucwa/a/101/people/presenceSubscriptionMemberships/1/sarad@contoso.com"},
                         "contact":{"href":"/ucwa/a/101/people/SaraD@Contoso.com"}}},
              {"_links":{"self":{"href":"/x/2"}}},
              "junk",
              {"_links":{"self":{"href":"/x/3"},"contact":{"href":"/ucwa/a/101/people/dana@contoso.com"}}}]}}"#;
        let list = MembershipList::parse(body).unwrap();
        assert_eq!(list.memberships.len(), 3, "the string entry is skipped");
        let wanted = vec!["sip:sarad@contoso.com".to_string()];
        let hrefs: Vec<_> = list.hrefs_of(&wanted).collect();
        assert_eq!(
            hrefs,
            vec![(
                "sip:sarad@contoso.com",
                "/ucwa/a/101/people/presenceSubscriptionMemberships/1/sarad@contoso.com"
            )]
        );
        assert_eq!(
            MembershipList::parse("[]")
                .map(|l| l.memberships.len())
                .ok(),
            None,
            "not an object"
        );
        assert!(MembershipList::parse("{}").unwrap().memberships.is_empty());
    }
}
