//! Loopback benchmark: N concurrent event channels with presence churn.
//!
//! `cargo run --release -p ucwa-server --example ucwa-bench -- [--channels N] [--secs S] [--rate R] [--no-write]`
//!
//! Starts the server in-process on 127.0.0.1:0, signs in as Sara, creates N applications that
//! each subscribe to the six simulated colleagues and hold a P-GET, then changes colleagues'
//! presence R times a second (through the control API) for S seconds. Every change fans out to
//! all N channels. It reports events/s delivered and the latency from a change being accepted
//! to its `contactPresence updated` event arriving, and updates BENCHMARKS.md. Loopback only;
//! N ≤ 5000, S ≤ 60, R ≤ 1000.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const COLLEAGUES: [&str; 6] = ["chrisb", "alexd", "garthf", "janets", "lisaa", "maxs"];
const STATES: [&str; 4] = ["Busy", "Online", "DoNotDisturb", "Away"];

/// Loopback benchmark of the reference server's event fan-out.
#[derive(clap::Parser)]
#[command(name = "ucwa-bench")]
struct Args {
    /// Concurrent event channels (applications holding a P-GET)
    #[arg(long, default_value_t = 1000,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=5000))]
    channels: usize,
    /// Seconds of presence churn
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=60))]
    secs: u64,
    /// Presence changes per second
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=1000))]
    rate: u64,
    /// Print the results without updating BENCHMARKS.md
    #[arg(long)]
    no_write: bool,
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    events: u64,
    responses: u64,
    errors: u64,
    last_event: Option<Instant>,
}

#[tokio::main]
async fn main() {
    let a = <Args as clap::Parser>::parse();
    let cfg = ucwa_server::Config {
        control: true,
        log_requests: false,
        medium_window: Duration::ZERO,
        low_window: Duration::ZERO,
        max_subscriptions: a.channels + 10,
        app_idle_timeout: Duration::from_secs(3600),
        ..ucwa_server::Config::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let base = format!("http://{}", listener.local_addr().expect("local address"));
    tokio::spawn(ucwa_server::serve(cfg, listener));
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(a.channels + 16)
        .timeout(Duration::from_secs(240))
        .build()
        .expect("client");

    let token: Value = http
        .post(format!("{base}/WebTicket/oauthtoken"))
        .body("grant_type=password&username=sarad@contoso.com&password=demo")
        .send()
        .await
        .expect("token request")
        .json()
        .await
        .expect("token json");
    let token = token["access_token"]
        .as_str()
        .expect("access_token")
        .to_string();

    // Change times per contact key, and the results.
    let changed: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let tally: Arc<Mutex<Tally>> = Arc::default();
    let uris: Vec<String> = COLLEAGUES
        .iter()
        .map(|c| format!("sip:{c}@contoso.com"))
        .collect();

    eprintln!(
        "ucwa-bench: creating {} applications with subscriptions…",
        a.channels
    );
    let setup_start = Instant::now();
    let mut ready = Vec::new();
    let mut tasks = Vec::new();
    for i in 0..a.channels {
        let (http, base, token, uris) = (http.clone(), base.clone(), token.clone(), uris.clone());
        let (changed, tally) = (changed.clone(), tally.clone());
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<()>();
        ready.push(ready_rx);
        tasks.push(tokio::spawn(async move {
            let _: Option<()> = async move {
            let app: Value = http
                .post(format!("{base}/ucwa/oauth/v1/applications"))
                .bearer_auth(&token)
                .json(&json!({"userAgent": "ucwa-bench", "endpointId": format!("bench-{i}"), "culture": "en-US"}))
                .send()
                .await
                .ok()?
                .json()
                .await
                .ok()?;
            let app_href = app["_links"]["self"]["href"].as_str()?.to_string();
            let mut next = app["_links"]["events"]["href"].as_str()?.to_string();
            http.post(format!("{base}{app_href}/people/presenceSubscriptions"))
                .bearer_auth(&token)
                .json(&json!({"duration": 30, "uris": uris}))
                .send()
                .await
                .ok()?;
            let mut ready_tx = Some(ready_tx);
            loop {
                let v: Value = match http.get(format!("{base}{next}")).bearer_auth(&token).send().await {
                    Ok(r) => match r.json().await {
                        Ok(v) => v,
                        Err(_) => {
                            tally.lock().ok()?.errors += 1;
                            continue;
                        }
                    },
                    Err(_) => {
                        tally.lock().ok()?.errors += 1;
                        continue;
                    }
                };
                let now = Instant::now();
                if let Some(n) = v["_links"]["next"]["href"].as_str() {
                    next = n.to_string();
                }
                let first = ready_tx.is_some();
                let keys: Vec<String> = v["sender"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|s| s["events"].as_array().cloned().unwrap_or_default())
                    .filter(|e| e["link"]["rel"] == "contactPresence")
                    .filter_map(|e| e["link"]["href"].as_str().and_then(|h| h.split("/people/").nth(1)).map(|k| k.trim_end_matches("/presence").to_string()))
                    .collect();
                {
                    let changed = changed.lock().ok()?;
                    let mut t = tally.lock().ok()?;
                    t.responses += 1;
                    if !first {
                        if !keys.is_empty() {
                            t.last_event = Some(now);
                        }
                        for k in &keys {
                            t.events += 1;
                            if let Some(at) = changed.get(k) {
                                t.latencies_us.push(now.saturating_duration_since(*at).as_micros() as u64);
                            }
                        }
                    }
                }
                if let Some(tx) = ready_tx.take() {
                    let _ = tx.send(());
                }
            }
            }
            .await;
        }));
    }
    for r in ready {
        let _ = r.await;
    }
    eprintln!(
        "ucwa-bench: {} channels ready in {:.1} s; churning {} changes/s for {} s…",
        a.channels,
        setup_start.elapsed().as_secs_f64(),
        a.rate,
        a.secs
    );
    {
        let mut t = tally.lock().expect("tally");
        *t = Tally::default();
    }

    let period = Duration::from_micros(1_000_000 / a.rate);
    let start = Instant::now();
    let mut changes = 0u64;
    let mut ticker = tokio::time::interval(period);
    while start.elapsed() < Duration::from_secs(a.secs) {
        ticker.tick().await;
        let who = COLLEAGUES[(changes as usize) % COLLEAGUES.len()];
        let state = STATES[(changes as usize / COLLEAGUES.len()) % STATES.len()];
        let key = format!("{who}@contoso.com");
        // Stamp before sending: the event may reach a channel before the 204 reaches us.
        changed
            .lock()
            .expect("changed")
            .insert(key.clone(), Instant::now());
        let ok = http
            .post(format!("{base}/_control/users/{key}/presence"))
            .json(&json!({"availability": state}))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if ok {
            changes += 1;
        }
    }
    let churn = start.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    for t in &tasks {
        t.abort();
    }
    let t = tally.lock().expect("tally");
    let mut lat = t.latencies_us.clone();
    lat.sort_unstable();
    let pct = |p: f64| -> f64 {
        if lat.is_empty() {
            return f64::NAN;
        }
        let i = ((lat.len() as f64 - 1.0) * p).round() as usize;
        lat[i.min(lat.len() - 1)] as f64 / 1000.0
    };
    let expected = changes * a.channels as u64;
    let span = t
        .last_event
        .map_or(churn, |l| l.saturating_duration_since(start))
        .max(Duration::from_millis(1));
    let eps = t.events as f64 / span.as_secs_f64();
    let report = format!(
        "| channels | changes | changes/s | events delivered | expected (no coalescing) | events/s | p50 latency | p99 latency | max latency | P-GET responses | client errors |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n\
         | {} | {} | {:.1} | {} | {} | {:.0} | {:.2} ms | {:.2} ms | {:.2} ms | {} | {} |",
        a.channels,
        changes,
        changes as f64 / churn.as_secs_f64(),
        t.events,
        expected,
        eps,
        pct(0.50),
        pct(0.99),
        pct(1.0),
        t.responses,
        t.errors,
    );
    println!("{report}");
    if !a.no_write {
        if let Err(e) = write_benchmarks(&report, &a) {
            eprintln!("ucwa-bench: could not update BENCHMARKS.md: {e}");
        }
    }
}

fn write_benchmarks(table: &str, a: &Args) -> std::io::Result<()> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../BENCHMARKS.md");
    let existing = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".to_string());
    let (start, end) = ("<!-- ucwa-bench:start -->", "<!-- ucwa-bench:end -->");
    let section = format!(
        "{start}\n## ucwa-server: event channel fan-out (loopback)\n\n\
         `cargo run --release -p ucwa-server --example ucwa-bench -- --channels {} --secs {} --rate {}`\n\n\
         In-process server on 127.0.0.1, {} concurrent event channels (one application each, all subscribed to the six\n\
         simulated colleagues), {} presence changes per second through the control API for {} s; aggregation windows 0.\n\
         Latency: from submitting a change to its `contactPresence updated` event arriving at a channel (client and server\n\
         share the machine's {} cores). Changes of one contact that arrive while a channel's response is in flight are\n\
         coalesced, so \"events delivered\" can be below the expected count.\n\n{table}\n{end}",
        a.channels,
        a.secs,
        a.rate,
        a.channels,
        a.rate,
        a.secs,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
    );
    let updated = match (existing.find(start), existing.find(end)) {
        (Some(s), Some(e)) if e > s => {
            format!("{}{section}{}", &existing[..s], &existing[e + end.len()..])
        }
        _ => format!("{}\n\n{section}\n", existing.trim_end()),
    };
    std::fs::write(path, updated)
}
