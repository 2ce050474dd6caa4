//! Resources (`protocol::resources`, the token response, error bodies): each parser fails exactly
//! when the body is not a JSON object (a wrong-typed member takes its default instead).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ucwa_fuzz::{is_json_object, text};
use ucwa_presence::protocol::auth::TokenError;
use ucwa_presence::protocol::resources::MembershipList;
use ucwa_presence::protocol::{
    parse_error, parse_groups, Application, Contact, ContactList, ContactPresence, FromJson, Me,
    People, PresenceSubscription, Root, TokenResponse, User,
};

fn check<T: FromJson + std::fmt::Debug>(body: &str, object: bool) {
    let parsed = T::parse(body);
    assert_eq!(parsed.is_ok(), object, "{} of {body:?}: {parsed:?}", T::WHAT);
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
    check::<ContactList>(body, object);
    check::<MembershipList>(body, object);
    check::<TokenResponse>(body, object);
    check::<TokenError>(body, object);
    if let Ok(contact) = Contact::parse(body) {
        let _ = contact.sip_uri();
    }
    if let Ok(groups) = parse_groups(body) {
        assert!(object, "groups from a non-object {body:?}");
        let _ = groups.len();
    }
    let error = parse_error(404, Some("application/json"), body);
    assert_eq!(error.status, 404, "{body:?}");
    let _ = parse_error(500, None, body).to_string();
});
