//! Notes and locations (contactNote_ref, note_ref, contactLocation_ref, location_ref): the
//! resources read, and the bodies of `POST me/note` and `POST me/location`.

use super::fields::{opt_string, FromJson};
use super::hal::Links;
use super::json::{ObjectWriter, Value};
use super::resources::links;

/// The longest note the widget sends (UCWA.md; the `<ucwa-status>` field's `maxlength`).
pub const NOTE_MAX_CHARS: usize = 500;
/// The longest location the widget sends (UCWA.md).
pub const LOCATION_MAX_CHARS: usize = 60;

/// A note (`contactNote`, `me/note`): `type` is `Personal` or `OutOfOffice` (NoteType_ref). The
/// server aggregates the two: the out-of-office note when one is set in Exchange, else the
/// personal note.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Note {
    /// `None` when absent, blank or not a string.
    pub message: Option<String>,
    /// JSON `type`.
    pub note_type: Option<String>,
    pub links: Links,
}

impl FromJson for Note {
    const WHAT: &'static str = "note";
    fn from_json(value: &Value) -> Self {
        Note {
            message: opt_string(value, "message"),
            note_type: opt_string(value, "type"),
            links: links(value),
        }
    }
}

impl Note {
    /// Whether `type` says `OutOfOffice` (any case).
    pub fn is_out_of_office(&self) -> bool {
        self.note_type
            .as_deref()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("OutOfOffice"))
    }
}

/// A location (`contactLocation`, `me/location`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Location {
    /// `None` when absent, blank or not a string.
    pub location: Option<String>,
    pub links: Links,
}

impl FromJson for Location {
    const WHAT: &'static str = "location";
    fn from_json(value: &Value) -> Self {
        Location {
            location: opt_string(value, "location"),
            links: links(value),
        }
    }
}

/// Body of `POST me/note` (note_ref): `{"message":…}`, trimmed; blank resets the personal note.
/// `None` when longer than [`NOTE_MAX_CHARS`] (refused, never truncated).
pub fn note_body(message: &str) -> Option<String> {
    body("message", message, NOTE_MAX_CHARS)
}

/// Body of `POST me/location` (location_ref): `{"location":…}`, trimmed; blank clears it.
/// `None` when longer than [`LOCATION_MAX_CHARS`].
pub fn location_body(location: &str) -> Option<String> {
    body("location", location, LOCATION_MAX_CHARS)
}

fn body(key: &str, value: &str, max: usize) -> Option<String> {
    let value = value.trim();
    (value.chars().count() <= max).then(|| ObjectWriter::new().string(key, value).finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::json;

    /// contactNote_ref, JSON response.
    const CONTACT_NOTE: &str = r#"{
      "rel" : "contactNote",
      "message" : "Heads down today",
      "type" : "Personal",
      "_links" : {
        "self" : {
          "href" : "/ucwa/v1/applications/192/people/282/contactNote"
        }
      }
    }"#;

    /// note_ref, JSON response.
    const MY_NOTE: &str = r#"{
      "rel" : "note",
      "message" : "Heads down today",
      "type" : "Personal",
      "_links" : {
        "self" : {
          "href" : "/ucwa/v1/applications/192/me/note"
        }
      }
    }"#;

    /// contactLocation_ref, JSON response.
    const CONTACT_LOCATION: &str = r#"{
      "rel" : "contactLocation",
      "location" : "By the beach...",
      "_links" : {
        "self" : {
          "href" : "/ucwa/v1/applications/192/people/282/contactLocation"
        }
      }
    }"#;

    /// location_ref, JSON response.
    const MY_LOCATION: &str = r#"{
      "rel" : "location",
      "location" : "By the beach...",
      "_links" : {
        "self" : {
          "href" : "/ucwa/v1/applications/192/me/location"
        }
      }
    }"#;

    #[test]
    fn documented_notes() {
        for (body, href) in [
            (
                CONTACT_NOTE,
                "/ucwa/v1/applications/192/people/282/contactNote",
            ),
            (MY_NOTE, "/ucwa/v1/applications/192/me/note"),
        ] {
            let note = Note::parse(body).unwrap();
            assert_eq!(note.message.as_deref(), Some("Heads down today"));
            assert_eq!(note.note_type.as_deref(), Some("Personal"));
            assert!(!note.is_out_of_office());
            assert_eq!(note.links.href("self"), Some(href));
        }
    }

    #[test]
    fn out_of_office_in_any_case() {
        for kind in ["OutOfOffice", "outofoffice", " OUTOFOFFICE "] {
            let body = ObjectWriter::new()
                .string("message", "Back Monday")
                .string("type", kind)
                .finish();
            let note = Note::parse(&body).unwrap();
            assert!(note.is_out_of_office(), "{kind}");
            assert_eq!(note.message.as_deref(), Some("Back Monday"));
        }
        for kind in [r#""Personal""#, r#""Out of office""#, "3", "null", "[]"] {
            let note = Note::parse(&format!(r#"{{"message":"m","type":{kind}}}"#)).unwrap();
            assert!(!note.is_out_of_office(), "{kind}");
        }
    }

    #[test]
    fn blank_or_odd_fields_degrade_alone() {
        for message in [r#""""#, r#""   ""#, "null", "42", "{}", r#"["x"]"#] {
            let body = format!(r#"{{"message":{message},"type":"OutOfOffice"}}"#);
            let note = Note::parse(&body).unwrap();
            assert_eq!(note.message, None, "{message}");
            assert!(note.is_out_of_office(), "the type survives {message}");
        }
        let note = Note::parse(r#"{"message":"m","_links":7}"#).unwrap();
        assert_eq!(
            (note.message.as_deref(), note.links),
            (Some("m"), Links::default())
        );
        let place =
            Location::parse(r#"{"location":false,"_links":{"self":{"href":"/l"}}}"#).unwrap();
        assert_eq!(
            (place.location, place.links.href("self")),
            (None, Some("/l"))
        );
        for bad in ["", "[]", "\"x\"", "{"] {
            assert!(Note::parse(bad).is_err(), "{bad}");
            assert!(Location::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn documented_locations() {
        for (body, href) in [
            (
                CONTACT_LOCATION,
                "/ucwa/v1/applications/192/people/282/contactLocation",
            ),
            (MY_LOCATION, "/ucwa/v1/applications/192/me/location"),
        ] {
            let place = Location::parse(body).unwrap();
            assert_eq!(place.location.as_deref(), Some("By the beach..."));
            assert_eq!(place.links.href("self"), Some(href));
        }
    }

    #[test]
    fn request_bodies_are_escaped_and_trimmed() {
        assert_eq!(
            note_body("  Heads down today \n").as_deref(),
            Some(r#"{"message":"Heads down today"}"#)
        );
        assert_eq!(note_body("   ").as_deref(), Some(r#"{"message":""}"#));
        let nasty = "say \"hi\" \\ <b>\u{1}";
        let body = note_body(nasty).unwrap();
        let back = json::parse(&body, "test").unwrap();
        assert_eq!(back.get("message").and_then(Value::as_str), Some(nasty));
        // location_ref's request (its spaces left out there).
        assert_eq!(
            location_body(" Bythebeach... ").as_deref(),
            Some(r#"{"location":"Bythebeach..."}"#)
        );
        assert_eq!(location_body("").as_deref(), Some(r#"{"location":""}"#));
    }

    #[test]
    fn limits_count_characters_and_refuse_longer() {
        let at_limit = "é".repeat(NOTE_MAX_CHARS);
        assert!(note_body(&at_limit).is_some());
        assert_eq!(note_body(&format!("{at_limit}x")), None);
        let padded = format!("  {}  ", "a".repeat(LOCATION_MAX_CHARS));
        assert!(
            location_body(&padded).is_some(),
            "blanks around do not count"
        );
        assert_eq!(location_body(&"a".repeat(LOCATION_MAX_CHARS + 1)), None);
    }
}
