//! HAL-style `_links` of UCWA resources (`{"self":{"href":"…"},"next":{"href":"…"}}`).
//!
//! Deserialisation never fails because of one odd link: entries that are not `{"href": string}`
//! are skipped (an array of links keeps its first usable entry).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

use super::url;

/// One link: where it points and an optional title.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Link {
    pub href: String,
    #[serde(default)]
    pub title: Option<String>,
}

impl Link {
    /// A link from a JSON value, if it is an object with a string `href`.
    pub fn from_value(value: &serde_json::Value) -> Option<Link> {
        let obj = value.as_object()?;
        let href = obj.get("href")?.as_str()?;
        let title = obj
            .get("title")
            .and_then(|t| t.as_str())
            .map(str::to_string);
        Some(Link {
            href: href.to_string(),
            title,
        })
    }
}

/// A resource's links by relation name (`rel`), as UCWA spells them (`makeMeAvailable`, …).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Links(BTreeMap<String, Link>);

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

    /// Links from a JSON value; anything that is not an object gives no links.
    pub fn from_value(value: &serde_json::Value) -> Links {
        let mut links = Links::new();
        if let Some(obj) = value.as_object() {
            for (rel, v) in obj {
                let link = match v {
                    serde_json::Value::Array(items) => items.iter().find_map(Link::from_value),
                    other => Link::from_value(other),
                };
                if let Some(link) = link {
                    links.insert(rel.clone(), link);
                }
            }
        }
        links
    }
}

impl FromIterator<(String, Link)> for Links {
    fn from_iter<I: IntoIterator<Item = (String, Link)>>(iter: I) -> Self {
        Links(iter.into_iter().collect())
    }
}

impl<'de> Deserialize<'de> for Links {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Ok(Links::from_value(&v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_seed_000_subscription_links() {
        let json = r#"{
          "self":{"href":"/ucwa/oauth/v1/applications/101/people/presenceSubscriptions/97b6bd66"},
          "memberships":{"href":"/ucwa/oauth/v1/applications/101/people/presenceSubscriptionMemberships?presenceSubscriptionId=97b6bd66"},
          "addToPresenceSubscription":{"href":"/ucwa/oauth/v1/applications/101/people/presenceSubscriptionMemberships?presenceSubscriptionId=97b6bd66"}
        }"#;
        let links: Links = serde_json::from_str(json).unwrap();
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
        let links: Links = serde_json::from_str(json).unwrap();
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
        for not_object in ["[]", "null", "\"s\"", "3"] {
            let links: Links = serde_json::from_str(not_object).unwrap();
            assert!(links.is_empty());
        }
    }
}
