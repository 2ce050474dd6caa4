//! The fault modes the widget's fault matrix uses: hangs, `Retry-After` and subcodes on
//! injected statuses, and `resync` on demand.

use std::time::Duration;

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn injected_statuses_carry_the_retry_after_and_subcode_asked_for() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    let me = format!("{}{}/me", s.base, s.app);
    let get = || s.http.get(&me).bearer_auth(&s.token).send();
    let cases = [
        (
            json!({"status": 503, "retry_after": 7}),
            503,
            Some("7"),
            None,
        ),
        (json!({"status": 503, "retry_after": null}), 503, None, None),
        (json!({"status": 500}), 500, None, None),
        (
            json!({"status": 409, "subcode": "pgetreplaced"}),
            409,
            None,
            Some("PGetReplaced"),
        ),
        (
            json!({"status": 429, "retry_after": 2}),
            429,
            Some("2"),
            None,
        ),
    ];
    for (fault, status, retry_after, subcode) in cases {
        assert_eq!(
            srv.control("/faults", fault.clone()).await.0,
            200,
            "{fault}"
        );
        let r = get().await.unwrap();
        assert_eq!(r.status(), status, "{fault}");
        let header = r
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string());
        assert_eq!(header.as_deref(), retry_after, "{fault}");
        let v: serde_json::Value = r.json().await.unwrap();
        if let Some(subcode) = subcode {
            assert_eq!(v["subcode"], subcode, "{fault}");
        }
        assert_eq!(s.get("me").await.0, 200, "one request only: {fault}");
    }
    for bad in [
        json!({"status": 503, "retry_after": -1}),
        json!({"status": 503, "retry_after": "soon"}),
        json!({"status": 409, "subcode": "NoSuchThing"}),
        json!({"hang": 1}),
    ] {
        assert_eq!(srv.control("/faults", bad.clone()).await.0, 400, "{bad}");
    }
}

#[tokio::test]
async fn a_hang_holds_requests_until_the_faults_are_cleared() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    let (st, v) = srv
        .control(
            "/faults",
            json!({"hang": true, "count": 100, "path_contains": "/me"}),
        )
        .await;
    assert_eq!(
        (st.as_u16(), v["installed"][0].as_str()),
        (200, Some("hang"))
    );
    let me = format!("{}{}/me", s.base, s.app);
    let pending = s.http.get(&me).bearer_auth(&s.token).send();
    tokio::pin!(pending);
    let early = tokio::time::timeout(Duration::from_millis(500), &mut pending).await;
    assert!(early.is_err(), "a hung request is not answered");
    // Other paths still answer: the hang is limited to what it matches.
    assert_eq!(s.get("people").await.0, 200);
    let r = reqwest::Client::new()
        .delete(srv.url("/_control/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let answered = tokio::time::timeout(Duration::from_secs(5), pending)
        .await
        .expect("answered once the faults are cleared")
        .unwrap();
    assert_eq!(answered.status(), 200);
    assert_eq!(s.get("me").await.0, 200);
}

#[tokio::test]
async fn resync_on_demand_answers_the_next_pget_with_a_resync_link() {
    let srv = Srv::fast().await;
    let mut s = srv.session(DANA).await;
    s.timeout = 1;
    s.make_me_available().await;
    s.pget().await;
    assert_eq!(srv.control("/faults", json!({"resync": 1})).await.0, 200);
    let url = format!("{}{}&timeout=1", s.base, s.next);
    let (status, v) = response(s.http.get(url).bearer_auth(&s.token)).await;
    assert_eq!(status, 200, "{v}");
    let resync = v["_links"]["resync"]["href"]
        .as_str()
        .expect("a resync link");
    assert!(v["_links"]["next"].is_null(), "{v}");
    // Following it works, and the next P-GET is an ordinary one again.
    s.next = resync.to_string();
    let v = s.pget().await;
    assert!(v["_links"]["resync"].is_null(), "{v}");
}
