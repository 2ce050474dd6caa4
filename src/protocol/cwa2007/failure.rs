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
    match failure {
        CwaFailure::Network(NetworkKind::Offline) => Action::WaitForNetwork,
        CwaFailure::Network(_) => Action::Retry,
        CwaFailure::Http { status, error } => http(step, *status, error.as_ref()),
        CwaFailure::Cwa(error) => cwa(step, error),
        CwaFailure::Malformed(detail) => {
            let reason = Reason::Client(format!(
                "The Communicator Web Access server's reply could not be read ({detail})."
            ));
            unusable(step, reason)
        }
    }
}

impl CwaStep {
    /// The steps the session cannot go on without (a permanent failure stops it); a
    /// permanent failure of a publish or subscribe gives up that request only.
    pub fn is_essential(self) -> bool {
        matches!(
            self,
            CwaStep::Logon | CwaStep::InitiateSession | CwaStep::Poll
        )
    }
}

fn http(step: CwaStep, status: u16, error: Option<&CwaError>) -> Action {
    match status {
        401 if step == CwaStep::Logon => Action::AskCredentials(Reason::CredentialsRefused),
        401 => Action::SignIn,
        404 if step == CwaStep::Logon => Action::GiveUp(Reason::Client(
            "There is no Communicator Web Access sign-in page at the data-cwa address; check it."
                .to_string(),
        )),
        500..=599 => Action::Retry,
        _ => match error {
            // A CWA error in a 4xx body (e.g. 400 with 18000) is read by its code.
            Some(e) if e.code.is_some() && status != 403 => cwa(step, e),
            _ => refuse(
                step,
                Reason::Refused {
                    status,
                    subcode: error.and_then(|e| e.code).map(|c| c.to_string()),
                    message: error.and_then(|e| e.reason.clone()),
                },
            ),
        },
    }
}

fn cwa(step: CwaStep, error: &CwaError) -> Action {
    match error.code {
        Some(CwaError::SESSION_NOT_FOUND) => Action::RecreateApplication,
        Some(CwaError::THROTTLED) => Action::Retry,
        Some(code) if (CwaError::OCS_FAILURE..=CwaError::INTERNAL_FAILURE).contains(&code) => {
            Action::Retry
        }
        Some(CwaError::INVALID_REQUEST) if step == CwaStep::Logon => {
            Action::AskCredentials(Reason::CredentialsRefused)
        }
        // 18000, 18001, 18102, an unknown code or none: this request cannot work as sent.
        _ => unusable(
            step,
            Reason::Client(format!(
                "The Communicator Web Access server refused the request: {error}."
            )),
        ),
    }
}

/// A reply that says this request cannot work: a publish or subscribe is given up; the poll
/// and initiateSession are tried again (paced by the backoff); a logon asks again.
fn unusable(step: CwaStep, reason: Reason) -> Action {
    match step {
        CwaStep::Publish | CwaStep::Subscribe => Action::GiveUp(reason),
        CwaStep::Poll | CwaStep::InitiateSession => Action::Retry,
        CwaStep::Logon => Action::AskCredentials(reason),
    }
}

/// A refusal by HTTP status: the session stops for an essential step (a logon asks again),
/// only the request otherwise.
fn refuse(step: CwaStep, reason: Reason) -> Action {
    match step {
        CwaStep::Logon => Action::AskCredentials(reason),
        step if step.is_essential() => Action::Stop(reason),
        _ => Action::GiveUp(reason),
    }
}
