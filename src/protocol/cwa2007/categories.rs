//! The Enhanced Presence categories a `cwaCategory` holds: `state` (dd941386), `note`
//! (dd941441) and `contactCard` (dd941474), read from a `userPresence` or `selfPresence` event.

use crate::protocol::Availability;

/// The categories of one user in one event (a snapshot: each change resends all of them).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Categories {
    /// Every `state` instance, in document order (aggregateState, userState, machineState …).
    pub states: Vec<State>,
    /// The `note` category, when the event carried one (even with empty bodies: the note is
    /// then known to be blank).
    pub note: Option<Note>,
    /// The `contactCard` instances merged into one (real servers split it: 0 identity,
    /// 2 address, 3 company/title/office/phone), when the event carried any.
    pub card: Option<ContactCard>,
}

impl Categories {
    /// The state the user is shown with: the `aggregateState`, else the first state instance
    /// that has an availability.
    pub fn shown_state(&self) -> Option<&State> {
        todo!()
    }
}

/// `xsi:type` of a `state` element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateType {
    Aggregate,
    AggregateMachine,
    User,
    Machine,
    Phone,
    Calendar,
    /// Missing or not one of the documented types.
    Other(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub kind: StateType,
    /// The `cwaCategory`'s `instance` (events) or `instanceMask` attribute.
    pub instance: Option<u64>,
    /// The `manual` attribute.
    pub manual: Option<bool>,
    /// The numeric `availability`, when present and a number.
    pub availability: Option<i64>,
    /// The `activity` element's `token` (PascalCase or hyphenated, as sent).
    pub activity: Option<String>,
    /// `endpointLocation`, when present (an empty element: `Some("")`).
    pub location: Option<String>,
}

impl State {
    /// The widget's availability for this state: [`from_value`](super::from_value) of the
    /// number, `Offwork` for an away value with activity `off-work`/`OffWork`, `Unknown` when
    /// there is no number.
    pub fn availability(&self) -> Availability {
        todo!()
    }
}

/// The `note` category: its `body` elements.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Note {
    pub bodies: Vec<NoteBody>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NoteBody {
    pub kind: NoteKind,
    /// The body's text, trimmed ("" for an empty body).
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteKind {
    Personal,
    /// `type="OOF"` (from the Outlook calendar).
    OutOfOffice,
    /// Another or a missing `type`.
    Other,
}

impl Note {
    /// The note a user is shown with: a non-empty out-of-office body first, else a non-empty
    /// personal (or untyped) body; `None` when every body is blank. The flag says out of office.
    pub fn shown(&self) -> Option<(&str, bool)> {
        todo!()
    }
}

/// The `contactCard` fields the widget shows (every field dd941474 lists that it can use).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ContactCard {
    /// `identity/name/displayName`.
    pub display_name: Option<String>,
    /// `identity/email` (or `email`).
    pub email: Option<String>,
    pub company: Option<String>,
    pub department: Option<String>,
    pub title: Option<String>,
    pub office: Option<String>,
    pub url: Option<String>,
    /// `address`, its parts joined in order with ", ".
    pub address: Option<String>,
    pub phones: Vec<CardPhone>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CardPhone {
    pub kind: PhoneType,
    /// `uri` (`tel:+1…`), when present.
    pub uri: Option<String>,
    /// `displayString`, when present.
    pub display: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneType {
    Work,
    Home,
    Mobile,
    Other,
}
