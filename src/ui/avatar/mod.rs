//! The avatar: a person's photo, or their initials on a colour of their own, with the presence
//! badge on its corner. The photo is asked for only when an avatar is built (lazy: only the
//! elements that show one), and any failure to show it (no photo, an error, an `<img>` that
//! does not load) leaves the initials: never a broken image.

use leptos::prelude::*;

use super::badge::{BadgeSize, BadgeSource, PresenceBadge};
use super::context::use_session;
use crate::client::store::PhotoView;
use crate::protocol::initials::{avatar_color_index, initials};

/// Where the `<img>` stands: not loaded yet, shown, or failed (initials then).
#[derive(Clone, Copy, PartialEq)]
enum Img {
    Loading,
    Loaded,
    Failed,
}

/// The avatar of `uri` (`name`: the shown name, for initials and colour), `size` as the badge's.
pub(crate) fn avatar(
    uri: &str,
    name: impl Fn() -> String + Clone + Send + Sync + 'static,
    badge: BadgeSource,
    size: BadgeSize,
) -> impl IntoView {
    let photo = use_session().photo(uri);
    let img = RwSignal::new(Img::Loading);
    let src = move || match photo.get() {
        PhotoView::Src(src) if img.get() != Img::Failed => Some(src),
        _ => None,
    };
    let state = move || match (photo.with(|p| matches!(p, PhotoView::Src(_))), img.get()) {
        (true, Img::Loaded) => "loaded",
        (true, Img::Loading) => "pending",
        (true, Img::Failed) => "missing",
        (false, _) if photo.with(|p| *p == PhotoView::Missing) => "missing",
        (false, _) => "pending",
    };
    let uri = uri.to_owned();
    let letters = {
        let name = name.clone();
        move || initials(&name(), &uri)
    };
    let class = move || {
        format!(
            "ucwa-avatar ucwa-avatar--{} ucwa-avatar--c{}",
            size_css(size),
            avatar_color_index(&name())
        )
    };
    let corner = match size {
        BadgeSize::Large => BadgeSize::Small,
        _ => BadgeSize::Tiny,
    };
    view! {
        <span class=class data-photo=state>
            <span class="ucwa-avatar__initials" aria-hidden="true" hidden=move || img.get() == Img::Loaded>{letters}</span>
            {move || src().map(|src| view! {
                <img class="ucwa-avatar__photo" alt="" loading="lazy" src=src
                    on:load=move |_| img.set(Img::Loaded) on:error=move |_| img.set(Img::Failed)/>
            })}
            <span class="ucwa-avatar__badge"><PresenceBadge state=badge size=corner/></span>
        </span>
    }
}

fn size_css(size: BadgeSize) -> &'static str {
    match size {
        BadgeSize::Tiny => "tiny",
        BadgeSize::Small => "small",
        BadgeSize::Medium => "medium",
        BadgeSize::Large => "large",
    }
}
