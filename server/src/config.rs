//! What the server can be told: [`Config`], filled from the command line by [`crate::cli`] or
//! built directly by tests and examples.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything the server can be told from the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub listen: SocketAddr,
    pub users_file: Option<PathBuf>,
    /// Explicit `--allow-origin` entries (normalised); empty means "use the demo defaults".
    pub allow_origins: Vec<String>,
    pub demo: bool,
    pub demo_interval: Duration,
    pub control: bool,
    pub token_lifetime: Duration,
    pub app_idle_timeout: Duration,
    /// Applications per user; one more ends the oldest (410 TooManyApplications).
    pub max_applications: usize,
    pub minute: Duration,
    pub subscription_lead: Option<Duration>,
    pub pget_min_timeout: u64,
    pub pget_max_timeout: u64,
    pub pget_default_timeout: u64,
    pub medium_window: Duration,
    pub low_window: Duration,
    pub idle_after: Duration,
    pub away_after: Duration,
    pub max_subscriptions: usize,
    pub max_subscription_uris: usize,
    pub max_body_bytes: usize,
    /// Batch sub-requests in flight per user (BatchingRequests: 100) before 429.
    pub max_outstanding: usize,
    /// Entries the control API's request log keeps.
    pub request_log_capacity: usize,
    pub log_requests: bool,
    /// Windows sign-in (HTTP Negotiate) on the token endpoint; keytab from `KRB5_KTNAME`.
    pub negotiate: bool,
    /// Only principals of this Kerberos realm may sign in (any realm when `None`).
    pub negotiate_realm: Option<String>,
    /// `--pool NAME=ADDR`, in order; empty: one pool named `default` on `listen`.
    pub pools: Vec<(String, SocketAddr)>,
    /// `--home USER=POOL` (user keys).
    pub homes: Vec<(String, String)>,
    /// Send CORS headers (`--cors off`: none, and preflights get 400 as on a stock server).
    pub cors: bool,
    /// Serve the XFrame page (`--no-xframe` turns it off: 404).
    pub xframe: bool,
    /// The CWA 2007 front end (`--cwa-…` flags).
    pub cwa: CwaConfig,
}

/// The reply to `initiateSession` (`--cwa-initiate-reply`): the sources disagree (README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitiateReply {
    /// `<requestAccepted rid><sid/><uri/><pollWaitTime/></requestAccepted>` (bb969517, cwalib).
    Elements,
    /// `<initiateSessionAccepted rid sid pollWaitTime/>` (bb969634).
    Attributes,
}

/// The shape of a CWA error such as 18100 (`--cwa-error-shape`): three are documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorShape {
    /// `<requestFailed rid><error code warning description/></requestFailed>` (bb969622).
    RequestFailed,
    /// `<error code subCode reason detail/>` (bb969595).
    Error,
    /// `<exception code><exceptionDetail …/></exception>` (bb969635).
    Exception,
}

/// Timings and choices of the CWA 2007 front end.
#[derive(Debug, Clone, PartialEq)]
pub struct CwaConfig {
    /// A ticket older than this is replaced by the next response.
    pub ticket_renew: Duration,
    /// A replaced ticket stays valid this long.
    pub ticket_grace: Duration,
    /// No ticket is valid longer than this after it was issued.
    pub ticket_lifetime: Duration,
    pub initiate_reply: InitiateReply,
    pub error_shape: ErrorShape,
    /// URIs per subscribePresence / unSubscribePresence / queryPresence.
    pub max_uris: usize,
    /// How long a data-channel GET with nothing queued is held open (0: answered at once).
    pub hold: Duration,
    /// `pollWaitTime` sent to clients.
    pub poll_wait: Duration,
    /// A session whose data channel is not polled this long ends.
    pub session_timeout: Duration,
    /// Without UA=true or a machine-state publish for this long the machine state goes idle.
    pub idle_after: Duration,
}

impl Default for CwaConfig {
    fn default() -> Self {
        CwaConfig {
            ticket_renew: Duration::from_secs(300),
            ticket_grace: Duration::from_secs(120),
            ticket_lifetime: Duration::from_secs(28_800),
            initiate_reply: InitiateReply::Elements,
            error_shape: ErrorShape::RequestFailed,
            max_uris: 200,
            hold: Duration::ZERO,
            poll_wait: Duration::from_millis(1000),
            session_timeout: Duration::from_secs(180),
            idle_after: Duration::from_secs(300),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8090)),
            users_file: None,
            allow_origins: Vec::new(),
            demo: false,
            demo_interval: Duration::from_millis(3000),
            control: false,
            token_lifetime: Duration::from_secs(28_800),
            app_idle_timeout: Duration::from_secs(900),
            max_applications: 16,
            minute: Duration::from_secs(60),
            subscription_lead: None,
            pget_min_timeout: 180,
            pget_max_timeout: 1800,
            pget_default_timeout: 180,
            medium_window: Duration::from_millis(5000),
            low_window: Duration::from_millis(15_000),
            idle_after: Duration::from_secs(300),
            away_after: Duration::from_secs(900),
            max_subscriptions: 64,
            max_subscription_uris: 250,
            max_body_bytes: 256 * 1024,
            max_outstanding: crate::batch::MAX_OUTSTANDING,
            request_log_capacity: crate::requests::CAPACITY,
            log_requests: true,
            negotiate: false,
            negotiate_realm: None,
            pools: Vec::new(),
            homes: Vec::new(),
            cors: true,
            xframe: true,
            cwa: CwaConfig::default(),
        }
    }
}

impl Config {
    /// Lead time of the "about to expire" event, never longer than half a minimum (10-minute)
    /// subscription so a fresh subscription is not warned about at once.
    pub fn subscription_lead(&self) -> Duration {
        let lead = self.subscription_lead.unwrap_or(self.minute);
        lead.min(self.minute * 5)
    }

    /// The P-GET timeout in seconds a request without `timeout` gets.
    pub fn default_pget_timeout(&self) -> u64 {
        self.pget_default_timeout.clamp(
            self.pget_min_timeout,
            self.pget_max_timeout.max(self.pget_min_timeout),
        )
    }
}
