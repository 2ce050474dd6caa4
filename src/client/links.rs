//! The URLs of one application, resolved to absolute URLs once.

use crate::protocol::resources::{Application, Me};

#[derive(Clone, Debug, Default)]
pub struct AppLinks {
    pub app: String,
    pub events: String,
    pub batch: Option<String>,
    pub me: Option<String>,
    pub make_me_available: Option<String>,
    pub my_presence: Option<String>,
    pub my_note: Option<String>,
    pub my_location: Option<String>,
    pub my_photo: Option<String>,
    pub report_activity: Option<String>,
    pub presence_subscriptions: Option<String>,
    pub my_groups: Option<String>,
}

impl AppLinks {
    /// Takes the links a `me` resource read from `me_url` names (after `makeMeAvailable` it
    /// gains `presence`, `note`, `location`, `reportMyActivity`); keeps the others.
    pub fn adopt_me(&mut self, me: &Me, me_url: &str) {
        for (slot, rel) in [
            (&mut self.my_presence, "presence"),
            (&mut self.my_note, "note"),
            (&mut self.my_location, "location"),
            (&mut self.my_photo, "photo"),
            (&mut self.report_activity, "reportMyActivity"),
        ] {
            if let Some(url) = me.links.url(rel, me_url) {
                *slot = Some(url);
            }
        }
    }

    /// Links of a `POST applications` reply; `base` is the URL it was posted to. `None` when the
    /// reply lacks the two links nothing works without (`self` and `events`).
    pub fn from_application(app: &Application, base: &str) -> Option<AppLinks> {
        let me = app.embedded.me.as_ref();
        let people = app.embedded.people.as_ref();
        let own = app.links.url("self", base)?;
        let base = own.as_str();
        Some(AppLinks {
            events: app.links.url("events", base)?,
            batch: app.links.url("batch", base),
            me: me.and_then(|m| m.links.url("self", base)),
            make_me_available: me.and_then(|m| m.links.url("makeMeAvailable", base)),
            my_presence: me.and_then(|m| m.links.url("presence", base)),
            my_note: me.and_then(|m| m.links.url("note", base)),
            my_location: me.and_then(|m| m.links.url("location", base)),
            my_photo: me.and_then(|m| m.links.url("photo", base)),
            report_activity: me.and_then(|m| m.links.url("reportMyActivity", base)),
            presence_subscriptions: people.and_then(|p| p.links.url("presenceSubscriptions", base)),
            my_groups: people.and_then(|p| p.links.url("myGroups", base)),
            app: own,
        })
    }
}
