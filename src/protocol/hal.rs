//! HAL-style `_links` of UCWA resources (`{"self":{"href":"…"},"next":{"href":"…"}}`).
//!
//! Reading links never fails because of one odd link: entries that are not `{"href": string}`
//! are skipped (an array of links keeps its first usable entry).

use super::json::Value;
use super::url;
use crate::sorted::SortedMap;

/// One link: where it points and an optional title.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Link {
    pub href: String,
    pub title: Option<String>,
}

impl Link {
    /// A link from a JSON value, if it is an object with a string `href`.
    pub fn from_json(value: &Value) -> Option<Link> {
        let href = value.get("href")?.as_str()?;
        let title = value
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_string);
        Some(Link {
            href: href.to_string(),
            title,
        })
    }
}

/// A resource's links by relation name (`rel`), as UCWA spells them (`makeMeAvailable`, …).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Links(SortedMap<String, Link>);

impl Links {
    pub fn new() -> Self {
        Links::default()
    }

    /// The link for `rel`: exact match first, then ASCII-case-insensitive.
    pub fn get(&self, rel: &str) -> Option<&Link> {
        self.0.get(rel).or_else(|| {
            self.0
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(rel))
                .map(|(_, v)| v)
        })
    }

    /// The href for `rel`, as the server gave it (often root-relative).
    pub fn href(&self, rel: &str) -> Option<&str> {
        self.get(rel).map(|l| l.href.as_str())
    }

    /// The href for `rel` resolved against `base` (see [`url::resolve`]).
    pub fn url(&self, rel: &str, base: &str) -> Option<String> {
        self.href(rel).map(|h| url::resolve(base, h))
    }

    pub fn contains(&self, rel: &str) -> bool {
        self.get(rel).is_some()
    }

    pub fn insert(&mut self, rel: impl Into<String>, link: Link) {
        self.0.insert(rel.into(), link);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// All `(rel, link)` pairs, ordered by rel.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Link)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Links from a JSON value; anything that is not an object gives no links. When a rel
    /// repeats, its last entry counts (as with any JSON object member).
    pub fn from_json(value: &Value) -> Links {
        let mut links = Links::new();
        if let Some(members) = value.as_object() {
            for (rel, v) in members {
                let link = match v {
                    Value::Array(items) => items.iter().find_map(Link::from_json),
                    other => Link::from_json(other),
                };
                match link {
                    Some(link) => links.insert(rel.clone(), link),
                    None => {
                        links.0.remove(rel);
                    }
                }
            }
        }
        links
    }
}

impl FromIterator<(String, Link)> for Links {
    fn from_iter<I: IntoIterator<Item = (String, Link)>>(iter: I) -> Self {
        let mut links = Links::new();
        for (rel, link) in iter {
            links.insert(rel, link);
        }
        links
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::json;

    fn parse_links(text: &str) -> Links {
        Links::from_json(&json::parse(text, "test").unwrap())
    }

    #[test]
    fn parses_seed_000_subscription_links() {
        let json = r#"{
          "self":{"href":"/ucwa/oauth/v1/applications/101/people/presenceSubscriptions/97b6bd66"},
          "memberships":{"href":"/ucwa/oauth/v1/applications/101/people/presenceSubscriptionMemberships?presenceSubscriptionId=97b6bd66"},
          "addToPresenceSubscription":{"href":"/ucwa/oauth/v1/applications/101/people/presenceSubscriptionMemberships?presenceSubscriptionId=97b6bd66"}
        }"#;
        let links = parse_links(json);
        assert_eq!(links.len(), 3);
        assert_eq!(
            links.href("self"),
            Some("/ucwa/oauth/v1/applications/101/people/presenceSubscriptions/97b6bd66")
        );
        assert!(links.contains("addToPresenceSubscription"));
        assert!(links.contains("addtopresencesubscription"));
        assert!(!links.contains("next"));
        assert_eq!(
            links.url("self", "https://lyncweb.contoso.com/ucwa/oauth/v1/applications/101").as_deref(),
            Some("https://lyncweb.contoso.com/ucwa/oauth/v1/applications/101/people/presenceSubscriptions/97b6bd66")
        );
    }

    #[test]
    fn skips_malformed_entries() {
        let json = r#"{"a":{"href":1},"b":"x","c":null,"d":{"title":"t"},"e":[{"x":1},{"href":"/e","title":"E"}],
                       "f":{"href":"/f","title":5,"extra":true}}"#;
        let links = parse_links(json);
        assert_eq!(links.len(), 2);
        assert_eq!(
            links.get("e"),
            Some(&Link {
                href: "/e".into(),
                title: Some("E".into())
            })
        );
        assert_eq!(
            links.get("f"),
            Some(&Link {
                href: "/f".into(),
                title: None
            })
        );
        let links = parse_links(r#"{"a":{"href":"/1"},"a":{"href":"/2"},"b":{"href":"/b"},"b":7}"#);
        assert_eq!(links.href("a"), Some("/2"));
        assert!(!links.contains("b"));
        for not_object in ["[]", "null", "\"s\"", "3"] {
            let links = parse_links(not_object);
            assert!(links.is_empty());
        }
    }
}
