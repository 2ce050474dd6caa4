//! The command channel's synchronous reply `<cwaResponses>` (bb969562, bb969490, bb969634,
//! bb969517): one element per request.

use super::error::{CwaError, XmlError};

#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// `requestSucceeded`: done.
    Succeeded { rid: Option<u32> },
    /// `requestAccepted`: the outcome comes later as an event with this rid.
    Accepted { rid: Option<u32> },
    /// The reply to `initiateSession`, in either documented shape:
    /// `<initiateSessionAccepted rid sid pollWaitTime/>` or `<requestAccepted rid>` with
    /// children `sid`, `uri`, `pollWaitTime`.
    SessionStarted {
        rid: Option<u32>,
        sid: String,
        poll_wait_ms: Option<u32>,
        uri: Option<String>,
    },
    /// `requestRejected`.
    Rejected {
        rid: Option<u32>,
        error: Option<CwaError>,
    },
    /// `requestFailed`, or a bare `error`/`exception` (then without a rid).
    Failed { rid: Option<u32>, error: CwaError },
}

/// Reads a command channel (or logon) reply: a `cwaResponses` root, or a bare `error` /
/// `exception` root (one [`Reply::Failed`]). Unknown children are skipped. Not XML → error.
pub fn parse_replies(xml: &str) -> Result<Vec<Reply>, XmlError> {
    todo!("{xml}")
}
