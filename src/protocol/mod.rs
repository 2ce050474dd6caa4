//! UCWA 2.0 protocol logic: resource types, links, events, state machines. No I/O, no web-sys.

pub mod auth;
pub mod availability;
pub mod batch;
pub mod batch_queue;
pub mod channel;
pub mod contact_links;
#[cfg(feature = "cwa2007")]
pub mod cwa2007;
pub mod date;
pub mod discovery;
pub mod error;
pub mod events;
pub mod failure;
pub mod fields;
pub mod grant;
pub mod hal;
pub mod initials;
pub mod json;
pub mod note;
pub mod resources;
#[cfg(test)]
mod seeds;
pub mod sip;
pub mod subscription;
pub mod transport;
pub mod url;
pub mod xframe;

pub use auth::{parse_www_authenticate, password_grant_body, OAuthChallenge, TokenResponse};
pub use availability::{Availability, BadgeKind};
pub use batch::{decode_batch, encode_batch, BatchResponse};
pub use channel::{ChannelStep, EventChannel};
pub use error::{parse_error, ProtocolError, UcwaError};
pub use events::{parse_event_page, Event, EventPage};
pub use failure::{decide, Action, Backoff, Failure, NetworkKind, Reason, Step};
pub use fields::FromJson;
pub use hal::{Link, Links};
pub use resources::{
    groups_of, normalize_sip_uri, parse_groups, parse_ms_date, sip_uri_from_people_href,
    Application, ApplicationEmbedded, Contact, ContactList, ContactPresence, Group, GroupKind, Me,
    Note, People, PresenceSubscription, Root, User,
};
pub use subscription::{SubAction, Subscriptions};
