//! Test harness: an in-process server on 127.0.0.1:0 and a small UCWA client over real HTTP.
//!
//! Tests about time run on tokio's paused clock (`#[tokio::test(start_paused = true)]` with
//! [`Srv::paused`]): the server reads the same clock, so [`advance`] moves every expiry, idle
//! timeout and aggregation window without waiting. While an ordinary request is in flight the
//! clock is held still ([`held`]), so time moves only where a test says so — by [`advance`],
//! or while a P-GET waits for events or its timeout.

use std::future::Future;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use ucwa_server::Config;

pub const DANA: &str = "sip:dana@contoso.com";
pub const SARA: &str = "sip:sarad@contoso.com";

/// Fast timings: no aggregation delay, 1 s minimum P-GET timeout, control API on.
pub fn fast() -> Config {
    Config {
        control: true,
        log_requests: false,
        medium_window: Duration::ZERO,
        low_window: Duration::ZERO,
        pget_min_timeout: 1,
        ..Config::default()
    }
}

/// How long (in real time) a request may take before the test fails instead of hanging.
const REAL_DEADLINE: Duration = Duration::from_secs(20);

/// Runs `request` with tokio's paused clock held still: a blocking task is running meanwhile,
/// and tokio does not auto-advance a paused clock while one is (see `tokio::time::pause`).
/// The blocking task doubles as a real-time watchdog.
pub async fn held<F: Future>(request: F) -> F::Output {
    let (done, wait) = mpsc::channel::<()>();
    let mut watchdog = tokio::task::spawn_blocking(move || {
        matches!(
            wait.recv_timeout(REAL_DEADLINE),
            Err(RecvTimeoutError::Timeout)
        )
    });
    tokio::pin!(request);
    tokio::select! {
        biased;
        out = &mut request => {
            drop(done);
            let _ = watchdog.await;
            out
        }
        _ = &mut watchdog => panic!("a request took more than {REAL_DEADLINE:?} of real time"),
    }
}

/// Lets `d` of paused time pass: the clock jumps from timer to timer, firing each in order
/// (the server's housekeeping ticks included). Panics unless the clock is paused.
pub async fn advance(d: Duration) {
    tokio::time::advance(Duration::ZERO).await; // panics on a running clock
    tokio::time::sleep(d).await;
}

/// `held` on a paused clock, the request itself otherwise.
async fn maybe_held<F: Future>(paused: bool, request: F) -> F::Output {
    if paused {
        held(request).await
    } else {
        request.await
    }
}

pub struct Srv {
    pub base: String,
    pub http: reqwest::Client,
    /// Runs on tokio's paused clock (see the module comment).
    pub paused: bool,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl Srv {
    /// A server for a test on tokio's paused clock (`#[tokio::test(start_paused = true)]`).
    pub async fn paused(cfg: Config) -> Srv {
        tokio::time::advance(Duration::ZERO).await; // panics on a running clock
        let mut srv = Srv::start(cfg).await;
        srv.paused = true;
        // reqwest's timeout would run on the paused clock; `held` and `Session::pget` bound
        // requests instead.
        srv.http = reqwest::Client::new();
        srv
    }

    pub async fn start(cfg: Config) -> Srv {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            ucwa_server::serve_with_shutdown(cfg, listener, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap();
        Srv {
            base,
            http,
            paused: false,
            _shutdown: tx,
        }
    }

    /// One process playing the pools `names` (each on its own 127.0.0.1 port), in that order.
    pub async fn pools(cfg: Config, names: &[&str]) -> Vec<Srv> {
        let mut listeners = Vec::new();
        for name in names {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            listeners.push((name.to_string(), l));
        }
        let bases: Vec<String> = listeners
            .iter()
            .map(|(_, l)| format!("http://{}", l.local_addr().unwrap()))
            .collect();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            ucwa_server::serve_pools_with_shutdown(cfg, listeners, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        let mut shutdown = Some(tx);
        bases
            .into_iter()
            .map(|base| Srv {
                base,
                http: reqwest::Client::builder()
                    .timeout(Duration::from_secs(20))
                    .build()
                    .unwrap(),
                paused: false,
                // The first pool's handle stops them all; the others hold inert ones.
                _shutdown: shutdown
                    .take()
                    .unwrap_or_else(|| tokio::sync::oneshot::channel().0),
            })
            .collect()
    }

    pub async fn fast() -> Srv {
        Srv::start(fast()).await
    }

    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        }
    }

    pub async fn token(&self, user: &str) -> String {
        let request = self
            .http
            .post(self.url("/WebTicket/oauthtoken"))
            .header(
                "Content-Type",
                "application/x-www-form-urlencoded;charset=UTF-8",
            )
            .body(format!("grant_type=password&username={user}&password=demo"));
        let (status, v) = maybe_held(self.paused, response(request)).await;
        assert_eq!(status, 200, "{v}");
        v["access_token"].as_str().unwrap().to_string()
    }

    /// Signs in and creates an application.
    pub async fn session(&self, user: &str) -> Session {
        self.session_with(user, json!({"userAgent": "tests/1.0", "endpointId": format!("ep-{}", rand_id()), "culture": "en-US"})).await
    }

    pub async fn session_with(&self, user: &str, body: Value) -> Session {
        let token = self.token(user).await;
        let mut s = Session {
            base: self.base.clone(),
            http: self.http.clone(),
            token,
            app: String::new(),
            next: String::new(),
            timeout: 1,
            paused: self.paused,
        };
        let (status, v) = s
            .send(Method::POST, "/ucwa/oauth/v1/applications", Some(body))
            .await;
        assert!(
            status == 201 || status == 200,
            "create application: {status} {v}"
        );
        s.app = v["_links"]["self"]["href"].as_str().unwrap().to_string();
        s.next = v["_links"]["events"]["href"].as_str().unwrap().to_string();
        s
    }

    /// A plain GET without a token (discovery, the control API, unknown paths).
    pub async fn get(&self, path: &str) -> reqwest::Response {
        let request = self.http.get(self.url(path)).send();
        maybe_held(self.paused, request).await.unwrap()
    }

    pub async fn control(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let request = self
            .http
            .post(self.url(&format!("/_control{path}")))
            .json(&body);
        maybe_held(self.paused, response(request)).await
    }

    pub async fn control_get(&self, path: &str) -> (StatusCode, Value) {
        let request = self.http.get(self.url(&format!("/_control{path}")));
        maybe_held(self.paused, response(request)).await
    }

    pub async fn stats(&self) -> Value {
        let request = self.http.get(self.url("/_control/stats"));
        maybe_held(self.paused, response(request)).await.1
    }

    /// Polls the control API's stats until `ready` holds (at most [`REAL_DEADLINE`] of real
    /// time; on a paused clock no time passes meanwhile).
    pub async fn stats_when(&self, what: &str, ready: impl Fn(&Value) -> bool) -> Value {
        let deadline = std::time::Instant::now() + REAL_DEADLINE;
        loop {
            let stats = self.stats().await;
            if ready(&stats) {
                return stats;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "stats never showed {what}: {stats}"
            );
            if self.paused {
                tokio::task::yield_now().await;
            } else {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

/// Sends a request; (status, JSON body or Null).
pub async fn response(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let r = request.send().await.unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub fn rand_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// A signed-in application, following the event channel's `next` links.
pub struct Session {
    pub base: String,
    pub http: reqwest::Client,
    pub token: String,
    /// The application's href (`/ucwa/oauth/v1/applications/N`).
    pub app: String,
    /// The next event channel URL from the server.
    pub next: String,
    /// `timeout` added to P-GETs, in seconds.
    pub timeout: u64,
    /// Runs on tokio's paused clock (see the module comment).
    pub paused: bool,
}

impl Session {
    pub fn path(&self, rel: &str) -> String {
        if rel.starts_with('/') {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.app)
        }
    }

    pub async fn send(
        &self,
        method: Method,
        rel: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let url = format!("{}{}", self.base, self.path(rel));
        let mut req = self
            .http
            .request(method, url)
            .bearer_auth(&self.token)
            .header("Accept", "application/json");
        if let Some(b) = body {
            req = req.json(&b);
        }
        maybe_held(self.paused, response(req)).await
    }

    pub async fn get(&self, rel: &str) -> (StatusCode, Value) {
        self.send(Method::GET, rel, None).await
    }

    pub async fn post(&self, rel: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, rel, Some(body)).await
    }

    pub async fn post_empty(&self, rel: &str) -> (StatusCode, Value) {
        self.send(Method::POST, rel, None).await
    }

    pub async fn delete(&self, rel: &str) -> (StatusCode, Value) {
        self.send(Method::DELETE, rel, None).await
    }

    /// A 10-minute presence subscription to `uris` (201 asserted); returns it.
    pub async fn subscribe(&self, uris: &[&str]) -> Value {
        let body = json!({"duration": 10, "uris": uris});
        let (status, v) = self.post("people/presenceSubscriptions", body).await;
        assert_eq!(status, 201, "subscribe: {v}");
        v
    }

    pub async fn make_me_available(&self) {
        let (s, v) = self
            .post(
                "me/makeMeAvailable",
                json!({"SupportedModalities": ["Messaging"]}),
            )
            .await;
        assert_eq!(s, 204, "{v}");
    }

    /// One P-GET on `next`; follows `next` (or `resume`) for the following call. The clock
    /// is not held: the P-GET waits for events or its timeout. On a paused clock it must be
    /// answered within a minute of (paused) time after its timeout.
    pub async fn pget(&mut self) -> Value {
        let url = format!("{}{}&timeout={}", self.base, self.next, self.timeout);
        let request = self.http.get(url).bearer_auth(&self.token);
        let (status, v) = if self.paused {
            let limit = Duration::from_secs(self.timeout + 60);
            tokio::time::timeout(limit, response(request))
                .await
                .expect("the P-GET was not answered by its timeout")
        } else {
            response(request).await
        };
        assert_eq!(status, 200, "P-GET failed: {v}");
        if let Some(n) = v["_links"]["next"]["href"]
            .as_str()
            .or(v["_links"]["resume"]["href"].as_str())
        {
            self.next = n.to_string();
        }
        v
    }

    /// P-GETs until an event matching (rel, type[, href suffix]) arrives, or `tries` responses.
    pub async fn wait_for(&mut self, rel: &str, kind: &str, tries: usize) -> Option<Value> {
        for _ in 0..tries {
            let v = self.pget().await;
            if let Some(e) = events(&v)
                .into_iter()
                .find(|e| e["link"]["rel"] == rel && e["type"] == kind)
            {
                return Some(e);
            }
        }
        None
    }
}

/// All events of a P-GET response, in order.
pub fn events(v: &Value) -> Vec<Value> {
    v["sender"]
        .as_array()
        .map(|s| {
            s.iter()
                .flat_map(|b| b["events"].as_array().cloned().unwrap_or_default())
                .collect()
        })
        .unwrap_or_default()
}

/// (sender rel, link rel, type) triples of a response.
pub fn summary(v: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for block in v["sender"].as_array().cloned().unwrap_or_default() {
        for e in block["events"].as_array().cloned().unwrap_or_default() {
            out.push((
                block["rel"].as_str().unwrap_or("").to_string(),
                e["link"]["rel"].as_str().unwrap_or("").to_string(),
                e["type"].as_str().unwrap_or("").to_string(),
            ));
        }
    }
    out
}

pub fn s3(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.to_string(), b.to_string(), c.to_string())
}
