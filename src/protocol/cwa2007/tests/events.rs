use super::examples::*;
use crate::protocol::cwa2007::*;
use crate::protocol::Availability;

fn only(xml: &str) -> Event {
    let mut page = parse_events(xml).unwrap();
    assert_eq!(page.events.len(), 1, "{:?}", page.events);
    page.events.remove(0)
}

#[test]
fn the_seed_user_presence_reads_as_offline_jay_with_a_blank_note() {
    let page = parse_events(SEED_USER_PRESENCE).unwrap();
    assert_eq!(page.sid, None);
    assert_eq!(page.ack_id, None);
    assert_eq!(page.poll_wait_ms, None);
    let Event::UserPresence {
        eid,
        uri,
        source_network,
        categories,
    } = &page.events[0]
    else {
        panic!("{:?}", page.events);
    };
    assert_eq!(*eid, Some(10));
    assert_eq!(uri, "sip:jane@contoso.com");
    assert_eq!(source_network.as_deref(), Some("sameEnterprise"));
    let state = categories.shown_state().unwrap();
    assert_eq!(state.kind, StateType::Aggregate);
    assert_eq!(state.instance, Some(0));
    assert_eq!(state.availability, Some(18000));
    assert_eq!(state.availability(), Availability::Offline);
    assert_eq!(state.activity.as_deref(), Some("Offline"));
    let note = categories.note.as_ref().unwrap();
    assert_eq!(
        note.bodies,
        vec![NoteBody {
            kind: NoteKind::Personal,
            text: String::new()
        }]
    );
    assert_eq!(note.shown(), None);
    let card = categories.card.as_ref().unwrap();
    assert_eq!(card.display_name.as_deref(), Some("Jay A."));
    assert_eq!(card.email, None);
}

#[test]
fn self_presence_reads_every_state_the_note_bodies_and_the_envelope() {
    let page = parse_events(SELF_PRESENCE).unwrap();
    assert_eq!(page.sid.as_deref(), Some("42"));
    assert_eq!(page.ack_id, Some(2));
    assert_eq!(page.poll_wait_ms, Some(1000));
    assert_eq!(page.session_timeout_secs, Some(180));
    let Event::SelfPresence { eid, categories } = &page.events[0] else {
        panic!("{:?}", page.events);
    };
    assert_eq!(*eid, Some(2));
    assert_eq!(categories.states.len(), 2);
    let aggregate = &categories.states[0];
    assert_eq!(aggregate.availability(), Availability::Busy);
    assert_eq!(aggregate.location.as_deref(), Some("Building 40"));
    let manual = &categories.states[1];
    assert_eq!(manual.kind, StateType::User);
    assert_eq!(
        manual.instance,
        Some(u64::from(requests::USER_STATE_INSTANCE))
    );
    assert_eq!(manual.manual, Some(true));
    let note = categories.note.as_ref().unwrap();
    assert_eq!(note.bodies[0].text, "Lunch <12:30>");
    assert_eq!(note.bodies[1].kind, NoteKind::OutOfOffice);
    assert_eq!(note.shown(), Some(("On leave until Monday", true)));
    let card = categories.card.as_ref().unwrap();
    assert_eq!(card.display_name.as_deref(), Some("Dana K."));
    assert_eq!(card.email.as_deref(), Some("dana@contoso.com"));
}

#[test]
fn both_note_body_types_and_untyped_bodies() {
    let note = |bodies: &str| {
        let xml = format!(
            r#"<cwaEvents><selfPresence eid="1"><cwaCategory name="note" instance="0"><note>{bodies}</note></cwaCategory></selfPresence></cwaEvents>"#
        );
        let Event::SelfPresence { categories, .. } = only(&xml) else {
            panic!()
        };
        categories.note.unwrap()
    };
    let personal = note(r#"<body type="personal">At my desk</body><body type="OOF"> </body>"#);
    assert_eq!(personal.shown(), Some(("At my desk", false)));
    let oof = note(r#"<body type="oof">Away all week</body><body type="personal">x</body>"#);
    assert_eq!(oof.shown(), Some(("Away all week", true)));
    let untyped = note(r#"<body>No type</body>"#);
    assert_eq!(untyped.bodies[0].kind, NoteKind::Other);
    assert_eq!(untyped.shown(), Some(("No type", false)));
    assert_eq!(note("").shown(), None);
}

#[test]
fn a_card_split_over_instances_is_merged_with_address_and_phones() {
    let Event::UserPresence { categories, .. } = only(MULTI_INSTANCE_CARD) else {
        panic!()
    };
    assert_eq!(
        categories.shown_state().unwrap().availability(),
        Availability::Offwork
    );
    let card = categories.card.unwrap();
    assert_eq!(card.display_name.as_deref(), Some("Sara D."));
    assert_eq!(card.email.as_deref(), Some("sara@contoso.com"));
    assert_eq!(card.company.as_deref(), Some("Contoso"));
    assert_eq!(card.department.as_deref(), Some("Sales"));
    assert_eq!(card.title.as_deref(), Some("Account Manager"));
    assert_eq!(card.office.as_deref(), Some("40/1234"));
    assert_eq!(card.url.as_deref(), Some("https://contoso.com/sara"));
    assert_eq!(
        card.address.as_deref(),
        Some("1 Microsoft Way, Redmond, WA, 98052, US")
    );
    assert_eq!(
        card.phones,
        vec![
            CardPhone {
                kind: PhoneType::Work,
                uri: Some("tel:+14255550100".into()),
                display: Some("+1 (425) 555-0100".into()),
            },
            CardPhone {
                kind: PhoneType::Mobile,
                uri: Some("tel:+14255550199".into()),
                display: None,
            },
            CardPhone {
                kind: PhoneType::Other,
                uri: None,
                display: Some("555-0101".into()),
            },
        ]
    );
}

#[test]
fn contact_group_reads_groups_contacts_and_actions() {
    let Event::ContactGroup {
        eid,
        full_list,
        groups,
        contacts,
    } = only(CONTACT_GROUP)
    else {
        panic!()
    };
    assert_eq!(eid, Some(3));
    assert!(full_list);
    let group_view: Vec<_> = groups
        .iter()
        .map(|g| (g.id.as_str(), g.name.as_str(), g.action))
        .collect();
    assert_eq!(
        group_view,
        vec![
            ("1", "Team", EntryAction::Added),
            ("2", "Friends & family", EntryAction::Updated),
            ("3", "Old", EntryAction::Deleted),
        ]
    );
    assert_eq!(contacts.len(), 3, "the contact without a uri is skipped");
    assert_eq!(
        contacts[0],
        ContactEntry {
            uri: "sip:sara@contoso.com".into(),
            name: Some("Sara D.".into()),
            subscribed: true,
            groups: vec!["1".into(), "2".into()],
            tag: Some("t1".into()),
            action: EntryAction::Added,
        }
    );
    assert_eq!(contacts[1].action, EntryAction::Deleted);
    assert!(contacts[1].groups.is_empty());
    assert_eq!(contacts[2].action, EntryAction::Added);
    assert!(!contacts[2].subscribed);
}

#[test]
fn search_result_reads_users_from_attributes_or_children() {
    let Event::SearchResult {
        eid,
        rid,
        more_available,
        users,
    } = only(SEARCH_RESULT)
    else {
        panic!()
    };
    assert_eq!((eid, rid, more_available), (Some(9), Some(5), true));
    assert_eq!(
        users,
        vec![
            SearchUser {
                uri: "sip:jane@contoso.com".into(),
                display_name: Some("Jane Doe".into()),
                email: Some("jane@contoso.com".into()),
            },
            SearchUser {
                uri: "sip:jay@contoso.com".into(),
                display_name: Some("Jay A.".into()),
                email: Some("jay@contoso.com".into()),
            },
        ]
    );
}

#[test]
fn request_events_succeeded_and_failed() {
    let page = parse_events(&format!(
        r#"<cwaEvents sid="1" ackId="200"><requestSucceeded eid="17" rid="4"/>{REQUEST_FAILED_SHAPE}</cwaEvents>"#
    ))
    .unwrap();
    assert_eq!(
        page.events[0],
        Event::RequestSucceeded {
            eid: Some(17),
            rid: Some(4)
        }
    );
    let Event::RequestFailed { eid, rid, error } = &page.events[1] else {
        panic!()
    };
    assert_eq!((*eid, *rid), (Some(200), Some(7)));
    assert!(error.is_session_lost());
    assert_eq!(error.sip_code, Some(404));
    assert_eq!(error.reason.as_deref(), Some("Session not found"));
}

#[test]
fn an_error_or_exception_in_the_envelope_is_an_error_event() {
    for shape in [ERROR_SHAPE_BARE, EXCEPTION_SHAPE] {
        let xml = format!(r#"<cwaEvents sid="S" ackId="4">{shape}</cwaEvents>"#);
        let page = parse_events(&xml).unwrap();
        let Event::Error { eid, error } = &page.events[0] else {
            panic!("{shape}: {:?}", page.events)
        };
        assert_eq!(*eid, None);
        assert!(error.is_session_lost(), "{shape}");
        assert_eq!(page.ack_id, Some(4));
    }
}

const ERROR_SHAPE_BARE: &str =
    r#"<error code="18100" subCode="0" reason="Session not found" detail=""/>"#;

#[test]
fn every_state_type_and_both_activity_spellings() {
    let state = |kind: &str, value: &str, token: &str| {
        let xml = format!(
            r#"<cwaEvents><userPresence eid="1"><user uri="sip:a@b"><cwaCategory name="state" instanceMask="805306368"><state xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="{kind}"><availability>{value}</availability><activity token="{token}"/></state></cwaCategory></user></userPresence></cwaEvents>"#
        );
        let Event::UserPresence { categories, .. } = only(&xml) else {
            panic!()
        };
        categories.states[0].clone()
    };
    // Documented spellings, other cases, and a prefixed value.
    let kinds = [
        ("aggregateState", StateType::Aggregate),
        ("AggregateMachineState", StateType::AggregateMachine),
        ("tns:UserState", StateType::User),
        ("machinestate", StateType::Machine),
        ("PHONESTATE", StateType::Phone),
        (" calendarState ", StateType::Calendar),
        ("futureState", StateType::Other("futureState".into())),
    ];
    for (name, kind) in kinds {
        assert_eq!(state(name, "3500", "Available").kind, kind, "{name}");
    }
    let machine = state("machineState", "3500", "Available");
    assert_eq!(
        machine.instance,
        Some(805_306_368),
        "instanceMask is read too"
    );
    for token in ["off-work", "OffWork", "offwork"] {
        assert_eq!(
            state("userState", "15500", token).availability(),
            Availability::Offwork,
            "{token}"
        );
    }
    assert_eq!(
        state("userState", "6500", "in-a-meeting")
            .activity
            .as_deref(),
        Some("in-a-meeting")
    );
    assert_eq!(
        state("userState", "6500", "off-work").availability(),
        Availability::Busy,
        "off-work only marks an away value"
    );
    assert_eq!(
        state("userState", "busy", "Busy").availability,
        None,
        "not a number"
    );
    assert_eq!(
        state("userState", "", "Busy").availability(),
        Availability::Unknown
    );
}

#[test]
fn shown_state_prefers_the_aggregate_else_the_first_with_a_number() {
    let xml = r#"<cwaEvents><userPresence eid="1"><user uri="sip:a@b">
      <cwaCategory name="state" instance="1"><state type="calendarState"/></cwaCategory>
      <cwaCategory name="state" instance="2"><state type="machineState"><availability>4500</availability></state></cwaCategory>
      </user></userPresence></cwaEvents>"#;
    let Event::UserPresence { categories, .. } = only(xml) else {
        panic!()
    };
    assert_eq!(
        categories.shown_state().unwrap().availability(),
        Availability::IdleOnline
    );
    assert_eq!(Categories::default().shown_state(), None);
}

#[test]
fn a_user_outside_the_directory_has_no_category_and_a_user_without_uri_is_other() {
    let page = parse_events(
        r#"<cwaEvents><userPresence eid="5"><user uri="sip:x@fabrikam.com" sourceNetwork="federated"/></userPresence><userPresence eid="6"><user/></userPresence></cwaEvents>"#,
    )
    .unwrap();
    let Event::UserPresence { categories, .. } = &page.events[0] else {
        panic!()
    };
    assert_eq!(*categories, Categories::default());
    assert_eq!(
        page.events[1],
        Event::Other {
            eid: Some(6),
            name: "userPresence".into()
        }
    );
}

#[test]
fn several_users_in_one_event_and_unknown_events_and_elements() {
    let page = parse_events(
        r#"<cwaEvents sid="1" ackId="3"><userPresence eid="2"><user uri="sip:a@b"/><unknown/><user uri="sip:c@d"/></userPresence><presenceSubscriptionState eid="3"/></cwaEvents>"#,
    )
    .unwrap();
    let eids: Vec<_> = page.events.iter().map(Event::eid).collect();
    assert_eq!(eids, vec![Some(2), Some(2), Some(3)]);
    assert!(
        matches!(&page.events[2], Event::Other { name, .. } if name == "presenceSubscriptionState")
    );
}

#[test]
fn numbers_that_are_not_numbers_are_none() {
    let page = parse_events(
        r#"<cwaEvents sid=" 9 " ackId="-1" pollWaitTime="soon" sesionTimeout="120"><requestSucceeded eid="x" rid="99999999999"/></cwaEvents>"#,
    )
    .unwrap();
    assert_eq!(page.sid.as_deref(), Some("9"));
    assert_eq!(page.ack_id, None);
    assert_eq!(page.poll_wait_ms, None);
    assert_eq!(
        page.session_timeout_secs,
        Some(120),
        "the misspelling is read"
    );
    assert_eq!(
        page.events[0],
        Event::RequestSucceeded {
            eid: None,
            rid: None
        }
    );
}
