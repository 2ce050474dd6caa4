//! One row per documented code and status (CWA2007.md, dd572614) and step.

use crate::protocol::cwa2007::failure::{decide, CwaFailure, CwaStep};
use crate::protocol::cwa2007::CwaError;
use crate::protocol::failure::{Action, NetworkKind, Reason};

use CwaStep::*;

const STEPS: [CwaStep; 5] = [Logon, InitiateSession, Poll, Publish, Subscribe];

fn code(code: u32) -> CwaFailure {
    CwaFailure::Cwa(CwaError {
        code: Some(code),
        reason: Some("said the server".into()),
        ..CwaError::default()
    })
}

fn status(status: u16) -> CwaFailure {
    CwaFailure::Http {
        status,
        error: None,
    }
}

fn kind(action: &Action) -> &'static str {
    match action {
        Action::Proceed => "proceed",
        Action::Retry => "retry",
        Action::WaitForNetwork => "wait",
        Action::SignIn => "sign-in",
        Action::AskCredentials(_) => "ask",
        Action::RecreateApplication => "recreate",
        Action::RecreateSubscription => "resubscribe",
        Action::MakeMeAvailable => "make-available",
        Action::GiveUp(_) => "give-up",
        Action::Stop(_) => "stop",
    }
}

#[test]
fn session_not_found_recreates_the_session_in_every_step() {
    for step in STEPS {
        assert_eq!(
            decide(step, &code(18100)),
            Action::RecreateApplication,
            "{step:?}"
        );
    }
}

#[test]
fn throttling_and_server_side_codes_are_retried() {
    for c in [18101, 18201, 18202, 18203, 18301, 18302, 18400] {
        for step in STEPS {
            assert_eq!(decide(step, &code(c)), Action::Retry, "{c} {step:?}");
        }
    }
}

#[test]
fn request_errors_give_up_that_request_or_retry_the_session_steps() {
    for c in [18000, 18001, 18102, 17000] {
        for (step, expected) in [
            (Publish, "give-up"),
            (Subscribe, "give-up"),
            (Poll, "retry"),
            (InitiateSession, "retry"),
            (Logon, "ask"),
        ] {
            assert_eq!(kind(&decide(step, &code(c))), expected, "{c} {step:?}");
        }
    }
    let Action::GiveUp(Reason::Client(text)) = decide(Publish, &code(18102)) else {
        panic!()
    };
    assert!(
        text.contains("18102") && text.contains("said the server"),
        "{text}"
    );
    assert_eq!(
        decide(Logon, &code(18001)),
        Action::AskCredentials(Reason::CredentialsRefused)
    );
}

#[test]
fn a_401_signs_in_again_or_asks_for_the_password() {
    assert_eq!(
        decide(Logon, &status(401)),
        Action::AskCredentials(Reason::CredentialsRefused)
    );
    for step in [InitiateSession, Poll, Publish, Subscribe] {
        assert_eq!(decide(step, &status(401)), Action::SignIn, "{step:?}");
    }
}

#[test]
fn server_errors_and_the_network_are_retried() {
    for s in [500, 502, 503, 504] {
        for step in STEPS {
            assert_eq!(decide(step, &status(s)), Action::Retry, "{s} {step:?}");
        }
    }
    for step in STEPS {
        for kind in [NetworkKind::Timeout, NetworkKind::Unreachable] {
            assert_eq!(decide(step, &CwaFailure::Network(kind)), Action::Retry);
        }
        assert_eq!(
            decide(step, &CwaFailure::Network(NetworkKind::Offline)),
            Action::WaitForNetwork
        );
    }
}

#[test]
fn a_403_stops_the_session_steps_and_gives_up_a_request() {
    let refused = CwaFailure::Http {
        status: 403,
        error: Some(CwaError {
            code: Some(18001),
            reason: Some("not allowed".into()),
            ..CwaError::default()
        }),
    };
    let expected = Reason::Refused {
        status: 403,
        subcode: Some("18001".into()),
        message: Some("not allowed".into()),
    };
    assert_eq!(decide(Poll, &refused), Action::Stop(expected.clone()));
    assert_eq!(
        decide(InitiateSession, &refused),
        Action::Stop(expected.clone())
    );
    assert_eq!(decide(Publish, &refused), Action::GiveUp(expected.clone()));
    assert_eq!(decide(Logon, &refused), Action::AskCredentials(expected));
}

#[test]
fn a_404_logon_names_the_data_cwa_address() {
    let Action::GiveUp(Reason::Client(text)) = decide(Logon, &status(404)) else {
        panic!()
    };
    assert!(text.contains("data-cwa"), "{text}");
    assert!(matches!(
        decide(Poll, &status(404)),
        Action::Stop(Reason::Refused { status: 404, .. })
    ));
    assert!(matches!(decide(Subscribe, &status(404)), Action::GiveUp(_)));
}

#[test]
fn a_cwa_error_in_a_4xx_body_is_read_by_its_code() {
    let bad = |c| CwaFailure::Http {
        status: 400,
        error: Some(CwaError {
            code: Some(c),
            ..CwaError::default()
        }),
    };
    assert_eq!(decide(Poll, &bad(18100)), Action::RecreateApplication);
    assert_eq!(decide(Publish, &bad(18101)), Action::Retry);
    assert_eq!(kind(&decide(Publish, &bad(18000))), "give-up");
    assert_eq!(kind(&decide(Poll, &status(400))), "stop");
}

#[test]
fn malformed_replies() {
    let malformed = CwaFailure::Malformed("not a CWA XML document".into());
    assert_eq!(decide(Poll, &malformed), Action::Retry);
    assert_eq!(decide(InitiateSession, &malformed), Action::Retry);
    assert_eq!(kind(&decide(Publish, &malformed)), "give-up");
    assert_eq!(kind(&decide(Subscribe, &malformed)), "give-up");
    assert_eq!(kind(&decide(Logon, &malformed)), "ask");
}
