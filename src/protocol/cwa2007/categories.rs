//! The Enhanced Presence categories a `cwaCategory` holds: `state` (dd941386), `note`
//! (dd941441) and `contactCard` (dd941474), read from a `userPresence` or `selfPresence` event.

use roxmltree::Node;

use super::availability::from_value;
use super::xml::{attr, attr_bool, child, child_text, descendant, elements, is, non_empty};
use super::xml::{number, text};
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
        self.states
            .iter()
            .find(|s| s.kind == StateType::Aggregate)
            .or_else(|| self.states.iter().find(|s| s.availability.is_some()))
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
        let Some(value) = self.availability else {
            return Availability::Unknown;
        };
        match from_value(value) {
            Availability::Away if self.activity.as_deref().is_some_and(is_off_work) => {
                Availability::Offwork
            }
            other => other,
        }
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
        let with = |wanted: &dyn Fn(NoteKind) -> bool| {
            self.bodies
                .iter()
                .find(|b| wanted(b.kind) && !b.text.is_empty())
        };
        if let Some(oof) = with(&|k| k == NoteKind::OutOfOffice) {
            return Some((&oof.text, true));
        }
        with(&|k| k != NoteKind::OutOfOffice).map(|b| (b.text.as_str(), false))
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

/// `off-work`, `OffWork`, `offwork` …: the activity token of an away state shown as off work.
fn is_off_work(token: &str) -> bool {
    let letters: String = token
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    letters.eq_ignore_ascii_case("offwork")
}

/// Reads the `cwaCategory` children of `node` (a `user`, or a `selfPresence`). Categories
/// other than state, note and contactCard are skipped.
pub(super) fn read_categories(node: Node<'_, '_>) -> Categories {
    let mut categories = Categories::default();
    for category in elements(node).filter(|n| is(*n, "cwaCategory")) {
        let name = attr(category, "name").unwrap_or("").trim();
        let instance = attr(category, "instance")
            .or_else(|| attr(category, "instanceMask"))
            .and_then(number::<u64>);
        if name.eq_ignore_ascii_case("state") {
            let states = elements(category).filter(|n| is(*n, "state"));
            categories
                .states
                .extend(states.map(|state| read_state(state, instance)));
        } else if name.eq_ignore_ascii_case("note") {
            let note = categories.note.get_or_insert_with(Note::default);
            for body in elements(category)
                .filter(|n| is(*n, "note"))
                .flat_map(elements)
                .filter(|n| is(*n, "body"))
            {
                note.bodies.push(read_body(body));
            }
        } else if name.eq_ignore_ascii_case("contactCard") {
            let card = categories.card.get_or_insert_with(ContactCard::default);
            for found in elements(category).filter(|n| is(*n, "contactCard")) {
                merge_card(card, found);
            }
        }
    }
    categories
}

fn read_state(state: Node<'_, '_>, instance: Option<u64>) -> State {
    State {
        kind: state_type(attr(state, "type").unwrap_or("")),
        instance,
        manual: attr_bool(state, "manual"),
        availability: child_text(state, "availability").and_then(|t| number(&t)),
        activity: child(state, "activity")
            .and_then(|a| attr(a, "token"))
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        location: child_text(state, "endpointLocation"),
    }
}

fn state_type(value: &str) -> StateType {
    // `xsi:type` may carry a prefix of its own (`tns:userState`).
    let local = value.rsplit(':').next().unwrap_or("").trim();
    let known = [
        ("aggregateState", StateType::Aggregate),
        ("aggregateMachineState", StateType::AggregateMachine),
        ("userState", StateType::User),
        ("machineState", StateType::Machine),
        ("phoneState", StateType::Phone),
        ("calendarState", StateType::Calendar),
    ];
    known
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(local))
        .map(|(_, kind)| kind)
        .unwrap_or_else(|| StateType::Other(local.to_string()))
}

fn read_body(body: Node<'_, '_>) -> NoteBody {
    let kind = match attr(body, "type").map(str::trim) {
        Some(t) if t.eq_ignore_ascii_case("personal") => NoteKind::Personal,
        Some(t) if t.eq_ignore_ascii_case("OOF") => NoteKind::OutOfOffice,
        _ => NoteKind::Other,
    };
    NoteBody {
        kind,
        text: text(body),
    }
}

/// Adds one `contactCard` instance to `card`: a field already known stays (instances do not
/// overlap on real servers); phones add up.
fn merge_card(card: &mut ContactCard, node: Node<'_, '_>) {
    let found = |name: &str| descendant(node, name).map(text).and_then(non_empty);
    let fill = |slot: &mut Option<String>, value: Option<String>| {
        if slot.is_none() {
            *slot = value;
        }
    };
    let display_name = descendant(node, "name")
        .and_then(|n| child_text(n, "displayName"))
        .and_then(non_empty)
        .or_else(|| found("displayName"));
    fill(&mut card.display_name, display_name);
    fill(&mut card.email, descendant(node, "email").and_then(email));
    fill(&mut card.company, found("company"));
    fill(&mut card.department, found("department"));
    fill(&mut card.title, found("title"));
    fill(&mut card.office, found("office"));
    fill(&mut card.url, found("url"));
    fill(
        &mut card.address,
        descendant(node, "address").and_then(address),
    );
    let phones = node.descendants().filter(|n| is(*n, "phone"));
    card.phones.extend(phones.map(read_phone));
}

/// `<email>x@y</email>`, or its `address` attribute or child.
fn email(node: Node<'_, '_>) -> Option<String> {
    let own = super::xml::own_text(node);
    non_empty(own)
        .or_else(|| {
            attr(node, "address")
                .map(|a| a.trim().to_string())
                .and_then(non_empty)
        })
        .or_else(|| child_text(node, "address").and_then(non_empty))
}

/// The address's parts in order (street, city, state, zipcode, country…) joined with ", ".
fn address(node: Node<'_, '_>) -> Option<String> {
    let parts: Vec<String> = elements(node).map(text).filter(|t| !t.is_empty()).collect();
    if parts.is_empty() {
        non_empty(text(node))
    } else {
        Some(parts.join(", "))
    }
}

fn read_phone(node: Node<'_, '_>) -> CardPhone {
    let kind = match attr(node, "type").map(str::trim) {
        Some(t) if t.eq_ignore_ascii_case("work") => PhoneType::Work,
        Some(t) if t.eq_ignore_ascii_case("home") => PhoneType::Home,
        Some(t) if t.eq_ignore_ascii_case("mobile") => PhoneType::Mobile,
        _ => PhoneType::Other,
    };
    CardPhone {
        kind,
        uri: child_text(node, "uri").and_then(non_empty),
        display: child_text(node, "displayString").and_then(non_empty),
    }
}
