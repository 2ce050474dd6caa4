use super::examples::*;
use crate::protocol::cwa2007::*;

fn failed(xml: &str) -> CwaError {
    match parse_replies(xml).unwrap().as_slice() {
        [Reply::Failed { error, .. }] => error.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_error_shape_reads_code_subcode_reason_and_sip() {
    let error = failed(ERROR_SHAPE);
    assert_eq!(
        error,
        CwaError {
            code: Some(18100),
            sub_code: Some(0),
            reason: Some("Session not found".into()),
            sip_code: Some(481),
        }
    );
}

#[test]
fn the_request_failed_shape_reads_description_and_sip() {
    let xml = format!(r#"<cwaResponses>{REQUEST_FAILED_SHAPE}</cwaResponses>"#);
    let replies = parse_replies(&xml).unwrap();
    let [Reply::Failed { rid, error }] = replies.as_slice() else {
        panic!("{replies:?}")
    };
    assert_eq!(*rid, Some(7));
    assert_eq!(error.code, Some(18100));
    assert_eq!(error.reason.as_deref(), Some("Session not found"));
    assert_eq!(error.sip_code, Some(404));
}

#[test]
fn the_exception_shape_as_root_in_replies_and_in_request_failed() {
    for xml in [
        EXCEPTION_SHAPE.to_string(),
        format!("<cwaResponses>{EXCEPTION_SHAPE}</cwaResponses>"),
        format!(
            r#"<cwaResponses><requestFailed rid="3">{EXCEPTION_SHAPE}</requestFailed></cwaResponses>"#
        ),
    ] {
        let error = failed(&xml);
        assert!(error.is_session_lost(), "{xml}");
        assert_eq!(error.reason.as_deref(), Some("Session not found"));
        assert_eq!(error.sip_code, Some(481));
    }
}

#[test]
fn exception_variants_are_read_tolerantly() {
    let code_in_detail = failed(
        r#"<exception><exceptionDetail code="18203">OCS did not answer</exceptionDetail></exception>"#,
    );
    assert_eq!(code_in_detail.code, Some(18203));
    assert_eq!(code_in_detail.reason.as_deref(), Some("OCS did not answer"));
    let code_as_child = failed(
        r#"<exception><code>18101</code><message>Slow down</message><exceptionDetail/></exception>"#,
    );
    assert_eq!(code_as_child.code, Some(18101));
    assert_eq!(code_as_child.reason.as_deref(), Some("Slow down"));
    let nested = failed(r#"<exception><error code="18400" reason="boom"/></exception>"#);
    assert_eq!(
        (nested.code, nested.reason.as_deref()),
        (Some(18400), Some("boom"))
    );
    let bare = failed("<exception>Something broke</exception>");
    assert_eq!(
        (bare.code, bare.reason.as_deref()),
        (None, Some("Something broke"))
    );
}

#[test]
fn display_names_the_code() {
    let error = failed(ERROR_SHAPE);
    assert_eq!(
        error.to_string(),
        "CWA error 18100 (session not found), subcode 0, SIP 481: Session not found"
    );
    assert_eq!(CwaError::default().to_string(), "CWA error");
    for code in [
        18000, 18001, 18100, 18101, 18102, 18201, 18202, 18203, 18301, 18302, 18400,
    ] {
        assert!(CwaError::code_name(code).is_some(), "{code}");
    }
    assert_eq!(CwaError::code_name(12345), None);
}
