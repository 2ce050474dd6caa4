//! The server's shared state, one file per concern:
//!
//! - [`tokens`]: bearer tokens and their lifetime;
//! - [`applications`]: applications and their event channels (MultiTabSupport instances);
//! - [`subscriptions`]: presence subscriptions and their memberships, with [`notices`] building
//!   the events they send;
//! - [`presence`]: each user's presence and its fan-out to subscribers and own applications;
//! - [`photo_cookies`]: the `cwt_ucwa` cookies that authorise photo GETs;
//! - [`housekeeping`]: the periodic expiry of all of them.
//!
//! The state never reads a clock: every operation that depends on time takes `now`, so the
//! unit tests below each file drive it with instants they make up. One mutex guards it all:
//! operations are short and never await while holding it.

mod applications;
mod ended;
mod housekeeping;
mod notices;
mod photo_cookies;
mod presence;
mod subscriptions;
mod tokens;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::Router;

use crate::config::Config;
use crate::cors::Origins;
use crate::directory::Directory;
use crate::faults::Faults;
use crate::pools::{Pool, Pools};
use crate::presence::{now_ms, NoteType, PresenceState};
use crate::requests::RequestLog;

pub use applications::{Application, Endpoint};
pub use ended::EndReason;
pub use subscriptions::Subscription;
pub use tokens::Tokens;

pub type AppState = Arc<Shared>;

/// One pool's view of the state: its own name, origins, address and router; the directory,
/// the pools and [`Inner`] are shared by every pool of the process.
pub struct Shared {
    pub cfg: Config,
    pub dir: Arc<Directory>,
    pub pools: Arc<Pools>,
    /// This pool's name (tokens it issues are valid only here).
    pub pool: String,
    pub origins: Origins,
    /// `host:port` the pool listens on (fallback for links when Host is missing).
    pub local_authority: String,
    /// This pool's full router, for executing the parts of a batch request (set once it is
    /// built; taken away again by [`crate::App`]'s drop, which ends the cycle state → router →
    /// state so that the state is freed).
    router: Mutex<Option<Router>>,
    inner: Arc<Mutex<Inner>>,
}

impl Shared {
    /// The first pool of a process: the state every other pool will share.
    pub fn new(cfg: Config, dir: Directory, pools: Pools, now: Instant) -> Self {
        let dir = Arc::new(dir);
        let inner = Inner::new(cfg.clone(), &dir, now);
        let first = pools.all()[0].clone();
        Shared {
            origins: Origins::new(&cfg.allow_origins, first.addr.port()),
            local_authority: first.addr.to_string(),
            pool: first.name,
            cfg,
            dir,
            pools: Arc::new(pools),
            router: Mutex::new(None),
            inner: Arc::new(Mutex::new(inner)),
        }
    }

    /// Another pool of the same process, sharing directory, presence, applications and tokens.
    pub fn sibling(&self, pool: &Pool) -> Self {
        Shared {
            cfg: self.cfg.clone(),
            dir: self.dir.clone(),
            pools: self.pools.clone(),
            pool: pool.name.clone(),
            origins: Origins::new(&self.cfg.allow_origins, pool.addr.port()),
            local_authority: pool.addr.to_string(),
            router: Mutex::new(None),
            inner: self.inner.clone(),
        }
    }

    /// The router batch parts run through, once set.
    pub fn router(&self) -> Option<Router> {
        self.router
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Sets (or with `None` releases) the router batch parts run through.
    pub fn set_router(&self, router: Option<Router>) {
        *self
            .router
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = router;
    }

    /// Locks the state. A panic elsewhere cannot leave it half-updated in a way that matters
    /// more than refusing all further service, so a poisoned lock is recovered.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[derive(Default, Debug, Clone)]
pub struct Counters {
    pub requests: u64,
    pub events_delivered: u64,
    pub pget_responses: u64,
    pub applications_created: u64,
    pub subscriptions_created: u64,
    pub subscriptions_extended: u64,
}

pub struct Inner {
    pub cfg: Config,
    pub tokens: Tokens,
    pub apps: BTreeMap<u64, Application>,
    /// Applications the server ended: their later requests answer 410.
    pub ended: ended::Ended,
    next_app_id: u64,
    pub presence: HashMap<String, PresenceState>,
    pub subs: BTreeMap<String, Subscription>,
    pub faults: Faults,
    pub counters: Counters,
    /// Batch sub-requests in flight per user (BatchingRequests: at most 100).
    pub outstanding: HashMap<String, usize>,
    /// Control API: the requests every pool received.
    pub requests: RequestLog,
    /// Photos switched on so far (the generation of the next one; see `set_photo`).
    photo_generations: u32,
    /// The CWA 2007 front end's tickets and sessions (endpoints of the same users).
    pub cwa: crate::cwa2007::CwaState,
}

impl Inner {
    pub fn new(cfg: Config, dir: &Directory, now: Instant) -> Self {
        let mut presence = HashMap::new();
        for (i, u) in dir.users().iter().enumerate() {
            // Spread last-active times over the past hours so the demo looks lived-in.
            let mut p = PresenceState::new(now_ms() - (i as i64 + 1) * 37 * 60_000);
            p.manual = u.initial.availability;
            p.other_endpoint = u.initial.availability.is_some();
            p.activity = u.initial.activity.clone();
            if let Some(n) = &u.initial.note {
                p.set_note(n.kind, &n.message);
            }
            if let Some(n) = &u.initial.out_of_office_note {
                p.set_note(NoteType::OutOfOffice, n);
            }
            if !u.photo {
                p.photo = None;
            }
            if let Some(l) = &u.initial.location {
                p.location = l.clone();
            }
            p.published = p.compute(None, now, cfg.idle_after, cfg.away_after);
            presence.insert(u.key.clone(), p);
        }
        let request_log = RequestLog::new(cfg.request_log_capacity);
        Inner {
            tokens: Tokens::new(cfg.token_lifetime),
            cfg,
            apps: BTreeMap::new(),
            ended: ended::Ended::default(),
            next_app_id: 101,
            presence,
            subs: BTreeMap::new(),
            faults: Faults::default(),
            counters: Counters::default(),
            outstanding: HashMap::new(),
            requests: request_log,
            photo_generations: 0,
            cwa: crate::cwa2007::CwaState::default(),
        }
    }
}

/// Fixtures for the unit tests of the state files.
#[cfg(test)]
pub(crate) mod testing {
    use std::time::{Duration, Instant};

    use super::{Endpoint, Inner};
    use crate::config::Config;
    use crate::directory::Directory;
    use crate::events::Event;

    pub const DANA: &str = "dana@contoso.com";
    pub const SARA: &str = "sarad@contoso.com";
    /// Starts Online "from another endpoint" in the built-in directory.
    pub const CHRIS: &str = "chrisb@contoso.com";

    /// The one instant the tests start from; every other instant is derived from it, so no test
    /// depends on how long it takes to run.
    pub fn t0() -> Instant {
        Instant::now()
    }

    pub fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    /// The built-in directory with the default configuration but instant aggregation.
    pub fn inner(t0: Instant) -> Inner {
        Inner::new(
            Config {
                medium_window: Duration::ZERO,
                low_window: Duration::ZERO,
                ..Config::default()
            },
            &Directory::builtin(),
            t0,
        )
    }

    pub fn browser(endpoint_id: &str) -> Endpoint {
        Endpoint {
            user_agent: "tests/1.0".into(),
            endpoint_id: endpoint_id.into(),
            culture: "en-US".into(),
            app_type: "Browser".into(),
        }
    }

    /// A new application of `user` (one channel, instance "").
    pub fn app_of(g: &mut Inner, user: &str, now: Instant) -> u64 {
        g.create_application(user, &browser(&format!("ep-{user}")), "", now)
            .0
    }

    /// Takes everything queued on the application's default channel as (rel, type) pairs.
    pub fn drain(g: &mut Inner, app: u64) -> Vec<(&'static str, &'static str)> {
        let ch = g
            .apps
            .get_mut(&app)
            .and_then(|a| a.channels.get_mut(""))
            .expect("application with a default channel");
        ch.drain_events()
            .iter()
            .map(|e: &Event| (e.link.rel, e.kind))
            .collect()
    }
}
