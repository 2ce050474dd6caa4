//! CWA 2007 data channel replies (`protocol::cwa2007::parse_events`): an error exactly when the
//! body is not XML roxmltree reads (blank included) or its root is not `cwaEvents`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ucwa_fuzz::text;
use ucwa_presence::protocol::cwa2007::parse_events;

fuzz_target!(|data: &[u8]| {
    let Some(xml) = text(data) else { return };
    let page = parse_events(xml);
    let root_ok = !xml.trim().is_empty()
        && roxmltree::Document::parse(xml).is_ok_and(|doc| {
            doc.root_element()
                .tag_name()
                .name()
                .eq_ignore_ascii_case("cwaEvents")
        });
    assert_eq!(page.is_ok(), root_ok, "{xml:?}: {page:?}");
    if let Ok(page) = page {
        for event in &page.events {
            let _ = event.eid();
        }
    }
});
