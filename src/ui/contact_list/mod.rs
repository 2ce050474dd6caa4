//! `ContactList` (`<ucwa-contacts>`): the signed-in user's contacts, by group, each live.

use leptos::prelude::*;

use super::contact::Contact;
use crate::client::global;
use crate::client::store::{Connection, GroupView};

#[component]
pub fn ContactList(groups: RwSignal<Option<Vec<GroupView>>>, connection: RwSignal<Connection>) -> impl IntoView {
    let live = Signal::derive(move || connection.with(|c| *c == Connection::Live));
    view! {
        <div class="ucwa-contacts">
            {move || match groups.get() {
                None => {
                    let text = match connection.get() {
                        Connection::SignInRequired { .. } => "Sign in to see your contacts.",
                        Connection::Stopped { .. } => "Contacts are unavailable.",
                        _ => "Loading contacts…",
                    };
                    view! { <span class="ucwa-contacts__empty">{text}</span> }.into_any()
                }
                Some(gs) if gs.iter().all(|g| g.members.is_empty()) => {
                    view! { <span class="ucwa-contacts__empty">"No contacts yet."</span> }.into_any()
                }
                Some(gs) => gs
                    .into_iter()
                    .filter(|g| !g.members.is_empty())
                    .map(|g| view! { <Group group=g live=live/> })
                    .collect_view()
                    .into_any(),
            }}
        </div>
    }
}

#[component]
fn Group(group: GroupView, live: Signal<bool>) -> impl IntoView {
    let count = group.members.len();
    let members = group
        .members
        .into_iter()
        .filter_map(|uri| {
            let person = global::with(|s| {
                s.want(&uri);
                s.store.person(&uri)
            })?;
            let gone = uri.clone();
            on_cleanup(move || {
                global::with(|s| s.unwant(&gone));
            });
            Some(view! { <li><Contact uri=uri person=person live=live/></li> })
        })
        .collect_view();
    view! {
        <section class="ucwa-group">
            <h3 class="ucwa-group__name">{group.name}<span class="ucwa-group__count">{format!(" ({count})")}</span></h3>
            <ul class="ucwa-group__members">{members}</ul>
        </section>
    }
}
