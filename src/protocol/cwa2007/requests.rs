//! Requests the client sends: `logon` (bb969609), and inside `<cwaRequests sid xmlns>`
//! `initiateSession` (bb969467), `publishSelfPresence` with `state` and `note` (bb969515, the
//! seed), `subscribePresence` (bb969483), `unSubscribePresence` (bb969526), `queryPresence`
//! (bb969478) and `terminateSession` (bb969598). Every value is XML-escaped.

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

/// `<cwaRequests sid="…" xmlns="NS">` with each request and its rid, in order.
pub fn encode_requests(sid: &str, requests: &[(u32, Request<'_>)]) -> String {
    todo!("{sid}{requests:?}")
}

/// The logon body: `<cwaRequests xmlns><logon><user>…</user><password>…</password></logon>`
/// (no rid; no `password` for the Windows logon; both omitted when `user` is `None`).
pub fn encode_logon(user: Option<&str>, password: Option<&str>) -> String {
    todo!("{user:?}{password:?}")
}
