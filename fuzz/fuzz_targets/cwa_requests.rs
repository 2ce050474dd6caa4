//! CWA 2007 requests (`protocol::cwa2007::encode_requests`, `encode_logon`): whatever the sid,
//! note, location, URIs, user and password, the request is XML that reads back (roxmltree) to the
//! same values: trimmed where the encoder trims, with the characters XML cannot carry dropped.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use roxmltree::{Document, Node};
use ucwa_presence::protocol::cwa2007::{encode_logon, encode_requests, Request};

#[derive(Arbitrary, Debug)]
struct Input {
    sid: String,
    rid: u32,
    note: String,
    availability: u32,
    location: Option<String>,
    uris: Vec<String>,
    user: Option<String>,
    password: Option<String>,
}

/// What a value reads back as: without the characters XML 1.0 forbids.
fn carried(value: &str) -> String {
    value
        .chars()
        .filter(|c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..))
        .collect()
}

fn element<'a, 'i>(doc: &'a Document<'i>, name: &str) -> Vec<Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == name)
        .collect()
}

fn text_of(node: Node<'_, '_>) -> String {
    node.children().filter_map(|n| n.text()).collect()
}

fuzz_target!(|input: Input| {
    let mut requests = vec![(input.rid, Request::SubscribePresence { uris: &input.uris })];
    requests.extend(Request::note(&input.note).map(|r| (input.rid.wrapping_add(1), r)));
    requests.extend(
        Request::machine_state(input.availability, input.location.as_deref())
            .map(|r| (input.rid.wrapping_add(2), r)),
    );
    let xml = encode_requests(&input.sid, &requests);
    let doc = Document::parse(&xml).unwrap_or_else(|e| panic!("{e}: {xml:?}"));
    let root = doc.root_element();
    assert_eq!(root.attribute("sid"), Some(carried(&input.sid).as_str()));
    let rids: Vec<String> = root
        .children()
        .filter(|n| n.is_element())
        .filter_map(|n| n.attribute("rid").map(str::to_string))
        .collect();
    let expected: Vec<String> = requests.iter().map(|(rid, _)| rid.to_string()).collect();
    assert_eq!(rids, expected, "{xml:?}");
    let uris: Vec<String> = element(&doc, "uri").into_iter().map(text_of).collect();
    let sent: Vec<String> = input.uris.iter().map(|u| carried(u.trim())).collect();
    assert_eq!(uris, sent, "{xml:?}");
    if Request::note(&input.note).is_some() {
        let body = element(&doc, "body");
        assert_eq!(body.len(), 1, "{xml:?}");
        assert_eq!(text_of(body[0]), carried(input.note.trim()), "{xml:?}");
    }
    if let (Some(location), Some(_)) = (
        &input.location,
        Request::machine_state(input.availability, input.location.as_deref()),
    ) {
        let read = element(&doc, "endpointLocation");
        assert_eq!(read.len(), 1, "{xml:?}");
        assert_eq!(text_of(read[0]), carried(location.trim()), "{xml:?}");
    }

    let logon = encode_logon(input.user.as_deref(), input.password.as_deref());
    let doc = Document::parse(&logon).unwrap_or_else(|e| panic!("{e}: {logon:?}"));
    let user = element(&doc, "user").first().map(|n| text_of(*n));
    assert_eq!(user, input.user.as_deref().map(|u| carried(u.trim())));
    let password = element(&doc, "password").first().map(|n| text_of(*n));
    let expected = input
        .user
        .as_ref()
        .and(input.password.as_deref())
        .map(carried);
    assert_eq!(password, expected, "{logon:?}");
});
