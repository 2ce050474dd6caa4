//! CWA errors in their three documented shapes (bb969595, bb969622, bb969635) and the codes
//! this front end uses (dd572614).

use super::xml::Out;
use crate::config::ErrorShape;

pub const INVALID_FORMAT: u32 = 18000;
pub const INVALID_REQUEST: u32 = 18001;
pub const SESSION_NOT_FOUND: u32 = 18100;
pub const INTERNAL_FAILURE: u32 = 18400;

/// `<requestFailed rid><error code warning description/></requestFailed>` (bb969622): the
/// outcome of one failed request.
pub fn request_failed(out: &mut Out, rid: Option<&str>, code: u32, description: &str) {
    let code = code.to_string();
    match rid {
        Some(rid) => out.open("requestFailed", &[("rid", rid)]),
        None => out.open("requestFailed", &[]),
    };
    out.empty(
        "error",
        &[
            ("code", &code),
            ("warning", ""),
            ("description", description),
        ],
    )
    .close("requestFailed");
}

/// `<error code subCode reason detail/>` (bb969595).
pub fn error(out: &mut Out, code: u32, reason: &str) {
    let code = code.to_string();
    out.empty(
        "error",
        &[
            ("code", &code),
            ("subCode", "0"),
            ("reason", reason),
            ("detail", ""),
        ],
    );
}

/// "Session not found" in the configured shape (`--cwa-error-shape`).
pub fn session_not_found(out: &mut Out, shape: ErrorShape, rid: Option<&str>) {
    const REASON: &str = "Session not found";
    match shape {
        ErrorShape::RequestFailed => request_failed(out, rid, SESSION_NOT_FOUND, REASON),
        ErrorShape::Error => error(out, SESSION_NOT_FOUND, REASON),
        ErrorShape::Exception => {
            let code = SESSION_NOT_FOUND.to_string();
            out.open("exception", &[("code", &code), ("reason", REASON)])
                .empty(
                    "exceptionDetail",
                    &[("code", &code), ("reason", REASON), ("detail", "")],
                )
                .close("exception");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cwa2007::xml::{attr, parse};

    #[test]
    fn every_shape_carries_18100() {
        for shape in [
            ErrorShape::RequestFailed,
            ErrorShape::Error,
            ErrorShape::Exception,
        ] {
            let mut out = Out::new();
            session_not_found(&mut out, shape, Some("7"));
            let xml = out.finish();
            let doc = parse(xml.as_bytes()).unwrap();
            let with_code = doc
                .descendants()
                .filter(|n| attr(*n, "code") == Some("18100"))
                .count();
            assert!(with_code >= 1, "{xml}");
        }
    }
}
