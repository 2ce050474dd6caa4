//! The user directory: who can sign in, their contact card, contact list and groups.
//!
//! Loaded from a TOML or JSON file (`--users`) or the built-in Contoso demo directory.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::presence::{Availability, Note, NoteType};

mod builtin;

/// A user known to the server.
#[derive(Debug, Clone)]
pub struct User {
    /// Lower-case `user@domain`: the key used in URLs and maps.
    pub key: String,
    /// The SIP URI as configured, e.g. `sip:Dana@contoso.com`.
    pub uri: String,
    pub name: String,
    pub password: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub company: Option<String>,
    pub office: Option<String>,
    pub emails: Vec<String>,
    pub work_phone: Option<String>,
    pub mobile_phone: Option<String>,
    pub home_phone: Option<String>,
    /// Contact list (keys), in display order: group members first, then extra contacts.
    pub contacts: Vec<String>,
    pub groups: Vec<Group>,
    pub initial: InitialPresence,
    /// The user's home pool (`pool = "NAME"`); `None`: the first pool (see [`crate::pools`]).
    pub pool: Option<String>,
    /// The user starts with a photo (`photo = false`: none, `photos/{user}` answers 404).
    pub photo: bool,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub members: Vec<String>,
}

/// Presence a user starts with, as if published from another endpoint.
#[derive(Debug, Clone, Default)]
pub struct InitialPresence {
    pub availability: Option<Availability>,
    pub activity: Option<String>,
    pub note: Option<Note>,
    /// An out-of-office note next to `note` (`out_of_office = "…"`).
    pub out_of_office_note: Option<String>,
    pub location: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Directory {
    users: Vec<User>,
    index: HashMap<String, usize>,
}

/// Normalises a SIP URI or bare `user@domain` to the lower-case key, or `None` if malformed.
pub fn normalize_uri(raw: &str) -> Option<String> {
    let s = raw.trim();
    let s = match s.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("sip:") => &s[4..],
        _ => s,
    };
    let (user, domain) = s.split_once('@')?;
    let ok = |part: &str| {
        !part.is_empty()
            && part.len() <= 128
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-+'".contains(c))
    };
    if !ok(user) || !ok(domain) || domain.starts_with('.') || domain.ends_with('.') {
        return None;
    }
    Some(s.to_ascii_lowercase())
}

impl Directory {
    pub fn get(&self, key: &str) -> Option<&User> {
        self.index.get(key).and_then(|&i| self.users.get(i))
    }

    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// Finds a user by a sign-in name (`dana@contoso.com` or `sip:dana@contoso.com`).
    pub fn lookup(&self, name: &str) -> Option<&User> {
        normalize_uri(name).and_then(|k| self.get(&k))
    }

    /// Case-insensitive substring search over name, URI, e-mail, title and department.
    pub fn search(&self, query: &str, limit: usize) -> (Vec<&User>, bool) {
        let q = query.trim().to_lowercase();
        let q = q.strip_prefix("sip:").unwrap_or(&q).to_string();
        if q.is_empty() {
            return (Vec::new(), false);
        }
        let hits: Vec<&User> = self
            .users
            .iter()
            .filter(|u| {
                u.name.to_lowercase().contains(&q)
                    || u.key.contains(&q)
                    || u.emails.iter().any(|e| e.to_lowercase().contains(&q))
                    || u.title
                        .as_deref()
                        .is_some_and(|t| t.to_lowercase().contains(&q))
                    || u.department
                        .as_deref()
                        .is_some_and(|t| t.to_lowercase().contains(&q))
            })
            .collect();
        let more = hits.len() > limit;
        (hits.into_iter().take(limit).collect(), more)
    }

    /// Loads a directory file: JSON if it starts with `{`, TOML otherwise.
    pub fn load(path: &Path) -> Result<Directory, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Directory, String> {
        let file: FileDirectory = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?
        } else {
            toml::from_str(text).map_err(|e| format!("invalid TOML: {e}"))?
        };
        Self::build(file.users)
    }

    fn build(entries: Vec<FileUser>) -> Result<Directory, String> {
        let mut dir = Directory::default();
        // First pass: identities, so contact lists can refer to users defined later.
        for e in &entries {
            let key =
                normalize_uri(&e.uri).ok_or_else(|| format!("user `{}`: not a SIP URI", e.uri))?;
            if dir.index.contains_key(&key) {
                return Err(format!("user `{}` is defined twice", e.uri));
            }
            dir.index.insert(key, dir.index.len());
        }
        for e in entries {
            let key =
                normalize_uri(&e.uri).ok_or_else(|| format!("user `{}`: not a SIP URI", e.uri))?;
            let uri = if e.uri.trim().to_ascii_lowercase().starts_with("sip:") {
                e.uri.trim().to_string()
            } else {
                format!("sip:{}", e.uri.trim())
            };
            let contact_key = |raw: &str| {
                normalize_uri(raw)
                    .ok_or_else(|| format!("user `{}`: contact `{raw}` is not a SIP URI", e.uri))
            };
            let mut groups = Vec::new();
            let mut contacts: Vec<String> = Vec::new();
            for (i, g) in e.groups.iter().enumerate() {
                let mut members = Vec::new();
                for m in &g.members {
                    let k = contact_key(m)?;
                    if !members.contains(&k) {
                        members.push(k.clone());
                    }
                    if !contacts.contains(&k) {
                        contacts.push(k);
                    }
                }
                let id = g.id.clone().unwrap_or_else(|| group_id(&g.name, i));
                if groups.iter().any(|x: &Group| x.id == id) {
                    return Err(format!("user `{}`: group id `{id}` is used twice", e.uri));
                }
                groups.push(Group {
                    id,
                    name: g.name.clone(),
                    members,
                });
            }
            for c in &e.contacts {
                let k = contact_key(c)?;
                if !contacts.contains(&k) {
                    contacts.push(k);
                }
            }
            let availability = match e.presence.as_deref() {
                None => None,
                Some(p) => Some(
                    Availability::parse_settable(p)
                        .ok_or_else(|| format!("user `{}`: presence `{p}` is not one of Online, Busy, DoNotDisturb, BeRightBack, Away, Offwork", e.uri))?,
                ),
            };
            let note = match e.note {
                None => None,
                Some(message) => {
                    let kind = match e.note_type.as_deref() {
                        None => NoteType::Personal,
                        Some(t) => NoteType::parse(t).ok_or_else(|| {
                            format!(
                                "user `{}`: note_type must be Personal or OutOfOffice",
                                e.uri
                            )
                        })?,
                    };
                    Some(Note { message, kind })
                }
            };
            let emails = if e.email.is_empty() {
                vec![key.clone()]
            } else {
                e.email
            };
            dir.users.push(User {
                name: e.name.unwrap_or_else(|| key.clone()),
                key,
                uri,
                password: e.password,
                title: e.title,
                department: e.department,
                company: e.company,
                office: e.office,
                emails,
                work_phone: e.work_phone,
                mobile_phone: e.mobile_phone,
                home_phone: e.home_phone,
                contacts,
                groups,
                initial: InitialPresence {
                    availability,
                    activity: e.activity,
                    note,
                    out_of_office_note: e.out_of_office,
                    location: e.location,
                },
                pool: e.pool,
                photo: e.photo.unwrap_or(true),
            });
        }
        Ok(dir)
    }
}

fn group_id(name: &str, index: usize) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        format!("group{}", index + 1)
    } else {
        slug
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDirectory {
    #[serde(default)]
    users: Vec<FileUser>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileUser {
    uri: String,
    name: Option<String>,
    password: String,
    title: Option<String>,
    department: Option<String>,
    company: Option<String>,
    office: Option<String>,
    #[serde(default, alias = "emails", alias = "emailAddresses")]
    email: Vec<String>,
    #[serde(alias = "workPhoneNumber")]
    work_phone: Option<String>,
    #[serde(alias = "mobilePhoneNumber")]
    mobile_phone: Option<String>,
    #[serde(alias = "homePhoneNumber")]
    home_phone: Option<String>,
    #[serde(default)]
    contacts: Vec<String>,
    #[serde(default)]
    groups: Vec<FileGroup>,
    /// Initial availability, as if published from another endpoint.
    presence: Option<String>,
    activity: Option<String>,
    note: Option<String>,
    note_type: Option<String>,
    /// The out-of-office note (shown instead of `note` while set).
    out_of_office: Option<String>,
    location: Option<String>,
    /// Home pool name (`--pool NAME=…`).
    pool: Option<String>,
    /// `false`: the user has no photo (default true).
    photo: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileGroup {
    id: Option<String>,
    name: String,
    #[serde(default)]
    members: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_uris() {
        assert_eq!(
            normalize_uri(" SIP:SaraD@Contoso.com ").as_deref(),
            Some("sarad@contoso.com")
        );
        assert_eq!(
            normalize_uri("dana@contoso.com").as_deref(),
            Some("dana@contoso.com")
        );
        assert_eq!(normalize_uri("sip:nobody"), None);
        assert_eq!(normalize_uri("a@b/../c"), None);
        assert_eq!(normalize_uri(""), None);
    }

    #[test]
    fn builtin_has_dana_and_sara() {
        let d = Directory::builtin();
        assert_eq!(d.users().len(), 8);
        let dana = d.lookup("Dana@contoso.com").unwrap();
        assert_eq!(dana.name, "Dana Birkby");
        assert_eq!(dana.contacts.len(), 7);
        assert!(d
            .lookup("sip:sarad@contoso.com")
            .unwrap()
            .contacts
            .contains(&"dana@contoso.com".to_string()));
    }

    #[test]
    fn parses_toml_and_json() {
        let d = Directory::parse(include_str!("../tests/fixtures/fabrikam.toml")).unwrap();
        let ann = d.get("ann@fabrikam.com").unwrap();
        assert_eq!(ann.groups[0].id, "my-friends");
        assert_eq!(ann.groups[0].members, ["bob@fabrikam.com"]);
        let bob = d.get("bob@fabrikam.com").unwrap();
        assert_eq!(bob.uri, "sip:bob@fabrikam.com");
        assert!(!bob.photo && ann.photo);
        assert_eq!(
            bob.initial.out_of_office_note.as_deref(),
            Some("Away until Friday")
        );
        assert!(
            Directory::parse("[[users]]\nuri='a@b.c'\npassword='x'\nphoto='no'").is_err(),
            "photo is a boolean"
        );
        assert_eq!(bob.initial.availability, Some(Availability::Busy));
        let json =
            r#"{"users":[{"uri":"sip:c@y.com","password":"z","emailAddresses":["c@y.com"]}]}"#;
        assert!(Directory::parse(json).unwrap().get("c@y.com").is_some());
        assert!(Directory::parse("[[users]]\nuri='bad'\npassword='x'").is_err());
        assert!(
            Directory::parse("[[users]]\nuri='a@b.c'\npassword='x'\npresence='Weird'").is_err()
        );
    }
}
