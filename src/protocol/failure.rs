//! The widget's one failure policy. [`decide`] maps what was being done ([`Step`]) and how it
//! failed ([`Failure`]: an HTTP status with UCWA's error body, a network error, or a body that
//! could not be parsed) to the [`Action`] the client carries out. [`Backoff`] is the one retry
//! state: it paces retries with full jitter and applies the named limits below. Pure: no clock,
//! no randomness (the jitter is a parameter), no I/O.
//!
//! Sources: ErrorsAndInformationalMessages, GenericSynchronousErrors, ErrorSubcode_ref,
//! EventChannelDetails, AuthenticationInUCWA and the "Synchronous errors" table of every resource
//! the widget uses; the tests hold one row per documented (step, status, subcode).

use std::fmt;

use super::error::{ProtocolError, UcwaError};

/// Retry delays are drawn from `[BACKOFF_FIRST_MS, ceiling]`; the ceiling doubles with every
/// consecutive failure, starting at twice this.
pub const BACKOFF_FIRST_MS: u32 = 1_000;
/// The largest retry delay.
pub const BACKOFF_CAP_MS: u32 = 60_000;
/// Consecutive failures after which the event channel is presumed dead and the application is
/// created again (a server back from a long outage may have dropped it).
pub const RECREATE_APPLICATION_AFTER: u32 = 6;
/// Consecutive failures after which the status line names the likely causes of an unreachable
/// server (down, or this page's origin not allowed: a browser reports both alike).
pub const EXPLAIN_UNREACHABLE_AFTER: u32 = 2;
/// Consecutive 401s on fresh tokens after which the session stops and says so (the user can try
/// again), rather than ask for tokens forever.
pub const SIGN_IN_REFUSALS_BEFORE_STOP: u32 = 3;
/// While the browser is offline the client waits for its `online` event, but looks again after
/// this long in case the event never comes.
pub const OFFLINE_RECHECK_MS: u32 = BACKOFF_CAP_MS;
/// How much longer than the `timeout` it asked for the client waits for an event-channel answer
/// before it gives the request up (a server or proxy that accepts but never answers).
pub const PGET_DEADLINE_MARGIN_MS: u32 = 10_000;
/// How long the client waits for the answer to any request but the event channel's (whose
/// deadline is [`pget_deadline_ms`]) before it gives the request up.
pub const REQUEST_DEADLINE_MS: u32 = 15_000;
/// The largest delay between the connection's attempts to reach the server again (a cheap
/// `GET` of the application): the way back is at most this long once the server answers,
/// while a dead or refusing server still sees no more than one such request per client
/// every few seconds, drawn with full jitter. Other requests back off up to [`BACKOFF_CAP_MS`].
pub const PROBE_CAP_MS: u32 = 5_000;
/// How many times a single request (a presence read, a status change) is retried after a
/// transient failure before it is given up; the event channel recovers the rest. Requests the
/// subscription sync sends again on its own are not retried in place ([`Step::retries`]).
pub const REQUEST_RETRIES: u32 = 2;
/// The `X-Ms-diagnostics` code of a 403 for a page origin missing from the server's cross-domain
/// authorization list (Cross_domainIFRAME).
pub const DIAGNOSTIC_ORIGIN_NOT_ALLOWED: &str = "28070";

/// How long the server asked the client to wait (`Retry-After`, at most [`BACKOFF_CAP_MS`]):
/// the connection's next attempt waits at least this long.
pub fn retry_after_ms(failure: &Failure) -> Option<u32> {
    match failure {
        Failure::Http(e) => e
            .retry_after_secs
            .map(|s| s.saturating_mul(1_000).min(BACKOFF_CAP_MS)),
        _ => None,
    }
}

/// The client-side deadline of an event-channel request that asked for `timeout_secs`.
pub fn pget_deadline_ms(timeout_secs: u32) -> u32 {
    timeout_secs
        .saturating_mul(1_000)
        .saturating_add(PGET_DEADLINE_MARGIN_MS)
}

/// What the client was doing when the request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// `GET` the autodiscover root (root_ref).
    Discover,
    /// `GET user` (user_ref); its 401 carries the MsRtcOAuth challenge.
    GetUser,
    /// `POST oauthtoken` with the password grant (AuthenticationInUCWA).
    Token,
    /// `POST applications` (applications_ref).
    CreateApplication,
    /// `GET` the application, to learn whether it survived an outage (application_ref).
    ProbeApplication,
    /// `POST makeMeAvailable` (makeMeAvailable_ref).
    MakeMeAvailable,
    /// `GET me`, for the links it gains after makeMeAvailable (me_ref).
    ReadMe,
    /// The pending `GET events` (events_ref).
    EventsGet,
    /// `POST presenceSubscriptions` (presenceSubscriptions_ref).
    Subscribe,
    /// `POST addToPresenceSubscription` (addToPresenceSubscription_ref).
    AddMembers,
    /// `GET` a subscription's memberships (presenceSubscriptionMemberships_ref).
    ListMemberships,
    /// `DELETE` one membership (presenceSubscriptionMembership_ref).
    DeleteMembership,
    /// `DELETE` a presence subscription (presenceSubscription_ref).
    DeleteSubscription,
    /// `POST {presenceSubscription}?duration=N` (presenceSubscription_ref, seed 001).
    ExtendSubscription,
    /// `GET` a contact, a contactPresence or my presence, or a `batch` of them.
    PresenceGet,
    /// `POST me/presence` (presence_ref).
    SetPresence,
    /// `POST reportMyActivity` (reportMyActivity_ref).
    ReportActivity,
}

impl Step {
    /// The steps without which the session cannot go on: a permanent failure stops it. A
    /// permanent failure of any other step gives up that request only.
    pub fn is_essential(self) -> bool {
        matches!(
            self,
            Step::Discover
                | Step::GetUser
                | Step::CreateApplication
                | Step::ProbeApplication
                | Step::MakeMeAvailable
                | Step::EventsGet
        )
    }

    /// How often a transient failure of this step is retried in place: never for the requests
    /// the subscription sync makes again itself (paced by its own [`Backoff`]), never for the
    /// steps the session's loop retries, [`REQUEST_RETRIES`] times for the rest.
    pub fn retries(self) -> u32 {
        match self {
            Step::Subscribe | Step::AddMembers | Step::DeleteSubscription => 0,
            step if step.is_essential() || step == Step::Token => 0,
            _ => REQUEST_RETRIES,
        }
    }
}

/// Why no HTTP response arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NetworkKind {
    /// The browser is offline (`navigator.onLine`, the `offline` event).
    Offline,
    /// No answer before the client's deadline.
    Timeout,
    /// Anything else fetch rejects with: DNS, refused connection, TLS, a CORS refusal, a body
    /// cut short (a browser cannot tell these apart).
    Unreachable,
}

/// How a request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No (complete) HTTP response.
    Network { kind: NetworkKind, detail: String },
    /// A response with a non-success status, and UCWA's error body when it sent one.
    Http(UcwaError),
    /// A success response whose body is not what the resource should be.
    Parse(ProtocolError),
}

impl Failure {
    pub fn network(kind: NetworkKind, detail: impl Into<String>) -> Self {
        Failure::Network {
            kind,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Network { kind, detail } => write!(f, "network error ({kind:?}): {detail}"),
            Failure::Http(e) => e.fmt(f),
            Failure::Parse(e) => e.fmt(f),
        }
    }
}

/// Why a request or the session was given up, in words for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// 403 with diagnostic 28070: this page's origin is not on the server's allow list.
    OriginNotAllowed,
    /// 410 Gone, with the server's subcode (`TooManyApplications`, `CannotRedirect`, …).
    Gone { subcode: Option<String> },
    /// Any other refusal, with what the server said.
    Refused {
        status: u16,
        subcode: Option<String>,
        message: Option<String>,
    },
    /// The password grant was refused (400 `invalid_grant`, 401).
    CredentialsRefused,
    /// The server does not offer the password grant (400 `unsupported_grant_type`).
    PasswordGrantUnsupported,
    /// Fresh tokens were refused [`SIGN_IN_REFUSALS_BEFORE_STOP`] times in a row.
    TokenRefused,
    /// The server could not be reached.
    Unreachable,
    /// A success response the widget could not understand.
    Invalid { what: &'static str },
    /// A problem the client worded itself (a missing link, the page's token hook failing).
    Client(String),
}

impl Reason {
    /// A sentence for the user.
    pub fn message(&self) -> String {
        let text = match self {
            Reason::OriginNotAllowed => {
                "This page's origin is not allowed by the Skype for Business server."
            }
            Reason::Gone { subcode } => gone(subcode.as_deref()),
            Reason::Refused {
                status,
                subcode,
                message,
            } => return refused(*status, subcode.as_deref(), message.as_deref()),
            Reason::CredentialsRefused => "That user name or password was not accepted.",
            Reason::PasswordGrantUnsupported => {
                "The server does not accept password sign-in; the page must provide window.ucwaPresence.getToken."
            }
            Reason::TokenRefused => "The Skype for Business server keeps refusing the sign-in.",
            Reason::Unreachable => "The Skype for Business server cannot be reached.",
            Reason::Invalid { what } => {
                return format!("The Skype for Business server's {what} is not valid UCWA.")
            }
            Reason::Client(text) => return text.clone(),
        };
        text.to_string()
    }
}

fn gone(subcode: Option<&str>) -> &'static str {
    let is = |name: &str| subcode.is_some_and(|s| s.eq_ignore_ascii_case(name));
    if is("TooManyApplications") {
        "You are signed in to Skype for Business from too many places; close another window or app and reload."
    } else if is("InactiveApplicationExpired") {
        "The Skype for Business session expired after a period of inactivity; reload to sign in again."
    } else {
        "The Skype for Business session is no longer available; reload to sign in again."
    }
}

fn refused(status: u16, subcode: Option<&str>, message: Option<&str>) -> String {
    let is = |name: &str| subcode.is_some_and(|s| s.eq_ignore_ascii_case(name));
    let text = if is("LimitExceeded") {
        "The Skype for Business server's limit for this request was exceeded."
    } else if is("TooManyContacts") {
        "Too many contacts for the Skype for Business server."
    } else if is("TooManyGroups") {
        "Too many contact groups for the Skype for Business server."
    } else if let Some(message) = message {
        return format!(
            "The Skype for Business server refused the request (HTTP {status}): {message}"
        );
    } else {
        return format!("The Skype for Business server refused the request (HTTP {status}).");
    };
    text.to_string()
}

/// What the client does about a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The request's effect is already in place (409 AlreadyExists on makeMeAvailable, a DELETE
    /// of something already gone): carry on as after a success.
    Proceed,
    /// Transient: wait ([`Backoff::delay_ms`]) and send the same request again.
    Retry,
    /// The browser is offline: wait for it to come back (at most [`OFFLINE_RECHECK_MS`]), then
    /// send the request again.
    WaitForNetwork,
    /// The token is no longer accepted (401): after the backoff delay, get a new one and send
    /// the request again; the application and its subscriptions stay.
    SignIn,
    /// The sign-in form's credentials were not usable: show the form again with this reason.
    AskCredentials(Reason),
    /// The application is gone: create it again and restore what it had.
    RecreateApplication,
    /// This presence subscription is gone: forget it; its contacts are subscribed again.
    RecreateSubscription,
    /// `makeMeAvailable` has not been done (409 MakeMeAvailableRequired): do it (the client
    /// reconnects to the same application, which makes it available), then try again.
    MakeMeAvailable,
    /// This request failed for good; the session goes on.
    GiveUp(Reason),
    /// The session cannot go on: stop and show the reason.
    Stop(Reason),
}

/// The recovery for `failure` of a request made for `step`.
pub fn decide(step: Step, failure: &Failure) -> Action {
    match failure {
        Failure::Network { kind, .. } => network(step, *kind),
        Failure::Parse(e) => invalid(step, e),
        Failure::Http(e) => http(step, e),
    }
}

fn network(step: Step, kind: NetworkKind) -> Action {
    match (step, kind) {
        // The user is waiting on these: say so now rather than retry behind their back.
        (Step::Token, _) => Action::AskCredentials(Reason::Unreachable),
        (Step::SetPresence, _) => Action::GiveUp(Reason::Unreachable),
        (_, NetworkKind::Offline) => Action::WaitForNetwork,
        _ => Action::Retry,
    }
}

fn invalid(step: Step, e: &ProtocolError) -> Action {
    let reason = Reason::Invalid { what: e.what };
    match step {
        Step::Token => Action::AskCredentials(reason),
        // A damaged long-poll answer: poll the same URL again (nothing was acknowledged).
        Step::EventsGet => Action::Retry,
        _ => refuse(step, reason),
    }
}

/// A permanent failure: the session stops for an essential step, only the request otherwise.
fn refuse(step: Step, reason: Reason) -> Action {
    if step.is_essential() {
        Action::Stop(reason)
    } else if step == Step::Token {
        Action::AskCredentials(reason)
    } else {
        Action::GiveUp(reason)
    }
}

fn refused_by(e: &UcwaError) -> Reason {
    Reason::Refused {
        status: e.status,
        subcode: e.subcode.clone(),
        message: e.message.clone(),
    }
}

fn origin_refused(e: &UcwaError) -> bool {
    let diagnosed = e
        .diagnostics
        .as_deref()
        .is_some_and(|d| d.contains(DIAGNOSTIC_ORIGIN_NOT_ALLOWED));
    let said = e
        .message
        .as_deref()
        .is_some_and(|m| m.to_ascii_lowercase().contains("cross domain request"));
    e.status == 403 && (diagnosed || said)
}

fn http(step: Step, e: &UcwaError) -> Action {
    if origin_refused(e) {
        return Action::Stop(Reason::OriginNotAllowed);
    }
    match e.status {
        401 if step == Step::Token => Action::AskCredentials(Reason::CredentialsRefused),
        401 => Action::SignIn,
        400 if step == Step::Token => token_refused(e),
        403 => refuse(step, refused_by(e)),
        404 => not_found(step, e),
        409 => conflict(step, e),
        410 if e.has_subcode("InactiveApplicationExpired") => Action::RecreateApplication,
        410 => Action::Stop(Reason::Gone {
            subcode: e.subcode.clone(),
        }),
        408 | 429 | 500..=599 if step == Step::Token => Action::AskCredentials(refused_by(e)),
        408 | 429 | 500..=599 => Action::Retry,
        _ => refuse(step, refused_by(e)),
    }
}

/// A 400 from the OAuth service, by its `error` (AuthenticationInUCWA).
fn token_refused(e: &UcwaError) -> Action {
    if e.has_code("unsupported_grant_type") {
        Action::Stop(Reason::PasswordGrantUnsupported)
    } else if e.has_code("server_error") {
        Action::AskCredentials(refused_by(e))
    } else {
        // invalid_grant, invalid_request (an empty field), invalid_scope, or no body.
        Action::AskCredentials(Reason::CredentialsRefused)
    }
}

fn not_found(step: Step, e: &UcwaError) -> Action {
    match step {
        // A wrong autodiscover URL or a server that does not offer UCWA there.
        Step::Discover | Step::GetUser | Step::Token | Step::CreateApplication => {
            Action::Stop(refused_by(e))
        }
        // Seed 001: an expired subscription answers 404 (even with subcode ApplicationNotFound).
        // Recreate the subscription first; if the application is gone, that 404s too.
        Step::ExtendSubscription | Step::AddMembers | Step::ListMemberships => {
            Action::RecreateSubscription
        }
        // What was to be removed is gone already.
        Step::DeleteMembership | Step::DeleteSubscription => Action::Proceed,
        // A contact the directory does not know; the application is fine.
        Step::PresenceGet if !e.has_subcode("ApplicationNotFound") => Action::GiveUp(refused_by(e)),
        // These live as long as the application does.
        Step::ProbeApplication
        | Step::MakeMeAvailable
        | Step::ReadMe
        | Step::EventsGet
        | Step::Subscribe
        | Step::PresenceGet
        | Step::SetPresence
        | Step::ReportActivity => Action::RecreateApplication,
    }
}

fn conflict(step: Step, e: &UcwaError) -> Action {
    if e.has_subcode("MakeMeAvailableRequired") {
        return if step == Step::MakeMeAvailable {
            // Cannot happen per the docs; doing it again would loop.
            Action::RecreateApplication
        } else {
            Action::MakeMeAvailable
        };
    }
    if e.has_subcode("TooManyGroups") {
        return refuse(step, refused_by(e));
    }
    match step {
        // makeMeAvailable_ref: "Multiple invocations of this operation is not valid" (409
        // AlreadyExists; some servers send no subcode): it is done.
        Step::MakeMeAvailable => Action::Proceed,
        Step::AddMembers if e.has_subcode("AlreadyExists") => Action::Proceed,
        // Creating again could make a second subscription for the same contacts.
        Step::Subscribe if e.has_subcode("AlreadyExists") => refuse(step, refused_by(e)),
        // PGetReplaced ("if the client did in fact send another P-GET, it can ignore this
        // code"), "not in the proper state", "initializing or terminating": try again later.
        _ => Action::Retry,
    }
}

/// The one retry state: consecutive failures since the session (or the request) last worked.
/// It gives the delay before the next attempt and turns an action into a stronger one when a
/// named limit is reached. Reset it with [`Backoff::on_success`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backoff {
    failures: u32,
    sign_ins: u32,
}

impl Backoff {
    pub const fn new() -> Self {
        Backoff {
            failures: 0,
            sign_ins: 0,
        }
    }

    /// Consecutive failures so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Records a failure of `step` that [`decide`] answered with `action`, and returns the action
    /// to carry out: `action` itself, or a stronger one once a limit is reached
    /// ([`RECREATE_APPLICATION_AFTER`], [`SIGN_IN_REFUSALS_BEFORE_STOP`]).
    pub fn on_failure(&mut self, step: Step, action: Action) -> Action {
        self.failures = self.failures.saturating_add(1);
        match action {
            Action::SignIn => {
                self.sign_ins = self.sign_ins.saturating_add(1);
                if self.sign_ins >= SIGN_IN_REFUSALS_BEFORE_STOP {
                    Action::Stop(Reason::TokenRefused)
                } else {
                    Action::SignIn
                }
            }
            Action::Retry
                if step == Step::EventsGet && self.failures >= RECREATE_APPLICATION_AFTER =>
            {
                Action::RecreateApplication
            }
            action => action,
        }
    }

    /// The delay before the next attempt, with full jitter: `jitter01` (uniform in [0, 1]; out
    /// of range is clamped, NaN counts as 0.5) picks a point in `[BACKOFF_FIRST_MS, ceiling]`,
    /// the ceiling doubling from 2 s per consecutive failure up to [`BACKOFF_CAP_MS`].
    pub fn delay_ms(&self, jitter01: f64) -> u32 {
        self.delay_within(BACKOFF_CAP_MS, jitter01)
    }

    /// [`delay_ms`](Self::delay_ms) with the ceiling capped at `cap_ms` (≥ 1 s) instead.
    pub fn delay_within(&self, cap_ms: u32, jitter01: f64) -> u32 {
        let cap = cap_ms.max(BACKOFF_FIRST_MS);
        let ceiling = BACKOFF_FIRST_MS
            .checked_shl(self.failures.clamp(1, 16))
            .unwrap_or(cap)
            .min(cap);
        let r = if jitter01.is_nan() {
            0.5
        } else {
            jitter01.clamp(0.0, 1.0)
        };
        let span = f64::from(ceiling - BACKOFF_FIRST_MS);
        // `as` saturates and the value lies within [0, span].
        BACKOFF_FIRST_MS + (r * span) as u32
    }

    /// Whether the status line should name the likely causes ([`EXPLAIN_UNREACHABLE_AFTER`]).
    pub fn explains_unreachable(&self) -> bool {
        self.failures >= EXPLAIN_UNREACHABLE_AFTER
    }

    /// The session (or request) worked: forget past failures.
    pub fn on_success(&mut self) {
        *self = Backoff::new();
    }
}

#[cfg(test)]
mod table;

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16, subcode: Option<&str>) -> Failure {
        Failure::Http(UcwaError {
            status,
            subcode: subcode.map(str::to_string),
            ..UcwaError::default()
        })
    }

    #[test]
    fn backoff_doubles_to_the_cap_and_resets() {
        let mut b = Backoff::new();
        let ceilings: Vec<u32> = (0..8)
            .map(|_| {
                b.on_failure(Step::Subscribe, Action::Retry);
                b.delay_ms(1.0)
            })
            .collect();
        assert_eq!(
            ceilings,
            [2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]
        );
        assert_eq!(b.delay_ms(0.0), BACKOFF_FIRST_MS);
        assert_eq!(b.delay_ms(-4.0), BACKOFF_FIRST_MS);
        assert_eq!(b.delay_ms(7.0), BACKOFF_CAP_MS);
        assert_eq!(b.delay_ms(f64::NAN), 30_500);
        b.on_success();
        assert_eq!(b.failures(), 0);
        b.on_failure(Step::Subscribe, Action::Retry);
        assert_eq!(b.delay_ms(0.5), 1_500);
        let mut far = Backoff::new();
        for _ in 0..100 {
            far.on_failure(Step::EventsGet, Action::WaitForNetwork);
        }
        assert_eq!(far.delay_ms(1.0), BACKOFF_CAP_MS, "no overflow");
    }

    /// Bug: consecutive 401s were retried without any delay (84 token requests in 17 s).
    #[test]
    fn consecutive_401s_back_off_like_any_failure_then_stop() {
        let mut b = Backoff::new();
        let mut delays = Vec::new();
        let mut actions = Vec::new();
        for _ in 0..SIGN_IN_REFUSALS_BEFORE_STOP {
            let action = b.on_failure(
                Step::CreateApplication,
                decide(Step::CreateApplication, &http(401, None)),
            );
            delays.push(b.delay_ms(1.0));
            actions.push(action);
        }
        assert_eq!(
            delays,
            [2_000, 4_000, 8_000],
            "the same growing delays as a 503"
        );
        assert_eq!(
            actions,
            [
                Action::SignIn,
                Action::SignIn,
                Action::Stop(Reason::TokenRefused)
            ]
        );
        let mut b503 = Backoff::new();
        let delays_503: Vec<u32> = (0..3)
            .map(|_| {
                b503.on_failure(Step::EventsGet, decide(Step::EventsGet, &http(503, None)));
                b503.delay_ms(1.0)
            })
            .collect();
        assert_eq!(delays, delays_503);
        assert!(
            b.delay_ms(0.0) >= BACKOFF_FIRST_MS,
            "never an immediate retry"
        );
    }

    #[test]
    fn a_success_between_401s_starts_the_count_again() {
        let mut b = Backoff::new();
        for _ in 0..10 {
            assert_eq!(
                b.on_failure(Step::EventsGet, Action::SignIn),
                Action::SignIn
            );
            assert_eq!(b.on_failure(Step::EventsGet, Action::Retry), Action::Retry);
            b.on_success();
        }
    }

    #[test]
    fn the_event_channel_recreates_the_application_after_the_limit() {
        let mut b = Backoff::new();
        let failure = Failure::network(NetworkKind::Unreachable, "Failed to fetch");
        let actions: Vec<Action> = (0..RECREATE_APPLICATION_AFTER)
            .map(|_| b.on_failure(Step::EventsGet, decide(Step::EventsGet, &failure)))
            .collect();
        assert!(actions[..actions.len() - 1]
            .iter()
            .all(|a| *a == Action::Retry));
        assert_eq!(actions.last(), Some(&Action::RecreateApplication));
        let mut other = Backoff::new();
        for _ in 0..RECREATE_APPLICATION_AFTER * 2 {
            assert_eq!(
                other.on_failure(Step::Subscribe, Action::Retry),
                Action::Retry
            );
        }
        assert!(!Backoff::new().explains_unreachable());
        assert!(other.explains_unreachable());
    }

    #[test]
    fn only_single_requests_retry_in_place() {
        let in_place: Vec<Step> = table::ALL_STEPS
            .into_iter()
            .filter(|s| s.retries() > 0)
            .collect();
        assert_eq!(
            in_place,
            [
                Step::ReadMe,
                Step::ListMemberships,
                Step::DeleteMembership,
                Step::ExtendSubscription,
                Step::PresenceGet,
                Step::SetPresence,
                Step::ReportActivity
            ]
        );
        assert!(in_place.iter().all(|s| s.retries() == REQUEST_RETRIES));
    }

    #[test]
    fn retry_after_is_read_in_seconds_and_capped() {
        let with = |h: Option<&str>| Failure::Http(UcwaError::status_only(503).with_retry_after(h));
        assert_eq!(retry_after_ms(&with(Some(" 3 "))), Some(3_000));
        assert_eq!(retry_after_ms(&with(Some("0"))), Some(0));
        assert_eq!(retry_after_ms(&with(Some("86400"))), Some(BACKOFF_CAP_MS));
        assert_eq!(
            retry_after_ms(&with(Some("Wed, 21 Oct 2015 07:28:00 GMT"))),
            None
        );
        assert_eq!(retry_after_ms(&with(Some("-1"))), None);
        assert_eq!(retry_after_ms(&with(None)), None);
        let network = Failure::network(NetworkKind::Timeout, "no answer");
        assert_eq!(retry_after_ms(&network), None);
    }

    #[test]
    fn the_connection_s_delays_stop_growing_at_the_probe_cap() {
        let mut b = Backoff::new();
        for _ in 0..10 {
            b.on_failure(Step::ProbeApplication, Action::Retry);
        }
        assert_eq!(b.delay_within(PROBE_CAP_MS, 1.0), PROBE_CAP_MS);
        assert_eq!(b.delay_within(PROBE_CAP_MS, 0.0), BACKOFF_FIRST_MS);
        assert_eq!(
            b.delay_ms(1.0),
            BACKOFF_CAP_MS,
            "other requests keep the long cap"
        );
        assert_eq!(
            b.delay_within(0, 1.0),
            BACKOFF_FIRST_MS,
            "never below the first delay"
        );
    }

    #[test]
    fn the_deadline_is_the_timeout_plus_the_margin() {
        assert_eq!(pget_deadline_ms(180), 180_000 + PGET_DEADLINE_MARGIN_MS);
        assert_eq!(pget_deadline_ms(1), 1_000 + PGET_DEADLINE_MARGIN_MS);
        assert_eq!(pget_deadline_ms(u32::MAX), u32::MAX);
    }

    #[test]
    fn a_parse_error_is_not_a_network_error() {
        let parse = Failure::Parse(ProtocolError::new(
            "event channel response",
            "no _links object",
        ));
        assert_eq!(
            parse.to_string(),
            "invalid event channel response: no _links object"
        );
        assert_eq!(
            decide(Step::Discover, &parse),
            Action::Stop(Reason::Invalid {
                what: "event channel response"
            })
        );
        let net = Failure::network(NetworkKind::Unreachable, "x");
        assert_eq!(decide(Step::Discover, &net), Action::Retry);
        assert!(Reason::Invalid {
            what: "user resource"
        }
        .message()
        .contains("user resource"));
    }

    #[test]
    fn origin_refusals_stop_on_any_step() {
        let diag = Failure::Http(
            UcwaError::status_only(403).with_diagnostics(Some("28070;reason=\"x\"".into())),
        );
        let said = Failure::Http(UcwaError {
            status: 403,
            message: Some("Service does not allow a cross domain request from this origin.".into()),
            ..UcwaError::default()
        });
        for step in table::ALL_STEPS {
            assert_eq!(
                decide(step, &diag),
                Action::Stop(Reason::OriginNotAllowed),
                "{step:?}"
            );
            assert_eq!(
                decide(step, &said),
                Action::Stop(Reason::OriginNotAllowed),
                "{step:?}"
            );
        }
        let not_403 =
            Failure::Http(UcwaError::status_only(400).with_diagnostics(Some("28070".into())));
        assert_ne!(
            decide(Step::EventsGet, &not_403),
            Action::Stop(Reason::OriginNotAllowed)
        );
    }

    #[test]
    fn reasons_read_well() {
        assert!(Reason::Gone {
            subcode: Some("TooManyApplications".into())
        }
        .message()
        .contains("too many places"));
        assert!(Reason::Gone {
            subcode: Some("InactiveApplicationExpired".into())
        }
        .message()
        .contains("inactivity"));
        assert!(Reason::Gone { subcode: None }
            .message()
            .contains("no longer available"));
        let limit = Reason::Refused {
            status: 403,
            subcode: Some("LimitExceeded".into()),
            message: None,
        };
        assert!(limit.message().contains("limit"));
        let said = Reason::Refused {
            status: 400,
            subcode: None,
            message: Some("Bad uri".into()),
        };
        assert_eq!(
            said.message(),
            "The Skype for Business server refused the request (HTTP 400): Bad uri"
        );
        assert!(Reason::Refused {
            status: 405,
            subcode: None,
            message: None
        }
        .message()
        .contains("405"));
        assert!(Reason::TokenRefused.message().contains("refusing"));
    }
}
