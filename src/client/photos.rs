//! Photos (contactPhoto_ref), loaded once per person when a component that shows one asks
//! (`display="avatar"` and `display="card"`: cargo feature `rich-display`).

use leptos::prelude::*;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use super::http::{Body, Method};
use super::session::Session;
use super::store::PhotoView;
use crate::protocol::resources::is_image;
use crate::protocol::sip::normalize_sip_uri;
use crate::sorted::SortedSet;

impl Session {
    /// A component shows `uri`'s photo: load it once (sets the store's `PhotoView`). A contact
    /// not read yet gets it once its `contactPhoto` link is known (a contact that is never read,
    /// as one outside the directory whose subscription brings nothing, stays `Pending`:
    /// initials).
    pub fn want_photo(self: &Rc<Self>, uri: &str) {
        let mut photos = self.photos.borrow_mut();
        if photos.asked.contains(uri) || photos.waiting.contains(uri) {
            return;
        }
        let mine = self.store.me.with_untracked(|m| {
            m.uri.as_deref().and_then(normalize_sip_uri).as_deref() == Some(uri)
        });
        // A contact with a name was read: its link, or its lack of one, is known.
        let read = self.store.person(uri).info.get_untracked().name.is_some();
        if mine || read {
            photos.asked.insert(uri.to_owned());
            drop(photos);
            self.load_photo(uri, mine);
        } else {
            photos.waiting.insert(uri.to_owned());
        }
    }

    /// The contact `uri` was read (or could not be): a photo asked for meanwhile loads now.
    pub(crate) fn photo_info_known(self: &Rc<Self>, uri: &str) {
        let mut photos = self.photos.borrow_mut();
        if photos.waiting.remove(uri) {
            photos.asked.insert(uri.to_owned());
            drop(photos);
            self.load_photo(uri, false);
        }
    }

    /// Over the XFrame the `<img>` loads the URL itself (the server's `cwt_ucwa` cookie
    /// authorises it); over CORS the bytes are fetched with the token (only to its own origin,
    /// as every request) and shown as an object URL. No link, non-2xx, not an image, network:
    /// `Missing`. Never batched, never retried.
    #[inline(never)]
    fn load_photo(self: &Rc<Self>, uri: &str, mine: bool) {
        let link = if mine {
            self.store.me.with_untracked(|m| m.photo.clone())
        } else {
            self.store.person(uri).info.get_untracked().photo
        };
        let uri = uri.to_owned();
        let Some(url) = link else {
            self.store.set_photo(&uri, PhotoView::Missing);
            return;
        };
        if self.http.by_frame() {
            self.store.set_photo(&uri, PhotoView::Src(url));
            return;
        }
        let this = Rc::clone(self);
        spawn_local(async move {
            let reply = this.http.send(Method::Get, &url, Body::Image).await;
            let view = match reply {
                Ok(r) if r.is_success() && r.content_type.as_deref().is_some_and(is_image) => {
                    PhotoView::Src(r.body)
                }
                _ => PhotoView::Missing,
            };
            this.store.set_photo(&uri, view);
        });
    }
}

/// Photos asked for: loaded or being loaded, or waiting for their contact to be read.
#[derive(Default)]
pub(crate) struct Photos {
    asked: SortedSet<String>,
    waiting: SortedSet<String>,
}
