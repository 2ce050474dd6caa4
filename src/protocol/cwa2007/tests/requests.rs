//! Every request encoded, then read back with roxmltree: the same values.

use roxmltree::{Document, Node};

use super::examples::*;
use crate::protocol::cwa2007::requests::*;
use crate::protocol::cwa2007::*;
use crate::protocol::note::{LOCATION_MAX_CHARS, NOTE_MAX_CHARS};

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

fn el<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Node<'a, 'i> {
    node.children()
        .find(|n| n.is_element() && n.tag_name().name() == name)
        .unwrap_or_else(|| panic!("no <{name}> in <{}>", node.tag_name().name()))
}

fn text_of<'a>(node: Node<'a, '_>) -> &'a str {
    node.text().unwrap_or("")
}

fn requests_in<'a, 'i>(doc: &'a Document<'i>) -> Vec<Node<'a, 'i>> {
    doc.root_element()
        .children()
        .filter(Node::is_element)
        .collect()
}

/// The one request element of an encoded body, after checking the envelope.
fn request_of<'a, 'i>(doc: &'a Document<'i>, sid: &str) -> Node<'a, 'i> {
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "cwaRequests");
    assert_eq!(root.tag_name().namespace(), Some(NS));
    assert_eq!(root.attribute("sid"), Some(sid));
    let mut requests = root.children().filter(Node::is_element);
    let request = requests.next().unwrap();
    assert!(requests.next().is_none());
    request
}

#[test]
fn initiate_session_is_the_documented_body() {
    let body = encode_requests(
        "0",
        &[(
            1,
            Request::InitiateSession {
                user_state_availability: INITIAL_AVAILABILITY,
                auto_publish_machine_state: true,
                auto_subscribe_contacts: true,
            },
        )],
    );
    assert_eq!(body, INITIATE_SESSION);
    let doc = Document::parse(&body).unwrap();
    let off = encode_requests(
        "0",
        &[(
            1,
            Request::InitiateSession {
                user_state_availability: 6500,
                auto_publish_machine_state: false,
                auto_subscribe_contacts: false,
            },
        )],
    );
    let off = Document::parse(&off).unwrap();
    let options = el(request_of(&off, "0"), "options");
    assert_eq!(options.attribute("autoPublishMachineState"), Some("false"));
    assert_eq!(
        text_of(el(request_of(&off, "0"), "userStateAvailability")),
        "6500"
    );
    assert_eq!(request_of(&doc, "0").attribute("rid"), Some("1"));
}

#[test]
fn the_seed_note_request_round_trips_through_our_encoder() {
    let seed = Document::parse(SEED_NOTE_PUBLISH).unwrap();
    let seed_request = el(seed.root_element(), "publishSelfPresence");
    let seed_category = el(seed_request, "cwaCategory");
    let seed_body = el(el(seed_category, "note"), "body");

    let message = text_of(seed_body);
    let ours = encode_requests("123", &[(2, Request::note(message).unwrap())]);
    let doc = Document::parse(&ours).unwrap();
    let request = request_of(&doc, "123");
    assert_eq!(request.tag_name().name(), "publishSelfPresence");
    assert_eq!(request.attribute("rid"), seed_request.attribute("rid"));
    let category = el(request, "cwaCategory");
    for attr in ["name", "instanceMask", "expires"] {
        assert_eq!(
            category.attribute(attr),
            seed_category.attribute(attr),
            "{attr}"
        );
    }
    let note = el(category, "note");
    assert_eq!(
        note.tag_name().namespace(),
        Some(NOTE_NS),
        "sent as http://"
    );
    let body = el(note, "body");
    assert_eq!(body.attribute("type"), Some("personal"));
    assert_eq!(text_of(body), "This is a personal note");
}

#[test]
fn a_note_with_markup_quotes_ampersands_and_control_characters() {
    let message = "<b>\"5 > 3\" & 'x'</b>\u{7}\u{0} done";
    let body = encode_requests("1", &[(9, Request::note(message).unwrap())]);
    let doc = Document::parse(&body).unwrap();
    let text = el(el(el(request_of(&doc, "1"), "cwaCategory"), "note"), "body");
    assert_eq!(text_of(text), "<b>\"5 > 3\" & 'x'</b> done");
}

#[test]
fn a_blank_note_clears_and_a_long_one_is_refused() {
    let body = encode_requests("1", &[(3, Request::note("   ").unwrap())]);
    assert!(body.contains(r#"<body type="personal"/>"#), "{body}");
    let longest = "n".repeat(NOTE_MAX_CHARS);
    assert!(Request::note(&longest).is_some());
    assert_eq!(Request::note(&format!("{longest}n")), None);
    assert_eq!(
        Request::note(&format!("  {longest}  ")),
        Some(Request::PublishNote { message: &longest })
    );
}

#[test]
fn user_state_sets_and_resets() {
    let body = encode_requests(
        "S",
        &[
            (
                4,
                Request::PublishUserState {
                    availability: Some(6500),
                },
            ),
            (5, Request::PublishUserState { availability: None }),
        ],
    );
    let doc = Document::parse(&body).unwrap();
    let requests = requests_in(&doc);
    assert_eq!(requests.len(), 2);
    for (request, rid, manual, value) in [
        (requests[0], "4", "true", Some("6500")),
        (requests[1], "5", "false", None),
    ] {
        assert_eq!(request.attribute("rid"), Some(rid));
        let category = el(request, "cwaCategory");
        assert_eq!(category.attribute("name"), Some("state"));
        assert_eq!(category.attribute("instanceMask"), Some("536870912"));
        let state = el(category, "state");
        assert_eq!(state.tag_name().namespace(), Some(STATE_NS));
        assert_eq!(state.attribute((XSI, "type")), Some("userState"));
        assert_eq!(state.attribute("manual"), Some(manual));
        let availability = state
            .children()
            .find(|n| n.tag_name().name() == "availability")
            .map(text_of);
        assert_eq!(availability, value);
    }
}

#[test]
fn machine_state_with_without_and_clearing_the_location() {
    let read = |location: Option<&str>| {
        let request = Request::machine_state(3500, location).unwrap();
        let body = encode_requests("S", &[(6, request)]);
        let doc = Document::parse(&body).unwrap();
        let category = el(request_of(&doc, "S"), "cwaCategory");
        assert_eq!(category.attribute("instanceMask"), Some("805306368"));
        let state = el(category, "state");
        assert_eq!(state.attribute((XSI, "type")), Some("machineState"));
        assert_eq!(text_of(el(state, "availability")), "3500");
        state
            .children()
            .find(|n| n.tag_name().name() == "endpointLocation")
            .map(|n| text_of(n).to_string())
    };
    assert_eq!(
        read(Some(" Building \"40\" & <B> ")).as_deref(),
        Some("Building \"40\" & <B>")
    );
    assert_eq!(
        read(Some("")).as_deref(),
        Some(""),
        "present and empty clears it"
    );
    assert_eq!(read(None), None, "absent leaves it");
    let longest = "l".repeat(LOCATION_MAX_CHARS);
    assert!(Request::machine_state(3500, Some(&longest)).is_some());
    assert_eq!(
        Request::machine_state(3500, Some(&format!("{longest}l"))),
        None
    );
}

#[test]
fn subscribe_unsubscribe_query_and_terminate() {
    let uris = vec![
        "sip:sara@contoso.com".to_string(),
        "sip:o'brien&co@contoso.com".to_string(),
    ];
    let body = encode_requests(
        "S",
        &[
            (7, Request::SubscribePresence { uris: &uris }),
            (8, Request::UnsubscribePresence { uris: &uris }),
            (9, Request::QueryPresence { uris: &uris }),
            (10, Request::TerminateSession),
        ],
    );
    let doc = Document::parse(&body).unwrap();
    let requests = requests_in(&doc);
    let names: Vec<_> = requests
        .iter()
        .map(|r| (r.tag_name().name(), r.attribute("rid").unwrap()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("subscribePresence", "7"),
            ("unSubscribePresence", "8"),
            ("queryPresence", "9"),
            ("terminateSession", "10"),
        ]
    );
    for request in &requests[..3] {
        let sent: Vec<_> = el(*request, "uris")
            .children()
            .filter(Node::is_element)
            .map(|u| text_of(u).to_string())
            .collect();
        assert_eq!(sent, uris);
    }
    assert!(requests[3].children().next().is_none());
}

#[test]
fn logon_bodies_forms_and_windows() {
    let forms = encode_logon(Some("CONTOSO\\dana"), Some(" p<&>\"ss' "));
    let doc = Document::parse(&forms).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some(NS));
    assert_eq!(root.attribute("sid"), None);
    let logon = el(root, "logon");
    assert_eq!(logon.attribute("rid"), None);
    assert_eq!(text_of(el(logon, "user")), "CONTOSO\\dana");
    assert_eq!(
        text_of(el(logon, "password")),
        " p<&>\"ss' ",
        "sent as typed"
    );

    let iwa = encode_logon(None, None);
    let doc = Document::parse(&iwa).unwrap();
    let logon = el(doc.root_element(), "logon");
    assert!(logon.children().next().is_none());
    let user_only = encode_logon(Some("dana@contoso.com"), None);
    assert!(!user_only.contains("password"), "{user_only}");
}

#[test]
fn a_sid_with_markup_is_escaped() {
    let body = encode_requests("a\"b<c", &[(2, Request::TerminateSession)]);
    let doc = Document::parse(&body).unwrap();
    request_of(&doc, "a\"b<c");
}
