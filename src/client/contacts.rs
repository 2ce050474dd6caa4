//! The user's contact list, grouped (myGroups, groupContacts), for `<ucwa-contacts>`.

use leptos::prelude::*;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use super::reads::person_info;
use super::session::Session;
use super::store::GroupView;
use crate::protocol::fields::FromJson;
use crate::protocol::resources::{parse_groups, ContactList};
use crate::protocol::sip::normalize_sip_uri;

impl Session {
    /// A `<ucwa-contacts>` element appeared: load the list (once per application).
    pub fn show_contact_list(self: &Rc<Self>) {
        if !self.contact_list_shown.replace(true) {
            self.load_contact_list_if_shown();
        }
    }

    pub(crate) fn load_contact_list_if_shown(self: &Rc<Self>) {
        if !self.contact_list_shown.get() {
            return;
        }
        let Some(url) = self.app.borrow().as_ref().and_then(|a| a.my_groups.clone()) else {
            return;
        };
        let generation = self.generation.get();
        let this = Rc::clone(self);
        spawn_local(async move {
            let Ok(reply) = this.http.get(&url).await else {
                return;
            };
            if !reply.is_success() || !this.is_current(generation) {
                return;
            }
            let Ok(my_groups) = parse_groups(&reply.body) else {
                return;
            };
            let mut groups = Vec::new();
            for group in my_groups {
                let name = group
                    .name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| "Other contacts".into());
                let Some(contacts_url) = group.links.url("groupContacts", &url) else {
                    continue;
                };
                let Ok(reply) = this.http.get(&contacts_url).await else {
                    continue;
                };
                if !reply.is_success() {
                    continue;
                }
                let Ok(list) = ContactList::parse(&reply.body) else {
                    continue;
                };
                let mut members = Vec::new();
                for contact in &list.contacts {
                    let Some(uri) = contact.uri.as_deref().and_then(normalize_sip_uri) else {
                        continue;
                    };
                    this.store
                        .set_info(&uri, person_info(contact, &contacts_url));
                    if !members.contains(&uri) {
                        members.push(uri);
                    }
                }
                groups.push(GroupView { name, members });
            }
            if this.is_current(generation) {
                this.store.groups.set(Some(groups));
            }
        });
    }
}
