//! CWA errors in their three documented shapes: `<error code subCode reason detail>` (bb969595),
//! `<requestFailed rid eid><error code warning description/><sipResponse …/></requestFailed>`
//! (bb969622) and `<exception>…<exceptionDetail>…<sipResponse code/>` (bb969635). Codes from the
//! CWA event log (dd572614).

use std::fmt;

/// One error, whichever shape it came in.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CwaError {
    pub code: Option<u32>,
    pub sub_code: Option<u32>,
    /// `reason`, `description` or the exception's text: what the server said, for the console.
    pub reason: Option<String>,
    /// The `sipResponse` code, when one came.
    pub sip_code: Option<u16>,
}

impl CwaError {
    pub const INVALID_FORMAT: u32 = 18000;
    pub const INVALID_REQUEST: u32 = 18001;
    pub const SESSION_NOT_FOUND: u32 = 18100;
    pub const THROTTLED: u32 = 18101;
    pub const INVALID_OPERATION: u32 = 18102;
    pub const OCS_FAILURE: u32 = 18201;
    pub const OCS_INVALID_MESSAGE: u32 = 18202;
    pub const OCS_TIMEOUT: u32 = 18203;
    pub const CONNECTION_FAILED: u32 = 18301;
    pub const TLS_FAILED: u32 = 18302;
    pub const INTERNAL_FAILURE: u32 = 18400;

    /// 18100: the session is gone (expired, terminated): start a new one.
    pub fn is_session_lost(&self) -> bool {
        self.code == Some(Self::SESSION_NOT_FOUND)
    }
}

impl fmt::Display for CwaError {
    /// "CWA error 18100 (session not found): <reason>"-style text for the console.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let _ = f;
        todo!()
    }
}

/// A reply or event page that is not the XML it should be.
#[derive(Clone, Debug, PartialEq)]
pub struct XmlError(pub String);

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a CWA XML document: {}", self.0)
    }
}
