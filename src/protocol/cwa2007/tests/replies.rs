use super::examples::*;
use crate::protocol::cwa2007::*;

#[test]
fn both_initiate_session_replies_start_the_session() {
    assert_eq!(
        parse_replies(SESSION_ACCEPTED_ATTRIBUTES).unwrap(),
        vec![Reply::SessionStarted {
            rid: Some(1),
            sid: "42".into(),
            poll_wait_ms: Some(1000),
            uri: None,
        }]
    );
    assert_eq!(
        parse_replies(SESSION_ACCEPTED_ELEMENTS).unwrap(),
        vec![Reply::SessionStarted {
            rid: Some(1),
            sid: "42".into(),
            poll_wait_ms: Some(1000),
            uri: Some("sip:dana@contoso.com".into()),
        }]
    );
}

#[test]
fn an_initiate_session_reply_without_sid_is_a_failure() {
    let replies =
        parse_replies(r#"<cwaResponses><initiateSessionAccepted rid="1"/></cwaResponses>"#)
            .unwrap();
    assert!(
        matches!(replies.as_slice(), [Reply::Failed { rid: Some(1), error }] if error.code.is_none()),
        "{replies:?}"
    );
}

#[test]
fn succeeded_accepted_rejected_failed_invalid_and_unknown_children() {
    let xml = r#"<cwaResponses sid="42" xmlns="http://schemas.microsoft.com/2006/09/rtc/cwa">
      <requestSucceeded rid="2"/>
      <requestAccepted rid="3"/>
      <requestRejected rid="4"/>
      <requestRejected rid="5"><error code="18101" reason="throttled"/></requestRejected>
      <requestFailed rid="6"><error code="18001" warning="" description="bad uri"/></requestFailed>
      <requestInvalid rid="7"><error code="18000"/></requestInvalid>
      <somethingNew rid="8"/>
    </cwaResponses>"#;
    let replies = parse_replies(xml).unwrap();
    assert_eq!(replies.len(), 6, "{replies:?}");
    assert_eq!(replies[0], Reply::Succeeded { rid: Some(2) });
    assert_eq!(replies[1], Reply::Accepted { rid: Some(3) });
    assert_eq!(
        replies[2],
        Reply::Rejected {
            rid: Some(4),
            error: None
        }
    );
    let Reply::Rejected {
        error: Some(throttled),
        ..
    } = &replies[3]
    else {
        panic!()
    };
    assert_eq!(throttled.code, Some(CwaError::THROTTLED));
    let Reply::Failed { rid, error } = &replies[4] else {
        panic!()
    };
    assert_eq!((*rid, error.code), (Some(6), Some(18001)));
    assert_eq!(error.reason.as_deref(), Some("bad uri"));
    assert!(
        matches!(&replies[5], Reply::Failed { rid: Some(7), error } if error.code == Some(18000))
    );
}

#[test]
fn the_logon_reply_and_its_refusal() {
    assert_eq!(
        parse_replies(r#"<cwaResponses xmlns="http://schemas.microsoft.com/2006/09/rtc/cwa"><requestSucceeded/></cwaResponses>"#).unwrap(),
        vec![Reply::Succeeded { rid: None }]
    );
    let refused = parse_replies(
        r#"<cwaResponses xmlns="http://schemas.microsoft.com/2006/09/rtc/cwa"><error code="18001" reason="bad password"/></cwaResponses>"#,
    )
    .unwrap();
    assert!(
        matches!(refused.as_slice(), [Reply::Failed { rid: None, error }] if error.code == Some(18001))
    );
}

#[test]
fn a_root_other_than_cwa_responses_is_an_error() {
    assert!(parse_replies("<cwaEvents/>").is_err());
    assert!(parse_replies("<html><body>Sign in</body></html>").is_err());
}
