//! The command channel's synchronous reply `<cwaResponses>` (bb969562, bb969490, bb969634,
//! bb969517): one element per request.

use roxmltree::Node;

use super::error::{error_in, CwaError, XmlError};
use super::xml::{attr, attr_num, child, child_text, elements, is, name_of, number, parse};

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
    let doc = parse(xml)?;
    let root = doc.root_element();
    if is(root, "error") || is(root, "exception") {
        return Ok(vec![Reply::Failed {
            rid: None,
            error: error_in(root),
        }]);
    }
    if !is(root, "cwaResponses") {
        return Err(XmlError(format!(
            "the root is <{}>, not <cwaResponses>",
            name_of(root)
        )));
    }
    Ok(elements(root).filter_map(read_reply).collect())
}

fn read_reply(node: Node<'_, '_>) -> Option<Reply> {
    let rid = attr_num(node, "rid");
    Some(match name_of(node).to_ascii_lowercase().as_str() {
        "requestsucceeded" => Reply::Succeeded { rid },
        "requestaccepted" => session_started(node, rid).unwrap_or(Reply::Accepted { rid }),
        "initiatesessionaccepted" => session_started(node, rid).unwrap_or(Reply::Failed {
            rid,
            error: CwaError {
                reason: Some("initiateSessionAccepted without a sid".to_string()),
                ..CwaError::default()
            },
        }),
        "requestrejected" => Reply::Rejected {
            rid,
            error: (child(node, "error").is_some() || child(node, "exception").is_some())
                .then(|| error_in(node)),
        },
        // requestInvalid (bb969508): a request the server could not read.
        "requestfailed" | "requestinvalid" => Reply::Failed {
            rid,
            error: error_in(node),
        },
        "error" | "exception" => Reply::Failed {
            rid: None,
            error: error_in(node),
        },
        _ => return None,
    })
}

/// `sid`, `uri` and `pollWaitTime` as attributes (bb969634) or child elements (bb969517).
fn session_started(node: Node<'_, '_>, rid: Option<u32>) -> Option<Reply> {
    let field = |name: &str| {
        attr(node, name)
            .map(|v| v.trim().to_string())
            .or_else(|| child_text(node, name))
            .filter(|v| !v.is_empty())
    };
    let sid = field("sid")?;
    Some(Reply::SessionStarted {
        rid,
        sid,
        poll_wait_ms: field("pollWaitTime").and_then(|v| number(&v)),
        uri: field("uri"),
    })
}
