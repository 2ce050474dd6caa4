//! Requests the client sends: `logon` (bb969609), and inside `<cwaRequests sid xmlns>`
//! `initiateSession` (bb969467), `publishSelfPresence` with `state` and `note` (bb969515, the
//! seed), `subscribePresence` (bb969483), `unSubscribePresence` (bb969526), `queryPresence`
//! (bb969478) and `terminateSession` (bb969598). Every value is XML-escaped.

use super::xml::Writer;
use super::NS;
use crate::protocol::note::{LOCATION_MAX_CHARS, NOTE_MAX_CHARS};

/// The state schema's namespace.
pub const STATE_NS: &str = "http://schemas.microsoft.com/2006/09/sip/state";
/// The note schema's namespace.
pub const NOTE_NS: &str = "http://schemas.microsoft.com/2006/09/sip/note";
/// XML Schema instance (for `xsi:type`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// The most URIs the client puts in one subscribe/query request (CONTRACTS: the reference
/// server takes up to 200).
pub const MAX_URIS_PER_REQUEST: usize = 100;

/// The `cwaCategory instanceMask` of the user's manual state (MS-PRES: 0x20000000).
pub const USER_STATE_INSTANCE: u32 = 536_870_912;
/// The machine state's (0x30000000, the value bb969515's example shows).
pub const MACHINE_STATE_INSTANCE: u32 = 805_306_368;
/// The note's (the seed's example).
pub const NOTE_INSTANCE: u32 = 0;
/// What `initiateSession` sends as `userStateAvailability`: online.
pub const INITIAL_AVAILABILITY: u32 = 3500;

#[derive(Clone, Debug, PartialEq)]
pub enum Request<'a> {
    /// `securityMode` private; options `autoPublishMachineState` and
    /// `autoSubscribePresenceForContacts`.
    InitiateSession {
        user_state_availability: u32,
        auto_publish_machine_state: bool,
        auto_subscribe_contacts: bool,
    },
    /// The user's manual state: `Some(value)` sets it (`manual="true"`); `None` resets it
    /// (`manual="false"`, no availability).
    PublishUserState {
        availability: Option<u32>,
    },
    /// The machine state (the 5-minute timer); `location` `Some` also publishes
    /// `endpointLocation` (`Some("")` clears it), `None` leaves it out.
    PublishMachineState {
        availability: u32,
        location: Option<&'a str>,
    },
    /// The personal note (`expires="-1"`); "" clears it.
    PublishNote {
        message: &'a str,
    },
    SubscribePresence {
        uris: &'a [String],
    },
    UnsubscribePresence {
        uris: &'a [String],
    },
    QueryPresence {
        uris: &'a [String],
    },
    TerminateSession,
}

impl<'a> Request<'a> {
    /// The personal note `message` (trimmed; blank clears it); `None` when longer than
    /// [`NOTE_MAX_CHARS`] (refused, never truncated).
    pub fn note(message: &'a str) -> Option<Self> {
        let message = message.trim();
        (message.chars().count() <= NOTE_MAX_CHARS).then_some(Request::PublishNote { message })
    }

    /// The machine state with `location` (trimmed; see [`Request::PublishMachineState`]);
    /// `None` when the location is longer than [`LOCATION_MAX_CHARS`].
    pub fn machine_state(availability: u32, location: Option<&'a str>) -> Option<Self> {
        let location = location.map(str::trim);
        location
            .is_none_or(|l| l.chars().count() <= LOCATION_MAX_CHARS)
            .then_some(Request::PublishMachineState {
                availability,
                location,
            })
    }
}

/// `<cwaRequests sid="…" xmlns="NS">` with each request and its rid, in order.
pub fn encode_requests(sid: &str, requests: &[(u32, Request<'_>)]) -> String {
    let mut w = Writer::default();
    w.open("cwaRequests", &[("sid", sid), ("xmlns", NS)]);
    for (rid, request) in requests {
        write_request(&mut w, &rid.to_string(), request);
    }
    w.close("cwaRequests");
    w.finish()
}

fn write_request(w: &mut Writer, rid: &str, request: &Request<'_>) {
    let rid = [("rid", rid)];
    match request {
        Request::InitiateSession {
            user_state_availability,
            auto_publish_machine_state,
            auto_subscribe_contacts,
        } => {
            w.open("initiateSession", &rid)
                .leaf("securityMode", &[], "private")
                .leaf(
                    "userStateAvailability",
                    &[],
                    &user_state_availability.to_string(),
                )
                .empty(
                    "options",
                    &[
                        (
                            "autoPublishMachineState",
                            bool_text(*auto_publish_machine_state),
                        ),
                        (
                            "autoSubscribePresenceForContacts",
                            bool_text(*auto_subscribe_contacts),
                        ),
                    ],
                )
                .close("initiateSession");
        }
        Request::PublishUserState { availability } => {
            let manual = bool_text(availability.is_some());
            publish_state(
                w,
                &rid,
                USER_STATE_INSTANCE,
                "userState",
                Some(manual),
                |w| {
                    if let Some(value) = availability {
                        w.leaf("availability", &[], &value.to_string());
                    }
                },
            );
        }
        Request::PublishMachineState {
            availability,
            location,
        } => {
            publish_state(w, &rid, MACHINE_STATE_INSTANCE, "machineState", None, |w| {
                w.leaf("availability", &[], &availability.to_string());
                if let Some(location) = location {
                    w.leaf("endpointLocation", &[], location.trim());
                }
            });
        }
        Request::PublishNote { message } => {
            let instance = NOTE_INSTANCE.to_string();
            w.open("publishSelfPresence", &rid)
                .open(
                    "cwaCategory",
                    &[
                        ("name", "note"),
                        ("instanceMask", &instance),
                        ("expires", "-1"),
                    ],
                )
                .open("note", &[("xmlns", NOTE_NS)])
                .leaf("body", &[("type", "personal")], message.trim())
                .close("note")
                .close("cwaCategory")
                .close("publishSelfPresence");
        }
        Request::SubscribePresence { uris } => write_uris(w, "subscribePresence", &rid, uris),
        Request::UnsubscribePresence { uris } => write_uris(w, "unSubscribePresence", &rid, uris),
        Request::QueryPresence { uris } => write_uris(w, "queryPresence", &rid, uris),
        Request::TerminateSession => {
            w.empty("terminateSession", &rid);
        }
    }
}

fn bool_text(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

fn publish_state(
    w: &mut Writer,
    rid: &[(&str, &str)],
    instance: u32,
    kind: &str,
    manual: Option<&str>,
    children: impl FnOnce(&mut Writer),
) {
    let instance = instance.to_string();
    let mut attrs = vec![
        ("xmlns", STATE_NS),
        ("xmlns:xsi", XSI_NS),
        ("xsi:type", kind),
    ];
    attrs.extend(manual.map(|m| ("manual", m)));
    w.open("publishSelfPresence", rid)
        .open(
            "cwaCategory",
            &[("name", "state"), ("instanceMask", &instance)],
        )
        .open("state", &attrs);
    children(w);
    w.close("state")
        .close("cwaCategory")
        .close("publishSelfPresence");
}

fn write_uris(w: &mut Writer, name: &str, rid: &[(&str, &str)], uris: &[String]) {
    w.open(name, rid).open("uris", &[]);
    for uri in uris {
        w.leaf("uri", &[], uri.trim());
    }
    w.close("uris").close(name);
}

/// The logon body: `<cwaRequests xmlns><logon><user>…</user><password>…</password></logon>`
/// (no rid; no `password` for the Windows logon; both omitted when `user` is `None`).
pub fn encode_logon(user: Option<&str>, password: Option<&str>) -> String {
    let mut w = Writer::default();
    w.open("cwaRequests", &[("xmlns", NS)]);
    match user {
        Some(user) => {
            w.open("logon", &[]).leaf("user", &[], user.trim());
            if let Some(password) = password {
                // The password is sent as typed (no trimming: spaces may be part of it).
                w.open("password", &[]).text(password).close("password");
            }
            w.close("logon");
        }
        None => {
            w.empty("logon", &[]);
        }
    }
    w.close("cwaRequests");
    w.finish()
}
