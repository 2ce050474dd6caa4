//! Event-channel pages (`protocol::events`): an error exactly when the body is not a JSON object
//! with a `_links` object; a page never invents a `next` the body does not hold.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ucwa_fuzz::text;
use ucwa_presence::protocol::json::{self, Value};
use ucwa_presence::protocol::parse_event_page;

fuzz_target!(|data: &[u8]| {
    let Some(body) = text(data) else { return };
    let page = parse_event_page(body);
    let links = json::parse(body, "fuzz")
        .ok()
        .and_then(|v| v.get("_links").filter(|l| l.is_object()).cloned());
    assert_eq!(page.is_ok(), links.is_some(), "{body:?}: {page:?}");
    if let (Ok(page), Some(links)) = (page, links) {
        let href = |rel: &str| {
            links
                .get(rel)
                .and_then(|l| l.get("href"))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        if page.next.is_some() {
            assert_eq!(page.next, href("next"), "{body:?}");
        }
        if page.resync.is_some() {
            assert_eq!(page.resync, href("resync"), "{body:?}");
        }
        if page.resume.is_some() {
            assert_eq!(page.resume, href("resume"), "{body:?}");
        }
    }
});
