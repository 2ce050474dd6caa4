use std::time::Duration;

use tokio::time::Instant;

use serde_json::{json, Value};

use crate::common::*;

async fn raw_pget(s: &Session, href: &str) -> (u16, Value) {
    let r = s
        .http
        .get(format!("{}{href}", s.base))
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap();
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(start_paused = true)]
async fn timeout_gives_empty_response_with_next() {
    let srv = Srv::paused(fast()).await;
    let mut s = srv.session(DANA).await;
    s.timeout = 180;
    let start = Instant::now();
    let v = s.pget().await;
    assert!(
        start.elapsed() >= Duration::from_secs(180),
        "held for its timeout"
    );
    assert_eq!(
        v,
        json!({"_links": {"self": {"href": format!("{}/events?ack=1", s.app)}, "next": {"href": format!("{}/events?ack=2", s.app)}}})
    );
    let (st, e) = s.get("events?ack=2&timeout=5000").await;
    assert_eq!(
        (st.as_u16(), e["subcode"].as_str()),
        (400, Some("ParameterValidationFailure"))
    );
}

#[tokio::test]
async fn unacknowledged_response_is_delivered_again_then_resync() {
    let srv = Srv::fast().await;
    let mut s = srv.session(DANA).await;
    s.make_me_available().await;
    let first = s.pget().await;
    assert!(!events(&first).is_empty());
    // The client lost the response and repeats ack=1: same body again.
    let (st, again) = raw_pget(&s, &format!("{}/events?ack=1", s.app)).await;
    assert_eq!(st, 200);
    assert_eq!(again, first);
    // An ack out of range: resync pointing at the first unacknowledged response.
    let (_, r) = raw_pget(&s, &format!("{}/events?ack=9", s.app)).await;
    assert_eq!(
        r["_links"]["resync"]["href"],
        format!("{}/events?ack=1", s.app)
    );
    assert!(r["sender"].is_null() && r["_links"]["next"].is_null());
    for bad in ["-3", "abc"] {
        let (st, _) = raw_pget(&s, &format!("{}/events?ack={bad}", s.app)).await;
        assert!(st == 200 || st == 400, "{bad}: {st}");
    }
    // Following next acknowledges response 1: ack=1 is then out of range, and resync points at
    // response 2, sent but not yet acknowledged.
    s.pget().await;
    let (_, r) = raw_pget(&s, &format!("{}/events?ack=1&timeout=1", s.app)).await;
    assert_eq!(
        r["_links"]["resync"]["href"],
        format!("{}/events?ack=2", s.app)
    );
}

#[tokio::test(start_paused = true)]
async fn second_pget_replaces_first() {
    let srv = Srv::paused(fast()).await;
    let mut s = srv.session(DANA).await;
    let first_url = format!("{}{}&timeout=60", s.base, s.next);
    let (http, token) = (s.http.clone(), s.token.clone());
    let first = tokio::spawn(async move {
        let r = http.get(first_url).bearer_auth(token).send().await.unwrap();
        (r.status().as_u16(), r.json::<Value>().await.unwrap())
    });
    srv.stats_when("the first P-GET", |s| s["open_pgets"] == 1)
        .await;
    let started = Instant::now();
    let v = s.pget().await;
    let (st, body) = first.await.unwrap();
    assert_eq!(st, 409);
    assert_eq!(body["code"], "Conflict");
    assert_eq!(body["subcode"], "PGetReplaced");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "released at once, not at its timeout"
    );
    assert!(v["_links"]["next"].is_object());
    assert_eq!(srv.stats().await["open_pgets"], 0);
}

#[tokio::test]
async fn channel_reset_gives_resume_and_drops_subscriptions() {
    let srv = Srv::fast().await;
    let mut s = srv.session(DANA).await;
    s.subscribe(&[SARA]).await;
    s.pget().await;
    let (st, _) = srv
        .control("/expire", json!({"what": "channel", "user": DANA}))
        .await;
    assert_eq!(st, 200);
    let v = s.pget().await;
    assert!(v["_links"]["resume"]["href"].is_string(), "{v}");
    assert!(v["_links"]["next"].is_null());
    let (_, list) = s.get("people/presenceSubscriptions").await;
    assert_eq!(list["_embedded"]["presenceSubscription"], json!([]));
    // Following resume works like next.
    let v = s.pget().await;
    assert!(v["_links"]["next"].is_object());
}

#[tokio::test(start_paused = true)]
async fn medium_window_aggregates_and_coalesces() {
    let medium = Duration::from_secs(5);
    let cfg = ucwa_server::Config {
        medium_window: medium,
        ..fast()
    };
    let srv = Srv::paused(cfg).await;
    let mut sara = srv.session(SARA).await;
    sara.timeout = 60;
    sara.subscribe(&[DANA]).await;
    sara.pget().await;
    let start = Instant::now();
    let pending = tokio::spawn(async move {
        let v = sara.pget().await;
        (sara, v)
    });
    for a in ["Busy", "Away", "DoNotDisturb"] {
        srv.control(
            "/users/dana@contoso.com/presence",
            json!({"availability": a}),
        )
        .await;
        advance(Duration::from_millis(50)).await;
    }
    let (sara, v) = pending.await.unwrap();
    // The window runs from the first change (a coalesced event keeps its age).
    let waited = start.elapsed();
    assert!(waited >= medium, "held for the medium window: {waited:?}");
    assert!(
        waited < Duration::from_secs(60),
        "released by the window, not the timeout: {waited:?}"
    );
    assert_eq!(
        summary(&v),
        vec![s3("people", "contactPresence", "updated")],
        "three changes coalesced: {v}"
    );
    assert_eq!(
        sara.get("people/dana@contoso.com/presence").await.1["availability"],
        "DoNotDisturb"
    );
}

#[tokio::test]
async fn medium_query_parameter_is_validated() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    assert_eq!(raw_pget(&s, &format!("{}&medium=2", s.next)).await.0, 400);
    assert_eq!(raw_pget(&s, &format!("{}&low=99999", s.next)).await.0, 400);
}

#[tokio::test]
async fn dropped_pget_then_recovery() {
    let srv = Srv::fast().await;
    let mut s = srv.session(DANA).await;
    let (st, _) = srv.control("/faults", json!({"drop_pgets": 1})).await;
    assert_eq!(st, 200);
    let r = s
        .http
        .get(format!("{}{}&timeout=1", s.base, s.next))
        .bearer_auth(&s.token)
        .send()
        .await;
    let failed = match r {
        Err(_) => true,
        Ok(resp) => resp.bytes().await.is_err(),
    };
    assert!(
        failed,
        "the connection must be closed without a complete response"
    );
    // The next P-GET on the same URL works.
    let v = s.pget().await;
    assert!(v["_links"]["next"].is_object());
}

#[tokio::test]
async fn deleting_the_application_releases_its_pget() {
    let srv = Srv::fast().await;
    let mut s = srv.session(DANA).await;
    s.timeout = 10;
    let url = format!("{}{}&timeout=10", s.base, s.next);
    let (http, token) = (s.http.clone(), s.token.clone());
    let pending = tokio::spawn(async move {
        let r = http.get(url).bearer_auth(token).send().await.unwrap();
        (r.status().as_u16(), r.json::<Value>().await.unwrap())
    });
    srv.stats_when("the P-GET", |s| s["open_pgets"] == 1).await;
    srv.control("/expire", json!({"what": "application", "user": DANA}))
        .await;
    let (st, v) = pending.await.unwrap();
    assert_eq!(
        (st, v["subcode"].as_str()),
        (404, Some("ApplicationNotFound"))
    );
    s.next.clear();
}
