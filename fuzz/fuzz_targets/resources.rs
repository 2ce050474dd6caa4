//! Resources (`protocol::resources`, the token response, error bodies): each parser fails exactly
//! when the body is not a JSON object (the contact list and groups: not JSON; a wrong-typed member takes its default instead); a token
//! response read gives an `Authorization` header value without line breaks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ucwa_fuzz::{is_json_object, text};
use ucwa_presence::protocol::auth::TokenError;
use ucwa_presence::protocol::json;
use ucwa_presence::protocol::resources::MembershipList;
use ucwa_presence::protocol::{
    parse_error, parse_groups, Application, Contact, ContactList, ContactPresence, FromJson, Me,
    People, PresenceSubscription, Root, TokenResponse, User,
};

fn check<T: FromJson + std::fmt::Debug>(body: &str, object: bool) {
    let parsed = T::parse(body);
    assert_eq!(
        parsed.is_ok(),
        object,
        "{} of {body:?}: {parsed:?}",
        T::WHAT
    );
}

fuzz_target!(|data: &[u8]| {
    let Some(body) = text(data) else { return };
    let object = is_json_object(body);
    check::<Root>(body, object);
    check::<User>(body, object);
    check::<Application>(body, object);
    check::<Me>(body, object);
    check::<People>(body, object);
    check::<ContactPresence>(body, object);
    check::<Contact>(body, object);
    check::<PresenceSubscription>(body, object);
    // Documented: any JSON body is a contact list (one that is not an object is empty).
    check::<ContactList>(body, json::parse(body, "fuzz").is_ok());
    check::<MembershipList>(body, object);
    // A token response also needs a usable token; its `Authorization` value must be sendable.
    if let Ok(token) = TokenResponse::parse(body) {
        assert!(object && !token.access_token.trim().is_empty(), "{body:?}");
        let header = token.authorization();
        assert!(
            !header.contains(['\r', '\n', '\0']),
            "{body:?} gives {header:?}"
        );
    }
    check::<TokenError>(body, object);
    if let Ok(contact) = Contact::parse(body) {
        let _ = contact.sip_uri();
    }
    // Documented: fails only when the body is not JSON.
    assert_eq!(
        parse_groups(body).is_ok(),
        json::parse(body, "fuzz").is_ok(),
        "{body:?}"
    );
    let error = parse_error(404, Some("application/json"), body);
    assert_eq!(error.status, 404, "{body:?}");
    let _ = parse_error(500, None, body).to_string();
});
