//! The events of the data channel (children of `<cwaEvents>`), rendered from the shared
//! presence model and directory when they are delivered: `selfPresence` (bb969480),
//! `userPresence` (bb969617, bb969582), `contactGroup` (bb969494), `requestSucceeded`.

use super::availability::{default_token, to_number};
use super::sessions::CwaEvent;
use super::xml::{Out, CARD_NS, NOTE_NS, STATE_NS, XSI_NS};
use crate::directory::{Directory, User};
use crate::state::Inner;

/// `instance` of the user's manual state (the `instanceMask` of userState publishes).
pub const USER_STATE_INSTANCE: &str = "536870912";

pub fn event(out: &mut Out, eid: u64, event: &CwaEvent, g: &Inner, dir: &Directory, me: &str) {
    let eid = eid.to_string();
    match event {
        CwaEvent::SelfPresence => self_presence(out, &eid, g, dir, me),
        CwaEvent::UserPresence(key) => user_presence(out, &eid, g, dir, key),
        CwaEvent::ContactGroup => contact_group(out, &eid, dir, me),
        CwaEvent::RequestSucceeded(rid) => {
            out.empty("requestSucceeded", &[("eid", &eid), ("rid", rid)]);
        }
    }
}

fn open_state(out: &mut Out, instance: &str, kind: &str, manual: Option<&str>) {
    out.open("cwaCategory", &[("name", "state"), ("instance", instance)]);
    let mut attrs = vec![
        ("xmlns", STATE_NS),
        ("xmlns:xsi", XSI_NS),
        ("xsi:type", kind),
    ];
    if let Some(m) = manual {
        attrs.push(("manual", m));
    }
    out.open("state", &attrs);
}

fn close_state(out: &mut Out) {
    out.close("state").close("cwaCategory");
}

/// The aggregate state others (and the user) see.
fn aggregate_state(out: &mut Out, g: &Inner, key: &str) {
    let published = g.published(key);
    let custom = g.presence.get(key).and_then(|p| p.activity.clone());
    let token = custom.unwrap_or_else(|| default_token(published.availability).to_string());
    let location = g.location_of(key);
    open_state(out, "0", "aggregateState", None);
    out.leaf(
        "availability",
        &[],
        &to_number(published.availability).to_string(),
    )
    .empty("activity", &[("token", &token)]);
    if !location.is_empty() {
        out.leaf("endpointLocation", &[], &location);
    }
    close_state(out);
}

fn note(out: &mut Out, g: &Inner, key: &str) {
    let (personal, oof) = g
        .presence
        .get(key)
        .map(|p| (p.personal_note.clone(), p.out_of_office_note.clone()))
        .unwrap_or_default();
    out.open("cwaCategory", &[("name", "note"), ("instance", "0")])
        .open("note", &[("xmlns", NOTE_NS)]);
    if personal.is_empty() {
        out.empty("body", &[("type", "personal")]);
    } else {
        out.leaf("body", &[("type", "personal")], &personal);
    }
    if !oof.is_empty() {
        out.leaf("body", &[("type", "OOF")], &oof);
    }
    out.close("note").close("cwaCategory");
}

fn card_identity(out: &mut Out, user: &User) {
    out.open("cwaCategory", &[("name", "contactCard"), ("instance", "0")])
        .open("contactCard", &[("xmlns", CARD_NS)])
        .open("identity", &[])
        .open("name", &[])
        .leaf("displayName", &[], &user.name)
        .close("name");
    for email in &user.emails {
        out.leaf("email", &[], email);
    }
    out.close("identity")
        .close("contactCard")
        .close("cwaCategory");
}

fn card_details(out: &mut Out, user: &User) {
    out.open("cwaCategory", &[("name", "contactCard"), ("instance", "3")])
        .open("contactCard", &[("xmlns", CARD_NS)]);
    for (name, value) in [
        ("company", &user.company),
        ("department", &user.department),
        ("title", &user.title),
        ("office", &user.office),
    ] {
        if let Some(v) = value {
            out.leaf(name, &[], v);
        }
    }
    for (kind, value) in [
        ("work", &user.work_phone),
        ("mobile", &user.mobile_phone),
        ("home", &user.home_phone),
    ] {
        if let Some(number) = value {
            out.open("phone", &[("type", kind)])
                .leaf("uri", &[], &tel_uri(number))
                .leaf("displayString", &[], number)
                .close("phone");
        }
    }
    out.close("contactCard").close("cwaCategory");
}

/// `tel:+14255550100` from a display number such as `+1 425 555 0100`.
fn tel_uri(number: &str) -> String {
    let digits: String = number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{digits}")
}

fn self_presence(out: &mut Out, eid: &str, g: &Inner, dir: &Directory, key: &str) {
    out.open("selfPresence", &[("eid", eid)]);
    aggregate_state(out, g, key);
    if let Some(manual) = g.presence.get(key).and_then(|p| p.manual) {
        open_state(out, USER_STATE_INSTANCE, "userState", Some("true"));
        out.leaf("availability", &[], &to_number(manual).to_string());
        close_state(out);
    }
    note(out, g, key);
    if let Some(user) = dir.get(key) {
        card_identity(out, user);
    }
    out.close("selfPresence");
}

fn user_presence(out: &mut Out, eid: &str, g: &Inner, dir: &Directory, key: &str) {
    out.open("userPresence", &[("eid", eid)]);
    match dir.get(key) {
        Some(user) => {
            out.open(
                "user",
                &[("uri", &user.uri), ("sourceNetwork", "sameEnterprise")],
            );
            aggregate_state(out, g, key);
            note(out, g, key);
            card_identity(out, user);
            card_details(out, user);
            out.close("user");
        }
        None => {
            out.empty("user", &[("uri", key), ("sourceNetwork", "federated")]);
        }
    }
    out.close("userPresence");
}

/// The whole contact list (`fullList="true"`): groups numbered from 1 in directory order.
fn contact_group(out: &mut Out, eid: &str, dir: &Directory, key: &str) {
    out.open(
        "contactGroup",
        &[("eid", eid), ("fullList", "true"), ("deltaNum", "1")],
    );
    let Some(me) = dir.get(key) else {
        out.close("contactGroup");
        return;
    };
    for (i, group) in me.groups.iter().enumerate() {
        let id = (i + 1).to_string();
        out.empty(
            "group",
            &[("id", &id), ("name", &group.name), ("action", "added")],
        );
    }
    for contact in &me.contacts {
        let groups: Vec<String> = me
            .groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.members.contains(contact))
            .map(|(i, _)| (i + 1).to_string())
            .collect();
        let groups = groups.join(" ");
        let (uri, name) = match dir.get(contact) {
            Some(u) => (u.uri.clone(), u.name.clone()),
            None => (format!("sip:{contact}"), contact.clone()),
        };
        out.empty(
            "contact",
            &[
                ("uri", &uri),
                ("name", &name),
                ("subscribed", "true"),
                ("groups", &groups),
                ("action", "added"),
            ],
        );
    }
    out.close("contactGroup");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tel_uris_keep_digits_and_plus() {
        assert_eq!(tel_uri("+1 (425) 555-0100"), "tel:+14255550100");
    }
}
