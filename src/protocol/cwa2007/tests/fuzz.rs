//! Random input (proptest, a native-only dev-dependency): never a panic.

use proptest::prelude::*;

use crate::protocol::cwa2007::*;

proptest! {
    #[test]
    fn random_text_never_panics(s in ".{0,200}") {
        let _ = parse_events(&s);
        let _ = parse_replies(&s);
    }

    #[test]
    fn random_attributes_never_panic(eid in "\\PC{0,12}", value in "\\PC{0,12}", token in "[a-zA-Z-]{0,12}") {
        let esc = |v: &str| v.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
        let xml = format!(
            r#"<cwaEvents ackId="{e}" pollWaitTime="{e}"><userPresence eid="{e}"><user uri="sip:a@b"><cwaCategory name="state" instance="{e}"><state><availability>{v}</availability><activity token="{token}"/></state></cwaCategory></user></userPresence><requestFailed rid="{e}"><error code="{v}"/></requestFailed></cwaEvents>"#,
            e = esc(&eid),
            v = esc(&value),
        );
        let page = parse_events(&xml);
        prop_assert!(page.is_ok(), "{xml}");
        let page = page.unwrap();
        prop_assert_eq!(page.events.len(), 2);
        let mut channel = DataChannel::new(eid, None);
        let fresh = channel.accept(page);
        prop_assert!(fresh.len() <= 2);
    }

    #[test]
    fn any_note_round_trips_without_forbidden_characters(message in "\\PC{0,80}") {
        let Some(request) = requests::Request::note(&message) else {
            return Ok(());
        };
        let body = encode_requests("1", &[(2, request)]);
        let doc = roxmltree::Document::parse(&body);
        prop_assert!(doc.is_ok(), "{body}");
    }
}
