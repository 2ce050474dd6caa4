//! Command-line configuration (`ucwa-server --help` prints [`HELP`]).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub const HELP: &str = "\
ucwa-server: a UCWA 2.0 presence server built from Microsoft's published UCWA reference.

USAGE:
    ucwa-server --listen 127.0.0.1:PORT [OPTIONS]

OPTIONS:
    --listen ADDR              Address to listen on (default 127.0.0.1:8090). Port 0 picks one.
    --users FILE               TOML or JSON user directory (see server/README.md). Without it a
                               built-in demo directory is used (dana@contoso.com, sarad@contoso.com
                               and six colleagues; every password is `demo`).
    --allow-origin ORIGIN      Cross-domain authorization list entry (scheme://host[:port]);
                               repeatable. `*` allows every origin. The server's own origins
                               (http://127.0.0.1:PORT, http://localhost:PORT) are always allowed;
                               without this flag http://localhost:8080 and http://127.0.0.1:8080
                               (the `trunk serve` demo page) are allowed too.
    --demo                     Simulated colleagues change presence and notes every few seconds
                               (never Dana or Sara).
    --demo-interval-ms MS      Pause between simulated changes (default 3000).
    --control                  Enable the unauthenticated test/demo control API under /_control.
    --token-lifetime SECS      OAuth token lifetime, reported as expires_in (default 28800).
    --app-idle-timeout SECS    Applications with no request and no pending P-GET for this long
                               are deleted; later requests get 404 ApplicationNotFound
                               (default 900).
    --minute-secs N            Real seconds in one UCWA \"minute\" of subscription duration
                               (default 60; fractions allowed, e.g. 0.5 in tests).
    --subscription-lead SECS   How long before expiry the `presenceSubscription updated` event is
                               sent (default: one UCWA minute, i.e. --minute-secs).
    --pget-min-timeout SECS    Smallest accepted events `timeout` (default 180, as documented;
                               tests lower it, e.g. to 1).
    --pget-max-timeout SECS    Largest accepted events `timeout` (default 1800).
    --pget-default-timeout SECS  Timeout of a P-GET without `timeout` (default 180, clamped to
                               the min/max above).
    --allow-short-pget-timeout Shorthand for --pget-min-timeout 1.
    --medium-window-ms MS      Default aggregation window for medium-priority events
                               (contactPresence updates; default 5000). 0 = deliver at once.
    --low-window-ms MS         Default aggregation window for low-priority events
                               (contactNote/contactLocation updates; default 15000).
    --idle-after SECS          Without reportMyActivity for this long a user becomes IdleOnline
                               (IdleBusy when Busy) (default 300).
    --away-after SECS          Without reportMyActivity for this long a user becomes Away
                               (default 900).
    --max-subscriptions N      Presence subscriptions per user before 403 LimitExceeded
                               (default 64).
    --max-subscription-uris N  Contacts per subscription before 403 LimitExceeded (default 250).
    --max-body-bytes N         Largest accepted request body (default 262144) -> 413.
    --quiet                    Do not log requests to stderr.
    -h, --help                 Print this help.
";

/// Everything the server can be told from the command line.
#[derive(Debug, Clone)]
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
    pub log_requests: bool,
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
            log_requests: true,
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

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    Run(Box<Config>),
    Help,
}

/// Parses the arguments after the program name.
pub fn parse_args<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut cfg = Config::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => args.next().ok_or_else(|| format!("{name} needs a value")),
            }
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--listen" => {
                let v = value("--listen")?;
                cfg.listen = v.parse().map_err(|_| {
                    format!("--listen: `{v}` is not an address like 127.0.0.1:8090")
                })?;
            }
            "--users" => cfg.users_file = Some(PathBuf::from(value("--users")?)),
            "--allow-origin" => {
                let v = value("--allow-origin")?;
                let origin = if v.trim() == "*" {
                    "*".to_string()
                } else {
                    crate::cors::normalize_origin(&v).ok_or_else(|| {
                        format!("--allow-origin: `{v}` is not an origin like http://host:port")
                    })?
                };
                cfg.allow_origins.push(origin);
            }
            "--demo" => cfg.demo = true,
            "--demo-interval-ms" => {
                cfg.demo_interval = Duration::from_millis(positive(
                    "--demo-interval-ms",
                    &value("--demo-interval-ms")?,
                )?)
            }
            "--control" => cfg.control = true,
            "--quiet" => cfg.log_requests = false,
            "--token-lifetime" => {
                cfg.token_lifetime =
                    Duration::from_secs(positive("--token-lifetime", &value("--token-lifetime")?)?)
            }
            "--app-idle-timeout" => {
                cfg.app_idle_timeout = Duration::from_secs(positive(
                    "--app-idle-timeout",
                    &value("--app-idle-timeout")?,
                )?)
            }
            "--minute-secs" => {
                cfg.minute = seconds("--minute-secs", &value("--minute-secs")?, false)?;
                if cfg.minute > Duration::from_secs(3600) {
                    return Err("--minute-secs must be at most 3600".into());
                }
            }
            "--subscription-lead" => {
                cfg.subscription_lead = Some(seconds(
                    "--subscription-lead",
                    &value("--subscription-lead")?,
                    true,
                )?)
            }
            "--pget-min-timeout" => {
                cfg.pget_min_timeout =
                    positive("--pget-min-timeout", &value("--pget-min-timeout")?)?
            }
            "--pget-max-timeout" => {
                cfg.pget_max_timeout =
                    positive("--pget-max-timeout", &value("--pget-max-timeout")?)?
            }
            "--pget-default-timeout" => {
                cfg.pget_default_timeout =
                    positive("--pget-default-timeout", &value("--pget-default-timeout")?)?
            }
            "--allow-short-pget-timeout" => cfg.pget_min_timeout = 1,
            "--medium-window-ms" => {
                cfg.medium_window = Duration::from_millis(number(
                    "--medium-window-ms",
                    &value("--medium-window-ms")?,
                )?)
            }
            "--low-window-ms" => {
                cfg.low_window =
                    Duration::from_millis(number("--low-window-ms", &value("--low-window-ms")?)?)
            }
            "--idle-after" => {
                cfg.idle_after = seconds("--idle-after", &value("--idle-after")?, false)?
            }
            "--away-after" => {
                cfg.away_after = seconds("--away-after", &value("--away-after")?, false)?
            }
            "--max-subscriptions" => {
                cfg.max_subscriptions =
                    positive("--max-subscriptions", &value("--max-subscriptions")?)? as usize
            }
            "--max-subscription-uris" => {
                cfg.max_subscription_uris = positive(
                    "--max-subscription-uris",
                    &value("--max-subscription-uris")?,
                )? as usize
            }
            "--max-body-bytes" => {
                cfg.max_body_bytes =
                    positive("--max-body-bytes", &value("--max-body-bytes")?)? as usize
            }
            other => return Err(format!("unknown argument `{other}` (see --help)")),
        }
    }
    if cfg.pget_max_timeout < cfg.pget_min_timeout {
        return Err("--pget-max-timeout must not be below --pget-min-timeout".into());
    }
    Ok(Command::Run(Box::new(cfg)))
}

fn number(flag: &str, v: &str) -> Result<u64, String> {
    match v.trim().parse::<u64>() {
        Ok(n) if n <= 1_000_000_000 => Ok(n),
        Ok(_) => Err(format!("{flag}: `{v}` is too large")),
        Err(_) => Err(format!("{flag}: `{v}` is not a whole number")),
    }
}

fn positive(flag: &str, v: &str) -> Result<u64, String> {
    match number(flag, v)? {
        0 => Err(format!("{flag} must be at least 1")),
        n => Ok(n),
    }
}

fn seconds(flag: &str, v: &str, zero_ok: bool) -> Result<Duration, String> {
    let secs: f64 = v
        .trim()
        .parse()
        .map_err(|_| format!("{flag}: `{v}` is not a number of seconds"))?;
    if !secs.is_finite() || secs < 0.0 || (!zero_ok && secs == 0.0) || secs > 1.0e7 {
        return Err(format!("{flag}: `{v}` is out of range"));
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Config, String> {
        match parse_args(args.iter().map(|s| s.to_string()))? {
            Command::Run(c) => Ok(*c),
            Command::Help => Err("help".into()),
        }
    }

    #[test]
    fn parses_flags() {
        let c = run(&[
            "--listen",
            "127.0.0.1:0",
            "--minute-secs=0.5",
            "--control",
            "--allow-origin",
            "http://Example.com:80/",
        ])
        .unwrap();
        assert_eq!(c.listen.port(), 0);
        assert_eq!(c.minute, Duration::from_millis(500));
        assert!(c.control);
        assert_eq!(c.allow_origins, vec!["http://example.com".to_string()]);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(run(&["--listen"]).is_err());
        assert!(run(&["--listen", "nope"]).is_err());
        assert!(run(&["--minute-secs", "-1"]).is_err());
        assert!(run(&["--bogus"]).is_err());
        assert!(run(&["--allow-origin", "not an origin"]).is_err());
        assert!(matches!(
            parse_args(vec!["--help".to_string()]),
            Ok(Command::Help)
        ));
    }
}
