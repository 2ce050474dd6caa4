//! Bad input gives an XmlError (or skipped parts), never a panic.

use super::examples::*;
use crate::protocol::cwa2007::*;

#[test]
fn truncated_wrong_root_empty_and_binary_input_are_errors() {
    let truncated = &SEED_USER_PRESENCE[..SEED_USER_PRESENCE.len() / 2];
    let binary = String::from_utf8_lossy(&[0xff, 0x00, 0x3c, 0x9f, 0x12, 0x3e]).into_owned();
    for bad in [
        truncated,
        "",
        " ",
        "<cwaResponses/>",
        "<html><head><title>Sign in</title></head></html>",
        "{\"json\":true}",
        binary.as_str(),
        "<cwaEvents><userPresence></cwaEvents>",
        "<!DOCTYPE cwaEvents [<!ENTITY a \"aaaa\">]><cwaEvents>&a;</cwaEvents>",
    ] {
        let error = parse_events(bad).unwrap_err();
        assert!(!error.to_string().is_empty());
    }
    for bad in [
        &SESSION_ACCEPTED_ELEMENTS[..40],
        "",
        "<cwaEvents/>",
        binary.as_str(),
    ] {
        assert!(parse_replies(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn the_error_names_the_wrong_root() {
    let error = parse_events("<cwaResponses/>").unwrap_err();
    assert!(error.0.contains("cwaResponses"), "{error}");
}

#[test]
fn elements_in_the_wrong_places_are_skipped() {
    let page = parse_events(
        r#"<cwaEvents><selfPresence eid="1"><cwaCategory name="state"><note/></cwaCategory><cwaCategory><state/></cwaCategory><cwaCategory name="note"/><cwaCategory name="contactCard" instance="x"/></selfPresence></cwaEvents>"#,
    )
    .unwrap();
    let Event::SelfPresence { categories, .. } = &page.events[0] else {
        panic!()
    };
    assert!(categories.states.is_empty());
    assert_eq!(categories.note, Some(Note::default()));
    assert_eq!(categories.card, Some(ContactCard::default()));
}
