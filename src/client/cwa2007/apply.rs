//! What the data channel's events do to the store: `userPresence` and `selfPresence`
//! categories (state, note, contactCard) become the same views the UCWA backend writes, and
//! `contactGroup` the contact list.

use std::rc::Rc;

use leptos::prelude::*;

use super::super::store::{NoteView, PersonInfo, Phone, PhoneKind, PresenceView, Resource};
use super::publish::Change;
use super::Session;
use crate::protocol::cwa2007::{
    from_value, Categories, ContactCard, ContactEntry, EntryAction, Event, GroupEntry, NoteKind,
    PhoneType,
};
use crate::protocol::sip::normalize_sip_uri;

/// The user's contact list as the `contactGroup` events built it.
#[derive(Default)]
pub(crate) struct ContactList {
    /// (id, name), in the server's order.
    groups: Vec<(String, String)>,
    /// (normalised URI, group ids), in the server's order.
    contacts: Vec<(String, Vec<String>)>,
}

impl ContactList {
    fn apply(&mut self, full_list: bool, groups: Vec<GroupEntry>, contacts: Vec<ContactEntry>) {
        if full_list {
            self.groups.clear();
            self.contacts.clear();
        }
        for group in groups {
            self.groups.retain(|(id, _)| *id != group.id);
            if group.action != EntryAction::Deleted {
                self.groups.push((group.id, group.name));
            }
        }
        for contact in contacts {
            let Some(uri) = normalize_sip_uri(&contact.uri) else {
                continue;
            };
            if contact.action == EntryAction::Deleted {
                self.contacts.retain(|(u, _)| *u != uri);
                continue;
            }
            match self.contacts.iter_mut().find(|(u, _)| *u == uri) {
                Some((_, ids)) => *ids = contact.groups,
                None => self.contacts.push((uri, contact.groups)),
            }
        }
    }

    fn uris(&self) -> impl Iterator<Item = String> + '_ {
        self.contacts.iter().map(|(uri, _)| uri.clone())
    }

    /// The groups with their members; contacts in no group the list names under "Other
    /// contacts".
    #[cfg(feature = "contact-list")]
    fn views(&self) -> Vec<super::super::store::GroupView> {
        use super::super::store::GroupView;
        let members_of = |id: &str| -> Vec<String> {
            self.contacts
                .iter()
                .filter(|(_, ids)| ids.iter().any(|i| i == id))
                .map(|(uri, _)| uri.clone())
                .collect()
        };
        let mut views: Vec<GroupView> = self
            .groups
            .iter()
            .map(|(id, name)| GroupView {
                name: nonblank(name).unwrap_or_else(|| "Other contacts".into()),
                members: members_of(id),
            })
            .collect();
        let ungrouped: Vec<String> = self
            .contacts
            .iter()
            .filter(|(_, ids)| !ids.iter().any(|i| self.groups.iter().any(|(g, _)| g == i)))
            .map(|(uri, _)| uri.clone())
            .collect();
        if !ungrouped.is_empty() {
            views.push(GroupView {
                name: "Other contacts".into(),
                members: ungrouped,
            });
        }
        views
    }
}

fn nonblank(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// What a badge shows for these categories; `None` without a state (not known).
fn presence_of(categories: &Categories) -> Option<PresenceView> {
    let state = categories.shown_state()?;
    Some(PresenceView {
        availability: state.availability(),
        activity: state.activity.as_deref().and_then(nonblank),
        known: true,
        ..PresenceView::default()
    })
}

/// The location the states say (`None`: blank), or nothing when no state came.
fn location_of(categories: &Categories) -> Option<Option<String>> {
    if categories.states.is_empty() {
        return None;
    }
    let shown = categories.shown_state().and_then(|s| s.location.as_deref());
    let any = || categories.states.iter().find_map(|s| s.location.as_deref());
    Some(shown.or_else(any).and_then(nonblank))
}

/// The note shown (out of office first), or nothing when no note category came.
fn note_of(categories: &Categories) -> Option<Option<NoteView>> {
    let note = categories.note.as_ref()?;
    Some(note.shown().map(|(message, out_of_office)| NoteView {
        message: message.to_owned(),
        out_of_office,
    }))
}

/// The card's fields, over what was known (a name from the contact list stays when the card
/// has none).
fn info_of(card: &ContactCard, known: PersonInfo) -> PersonInfo {
    let field = |value: &Option<String>| value.as_deref().and_then(nonblank);
    // Work, mobile and home, in that order (as the UCWA backend gives them).
    let phones = [
        (PhoneType::Work, PhoneKind::Work),
        (PhoneType::Mobile, PhoneKind::Mobile),
        (PhoneType::Home, PhoneKind::Home),
    ]
    .into_iter()
    .flat_map(|(wanted, kind)| {
        card.phones
            .iter()
            .filter(move |phone| phone.kind == wanted)
            .filter_map(move |phone| {
                let number = field(&phone.uri).or_else(|| field(&phone.display))?;
                Some(Phone { kind, number })
            })
    })
    .collect();
    PersonInfo {
        name: field(&card.display_name).or(known.name),
        title: field(&card.title),
        department: field(&card.department),
        email: field(&card.email),
        company: field(&card.company),
        office: field(&card.office),
        phones,
        photo: None,
    }
}

impl Session {
    /// Applies the events of one poll, in order.
    pub(crate) fn apply_events(self: &Rc<Self>, events: Vec<Event>, generation: u32) {
        for event in events {
            match event {
                Event::UserPresence {
                    uri, categories, ..
                } => self.apply_user(&uri, &categories),
                Event::SelfPresence { categories, .. } => self.apply_self(&categories),
                Event::ContactGroup {
                    full_list,
                    groups,
                    contacts,
                    ..
                } => self.apply_contacts(full_list, groups, contacts),
                Event::RequestFailed { error, .. } if error.is_session_lost() => {
                    self.lose_session(generation)
                }
                Event::RequestFailed {
                    rid: Some(rid),
                    error,
                    ..
                } => self.accepted_failed(rid, &error.to_string()),
                Event::Error { error, .. } if error.is_session_lost() => {
                    self.lose_session(generation)
                }
                Event::Error { error, .. } => {
                    web_sys::console::warn_1(&format!("ucwa-presence: CWA: {error}").into())
                }
                _ => {}
            }
        }
    }

    /// A watched user's snapshot. No category at all: the server cannot tell (a URI outside
    /// the directory), so the person stays unknown.
    fn apply_user(&self, uri: &str, categories: &Categories) {
        let Some(uri) = normalize_sip_uri(uri) else {
            return;
        };
        if let Some(view) = presence_of(categories) {
            self.store.set_presence(&uri, view);
        }
        if let Some(note) = note_of(categories) {
            self.store.set_note(&uri, note);
        }
        if let Some(location) = location_of(categories) {
            self.store.set_location(&uri, location);
        }
        if let Some(card) = &categories.card {
            let known = self.store.person(&uri).info.get_untracked();
            self.store.set_info(&uri, info_of(card, known));
        }
    }

    /// My own categories: my presence, note, location and name; a pending change the server
    /// now shows is confirmed.
    fn apply_self(&self, categories: &Categories) {
        if let Some(view) = presence_of(categories) {
            let shown = view.availability;
            let confirmed = self.confirm_own(Resource::Presence, |change| match change {
                Change::State(Some(value)) => from_value(i64::from(*value)) == shown,
                Change::State(None) => true,
                _ => false,
            });
            self.store.set_my_presence(view);
            if confirmed {
                self.store.me.update(|m| m.pending = None);
            }
        }
        // (confirmed, what the server has now), for what this event carried.
        let note = categories.note.as_ref().map(|note| {
            let personal = note
                .bodies
                .iter()
                .find(|b| b.kind == NoteKind::Personal)
                .map_or("", |b| b.text.trim());
            (
                self.confirm_text(Resource::Note, personal),
                note_of(categories),
            )
        });
        let location = location_of(categories).map(|location| {
            let now = location.as_deref().unwrap_or_default();
            (self.confirm_text(Resource::Location, now), location)
        });
        self.store.me.update(|m| {
            if let Some((confirmed, shown)) = note {
                m.note_pending = m.note_pending.take().filter(|_| !confirmed);
                m.presence.note = shown.flatten();
            }
            if let Some((confirmed, shown)) = location {
                m.location_pending = m.location_pending.take().filter(|_| !confirmed);
                m.presence.location = shown;
            }
        });
        if let Some(name) = categories
            .card
            .as_ref()
            .and_then(|card| card.display_name.as_deref())
            .and_then(nonblank)
        {
            if self
                .store
                .me
                .with_untracked(|m| m.name.as_ref() != Some(&name))
            {
                self.store.me.update(|m| m.name = Some(name));
            }
        }
    }

    /// A pending note or location change is confirmed when the server now has `now`.
    fn confirm_text(&self, resource: Resource, now: &str) -> bool {
        self.confirm_own(resource, |change| match change {
            Change::Note(sent) | Change::Location(sent) => sent == now,
            Change::State(_) => false,
        })
    }

    /// The contact list, whole or changed: the store's groups, and the contacts' names.
    fn apply_contacts(
        &self,
        full_list: bool,
        groups: Vec<GroupEntry>,
        contacts: Vec<ContactEntry>,
    ) {
        for contact in &contacts {
            let (Some(uri), Some(name)) = (
                normalize_sip_uri(&contact.uri),
                contact.name.as_deref().and_then(nonblank),
            ) else {
                continue;
            };
            let mut info = self.store.person(&uri).info.get_untracked();
            if info.name.is_none() {
                info.name = Some(name);
                self.store.set_info(&uri, info);
            }
        }
        let mut list = self.contacts.borrow_mut();
        list.apply(full_list, groups, contacts);
        self.watched.borrow_mut().set_contacts(list.uris());
        #[cfg(feature = "contact-list")]
        self.store.groups.set(Some(list.views()));
    }
}
