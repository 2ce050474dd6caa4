use std::time::{Duration, Instant};

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn injected_statuses_delays_and_closes() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    let (st, _) = srv
        .control(
            "/faults",
            json!({"status": 503, "count": 2, "path_contains": "/people"}),
        )
        .await;
    assert_eq!(st, 200);
    for _ in 0..2 {
        let r = s
            .http
            .get(format!("{}{}/people", s.base, s.app))
            .bearer_auth(&s.token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 503);
        assert_eq!(r.headers()["retry-after"], "1");
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["code"], "ServiceUnavailable");
    }
    assert_eq!(s.get("people").await.0, 200, "only two requests fail");
    assert_eq!(s.get("me").await.0, 200);
    srv.control("/faults", json!({"delay_ms": 400, "count": 1}))
        .await;
    let start = Instant::now();
    assert_eq!(s.get("me").await.0, 200);
    assert!(start.elapsed() >= Duration::from_millis(400));
    srv.control("/faults", json!({"close": 1, "path_contains": "/me"}))
        .await;
    let r = s
        .http
        .get(format!("{}{}/me", s.base, s.app))
        .bearer_auth(&s.token)
        .send()
        .await;
    assert!(match r {
        Err(_) => true,
        Ok(resp) => resp.bytes().await.is_err(),
    });
    assert_eq!(s.get("me").await.0, 200);
    assert_eq!(srv.control("/faults", json!({"status": 200})).await.0, 400);
    assert_eq!(srv.control("/faults", json!({})).await.0, 400);
    assert_eq!(
        srv.control("/expire", json!({"what": "everything", "user": DANA}))
            .await
            .0,
        400
    );
}

#[tokio::test(start_paused = true)]
async fn stats_count_applications_and_pgets() {
    let srv = Srv::paused(fast()).await;
    let mut s = srv.session(DANA).await;
    s.timeout = 2;
    s.subscribe(&[SARA]).await;
    let stats = srv.stats().await;
    assert_eq!(stats["applications_per_user"][DANA], 1);
    assert_eq!(stats["subscriptions_per_user"][DANA], 1);
    let t = tokio::spawn(async move {
        s.pget().await;
        s.pget().await
    });
    // The first P-GET takes the subscription's events at once; the second waits (on the
    // paused clock, which stands still while the stats are read).
    let stats = srv
        .stats_when("an open P-GET", |s| s["open_pgets"] == 1)
        .await;
    assert_eq!(stats["open_pgets_per_user"][DANA], 1);
    t.await.unwrap();
    let stats = srv.stats().await;
    assert_eq!(stats["open_pgets"], 0);
    assert_eq!(stats["events_delivered"], 3);
}

#[tokio::test]
async fn control_is_off_by_default() {
    let srv = Srv::start(ucwa_server::Config {
        control: false,
        ..fast()
    })
    .await;
    let r = srv.get("/_control/stats").await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn demo_mode_animates_colleagues_only() {
    let cfg = ucwa_server::Config {
        demo: true,
        demo_interval: Duration::from_millis(20),
        ..fast()
    };
    let srv = Srv::start(cfg).await;
    let mut s = srv.session(SARA).await;
    s.timeout = 1;
    let everyone = [
        "sip:chrisb@contoso.com",
        "sip:alexd@contoso.com",
        "sip:garthf@contoso.com",
        "sip:janets@contoso.com",
        "sip:lisaa@contoso.com",
        "sip:maxs@contoso.com",
        DANA,
    ];
    s.post(
        "people/presenceSubscriptions",
        json!({"duration": 10, "uris": everyone}),
    )
    .await;
    s.pget().await;
    let mut changed = 0;
    for _ in 0..5 {
        let v = s.pget().await;
        for e in events(&v) {
            assert!(
                !e["link"]["href"].as_str().unwrap().contains("dana@"),
                "Dana is never simulated"
            );
            changed += 1;
        }
    }
    assert!(changed > 0, "colleagues change while --demo runs");
    assert_eq!(
        s.get("people/dana@contoso.com/presence").await.1["availability"],
        "Offline"
    );
}

#[tokio::test(start_paused = true)]
async fn the_paused_clock_stands_still_during_requests() {
    let srv = Srv::paused(fast()).await;
    let s = srv.session(DANA).await;
    let start = tokio::time::Instant::now();
    for _ in 0..20 {
        assert_eq!(s.get("me").await.0, 200);
    }
    assert_eq!(start.elapsed(), Duration::ZERO);
    advance(Duration::from_secs(90)).await;
    assert_eq!(start.elapsed(), Duration::from_secs(90));
}
