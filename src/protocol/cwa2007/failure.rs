//! What the client does about a failed CWA request, in the terms of the one failure policy
//! ([`Action`], paced by the same [`Backoff`](crate::protocol::failure::Backoff)).

use super::error::CwaError;
use crate::protocol::failure::{Action, NetworkKind, Reason};

/// The request that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CwaStep {
    Logon,
    InitiateSession,
    Poll,
    Publish,
    Subscribe,
}

/// How it failed.
#[derive(Clone, Debug, PartialEq)]
pub enum CwaFailure {
    /// No response (network, time-out, offline).
    Network(NetworkKind),
    /// An HTTP status other than 200 (with the CWA error in its body, when it had one).
    Http {
        status: u16,
        error: Option<CwaError>,
    },
    /// A 200 reply (or event) that carried a CWA error.
    Cwa(CwaError),
    /// A reply that is not the XML it should be.
    Malformed(String),
}

/// The action for `failure` of `step`:
/// - 401 → `SignIn` (the ticket is gone: logon again; for `Logon` itself with the password:
///   `AskCredentials(CredentialsRefused)`);
/// - 18100 (session not found) → `RecreateApplication` (a new session, everything restored);
/// - 18101 (throttled), 5xx, 18201–18400, network → `Retry` (`WaitForNetwork` when offline);
/// - 403 → `Stop(OriginNotAllowed)`-style refusal, 404 on logon → `GiveUp` with a reason
///   naming the `data-cwa` URL;
/// - 18000/18001/18102 and malformed replies → `GiveUp` for `Publish`/`Subscribe` (that
///   request only), `Retry` for `Poll` and `InitiateSession`.
pub fn decide(step: CwaStep, failure: &CwaFailure) -> Action {
    let _ = (step, failure, Reason::Unreachable);
    todo!()
}
