//! CWA errors in their three documented shapes: `<error code subCode reason detail>` (bb969595),
//! `<requestFailed rid eid><error code warning description/><sipResponse …/></requestFailed>`
//! (bb969622) and `<exception>…<exceptionDetail>…<sipResponse code/>` (bb969635). Codes from the
//! CWA event log (dd572614).

use std::fmt;

use roxmltree::Node;

use super::xml::{attr, attr_num, child, descendant, elements, is, non_empty, number};
use super::xml::{own_text, text};

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

    /// The event log's name for a documented code (dd572614).
    pub fn code_name(code: u32) -> Option<&'static str> {
        Some(match code {
            Self::INVALID_FORMAT => "invalid format",
            Self::INVALID_REQUEST => "invalid request",
            Self::SESSION_NOT_FOUND => "session not found",
            Self::THROTTLED => "request throttled",
            Self::INVALID_OPERATION => "invalid operation",
            Self::OCS_FAILURE => "OCS failure response",
            Self::OCS_INVALID_MESSAGE => "invalid OCS message",
            Self::OCS_TIMEOUT => "OCS response timeout",
            Self::CONNECTION_FAILED => "connection failed",
            Self::TLS_FAILED => "TLS failed",
            Self::INTERNAL_FAILURE => "internal failure",
            _ => return None,
        })
    }
}

/// The error an element holds: its `error` or `exception` child (`requestFailed`,
/// `requestRejected`, `requestInvalid`), or the element itself when it is one. An element
/// holding neither gives an error without a code.
pub(super) fn error_in(node: Node<'_, '_>) -> CwaError {
    if is(node, "error") || is(node, "exception") {
        return read_error(node);
    }
    elements(node)
        .find(|n| is(*n, "error") || is(*n, "exception"))
        .map(read_error)
        .unwrap_or_default()
}

fn read_error(node: Node<'_, '_>) -> CwaError {
    let sip_code = descendant(node, "sipResponse").and_then(|s| attr_num(s, "code"));
    if is(node, "exception") {
        return CwaError {
            sip_code,
            ..read_exception(node)
        };
    }
    CwaError {
        code: attr_num(node, "code"),
        sub_code: attr_num(node, "subCode"),
        reason: described(node),
        sip_code,
    }
}

/// `reason`, `description` or `detail`, the first that says something.
fn described(node: Node<'_, '_>) -> Option<String> {
    ["reason", "description", "detail", "message"]
        .iter()
        .filter_map(|name| attr(node, name))
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
}

/// bb969635's `exception`: read tolerantly, as no capture of one was found. The code is the
/// `code` attribute of `exception` or `exceptionDetail`, or a `code` child element, or that of
/// a nested `error`; the reason their `message`/`reason`/`description`/`detail` attribute or
/// child, else the detail's (or the exception's own) text.
fn read_exception(node: Node<'_, '_>) -> CwaError {
    let detail = child(node, "exceptionDetail");
    let holders: Vec<Node<'_, '_>> = std::iter::once(node).chain(detail).collect();
    let nested = child(node, "error").map(read_error);
    let code = holders
        .iter()
        .find_map(|n| {
            attr_num(*n, "code").or_else(|| child(*n, "code").and_then(|c| number(&text(c))))
        })
        .or_else(|| nested.as_ref().and_then(|e| e.code));
    let sub_code = holders
        .iter()
        .find_map(|n| attr_num(*n, "subCode"))
        .or_else(|| nested.as_ref().and_then(|e| e.sub_code));
    let reason = holders
        .iter()
        .find_map(|n| described(*n).or_else(|| described_by_child(*n)))
        .or_else(|| nested.and_then(|e| e.reason))
        .or_else(|| detail.map(own_text).and_then(non_empty))
        .or_else(|| non_empty(own_text(node)));
    CwaError {
        code,
        sub_code,
        reason,
        sip_code: None,
    }
}

fn described_by_child(node: Node<'_, '_>) -> Option<String> {
    ["message", "reason", "description", "detail"]
        .iter()
        .find_map(|name| child(node, name).map(text).and_then(non_empty))
}

impl fmt::Display for CwaError {
    /// "CWA error 18100 (session not found): <reason>"-style text for the console.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CWA error")?;
        if let Some(code) = self.code {
            write!(f, " {code}")?;
            if let Some(name) = Self::code_name(code) {
                write!(f, " ({name})")?;
            }
        }
        if let Some(sub) = self.sub_code {
            write!(f, ", subcode {sub}")?;
        }
        if let Some(sip) = self.sip_code {
            write!(f, ", SIP {sip}")?;
        }
        if let Some(reason) = &self.reason {
            write!(f, ": {reason}")?;
        }
        Ok(())
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
