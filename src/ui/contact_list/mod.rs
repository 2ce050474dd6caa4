//! `ContactList` (`<ucwa-contacts>`): the signed-in user's contacts, by group, each live.

use leptos::prelude::*;

use super::contact::Contact;
use super::context::use_session;
use crate::client::store::{Connection, GroupView};

#[component]
pub fn ContactList() -> impl IntoView {
    let session = use_session();
    session.show_contact_list();
    let (groups, connection) = (session.groups, session.connection);
    // Says why there is no list yet (or that it is empty); hidden once groups are shown.
    let empty_text = move || match groups
        .with(|g| g.as_ref().map(|gs| gs.iter().all(|g| g.members.is_empty())))
    {
        None => connection.with(mode_text),
        Some(true) => "No contacts yet.",
        Some(false) => "",
    };
    view! {
        <div class="ucwa-contacts">
            <span class="ucwa-contacts__empty" hidden=move || empty_text().is_empty()>{move || empty_text().to_owned()}</span>
            // Keyed: a changed list adds and removes groups; no group's view is ever rebuilt.
            <For
                each=move || groups.get().unwrap_or_default().into_iter().filter(|g| !g.members.is_empty())
                key=group_key
                let:g
            >
                {group(g)}
            </For>
        </div>
    }
}

/// A group's identity for the keyed list: its name and members (a changed group is rebuilt).
fn group_key(g: &GroupView) -> String {
    let mut key = g.name.clone();
    for m in &g.members {
        key.push('\n');
        key.push_str(m);
    }
    key
}

fn mode_text(c: &Connection) -> &'static str {
    match c {
        Connection::SignInRequired { .. } => "Sign in to see your contacts.",
        Connection::Stopped { .. } => "Contacts are unavailable.",
        _ => "Loading contacts…",
    }
}

fn group(group: GroupView) -> impl IntoView {
    let count = group.members.len();
    // Each contact subscribes for as long as its group's row lives (use_presence).
    let members = group
        .members
        .into_iter()
        .map(|uri| view! { <li><Contact uri=uri/></li> })
        .collect_view();
    view! {
        <section class="ucwa-group">
            <h3 class="ucwa-group__name">{group.name}<span class="ucwa-group__count">{format!(" ({count})")}</span></h3>
            <ul class="ucwa-group__members">{members}</ul>
        </section>
    }
}
