//! Event-channel pages (`protocol::events`): an error exactly when the body is not a JSON object
//! with a `_links` object; its `next`, `resync` and `resume` are hrefs the body holds under that
//! name (ASCII case ignored, as the widget reads links), and a lone such link is never missed.
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
        for (rel, found) in [
            ("next", &page.next),
            ("resync", &page.resync),
            ("resume", &page.resume),
        ] {
            let held = held(&links, rel);
            if let Some(href) = found {
                assert!(held.contains(href), "{rel} {href:?} is not in {body:?}");
            }
            // One link of that name (in any case) with a string href: it is read.
            if let [only] = held.as_slice() {
                if members(&links, rel).count() == 1 {
                    assert_eq!(found.as_ref(), Some(only), "{rel} of {body:?}");
                }
            }
        }
    }
});

/// The members of `links` named `rel`, ASCII case ignored (as the widget reads them).
fn members<'a>(links: &'a Value, rel: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    links
        .as_object()
        .unwrap_or_default()
        .iter()
        .filter(move |(key, _)| key.eq_ignore_ascii_case(rel))
        .map(|(_, link)| link)
}

/// Every string href a link named `rel` holds: of the link object, or of an array's items.
fn held(links: &Value, rel: &str) -> Vec<String> {
    let href = |link: &Value| link.get("href").and_then(Value::as_str).map(str::to_string);
    members(links, rel)
        .flat_map(|link| match link {
            Value::Array(items) => items.iter().filter_map(href).collect(),
            other => href(other).into_iter().collect::<Vec<_>>(),
        })
        .collect()
}
