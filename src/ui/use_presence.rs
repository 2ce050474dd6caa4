//! `use_presence(uri)`: a person's live presence for as long as the calling component lives.

use leptos::prelude::*;

use super::context::use_session;
use crate::client::store::PersonSignals;

/// The signals of the person behind `uri` (a normalised SIP URI). The person is wanted from the
/// session now, so the page's one subscription includes them, and unwanted when the calling
/// component's owner is cleaned up (the element removed, the contact list regrouped). Calls
/// are counted: two badges for one person keep them subscribed until both are gone.
pub fn use_presence(uri: &str) -> PersonSignals {
    let session = use_session();
    session.want(uri);
    let wanted = uri.to_owned();
    on_cleanup(move || session.unwant(&wanted));
    session.person(uri)
}
