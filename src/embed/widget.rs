//! What each widget element shows: its component with the page's session as context, or a
//! message in its place.

use std::any::Any;

use leptos::prelude::*;
use web_sys::{Element, HtmlElement};

use crate::client::Backend;
use crate::protocol::sip::normalize_sip_uri;
use crate::ui::behaviour;
use crate::ui::status::sign_in_face;
#[cfg(feature = "contact-list")]
use crate::ui::ContactList;
use crate::ui::{BadgeSize, Contact, ContactLayout, SessionContext, StatusPicker};

/// `<ucwa-contacts>` in the bundle built without it.
#[cfg(not(feature = "contact-list"))]
const NO_CONTACT_LIST: &str = "ucwa-contacts: this page added the contact list after the widget loaded; reload the page, or include ucwa-presence-full.js instead of ucwa-presence.js";

/// `display="avatar"` or `"card"` in the bundle built without them.
#[cfg(not(feature = "rich-display"))]
const NO_RICH_DISPLAY: &str = "ucwa-presence: this page added an avatar or card after the widget loaded; showing name (reload the page, or include ucwa-presence-full.js instead of ucwa-presence.js)";

/// What an element asks for, read from its tag and attributes.
enum Widget {
    Status,
    Contacts,
    SignIn,
    Person {
        uri: String,
        layout: ContactLayout,
        size: BadgeSize,
    },
}

impl Widget {
    /// What `el` asks for, or the message to show in its place.
    fn read(el: &Element) -> Result<Widget, String> {
        Ok(match el.tag_name().to_ascii_lowercase().as_str() {
            "ucwa-status" => Widget::Status,
            "ucwa-contacts" => Widget::Contacts,
            "ucwa-signin" => Widget::SignIn,
            _ => {
                let raw = el.get_attribute("uri").unwrap_or_default();
                let uri = normalize_sip_uri(&raw).ok_or_else(|| {
                    if raw.trim().is_empty() {
                        "ucwa-presence: this element needs a uri attribute, e.g. uri=\"sip:sarad@contoso.com\"".to_owned()
                    } else {
                        format!("ucwa-presence: \"{raw}\" is not a SIP address like sip:sarad@contoso.com")
                    }
                })?;
                let layout = el
                    .get_attribute("display")
                    .map_or(Ok(ContactLayout::Name), |d| {
                        ContactLayout::parse(&d).ok_or(d)
                    });
                let layout = layout.unwrap_or_else(|d| {
                    let warning = format!("ucwa-presence: display=\"{d}\" is not one of badge, name, text, avatar, card; showing name");
                    web_sys::console::warn_2(&warning.into(), el);
                    ContactLayout::Name
                });
                // Avatars and inline cards are in the full bundle only (the loader hands pages
                // that have them at load to it).
                #[cfg(not(feature = "rich-display"))]
                let layout = if matches!(layout, ContactLayout::Avatar | ContactLayout::Card) {
                    web_sys::console::warn_2(&NO_RICH_DISPLAY.into(), el);
                    ContactLayout::Name
                } else {
                    layout
                };
                let size = el
                    .get_attribute("size")
                    .as_deref()
                    .and_then(BadgeSize::parse)
                    .unwrap_or_default();
                Widget::Person { uri, layout, size }
            }
        })
    }
}

/// Mounts into `parent` what `el` asks for: its component with the session as its context, or
/// the message that says what is wrong (the configuration, or this element's attributes).
pub(super) fn mount_view(
    el: &Element,
    parent: HtmlElement,
    session: &Result<Backend, String>,
) -> Box<dyn Any> {
    match (session, Widget::read(el)) {
        (Err(error), _) => mount_error(parent, error.clone()),
        (Ok(_), Err(message)) => {
            web_sys::console::error_2(&message.clone().into(), el);
            mount_error(parent, message)
        }
        (Ok(session), Ok(widget)) => {
            let session = session.clone();
            match widget {
                Widget::Status => {
                    crate::ui::status::attach(&parent);
                    with_session(parent, session, || view! { <StatusPicker/> })
                }
                #[cfg(feature = "contact-list")]
                Widget::Contacts => {
                    behaviour::attach(&parent);
                    with_session(parent, session, || view! { <ContactList/> })
                }
                // Only when the page added the element after load: the loader (src/embed.js)
                // hands a page that has one at load to the full bundle.
                #[cfg(not(feature = "contact-list"))]
                Widget::Contacts => {
                    web_sys::console::error_2(&NO_CONTACT_LIST.into(), el);
                    mount_error(parent, NO_CONTACT_LIST.to_owned())
                }
                Widget::SignIn => with_session(parent, session, sign_in_face),
                Widget::Person { uri, layout, size } => {
                    behaviour::attach(&parent);
                    with_session(
                        parent,
                        session,
                        move || view! { <Contact uri=uri layout=layout size=size/> },
                    )
                }
            }
        }
    }
}

/// Mounts `view` with the session as its context (components read it with `use_session`).
fn with_session<V: IntoView + 'static>(
    parent: HtmlElement,
    session: Backend,
    view: impl FnOnce() -> V + 'static,
) -> Box<dyn Any> {
    Box::new(leptos::mount::mount_to(parent, move || {
        SessionContext::provide(session);
        view()
    }))
}

/// Mounts the message that stands in for a widget (one instance of the mount for every message).
fn mount_error(parent: HtmlElement, message: String) -> Box<dyn Any> {
    Box::new(leptos::mount::mount_to(parent, move || {
        view! { <span class="ucwa-config-error" role="alert">{message}</span> }
    }))
}
