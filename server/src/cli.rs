//! The command line (`ucwa-server --help`), parsed by clap into a [`Config`].

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};

use crate::config::{Config, CwaConfig, ErrorShape, InitiateReply};
use crate::cors;
use crate::pools;

/// A UCWA 2.0 presence server built from Microsoft's published UCWA reference.
#[derive(Parser, Debug)]
#[command(
    name = "ucwa-server",
    after_help = "Details: server/README.md.",
    allow_negative_numbers = true
)]
struct Args {
    /// Address to listen on; port 0 picks one
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8090")]
    listen: SocketAddr,

    /// TOML or JSON user directory (see server/README.md) [default: the built-in Contoso
    /// directory: dana@contoso.com, sarad@contoso.com and six colleagues, password `demo`]
    #[arg(long, value_name = "FILE")]
    users: Option<PathBuf>,

    /// Cross-domain authorization list entry (scheme://host[:port]; `*` allows every origin);
    /// repeatable. The server's own origins (http://127.0.0.1:PORT, http://localhost:PORT) are
    /// always allowed; without this flag http://localhost:8080 and http://127.0.0.1:8080 (the
    /// `trunk serve` demo page) are allowed too
    #[arg(long, value_name = "ORIGIN", value_parser = origin)]
    allow_origin: Vec<String>,

    /// Simulated colleagues change presence and notes every few seconds (never Dana or Sara)
    #[arg(long)]
    demo: bool,

    /// Pause between simulated changes
    #[arg(long, value_name = "MS", default_value_t = 3000, value_parser = positive)]
    demo_interval_ms: u64,

    /// Enable the unauthenticated test/demo control API under /_control
    #[arg(long)]
    control: bool,

    /// OAuth token lifetime, reported as expires_in
    #[arg(long, value_name = "SECS", default_value_t = 28_800, value_parser = positive)]
    token_lifetime: u64,

    /// Applications with no request and no pending P-GET for this long are ended; later
    /// requests get 410 InactiveApplicationExpired
    #[arg(long, value_name = "SECS", default_value_t = 900, value_parser = positive)]
    app_idle_timeout: u64,

    /// Applications per user: creating one more ends the user's oldest, whose later requests
    /// get 410 TooManyApplications
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = count)]
    max_applications: usize,

    /// Real seconds in one UCWA "minute" of subscription duration (fractions allowed, e.g. 0.5
    /// in tests; at most 3600)
    #[arg(long, value_name = "N", default_value = "60", value_parser = minute_secs)]
    minute_secs: Duration,

    /// How long before expiry the `presenceSubscription updated` event is sent (capped at 5
    /// UCWA minutes) [default: one UCWA minute, i.e. --minute-secs]
    #[arg(long, value_name = "SECS", value_parser = seconds_or_zero)]
    subscription_lead: Option<Duration>,

    /// Smallest accepted events `timeout` (180 as documented; tests lower it, e.g. to 1)
    #[arg(long, value_name = "SECS", default_value_t = 180, value_parser = positive)]
    pget_min_timeout: u64,

    /// Largest accepted events `timeout`
    #[arg(long, value_name = "SECS", default_value_t = 1800, value_parser = positive)]
    pget_max_timeout: u64,

    /// Timeout of a P-GET without `timeout` (clamped to the min/max above)
    #[arg(long, value_name = "SECS", default_value_t = 180, value_parser = positive)]
    pget_default_timeout: u64,

    /// Shorthand for --pget-min-timeout 1
    #[arg(long, conflicts_with = "pget_min_timeout")]
    allow_short_pget_timeout: bool,

    /// Default aggregation window for medium-priority events (contactPresence updates); 0 =
    /// deliver at once
    #[arg(long, value_name = "MS", default_value_t = 5000, value_parser = number)]
    medium_window_ms: u64,

    /// Default aggregation window for low-priority events (contactNote/contactLocation
    /// updates); 0 = deliver at once
    #[arg(long, value_name = "MS", default_value_t = 15_000, value_parser = number)]
    low_window_ms: u64,

    /// Without reportMyActivity for this long a user becomes IdleOnline (IdleBusy when Busy)
    #[arg(long, value_name = "SECS", default_value = "300", value_parser = seconds)]
    idle_after: Duration,

    /// Without reportMyActivity for this long a user becomes Away
    #[arg(long, value_name = "SECS", default_value = "900", value_parser = seconds)]
    away_after: Duration,

    /// Presence subscriptions per user before 403 LimitExceeded
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = count)]
    max_subscriptions: usize,

    /// Contacts per subscription before 403 LimitExceeded
    #[arg(long, value_name = "N", default_value_t = 250, value_parser = count)]
    max_subscription_uris: usize,

    /// Larger request bodies get 413 EntityTooLarge
    #[arg(long, value_name = "N", default_value_t = 262_144, value_parser = count)]
    max_body_bytes: usize,

    /// Batch sub-requests in flight per user (across batches) before 429 TooManyRequests
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = count)]
    max_outstanding: usize,

    /// Entries the control API's request log keeps (the oldest go first)
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = count)]
    request_log_capacity: usize,

    /// Do not log requests to stderr
    #[arg(long)]
    quiet: bool,

    /// Windows sign-in: HTTP Negotiate (SPNEGO/Kerberos) for grant_type=urn:microsoft.rtc:windows,
    /// offered in the MsRtcOAuth challenge; the service key comes from the keytab named by
    /// KRB5_KTNAME (see server/README.md)
    #[arg(long)]
    negotiate: bool,

    /// With --negotiate: only principals of this Kerberos realm sign in [default: any realm]
    #[arg(long, value_name = "REALM", requires = "negotiate", value_parser = realm)]
    negotiate_realm: Option<String>,
    /// A pool: its own listener, origin, token issuer and XFrame page, sharing the directory
    /// and presence with the other pools; repeatable (e.g. --pool A=127.0.0.1:8090 --pool
    /// B=127.0.0.1:8091). Users homed on another pool get a redirect there [default: one pool
    /// `default` on --listen]
    #[arg(long, value_name = "NAME=ADDR", value_parser = pools::parse_pool_flag, conflicts_with = "listen")]
    pool: Vec<(String, SocketAddr)>,

    /// A user's home pool (overrides the directory's `pool` field); repeatable [default: the
    /// first pool]
    #[arg(long, value_name = "USER=POOL", value_parser = pools::parse_home_flag)]
    home: Vec<(String, String)>,

    /// CORS headers for browsers calling directly: on or off. `off` behaves like a stock server (whose
    /// -EnableCORS is off by default): no Access-Control-* header on any response and 400
    /// (X-Ms-diagnostics 28020) for a preflight; the allow-list check (403 28070) applies either
    /// way
    #[arg(long, value_name = "MODE", default_value = "on", value_parser = on_off, action = clap::ArgAction::Set)]
    cors: bool,

    /// Serve no XFrame page: /Autodiscover/XFrame/XFrame.html answers 404 (the `xframe` links
    /// stay), like a server without one
    #[arg(long)]
    no_xframe: bool,

    /// CWA 2007: the next response after a ticket is this old carries a new CWA-Ticket
    #[arg(long, value_name = "SECS", default_value_t = 300, value_parser = positive)]
    cwa_ticket_renew_secs: u64,

    /// CWA 2007: a replaced ticket stays valid this long
    #[arg(long, value_name = "SECS", default_value_t = 120, value_parser = number)]
    cwa_ticket_grace_secs: u64,

    /// CWA 2007: no ticket is valid longer than this after it was issued
    #[arg(long, value_name = "SECS", default_value_t = 28_800, value_parser = positive)]
    cwa_ticket_lifetime_secs: u64,

    /// CWA 2007: the initiateSession reply: `elements` (requestAccepted with sid/uri/pollWaitTime
    /// children) or `attributes` (initiateSessionAccepted rid sid pollWaitTime)
    #[arg(long, value_name = "SHAPE", default_value = "elements", value_parser = initiate_reply)]
    cwa_initiate_reply: InitiateReply,

    /// CWA 2007: the shape of errors such as 18100: `request-failed`, `error` or `exception`
    #[arg(long, value_name = "SHAPE", default_value = "request-failed", value_parser = error_shape)]
    cwa_error_shape: ErrorShape,

    /// CWA 2007: URIs per subscribePresence/unSubscribePresence/queryPresence (more: 18001)
    #[arg(long, value_name = "N", default_value_t = 200, value_parser = count)]
    cwa_max_uris: usize,

    /// CWA 2007: hold a data-channel GET with nothing queued open this long (0: answer at once)
    #[arg(long, value_name = "MS", default_value_t = 0, value_parser = number)]
    cwa_hold_ms: u64,

    /// CWA 2007: the pollWaitTime sent to clients
    #[arg(long, value_name = "MS", default_value_t = 1000, value_parser = number)]
    cwa_poll_wait_ms: u64,

    /// CWA 2007: a session whose data channel is not polled this long ends
    #[arg(long, value_name = "SECS", default_value_t = 180, value_parser = positive)]
    cwa_session_timeout_secs: u64,

    /// CWA 2007: without UA=true or a machine-state publish this long the machine state goes idle
    #[arg(long, value_name = "SECS", default_value = "300", value_parser = seconds)]
    cwa_idle_secs: Duration,
}

/// Parses a whole command line (program name first). `--help` and bad arguments come back as
/// the error; `clap::Error::exit` prints them and exits with 0 or 2.
pub fn parse_args<I, T>(args: I) -> Result<Config, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let a = Args::try_parse_from(args)?;
    let pget_min_timeout = if a.allow_short_pget_timeout {
        1
    } else {
        a.pget_min_timeout
    };
    if a.pget_max_timeout < pget_min_timeout {
        return Err(Args::command().error(
            ErrorKind::ArgumentConflict,
            "--pget-max-timeout must not be below --pget-min-timeout",
        ));
    }
    for (i, (name, addr)) in a.pool.iter().enumerate() {
        let earlier = &a.pool[..i];
        if earlier.iter().any(|(n, _)| n == name) {
            return Err(Args::command().error(
                ErrorKind::ArgumentConflict,
                format!("--pool {name} is given twice"),
            ));
        }
        if addr.port() != 0 && earlier.iter().any(|(_, a)| a == addr) {
            return Err(Args::command().error(
                ErrorKind::ArgumentConflict,
                format!("--pool {name}: {addr} is already another pool's address"),
            ));
        }
    }
    if !a.home.is_empty() && a.pool.is_empty() {
        return Err(Args::command().error(
            ErrorKind::MissingRequiredArgument,
            "--home needs --pool (without it there is one pool)",
        ));
    }
    Ok(Config {
        listen: a.listen,
        users_file: a.users,
        allow_origins: a.allow_origin,
        demo: a.demo,
        demo_interval: Duration::from_millis(a.demo_interval_ms),
        control: a.control,
        token_lifetime: Duration::from_secs(a.token_lifetime),
        app_idle_timeout: Duration::from_secs(a.app_idle_timeout),
        max_applications: a.max_applications,
        minute: a.minute_secs,
        subscription_lead: a.subscription_lead,
        pget_min_timeout,
        pget_max_timeout: a.pget_max_timeout,
        pget_default_timeout: a.pget_default_timeout,
        medium_window: Duration::from_millis(a.medium_window_ms),
        low_window: Duration::from_millis(a.low_window_ms),
        idle_after: a.idle_after,
        away_after: a.away_after,
        max_subscriptions: a.max_subscriptions,
        max_subscription_uris: a.max_subscription_uris,
        max_body_bytes: a.max_body_bytes,
        max_outstanding: a.max_outstanding,
        request_log_capacity: a.request_log_capacity,
        log_requests: !a.quiet,
        negotiate: a.negotiate,
        negotiate_realm: a.negotiate_realm,
        pools: a.pool,
        homes: a.home,
        cors: a.cors,
        xframe: !a.no_xframe,
        cwa: CwaConfig {
            ticket_renew: Duration::from_secs(a.cwa_ticket_renew_secs),
            ticket_grace: Duration::from_secs(a.cwa_ticket_grace_secs),
            ticket_lifetime: Duration::from_secs(a.cwa_ticket_lifetime_secs),
            initiate_reply: a.cwa_initiate_reply,
            error_shape: a.cwa_error_shape,
            max_uris: a.cwa_max_uris,
            hold: Duration::from_millis(a.cwa_hold_ms),
            poll_wait: Duration::from_millis(a.cwa_poll_wait_ms),
            session_timeout: Duration::from_secs(a.cwa_session_timeout_secs),
            idle_after: a.cwa_idle_secs,
        },
    })
}

const MAX_NUMBER: u64 = 1_000_000_000;
const MAX_SECONDS: f64 = 1.0e7;

/// A whole number up to a billion.
fn number(v: &str) -> Result<u64, String> {
    match v.trim().parse::<u64>() {
        Ok(n) if n <= MAX_NUMBER => Ok(n),
        Ok(_) => Err(format!("at most {MAX_NUMBER}")),
        Err(_) => Err("not a whole number".into()),
    }
}

/// A whole number from 1 up to a billion.
fn positive(v: &str) -> Result<u64, String> {
    match number(v)? {
        0 => Err("must be at least 1".into()),
        n => Ok(n),
    }
}

fn count(v: &str) -> Result<usize, String> {
    usize::try_from(positive(v)?).map_err(|_| "too large".into())
}

/// Seconds, fractions allowed, from 0 up to 10^7.
fn seconds_or_zero(v: &str) -> Result<Duration, String> {
    let secs: f64 = v
        .trim()
        .parse()
        .map_err(|_| "not a number of seconds".to_string())?;
    if !secs.is_finite() || !(0.0..=MAX_SECONDS).contains(&secs) {
        return Err(format!("must be between 0 and {MAX_SECONDS} seconds"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Seconds above 0.
fn seconds(v: &str) -> Result<Duration, String> {
    match seconds_or_zero(v)? {
        Duration::ZERO => Err("must be above 0".into()),
        d => Ok(d),
    }
}

fn minute_secs(v: &str) -> Result<Duration, String> {
    let d = seconds(v)?;
    if d > Duration::from_secs(3600) {
        return Err("must be at most 3600".into());
    }
    Ok(d)
}

/// A Kerberos realm name such as `CONTOSO.TEST`.
fn realm(v: &str) -> Result<String, String> {
    let v = v.trim();
    let ok = !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-_".contains(&b));
    ok.then(|| v.to_string())
        .ok_or_else(|| "not a realm name like CONTOSO.TEST".into())
}

fn initiate_reply(v: &str) -> Result<InitiateReply, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "elements" => Ok(InitiateReply::Elements),
        "attributes" => Ok(InitiateReply::Attributes),
        _ => Err("must be elements or attributes".into()),
    }
}

fn error_shape(v: &str) -> Result<ErrorShape, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "request-failed" => Ok(ErrorShape::RequestFailed),
        "error" => Ok(ErrorShape::Error),
        "exception" => Ok(ErrorShape::Exception),
        _ => Err("must be request-failed, error or exception".into()),
    }
}

fn on_off(v: &str) -> Result<bool, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err("on or off".into()),
    }
}

/// `*`, or an origin normalised for comparison.
fn origin(v: &str) -> Result<String, String> {
    if v.trim() == "*" {
        return Ok("*".into());
    }
    cors::normalize_origin(v).ok_or_else(|| "not an origin like http://host:port".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Config, clap::Error> {
        parse_args(std::iter::once("ucwa-server").chain(args.iter().copied()))
    }

    #[test]
    fn no_flags_give_the_default_config() {
        assert_eq!(run(&[]).unwrap(), Config::default());
    }

    #[test]
    fn parses_flags_in_both_spellings() {
        let c = run(&[
            "--listen",
            "127.0.0.1:0",
            "--minute-secs=0.5",
            "--control",
            "--allow-origin",
            "http://Example.com:80/",
            "--allow-origin=*",
            "--allow-short-pget-timeout",
            "--medium-window-ms",
            "0",
            "--quiet",
            "--cors",
            "off",
            "--no-xframe",
        ])
        .unwrap();
        assert!(!c.cors && !c.xframe);
        let pooled = run(&[
            "--pool",
            "A=127.0.0.1:0",
            "--pool",
            "B=127.0.0.1:0",
            "--home",
            "sip:SaraD@contoso.com=B",
        ])
        .unwrap();
        assert_eq!(pooled.pools.len(), 2);
        assert_eq!(pooled.pools[1].0, "B");
        assert_eq!(pooled.homes, [("sarad@contoso.com".into(), "B".into())]);
        assert_eq!(c.listen.port(), 0);
        assert_eq!(c.minute, Duration::from_millis(500));
        assert!(c.control && !c.log_requests);
        assert_eq!(c.allow_origins, ["http://example.com", "*"]);
        assert_eq!(c.pget_min_timeout, 1);
        assert_eq!(c.medium_window, Duration::ZERO);
        assert!(!c.negotiate);
        let c = run(&["--negotiate", "--negotiate-realm=CONTOSO.TEST"]).unwrap();
        assert!(c.negotiate);
        assert_eq!(c.negotiate_realm.as_deref(), Some("CONTOSO.TEST"));
    }

    #[test]
    fn parses_the_cwa_flags() {
        let c = run(&[
            "--cwa-ticket-renew-secs",
            "30",
            "--cwa-ticket-grace-secs",
            "0",
            "--cwa-ticket-lifetime-secs",
            "600",
            "--cwa-initiate-reply",
            "attributes",
            "--cwa-error-shape",
            "exception",
            "--cwa-max-uris",
            "5",
            "--cwa-hold-ms",
            "25000",
            "--cwa-poll-wait-ms",
            "0",
            "--cwa-session-timeout-secs",
            "60",
            "--cwa-idle-secs",
            "1.5",
        ])
        .unwrap();
        assert_eq!(
            c.cwa,
            CwaConfig {
                ticket_renew: Duration::from_secs(30),
                ticket_grace: Duration::ZERO,
                ticket_lifetime: Duration::from_secs(600),
                initiate_reply: InitiateReply::Attributes,
                error_shape: ErrorShape::Exception,
                max_uris: 5,
                hold: Duration::from_millis(25_000),
                poll_wait: Duration::ZERO,
                session_timeout: Duration::from_secs(60),
                idle_after: Duration::from_millis(1500),
            }
        );
        assert_eq!(run(&[]).unwrap().cwa, CwaConfig::default());
    }

    #[test]
    fn refuses_bad_values_with_usage_errors() {
        for bad in [
            &["--listen"][..],
            &["--listen", "nope"],
            &["--minute-secs", "-1"],
            &["--minute-secs", "3601"],
            &["--idle-after", "0"],
            &["--token-lifetime", "0"],
            &["--max-body-bytes", "lots"],
            &["--medium-window-ms", "2000000000"],
            &["--subscription-lead", "NaN"],
            &["--allow-origin", "not an origin"],
            &["--pget-min-timeout", "20", "--pget-max-timeout", "10"],
            &["--allow-short-pget-timeout", "--pget-min-timeout", "5"],
            &["--bogus"],
            &["--negotiate-realm", "CONTOSO.TEST"],
            &["--negotiate", "--negotiate-realm", "not a realm"],
            &["--cors", "maybe"],
            &["--pool", "A"],
            &["--pool", "A=127.0.0.1:1", "--pool", "A=127.0.0.1:2"],
            &["--pool", "A=127.0.0.1:1", "--pool", "B=127.0.0.1:1"],
            &["--pool", "A=127.0.0.1:1", "--listen", "127.0.0.1:2"],
            &["--home", "sarad@contoso.com=A"],
            &["--cors"],
            &["--cwa-initiate-reply", "json"],
            &["--cwa-error-shape", "soap"],
            &["--cwa-ticket-renew-secs", "0"],
            &["--cwa-max-uris", "0"],
        ] {
            let e = run(bad).expect_err(&format!("{bad:?} must be refused"));
            assert_eq!(e.exit_code(), 2, "{bad:?}: {e}");
        }
        let help = run(&["--help"]).unwrap_err();
        assert_eq!((help.kind(), help.exit_code()), (ErrorKind::DisplayHelp, 0));
    }
}
