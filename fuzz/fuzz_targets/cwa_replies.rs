//! CWA 2007 command channel replies (`protocol::cwa2007::parse_replies`): an error exactly when
//! the body is not XML roxmltree reads or its root is neither `cwaResponses` nor a bare
//! `error`/`exception`; never more replies than the root has child elements.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ucwa_fuzz::text;
use ucwa_presence::protocol::cwa2007::parse_replies;

fuzz_target!(|data: &[u8]| {
    let Some(xml) = text(data) else { return };
    let replies = parse_replies(xml);
    let doc = (!xml.trim().is_empty())
        .then(|| roxmltree::Document::parse(xml).ok())
        .flatten();
    let root = doc.as_ref().map(|d| d.root_element());
    let named = |name: &str| root.is_some_and(|r| r.tag_name().name().eq_ignore_ascii_case(name));
    let accepted = named("cwaResponses") || named("error") || named("exception");
    assert_eq!(replies.is_ok(), accepted, "{xml:?}: {replies:?}");
    if let (Ok(replies), Some(root)) = (replies, root) {
        let children = root.children().filter(|n| n.is_element()).count();
        assert!(replies.len() <= children.max(1), "{xml:?}: {replies:?}");
    }
});
